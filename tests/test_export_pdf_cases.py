"""The PDF tender pack on awkward programmes: long bills, a row taller than a page, markup in user
text, unpriceable items, cancelling, and failures that must leave nothing behind."""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from estimator.errors import Cancelled, UserError
from estimator.export.pdf import write_pdf
from estimator.model import Bill, Facility, Item, Programme
from estimator.pricing import price
from estimator.store import Project
from estimator.synthetic import generate
from tests.test_export_pdf import LIST, Line, boq_sheets, money, read_pages, squash


def _small(sample: Programme, lots: int = 2) -> Programme:
    programme = copy.deepcopy(sample)
    programme.facilities = programme.facilities[:lots]
    return programme


LongBill = tuple[Programme, list[list[Line]]]


@pytest.fixture(scope="module")
def long_bill(tmp_path_factory: pytest.TempPathFactory) -> LongBill:
    """One lot with one bill of 1,800 items (a collection longer than a page) and one item whose
    description is longer than a whole page."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BOQ_RATES_DIR", str(Path(__file__).parent / "data" / "minilib"))
        programme = generate(1, 1800, seed=3)
    facility = programme.facilities[0]
    items = facility.items()
    giant = " ".join(f"word{i}" for i in range(2600))
    items.insert(600, Item(giant, Decimal("2"), "m2", rate_code=items[0].rate_code or "PL-010"))
    for n, item in enumerate(items, start=1):
        item.ref = f"1.{n}"
    facility.bills = [Bill("Everything", items=items)]
    out = tmp_path_factory.mktemp("longbill") / "long.pdf"
    write_pdf(programme, out)
    return programme, read_pages(out)


def test_long_bill_pages_add_up_and_its_collection_carries_forward(long_bill: LongBill) -> None:
    programme, pages = long_bill
    estimate = price(programme)
    sheets = boq_sheets(pages)
    assert len(sheets) > 45  # more pages than one collection page can list
    for sheet in sheets:
        assert sheet.carried == sum((r[4] for r in sheet.rows), Decimal(0)), sheet.page
    assert [r[0] for s in sheets for r in s.rows] == [it.ref for it in programme.facilities[0].items()]
    listed: list[Decimal] = []
    forward: list[tuple[str, Decimal]] = []
    bill_total = None
    for lines in pages:
        for line in lines:
            amount = line.within(LIST["amount"])
            if re.match(r"1/\d+ Total of page", line.text):
                listed.append(money(amount[0]))
            elif line.text.startswith(("Carried forward", "Brought forward")):
                forward.append((line.words[0].text, money(amount[0])))
            elif line.text.startswith("Total of bill 1 carried to lot summary"):
                bill_total = money(amount[0])
    assert listed == [s.carried for s in sheets]
    assert forward and forward[0][0] == "Carried" and forward[1] == ("Brought", forward[0][1])
    assert forward[0][1] == sum(listed[:_rows_before_forward(pages)], Decimal(0))
    assert bill_total == sum(listed, Decimal(0)) == estimate.facilities[0].bills[0].total


def _rows_before_forward(pages: list[list[Line]]) -> int:
    count = 0
    for lines in pages:
        for line in lines:
            if re.match(r"1/\d+ Total of page", line.text):
                count += 1
            if line.text.startswith("Carried forward"):
                return count
    raise AssertionError("no carried forward line")


def test_a_row_taller_than_a_page_continues_overleaf(long_bill: LongBill) -> None:
    programme, pages = long_bill
    giant = programme.facilities[0].items()[600]
    sheets = boq_sheets(pages)
    holder = next(s for s in sheets if any(r[0] == giant.ref for r in s.rows))
    assert holder.rows[-1][0] == giant.ref  # its figures stay on the page where it starts
    assert squash(holder.rows[-1][1]) == squash(giant.description)  # and its text runs on overleaf
    following = sheets[sheets.index(holder) + 1]
    assert following.page == holder.page + 1 and not following.rows and following.carried == 0


def test_user_text_is_printed_literally_not_as_markup(tmp_path: Path, sample_programme: Programme) -> None:
    programme = _small(sample_programme, 1)
    programme.name = "Clinics <i>North</i> & South"
    programme.organisation = "Health & Care <b>NGO</b>"
    programme.facilities[0].bills[0].items[0].description = "Paint <b>bold</b> walls & doors <br/> &amp; more"
    out = tmp_path / "markup.pdf"
    write_pdf(programme, out, lang="both")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    for literal in ("Clinics <i>North</i> & South", "Health & Care <b>NGO</b>", "Paint <b>bold</b> walls & doors",
                    "<br/> &amp; more"):
        assert literal in text


def test_priced_pack_refuses_items_that_cannot_be_priced(tmp_path: Path, sample_programme: Programme) -> None:
    programme = _small(sample_programme)
    programme.facilities[1].bills[0].items[0].rate_code = "NO-SUCH-RATE"
    programme.facilities[0].bills[0].items.append(Item("Cooler in TRY", Decimal(1), "nr", rate=Decimal(5000),
                                                       rate_currency="EUR"))
    out = tmp_path / "refused.pdf"
    with pytest.raises(UserError) as err:
        write_pdf(programme, out)
    message = str(err.value)
    assert "2 item(s) cannot be priced" in message and "NO-SUCH-RATE" in message and "EUR" in message
    assert not out.exists()
    write_pdf(programme, out, priced=False)  # bidders need no engineer's rates
    assert out.stat().st_size > 0


def test_cancel_leaves_nothing_and_progress_counts_lots(tmp_path: Path, sample_programme: Programme) -> None:
    programme = _small(sample_programme, 3)
    calls: list[tuple[int, int]] = []
    write_pdf(programme, tmp_path / "ok.pdf", progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3), (3, 3)]

    def cancel(done: int, total: int) -> None:
        if done == 2:
            raise Cancelled("PDF export")

    out = tmp_path / "cancelled.pdf"
    with pytest.raises(Cancelled):
        write_pdf(programme, out, progress=cancel)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.pdf"]


def test_failed_export_keeps_the_previous_file(tmp_path: Path, sample_programme: Programme,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "pack.pdf"
    out.write_bytes(b"previous pack")
    user = tmp_path / "userdata"
    (user / "templates" / "tender" / "en").mkdir(parents=True)
    (user / "templates" / "tender" / "en" / "02-instructions.md").write_text("# Instructions\n\nBy {deadlin}.\n")
    monkeypatch.setenv("BOQ_DATA_DIR", str(user))
    with pytest.raises(UserError, match=r"02-instructions\.md, line 3: unknown placeholder \{deadlin\}"):
        write_pdf(_small(sample_programme, 1), out)
    assert out.read_bytes() == b"previous pack"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack.pdf", "userdata"]


def test_bad_requests_are_user_errors(tmp_path: Path, sample_programme: Programme) -> None:
    with pytest.raises(UserError, match="language 'fr'"):
        write_pdf(sample_programme, tmp_path / "x.pdf", lang="fr")
    with pytest.raises(UserError, match="no items"):
        write_pdf(Programme("Empty", facilities=[Facility("Nothing")]), tmp_path / "x.pdf")
    with pytest.raises(UserError, match="does not exist"):
        write_pdf(_small(sample_programme, 1), tmp_path / "missing" / "x.pdf")


def test_cli_writes_a_bilingual_tender(tmp_path: Path, sample_programme: Programme) -> None:
    boq = tmp_path / "two.boq"
    Project.create(boq, _small(sample_programme)).close()
    out = tmp_path / "tender.pdf"
    done = subprocess.run([sys.executable, "-m", "estimator", "export", str(boq), "--pdf", str(out), "--unpriced",
                           "--lang", "both"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"wrote {out} (unpriced tender, both)" in done.stdout
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Form of bid" in text and "Instructions to bidders" in text
    assert re.search(r"Page 1 of (\d+)", text)
    bad = subprocess.run([sys.executable, "-m", "estimator", "export", str(tmp_path / "nope.boq"), "--pdf", str(out)],
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
