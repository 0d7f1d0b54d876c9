"""Work-list import: mixed units, TRY rates, Arabic headers, XLSX, and all-or-nothing errors."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from estimator.errors import ValidationFailed
from estimator.model import Programme
from estimator.pricing import price
from estimator.rates import current_library
from estimator.sample import new_programme
from estimator.worklist import import_worklist

HEADER = "Facility,Governorate,Facility type,Floor area (m2),Section,Code,Description,Description (Arabic),Quantity,Unit,Rate,Rate unit,Currency"
MIXED = """{header}
Test Hospital,Idlib,hospital,2500,Plastering,PL-010,Internal plaster,لياسة,1200,ft2,,,
,,,,Plastering,PL-010,Internal plaster 2,,35.5,sqm,,,
,,,,Plastering,PL-010,Internal plaster 3,,10,m²,,,
,,,,Concrete,RC-010,Rebar,,2350,kg,,,
,,,,Concrete,RC-020,Slab concrete,,12.5,cum,,,
,,,,Concrete,RC-900,Columns,,4,m³,,,
,,,,Electrical,EL-500,Panel,,1,Nr,,,
,,,,Labour,,Cleaning by local labour,,3,LS,4235,LS,TRY
,,,,Labour,,Edge trim,,250,cm,12.5,lm,USD
"""


def _write(tmp_path: Path, text: str, name: str = "wl.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _programme() -> Programme:
    prog = new_programme("Test")
    prog.set_fx("TRY", Decimal("42.35"), dt.date(2026, 11, 1))
    return prog


def test_mixed_units_and_try_rates_price_exactly(minilib: Path, tmp_path: Path) -> None:
    prog = _programme()
    result = import_worklist(prog, _write(tmp_path, MIXED.format(header=HEADER)), current_library().book)
    assert (result.items, result.facilities, result.bills) == (9, 1, 4)
    fac = prog.facilities[0]
    assert (fac.governorate, fac.facility_type, fac.floor_area) == ("Idlib", "hospital", Decimal("2500"))
    lines = {ln.item.description: ln for f in price(prog).facilities for b in f.bills for ln in b.lines}
    # PL-010 = 4.44/m2 (see tests for the build-up); 1200 ft2 -> 111.48 m2
    assert (lines["Internal plaster"].quantity, lines["Internal plaster"].amount) == (Decimal("111.48"), Decimal("494.97"))
    assert lines["Internal plaster 2"].amount == Decimal("157.62")  # 35.50 x 4.44
    assert lines["Rebar"].quantity == Decimal("2.35") and lines["Rebar"].unit == "t"
    assert lines["Cleaning by local labour"].rate == Decimal("100.00")  # 4235 TRY / 42.35
    assert lines["Edge trim"].quantity == Decimal("2.50") and lines["Edge trim"].amount == Decimal("31.25")
    assert [i.ref for i in fac.items()][:3] == ["1.1", "1.2", "1.3"]
    assert set(prog.rates.rates) == {"PL-010", "RC-010", "RC-020", "RC-900", "EL-500"}


def test_incompatible_row_fails_the_whole_import_with_its_row(minilib: Path, tmp_path: Path) -> None:
    bad = MIXED.format(header=HEADER) + ",,,,Concrete,RC-020,Slab by area,,40,m2,,,\n"
    prog = _programme()
    with pytest.raises(ValidationFailed) as info:
        import_worklist(prog, _write(tmp_path, bad), current_library().book)
    [problem] = info.value.problems
    assert (problem.source, problem.row, problem.column) == ("wl.csv", 11, "Unit")
    assert "m2" in problem.message and "m3" in problem.message
    assert prog.facilities == [] and prog.rates.rates == {}  # nothing imported


def test_every_problem_is_reported_at_once(minilib: Path, tmp_path: Path) -> None:
    text = f"""{HEADER}
H,,,,S,PL-010,ok,,10,m2,,,
H,,,,S,NOPE,unknown code,,10,m2,,,
H,,,,S,PL-010,bad qty,,ten,m2,,,
H,,,,S,PL-010,bad unit,,10,lumens,,,
H,,,,S,,no rate,,10,m2,,,
H,,,,S,,bad currency,,10,m2,5,,EUR
H,,,,S,PL-010,,,10,m2,,,
"""
    with pytest.raises(ValidationFailed) as info:
        import_worklist(_programme(), _write(tmp_path, text), current_library().book)
    got = {(p.row, p.column) for p in info.value.problems}
    assert got == {(3, "Code"), (4, "Quantity"), (5, "Unit"), (6, "Code"), (7, "Currency"), (8, "Description")}
    assert "wl.csv, row 4, column 'Quantity'" in str(info.value)


def test_missing_required_columns(minilib: Path, tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match=r"lacks required column.*Quantity, Unit"):
        import_worklist(_programme(), _write(tmp_path, "Facility,Section,Description\nA,B,C\n"), current_library().book)


def test_arabic_headers_any_order_and_xlsx(minilib: Path, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["الوحدة", "الكمية", "بيان الأعمال", "القسم", "المنشأة", "رمز البند", "المحافظة"])
    ws.append(["م2", 35.5, "لياسة داخلية", "لياسة", "مستشفى", "PL-010", "إدلب"])
    ws.append(["sqm", "1,000.5", "لياسة 2", None, None, "PL-010", None])  # merged/blank cells repeat the value above
    path = tmp_path / "wl.xlsx"
    wb.save(path)
    prog = _programme()
    import_worklist(prog, path, current_library().book)
    [fac] = prog.facilities
    assert fac.name == "مستشفى" and fac.governorate == "إدلب"
    assert [i.quantity for i in fac.items()] == [Decimal("35.5"), Decimal("1000.5")]


def test_contradicting_facility_data(minilib: Path, tmp_path: Path) -> None:
    text = f"{HEADER}\nH,Idlib,hospital,100,S,PL-010,a,,1,m2,,,\nH,Aleppo,hospital,100,S,PL-010,b,,1,m2,,,\n"
    with pytest.raises(ValidationFailed, match="Governorate Aleppo differs from Idlib given in row 2"):
        import_worklist(_programme(), _write(tmp_path, text), current_library().book)


def test_snapshot_keeps_rates_already_priced(minilib: Path, tmp_path: Path) -> None:
    prog = _programme()
    book = current_library().book
    import_worklist(prog, _write(tmp_path, MIXED.format(header=HEADER)), book)
    before = price(prog).grand_total
    import_worklist(prog, _write(tmp_path, MIXED.format(header=HEADER)), book)
    assert price(prog).grand_total == 2 * before


def test_arabic_section_names_name_the_bills(minilib: Path, tmp_path: Path) -> None:
    text = ("Facility,Section,Section (Arabic),Code,Description,Quantity,Unit\n"
            "H,1 Plastering,1 أعمال الطينة,PL-010,a,1,m2\n"
            "H,1 Plastering,,PL-010,b,2,m2\n")
    prog = _programme()
    import_worklist(prog, _write(tmp_path, text), current_library().book)
    [bill] = prog.facilities[0].bills
    assert (bill.name, bill.name_ar, len(bill.items)) == ("1 Plastering", "1 أعمال الطينة", 2)


def test_arabic_facility_names(minilib: Path, tmp_path: Path) -> None:
    text = ("Facility,Facility (Arabic),Section,Code,Description,Quantity,Unit\n"
            "Harim General Hospital,مشفى حارم العام,S,PL-010,a,1,m2\n"
            ",,S,PL-010,b,2,m2\n")
    prog = _programme()
    import_worklist(prog, _write(tmp_path, text), current_library().book)
    [fac] = prog.facilities
    assert fac.name_ar == "مشفى حارم العام"
    assert (fac.display_name("ar"), fac.display_name("en")) == ("مشفى حارم العام", "Harim General Hospital")
