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
15 significant digits (what Excel shows), so 0.30000000000000004 reads as 0.3.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

from defusedxml import ElementTree as SafeET

from estimator.readers import UnreadableFile, check_xlsx

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_DIGITS15 = Context(prec=15)


class UnsafeXml(Exception):
    """XML that is refused (entity declarations) or damaged."""


class Cell(NamedTuple):
    """One cell: its formula (`=...`, or None) and its value (the cached result of a formula).

    A named tuple, not a dataclass: a large bid has ~200,000 cells and tuples are built in C.
    """

    formula: str | None
    value: object  # str, Decimal, bool, ErrorValue or None


@dataclass(frozen=True, slots=True)
class ErrorValue:
    """A spreadsheet error such as #REF! or #VALUE! (cached result of a broken formula)."""

    code: str

    def __str__(self) -> str:
        return self.code


Row = dict[str, Cell]  # column letter -> cell


def number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return _DIGITS15.plus(value) if value.is_finite() else None


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
        """Sheet name -> part name inside the zip, in workbook order."""
        relationships = self._xml("xl/_rels/workbook.xml.rels").iter(f"{{{NS_PKG_REL}}}Relationship")
        rels = {r.get("Id"): r.get("Target", "") for r in relationships}
        sheets: dict[str, str] = {}
        for sheet in self._xml("xl/workbook.xml").iter(f"{{{NS_MAIN}}}sheet"):
            target = rels.get(sheet.get(f"{{{NS_REL}}}id"), "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            sheets[sheet.get("name", "")] = part
        return sheets

    def _shared_strings(self) -> list[str]:
        if "xl/sharedStrings.xml" not in self.zip.namelist():
            return []
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

    def rows(self, sheet: str, columns: set[str] | None = None) -> Iterator[tuple[int, Row]]:
        """(row number, cells) of `sheet`, only the `columns` asked for (all if None)."""
        from estimator.analysis import sheetxml

        part = self.sheets[sheet]
        try:
            if self.zip.getinfo(part).file_size <= sheetxml.FAST_LIMIT:
                data = self.zip.read(part)
                fast = sheetxml.fast_rows(data, self.strings, columns)
                if fast is not None:
                    yield from fast
                    return
            with self.zip.open(part) as fh:
                yield from sheetxml.expat_rows(fh, self.strings, columns)
        except (zipfile.BadZipFile, zlib.error, EOFError, KeyError) as exc:  # a damaged download
            raise UnreadableFile(self.path, f"sheet {sheet!r} is damaged ({type(exc).__name__}: {exc}); "
                                            "ask the bidder to send the file again") from None


def cell_value(kind: str, raw: str | None, inline: str | None, strings: list[str]) -> object:
    """The value of a cell of type `kind` (the `t` attribute) whose `<v>` text is `raw`."""
    if kind == "inlineStr":
        return inline or ""
    if raw is None or raw == "":
        return None
    if kind == "s":
        index = int(raw) if raw.strip().isdigit() else -1
        return strings[index] if 0 <= index < len(strings) else ""
    if kind == "str":
        return raw
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "e":
        return ErrorValue(raw.strip())
    return number(raw)


