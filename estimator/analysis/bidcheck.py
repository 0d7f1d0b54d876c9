"""Checking one returned bid row by row against the tender as issued.

For every tendered item (matched by uid) it reads the bidder's quantity, unit, description, rate
and stated amount, lists what is wrong, and corrects the arithmetic the way the instructions to
bidders say: the unit rate prevails, the amount is recomputed. Rows the bidder added, totals typed
over their formulas and broken formulas are listed too. Nothing here evaluates a formula: the
stated amount is Excel's cached value, a number typed in place of the formula, or, in a workbook
that holds no cached values, what the issued formula gives for the bidder's quantity and rate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import NamedTuple

from estimator.analysis.bidread import BidRow, Returned, printable
from estimator.analysis.sheetlane import LaneRow
from estimator.analysis.xlsxscan import ErrorValue, NotANumber
from estimator.errors import UserError
from estimator.export.xlsx_sheets import unit_label
from estimator.model import PC_ATTENDANCE
from estimator.money import HUNDRED, LIMIT, ZERO, fmt, round_money, to_decimal
from estimator.pricing import Line
from estimator.units import parse_unit

# kind -> what a reader sees as the heading of such anomalies
KINDS = {
    "missing rate": "Missing rates",
    "fixed sum altered": "Provisional and prime cost sums altered",
    "rate not a number": "Rates that are not numbers",
    "quantity changed": "Changed quantities",
    "unit changed": "Changed units",
    "description changed": "Changed descriptions",
    "deleted row": "Deleted rows",
    "added row": "Added rows",
    "duplicate row": "Duplicated rows",
    "arithmetic error": "Arithmetic errors (corrected: the unit rate prevails)",
    "formula replaced": "Formulas replaced by typed values or other formulas",
    "formula broken": "Broken formulas",
    "total typed over": "Totals typed over their formulas",
    "sheet missing": "Missing sheets",
    "rate is a formula": "Rates that are formulas",
    "formula reaches outside": "Formulas reaching outside the workbook (DDE, links, web): do not enable content",
    "active content": "Macros, links, connections or objects in the workbook",
    "hidden content": "Hidden or disguised content: what is evaluated is not what is shown",
    "tender sheet edited": "The hidden _tender sheet was edited",
    "layout changed": "Layout changed (headers, sheets, summary rows, cells outside the tender)",
    "damaged cell": "Damaged cells (skipped)",
}


@dataclass(frozen=True, slots=True)
class Anomaly:
    kind: str
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    item_uid: str = ""
    item_ref: str = ""
    stated: Decimal | None = None
    corrected: Decimal | None = None

    @property
    def where(self) -> str:
        parts = [f"sheet {self.sheet!r}" if self.sheet else "", f"row {self.row}" if self.row else "",
                 f"column {self.column}" if self.column else ""]
        return ", ".join(p for p in parts if p)


class ItemBid(NamedTuple):
    """One tendered item as one bidder priced it (a tuple: 24,000 a bid are sent between processes)."""

    rate: Decimal | None  # the bidder's unit rate; None when not priced
    quantity: Decimal | None  # the bidder's quantity as it stands in the workbook
    stated: Decimal | None  # the bidder's amount as stated; None when it cannot be known
    corrected: Decimal  # the engineer's quantity x the bidder's rate, rounded (0 when not priced)


item_bid = partial(tuple.__new__, ItemBid)  # item_bid((rate, quantity, stated, corrected)), built in C


def _short(value: object, limit: int = 70) -> str:
    text = " ".join(printable(str(value)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bounded(value: Decimal) -> bool:
    """Whether a figure is within what the estimator handles (`money.LIMIT`): larger ones are anomalies."""
    return -LIMIT < value < LIMIT


def money_of(product: Decimal) -> Decimal | None:
    """A product rounded to the cent, or None when it is beyond `money.LIMIT`."""
    return round_money(product) if bounded(product) else None


_CONSTANT = re.compile(r"=\s*\+?(-?[0-9]+(?:\.[0-9]+)?)\s*")


def same_text(a: object, b: object) -> bool:
    return " ".join(str(a or "").split()) == " ".join(str(b or "").split())


def normalise_formula(formula: str) -> str:
    return formula.replace("$", "").replace(" ", "").upper()


class RowChecker:
    """Checks the rows of one returned workbook; collects anomalies in `found`."""

    def __init__(self, returned: Returned) -> None:
        self.returned = returned
        self.lang = returned.lang
        self.col = returned.columns
        self.qty_col, self.rate_col, self.unit_col = self.col["quantity"], self.col["rate"], self.col.get("unit", "")
        self.amount_col = self.col["amount"]
        self.labels: dict[str, str] = {}  # unit -> its label as the workbook prints it
        # the description columns the language prints: (key, letter)
        keys = ("description", "description_ar") if self.lang == "both" else ("description",)
        self.text_columns = tuple((key, self.col[key]) for key in keys)
        self.found: list[Anomaly] = []

    def add(self, kind: str, message: str, row: BidRow | None = None, key: str = "", line: Line | None = None,
            stated: Decimal | None = None, corrected: Decimal | None = None) -> None:
        # a message quotes the bid's text: nothing in it may command a terminal or reorder a line
        self.found.append(Anomaly(
            kind, printable(message), row.sheet if row else "", row.row if row else None,
            row.columns.get(key, "") if row and key else "", line.item.uid if line else "", line.item.ref if line else "",
            stated, corrected))

    def number(self, row: BidRow, key: str, what: str, line: Line | None) -> tuple[Decimal | None, bool]:
        """(the number in cell `key`, whether the cell was empty); anomalies for what is not a number."""
        cell = row.cell(key)
        if cell is None:
            return None, True
        value = cell.value
        if cell.formula is None and type(value) is Decimal and -LIMIT < value < LIMIT:  # the common case, first
            return value, False
        if cell.formula is None and (value is None or str(value).strip() == ""):
            return None, True
        bad = "rate not a number" if key == "rate" else "quantity changed"
        if isinstance(value, ErrorValue):
            self.add("formula broken", f"the {what} shows {value} (a broken formula: {_short(cell.formula)})", row, key, line)
            return None, False
        if value is None:  # a formula with no cached result: it was never calculated
            self.add("rate not a number" if key == "rate" else "formula replaced",
                     f"the {what} is a formula ({_short(cell.formula)}) with no calculated value; open and save the "
                     "workbook in Excel, or type the number", row, key, line)
            return None, False
        if cell.formula is not None and key == "rate":
            self._rate_formula(row, cell.formula, value, line)
        if isinstance(value, NotANumber):
            self.add(bad, f"the {what} cell holds {_short(value, 40)!r}, which no spreadsheet reads as a number; "
                     "not used", row, key, line)
            return None, False
        try:
            number = value if isinstance(value, Decimal) else to_decimal(value, what)
        except UserError:
            self.add(bad, f"the {what} {_short(value, 40)!r} is not a number", row, key, line)
            return None, False
        if not bounded(number):
            self.add(bad, f"the {what} {_short(value, 40)} is too large to be a {what} (the limit is {fmt(LIMIT, 0)}); "
                     "not used", row, key, line)
            return None, False
        return number, False

    def _rate_formula(self, row: BidRow, formula: str, value: object, line: Line | None) -> None:
        """A rate is a typed number; a formula there is named, and one whose saved value is not what it says too."""
        ref = f"item {line.item.ref}: " if line is not None else ""
        constant = _CONSTANT.fullmatch(formula)
        if constant is not None and isinstance(value, Decimal) and Decimal(constant.group(1)) != value:
            self.add("hidden content", f"{ref}the rate is the formula {_short(formula, 40)}, but the workbook saved "
                     f"{value} as its value: the file was edited outside a spreadsheet", row, "rate", line)
        else:
            self.add("rate is a formula", f"{ref}the rate is the formula {_short(formula, 60)} (showing {_short(value, 30)}), "
                     "not a typed number; the value shown is used", row, "rate", line)

    def item(self, line: Line, row: BidRow) -> ItemBid:
        """Check an item row against the tendered line; return the bidder's figures, corrected."""
        item = line.item
        if row.lane is not None and (clean := self._lane(line, row.lane)) is not None:
            return clean
        self._texts(line, row)
        if (clean := self._clean(line, row)) is not None:
            return clean
        quantity, _ = self.number(row, "quantity", "quantity", line)
        if quantity is not None and quantity != line.quantity:
            self.add("quantity changed", f"item {item.ref}: quantity changed from {fmt(line.quantity)} to {fmt(quantity)}; "
                     "the tendered quantity is used", row, "quantity", line)
        rate, empty = self.number(row, "rate", "rate", line)
        if rate is not None and rate < 0:
            self.add("rate not a number", f"item {item.ref}: the rate {rate} is negative; it is used as written",
                     row, "rate", line)
        if rate is not None and not bounded(line.quantity * rate):
            self.add("rate not a number", f"item {item.ref}: the rate {fmt(rate)} gives an amount beyond "
                     f"{fmt(LIMIT, 0)}; not used", row, "rate", line)
            rate = None
        # what the bidder's quantity x rate gives, and what the tendered quantity x rate gives
        # (profit and attendance on a prime cost sum: the rate is a percentage of the quantity)
        per = HUNDRED if item.kind == PC_ATTENDANCE else Decimal(1)
        product = money_of(quantity * rate / per) if quantity is not None and rate is not None else None
        stated = self._stated(line, row, product)
        if rate is None and empty:
            extra = f"; the amount {fmt(stated)} is given without a rate and is not counted" if stated else ""
            self.add("missing rate", f"item {item.ref}: no rate{extra}; priced at 0 in the corrected total",
                     row, "rate", line, stated, Decimal(0))
        if rate is None:
            corrected = Decimal("0.00")
        else:
            corrected = (product if product is not None and quantity == line.quantity
                         else round_money(line.quantity * rate / per))
        if stated is not None and product is not None and stated != product:
            self.add("arithmetic error", f"item {item.ref}: amount {fmt(stated)} but {fmt(quantity)} × {rate} = "
                     f"{fmt(product)}; corrected to {fmt(corrected)} (the unit rate prevails)",
                     row, "amount", line, stated, corrected)
        return ItemBid(rate, quantity, stated, corrected)

    def _lane(self, line: Line, lane: LaneRow) -> ItemBid | None:
        """`_clean` on a row read in one look (`sheetlane`): its texts as tendered, its figures as
        issued; None to read its cells and look closer."""
        item = line.item
        if not lane.formula or item.kind == PC_ATTENDANCE:
            return None
        if lane.descriptions != self._tendered(line) or lane.unit != self._label(line):
            return None
        return _as_issued(line, lane.quantity, lane.rate, lane.amount)

    def _clean(self, line: Line, row: BidRow) -> ItemBid | None:
        """The figures of a row priced as issued, or None to look closer (`item` below, step by step):
        typed numbers, the tendered quantity, a rate of 0 or more, the issued amount formula whose
        saved value is quantity x rate rounded. Most rows of a bid; anything else, None."""
        cells = row.cells
        quantity, rate, amount = cells.get(self.qty_col), cells.get(self.rate_col), cells.get(self.amount_col)
        if quantity is None or rate is None or amount is None or quantity.formula is not None or \
                rate.formula is not None or line.item.kind == PC_ATTENDANCE:
            return None
        if amount.formula != f"=ROUND({self.qty_col}{row.row}*{self.rate_col}{row.row},2)":
            return None
        return _as_issued(line, quantity.value, rate.value, amount.value)

    def _tendered(self, line: Line) -> tuple[str, ...]:
        """The descriptions the tender printed for `line`, one per column of `text_columns`."""
        item = line.item
        if self.lang == "both":
            return item.description, item.description_ar
        return (item.description_ar or item.description) if self.lang == "ar" else item.description,

    def _label(self, line: Line) -> str:
        """The unit as the tender printed it (in the workbook's language)."""
        return self.labels.get(line.unit) or self.labels.setdefault(line.unit, unit_label(line.unit, self.lang))

    def _texts(self, line: Line, row: BidRow) -> None:
        item = line.item
        cells = row.cells
        # the common case, an unchanged text, costs one comparison
        for (key, column), tendered in zip(self.text_columns, self._tendered(line), strict=True):
            cell = cells.get(column)
            now = cell.value if cell else ""
            if now != tendered and not same_text(now, tendered):
                self.add("description changed", f"item {item.ref}: description changed from {_short(tendered)!r} "
                         f"to {_short(now or '')!r}", row, key, line)
        cell = cells.get(self.unit_col)
        label = self._label(line)
        if cell is not None and cell.value == label:
            return
        now_unit = str(cell.value).strip() if cell and cell.value is not None else ""
        if now_unit != label and _unit(now_unit) != line.unit:
            self.add("unit changed", f"item {item.ref}: unit changed from {label!r} to {now_unit!r}; the rate is "
                     "applied to the tendered unit", row, "unit", line)

    def _stated(self, line: Line, row: BidRow, product: Decimal | None) -> Decimal | None:
        """The amount the bidder states on this row, and anomalies about its formula.

        `product` is the bidder's quantity x rate, rounded: what the issued formula gives."""
        cell = row.cell("amount")
        per = "/100" if line.item.kind == PC_ATTENDANCE else ""  # the issued formula (xlsx_sheets._bill)
        expected = f"=ROUND({self.qty_col}{row.row}*{self.rate_col}{row.row}{per},2)"
        if cell is not None and cell.formula == expected and type(cell.value) is Decimal and bounded(cell.value):
            return cell.value  # the common case, first
        ref = line.item.ref
        if cell is None or (cell.formula is None and cell.value in (None, "")):
            self.add("formula replaced", f"item {ref}: the amount formula was deleted (expected {expected})",
                     row, "amount", line)
            return None
        if isinstance(cell.value, Decimal) and not bounded(cell.value):
            self.add("formula replaced", f"item {ref}: the amount {_short(cell.value, 30)} is beyond {fmt(LIMIT, 0)}; "
                     "not used", row, "amount", line)
            return None
        if isinstance(cell.value, NotANumber):
            self.add("formula broken", f"item {ref}: the amount cell holds {_short(cell.value, 40)!r}, which no "
                     "spreadsheet reads as a number", row, "amount", line)
            return None
        if cell.formula is not None:
            if cell.formula == expected and type(cell.value) is Decimal:  # the common case, first
                return cell.value
            if isinstance(cell.value, ErrorValue) or "#REF!" in cell.formula.upper():
                self.add("formula broken", f"item {ref}: the amount formula {cell.formula} is broken"
                         + (f" ({cell.value})" if cell.value is not None else ""), row, "amount", line)
                return None
            if cell.formula != expected and normalise_formula(cell.formula) != expected:
                self.add("formula replaced", f"item {ref}: the amount formula was changed to {_short(cell.formula)} "
                         f"(issued: {expected})", row, "amount", line,
                         cell.value if isinstance(cell.value, Decimal) else None)
                return cell.value if isinstance(cell.value, Decimal) else None
            if isinstance(cell.value, Decimal):
                return cell.value
            # the issued formula, never calculated (a file saved by a script): what it gives
            return product
        if isinstance(cell.value, Decimal):
            self.add("formula replaced", f"item {ref}: the amount {fmt(cell.value)} was typed over the formula "
                     f"{expected}", row, "amount", line, cell.value)
            return cell.value
        self.add("formula replaced", f"item {ref}: the amount formula was replaced by the text "
                 f"{_short(cell.value, 40)!r}", row, "amount", line)
        return None

    def fixed(self, line: Line, row: BidRow | None) -> ItemBid:
        """A provisional or prime cost sum: a fixed amount the bidder does not price. Whatever the row
        holds, the corrected amount is the tender's; a rate or amount changed by the bidder is named."""
        item = line.item
        if row is None:
            return ItemBid(line.rate, None, None, line.amount)
        rate, _ = self.number(row, "rate", "rate", line)
        cell = row.cell("amount")
        stated = cell.value if cell is not None and type(cell.value) is Decimal and bounded(cell.value) else None
        if stated is None and cell is not None and cell.formula is not None and cell.value is None and rate is not None:
            quantity, _ = self.number(row, "quantity", "quantity", line)  # the formula never calculated: what it gives
            stated = money_of(quantity * rate) if quantity is not None else None
        altered_amount = stated is not None and stated != line.amount and (rate is not None or stated != 0)
        if (rate is not None and rate != line.rate) or altered_amount:
            shown = f"rate {fmt(rate)}" if rate is not None and rate != line.rate else f"amount {fmt(stated)}"
            self.add("fixed sum altered", f"item {item.ref}: the {item.kind} of {fmt(line.amount)} was altered ({shown}); "
                     "corrected back to the fixed amount", row, "rate" if rate is not None else "amount", line,
                     stated, line.amount)
        return ItemBid(line.rate, line.quantity, stated, line.amount)

    def deleted(self, line: Line, sheet: str) -> None:
        self.found.append(Anomaly("deleted row", f"item {line.item.ref} is not in the bid: its row was deleted; priced "
                                  "at 0 in the corrected total", sheet, item_uid=line.item.uid, item_ref=line.item.ref))

    def added(self, row: BidRow) -> Decimal:
        """A row the bidder added: listed, its stated amount returned, never counted in the total."""
        desc = row.cell("description")
        quantity, _ = self.number(row, "quantity", "quantity", None)
        rate, _ = self.number(row, "rate", "rate", None)
        cell = row.cell("amount")
        amount = cell.value if cell is not None and isinstance(cell.value, Decimal) and bounded(cell.value) else None
        if amount is None and quantity is not None and rate is not None:
            amount = money_of(quantity * rate)
        what = _short(desc.value) if desc and desc.value else "(no description)"
        self.add("added row", f"a row not in the tender: {what!r}, {fmt(quantity) or '?'} × {rate if rate is not None else '?'}"
                 f" = {fmt(amount) or '?'}; not part of the tender, not counted", row, "description", None, amount)
        return amount or Decimal(0)

    def total(self, row: BidRow, label: str = "") -> None:
        """A total row: its amount must still be a formula, with a number as its value."""
        cell = row.cell("amount")
        if cell is None:
            return
        name = f" ({_short(label, 50)})" if label else ""
        if cell.formula is not None:
            if isinstance(cell.value, ErrorValue) or "#REF!" in cell.formula.upper():
                self.add("formula broken", f"the total formula {_short(cell.formula)}{name} is broken", row, "amount")
            elif isinstance(cell.value, str) and cell.value.strip():
                self.add("total typed over", f"the total formula {_short(cell.formula)}{name} shows the text "
                         f"{_short(cell.value, 40)!r}", row, "amount")
        elif isinstance(cell.value, Decimal) and cell.value != 0:  # the tender itself writes 0 for an empty bill
            self.add("total typed over", f"the total {_short(cell.value, 30)}{name} was typed over its formula", row,
                     "amount", stated=cell.value if bounded(cell.value) else None)
        elif isinstance(cell.value, str) and cell.value.strip():
            self.add("total typed over", f"the total{name} was replaced by the text {_short(cell.value, 40)!r}", row,
                     "amount")


def _as_issued(line: Line, q: object, r: object, stated: object) -> ItemBid | None:
    """The figures of a row whose quantity, rate and amount are typed numbers priced as issued (the
    tendered quantity, a rate of 0 or more, the amount = quantity x rate rounded), else None."""
    if type(q) is not Decimal or type(r) is not Decimal or type(stated) is not Decimal or q != line.quantity \
            or not ZERO <= r < LIMIT:
        return None
    raw = q * r
    if not abs(raw) < LIMIT or stated != (product := round_money(raw)) or not abs(product) < LIMIT:
        return None
    return item_bid((r, q, stated, product))


def _unit(text: str) -> str:
    try:
        return parse_unit(text)
    except UserError:
        return ""

