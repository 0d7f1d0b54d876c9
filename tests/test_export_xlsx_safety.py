"""The Excel BoQ under hostile text, failures and cancellation: text stays text, a failed or
cancelled export leaves nothing behind, and the fast row writer matches openpyxl's own."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.worksheet import _writer as openpyxl_writer

from estimator.errors import Cancelled, UserError
from estimator.export.xlsx import build, write_xlsx
from estimator.export.xlsx_layout import MAX_SHEET_NAME, TENDER_SHEET, sheet_names
from estimator.model import Item, Programme
from estimator.pricing import price
from tests.test_export_xlsx import HOSTILE_DESCRIPTIONS, export, facility_sheets, item_rows, small_programme


def hostile_programme() -> Programme:
    programme = small_programme(descriptions=HOSTILE_DESCRIPTIONS, facility="=Harim+Hospital")
    bill = programme.facilities[0].bills[0]
    bill.name = "-1 Plastering"
    bill.items[0].description_ar = "=1+2"
    return programme


@pytest.mark.parametrize("lang", ["en", "both"])
def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path, lang: str) -> None:
    programme = hostile_programme()
    wb = export(programme, tmp_path / "boq.xlsx", lang=lang)
    ws = facility_sheets(wb)[0]
    desc = "B"
    rows = item_rows(ws, lang)
    for item in programme.facilities[0].bills[0].items:
        cell = ws[f"{desc}{rows[item.uid]}"]
        assert cell.data_type == "s" and cell.value == item.description, item.description
        assert cell.quotePrefix == item.description.startswith(("=", "+", "-", "@", "\t")), item.description
    if lang == "both":
        assert ws[f"C{rows[programme.facilities[0].bills[0].items[0].uid]}"].value == "=1+2"
    assert ws["B4"].value.startswith("=Harim+Hospital") and ws["B4"].data_type == "s"
    assert wb["General Summary"]["B6"].value == "=Harim+Hospital"
    assert any(c.value == "-1 Plastering" for row in ws.iter_rows() for c in row)
    # in the file itself: no formula element holds any of these texts
    with zipfile.ZipFile(tmp_path / "boq.xlsx") as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>HYPERLINK" not in xml and "<f>1+1" not in xml and "<f>cmd" not in xml and "<f>SUM(A1:A9)" not in xml


def test_unwritable_characters_are_dropped_and_huge_text_refused(tmp_path: Path) -> None:
    programme = small_programme(descriptions=("bell\x07 and null\x00 removed", "carriage\rreturn"))
    wb = export(programme, tmp_path / "boq.xlsx")
    values = [c.value for row in facility_sheets(wb)[0].iter_rows(min_col=2, max_col=2) for c in row]
    assert "bell and null removed" in values
    assert "carriage\nreturn" in values or "carriage\rreturn" in values  # XML turns CR into LF
    programme.facilities[0].bills[0].items[1].description = "x" * 40_000
    out = tmp_path / "long.xlsx"
    with pytest.raises(UserError, match=r"item '1.2': description has 40,000 characters, more than the 32,767 allowed"):
        write_xlsx(programme, out)
    assert list(tmp_path.iterdir()) == [tmp_path / "boq.xlsx"]


def test_failed_save_leaves_the_old_file_and_no_temporary_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "boq.xlsx"
    out.write_bytes(b"the previous export")

    def broken_save(self: Any, filename: Any) -> None:
        Path(filename).write_bytes(b"PK\x03\x04 half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(OSError, match="No space left"):
        write_xlsx(small_programme(), out)
    assert list(tmp_path.iterdir()) == [out] and out.read_bytes() == b"the previous export"
    assert all(not Path(p).exists() for p in openpyxl_writer.ALL_TEMP_FILES)


@pytest.mark.parametrize("at", ["start", "third sheet", "file complete"])
def test_cancel_writes_nothing(tmp_path: Path, sample_programme: Programme, at: str) -> None:
    out = tmp_path / "boq.xlsx"

    def progress(done: int, total: int) -> None:
        if done == {"start": 0, "third sheet": 3, "file complete": total}[at]:
            raise Cancelled("export")

    before = set(openpyxl_writer.ALL_TEMP_FILES)
    with pytest.raises(Cancelled):
        write_xlsx(sample_programme, out, progress=progress)
    assert list(tmp_path.iterdir()) == []
    assert all(not Path(p).exists() for p in set(openpyxl_writer.ALL_TEMP_FILES) - before)  # sheets streamed so far


def test_priced_export_refuses_a_programme_that_does_not_price(tmp_path: Path) -> None:
    programme = small_programme()
    programme.facilities[0].bills[1].items.append(Item("Mystery item", Decimal(1), "nr", ref="2.2"))
    out = tmp_path / "boq.xlsx"
    with pytest.raises(UserError, match=r"1 item cannot be priced \(fix it[\s\S]*bill '2 Doors', item '2.2': has no rate") as info:
        write_xlsx(programme, out)
    assert "--unpriced" in str(info.value) and not out.exists()
    write_xlsx(programme, out, priced=False)  # the tender copy needs no rates
    rows = item_rows(facility_sheets(openpyxl.load_workbook(out))[0])
    assert len(rows) == 4


def test_unknown_language_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="language 'fr'"):
        write_xlsx(small_programme(), tmp_path / "x.xlsx", lang="fr")


@pytest.mark.parametrize(("priced", "lang"), [(True, "en"), (False, "ar"), (False, "both")])
def test_fast_row_writer_matches_openpyxl(tmp_path: Path, priced: bool, lang: str) -> None:
    """The raw-XML row writer and openpyxl's public cells give the same workbook, cell for cell."""
    programme = hostile_programme()
    programme.facilities[0].bills[0].items[1].description = "Very long description " * 12
    books = []
    for fast in (True, False):
        wb = build(programme, price(programme), priced=priced, lang=lang, fast=fast)
        wb.save(tmp_path / f"{fast}.xlsx")
        books.append(openpyxl.load_workbook(tmp_path / f"{fast}.xlsx"))
    fast_wb, slow_wb = books
    assert fast_wb.sheetnames == slow_wb.sheetnames
    for a, b in zip(fast_wb.worksheets, slow_wb.worksheets, strict=True):
        assert (a.max_row, a.max_column) == (b.max_row, b.max_column), a.title
        for row_a, row_b in zip(a.iter_rows(), b.iter_rows(), strict=True):
            for x, y in zip(row_a, row_b, strict=True):
                assert (x.value, x.data_type, x.style, x.number_format, x.quotePrefix, x.protection.locked) == (
                    y.value, y.data_type, y.style, y.number_format, y.quotePrefix, y.protection.locked), x.coordinate
        heights = {r: d.height for r, d in a.row_dimensions.items() if d.height}
        assert heights == {r: d.height for r, d in b.row_dimensions.items() if d.height}, a.title
        assert {str(r) for r in a.merged_cells.ranges} == {str(r) for r in b.merged_cells.ranges}


@given(st.lists(st.text(min_size=0, max_size=60), min_size=1, max_size=30))
def test_sheet_names_are_always_valid_and_unique(names: list[str]) -> None:
    result = sheet_names(names, taken=["General Summary"])
    assert len(result) == len(names)
    folded = [n.casefold() for n in result]
    assert len(set(folded)) == len(folded) and "general summary" not in folded
    assert "history" not in folded and TENDER_SHEET not in folded
    for name in result:
        assert 0 < len(name) <= MAX_SHEET_NAME
        assert not set(name) & set("[]:*?/\\") and not any(ord(ch) < 32 for ch in name)
        assert not name.startswith("'") and not name.endswith("'") and name == name.strip()
