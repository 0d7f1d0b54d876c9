"""Work lists that lie about themselves or carry what no document can hold: formatted empty rows, a
row beyond the sheet's end, control characters, byte-order marks inside, endless lines and texts,
units and codes of thousands of characters, descriptions that are only invisible characters."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from estimator import worklist
from estimator.errors import UserError, ValidationFailed
from estimator.rates import current_library
from estimator.readers import UnreadableFile
from estimator.worklist import import_worklist
from tests.reliability import workbooks as wb
from tests.reliability.states import make_programme, state

HEADER = ["Facility", "Section", "Description", "Quantity", "Unit", "Rate"]


def _import(path: Path) -> list[tuple[str, str, str]]:
    prog = make_programme(1, 1)
    known = {(f.name, b.name, i.description) for f in prog.facilities for b in f.bills for i in b.items}
    import_worklist(prog, path, current_library().book)
    return [(f.name, b.name, i.description) for f in prog.facilities for b in f.bills for i in b.items
            if (f.name, b.name, i.description) not in known]


def _refused(path: Path) -> str:
    prog = make_programme(1, 1)
    before = state(prog)
    with pytest.raises(UserError) as info:
        import_worklist(prog, path, current_library().book)
    assert state(prog) == before
    return str(info.value)


def _with_rows(xml: str) -> object:
    return lambda data: data.replace(b"</sheetData>", xml.encode() + b"</sheetData>")


def test_formatted_empty_rows_are_not_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three rows and many formatted empty ones (a user formatted whole columns) were 'more than 200,000 rows'.
    The limit is lowered here so the test stays small; the rows are what Excel writes for formatted cells."""
    monkeypatch.setattr(worklist, "MAX_ROWS", 50)
    src = wb.write_xlsx(tmp_path / "src.xlsx", wb.good_rows(3))
    empty = "".join(f'<row r="{r}" customFormat="1" s="0"><c r="A{r}" s="0"/><c r="D{r}" s="0"/></row>'
                    for r in range(10, 600))
    path = wb.rewrite_part(src, tmp_path / "formatted.xlsx", wb.SHEET, _with_rows(empty))
    assert len(_import(path)) == 3


def test_a_row_beyond_the_last_row_of_a_sheet(tmp_path: Path) -> None:
    """A cell at row 200,000,000: the reader would produce 200 million empty rows first."""
    src = wb.write_xlsx(tmp_path / "src.xlsx", wb.good_rows(3))
    far = '<row r="200000000"><c r="A200000000" t="inlineStr"><is><t>x</t></is></c></row>'
    path = wb.rewrite_part(src, tmp_path / "far.xlsx", wb.SHEET, _with_rows(far))
    start = time.monotonic()
    with pytest.raises(UnreadableFile, match=r"far.xlsx: has a row beyond row 1,048,576"):
        list(worklist.read_rows(path))
    assert time.monotonic() - start < 120  # bounded by the sheet's size, not by the row number it states


def test_control_characters_and_inner_byte_order_marks_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "controls.csv"
    path.write_text("Facility,\ufeffSection,Description,Quantity,Unit,Rate\r\n"
                    "Harim\x1b[31m Hospital,Plaster\x1aing,Wall\ufffe\uffff\u009b one\x7f,1,m2,5\n"
                    "Harim Hospital,Plastering,Wall \x0b\x0ctwo,2,m2,5\r"
                    "Harim Hospital,Plastering,Wall three\u0085,3,m2,5\r\n", encoding="utf-8")
    assert _import(path) == [("Harim[31m Hospital", "Plastering", "Wall one"),
                             ("Harim Hospital", "Plastering", "Wall two"),
                             ("Harim Hospital", "Plastering", "Wall three")]


def test_a_description_of_invisible_characters_is_empty(tmp_path: Path) -> None:
    path = wb.write_csv(tmp_path / "blank.csv", [HEADER, ["F", "S", "\x1b\x1b\ufeff \x07", "1", "m2", "5"]])
    assert "blank.csv, row 2, column 'Description': is empty" in _refused(path)


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("Unit", "m" * 20_000, "column 'Unit': unit has 20,000 characters, more than the 32 allowed"),
        ("Facility", "F" * 5_000, "column 'Facility': name has 5,000 characters, more than the 200 allowed"),
    ],
)
def test_over_long_texts_are_refused_naming_the_cell_not_echoing_it(tmp_path: Path, column: str, value: str,
                                                                     expected: str) -> None:
    row = {"Facility": "F", "Section": "S", "Description": "d", "Quantity": "1", "Unit": "m2", "Rate": "5"}
    row[column] = value
    path = wb.write_xlsx(tmp_path / "long.xlsx", [HEADER, [row[c] for c in HEADER]])
    message = _refused(path)
    assert expected in message
    assert len(message) < 1_000


def test_a_description_longer_than_a_cell_holds(tmp_path: Path) -> None:
    """A CSV cell may be longer than a spreadsheet cell: 40,000 characters, refused at import as in both exports."""
    path = wb.write_csv(tmp_path / "long.csv", [HEADER, ["F", "S", "word " * 8_000, "1", "m2", "5"]])
    message = _refused(path)
    assert "column 'Description': description has 39,999 characters, more than the 32,767 allowed" in message
    assert len(message) < 1_000


def test_an_over_long_rate_code(tmp_path: Path) -> None:
    path = wb.write_csv(tmp_path / "code.csv", [[*HEADER[:5], "Code"], ["F", "S", "d", "1", "m2", "PL-" + "9" * 10_000]])
    message = _refused(path)
    assert "column 'Code': code has 10,003 characters, more than the 64 allowed" in message and len(message) < 1_000


def test_millions_of_columns_in_one_row(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(HEADER) + "\nF,S,d,1,m2,5" + "," * 3_000_000 + "x\n", encoding="utf-8")
    message = _refused(path)
    assert "wide.csv: line 2 is longer than 1,000,000 characters" in message


def test_content_past_the_thousandth_column(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(HEADER) + "\nF,S,d,1,m2,5" + "," * 1_500 + "x\nF,S,e,1,m2,5" + "," * 1_500 + "\n",
                    encoding="utf-8")
    assert "wide.csv, row 2: has 1,506 columns; a work list has at most 1,000" in _refused(path)
    path.write_text(",".join(HEADER) + "\nF,S,e,1,m2,5" + "," * 1_500 + "\n", encoding="utf-8")
    assert len(_import(path)) == 1  # empty cells past the end are what spreadsheets export


def test_mixed_line_endings_and_a_quoted_line_break(tmp_path: Path) -> None:
    path = tmp_path / "endings.csv"
    path.write_bytes(b"Facility,Section,Description,Quantity,Unit,Rate\r\nF,S,one,1,m2,5\nF,S,two,1,m2,5\r"
                     b'F,S,"three\r\nlines",1,m2,5\r\n')
    assert [d for _, _, d in _import(path)] == ["one", "two", "three lines"]


def test_zero_quantities_are_items_and_negative_ones_are_refused(tmp_path: Path) -> None:
    path = wb.write_csv(tmp_path / "q.csv", [HEADER, ["F", "S", "provisional", "0", "m2", "5"]])
    assert len(_import(path)) == 1
    path = wb.write_csv(tmp_path / "n.csv", [HEADER, ["F", "S", "credit", "-4", "m2", "5"]])
    with pytest.raises(ValidationFailed, match="is negative"):
        import_worklist(make_programme(1, 1), path, current_library().book)
