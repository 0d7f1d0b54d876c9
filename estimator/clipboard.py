"""Copying BoQ rows out and pasting rows in: tab-separated text (Excel) and our own exact format.

No Qt here. Copy gives Excel-compatible tab-separated text of the printed figures and, for pasting
back into the window, a JSON list of the items' fields. Pasting tab-separated text from Excel:
a first row that names columns (Description, Qty, Unit, Rate, Code, الكمية, ...) maps them by
name; otherwise full rows of our 8 columns map one to one, and narrower blocks map onto the
columns starting at the current cell, as in a spreadsheet. Each cell is parsed like typed input;
a cell that does not parse is kept as text with its problem, beside the row, never dropped.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from typing import Any

from estimator.cell_input import HEADERS, Col, parse_cell
from estimator.errors import UserError
from estimator.model import ITEM_KINDS, MEASURED, Item, Programme
from estimator.money import plain
from estimator.pricing import Line
from estimator.rates.book import RateBook
from estimator.units import label
from estimator.worklist import COLUMNS as WORKLIST_COLUMNS

ITEMS_MIME = "application/x-boq-items+json"
_COPIED_FIELDS = ("description", "description_ar", "quantity", "unit", "rate_code", "rate", "rate_currency",
                  "rate_unit", "provisional", "notes", "measurement", "kind")
_ADDED_LATER = {"measurement": "", "kind": MEASURED}  # absent in copies from before the field existed
_BY_NAME: dict[str, Col] = {
    **{" ".join(h.casefold().split()): c for c, h in HEADERS.items()},
    **{name: Col.DESC for name in WORKLIST_COLUMNS["description"]},
    **{name: Col.DESC_AR for name in WORKLIST_COLUMNS["description_ar"]},
    **{name: Col.QTY for name in WORKLIST_COLUMNS["quantity"]},
    **{name: Col.UNIT for name in WORKLIST_COLUMNS["unit"]},
    **{name: Col.CODE for name in WORKLIST_COLUMNS["code"]},
    **{name: Col.RATE for name in WORKLIST_COLUMNS["rate"]},
    "no": Col.REF, "no.": Col.REF, "ref": Col.REF, "id": Col.REF, "بند": Col.REF,
    "amount": Col.AMOUNT, "total": Col.AMOUNT, "cost": Col.AMOUNT, "المبلغ": Col.AMOUNT, "الإجمالي": Col.AMOUNT,
}
# the order pasted cells are applied in: the rate decides the billing unit that quantities are read in
_APPLY_ORDER = (Col.CODE, Col.UNIT, Col.RATE, Col.QTY, Col.DESC, Col.DESC_AR)
_ITEM_FIELDS = tuple(f.name for f in fields(Item) if f.name != "uid")


def to_tsv(lines: Iterable[Line]) -> str:
    """Tab-separated text of printed figures, one row per line, for Excel."""
    out = io.StringIO()
    writer = csv.writer(out, dialect="excel-tab", lineterminator="\r\n")
    for ln in lines:
        it = ln.item
        writer.writerow([it.ref, it.description, it.description_ar, plain(ln.quantity), label(ln.unit), it.rate_code,
                         plain(ln.rate), plain(ln.amount)])
    return out.getvalue()


def to_json(items: Iterable[Item]) -> str:
    rows = []
    for it in items:
        rows.append({name: (str(v) if isinstance(v := getattr(it, name), Decimal) else v) for name in _COPIED_FIELDS})
    return json.dumps(rows, ensure_ascii=False)


def from_json(text: str) -> list[Item]:
    """Fresh items (new identities) from our own copied JSON; ValueError if it is not ours."""
    rows = json.loads(text)
    items = []
    for row in rows:
        fields: dict[str, Any] = {name: row[name] for name in _COPIED_FIELDS if name not in _ADDED_LATER}
        fields.update({name: str(row.get(name, default)) for name, default in _ADDED_LATER.items()})
        if fields["kind"] not in ITEM_KINDS:
            raise ValueError(f"not an item kind: {fields['kind']!r}")
        fields["quantity"] = Decimal(fields["quantity"])
        fields["rate"] = None if fields["rate"] is None else Decimal(fields["rate"])
        items.append(Item(**fields))
    return items


def parse_tsv(text: str) -> list[list[str]]:
    """Rows of cells from tab-separated text as Excel puts it on the clipboard (quoted multi-line cells)."""
    rows = [row for row in csv.reader(io.StringIO(text.replace("\r\n", "\n")), dialect="excel-tab")]
    return [r for r in rows if any(c.strip() for c in r)]


def _header(row: Sequence[str]) -> list[Col | None] | None:
    cols = [_BY_NAME.get(" ".join(c.casefold().replace("²", "2").split())) for c in row]
    return cols if sum(c is not None for c in cols) >= 2 else None


def has_header(row: Sequence[str]) -> bool:
    """True when `row` names columns (Description, Qty, ...) rather than holding values."""
    return _header(row) is not None


def map_columns(rows: list[list[str]], start: Col) -> tuple[list[Col | None], list[list[str]]]:
    """Which column each pasted cell goes to, and the data rows (without a header row)."""
    if not rows:
        return [], []
    header = _header(rows[0])
    if header is not None:
        return header, rows[1:]
    width = max(len(r) for r in rows)
    first = 0 if width >= len(Col) else int(start)
    return [Col(first + i) if first + i < len(Col) else None for i in range(width)], rows


@dataclass
class Pasted:
    items: list[Item] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)  # library rates the snapshot needs
    problems: dict[tuple[str, Col], tuple[str, str]] = field(default_factory=dict)  # (uid, col) -> (text, message)


@dataclass
class CellEdits:
    """Texts written into existing cells (paste, fill down, clear), parsed like typing."""

    changes: dict[int, dict[str, Any]] = field(default_factory=dict)  # row -> the item's changed fields
    codes: set[str] = field(default_factory=set)  # library rates the snapshot needs
    problems: dict[tuple[int, Col], tuple[str, str]] = field(default_factory=dict)  # (row, col) -> (text, message)
    accepted: set[tuple[int, Col]] = field(default_factory=set)


# what Delete writes into a cell to clear it; the description cannot be empty, the amount is computed
CLEARED = {Col.REF: "", Col.DESC_AR: "", Col.QTY: "0", Col.CODE: "", Col.RATE: ""}


def cell_edits(items: Sequence[Item], cells: dict[tuple[int, int], str], programme: Programme, library: RateBook) -> CellEdits:
    """The field changes of each row for `cells` ((row, column) -> text), in the order a row's cells depend on each other."""
    result = CellEdits()
    by_row: dict[int, dict[Col, str]] = {}
    for (row, col), text in cells.items():
        by_row.setdefault(row, {})[Col(col)] = text
    for row, texts in sorted(by_row.items()):
        item = items[row]
        work = replace(item)
        for col in (*_APPLY_ORDER, Col.REF):
            if col not in texts:
                continue
            try:
                parsed = parse_cell(col, texts[col], work, programme, library)
            except UserError as exc:
                result.problems[(row, col)] = (texts[col], str(exc))
                continue
            for name, value in parsed.changes.items():
                setattr(work, name, value)
            result.codes.update(parsed.codes)
            result.accepted.add((row, col))
        changed = {name: getattr(work, name) for name in _ITEM_FIELDS if getattr(work, name) != getattr(item, name)}
        if changed:
            result.changes[row] = changed
    return result


def build_items(rows: list[list[str]], cols: list[Col | None], programme: Programme, library: RateBook) -> Pasted:
    """New items from pasted cells; unparsable cells are reported in `problems`, keyed by item and column."""
    result = Pasted()
    for row in rows:
        item = Item(description="", quantity=Decimal(0), unit="nr")
        cells = {col: row[i].strip() for i, col in enumerate(cols) if col is not None and i < len(row)}
        for col in _APPLY_ORDER:
            text = cells.get(col, "")
            if not text and (col != Col.DESC or item.description):
                continue
            try:
                parsed = parse_cell(col, text, item, programme, library)
            except UserError as exc:
                result.problems[(item.uid, col)] = (text, str(exc))
                continue
            for name, value in parsed.changes.items():
                setattr(item, name, value)
            result.codes.update(parsed.codes)
        result.items.append(item)
    return result
