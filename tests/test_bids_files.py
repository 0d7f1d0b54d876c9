"""Returned workbooks that are damaged, hostile or not tender copies: a clear refusal naming the
file, never a traceback; and the streaming cell reader on the XML forms spreadsheets write."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from estimator.analysis.bids import evaluate
from estimator.analysis.xlsxscan import Cell, ErrorValue, Workbook
from estimator.cli import main
from estimator.readers import OLE_MAGIC, UnreadableFile
from tests.test_bids import Bidder, Tender, tender  # noqa: F401  (tender is a fixture)


def _rewrite(src: Path, dst: Path, part: str, change: object) -> Path:
    """Copy the xlsx `src` to `dst` with the XML of `part` passed through `change`."""
    assert callable(change)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, change(data) if info.filename == part else data)
    return dst


def test_damaged_hostile_and_foreign_workbooks_are_refused(tender: Tender, tmp_path: Path,  # noqa: F811
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(tender.xlsx.read_bytes()[:5000])
    legacy = tmp_path / "legacy.xlsx"
    legacy.write_bytes(OLE_MAGIC + b"\0" * 600)
    laughs = b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    hostile = _rewrite(Bidder(tender, "1").save(tmp_path / "b.xlsx"), tmp_path / "hostile.xlsx", "xl/worksheets/sheet2.xml",
                       lambda data: laughs + (data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data))
    moved = Bidder(tender, "1")
    moved.sheets()[2].insert_cols(2)
    stripped = Bidder(tender, "1")
    del stripped.wb["_tender"]
    priced = tmp_path / "priced.xlsx"
    assert main(["export", str(tender.boq), "--xlsx", str(priced)]) == 0
    files = [truncated, legacy, hostile, moved.save(tmp_path / "moved.xlsx"), stripped.save(tmp_path / "stripped.xlsx"),
             priced, tmp_path / "absent.xlsx"]
    capsys.readouterr()
    ev = evaluate(tender.programme, files)
    assert ev.bids == []
    reasons = {r.file: r.reason for r in ev.refused}
    assert reasons["truncated.xlsx"] == "truncated.xlsx: is damaged (File is not a zip file); save it again from Excel"
    assert "legacy .xls workbook or a password-protected workbook" in reasons["legacy.xlsx"]
    assert "cannot be read safely" in reasons["hostile.xlsx"] and "document type" in reasons["hostile.xlsx"]
    assert "columns were inserted, deleted or moved" in reasons["moved.xlsx"]
    assert "'_tender' sheet was removed" in reasons["stripped.xlsx"]
    assert "engineer's priced estimate" in reasons["priced.xlsx"]
    assert "no such file" in reasons["absent.xlsx"]
    assert all(reason.startswith(name) for name, reason in reasons.items())
    # the command says it, once per file, and exits 1; nothing is written
    report = tmp_path / "report.xlsx"
    assert main(["bids", str(tender.boq), *map(str, files), "--report", str(report)]) == 1
    err = capsys.readouterr().err
    assert all(f"boq bids: {name}" in err for name in reasons) and "Traceback" not in err
    assert report.exists()  # the report lists the refused files; it is still written


def test_stream_reader_on_the_xml_spreadsheets_write(tmp_path: Path) -> None:
    """Shared strings, rich text, inline strings, shared formulas, errors, booleans, prefixed tags."""
    path = tmp_path / "forms.xlsx"
    sheet = (
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
        '<x:row r="2"><x:c r="A2" t="s"><x:v>0</x:v></x:c><x:c r="B2" t="s"><x:v>1</x:v></x:c>'
        '<x:c r="C2"><x:v>0.30000000000000004</x:v></x:c><x:c r="D2" t="b"><x:v>1</x:v></x:c></x:row>'
        '<x:row r="3"><x:c r="A3" t="inlineStr"><x:is><x:t>=not a formula &amp; text</x:t></x:is></x:c>'
        '<x:c r="F3"><x:f t="shared" ref="F3:F5" si="0">ROUND(D3*E3,2)</x:f><x:v>12.5</x:v></x:c></x:row>'
        '<x:row r="5"><x:c r="F5"><x:f t="shared" si="0"/><x:v>7</x:v></x:c>'
        '<x:c r="G5" t="e"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c><x:c r="H5" t="str"><x:f>"a"&amp;"b"</x:f><x:v>ab</x:v></x:c>'
        "</x:row></x:sheetData></x:worksheet>"
    )
    strings = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>plain</t></si>'
               '<si><r><t>rich </t></r><r><t>text</t></r></si></sst>')
    workbook = ('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                '<sheet name="Bill 1" sheetId="1" r:id="rId1"/></sheets></workbook>')
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="worksheet" Target="/xl/worksheets/sheet1.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        z.writestr("xl/sharedStrings.xml", strings)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    with Workbook(path) as wb:
        assert list(wb.sheets) == ["Bill 1"]
        rows = dict(wb.rows("Bill 1"))
    assert rows[2] == {"A": Cell(None, "plain"), "B": Cell(None, "rich text"), "C": Cell(None, Decimal("0.300000000000000")),
                       "D": Cell(None, True)}
    assert rows[3]["A"] == Cell(None, "=not a formula & text")
    assert rows[3]["F"] == Cell("=ROUND(D3*E3,2)", Decimal("12.5"))
    assert rows[5]["F"] == Cell("=ROUND(D5*E5,2)", Decimal("7"))  # the shared formula, moved to its cell
    assert rows[5]["G"] == Cell("=1/0", ErrorValue("#DIV/0!"))
    assert rows[5]["H"] == Cell('="a"&"b"', "ab")


def test_openpyxl_files_read_the_same_as_openpyxl_reads_them(tender: Tender, tmp_path: Path) -> None:  # noqa: F811
    """Every cell of a bidder's file: the stream reader agrees with openpyxl's own reading."""
    path = Bidder(tender, "1.01").save(tmp_path / "b.xlsx")
    formulas = openpyxl.load_workbook(path)
    with Workbook(path) as wb:
        for ws in formulas.worksheets:
            ours = dict(wb.rows(ws.title))
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is None:
                        continue
                    mine = ours[cell.row][cell.column_letter]
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        assert mine.formula == cell.value
                    elif isinstance(cell.value, int | float):
                        assert mine.value == Decimal(repr(cell.value))
                    else:
                        assert mine.value == cell.value


def test_unreadable_parts_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nowb.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(UnreadableFile, match=r"nowb\.xlsx: is not a readable Excel workbook"):
        Workbook(path)


def _both_paths(path: Path) -> tuple[dict[str, object], dict[str, object]]:
    from estimator.analysis import sheetxml

    fast, exact = {}, {}
    with Workbook(path) as wb:
        for name, part in wb.sheets.items():
            fast[name] = sheetxml.fast_rows(wb.zip.read(part), wb.strings, None)
            with wb.zip.open(part) as fh:
                exact[name] = list(sheetxml.expat_rows(fh, wb.strings, None))
    return fast, exact


def test_fast_and_exact_readers_agree(tender: Tender, tmp_path: Path) -> None:  # noqa: F811
    b = Bidder(tender, "1.03")
    ws, row, _ = b.find(0, 0)
    ws[f"B{row}"] = "Tiles & grout <20 mm> \"quoted\" — ملاط"  # escaped characters and Arabic
    ws[f"F{row}"] = '=IF(D7>0,"a&b",#REF!)'
    fast, exact = _both_paths(b.save(tmp_path / "b.xlsx"))
    assert all(rows is not None for rows in fast.values())  # the fast path read every sheet
    assert fast == exact


@pytest.mark.parametrize("formula", ["cmd&#124;' /c calc'!A1", "&#91;1]Rates!A1", "HYPERLINK&#40;\"http://x\")",
                                     "cmd&#x7C;' /c calc'!A1"])
def test_formulas_written_with_character_references_are_flagged_by_both_readers(formula: str) -> None:
    """`&#124;` is `|` once decoded: the fast reader's one look over the sheet for formulas reaching
    outside must not miss a formula that spells its `|` or `[` as a character reference."""
    import io

    from estimator.analysis import sheetxml
    from estimator.analysis.cells import SheetMeta

    data = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c>'
            f'<c r="B1"><f>{formula}</f><v>0</v></c></row></sheetData></worksheet>').encode()
    fast, exact = SheetMeta(), SheetMeta()
    rows = sheetxml.fast_rows(data, [], None, fast)
    assert rows == list(sheetxml.expat_rows(io.BytesIO(data), [], None, exact))
    assert fast.outside == exact.outside and [ref for ref, _ in fast.outside] == ["B1"]


_LO_ROW = '<row r="{n}" customFormat="false" ht="{ht}" hidden="{hidden}" customHeight="{custom}" outlineLevel="0" collapsed="false">'


@pytest.mark.parametrize(("row_tag", "hidden"), [
    (_LO_ROW.format(n=2, ht="12.8", hidden="false", custom="false"), False),  # LibreOffice, visible
    (_LO_ROW.format(n=2, ht="12.8", hidden="true", custom="false"), True),  # LibreOffice, hidden
    (_LO_ROW.format(n=2, ht="1", hidden="false", custom="true"), True),  # one point high
    ('<row r="2" ht="30.0" customHeight="1">', False),  # openpyxl: `customHeight="1"` ends in `ht="1"`
    ('<row r="2" ht="1" customHeight="1">', True),  # ... and a real one-point row beside it
    ('<row r="2" customHeight="1" ht="0">', True),
    ('<row r="2" ht="2.9">', True), ('<row r="2" ht="1e-3">', True), ('<row r="2" ht="03">', False), ('<row r="2" ht="02">', True),
    ('<row r="2" ht=".5">', True), ('<row r="2"\thidden="1">', True), ('<row r="2" ht="true">', False),
    ('<row r="2" spans="1:2" ht="15">', False),
])
def test_fast_reader_finds_every_hidden_or_low_row_the_exact_one_does(row_tag: str, hidden: bool) -> None:
    """The fast reader judges the row heights and hidden flags a sheet writes once per distinct value,
    and looks row by row only when one may hide a row: it must never miss a row the exact reader flags."""
    import io

    from estimator.analysis import sheetxml
    from estimator.analysis.cells import SheetMeta

    data = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><cols><col min="7" max="7" hidden="1" width="3"/></cols><sheetData>'
            '<row r="1" ht="15" customHeight="1"><c r="A1"><v>1</v></c></row>'
            f'{row_tag}<c r="A2" s="3" t="n"><v>2</v></c><c r="B2"><f aca="false">A2*2</f><v>4</v></c></row>'
            '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
            '</worksheet>').encode()
    fast, exact = SheetMeta(), SheetMeta()
    rows = sheetxml.fast_rows(data, [], None, fast)
    assert rows is not None  # read by the fast path
    assert rows == list(sheetxml.expat_rows(io.BytesIO(data), [], None, exact))
    assert fast == exact
    assert fast.hidden_rows == ({2} if hidden else set())


@pytest.mark.parametrize("row_tag", ['<row spans="1:2" r="2">', '<row r="02">', '<row r="x">', "<row>", '<row  r="2">'])
def test_row_tags_written_otherwise_go_to_the_exact_reader(row_tag: str) -> None:
    from estimator.analysis import sheetxml

    data = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            f'<row r="1"><c r="A1"><v>1</v></c></row>{row_tag}<c r="A2"><v>2</v></c></row></sheetData></worksheet>').encode()
    assert sheetxml.fast_rows(data, [], None) is None


@pytest.mark.parametrize("attrs", ['aca="false"', 'aca="false" t="shared" ref="B1:B3" si="0"', 'ca="1"'])
def test_formulas_with_attributes_as_libreoffice_writes_them_read_the_same_by_both_readers(attrs: str) -> None:
    """LibreOffice writes `<f aca="false">`: read as a plain formula, still looked at for reaching outside."""
    import io

    from estimator.analysis import sheetxml
    from estimator.analysis.cells import SheetMeta

    dependent = '<f t="shared" si="0"/>' if "shared" in attrs else f"<f {attrs}>A2*2</f>"
    data = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            f'<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f {attrs}>A1*2</f><v>2</v></c></row>'
            f'<row r="2"><c r="A2"><v>2</v></c><c r="B2">{dependent}<v>4</v></c>'
            f'<c r="C2"><f {attrs.replace("shared", "normal").replace("si=", "x=")}>cmd|\' /c calc\'!A1</f><v>0</v></c></row>'
            '</sheetData></worksheet>').encode()
    fast, exact = SheetMeta(), SheetMeta()
    rows = sheetxml.fast_rows(data, [], None, fast)
    assert rows is not None
    assert rows == list(sheetxml.expat_rows(io.BytesIO(data), [], None, exact))
    assert fast.outside == exact.outside and [ref for ref, _ in fast.outside] == ["C2"]
    assert rows[1][1]["B"].formula == "=A2*2"


def lane_and_cells(path: Path, lang: str = "en") -> tuple[int, int]:
    """Every facility sheet of `path` read through the lane (`sheetlane`) and cell by cell: the same
    rows, cells and sheet facts. Returns (item rows read in one look, rows with an item identity)."""
    from estimator.analysis import sheetlane, sheetxml
    from estimator.analysis.cells import SheetMeta
    from estimator.export.xlsx_layout import letters

    lane = sheetlane.lane(tuple(letters(lang).items()))
    looked, total = 0, 0
    with Workbook(path) as wb:
        for name, part in wb.sheets.items():
            data = wb.zip.read(part)
            lane_meta, cell_meta = SheetMeta(), SheetMeta()
            read = sheetlane.lane_rows(data, wb.strings, lane, lane_meta)
            cells = sheetxml.fast_rows(data, wb.strings, None, cell_meta)
            assert read is not None and cells is not None, name
            as_cells = [(n, r.cells() if isinstance(r, sheetlane.LaneRow) else r) for n, r in read]
            assert as_cells == cells, name
            assert lane_meta == cell_meta, name
            for (_, r), (_, row) in zip(read, cells, strict=True):
                if isinstance(r, sheetlane.LaneRow):  # what the lane captured is what the cells hold
                    col = letters(lang)
                    assert (r.quantity, r.rate, r.amount) == tuple(
                        row[col[k]].value if col[k] in row else None for k in ("quantity", "rate", "amount"))
                    assert r.uid == row[col["uid"]].value and r.unit == (row[col["unit"]].value if col["unit"] in row else None)
                    assert r.styles == tuple(row[col[k]].style if col[k] in row else b"" for k in ("quantity", "rate", "amount"))
                    assert ("=" + r.formula.decode() if r.formula else None) == (
                        row[col["amount"]].formula if col["amount"] in row else None)
                    assert r.descriptions == tuple(row[col[k]].value if col[k] in row else None
                                                   for k in ("description", "description_ar") if k in col)
            looked += sum(isinstance(r, sheetlane.LaneRow) and r.uid != "uid" for _, r in read)
            uid = letters(lang)["uid"]
            total += sum(1 for _, row in cells if uid in row and isinstance(row[uid].value, str) and row[uid].value != "uid")
    return looked, total


@pytest.mark.parametrize("chunk", [None, 2000, 1])  # the sheet split at once, in a few parts, a part a row
def test_item_rows_read_in_one_look_are_the_rows_read_cell_by_cell(tender: Tender, tmp_path: Path,  # noqa: F811
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   chunk: int | None) -> None:
    from estimator.analysis import sheetlane

    if chunk is not None:
        monkeypatch.setattr(sheetlane, "CHUNK", chunk)
    b = Bidder(tender, "1.07")
    ws, row, _ = b.find(0, 1)
    ws[f"B{row}"] = "Tiles & grout"  # an entity: read cell by cell
    ws, row, _ = b.find(0, 2)
    ws[f"F{row}"] = f"=D{row}*E{row}"  # another formula: cell by cell
    ws, row, _ = b.find(1, 0)
    ws[f"E{row}"] = None  # not priced: still one look
    looked, items = lane_and_cells(b.save(tmp_path / "b.xlsx"))
    assert items * 9 // 10 <= looked <= items - 2  # not the two rows changed (nor, e.g., P&A lines: `/100`)


@pytest.mark.parametrize("change", [
    (b'<c r="E', b'<c r="E'),  # as written
    (b"</row><row", b"</row>\n<row"),  # whitespace between rows
    (b'"><c r="A', b'"><c r="H1" t="b"><v>1</v></c><c r="A'),  # a cell beyond the layout, out of order
    (b'<c r="G', b'<c r="G'),
])
def test_lane_and_cell_reader_agree_on_rewritten_sheets(tender: Tender, tmp_path: Path,  # noqa: F811
                                                        change: tuple[bytes, bytes]) -> None:
    src = Bidder(tender, "1.01").save(tmp_path / "b.xlsx")
    with zipfile.ZipFile(src) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    path = src
    for n, part in enumerate(sheets[1:3]):
        path = _rewrite(path, tmp_path / f"r{n}.xlsx", part, lambda data: data.replace(*change))
    lane_and_cells(path)


@pytest.mark.parametrize("irregular", [b'<row r="0', b'<row  r="', b'<row\tr="'])
@pytest.mark.parametrize("where", ["above the items", "an item row"])
def test_an_irregular_row_tag_sends_the_sheet_to_the_exact_reader(tender: Tender, tmp_path: Path,  # noqa: F811
                                                                  irregular: bytes, where: str) -> None:
    """A row tag not written as spreadsheets write it (`<row r="n"` with n from 1) makes both fast
    readers give the sheet to the exact one, wherever it is: the lane (`sheetlane`) checks the rows it
    leaves to the cell reader, its own rows being plain by its expression."""
    from estimator.analysis import sheetlane, sheetxml
    from estimator.analysis.cells import SheetMeta
    from estimator.export.xlsx_layout import letters

    b = Bidder(tender, "1.02")
    ws, row, _ = b.find(0, 1)
    number = 2 if where == "above the items" else row
    path = b.save(tmp_path / "b.xlsx")
    with Workbook(path) as wb:
        part = wb.sheets[ws.title]
        data = wb.zip.read(part)
        strings = wb.strings
    tag = b'<row r="%d"' % number
    assert data.count(tag) == 1
    data = data.replace(tag, irregular + str(number).encode() + b'"')
    lane = sheetlane.lane(tuple(letters("en").items()))
    assert sheetlane.lane_rows(data, strings, lane, SheetMeta()) is None
    assert sheetxml.fast_rows(data, strings, None) is None
