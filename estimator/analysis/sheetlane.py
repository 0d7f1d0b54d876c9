"""The item rows of a facility sheet read in one look each: a fast lane beside the cell-by-cell reader.

Most rows of a returned bid are item rows in the form the tender wrote them and a spreadsheet saved
them: the layout's cells in order, typed values, and the issued amount formula `ROUND(Dn*En,2)`. One
compiled expression (`Lane.pattern`, built from the issued layout's column letters) matches such a
whole row in C and captures only what the evaluation reads: the item identity, the descriptions, the
unit, the quantity, the rate and the amount with their styles. Every other row (headers, bill totals,
the bidder block, rows a bidder added, moved, re-typed or wrote in another form) is read by the
cell-by-cell reader (`sheetxml`), in document order, with the same sheet-wide state (shared formulas).

A lane row keeps where it lies in the sheet: whatever needs its cells (an anomaly, a format check)
gets them from the cell-by-cell reader over those bytes (`LaneRow.cells`), so a row reads the same
through either path (`tests/test_bids_libreoffice.py` and `tests/test_bids_files.py` compare them).

The sheet-wide checks are the cell-by-cell reader's (`sheetxml.plain_form`: document types, prefixes,
irregular row tags, hidden rows and columns, merged ranges). A lane row holds nothing but the lane's
cells and the issued formula (the expression matches it from `<row` to `</row>`); between lane rows,
every `<c` tag must be a cell the cell expression reads and formulas reaching outside are looked for
there. If any check fails, or two consecutive rows share a number (the other reader joins them),
`lane_rows` returns None and the caller reads the sheet as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import NamedTuple

from estimator.analysis import sheetxml
from estimator.analysis.cells import MAX_ROW, Row, SheetMeta

# the cell types a lane row may hold; anything else (booleans, errors, formula strings) goes cell by cell
_TYPES = rb"(?: t=\"(s|n|inlineStr)\")?"
_VALUE = rb"(?:<v>([^<&]*)</v>|<v\s*/>|<is><t>([^<&]*)</t></is>)?"  # text with entities goes cell by cell


@dataclass(frozen=True, slots=True)
class Lane:
    """What a lane row of one issued layout looks like, and where its captures are."""

    pattern: re.Pattern[bytes]
    keys: tuple[str, ...]  # the layout's column keys in column order (each cell: style, type, value, inline)
    amount: str  # the key whose cell carries the amount formula (one more capture: the formula)

    def at(self, key: str) -> int:
        """The index of `key`'s first capture (its style) in a match's groups, after the row number."""
        index = 1
        for k in self.keys:
            if k == key:
                return index
            index += 5 if k == self.amount else 4
        raise KeyError(key)


@lru_cache(maxsize=8)
def lane(columns: tuple[tuple[str, str], ...]) -> Lane:
    """The lane of a layout whose columns are `columns` ((key, letter), ...); `amount` holds
    `ROUND(<quantity>n*<rate>n,2)`, which LibreOffice writes with `aca="false"`."""
    by_key = dict(columns)
    ordered = sorted(columns, key=lambda kv: (len(kv[1]), kv[1]))
    parts = [rb'<row r="([1-9][0-9]{0,6})"[^<>]*>']
    for key, letter in ordered:
        formula = b""
        if key == "amount":
            q, r = by_key["quantity"].encode(), by_key["rate"].encode()
            formula = rb'(?:<f(?: aca="false")?>(ROUND\(' + q + rb"\1\*" + r + rb'\1,2\))</f>)?'
        parts.append(rb'(?:<c r="' + letter.encode() + rb'\1"(?: s="(\d{1,6})")?' + _TYPES
                     + rb"(?:/>|>" + formula + _VALUE + rb"</c>))?")
    parts.append(rb"</row>")
    return Lane(re.compile(b"".join(parts)), tuple(k for k, _ in ordered), "amount")


class LaneRow(NamedTuple):
    """An item row read in one look: the figures the evaluation reads, and its cells on demand."""

    uid: str
    descriptions: tuple[object, ...]  # the description columns' values, in column order
    unit: object
    quantity: object
    rate: object
    amount: object
    formula: bytes  # the amount's formula (the issued one) as written, b"" when the cell has none
    styles: tuple[bytes, bytes, bytes]  # of the quantity, rate and amount cells
    where: tuple[_Sheet, int, int]  # the sheet and the row's bytes in it

    def cells(self) -> Row:
        """The row's cells as the cell-by-cell reader reads them."""
        sheet, start, end = self.where
        found = sheetxml.cells_in(sheet.data, start, end)
        rows = sheetxml.fast_cells(found, sheet.strings, None, SheetMeta(), False, sheetxml.Shared())
        if not rows or len(rows) != 1:  # cannot be: the lane matched one row of plain cells
            raise ValueError("a lane row that the cell reader reads otherwise")
        return rows[0][1]


_lane_row = partial(tuple.__new__, LaneRow)  # LaneRow((...)) built in C


class _Sheet:
    __slots__ = ("data", "strings")

    def __init__(self, data: bytes, strings: list[str]) -> None:
        self.data, self.strings = data, strings


def lane_rows(data: bytes, strings: list[str], spec: Lane, meta: SheetMeta) -> list[tuple[int, Row | LaneRow]] | None:
    """The rows of a facility sheet in document order, item rows in the plain form as `LaneRow`s and
    the others as cells; None when the sheet must be read cell by cell (see the module docstring)."""
    if sheetxml.plain_form(data, meta, outside=False) is None:  # a lane row's one formula is the issued one
        return None
    sheet = _Sheet(data, strings)
    reader = sheetxml.CellReader(strings, meta)
    out: list[tuple[int, Row | LaneRow]] = []
    last = -1
    position = 0
    texts: dict[bytes, object] = {}
    numbers: dict[bytes, object] = {}

    def value(kind: bytes, v: bytes, inline: bytes) -> object:
        """A cell's value as `sheetxml.fast_cells` reads it (types s, n and inlineStr: the lane's)."""
        if kind == b"s":
            found = texts.get(v)
            if found is None:
                found = texts[v] = sheetxml.shared_text(v, strings)
            return found
        if kind == b"inlineStr":
            return inline.decode("utf-8")
        if not v:
            return None
        found = numbers.get(v)
        if found is None:
            found = numbers[v] = sheetxml.number_text(v)
        return found

    keys = spec.keys
    texts_at = tuple(spec.at(k) for k in keys if k.startswith("description"))
    unit, qty, rate, amount, uid_at = (spec.at(k) for k in ("unit", "quantity", "rate", "amount", "uid"))
    try:
        for m in spec.pattern.finditer(data):
            g = m.groups(b"")
            uid = value(g[uid_at + 1], g[uid_at + 2], g[uid_at + 3])
            if not isinstance(uid, str) or not uid.strip():
                continue  # not an item row: read with the rows around it, cell by cell
            start = m.start()
            if start > position:
                rows = reader.read(data, position, start)
                if rows is None:
                    return None
                if rows:
                    if rows[0][0] == last:
                        return None  # the cell reader would join it to the row before
                    out += rows
                    last = rows[-1][0]
            number_ = int(g[0])
            if number_ > MAX_ROW or number_ == last:
                return None
            last = number_
            position = m.end()
            out.append((number_, _lane_row((
                uid.strip(), tuple([value(g[i + 1], g[i + 2], g[i + 3]) for i in texts_at]),
                value(g[unit + 1], g[unit + 2], g[unit + 3]), value(g[qty + 1], g[qty + 2], g[qty + 3]),
                value(g[rate + 1], g[rate + 2], g[rate + 3]), value(g[amount + 1], g[amount + 3], g[amount + 4]),
                g[amount + 2], (g[qty], g[rate], g[amount]), (sheet, start, position)))))
        rows = reader.read(data, position, len(data))
        if rows is None or (rows and rows[0][0] == last):
            return None
        out += rows
    except (UnicodeDecodeError, ValueError):
        return None
    return out
