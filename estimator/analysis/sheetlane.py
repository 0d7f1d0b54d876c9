"""The item rows of a facility sheet read in one look each: a fast lane beside the cell-by-cell reader.

Most rows of a returned bid are item rows in the form the tender wrote them and a spreadsheet saved
them: the layout's cells in order, typed values, and the issued amount formula `ROUND(Dn*En,2)`. One
compiled expression (`Lane.pattern`, built from the issued layout's column letters) matches such a
whole row in C and captures only what the evaluation reads: the item identity, the descriptions, the
unit, the quantity, the rate and the amount with their styles. Every other row (headers, bill totals,
the bidder block, rows a bidder added, moved, re-typed or wrote in another form) is read by the
cell-by-cell reader (`sheetxml`), in document order, with the same sheet-wide state (shared formulas).

The sheet is split at the rows the expression matches (`re.split`: the text between them and each
match's captures, all in C); each captured column is decoded at once (`_values`: a column of shared
strings or of plain numbers is read inline, any other cell by `_value`), and the rows are built in C.
A lane row keeps its XML: whatever needs its cells (an anomaly, a format check) gets them from the
cell-by-cell reader over those bytes (`LaneRow.cells`), so a row reads the same through either path
(`tests/test_bids_libreoffice.py` and `tests/test_bids_files.py` compare them).

The sheet-wide checks are the cell-by-cell reader's (`sheetxml.plain_form`: document types, prefixes,
hidden rows and columns, merged ranges). A lane row holds nothing but the lane's cells and the issued
formula (the expression matches it from `<row r="n"` to `</row>`); between lane rows, every `<c` tag
must be a cell the cell expression reads, every row tag a plain one, and formulas reaching outside are
looked for there. If any check fails, or two consecutive rows share a number (the other reader joins them),
`lane_rows` returns None and the caller reads the sheet as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache, partial
from itertools import accumulate, chain, repeat
from operator import itemgetter
from typing import Any, NamedTuple

from estimator.analysis import sheetxml
from estimator.analysis.cells import MAX_ROW, Row, SheetMeta

# What a lane row's cells may hold, and what the expression captures of each (a capture is a bytes
# object per row: only what the evaluation reads is captured). A text cell (the identity, the
# descriptions, the unit): its type and its value or inline text; a text with entities, or a type
# other than s, n and inlineStr (booleans, errors, formula strings), goes cell by cell. A figure
# (quantity, rate, amount): its style and value, only a number in the short plain form `short_number`
# reads exactly (a text there, the header's or an "incl." for a rate, an exponent or a long number goes
# cell by cell), the amount its formula too. Any other cell (the item reference): nothing.
TEXTS = ("uid", "unit", "description", "description_ar")
FIGURES = ("quantity", "rate", "amount")
_STYLE = (rb'(?: s="(\d{1,6})")?+', rb'(?: s="\d{1,6}")?+')  # captured, not
_TEXT = rb'(?: t="(s|n|inlineStr)")?+(?:/>|>{formula}(?:<v>([^<&]*+)</v>|<v\s*/>|<is><t>([^<&]*+)</t></is>)?+</c>)'
_FIGURE = rb'(?: t="n")?+(?:/>|>{formula}(?:<v>([0-9.-]{{1,15}}+)</v>|<v\s*/>|<is><t>[^<&]*+</t></is>)?+</c>)'
_OTHER = rb'(?: t="(?:s|n|inlineStr)")?+(?:/>|>{formula}(?:<v>[^<&]*+</v>|<v\s*/>|<is><t>[^<&]*+</t></is>)?+</c>)'
_CAPTURES = {"text": ("type", "value", "inline"), "figure": ("style", "value"), "other": ()}


@dataclass(frozen=True, slots=True)
class Lane:
    """What a lane row of one issued layout looks like, and where its captures are."""

    pattern: re.Pattern[bytes]  # group 1: the whole row; group 2: its number; then the cells' captures
    keys: tuple[str, ...]  # the layout's column keys in column order
    groups: dict[str, dict[str, int]]  # column key -> what is captured ("type", "style", ...) -> its group


@lru_cache(maxsize=8)
def lane(columns: tuple[tuple[str, str], ...]) -> Lane:
    """The lane of a layout whose columns are `columns` ((key, letter), ...); `amount` holds
    `ROUND(<quantity>n*<rate>n,2)`, which LibreOffice writes with `aca="false"`."""
    # Every repetition is possessive (`?+`, `*+`): a part that began to match is never given back,
    # since no other way through the row could match then (the next cell's letter, `</row>`); a row
    # that does not match is left after one pass, and the sheet is split in two thirds of the time.
    by_key = dict(columns)
    ordered = sorted(columns, key=lambda kv: (len(kv[1]), kv[1]))
    parts = [rb'(<row r="([1-9][0-9]{0,6})"[^<>]*+>']
    groups: dict[str, dict[str, int]] = {}
    group = 2
    for key, letter in ordered:
        kind = "text" if key in TEXTS else "figure" if key in FIGURES else "other"
        captured = _CAPTURES[kind] + (("formula",) if key == "amount" else ())
        formula = b""
        if key == "amount":
            q, r = by_key["quantity"].encode(), by_key["rate"].encode()
            formula = rb'(?:<f(?: aca="false")?+>(ROUND\(' + q + rb"\2\*" + r + rb'\2,2\))</f>)?+'
        cell = {"text": _TEXT, "figure": _FIGURE, "other": _OTHER}[kind].replace(b"{formula}", formula)
        cell = cell.replace(b"{{", b"{").replace(b"}}", b"}")
        parts.append(rb'(?:<c r="' + letter.encode() + rb'\2"' + _STYLE[kind != "figure"] + cell + rb")?+")
        # the groups in the order they open: style, type, formula, value, inline
        order = [name for name in ("style", "type", "formula", "value", "inline") if name in captured]
        groups[key] = {name: group + n for n, name in enumerate(order, start=1)}
        group += len(order)
    parts.append(rb"</row>)")
    pattern = re.compile(b"".join(parts))
    assert pattern.groups == group, "the lane's groups are counted as the expression opens them"
    return Lane(pattern, tuple(k for k, _ in ordered), groups)


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
    xml: bytes  # the row as written, from `<row` to `</row>`
    strings: list[str]  # the workbook's shared strings

    def cells(self) -> Row:
        """The row's cells as the cell-by-cell reader reads them."""
        found = sheetxml.cells_in(self.xml, 0, len(self.xml))
        rows = sheetxml.fast_cells(found, self.strings, None, SheetMeta(), False, sheetxml.Shared())
        if not rows or len(rows) != 1:  # cannot be: the lane matched one row of plain cells
            raise ValueError("a lane row that the cell reader reads otherwise")
        return rows[0][1]


_lane_row = partial(tuple.__new__, LaneRow)  # LaneRow((...)) built in C
CHUNK = 1 << 20  # bytes of a sheet split at once: the captures of a chunk's rows are in memory together


def lane_rows(data: bytes, strings: list[str], spec: Lane, meta: SheetMeta) -> list[tuple[int, Row | LaneRow]] | None:
    """The rows of a facility sheet in document order, item rows in the plain form as `LaneRow`s and
    the others as cells; None when the sheet must be read cell by cell (see the module docstring)."""
    if sheetxml.plain_form(data, meta, outside=False) is None:  # a lane row's one formula is the issued one
        return None
    reader = sheetxml.CellReader(strings, meta)
    out: list[tuple[int, Row | LaneRow]] = []
    last, unread = -1, 0  # the number of the last row taken; where the text not read yet begins
    start = 0
    try:
        while start < len(data):
            # a chunk ends where a row tag begins: a lane row holds none, so no match crosses the end
            end = data.find(b'<row r="', start + CHUNK)
            end = len(data) if end < 0 else end
            for begin, after, number, row in _items(data[start:end], start, strings, spec):
                if begin > unread:  # rows between: read cell by cell
                    if (rows := _read(reader, data, unread, begin, last)) is None:
                        return None
                    out += rows
                    last = rows[-1][0] if rows else last
                at = int(number)
                if at > MAX_ROW or at == last:
                    return None
                last, unread = at, after
                out.append((at, row))
            start = end
        if (rows := _read(reader, data, unread, len(data), last)) is None:
            return None
        out += rows
    except (UnicodeDecodeError, ValueError):
        return None
    return out


def _items(text: bytes, offset: int, strings: list[str], spec: Lane) -> Iterator[tuple[int, int, bytes, LaneRow]]:
    """(where it begins, where it ends, its row number, the row) for each row of `text` (at `offset`
    in the sheet) that the lane's expression matches and that holds an item identity; a match without
    one (a header, a section) is left to the cell-by-cell reader with the text around it."""
    # `text` split at the rows the expression matches: [text before, captures..., text between, ...],
    # a capture None where its part of the expression was not used (a cell without a type, no value)
    parts = spec.pattern.split(text)
    stride = spec.pattern.groups + 1

    def column(key: str, name: str) -> Sequence[Any]:
        return parts[spec.groups[key][name]::stride]

    uids = [uid.strip() if type(uid) is str else "" for uid in _texts(
        column("uid", "type"), column("uid", "value"), column("uid", "inline"), strings)]
    items = [i for i, uid in enumerate(uids) if uid]
    if len(items) == len(uids):  # the common case: every match is an item row
        def take(column: Sequence[Any]) -> Sequence[Any]:
            return column
    else:
        pick = itemgetter(*items) if len(items) > 1 else lambda column: tuple(column[i] for i in items)

        def take(column: Sequence[Any]) -> Sequence[Any]:
            return pick(column)

    def texts(key: str) -> list[object]:
        return _texts(take(column(key, "type")), take(column(key, "value")), take(column(key, "inline")), strings)

    def numbers(key: str) -> list[object]:
        return _numbers(take(column(key, "value")))

    # where each match begins and ends: the lengths of the texts between and of the matches, summed
    ends = list(accumulate(map(len, chain.from_iterable(zip(parts[0::stride], parts[1::stride], strict=False))),
                           initial=offset))
    styles = zip(*(_bytes(take(column(k, "style"))) for k in FIGURES), strict=True)
    rows = map(_lane_row, zip(  # a LaneRow per item row, built in C; `repeat` never ends: not strict
        take(uids), zip(*(texts(k) for k in spec.keys if k.startswith("description")), strict=True),
        texts("unit"), numbers("quantity"), numbers("rate"), numbers("amount"), _bytes(take(column("amount", "formula"))),
        styles, take(parts[1::stride]), repeat(strings), strict=False))
    return zip(take(ends[1::2]), take(ends[2::2]), take(parts[2::stride]), rows, strict=True)


def _read(reader: sheetxml.CellReader, data: bytes, start: int, end: int, last: int) -> list[tuple[int, Row]] | None:
    """The rows of `data[start:end]` read cell by cell; None if they cannot be read so, or if the
    first is row `last`, the lane row before (the cell reader would join them)."""
    rows = reader.read(data, start, end)
    return None if rows is None or (rows and rows[0][0] == last) else rows


def _texts(kinds: Sequence[Any], values: Sequence[Any], inlines: Sequence[Any], strings: list[str]) -> list[object]:
    """A column of text cells' values as `sheetxml.fast_cells` reads them (the lane's types: s, n,
    inlineStr): a column of shared strings by list look-ups in C, any other by `_value`, cell by cell."""
    if values and kinds.count(b"s") == len(kinds) and None not in values and all(map(bytes.isdigit, values)) \
            and max(map(len, values)) < 10:
        indexes = list(map(int, values))
        if max(indexes) < len(strings):
            return list(map(strings.__getitem__, indexes))
    return [_value(k, v, i, strings) for k, v, i in zip(kinds, values, inlines, strict=True)]


def _numbers(values: Sequence[Any]) -> list[object]:
    """A column of figures' values as `sheetxml.fast_cells` reads them: each a plain number of at most
    15 characters (`_FIGURE`), whose Decimal is what `short_number` gives, or None (no value)."""
    try:
        if None in values:  # an empty cell (a rate not priced)
            return [None if v is None else Decimal(v.decode()) for v in values]
        return list(map(Decimal, map(bytes.decode, values)))
    except InvalidOperation:  # "1.2.3": text (`short_number`)
        return [sheetxml.number_text(v) if v else None for v in values]


def _value(kind: bytes | None, v: bytes | None, inline: bytes | None, strings: list[str]) -> object:
    """A cell's value as `sheetxml.fast_cells` reads it (types s, n and inlineStr: the lane's)."""
    if kind == b"s":
        return sheetxml.shared_text(v or b"", strings)
    if kind == b"inlineStr":
        return (inline or b"").decode("utf-8")
    return sheetxml.number_text(v) if v else None


def _bytes(captures: Sequence[bytes | None]) -> list[bytes]:
    """Captures with b"" for None (a part of the expression not used)."""
    return [b"" if c is None else c for c in captures]
