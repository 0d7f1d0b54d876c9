"""Bid evaluation end to end: the real unpriced export, filled with openpyxl as bidders would.

Each bidder opens the tender workbook, types rates, and some do what bidders do: change a
quantity, replace a formula, leave a rate out, insert or delete a row (the way Excel does it: the
formulas below move with their rows and SUM ranges stretch or shrink), type an amount over its
formula. `boq bids` must find every one of them and correct the totals to the cent; the expected
figures are worked out here independently from the estimate's printed quantities and rates.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from estimator.analysis.bids import Evaluation, evaluate
from estimator.cli import main
from estimator.export.xlsx_layout import letters
from estimator.model import FIXED_SUMS, PC_ATTENDANCE, Programme
from estimator.pricing import Line, bidders_markups, price
from estimator.store import Project, load

CENT = Decimal("0.01")
SUMMARY = "General Summary"
_REF = re.compile(r"(?<![A-Za-z_!'])(\$?[A-Z]{1,3}\$?)(\d+)(?::(\$?[A-Z]{1,3}\$?)(\d+))?")


def r2(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


@dataclass
class Tender:
    boq: Path
    xlsx: Path
    programme: Programme
    lines: dict[str, Line]  # uid -> the engineer's printed line

    def corrected_total(self, rates: dict[str, Decimal]) -> Decimal:
        """Engineer's quantities x bidder's rates (absent: 0), then the programme's markups."""
        sub = sum((r2(ln.quantity * rates[uid] / (100 if ln.item.kind == PC_ATTENDANCE else 1))
                   for uid, ln in self.lines.items() if uid in rates), Decimal(0))
        return with_markups(self.programme, sub)


def amount(line: Line, rate: Decimal) -> Decimal:
    """The engineer's quantity x a rate, rounded (profit and attendance: the rate is a percentage)."""
    return r2(line.quantity * rate / (100 if line.item.kind == PC_ATTENDANCE else 1))


def with_markups(programme: Programme, subtotal: Decimal) -> Decimal:
    """The markups a bidder adds (the tax, if bidders charge it); never the employer's contingency."""
    return subtotal + sum((m.amount for m in bidders_markups(programme, subtotal)), Decimal(0))


@pytest.fixture(scope="module")
def tender(tmp_path_factory: pytest.TempPathFactory, _sample: Programme) -> Tender:
    folder = tmp_path_factory.mktemp("tender")
    boq, xlsx = folder / "sample.boq", folder / "tender.xlsx"
    Project.create(boq, copy.deepcopy(_sample)).close()
    assert main(["export", str(boq), "--xlsx", str(xlsx), "--unpriced"]) == 0
    programme = load(boq)
    lines = {ln.item.uid: ln for f in price(programme).facilities for b in f.bills for ln in b.lines}
    return Tender(boq, xlsx, programme, lines)


class Bidder:
    """A bidder's copy of the tender workbook, edited with openpyxl. The examples below use the
    English layout's letters (D quantity, E rate, F amount); `col` has those of `lang`."""

    def __init__(self, tender: Tender, factor: str, workbook: Path | None = None, lang: str = "en") -> None:
        self.tender = tender
        self.col = letters(lang)
        self.wb = openpyxl.load_workbook(workbook or tender.xlsx)
        self.rates: dict[str, Decimal] = {}  # what the bidder typed, by uid
        uid, rate_col = self.col["uid"], self.col["rate"]
        for ws in self.sheets():
            for row in range(6, ws.max_row + 1):
                item = ws[f"{uid}{row}"].value
                if item and item != "uid" and tender.lines[item].item.kind in FIXED_SUMS:
                    self.rates[item] = tender.lines[item].rate  # the employer's amount, locked: left as issued
                elif item and item != "uid":
                    rate = r2(tender.lines[item].rate * Decimal(factor))
                    ws[f"{rate_col}{row}"] = float(rate)
                    self.rates[item] = rate

    def sheets(self) -> list[Any]:
        return [ws for ws in self.wb.worksheets if ws[f"{self.col['uid']}5"].value == "uid"]

    def find(self, sheet: int, position: int) -> tuple[Any, int, str]:
        """(worksheet, row, uid) of the `position`-th item of the `sheet`-th facility sheet."""
        ws = self.sheets()[sheet]
        uid = self.col["uid"]
        rows = [r for r in range(6, ws.max_row + 1) if ws[f"{uid}{r}"].value not in (None, "uid")]
        return ws, rows[position], ws[f"{uid}{rows[position]}"].value

    def insert_row(self, ws: Any, before: int) -> None:
        """Insert a row as Excel does: references to rows at or below it move down, ranges stretch."""
        ws.insert_rows(before)
        self._shift(ws, lambda row, end: row + 1 if row >= before else row)

    def delete_row(self, ws: Any, row_no: int) -> None:
        """Delete a row as Excel does: references below move up, ranges shrink."""
        ws.delete_rows(row_no)

        def move(row: int, end: bool | None) -> int | None:
            if row > row_no:
                return row - 1
            if row == row_no:
                return None if end is None else row - 1 if end else row
            return row
        self._shift(ws, move)

    def _shift(self, ws: Any, move: Callable[..., Any]) -> None:
        def fix(formula: str, same_sheet: bool) -> str:
            def sub(m: re.Match[str]) -> str:
                if m.group(3) is None:  # a single cell
                    row = move(int(m.group(2)), None)
                    return "#REF!" if row is None else f"{m.group(1)}{row}"
                return f"{m.group(1)}{move(int(m.group(2)), False)}:{m.group(3)}{move(int(m.group(4)), True)}"
            if same_sheet:
                return _REF.sub(sub, formula)
            quoted = re.escape(f"'{ws.title}'!") + "|" + re.escape(f"{ws.title}!")
            return re.sub(f"({quoted})" + r"(\$?[A-Z]{1,3}\$?)(\d+)",
                          lambda m: m.group(1) + _REF.sub(sub, m.group(2) + m.group(3)), formula)
        for sheet in self.wb.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        cell.value = fix(cell.value, sheet is ws)

    def save(self, path: Path) -> Path:
        self.wb.save(path)
        return path


def kinds(ev: Evaluation, file: str) -> set[tuple[str, str]]:
    bid = next(b for b in ev.bids if b.file == file)
    return {(a.kind, a.item_ref) for a in bid.anomalies}


def test_a_valid_bid_has_no_anomalies_and_adds_up(tender: Tender, tmp_path: Path) -> None:
    bidder = Bidder(tender, "1.07")
    ev = evaluate(tender.programme, [bidder.save(tmp_path / "valid.xlsx")])
    bid = ev.bids[0]
    assert bid.anomalies == [] and bid.missing == 0 and ev.refused == []
    expected = tender.corrected_total(bidder.rates)
    assert bid.corrected_total == expected
    assert bid.stated_total == expected  # the workbook's own arithmetic agrees
    assert bid.corrected_subtotal == sum(f.corrected for f in bid.items.values())
    # every rate is 7 % above the engineer's: nothing beyond ±30 %, except where rounding moves cents
    assert bid.high == bid.low == 0
    assert ev.engineer_total == price(tender.programme).subtotal  # before the employer's contingency


def test_every_anomaly_is_found_and_corrected(tender: Tender, tmp_path: Path) -> None:
    b = Bidder(tender, "0.9")
    # sheet 1: a changed quantity, a discount formula, a missing rate, an arithmetic slip typed over the
    # formula, a broken formula, a changed description and a changed unit
    ws, row, q_uid = b.find(0, 2)
    ws[f"D{row}"] = float(tender.lines[q_uid].quantity) + 10
    ws, row, f_uid = b.find(0, 3)
    ws[f"F{row}"] = f"=D{row}*E{row}*0.9"
    ws, row, m_uid = b.find(0, 4)
    ws[f"E{row}"] = None
    ws, row, s_uid = b.find(0, 5)
    slip = r2(tender.lines[s_uid].quantity * b.rates[s_uid]) + 100
    ws[f"F{row}"] = float(slip)
    ws, row, x_uid = b.find(0, 6)
    ws[f"F{row}"] = f"=ROUND(#REF!*E{row},2)"
    ws, row, d_uid = b.find(0, 7)
    ws[f"B{row}"] = "Something cheaper instead"
    ws, row, u_uid = b.find(0, 8)
    unit_before = ws[f"C{row}"].value
    ws[f"C{row}"] = "kg" if unit_before != "kg" else "m³"
    # sheet 2: a row inserted inside a bill (after its first item), priced; sheet 3: an item row deleted
    ws, row, _ = b.find(1, 0)
    b.insert_row(ws, row + 1)
    ws[f"B{row + 1}"], ws[f"C{row + 1}"], ws[f"D{row + 1}"], ws[f"E{row + 1}"] = "Extra scaffolding", "item", 1, 250
    ws[f"F{row + 1}"] = f"=ROUND(D{row + 1}*E{row + 1},2)"
    ws, row, del_uid = b.find(2, 0)
    b.delete_row(ws, row)
    # sheet 4: a bill total typed over its formula
    ws = b.sheets()[3]
    total_row = next(r for r in range(6, ws.max_row) if str(ws[f"F{r}"].value).startswith("=SUM("))
    ws[f"F{total_row}"] = 12345.67
    # and the General Summary's grand total typed over, as if to round the bid down
    summary = b.wb["General Summary"]
    grand_row = next(r for r in range(6, summary.max_row + 1) if summary[f"B{r}"].value == "Grand total")
    summary[f"D{grand_row}"] = 999999
    path = b.save(tmp_path / "messy.xlsx")

    ev = evaluate(tender.programme, [path])
    ref = {uid: tender.lines[uid].item.ref for uid in (q_uid, f_uid, m_uid, s_uid, x_uid, d_uid, u_uid, del_uid)}
    assert kinds(ev, "messy.xlsx") == {
        ("quantity changed", ref[q_uid]), ("formula replaced", ref[f_uid]), ("missing rate", ref[m_uid]),
        ("formula replaced", ref[s_uid]), ("arithmetic error", ref[s_uid]), ("formula broken", ref[x_uid]),
        ("description changed", ref[d_uid]), ("unit changed", ref[u_uid]), ("added row", ""),
        ("deleted row", ref[del_uid]), ("total typed over", ""),
    }
    bid = ev.bids[0]
    typed = [(a.sheet, a.column) for a in bid.anomalies if a.kind == "total typed over"]
    assert typed == [(b.sheets()[3].title, "F"), ("General Summary", "D")]
    # corrected: engineer's quantities x bidder's rates; the missing rate and the deleted row at 0
    priced = {uid: r for uid, r in b.rates.items() if uid not in (m_uid, del_uid)}
    assert bid.corrected_total == tender.corrected_total(priced)
    assert bid.items[q_uid].corrected == r2(tender.lines[q_uid].quantity * b.rates[q_uid])  # not the bidder's quantity
    assert bid.items[s_uid].stated == slip and bid.items[s_uid].corrected == slip - 100
    assert bid.missing == 2 and bid.missing_value == tender.lines[m_uid].amount + tender.lines[del_uid].amount
    assert bid.added_amount == Decimal("250.00")
    slip_msg = next(a for a in bid.anomalies if a.kind == "arithmetic error")
    assert (slip_msg.stated, slip_msg.corrected) == (slip, slip - 100)
    assert "the unit rate prevails" in slip_msg.message and slip_msg.column == "F" and slip_msg.sheet
    qty_msg = next(a for a in bid.anomalies if a.kind == "quantity changed")
    assert f"quantity changed from {tender.lines[q_uid].quantity:,.2f}" in qty_msg.message and qty_msg.column == "D"
    # stated: the grand total the bidder typed is what the bid says it costs
    assert bid.stated_total == Decimal(999999) and bid.stated_source == "the workbook's grand total"


def test_incomplete_bids_rank_after_complete_ones(tender: Tender, tmp_path: Path) -> None:
    cheap = Bidder(tender, "0.8")
    ws, row, _ = cheap.find(0, 0)
    ws[f"E{row}"] = None
    dear = Bidder(tender, "1.2")
    mid = Bidder(tender, "1.0")
    paths = [cheap.save(tmp_path / "cheap.xlsx"), dear.save(tmp_path / "dear.xlsx"), mid.save(tmp_path / "mid.xlsx")]
    ev = evaluate(tender.programme, paths)
    assert [(b.rank, b.file) for b in ev.bids] == [(1, "mid.xlsx"), (2, "dear.xlsx"), (3, "cheap.xlsx")]
    # rates 20 % below or above are within ±30 %; at ±15 % they are flagged
    assert all(b.low == b.high == 0 for b in ev.bids)
    ev = evaluate(tender.programme, paths, Decimal(15))
    by_file = {b.file: b for b in ev.bids}
    assert by_file["dear.xlsx"].high > 400 and by_file["dear.xlsx"].low == 0
    assert by_file["cheap.xlsx"].low > 400 and by_file["mid.xlsx"].low == by_file["mid.xlsx"].high == 0


def test_a_workbook_from_another_tender_is_refused(tender: Tender, tmp_path: Path, minilib: Path) -> None:
    other = copy.deepcopy(tender.programme)
    other.reference = "OTHER-2025-07"
    other_boq = tmp_path / "other.boq"
    Project.create(other_boq, other).close()
    assert main(["export", str(other_boq), "--xlsx", str(tmp_path / "other.xlsx"), "--unpriced"]) == 0
    # the same tender, but the programme's quantities changed after it was issued
    revised = copy.deepcopy(tender.programme)
    revised.facilities[0].bills[0].items[0].quantity += 1
    valid = Bidder(tender, "1").save(tmp_path / "valid.xlsx")
    not_a_tender = tmp_path / "notes.xlsx"
    openpyxl.Workbook().save(not_a_tender)
    ev = evaluate(tender.programme, [tmp_path / "other.xlsx", valid, not_a_tender])
    assert [b.file for b in ev.bids] == ["valid.xlsx"]
    reasons = {r.file: r.reason for r in ev.refused}
    assert "not of this tender 'NWS-HF-2024-RB-01'" in reasons["other.xlsx"]
    assert reasons["other.xlsx"].startswith("other.xlsx: is the tender workbook of 'OTHER-2025-07'")
    assert "no '_tender' sheet" in reasons["notes.xlsx"]
    ev = evaluate(revised, [valid])
    assert ev.bids == [] and "quantities have changed since" in ev.refused[0].reason


def test_cli_in_process_json_and_report(tender: Tender, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = Bidder(tender, "1.1"), Bidder(tender, "0.95")
    ws, row, uid = b.find(0, 1)
    ws[f"F{row}"] = 1.0  # an arithmetic slip
    paths = [a.save(tmp_path / "a.xlsx"), b.save(tmp_path / "b.xlsx")]
    report = tmp_path / "evaluation.xlsx"
    code = main(["bids", str(tender.boq), *map(str, paths), "--json", "--report", str(report), "--threshold", "5"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["currency", "revision", "bidders", "lots", "recommendation"]
    # no company name in either bidder block: each is named by its file, and said so
    assert [(x["name"], x["file"], x["status"]) for x in data["bidders"]] == [("a", "a.xlsx", "evaluated"),
                                                                             ("b", "b.xlsx", "evaluated")]
    assert "no company name" in data["bidders"][0]["reasons"][0]
    facilities = price(tender.programme).facilities
    assert [lot["lot"] for lot in data["lots"]] == list(range(1, len(facilities) + 1))
    for lot, ft in zip(data["lots"], facilities, strict=True):
        # the engineer's lot total, without the programme's markups; the bids corrected on the same basis
        assert lot["estimate"] == f"{ft.total:.2f}" and lot["name"] == ft.facility.name
        expected = {k: sum((amount(ln, x.rates[ln.item.uid]) for bt in ft.bills for ln in bt.lines), Decimal(0))
                    for k, x in (("a", a), ("b", b))}
        assert [(r["bidder"], r["corrected_total"], r["status"]) for r in lot["ranking"]] == [
            ("b", f"{expected['b']:.2f}", "compliant"), ("a", f"{expected['a']:.2f}", "compliant")]
    # the sample allows 3 lots per bidder: with two bidders, 6 of the 15 lots are awarded
    assert tender.programme.particulars.max_lots_per_bidder == 3
    won = [lot["recommended"] for lot in data["lots"]]
    assert (won.count("a"), won.count("b"), won.count(None)) == (3, 3, len(facilities) - 6)
    first = data["lots"][0]["ranking"][0]
    # no calculated values in a file saved by openpyxl: the read total is the sum of the stated amounts
    stated = sum((Decimal("1.00") if ln.item.uid == uid else amount(ln, b.rates[ln.item.uid])
                  for bt in facilities[0].bills for ln in bt.lines), Decimal(0))
    assert first["read_total"] == f"{stated:.2f}"
    assert any("the unit rate prevails" in text for text in first["anomalies"])
    assert [(r["lot"], r["bidder"]) for r in data["recommendation"]] == [
        (lot["lot"], lot["recommended"]) for lot in data["lots"] if lot["recommended"]]
    wb = openpyxl.load_workbook(report)
    assert wb.sheetnames == ["Comparative bid analysis"] + [f"Lot {n}" for n in range(1, len(facilities) + 1)]
    lot1 = wb["Lot 1"]
    rows = [[c.value for c in r] for r in lot1.iter_rows()]
    ranked = next(i for i, r in enumerate(rows) if r[0] == "Rank")
    assert rows[ranked + 1][:2] == [1, "b"] and Decimal(str(rows[ranked + 1][3])) == Decimal(first["corrected_total"])
    # text output and a bad threshold
    assert main(["bids", str(tender.boq), str(paths[1])]) == 0
    out = capsys.readouterr().out
    assert "arithmetic error" in out and "the unit rate prevails" in out and "Lot 1:" in out
    assert main(["bids", str(tender.boq), str(paths[1]), "--threshold", "0"]) == 1
    assert "greater than 0" in capsys.readouterr().err


def test_worker_processes_give_the_same_evaluation(tender: Tender, tmp_path: Path) -> None:
    bidders = [Bidder(tender, f) for f in ("0.9", "1.0", "1.1")]
    ws, row, _ = bidders[0].find(0, 0)
    ws[f"E{row}"] = None
    paths = [b.save(tmp_path / f"bid{n}.xlsx") for n, b in enumerate(bidders)]
    seen: list[tuple[int, int]] = []
    alone = evaluate(tender.programme, paths, workers=1, progress=lambda done, total: seen.append((done, total)))
    assert list(dict.fromkeys(seen)) == [(0, 3), (1, 3), (2, 3), (3, 3)]  # repeated while a bid is read
    pooled = evaluate(tender.programme, paths, workers=2)
    assert [(b.file, b.rank, b.corrected_total, b.stated_total, b.counts()) for b in pooled.bids] == \
        [(b.file, b.rank, b.corrected_total, b.stated_total, b.counts()) for b in alone.bids]
    assert pooled.bids[0].items == alone.bids[0].items


KILLED_HELPER = """
import json, os, sys, time
from pathlib import Path
from estimator.analysis import bidassess
from estimator.analysis.bids import evaluate
from estimator.store import load
assert bidassess.start_method() == "fork"  # as `boq bids` reads them: this process and a forked helper
parent, read = os.getpid(), bidassess.assess
def assess(path, *args):
    if os.getpid() != parent:
        os._exit(9)  # the helper dies on the first bid it takes
    time.sleep(0.3)  # this process reads slowly: the helper takes one bid meanwhile
    return read(path, *args)
bidassess.assess = assess
ev = evaluate(load(Path(sys.argv[1])), [Path(p) for p in sys.argv[2:]], workers=2)
print(json.dumps({"bids": [[b.file, str(b.corrected_total)] for b in ev.bids],
                  "refused": [[r.file, r.reason] for r in ev.refused]}))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="helpers are forked on Linux only")
def test_a_helper_killed_while_reading_refuses_only_its_bid(tender: Tender, tmp_path: Path) -> None:
    """`boq bids` reads bids in this process and forked helpers; a helper that dies (killed, out of
    memory) costs the bid it was reading, named as refused, and nothing else (run in a child process:
    the test process has Qt loaded, which is never forked)."""
    import subprocess

    paths = [Bidder(tender, "1").save(tmp_path / f"b{n}.xlsx") for n in range(4)]
    done = subprocess.run([sys.executable, "-c", KILLED_HELPER, str(tender.boq), *map(str, paths)],
                          capture_output=True, text=True, timeout=120, check=True)
    result = json.loads(done.stdout)
    assert len(result["refused"]) == 1 and "the process reading it stopped" in result["refused"][0][1]
    assert sorted([f for f, _ in result["bids"]] + [result["refused"][0][0]]) == [p.name for p in paths]
    assert {total for _, total in result["bids"]} == {str(tender.corrected_total(Bidder(tender, "1").rates))}


CANCELLED_WITH_HELPERS = """
import multiprocessing, os, sys, time
from pathlib import Path
from estimator.analysis import bidassess
from estimator.analysis.bids import evaluate
from estimator.errors import Cancelled
from estimator.store import load
assert bidassess.start_method() == "fork"
parent, read = os.getpid(), bidassess.assess
def assess(path, *args):
    if os.getpid() != parent:
        time.sleep(5)  # a helper still reading when the user cancels
    return read(path, *args)
bidassess.assess = assess
def cancel(done, total):
    if done >= 1:
        raise Cancelled("bid evaluation")
try:
    evaluate(load(Path(sys.argv[1])), [Path(p) for p in sys.argv[2:]], workers=2, progress=cancel)
except Cancelled as exc:
    time.sleep(0.5)
    print(exc, len(multiprocessing.active_children()))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="helpers are forked on Linux only")
def test_a_cancel_ends_the_forked_helpers(tender: Tender, tmp_path: Path) -> None:
    """As `boq bids` reads (this process and a forked helper): a cancel while this process reads a
    bid raises `Cancelled` and no helper is left reading."""
    import subprocess

    paths = [Bidder(tender, "1").save(tmp_path / f"b{n}.xlsx") for n in range(6)]
    done = subprocess.run([sys.executable, "-c", CANCELLED_WITH_HELPERS, str(tender.boq), *map(str, paths)],
                          capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "bid evaluation cancelled; nothing was written 0"  # no helper left


@pytest.mark.parametrize("workers", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_a_cancelled_evaluation_stops(tender: Tender, tmp_path: Path, workers: int) -> None:
    from estimator.errors import Cancelled

    paths = [Bidder(tender, "1").save(tmp_path / f"b{n}.xlsx") for n in range(3)]

    def cancel(done: int, total: int) -> None:
        if done >= 1:
            raise Cancelled("bid evaluation")

    with pytest.raises(Cancelled, match="bid evaluation cancelled"):
        evaluate(tender.programme, paths, workers=workers, progress=cancel)


@pytest.mark.parametrize("lang", ["both", "ar"])
def test_bilingual_and_arabic_tenders(tender: Tender, tmp_path: Path, lang: str) -> None:
    xlsx = tmp_path / f"tender-{lang}.xlsx"
    assert main(["export", str(tender.boq), "--xlsx", str(xlsx), "--unpriced", "--lang", lang]) == 0
    b = Bidder(tender, "1.05", xlsx, lang)
    ws, row, uid = b.find(0, 1)
    arabic = b.col["description_ar"] if lang == "both" else b.col["description"]
    ws[f"{arabic}{row}"] = "بند مختلف"  # the Arabic description changed
    ev = evaluate(tender.programme, [b.save(tmp_path / f"bid-{lang}.xlsx")])
    assert ev.refused == []
    assert kinds(ev, f"bid-{lang}.xlsx") == {("description changed", tender.lines[uid].item.ref)}
    assert ev.bids[0].corrected_total == tender.corrected_total(b.rates)
    assert ev.bids[0].anomalies[0].column == arabic
