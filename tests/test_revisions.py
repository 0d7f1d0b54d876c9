"""Issued tenders are frozen revisions: issue, re-export, bids answer their revision, addenda.

The life cycle a procurement officer goes through, with the real command line, real .boq files and
workbooks filled through openpyxl as a bidder would.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import sqlite3
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from estimator import revisions
from estimator.cli.main import main
from estimator.export.xlsx_layout import letters
from estimator.model import FIXED_SUMS, PC_ATTENDANCE, Item, Programme
from estimator.money import round_money, to_decimal
from estimator.pricing import price
from estimator.revision_diff import diff
from estimator.store import REVISION_SCHEMA, SCHEMA_VERSION, Project, load


def tender_values(path: Path) -> dict[str, str]:
    ws = openpyxl.load_workbook(path)["_tender"]
    values: dict[str, str] = {}
    for key, value, *_ in ws.iter_rows(values_only=True):
        if key in (None, "", "sheet"):
            break
        values[str(key)] = "" if value is None else str(value)
    return values


def fill_bid(tender_xlsx: Path, out: Path, factor: str = "1.1") -> dict[str, Decimal]:
    """Price every item of a tender copy with openpyxl, as a bidder does: rate = factor x 10 + row."""
    wb = openpyxl.load_workbook(tender_xlsx)
    col = letters("en")
    rates: dict[str, Decimal] = {}
    for ws in wb.worksheets:
        if ws.title == "_tender" or ws[f"{col['uid']}5"].value != "uid":
            continue
        for row in range(6, ws.max_row + 1):
            uid = ws[f"{col['uid']}{row}"].value
            if uid:
                rate = Decimal(factor) * 10 + row % 7
                ws[f"{col['rate']}{row}"] = float(rate)
                rates[uid] = rate
    wb.save(out)
    return rates


def edit(path: Path) -> tuple[str, str]:
    """Change two quantities, delete an item and add one; return (deleted uid, added uid)."""
    with Project.open(path) as project:
        bill = project.programme.facilities[0].bills[1]
        bill.items[0].quantity += Decimal("3.5")
        project.programme.facilities[1].bills[0].items[0].quantity = Decimal("7.25")
        deleted = bill.items.pop(1).uid
        added = Item("Access ramp with hand rails", Decimal("12"), "m2", description_ar="منحدر مع درابزين",
                     rate=Decimal("45"), rate_currency="USD")
        bill.items.append(added)
        project.save()
    return deleted, added.uid


def test_issue_export_edit_reissue_and_bids_answer_their_revision(sample_file: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    boq = sample_file
    assert main(["tender", "issue", str(boq), "--name", "Rev 0", "--date", "2026-11-01"]) == 0
    r0 = tmp_path / "rev0.xlsx"
    assert main(["export", str(boq), "--xlsx", str(r0), "--unpriced"]) == 0
    first = tender_values(r0)
    assert first["revision"] == "Rev 0" and first["issue_date"] == "2026-11-01"  # the working state is Rev 0

    deleted, added = edit(boq)
    draft = tmp_path / "draft.xlsx"
    assert main(["export", str(boq), "--xlsx", str(draft), "--unpriced"]) == 0
    assert tender_values(draft)["revision"] == "Draft"
    facility_sheet = openpyxl.load_workbook(draft).worksheets[1]
    assert "Draft" in [c for row in facility_sheet.iter_rows(max_row=4, values_only=True) for c in row]

    assert main(["tender", "issue", str(boq), "--name", "Rev 1", "--date", "2026-11-20"]) == 0
    assert main(["tender", "issue", str(boq), "--name", "rev 1"]) == 1  # a name is issued once
    assert "already issued and never changes" in capsys.readouterr().err
    r1 = tmp_path / "rev1.xlsx"
    assert main(["export", str(boq), "--xlsx", str(r1), "--unpriced"]) == 0

    # a bid priced on Rev 0 is evaluated against Rev 0, not refused, and flagged as superseded
    rates = fill_bid(r0, tmp_path / "bid-rev0.xlsx")
    assert deleted in rates and added not in rates
    capsys.readouterr()
    assert main(["bids", str(boq), str(tmp_path / "bid-rev0.xlsx"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    [bidder] = data["bidders"]
    assert data["revision"] == "Rev 0" and bidder["status"] == "evaluated"
    assert any("SUPERSEDED by 'Rev 1'" in note for note in bidder["reasons"])
    with Project.open(boq, readonly=True) as project:
        rev0 = revisions.load(project, "Rev 0")
    lines = [ln for f in price(rev0).facilities for b in f.bills for ln in b.lines]
    # a provisional or prime cost sum the bidder typed over counts at the tender's amount
    subtotal = sum((ln.amount if ln.item.kind in FIXED_SUMS else
                    round_money(ln.quantity * rates[ln.item.uid] / (100 if ln.item.kind == PC_ATTENDANCE else 1))
                    for ln in lines), Decimal(0))
    assert sum(to_decimal(lot["ranking"][0]["corrected_total"]) for lot in data["lots"]) == subtotal
    # compared before the employer's contingency (bidders do not add it)
    assert sum(to_decimal(lot["estimate"]) for lot in data["lots"]) == price(rev0).subtotal
    text_run = main(["bids", str(boq), str(tmp_path / "bid-rev0.xlsx")])
    out = capsys.readouterr().out
    assert text_run == 0 and "SUPERSEDED by 'Rev 1'" in out and "tender revision 'Rev 0' of 2026-11-01" in out

    # bids on two revisions: each against its own; a workbook of a draft never issued is refused
    fill_bid(r1, tmp_path / "bid-rev1.xlsx", "0.9")
    edit(boq)
    assert main(["export", str(boq), "--xlsx", str(draft), "--unpriced"]) == 0
    fill_bid(draft, tmp_path / "bid-draft.xlsx")
    capsys.readouterr()
    code = main(["bids", str(boq), *(str(tmp_path / f"bid-{n}.xlsx") for n in ("rev0", "rev1", "draft")), "--json"])
    both = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(e["revision"], e["superseded_by"], [b["file"] for b in e["bidders"] if b["status"] == "evaluated"])
            for e in both["evaluations"]] == [("Rev 0", "Rev 1", ["bid-rev0.xlsx"]), ("Rev 1", None, ["bid-rev1.xlsx"])]
    [refused] = both["refused"]
    assert refused["file"] == "bid-draft.xlsx" and "matches no issued revision" in refused["reason"]

    # --revision "Rev 0" reproduces the workbook that was sent out, whatever happened since
    again = tmp_path / "rev0-again.xlsx"
    assert main(["export", str(boq), "--revision", "Rev 0", "--xlsx", str(again), "--unpriced"]) == 0
    assert tender_values(again)["fingerprint"] == first["fingerprint"]
    assert tender_values(again)["revision"] == "Rev 0" and tender_values(again)["issue_date"] == "2026-11-01"
    assert tender_values(tmp_path / "rev1.xlsx")["fingerprint"] != first["fingerprint"]
    assert main(["export", str(boq), "--revision", "Rev 7", "--xlsx", str(again)]) == 1
    assert "no tender revision called 'Rev 7' (issued: 'Rev 0', 'Rev 1'" in capsys.readouterr().err

    assert main(["tender", "list", str(boq), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in listed["revisions"]] == ["Rev 0", "Rev 1"] and listed["working_state"] == "draft"
    assert listed["revisions"][0]["fingerprint"] == first["fingerprint"]
    assert listed["revisions"][0]["total"] == f"{price(rev0).grand_total:.2f}"


def test_a_file_without_revisions_evaluates_bids_as_before(sample_file: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    xlsx = tmp_path / "tender.xlsx"
    assert main(["export", str(sample_file), "--xlsx", str(xlsx), "--unpriced"]) == 0
    assert tender_values(xlsx)["revision"] == "Draft"
    fill_bid(xlsx, tmp_path / "bid.xlsx")
    capsys.readouterr()
    assert main(["bids", str(sample_file), str(tmp_path / "bid.xlsx"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["revision"] is None and [b["status"] for b in data["bidders"]] == ["evaluated"]
    assert all(len(lot["ranking"]) == 1 for lot in data["lots"])


def test_revision_is_frozen_and_survives_save_as_and_reopening(sample_file: Path, tmp_path: Path) -> None:
    with Project.open(sample_file) as project:
        rev = revisions.issue(project, "  Rev   0 ", dt.date(2026, 11, 1))
        assert rev.name == "Rev 0" and rev.items == project.programme.item_count()
        before = price(project.programme).to_json()
        project.programme.facilities[0].bills[0].items[0].quantity += 1
        project.programme.markups.contingency = Decimal("12")
        project.save()
        assert price(revisions.load(project, "rev 0")).to_json() == before
        project.save_as(tmp_path / "copy.boq")
    with Project.open(tmp_path / "copy.boq", readonly=True) as copied:
        assert [r.name for r in revisions.revisions(copied)] == ["Rev 0"]
        assert price(revisions.load(copied, "Rev 0")).to_json() == before
        Project.create(tmp_path / "own.boq", copied.programme, keep_from=copied).close()  # Save As of a read-only copy
    with Project.open(tmp_path / "own.boq", readonly=True) as own:
        assert price(revisions.load(own, "Rev 0")).to_json() == before
    with pytest.raises(revisions.RevisionError, match="needs a name"), Project.open(sample_file) as project:
        revisions.issue(project, "   ")


def test_unchanged_lots_are_stored_once(tmp_path: Path) -> None:
    from estimator.synthetic import generate

    path = tmp_path / "p.boq"
    Project.create(path, generate(12, 40)).close()
    with Project.open(path) as project:
        revisions.issue(project, "Rev 0")
        one = revisions.stored_size(project)
        for n in range(1, 4):
            project.programme.facilities[n].bills[0].items[0].quantity += n
            project.save()
            revisions.issue(project, f"Rev {n}")
        # three more revisions, each changing one lot of twelve: far less than three more copies
        assert revisions.stored_size(project) < one * 1.6
        blobs = project.connection.execute("SELECT COUNT(*) FROM snapshots").fetchone()[0]
        assert blobs == 12 + 2 + 3


def test_format_4_file_is_migrated_and_opens(sample_file: Path) -> None:
    with sqlite3.connect(sample_file) as conn:
        conn.execute("DROP TABLE revisions")
        conn.execute("DROP TABLE snapshots")
        conn.execute("DROP TABLE contract_lines")
        conn.execute("DROP TABLE contract_log")
        conn.execute("ALTER TABLE items DROP COLUMN kind")
        conn.execute("PRAGMA user_version = 4")
    with pytest.raises(Exception, match="older file format 4"):
        load(sample_file)  # read-only cannot upgrade (as for every older format)
    with Project.open(sample_file) as project:
        assert revisions.revisions(project) == []
        revisions.issue(project, "Rev 0")
    with sqlite3.connect(sample_file) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 7
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"revisions", "snapshots"} <= tables and "CREATE TABLE revisions" in REVISION_SCHEMA


def test_diff_lists_each_change_and_the_effect_per_lot(sample_programme: Programme) -> None:
    before = copy.deepcopy(sample_programme)
    after = sample_programme
    bill = after.facilities[0].bills[1]
    bill.items[0].quantity += 1
    bill.items[2].description = "Hacking off plaster, revised"
    moved = bill.items.pop(3)
    after.facilities[2].bills[0].items.append(moved)
    omitted = after.facilities[1].bills[0].items.pop(0)
    after.facilities[1].bills[0].items.append(Item("New item", Decimal("3"), "nr", rate=Decimal("10")))
    result = diff(before, after)
    kinds = [c.kind for c in result.changes]
    assert sorted(kinds) == sorted(["quantity", "description", "lot moved", "omitted", "added"])
    assert next(c for c in result.changes if c.kind == "omitted").uid == omitted.uid
    effects = {lot.name: lot.difference for lot in result.lots}
    old, new = price(before), price(after)
    for a, b in zip(old.facilities, new.facilities, strict=True):
        assert effects[b.facility.name] == b.total - a.total
    assert sum(effects.values()) == new.subtotal - old.subtotal
    assert set(result.changed_bills) == {bill.uid, after.facilities[2].bills[0].uid, after.facilities[1].bills[0].uid}


def test_addendum_pdf_lists_each_change_once(sample_file: Path, tmp_path: Path) -> None:
    boq = sample_file
    assert main(["tender", "issue", str(boq), "--name", "Rev 0", "--date", "2026-11-01"]) == 0
    edit(boq)
    assert main(["tender", "issue", str(boq), "--name", "Rev 1", "--date", "2026-11-20"]) == 0
    out = tmp_path / "addendum.pdf"
    assert main(["tender", "diff", str(boq), "Rev 0", "Rev 1", "--pdf", str(out), "--xlsx", str(tmp_path / "d.xlsx")]) == 0
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Addendum No. 1" in text and "All other terms and conditions of the tender documents remain unchanged" in text
    assert "NWS-HF-2024-RB-01" in text and "20 November 2026" in text and "Rev 0 of 1 November 2026" in text
    schedule = text[text.index("Schedule of changes"):text.index("Replacement BoQ pages")]
    with Project.open(boq, readonly=True) as project:
        changes = diff(revisions.load(project, "Rev 0"), revisions.load(project, "Rev 1")).changes
    assert sorted(c.kind for c in changes) == ["added", "omitted", "quantity", "quantity"]
    for number, change in enumerate(changes, start=1):
        words = change.description[:25]
        assert schedule.count(words) == 1, words
        assert f"\n {number} " in schedule
    assert "\n 5 " not in schedule
    assert schedule.count("Item added") == 1 and schedule.count("Item omitted") == 1 and schedule.count("Quantity") == 2
    assert "14.50 m³" in schedule and "18.00 m³" in schedule
    replacement = text[text.index("Replacement BoQ pages"):]
    assert "Access ramp with hand rails" in replacement and "BoQ page 2/1" in replacement
    assert "Lot 2:" in replacement  # the second lot's changed bill is reprinted too
    assert "Lot 3:" not in replacement  # unchanged lots are not
    wb = openpyxl.load_workbook(tmp_path / "d.xlsx")
    assert wb["Changes"].max_row == 4 + len(changes)
    # two revisions in the wrong order, and two identical revisions
    assert main(["tender", "diff", str(boq), "Rev 1", "Rev 0"]) == 1
    with Project.open(boq) as project:
        revisions.issue(project, "Rev 2")
    assert main(["tender", "diff", str(boq), "Rev 1", "Rev 2", "--pdf", str(tmp_path / "none.pdf")]) == 1
    assert not (tmp_path / "none.pdf").exists()


def test_draft_pdf_cover_and_revision_pdf(tmp_path: Path) -> None:
    from estimator.synthetic import generate

    boq = tmp_path / "small.boq"
    Project.create(boq, generate(2, 6)).close()
    assert main(["export", str(boq), "--pdf", str(tmp_path / "draft.pdf"), "--unpriced"]) == 0
    cover = subprocess.run(["pdftotext", "-l", "1", str(tmp_path / "draft.pdf"), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert "Draft" in cover and "Rev. Draft" in cover
    assert main(["tender", "issue", str(boq), "--name", "Rev A", "--date", "2026-12-02"]) == 0
    assert main(["export", str(boq), "--revision", "Rev A", "--pdf", str(tmp_path / "a.pdf"), "--lang", "both"]) == 0
    cover = subprocess.run(["pdftotext", "-l", "1", str(tmp_path / "a.pdf"), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert "Rev. Rev A" in cover and "2 December 2026" in cover and "Draft" not in cover
