"""Reading a returned workbook's cells, formula and cached value together, in one streaming pass.

Why not openpyxl here: a returned bid must be read twice with openpyxl (once for the formulas, once
for the values Excel cached), and each pass over an 80-facility, 24,000-item workbook takes about
3 seconds (openpyxl scans every sheet once more just to size it when the file has no dimension
record, as files written in write-only mode do not). Ten bids would take a minute. This module
reads each worksheet's XML once (`estimator.analysis.sheetxml`) and keeps, per cell, both the
formula text and the cached value. It never evaluates a formula and never follows an external link.

Safety: the file has passed `estimator.readers.check_xlsx` (zip size and ratio bounds, no OLE);
XML with a document type declaration or entity declarations is refused (no entity expansion), the
small parts (workbook, relationships, shared strings, properties) are parsed with defusedxml.

Numbers are spreadsheet doubles written as text; `number()` turns them into Decimals of at most
15 significant digits (what Excel shows), so 0.30000000000000004 reads as 0.3. A number cell whose
text is not a plain ASCII number (NaN, Infinity, Arabic-Indic digits, an exponent beyond any double)
keeps its text, so that the checks can name it instead of reading it as empty or as a number.

Bounds: a cell reference outside Excel's grid (rows 1-1,048,576, columns A-XFD) or a row number
that is not a number is skipped and named in the sheet's `SheetMeta.problems`, so nothing the file
says can make the reader allocate by a number it states rather than by what it holds.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any, NamedTuple

from defusedxml import ElementTree as SafeET

from estimator.analysis import sheetlane, sheetxml
from estimator.analysis.cells import (
    MAX_COLUMN,
    MAX_ROW,
    Cell,
    ErrorValue,
    NotANumber,
    Row,
    SheetMeta,
    UnsafeXml,
    cell_style,
    cell_value,
    column_index,
    number,
    split_ref,
)
from estimator.analysis.sheetlane import Lane, LaneRow
from estimator.readers import UnreadableFile, check_xlsx

__all__ = ["MAX_COLUMN", "MAX_ROW", "Cell", "CellFormat", "ErrorValue", "NotANumber", "Row", "SheetMeta", "UnsafeXml",
           "Workbook", "cell_style", "cell_value", "column_index", "number", "split_ref"]

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"


# the number formats every spreadsheet knows by id (ECMA-376 18.8.30), those a number cell may have
BUILTIN_FORMATS = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
                   12: "# ?/?", 13: "# ??/??", 14: "mm-dd-yy", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)",
                   39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)", 48: "##0.0E+0", 49: "@"}


class CellFormat(NamedTuple):
    number_format: str
    font_colour: str  # "FFFFFF" (RGB, upper case), "theme:0", or "" for the default
    font_size: float | None
    fill_colour: str  # a solid fill's colour as above, "" for none


def _children(root: Any, parent: str, child: str) -> list[Any]:
    found = root.find(f"{{{NS_MAIN}}}{parent}")
    return [] if found is None else found.findall(f"{{{NS_MAIN}}}{child}")


def _colour(element: Any) -> str:
    if element is None:
        return ""
    if element.get("rgb"):
        return str(element.get("rgb", ""))[-6:].upper()
    if element.get("theme") is not None:
        return f"theme:{element.get('theme')}"
    if element.get("indexed") in ("1", "9"):  # the legacy palette's white
        return "FFFFFF"
    return ""


def _float(element: Any) -> float | None:
    try:
        return float(element.get("val")) if element is not None else None
    except (TypeError, ValueError):
        return None


def _int(text: str | None) -> int:
    return int(text) if text and text.isascii() and text.isdigit() and len(text) < 9 else 0


class Workbook:
    """An open xlsx package: sheet names, shared strings, custom properties, streamed sheets."""

    def __init__(self, path: Path) -> None:
        self.path = path
        check_xlsx(path)
        try:
            self.zip = zipfile.ZipFile(path)
            self.sheets = self._sheets()
            self.strings = self._shared_strings()
        except (KeyError, zipfile.BadZipFile, zlib.error, EOFError, SafeET.ParseError, UnsafeXml, ValueError) as exc:
            raise UnreadableFile(path, f"is not a readable Excel workbook ({type(exc).__name__}: {exc})") from None

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _xml(self, name: str) -> Any:
        return SafeET.fromstring(self.zip.read(name), forbid_dtd=True)

    def _sheets(self) -> dict[str, str]:
        """Sheet name -> part name inside the zip, in workbook order; `states` gets each one's state."""
        relationships = self._xml("xl/_rels/workbook.xml.rels").iter(f"{{{NS_PKG_REL}}}Relationship")
        rels = {r.get("Id"): r.get("Target", "") for r in relationships}
        sheets: dict[str, str] = {}
        self.states: dict[str, str] = {}  # sheet name -> "visible", "hidden" or "veryHidden"
        workbook = self._xml("xl/workbook.xml")
        for sheet in workbook.iter(f"{{{NS_MAIN}}}sheet"):
            target = rels.get(sheet.get(f"{{{NS_REL}}}id"), "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            sheets[sheet.get("name", "")] = part
            self.states[sheet.get("name", "")] = sheet.get("state", "visible")
        self.defined_names = [(d.get("name", ""), d.text or "") for d in workbook.iter(f"{{{NS_MAIN}}}definedName")]
        return sheets

    def cell_formats(self) -> list[CellFormat]:
        """The cell formats (`cellXfs`) by style index: number format code, font and fill colours."""
        if "xl/styles.xml" not in self.zip.namelist():
            return []
        try:
            root = self._xml("xl/styles.xml")
        except (SafeET.ParseError, UnsafeXml, ValueError, KeyError, zipfile.BadZipFile, zlib.error) as exc:
            raise UnreadableFile(self.path, f"its styles are damaged ({type(exc).__name__}: {exc})") from None
        codes = dict(BUILTIN_FORMATS)
        for nf in root.iter(f"{{{NS_MAIN}}}numFmt"):
            if (fid := nf.get("numFmtId", "")).isascii() and fid.isdigit():
                codes[int(fid)] = nf.get("formatCode", "")
        fonts = [(_colour(font.find(f"{{{NS_MAIN}}}color")), _float(font.find(f"{{{NS_MAIN}}}sz")))
                 for font in _children(root, "fonts", "font")]
        fills = [_colour(fill.find(f".//{{{NS_MAIN}}}fgColor")) if fill.find(f".//{{{NS_MAIN}}}patternFill[@patternType='solid']")
                 is not None else "" for fill in _children(root, "fills", "fill")]
        found = []
        for xf in _children(root, "cellXfs", "xf"):
            fmt_id, font_id, fill_id = (_int(xf.get(k)) for k in ("numFmtId", "fontId", "fillId"))
            colour, size = fonts[font_id] if 0 <= font_id < len(fonts) else ("", None)
            found.append(CellFormat(codes.get(fmt_id, f"(number format {fmt_id})"), colour, size,
                                    fills[fill_id] if 0 <= fill_id < len(fills) else ""))
        return found

    def _shared_strings(self) -> list[str]:
        if "xl/sharedStrings.xml" not in self.zip.namelist():
            return []
        fast = sheetxml.plain_strings(self.zip.read("xl/sharedStrings.xml"))
        if fast is not None:
            return fast
        strings = []
        for si in self._xml("xl/sharedStrings.xml").iter(f"{{{NS_MAIN}}}si"):
            # plain text is <t>; rich text is several <r><t>; phonetic runs (<rPh>) are not text
            parts = [t.text or "" for t in si.iter(f"{{{NS_MAIN}}}t")]
            phonetic = [t.text or "" for ph in si.iter(f"{{{NS_MAIN}}}rPh") for t in ph.iter(f"{{{NS_MAIN}}}t")]
            strings.append("".join(parts[: len(parts) - len(phonetic)] if phonetic else parts))
        return strings

    def custom_properties(self) -> dict[str, str]:
        if "docProps/custom.xml" not in self.zip.namelist():
            return {}
        found = {}
        for prop in self._xml("docProps/custom.xml").iter(f"{{{NS_CUSTOM}}}property"):
            value = next((child.text or "" for child in prop), "")
            found[prop.get("name", "")] = value
        return found

    def item_rows(self, sheet: str, lane: Lane, meta: SheetMeta) -> Iterator[tuple[int, Row | LaneRow]]:
        """The rows of a facility sheet, the item rows in the plain form read in one look each
        (`sheetlane`), the others as cells; the whole sheet cell by cell where the lane cannot read it."""
        part = self.sheets[sheet]
        try:
            if self.zip.getinfo(part).file_size <= sheetxml.FAST_LIMIT:
                found = SheetMeta()  # kept only if the lane reads the sheet
                rows = sheetlane.lane_rows(self.zip.read(part), self.strings, lane, found)
                if rows is not None:
                    for f in fields(SheetMeta):
                        setattr(meta, f.name, getattr(found, f.name))
                    yield from rows
                    return
        except (zipfile.BadZipFile, zlib.error, EOFError, KeyError) as exc:  # a damaged download
            raise UnreadableFile(self.path, f"sheet {sheet!r} is damaged ({type(exc).__name__}: {exc}); "
                                            "ask the bidder to send the file again") from None
        yield from self.rows(sheet, None, meta)

    def rows(self, sheet: str, columns: set[str] | None = None, meta: SheetMeta | None = None) -> Iterator[tuple[int, Row]]:
        """(row number, cells) of `sheet`, only the `columns` asked for (all if None); `meta`, if
        given, receives what the sheet says beside its cells (complete once the rows are read)."""
        part = self.sheets[sheet]
        meta = meta if meta is not None else SheetMeta()
        try:
            if self.zip.getinfo(part).file_size <= sheetxml.FAST_LIMIT:
                data = self.zip.read(part)
                found = SheetMeta()  # kept only if the fast path reads the sheet
                fast = sheetxml.fast_rows(data, self.strings, columns, found)
                if fast is not None:
                    for f in fields(SheetMeta):
                        setattr(meta, f.name, getattr(found, f.name))
                    yield from fast
                    return
            with self.zip.open(part) as fh:
                yield from sheetxml.expat_rows(fh, self.strings, columns, meta)
        except (zipfile.BadZipFile, zlib.error, EOFError, KeyError) as exc:  # a damaged download
            raise UnreadableFile(self.path, f"sheet {sheet!r} is damaged ({type(exc).__name__}: {exc}); "
                                            "ask the bidder to send the file again") from None


