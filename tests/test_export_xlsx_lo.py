"""The Excel BoQ recalculated by a real spreadsheet engine (LibreOffice headless): every amount and
total equals `boq price` to the cent, the tender copy works as a form, and text stays text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from estimator.export.xlsx import write_xlsx
from estimator.export.xlsx_layout import HEADER_ROW, TENDER_SHEET, letters, read_tender
from estimator.model import FIXED_SUMS, Bill, Facility, Programme
from estimator.money import round_money, to_decimal
from estimator.pricing import Estimate, price
from estimator.store import Project, load
from estimator.synthetic import generate
from tests.support.libreoffice import computed, convert
from tests.test_export_xlsx import HOSTILE_DESCRIPTIONS, item_rows, small_programme

pytestmark = pytest.mark.libreoffice


def money(value: Any) -> Decimal:
    """A recalculated cell as exact money; it must already be within a rounding error of a cent."""
    assert isinstance(value, int | float), value
    exact = to_decimal(value)
    cents = round_money(exact)
    assert abs(exact - cents) < Decimal("0.000001"), f"{value!r} is not a whole number of cents"
    return cents


def cli_price_json(path: Path) -> dict[str, Any]:
    run = subprocess.run([sys.executable, "-m", "estimator", "price", str(path), "--json"], capture_output=True,
                         text=True, timeout=120, env=dict(os.environ), check=False)
    assert run.returncode == 0, run.stderr
    result: dict[str, Any] = json.loads(run.stdout)
    return result


def workbook_totals(values: dict[str, list[list[Any]]]) -> dict[str, Any]:
    """The recalculated workbook's totals in the shape of `Estimate.to_json()`."""
    info = read_tender(values[TENDER_SHEET])
    assert info is not None
    summary = values[info.values["summary_sheet"]]
    rows = summary[HEADER_ROW:]  # after the column headers
    facilities = []
    for number, sheet in enumerate(info.facilities):
        total_row, col = int(sheet.total_cell[1:]), ord(sheet.total_cell[0]) - ord("A")
        total = money(values[sheet.sheet][total_row - 1][col])
        assert money(rows[number][3]) == total  # the General Summary carries the facility total
        facilities.append({"name": rows[number][1], "total": f"{total:.2f}"})
    subtotal_at = len(info.facilities)
    markups = [r for r in rows[subtotal_at + 1:] if r[2] is not None]
    return {
        "currency": info.values["currency"],
        "facilities": facilities,
        "subtotal": f"{money(rows[subtotal_at][3]):.2f}",
        "markups": [{"percent": to_decimal(r[2]), "amount": f"{money(r[3]):.2f}"} for r in markups],
        "grand_total": f"{money(rows[subtotal_at + 1 + len(markups)][3]):.2f}",
    }


def expected_totals(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "currency": data["currency"],
        "facilities": [{"name": f["name"], "total": f["total"]} for f in data["facilities"]],
        "subtotal": data["subtotal"],
        "markups": [{"percent": Decimal(m["percent"]), "amount": m["amount"]} for m in data["markups"]],
        "grand_total": data["grand_total"],
    }


def check_lines(values: dict[str, list[list[Any]]], est: Estimate, lang: str = "en") -> int:
    """Every recalculated amount and bill total equals the priced line; returns the lines checked."""
    info = read_tender(values[TENDER_SHEET])
    assert info is not None
    idx = {k: ord(v) - ord("A") for k, v in letters(lang).items()}
    checked = 0
    for sheet, ft in zip(info.facilities, est.facilities, strict=True):
        rows = values[sheet.sheet]
        by_uid = {row[idx["uid"]]: row for row in rows[HEADER_ROW:] if len(row) > idx["uid"] and row[idx["uid"]]}
        for bt in ft.bills:
            for ln in bt.lines:
                row = by_uid[ln.item.uid]
                assert money(row[idx["amount"]]) == ln.amount, (sheet.sheet, ln.item.ref)
                checked += 1
        if lang == "en":
            bill_totals = [money(r[idx["amount"]]) for r in rows[HEADER_ROW:]
                           if "carried to summary" in str(r[idx["description"]])]
            assert bill_totals == [bt.total for bt in ft.bills], sheet.sheet
    return checked


def test_priced_sample_recalculates_to_boq_price(sample_file: Path, tmp_path: Path) -> None:
    programme = load(sample_file)
    est = price(programme)
    out = tmp_path / "boq.xlsx"
    write_xlsx(programme, out)
    values = computed(out, tmp_path / "lo")
    got = workbook_totals(values)
    assert got == expected_totals(est.to_json())
    assert got == expected_totals(cli_price_json(sample_file))  # the command line, on the same .boq file
    assert check_lines(values, est) == programme.item_count()
    # the results the file carries for viewers that do not calculate are the ones LibreOffice computes
    cached = openpyxl.load_workbook(out, data_only=True)
    compared = 0
    for ws in cached.worksheets:
        for row, lo_row in zip(ws.iter_rows(values_only=True), values[ws.title], strict=True):
            for mine, theirs in zip(row, lo_row, strict=False):
                if isinstance(theirs, int | float) and not isinstance(theirs, bool):
                    assert mine is not None and abs(mine - theirs) < 1e-9, (ws.title, row)
                    compared += 1
    assert compared > 3 * programme.item_count()


def test_generated_programme_recalculates_to_the_cent(tmp_path: Path) -> None:
    """Unit conversions, TRY and SYP own rates, a 5 % markup: 1,800 lines of double arithmetic."""
    programme = generate(6, 300, seed=7)
    path = tmp_path / "gen.boq"
    Project.create(path, programme).close()
    est = price(programme)
    out = tmp_path / "gen.xlsx"
    write_xlsx(programme, out, lang="both")
    values = computed(out, tmp_path / "lo")
    assert workbook_totals(values) == expected_totals(cli_price_json(path)) == expected_totals(est.to_json())
    assert check_lines(values, est, "both") == 1800


def test_tender_copy_is_a_working_form(sample_programme: Programme, tmp_path: Path) -> None:
    """Empty rates give totals of the provisional and prime cost sums alone; a bidder who types the
    engineer's rates gets the estimate before the employer's markups (no contingency in a bid)."""
    est = price(sample_programme)
    fixed = sum((ln.amount for ft in est.facilities for bt in ft.bills for ln in bt.lines if ln.item.kind in FIXED_SUMS),
                Decimal(0))
    assert fixed > 0 and est.markups  # the sample has provisional sums and a contingency
    tender = tmp_path / "tender.xlsx"
    write_xlsx(sample_programme, tender, priced=False, lang="ar")
    blank = workbook_totals(computed(tender, tmp_path / "lo1"))
    assert blank["subtotal"] == blank["grand_total"] == f"{fixed:.2f}" and blank["markups"] == []
    # the bidder fills in the rate cells (found by uid, as `boq bids` will) and saves
    wb = openpyxl.load_workbook(tender)
    info = read_tender(wb[TENDER_SHEET].iter_rows(values_only=True))
    assert info is not None
    rate = info.columns["rate"]
    for sheet, ft in zip(info.facilities, est.facilities, strict=True):
        ws = wb[sheet.sheet]
        rows = item_rows(ws, "ar")
        for ln in (ln for b in ft.bills for ln in b.lines if ln.item.kind not in FIXED_SUMS):
            ws[f"{rate}{rows[ln.item.uid]}"] = float(ln.rate)
    bid = tmp_path / "bid" / "returned.xlsx"
    bid.parent.mkdir()
    wb.save(bid)
    filled = computed(bid, tmp_path / "lo2")
    expected = expected_totals(est.to_json())  # an Arabic sheet names the lots in Arabic
    expected["markups"], expected["grand_total"] = [], expected["subtotal"]  # the bidder adds no contingency
    expected["facilities"] = [{**f, "name": ft.facility.display_name("ar")} for f, ft in zip(expected["facilities"], est.facilities, strict=True)]
    assert any(f["name"] != ft.facility.name for f, ft in zip(expected["facilities"], est.facilities, strict=True))
    assert workbook_totals(filled) == expected
    assert check_lines(filled, est, "ar") == sample_programme.item_count()


def test_text_stays_text_and_odd_names_still_add_up(tmp_path: Path) -> None:
    """Formula-like descriptions stay text after a real recalculation; sheet references survive
    apostrophes, Arabic, duplicate and over-long facility names; empty facilities and bills total 0."""
    programme = small_programme(descriptions=HOSTILE_DESCRIPTIONS)
    for name in ("Dr. O'Neil's Clinic", "مستشفى الحكمة التخصصي في مدينة إدلب", "Dr. O'Neil's Clinic",
                 "Women and Family Health Centre (Sharran), northern Aleppo"):
        extra = small_programme(facility=name).facilities[0]
        programme.facilities.append(extra)
    programme.facilities.append(Facility("Empty facility"))
    programme.facilities[1].bills.append(Bill("3 Nothing yet"))
    out = tmp_path / "boq.xlsx"
    write_xlsx(programme, out)
    values = computed(out, tmp_path / "lo")
    assert len(values) == len(programme.facilities) + 2
    sheet = next(name for name in values if name not in ("General Summary", TENDER_SHEET))
    texts = [row[1] for row in values[sheet]]
    for description in HOSTILE_DESCRIPTIONS:
        assert description in texts, description
    assert workbook_totals(values) == expected_totals(price(programme).to_json())


def test_printed_pages_repeat_headers_and_number_pages(tmp_path: Path) -> None:
    """LibreOffice's print (PDF) of a long bill: column headers on every page, "Page x of y", the
    facility in the footer, the tender reference in the header, and no column cut off the page."""
    import pdfplumber

    descriptions = tuple(f"Internal cement plaster to walls, room {n}, two coats, 20 mm" for n in range(150))
    out = tmp_path / "boq.xlsx"
    write_xlsx(small_programme(descriptions=descriptions, facility="Harim General Hospital"), out, priced=False)
    pdf = convert(out, "pdf", tmp_path / "lo")
    with pdfplumber.open(pdf) as doc:
        pages = [page.extract_text() or "" for page in doc.pages]
    assert len(pages) >= 4
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "NWS-T-01" in page and "Bidder's signature and stamp" in page
    facility_pages = pages[1:]
    for page in facility_pages:
        assert "Item Description Unit Quantity Rate (USD) Amount (USD)" in page  # print titles, all columns
        assert "Harim General Hospital" in page
    assert "Company name" in facility_pages[-1] and "Stamp" in facility_pages[-1]
