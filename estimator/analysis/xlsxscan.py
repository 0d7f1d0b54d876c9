"""Reading a returned workbook's cells, formula and cached value together, in one streaming pass.

Why not openpyxl here: a returned bid must be read twice with openpyxl (once for the formulas, once
for the values Excel cached), and each pass over an 80-facility, 24,000-item workbook takes about
3 seconds (openpyxl scans every sheet once more just to size it when the file has no dimension
record, as files written in write-only mode do not). Ten bids would take a minute. This module
reads each worksheet's XML once with expat and keeps, per cell, both the formula text and the
cached value, ten times faster. It never evaluates a formula and never follows an external link.

Safety: the file has passed `estimator.readers.check_xlsx` (zip size and ratio bounds, no OLE);
XML with a document type declaration or entity declarations is refused (no entity expansion), the
small parts (workbook, relationships, shared strings, properties) are parsed with defusedxml.

Numbers are spreadsheet doubles written as text; `number()` turns them into Decimals of at most
15 significant digits (what Excel shows), so 0.30000000000000004 reads as 0.3.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from defusedxml import ElementTree as SafeET

from estimator.readers import UnreadableFile, check_xlsx

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_DIGITS15 = Context(prec=15)


class UnsafeXml(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell: its formula (`=...`, or None) and its value (the cached result of a formula)."""

    formula: str | None
    value: object  # str, Decimal, bool, ErrorValue or None

    @property
    def is_formula(self) -> bool:
        return self.formula is not None


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
        except (KeyError, zipfile.BadZipFile, SafeET.ParseError, UnsafeXml, ValueError) as exc:
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
        part = self.sheets[sheet]
        with self.zip.open(part) as fh:
            yield from _parse_sheet(fh, self.strings, columns)


def _parse_sheet(fh: IO[bytes], strings: list[str], columns: set[str] | None) -> Iterator[tuple[int, Row]]:
    """expat over one worksheet, yielding rows as they complete.

    The handlers are closures over local state: expat calls them about twenty times per cell, and
    attribute look-ups on an object would double the time of a large sheet.
    """
    done: list[tuple[int, Row]] = []
    row: Row = {}
    text: list[str] = []
    inline: list[str] = []
    shared: dict[str, tuple[str, str]] = {}  # shared formula index -> (master formula, master cell)
    # [row number, cell position in row, ref, type, formula, value text, f attributes, inside f/v/t]
    st: list[Any] = [0, 0, "", "n", None, None, {}, ""]
    prefix = ""

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal prefix, row
        if prefix:
            name = name.removeprefix(prefix)
        if name == "c":
            st[1] += 1
            st[2], st[3], st[4], st[5] = attrs.get("r", ""), attrs.get("t", "n"), None, None
            inline.clear()
        elif name == "v" or name == "f":
            st[7] = name
            text.clear()
            if name == "f":
                st[6] = attrs
        elif name == "row":
            st[0] = int(attrs["r"]) if "r" in attrs else st[0] + 1
            st[1] = 0
            row = {}
        elif name == "t" and st[3] == "inlineStr":
            st[7] = "t"
            text.clear()
        elif ":" in name and name.endswith(":worksheet"):  # `x:worksheet`: every name has the prefix
            prefix = name[: name.index(":") + 1]

    def chars(data: str) -> None:
        if st[7]:
            text.append(data)

    def end(name: str) -> None:
        if prefix:
            name = name.removeprefix(prefix)
        if name == "c":
            _store(row, st, inline, strings, columns)
        elif name == "v":
            st[5] = "".join(text)
            st[7] = ""
        elif name == "f":
            st[4] = _formula("".join(text), st[6], st[2], shared)
            st[7] = ""
        elif name == "t" and st[7] == "t":
            inline.append("".join(text))
            st[7] = ""
        elif name == "row":
            done.append((st[0], row))

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    try:
        while chunk := fh.read(1 << 16):
            parser.Parse(chunk, False)
            yield from done
            done.clear()
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise UnsafeXml(f"damaged worksheet XML: {exc}") from None
    yield from done


def _formula(text: str, attrs: dict[str, str], ref: str, shared: dict[str, tuple[str, str]]) -> str:
    if attrs.get("t") == "shared" and "si" in attrs:
        if text:  # the master cell of a shared formula
            shared[attrs["si"]] = (text, ref)
        elif attrs["si"] in shared:  # a dependent cell: the master formula moved to this cell
            from openpyxl.formula.translate import Translator

            master, origin = shared[attrs["si"]]
            return str(Translator(f"={master}", origin=origin).translate_formula(ref))
    return f"={text}"


def _store(row: Row, st: list[Any], inline: list[str], strings: list[str], columns: set[str] | None) -> None:
    ref: str = st[2]
    column = ref.rstrip("0123456789")
    if not column:  # a cell without a reference is numbered by its position in the row
        from openpyxl.utils import get_column_letter

        column = get_column_letter(st[1])
    if columns is not None and column not in columns:
        return
    raw: str | None = st[5]
    kind: str = st[3]
    value: object = None
    if kind == "inlineStr":
        value = "".join(inline)
    elif raw is None:
        value = None
    elif kind == "s":
        index = int(raw)
        value = strings[index] if 0 <= index < len(strings) else ""
    elif kind == "str":
        value = raw
    elif kind == "b":
        value = raw.strip() in ("1", "true")
    elif kind == "e":
        value = ErrorValue(raw.strip())
    else:
        value = number(raw)
    if value is not None or st[4] is not None:
        row[column] = Cell(st[4], value)


def _refuse(*args: object) -> int:
    raise UnsafeXml("the worksheet declares a document type or entities; refused")
