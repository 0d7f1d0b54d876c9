"""The cells of a returned workbook as the readers give them: `Cell`, `Row`, `SheetMeta`, spreadsheet
error values and numbers, and the conversion of a cell's stored text into its value.

The base of the two workbook readers: `sheetxml` (one worksheet's XML, fast and exact paths) and
`xlsxscan` (the package: sheets, shared strings, styles) both build on it, so neither imports the other
backwards (issue 14: no import cycles in estimator/analysis).

Numbers are spreadsheet doubles written as text; `number()` turns them into Decimals of at most
15 significant digits (what Excel shows), so 0.30000000000000004 reads as 0.3. A number cell whose
text is not a plain ASCII number (NaN, Infinity, Arabic-Indic digits, an exponent beyond any double)
keeps its text, so that the checks can name it instead of reading it as empty or as a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Context, Decimal
from typing import NamedTuple

_DIGITS15 = Context(prec=15)
MAX_ROW = 1_048_576  # Excel's grid
MAX_COLUMN = 16_384  # XFD
_NUMBER = re.compile(r"\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]{1,6})?\s*")
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


class UnsafeXml(Exception):
    """XML that is refused (entity declarations) or damaged."""


class Cell(NamedTuple):
    """One cell: its formula (`=...`, or None), its value (the cached result of a formula) and its
    style (the index into the workbook's cell formats, the `s` attribute as written: b"" when none;
    kept as bytes so that reading a cell costs nothing more, `cell_style()` turns it into an index).

    A named tuple, not a dataclass: a large bid has ~200,000 cells and tuples are built in C.
    """

    formula: str | None
    value: object  # str, Decimal, bool, ErrorValue or None
    style: bytes = b""


@dataclass(slots=True)
class SheetMeta:
    """What a worksheet says beside its cells: what is hidden, merged, formatted on conditions,
    formulas that reach outside the workbook, and the damage the reader skipped."""

    hidden_rows: set[int] = field(default_factory=set)  # hidden, or too low to be seen
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)  # (first, last), 1-based
    merged: list[str] = field(default_factory=list)  # ranges such as "C190:F190"
    conditional: bool = False  # conditional formats can change what a cell shows
    outside: list[tuple[str, str]] = field(default_factory=list)  # (cell, formula) reaching outside
    problems: list[str] = field(default_factory=list)

    def column_hidden(self, index: int) -> bool:
        return any(first <= index <= last for first, last in self.hidden_columns)


def cell_style(style: bytes) -> int:
    """The index into the cell formats of a cell's `style` (0 when none or not a number)."""
    return int(style) if style.isdigit() and len(style) < 7 else 0


def column_index(letters: str) -> int:
    """1 for A, 26 for Z, 27 for AA...; the letters are at most three (checked by the callers)."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index


def split_ref(ref: str) -> tuple[str, int] | None:
    """("F", 12) for "F12"; None outside Excel's grid or not a cell reference."""
    m = _REF.fullmatch(ref)
    if m is None:
        return None
    row = int(m.group(2))
    if not 1 <= row <= MAX_ROW or column_index(m.group(1)) > MAX_COLUMN:
        return None
    return m.group(1), row


@dataclass(frozen=True, slots=True)
class ErrorValue:
    """A spreadsheet error such as #REF! or #VALUE! (cached result of a broken formula)."""

    code: str

    def __str__(self) -> str:
        return self.code


Row = dict[str, Cell]  # column letter -> cell


class NotANumber(str):
    """The text of a number cell that no spreadsheet reads as a number (NaN, Infinity, Arabic-Indic
    digits, an exponent beyond any double): kept so that the checks can name it."""


def number(text: str) -> Decimal | NotANumber | None:
    """The number a cell's text holds (15 significant digits); `NotANumber(text)` when it is not a
    plain ASCII number; None if empty."""
    if not text.strip():
        return None
    if _NUMBER.fullmatch(text) is None:
        return NotANumber(text[:200])
    try:
        return _DIGITS15.plus(Decimal(text.strip()))
    except ArithmeticError:  # InvalidOperation, Overflow: 1E+999999
        return NotANumber(text[:200])



def cell_value(kind: str, raw: str | None, inline: str | None, strings: list[str]) -> object:
    """The value of a cell of type `kind` (the `t` attribute) whose `<v>` text is `raw`."""
    if kind == "inlineStr":
        return inline or ""
    if raw is None or raw == "":
        return None
    if kind == "s":
        index = int(raw) if raw.strip().isascii() and raw.strip().isdigit() and len(raw) < 10 else -1
        return strings[index] if 0 <= index < len(strings) else ""
    if kind == "str":
        return raw
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "e":
        return ErrorValue(raw.strip())
    return number(raw)


