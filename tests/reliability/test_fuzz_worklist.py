"""Bad work lists, fuzzed and by hand: every case is a correct import or a ValidationFailed/UserError that
names the file (and row and column where there is one); never another exception, a hang or a
partial import (a refused import leaves the programme exactly as it was)."""

from __future__ import annotations

import csv
import io
import os
import time
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from openpyxl.utils.exceptions import IllegalCharacterError

from estimator.errors import UserError, ValidationFailed
from estimator.limits import clean
from estimator.model import Programme
from estimator.money import to_decimal
from estimator.rates import current_library
from estimator.worklist import MAX_ROWS, import_worklist
from tests.reliability import workbooks as wb
from tests.reliability.conftest import long_mode
from tests.reliability.states import item_count, make_programme, state

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
COLUMNS = ["Facility", "Section", "Description", "Quantity", "Unit", "Code", "Rate", "Currency", "Rate unit", "Beds",
           "Floor area (m2)", "Provisional", "الكمية", "Notes", "Junk"]
TEXT = st.one_of(
    st.sampled_from(["", " ", "Harim General Hospital", "مستشفى الأمل", "Plastering", "PL-010", "RC-900", "EL-500", "XX-1",
                     "sqm", "m²", "م2", "cum", "kg", "t", "Nr", "LS", "bananas", "USD", "TRY", "SYP", "EUR", "yes",
                     "1,234.5", "1.234,5", "١٢٣", "NaN", "inf", "-3", "1e30", "0", "-0", "12", "=1+1", "+cmd", "@x", "\t"]),
    st.text(max_size=12),
)
CELL = st.one_of(TEXT, st.none(), st.integers(-10, 10**6), st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
                 st.datetimes(), st.decimals(allow_nan=False, allow_infinity=False, places=3))


def _attempt(path: Path, programme: Programme | None = None) -> tuple[Programme, int | ValidationFailed | UserError]:
    """Import `path`; (programme, items added) or (programme, the error), checking the all-or-nothing rule."""
    prog = programme or make_programme(1, 4)
    before, count = state(prog), item_count(prog)
    try:
        import_worklist(prog, path, current_library().book)
    except UserError as exc:
        assert state(prog) == before, "a refused import changed the programme"
        assert path.name in str(exc), f"the message must name the file: {exc}"
        assert "Traceback" not in str(exc)
        if isinstance(exc, ValidationFailed):
            assert exc.problems and all(p.source == path.name for p in exc.problems)
        if currently_in_test_context():  # `--hypothesis-show-statistics` shows how many were refused
            event(f"refused: {type(exc).__name__}" + (f" {str(exc)[:90]}" if os.environ.get("FUZZ_DEBUG") else ""))
        return prog, exc
    if currently_in_test_context():
        event("imported")
    return prog, item_count(prog) - count


def _data_rows(rows: list[list[object]]) -> int:
    """Non-blank rows after the first non-blank one (the header)."""
    filled = [r for r in rows if any(c is not None and clean(str(c)).strip() for c in r)]
    return max(0, len(filled) - 1)


@FUZZ
@given(st.lists(st.sampled_from(COLUMNS), min_size=0, max_size=9, unique=True), st.data())
def test_fuzzed_csv_junk(tmp_path_factory: pytest.TempPathFactory, header: list[str], data: st.DataObject) -> None:
    rows = data.draw(st.lists(st.lists(TEXT, min_size=len(header), max_size=len(header)), max_size=8))
    text = io.StringIO()
    csv.writer(text).writerows([header, *rows])
    path = tmp_path_factory.mktemp("csv") / "worklist.csv"
    path.write_text(text.getvalue(), encoding="utf-8")
    _, result = _attempt(path)
    if isinstance(result, int):
        assert result == _data_rows([list(header), *rows])


QUANTITIES = {"12": "12", "1,234.5": "1234.5", "١٢٣": "123", "0.5": "0.5", "1.234,5": "1234.5", " 7 ": "7", "٣٫٥": "3.5"}
UNITS = {"PL-010": ["sqm", "m²", "M2", "ft2", "م2"], "RC-010": ["t", "kg", "Tonne"], "EL-500": ["nr", "No.", "each", "عدد"],
         "": ["LS", "item", "nr"]}


@st.composite
def _row(draw: st.DrawFn) -> dict[str, str]:
    """A row that is mostly right, with one of its cells sometimes replaced by junk."""
    code = draw(st.sampled_from(sorted(UNITS)))
    row = {
        "Facility": draw(st.sampled_from(["Harim General Hospital", "مستشفى الأمل", ""])),
        "Section": draw(st.sampled_from(["Plastering", "أعمال كهربائية", ""])),
        "Description": draw(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20).filter(str.strip)),
        "Quantity": draw(st.sampled_from(sorted(QUANTITIES))),
        "Unit": draw(st.sampled_from(UNITS[code])),
        "Code": code,
        "Rate": "" if code else draw(st.sampled_from(["1,250.50", "99", "0.5"])),
        "Currency": "" if code else draw(st.sampled_from(["TRY", "USD", "", "SYP"])),
    }
    if draw(st.integers(0, 4)) == 0:
        row[draw(st.sampled_from(sorted(row)))] = draw(TEXT)
    return row


@FUZZ
@given(st.permutations(wb.HEADER), st.lists(_row(), min_size=1, max_size=10), st.booleans())
def test_fuzzed_csv_rows(tmp_path_factory: pytest.TempPathFactory, header: list[str], rows: list[dict[str, str]],
                         as_xlsx: bool) -> None:
    """Plausible work lists with the odd bad cell: either every row is imported with its exact quantity,
    or the import is refused as a whole."""
    table: list[list[object]] = [list(header), *[[r[c] for c in header] for r in rows]]
    folder = tmp_path_factory.mktemp("rows")
    try:
        path = wb.write_xlsx(folder / "worklist.xlsx", table) if as_xlsx else wb.write_csv(folder / "worklist.csv", table)
    except IllegalCharacterError:  # a control character Excel cannot hold; CSV can
        path = wb.write_csv(folder / "worklist.csv", table)
    prog, result = _attempt(path, make_programme(1, 1))
    if isinstance(result, int):
        assert result == _data_rows(table)
        imported = sorted((it.description, it.quantity) for f in prog.facilities for b in f.bills for it in b.items
                          if not it.description.startswith(("PL-010 at", "RC-010 at", "RC-020 at", "RC-900 at",
                                                            "EL-500 at", "Own-rate item")))
        expected = sorted((" ".join(clean(r["Description"]).split()), to_decimal(QUANTITIES.get(r["Quantity"], r["Quantity"])))
                          for r in rows)
        assert imported == expected


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.permutations(COLUMNS[:8]), st.lists(st.lists(CELL, min_size=8, max_size=8), min_size=1, max_size=6))
def test_fuzzed_xlsx_with_typed_cells(tmp_path_factory: pytest.TempPathFactory, header: list[str], rows: list[list[object]]) -> None:
    path = tmp_path_factory.mktemp("xlsx") / "worklist.xlsx"
    try:
        wb.write_xlsx(path, [header, *rows])
    except (ValueError, TypeError, IllegalCharacterError):  # values openpyxl cannot write (control characters)
        return
    _, result = _attempt(path)
    if isinstance(result, int):
        assert result == _data_rows([list(header), *rows])


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=3000), st.sampled_from(["csv", "xlsx", "xls", "txt", "tsv", "xlsm", "ods"]))
def test_random_bytes(tmp_path_factory: pytest.TempPathFactory, blob: bytes, suffix: str) -> None:
    path = tmp_path_factory.mktemp("bytes") / f"worklist.{suffix}"
    path.write_bytes(blob)
    _attempt(path)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.floats(0, 1))
def test_truncated_xlsx(tmp_path_factory: pytest.TempPathFactory, fraction: float) -> None:
    folder = tmp_path_factory.mktemp("cut")
    full = wb.write_xlsx(folder / "full.xlsx", wb.good_rows(12)).read_bytes()
    cut = folder / "worklist.xlsx"
    cut.write_bytes(full[: int(len(full) * fraction)])
    _, result = _attempt(cut)
    assert isinstance(result, UserError) or (result == 12 and fraction == 1)


def _problems(path: Path) -> list[str]:
    _, result = _attempt(path)
    assert isinstance(result, UserError), f"expected a refusal, imported {result} items"
    return str(result).splitlines()


def test_missing_columns_are_named(tmp_path: Path) -> None:
    rows = [[*r[:3], r[4]] for r in wb.good_rows()]  # no Quantity
    lines = _problems(wb.write_csv(tmp_path / "worklist.csv", rows))
    assert "worklist.csv, row 1: header lacks required column(s) Quantity (found: Facility, Section, Description, Unit)" in lines[1]


def test_wrong_types_are_all_listed_at_once(tmp_path: Path) -> None:
    rows = wb.good_rows(4)
    rows[1][3], rows[2][4], rows[3][6], rows[3][7] = "ten", "bananas", "-5", "XX"
    rows[4][5] = "NO-SUCH"
    lines = _problems(wb.write_csv(tmp_path / "worklist.csv", rows))
    text = "\n".join(lines)
    assert "5 problems, nothing was changed" in lines[0]
    assert "worklist.csv, row 2, column 'Quantity': quantity: 'ten' is not a valid number" in text
    assert "worklist.csv, row 3, column 'Unit': unknown unit 'bananas'" in text
    assert "worklist.csv, row 4, column 'Rate': -5 is negative" in text
    assert "worklist.csv, row 4, column 'Currency'" in text
    assert "worklist.csv, row 5, column 'Code': rate code 'NO-SUCH' is not in the rate library" in text


def test_blank_rows_anywhere_are_skipped(tmp_path: Path) -> None:
    rows = wb.good_rows(6)
    blank: list[object] = [None] * len(rows[0])
    spaced = [blank, blank, rows[0], blank, *rows[1:4], [" ", "", None, "", "", "", "", ""], *rows[4:], blank, blank]
    for path in (wb.write_csv(tmp_path / "worklist.csv", spaced), wb.write_xlsx(tmp_path / "worklist.xlsx", spaced)):
        _, added = _attempt(path)
        assert added == 6


def test_merged_facility_and_section_cells(tmp_path: Path) -> None:
    """Work lists write the facility once in a merged block; merged cells read as the first cell's value
    followed by blanks, and a blank Facility or Section repeats the one above."""
    rows = wb.good_rows(6)
    for r in rows[2:]:
        r[0] = None
    rows[3][1] = rows[4][1] = None

    def merge(ws: object) -> None:
        ws.merge_cells("A2:A7")  # type: ignore[attr-defined]
        ws.merge_cells("B3:B5")  # type: ignore[attr-defined]

    path = wb.write_xlsx(tmp_path / "merged.xlsx", rows, edit=merge)
    assert openpyxl.load_workbook(path).active.merged_cells.ranges
    prog, added = _attempt(path)
    assert added == 6
    harim = prog.facility("Harim General Hospital")
    assert [(b.name, len(b.items)) for b in harim.bills] == [("Plastering", 5), ("Water tanks", 1)]


@pytest.mark.parametrize("encoding", ["cp1256", "latin-1", "utf-16"])
def test_wrong_encoding_says_what_to_do(tmp_path: Path, encoding: str) -> None:
    rows = wb.good_rows(3)
    rows[2][2] = "لياسة داخلية" if encoding != "latin-1" else "Crépi intérieur"
    lines = _problems(wb.write_csv(tmp_path / "worklist.csv", rows, encoding=encoding))
    assert lines[0].startswith("worklist.csv: line ")
    assert "is not UTF-8 text; in Excel use Save As > 'CSV UTF-8'" in lines[0]


def test_utf8_with_bom_and_semicolons_as_continental_excel_writes_them(tmp_path: Path) -> None:
    rows = wb.good_rows(3)
    rows[1][3] = "1.234,5"
    path = tmp_path / "worklist.csv"
    path.write_bytes(b"\xef\xbb\xbf" + wb.write_csv(tmp_path / "plain.csv", rows, delimiter=";").read_bytes())
    prog, added = _attempt(path)
    assert added == 3
    assert any(it.quantity == 1234.5 for b in prog.facility("Harim General Hospital").bills for it in b.items)


def test_legacy_xls_and_password_protected_workbooks(tmp_path: Path) -> None:
    """A real .xls written by LibreOffice; an encrypted .xlsx is the same kind of OLE2 container."""
    source = wb.write_csv(tmp_path / "worklist.csv", wb.good_rows(3))
    xls = wb.libreoffice(source, "xls", tmp_path)
    assert xls.read_bytes().startswith(wb.OLE_MAGIC)
    assert "legacy .xls workbooks are not read; save it as .xlsx or CSV UTF-8" in _problems(xls)[0]
    disguised = tmp_path / "protected.xlsx"
    disguised.write_bytes(xls.read_bytes())
    assert "password-protected workbook; remove the password and save it as .xlsx" in _problems(disguised)[0]
    as_csv = tmp_path / "exported.csv"
    as_csv.write_bytes(xls.read_bytes())
    assert "is a workbook, not CSV text" in _problems(as_csv)[0]
    assert "password-protected" in _problems(wb.ole_file(tmp_path / "encrypted.xlsx"))[0]


def test_empty_and_header_only_files(tmp_path: Path) -> None:
    assert "is empty: it needs a header row" in _problems(wb.write_csv(tmp_path / "empty.csv", []))[1]
    _, added = _attempt(wb.write_csv(tmp_path / "header.csv", [wb.HEADER]))
    assert added == 0


def test_a_giant_cell_and_nul_bytes(tmp_path: Path) -> None:
    rows = wb.good_rows(2)
    rows[1][2] = "x" * 200_000
    assert "worklist.csv: line 2: field larger than field limit" in _problems(wb.write_csv(tmp_path / "worklist.csv", rows))[0]
    nul = tmp_path / "nul.csv"
    nul.write_bytes(b"Facility,Section\x00,Description\n")
    assert "contains NUL bytes" in _problems(nul)[0]


def test_more_rows_than_a_work_list_may_have(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("estimator.worklist.MAX_ROWS", 50)
    lines = _problems(wb.write_csv(tmp_path / "worklist.csv", wb.good_rows(80)))
    assert "row 51: has more than 50 rows; split it into several work lists" in lines[1]
    assert MAX_ROWS >= 100_000


def _big_rows(count: int) -> list[list[object]]:
    rows: list[list[object]] = [list(wb.HEADER)]
    for i in range(count):
        rows.append([f"Facility {i // 5000}", f"Section {i // 250}", f"Internal plaster, location {i}", f"{i % 997}.5", "sqm",
                     "PL-010", "", ""])
    return rows


def test_twenty_thousand_rows(tmp_path: Path) -> None:
    _, added = _attempt(wb.write_csv(tmp_path / "worklist.csv", _big_rows(20_000)), make_programme(1, 1))
    assert added == 20_000


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_hundred_thousand_rows(tmp_path: Path, suffix: str, request: pytest.FixtureRequest) -> None:
    """Must finish in reasonable time (measured, not asserted: see docs/reliability.md)."""
    if not long_mode(request, "BOQ_BIG_WORKLISTS"):
        pytest.skip("100,000-row work lists: run with -m slow or set BOQ_BIG_WORKLISTS")
    rows = _big_rows(100_000)
    path = tmp_path / f"worklist.{suffix}"
    if suffix == "csv":
        wb.write_csv(path, rows)
    else:
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet()
        for row in rows:
            sheet.append(row)
        book.save(path)
    started = time.perf_counter()
    _, added = _attempt(path, make_programme(1, 1))
    seconds = time.perf_counter() - started
    assert added == 100_000
    print(f"\n100,000-row {suffix} work list ({os.path.getsize(path) / 1e6:.1f} MB): imported in {seconds:.1f} s")
