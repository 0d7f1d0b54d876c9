"""Returned bids are files from outside: damaged or hostile ones must end in a UserError naming the file.

A tender workbook is written by the real exporter, then each worksheet part is damaged the way a
corrupted e-mail attachment or a hostile bidder would damage it, and read back with
`estimator.analysis.bidread.read_returned` (which parses sheets with its own expat reader).
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from estimator.errors import UserError
from tests.reliability import workbooks as wb
from tests.reliability.states import make_programme

MUTATIONS: dict[str, Callable[[bytes], bytes]] = {
    "cut short": lambda xml: xml[: len(xml) * 2 // 3],
    "billion laughs": wb.with_entities,
    "random bytes": lambda xml: os.urandom(len(xml)),
    "bad cell reference": lambda xml: re.sub(rb'<c r="[A-Z]+\d+"', b'<c r="A0x"', xml, count=1),
    "row number not a number": lambda xml: re.sub(rb'<row r="\d+"', b'<row r="abc"', xml, count=1),
    "shared string index not a number": lambda xml: xml.replace(b"</row>", b'<c r="ZZ1" t="s"><v>x</v></c></row>', 1),
}
# damage a tolerant reader may read past (a cell left empty); it must not crash on it
TOLERATED = {"row number not a number", "shared string index not a number", "bad cell reference"}


_ISSUED: list[object] = []  # the issued tender of the module's programme, set by the fixture


@pytest.fixture(scope="module")
def tender(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from estimator.analysis.bidlayout import issued_tender
    from estimator.export.xlsx import write_xlsx

    path = tmp_path_factory.mktemp("tender") / "tender.xlsx"
    programme = make_programme(2, 8)
    write_xlsx(programme, path, priced=False, lang="en")
    _ISSUED[:] = [issued_tender(programme)]
    _read_returned(path)  # the undamaged copy reads
    return path


def _read_returned(path: Path) -> object:
    from estimator.analysis.bidread import read_returned

    return read_returned(path, _ISSUED[0])  # type: ignore[arg-type]


def _sheets(path: Path) -> list[str]:
    return sorted(n for n in zipfile.ZipFile(path).namelist() if n.startswith("xl/worksheets/"))


def _tender_part(path: Path) -> str:
    from estimator.analysis.bidread import TENDER_SHEET
    from estimator.analysis.xlsxscan import Workbook

    with Workbook(path) as book:
        return book.sheets[TENDER_SHEET]


def _read(path: Path, must_refuse: bool = True) -> None:
    """A UserError naming the file; or, for damage to a part the reader never looks at, a normal read."""
    try:
        _read_returned(path)
    except UserError as exc:
        assert path.name in str(exc)
        return
    assert not must_refuse, f"{path.name} was read as if it were undamaged"


@pytest.mark.parametrize("mutation", MUTATIONS)
def test_damaged_sheets(tender: Path, tmp_path: Path, mutation: str) -> None:
    read_by_all = _tender_part(tender)
    for part in _sheets(tender):
        bid = wb.rewrite_part(tender, tmp_path / f"bid {part.rsplit('/', 1)[1]}.xlsx", part, MUTATIONS[mutation])
        _read(bid, must_refuse=part == read_by_all and mutation not in TOLERATED)


def test_a_corrupted_download(tender: Path, tmp_path: Path) -> None:
    """The zip directory is fine, the compressed data of the sheet the reader needs is not."""
    _read(wb.corrupt_part(tender, tmp_path / "corrupted bid.xlsx", _tender_part(tender)))


def test_hostile_packages(tender: Path, tmp_path: Path) -> None:
    _read(wb.zip_bomb(tender, tmp_path / "bomb bid.xlsx", megabytes=200))
    _read(wb.ole_file(tmp_path / "protected bid.xlsx"))
    cut = tmp_path / "half bid.xlsx"
    cut.write_bytes(tender.read_bytes()[: tender.stat().st_size // 2])
    _read(cut)
    for part in ("docProps/custom.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        _read(wb.rewrite_part(tender, tmp_path / "laughs bid.xlsx", part, wb.with_entities), must_refuse=part != "docProps/custom.xml")


# ---- bids that game the evaluation (issue 12): crafted by editing the sheet XML, as a bidder could ----

RATE_CELL = re.compile(rb'<c r="E(\d+)" s="(\d+)"/>')
AMOUNT_CACHE = re.compile(rb"(<f>ROUND\(D\d+\*E\d+,2\)</f>)<v>0</v>")
ITEM_ROW = re.compile(rb'(<row r="(\d+)"[^>]*>)(.*?)(</row>)', re.S)


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    """(programme, its unpriced tender workbook), 2 facilities of 8 items."""
    from estimator.export.xlsx import write_xlsx

    programme = make_programme(2, 8)
    path = tmp_path_factory.mktemp("issued") / "tender.xlsx"
    write_xlsx(programme, path, priced=False, lang="en")
    return programme, path


def _parts(path: Path) -> dict[str, str]:
    """Sheet name -> part name."""
    from estimator.analysis.xlsxscan import Workbook

    with Workbook(path) as book:
        return dict(book.sheets)


def _facility_parts(path: Path) -> list[str]:
    return [part for name, part in _parts(path).items() if name.startswith("Lot ")]  # facility tabs: "Lot 1 ..."


def price_rows(xml: bytes, rate: str, row_edit: Callable[[bytes, bytes], bytes] | None = None) -> bytes:
    """Every item row (one with a uid in G) priced at `rate`, the amount formulas left to recalculate
    (no cached value, as a script saving the file leaves them); `row_edit(row number, row xml)` after."""
    def row(m: re.Match[bytes]) -> bytes:
        body = m.group(3)
        if b'<c r="G' not in body:
            return m.group(0)
        body = RATE_CELL.sub(lambda c: b'<c r="E' + c.group(1) + b'" s="' + c.group(2) + b'"><v>' + rate.encode()
                             + b"</v></c>", body)
        body = AMOUNT_CACHE.sub(rb"\1", body)
        if row_edit is not None:
            body = row_edit(m.group(2), body)
        return m.group(1) + body + m.group(4)
    return ITEM_ROW.sub(row, xml)


def make_bid(tender: Path, dst: Path, rate: str = "100", row_edit: Callable[[bytes, bytes], bytes] | None = None,
             parts: dict[str, Callable[[bytes], bytes]] | None = None, sheet_edit: Callable[[bytes], bytes] | None = None) -> Path:
    """The tender priced at `rate` everywhere, with the edits given (per item row, per part, per facility sheet)."""
    facility = set(_facility_parts(tender))
    changes = dict(parts or {})

    def change_for(part: str) -> Callable[[bytes], bytes] | None:
        if part in facility:
            def facility_sheet(xml: bytes) -> bytes:
                xml = price_rows(xml, rate, row_edit)
                return sheet_edit(xml) if sheet_edit is not None else xml
            return facility_sheet
        return changes.get(part)

    with zipfile.ZipFile(tender) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            change = change_for(info.filename)
            zout.writestr(info.filename, change(data) if change is not None else data)
    return dst


def with_format(code: str, font: str = "") -> Callable[[bytes], bytes]:
    """styles.xml with one more cell format (the last index) using number format `code`, and `font` if given."""
    def edit(xml: bytes) -> bytes:
        text = xml.decode()
        escaped = code.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
        text = re.sub(r'<numFmts count="(\d+)">', lambda m: f'<numFmts count="{int(m.group(1)) + 1}"><numFmt '
                      f'numFmtId="200" formatCode="{escaped}" />', text, count=1)
        font_id = "0"
        if font:
            fonts = int(re.search(r'<fonts count="(\d+)">', text).group(1))  # type: ignore[union-attr]
            text = text.replace(f'<fonts count="{fonts}">', f'<fonts count="{fonts + 1}">', 1)
            text = text.replace("</fonts>", f"{font}</fonts>", 1)
            font_id = str(fonts)
        text = re.sub(r'<cellXfs count="(\d+)">(.*?)</cellXfs>', lambda m: f'<cellXfs count="{int(m.group(1)) + 1}">'
                      f'{m.group(2)}<xf numFmtId="200" fontId="{font_id}" fillId="0" borderId="0" applyNumberFormat="1" '
                      'applyFont="1" /></cellXfs>', text, count=1, flags=re.S)
        return text.encode()
    return edit


def _cell_xf_count(tender: Path) -> int:
    with zipfile.ZipFile(tender) as z:
        return int(re.search(rb'<cellXfs count="(\d+)">', z.read("xl/styles.xml")).group(1))  # type: ignore[union-attr]


def _restyle_rates(style: bytes) -> Callable[[bytes, bytes], bytes]:
    """A row edit giving every rate cell of the row the cell format `style`."""
    def edit(number: bytes, body: bytes) -> bytes:
        return re.sub(rb'(<c r="E\d+" s=")\d+(")', rb"\g<1>" + style + rb"\2", body)
    return edit


def _evaluate(programme: object, paths: list[Path]) -> Any:
    from estimator.analysis.bids import evaluate

    return evaluate(programme, paths)  # type: ignore[arg-type]


def _kinds(bid: Any) -> set[str]:
    return {a.kind for a in bid.anomalies}


def test_rates_come_from_the_issued_columns_not_from_the_tender_sheet(issued: tuple[object, Path], tmp_path: Path) -> None:
    """The attack of issue 12: rates of 100 shown, a hidden column H holding 1, `_tender` pointing at H."""
    programme, tender = issued
    tender_part = _parts(tender)["_tender"]

    def hidden_rate(number: bytes, body: bytes) -> bytes:
        return body + b'<c r="H' + number + b'"><v>1</v></c>'

    def point_at_h(xml: bytes) -> bytes:
        return re.sub(rb"(<t>col_rate</t></is></c><c r=\"B\d+\"[^>]*><is><t>)E(</t>)", rb"\1H\2", xml)

    def hide_h(xml: bytes) -> bytes:
        return xml.replace(b"</cols>", b'<col min="8" max="8" width="0" hidden="1" customWidth="1" /></cols>', 1)

    gamed = make_bid(tender, tmp_path / "gamed.xlsx", "100", hidden_rate, {tender_part: point_at_h}, hide_h)
    honest = make_bid(tender, tmp_path / "honest.xlsx", "50")
    ev = _evaluate(programme, [gamed, honest])
    by_file = {b.file: b for b in ev.bids}
    assert [b.file for b in ev.bids] == ["honest.xlsx", "gamed.xlsx"]  # the gamed bid is evaluated at 100
    assert all(f.rate == 100 for f in by_file["gamed.xlsx"].items.values())
    assert {"tender sheet edited", "hidden content"} <= _kinds(by_file["gamed.xlsx"])
    assert not _kinds(by_file["honest.xlsx"]) & {"tender sheet edited", "hidden content", "layout changed"}


def test_the_tender_sheet_cannot_move_the_summary_or_the_sheets(issued: tuple[object, Path], tmp_path: Path) -> None:
    programme, tender = issued
    tender_part = _parts(tender)["_tender"]

    def other_sheets(xml: bytes) -> bytes:
        return xml.replace(b"<t>General Summary</t>", b"<t>Facility 2 \xd9\x85\xd8\xb3\xd8\xaa\xd8\xb4\xd9\x81\xd9\x89</t>")

    bid = make_bid(tender, tmp_path / "moved.xlsx", "100", parts={tender_part: other_sheets})
    (result,) = _evaluate(programme, [bid]).bids
    assert "tender sheet edited" in _kinds(result)
    assert result.stated_source == "the workbook's grand total" or result.stated_total is not None


@pytest.mark.parametrize("code", ['"100"', ";;;", "0,", "0%", '[>0]"100";0', "0.00E+00", "yyyy-mm-dd", '0;0;"100"'])
def test_a_number_format_that_shows_another_figure_is_an_anomaly(issued: tuple[object, Path], tmp_path: Path,
                                                                  code: str) -> None:
    programme, tender = issued
    style = str(_cell_xf_count(tender)).encode()
    restyle = _restyle_rates(style)
    bid = make_bid(tender, tmp_path / "format.xlsx", "1", restyle, {"xl/styles.xml": with_format(code)})
    (result,) = _evaluate(programme, [bid]).bids
    hidden = [a for a in result.anomalies if a.kind == "hidden content"]
    assert len(hidden) == 16 and all(a.column == "E" for a in hidden), code


def test_honest_formats_and_more_decimals_than_shown(issued: tuple[object, Path], tmp_path: Path) -> None:
    programme, tender = issued
    style = str(_cell_xf_count(tender)).encode()
    restyle = _restyle_rates(style)
    fine = make_bid(tender, tmp_path / "fine.xlsx", "12.5", restyle,
                    {"xl/styles.xml": with_format('_-* #,##0.00_-;\\-* #,##0.00_-;_-* "-"??_-;_-@_-')})
    rounded = make_bid(tender, tmp_path / "rounded.xlsx", "12.345")
    ev = _evaluate(programme, [fine, rounded])
    by_file = {b.file: b for b in ev.bids}
    assert "hidden content" not in _kinds(by_file["fine.xlsx"])
    shown = [a for a in by_file["rounded.xlsx"].anomalies if a.kind == "hidden content"]
    assert len(shown) == 16 and "shows 12.35" in shown[0].message


def test_white_or_tiny_type_is_an_anomaly(issued: tuple[object, Path], tmp_path: Path) -> None:
    programme, tender = issued
    style = str(_cell_xf_count(tender)).encode()
    restyle = _restyle_rates(style)
    for name, font in (("white", '<font><color rgb="FFFFFFFF" /><sz val="11" /></font>'),
                       ("tiny", '<font><sz val="1" /></font>')):
        bid = make_bid(tender, tmp_path / f"{name}.xlsx", "5", restyle, {"xl/styles.xml": with_format("#,##0.00", font)})
        (result,) = _evaluate(programme, [bid]).bids
        assert sum(a.kind == "hidden content" for a in result.anomalies) == 16, name


@pytest.mark.parametrize("how", ["hidden", "low", "merged", "conditional", "hidden sheet", "stray cell", "hidden total"])
def test_hidden_rows_merges_and_stray_cells_are_anomalies(issued: tuple[object, Path], tmp_path: Path, how: str) -> None:
    programme, tender = issued
    parts: dict[str, Callable[[bytes], bytes]] = {}
    sheet_edit: Callable[[bytes], bytes] | None = None
    if how in ("hidden", "low"):
        attr = b' hidden="1"' if how == "hidden" else b' ht="0.5" customHeight="1"'
        sheet_edit = lambda xml: xml.replace(b'<row r="7">', b'<row r="7"' + attr + b">", 1)  # noqa: E731
    elif how == "merged":  # the rate of row 7 shows the rate of row 8's cell above it... merged over the item
        sheet_edit = lambda xml: xml.replace(b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="D7:E7" />'  # noqa: E731
                                             b"</mergeCells>", 1)
    elif how == "conditional":
        sheet_edit = lambda xml: xml.replace(b"</sheetData>", b'</sheetData><conditionalFormatting sqref="E7">'  # noqa: E731
                                             b'<cfRule type="cellIs" dxfId="0" priority="1" operator="greaterThan">'
                                             b"<formula>0</formula></cfRule></conditionalFormatting>", 1)
    elif how == "hidden total":  # the General Summary's grand total row hidden
        parts[_parts(tender)["General Summary"]] = lambda xml: re.sub(
            rb'<row r="(\d+)">(<c r="A\d+" s="\d+"/><c r="B\d+" s="\d+" t="inlineStr"><is><t>Grand total)',
            rb'<row r="\1" hidden="1">\2', xml)
    elif how == "hidden sheet":
        name = next(n for n in _parts(tender) if n.startswith("Lot "))
        parts["xl/workbook.xml"] = lambda xml: re.sub(rb'(<sheet name="' + re.escape(name.encode()) + rb'" sheetId="\d+" )'
                                                      rb'state="visible"', rb'\1state="hidden"', xml)
    else:
        sheet_edit = lambda xml: xml.replace(b'<row r="7">', b'<row r="7"><c r="Q7"><v>1</v></c>', 1)  # noqa: E731
    bid = make_bid(tender, tmp_path / f"{how}.xlsx", "10", parts=parts, sheet_edit=sheet_edit)
    (result,) = _evaluate(programme, [bid]).bids
    assert _kinds(result) & {"hidden content", "layout changed"}, how


OUTSIDE_FORMULAS = {
    "dde": "cmd|' /c calc'!A0",
    "external workbook": "[1]Prices!B2",
    "external path": "'C:\\bids\\[rates.xlsx]Sheet1'!A1",
    "hyperlink": 'HYPERLINK("http://example.invalid/x",5)',
    "webservice": 'WEBSERVICE("http://example.invalid/")',
}


@pytest.mark.parametrize("case", OUTSIDE_FORMULAS)
def test_rate_formulas_reaching_outside_are_flagged(issued: tuple[object, Path], tmp_path: Path, case: str) -> None:
    programme, tender = issued
    formula = OUTSIDE_FORMULAS[case].replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").encode()

    def dde(number: bytes, body: bytes) -> bytes:
        return re.sub(rb'<c r="E(\d+)" s="(\d+)"><v>[^<]*</v></c>', rb'<c r="E\1" s="\2"><f>' + formula + rb"</f><v>5</v></c>",
                      body)
    bid = make_bid(tender, tmp_path / f"{case}.xlsx", "5", dde)
    (result,) = _evaluate(programme, [bid]).bids
    assert {"formula reaches outside", "rate is a formula"} <= _kinds(result), case
    assert all(f.rate == 5 for f in result.items.values())  # the value shown is used


def test_a_constant_rate_formula_whose_saved_value_differs(issued: tuple[object, Path], tmp_path: Path) -> None:
    programme, tender = issued
    def lie(number: bytes, body: bytes) -> bytes:
        return re.sub(rb'<c r="E(\d+)" s="(\d+)"><v>[^<]*</v></c>', rb'<c r="E\1" s="\2"><f>100</f><v>1</v></c>', body)
    (result,) = _evaluate(programme, [make_bid(tender, tmp_path / "lie.xlsx", "1", lie)]).bids
    assert sum("saved 1 as its value" in a.message for a in result.anomalies) == 16


def test_macros_links_and_drawings_are_named(issued: tuple[object, Path], tmp_path: Path) -> None:
    programme, tender = issued
    bid = make_bid(tender, tmp_path / "plain.xlsx", "5")
    for part in ("xl/vbaProject.bin", "xl/externalLinks/externalLink1.xml", "xl/drawings/drawing1.xml"):
        bid = wb.add_part(bid, tmp_path / f"active{len(part)}.xlsx", part, b"<x/>")
    (result,) = _evaluate(programme, [bid]).bids
    active = [a.message for a in result.anomalies if a.kind == "active content"]
    assert len(active) == 3 and any("macros" in m for m in active)


def test_a_summary_total_overwritten_with_text(issued: tuple[object, Path], tmp_path: Path) -> None:
    programme, tender = issued
    summary = _parts(tender)["General Summary"]

    def text_total(xml: bytes) -> bytes:
        # the grand total: `=D<subtotal>` (+ the bidders' markups, if any); its cached value the fixed sums
        return re.sub(rb'(<c r="D\d+" s="\d+")><f>D\d+(?:\+SUM\([^<]*\))?</f><v>[^<]*</v></c>',
                      rb'\1 t="inlineStr"><is><t>see attached letter</t></is></c>', xml)
    (result,) = _evaluate(programme, [make_bid(tender, tmp_path / "text.xlsx", "5", parts={summary: text_total})]).bids
    assert any(a.kind == "total typed over" and "see attached letter" in a.message for a in result.anomalies)
    assert result.stated_total is None


# one bad cell: the bid it is in gets an anomaly (or is refused with a reason), the other bids are evaluated
def _rate_text(text: bytes) -> Callable[[bytes, bytes], bytes]:
    def edit(number: bytes, body: bytes) -> bytes:
        return re.sub(rb'(<c r="E\d+" s="\d+")><v>[^<]*</v>', rb"\1><v>" + text + rb"</v>", body) if number == b"7" else body
    return edit


BAD_CELLS: dict[str, dict[str, Any]] = {
    "NaN": {"row_edit": _rate_text(b"NaN")},
    "Infinity": {"row_edit": _rate_text(b"Infinity")},
    "-Infinity": {"row_edit": _rate_text(b"-inf")},
    "1E+26": {"row_edit": _rate_text(b"1E+26")},
    "1E+308": {"row_edit": _rate_text(b"1E+308")},
    "1E+999999999": {"row_edit": _rate_text(b"1E+999999999")},
    "thousands of digits": {"row_edit": _rate_text(b"9" * 5000)},
    "Arabic-Indic digits": {"row_edit": _rate_text("١٢٣".encode())},
    "non-numeric row number": {"sheet_edit": lambda xml: xml.replace(b'<row r="8">', b'<row r="8x">', 1)},
    "broken shared formula": {"row_edit": lambda number, body: body.replace(
        b"<f>ROUND(D" + number + b"*E" + number + b",2)</f>", b'<f t="shared" si="9"/>')},
    "malformed shared formula": {"row_edit": lambda number, body: body.replace(
        b"<f>ROUND(D" + number + b"*E" + number + b",2)</f>", b'<f t="shared" si="3" ref="F7:F99">ROUND((((D7,2</f>')},
    "huge stated amount": {"row_edit": lambda number, body: body.replace(
        b"<f>ROUND(D" + number + b"*E" + number + b",2)</f>", b"<f>ROUND(D" + number + b"*E" + number + b",2)</f><v>1E+300</v>")},
    "row beyond the grid": {"sheet_edit": lambda xml: xml.replace(b"</sheetData>",
                                                                  b'<row r="2000000"><c r="E2000000"><v>1</v></c></row></sheetData>')},
    "invalid UTF-8": {"sheet_edit": lambda xml: xml.replace(b"<t>1.1</t>", b"<t>1.\xff\xfe</t>", 1)},
}


def _huge_total(xml: bytes) -> bytes:
    return re.sub(rb"(<f>D\d+(?:\+SUM\([^<]*\))?</f>)<v>[^<]*</v>", rb"\1<v>1E+300</v>", xml)


@pytest.mark.parametrize("case", [*BAD_CELLS, "huge stated total"])
def test_one_bad_cell_does_not_stop_the_evaluation(issued: tuple[object, Path], tmp_path: Path, case: str) -> None:
    programme, tender = issued
    if case == "huge stated total":
        bad = make_bid(tender, tmp_path / "bad.xlsx", "7", parts={_parts(tender)["General Summary"]: _huge_total})
    else:
        bad = make_bid(tender, tmp_path / "bad.xlsx", "7", **BAD_CELLS[case])
    good = make_bid(tender, tmp_path / "good.xlsx", "9")
    ev = _evaluate(programme, [bad, good])
    assert [b.file for b in ev.bids if b.file == "good.xlsx"] == ["good.xlsx"]
    by_file = {b.file: b for b in ev.bids}
    if "bad.xlsx" in by_file:
        result = by_file["bad.xlsx"]
        assert result.anomalies, case
        assert result.rank and result.corrected_total >= 0
    else:  # refused, with a reason naming the file
        (refused,) = ev.refused
        assert refused.file == "bad.xlsx" and "bad.xlsx" in refused.reason and case == "invalid UTF-8"


# ---- denial of service: time and memory bounded by what the file holds ----

def _padded_inline_cells(xml: bytes) -> bytes:
    """~200 KB of well-formed inline-string cells with a space before `</c>`: the old cell expression
    scanned from each of them to the end of the sheet (hours)."""
    rows = []
    for r in range(200, 200 + 500):
        cells = b"".join(b'<c r="' + col + str(r).encode() + b'" t="inlineStr"><is><t>x</t></is> </c>' for col in
                         (b"H", b"I", b"J", b"K", b"L", b"M", b"N", b"O", b"P", b"Q"))
        rows.append(b'<row r="' + str(r).encode() + b'">' + cells + b"</row>")
    return xml.replace(b"</sheetData>", b"".join(rows) + b"</sheetData>", 1)


def _far_row(xml: bytes) -> bytes:
    return xml.replace(b"</sheetData>", b'<row r="200000000"><c r="A200000000" t="inlineStr"><is><t>x</t></is></c>'
                       b"</row></sheetData>", 1)


def _wide_column(xml: bytes) -> bytes:
    return xml.replace(b"</sheetData>", b'<row r="90"><c r="' + b"XFDXFDXFDXFDXFDXFDXFD" + b'90" t="inlineStr"><is><t>x'
                       b"</t></is></c></row></sheetData>", 1)


CHILD = """
import json, resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))  # 2 GB: an allocation by a stated number fails
from estimator.analysis.bids import evaluate
from estimator.store import load
ev = evaluate(load(Path(sys.argv[1])), [Path(p) for p in sys.argv[2:]], workers=1)
print(json.dumps({"bids": [b.file for b in ev.bids], "refused": [r.file for r in ev.refused]}))
"""


@pytest.mark.parametrize("case", ["padded inline cells", "row 200,000,000 in _tender", "a very wide column in _tender"])
def test_hostile_sizes_are_read_in_bounded_time_and_memory(issued: tuple[object, Path], tmp_path: Path, case: str) -> None:
    """Each bid is evaluated in a child process with 2 GB of address space and 60 s: before the fix
    the first took hours, the others ended in MemoryError (a traceback) or allocated gigabytes."""
    import json
    import subprocess
    import sys

    from estimator.store import Project

    programme, tender = issued
    boq = tmp_path / "programme.boq"
    Project.create(boq, programme).close()  # type: ignore[arg-type]
    tender_part = _parts(tender)["_tender"]
    if case == "padded inline cells":
        bad = make_bid(tender, tmp_path / "bad.xlsx", "7", sheet_edit=_padded_inline_cells)
    else:
        bad = make_bid(tender, tmp_path / "bad.xlsx", "7", parts={tender_part: _far_row if "row" in case else _wide_column})
    good = make_bid(tender, tmp_path / "good.xlsx", "9")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", CHILD, str(boq), str(bad), str(good)], cwd=root, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert "good.xlsx" in found["bids"] and "bad.xlsx" in found["bids"] + found["refused"]


def test_a_cancel_stops_inside_a_bid(issued: tuple[object, Path], tmp_path: Path) -> None:
    """The window's Cancel raises from the progress callback: it must be asked while a bid is read,
    not only between bids (a slow or hostile bid kept the window's Cancel waiting)."""
    from estimator.analysis.bids import evaluate
    from estimator.errors import Cancelled

    programme, tender = issued
    bid = make_bid(tender, tmp_path / "one.xlsx", "5")
    calls: list[tuple[int, int]] = []

    def cancel_while_reading(done: int, total: int) -> None:
        calls.append((done, total))
        if calls.count((0, 1)) > 1:  # asked again before the bid is done: the user pressed Cancel
            raise Cancelled("operation")

    with pytest.raises(Cancelled):
        evaluate(programme, [bid], progress=cancel_while_reading)  # type: ignore[arg-type]
    assert (1, 1) not in calls


@pytest.mark.parametrize("lang", ["en", "ar", "both"])
def test_the_expected_layout_is_what_the_exporter_writes(tmp_path: Path, lang: str) -> None:
    """`bidlayout` re-derives the layout from the programme; it must agree with the exporter's own
    `_tender` sheet and General Summary, for every language (a bill without items included)."""
    import openpyxl

    from estimator.analysis.bidlayout import issued_tender
    from estimator.export.xlsx import write_xlsx
    from estimator.export.xlsx_layout import TENDER_SHEET, read_tender
    from estimator.export.xlsx_text import text
    from estimator.model import Bill

    programme = make_programme(3, 5)
    programme.facilities[1].bills.append(Bill("Empty bill"))
    path = tmp_path / f"tender-{lang}.xlsx"
    write_xlsx(programme, path, priced=False, lang=lang)
    book = openpyxl.load_workbook(path)
    info = read_tender(book[TENDER_SHEET].iter_rows(values_only=True))
    assert info is not None
    layout = issued_tender(programme).layout(lang)
    assert layout is not None
    assert info.columns == layout.columns and info.values["summary_sheet"] == layout.summary_sheet
    assert [(f.sheet, f.facility_uid, f.total_cell, f.items) for f in info.facilities] == \
        [(s.sheet, s.facility_uid, s.total_cell, len(s.items)) for s in layout.sheets]
    summary = book[layout.summary_sheet]
    for key, row in layout.summary_rows.items():
        assert summary[f"B{row}"].value == text(key, lang)
    for sheet in layout.sheets:
        ws = book[sheet.sheet]
        assert [ws[f"{col}5"].value for col in layout.headers] == list(layout.headers.values())


def test_names_cannot_reorder_or_command_what_is_printed_beside_them(issued: tuple[object, Path], tmp_path: Path) -> None:
    """A company name with a right-to-left override (U+202E prints what follows backwards: the corrected
    total beside it in the window's summary line), a C1 CSI (a terminal command in `boq bids`), and a
    file name with a control character (which openpyxl refuses to write into the report)."""
    from estimator.analysis.cba_pdf import write_cba_pdf
    from estimator.analysis.cba_xlsx import write_cba_xlsx
    from estimator.analysis.lots import evaluate_lots

    programme, tender = issued
    summary = _parts(tender)["General Summary"]
    name = "ACME\u202e 0.00 \u009b2K\u2066Builders"

    def company(xml: bytes) -> bytes:  # the company entry is the empty input cell beside "Company name"
        return re.sub(rb'(<t>Company name</t></is></c><c r="C(\d+)" s="(\d+)")/>',
                      lambda m: m.group(1) + b' t="inlineStr"><is><t>' + name.encode() + b"</t></is></c>", xml)
    bid = make_bid(tender, tmp_path / "bid\x01.xlsx", "5", parts={summary: company})
    ev = _evaluate(programme, [bid])
    (result,) = ev.bids
    assert result.company == "ACME 0.00 2KBuilders" and result.bidder == result.company and result.file == "bid.xlsx"
    cba = evaluate_lots(programme, ev)  # type: ignore[arg-type]
    write_cba_xlsx(cba, tmp_path / "report.xlsx")  # no IllegalCharacterError
    write_cba_pdf(cba, tmp_path / "report.pdf", "ar")
    import openpyxl

    book = openpyxl.load_workbook(tmp_path / "report.xlsx")
    opening = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    assert ["ACME 0.00 2KBuilders", "bid.xlsx"] in [row[:2] for row in opening]


def test_many_cells_sharing_a_long_formula_are_read_in_bounded_time(issued: tuple[object, Path], tmp_path: Path) -> None:
    """30,000 cells sharing a 6,000-character master: moving the formula to each (tokenizing it)
    took minutes; past a per-sheet budget the cells read as broken formulas, in seconds."""
    import json
    import subprocess
    import sys

    from estimator.store import Project

    programme, tender = issued
    boq = tmp_path / "programme.boq"
    Project.create(boq, programme).close()  # type: ignore[arg-type]
    master = "+".join(f"H{n}" for n in range(1, 1300))  # 6,000 characters

    def many_shared(xml: bytes) -> bytes:
        rows = [b'<row r="300"><c r="H300"><f t="shared" si="77" ref="H300:H30299">' + master.encode() + b"</f><v>0</v></c></row>"]
        rows += [b'<row r="' + str(r).encode() + b'"><c r="H' + str(r).encode() + b'"><f t="shared" si="77"/><v>0</v></c></row>'
                 for r in range(301, 30_300)]
        return xml.replace(b"</sheetData>", b"".join(rows) + b"</sheetData>", 1)
    bad = make_bid(tender, tmp_path / "bad.xlsx", "7", sheet_edit=many_shared)
    good = make_bid(tender, tmp_path / "good.xlsx", "9")
    done = subprocess.run([sys.executable, "-c", CHILD, str(boq), str(bad), str(good)], cwd=Path(__file__).resolve().parents[2],
                          capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["bids"] == ["bad.xlsx", "good.xlsx"] or sorted(found["bids"]) == ["bad.xlsx", "good.xlsx"]
