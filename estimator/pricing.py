"""Pricing a programme: what is printed is what is summed.

For every item:
1. printed quantity = quantity converted into the billing unit, rounded to the cent;
2. printed rate = rate in the programme currency (own rates divided by the exchange rate,
   library rates built up from their resources' converted prices), rounded to the cent;
3. amount = printed quantity x printed rate, rounded to the cent.
Bill total = sum of amounts; facility total = sum of bills; subtotal = sum of facilities; each
markup = subtotal x % rounded; grand total = subtotal + markups. Every export prints these.

Item kinds (`Item.kind`): a provisional sum and a prime cost sum are priced like any item (usually
1 LS at the amount); a profit-and-attendance line is priced as a percentage: printed quantity = the
prime cost sum (its quantity, an amount in the programme currency), printed
rate = the percentage, amount = quantity x rate / 100, rounded; a daywork line is priced like
measured work.

The tender copy (`tender_view`) is what bidders see: the fixed sums at their amounts, everything
bidders price at 0 (printed blank), and only the markups bidders add themselves: the tax, when the
programme says bidders charge it; never the employer's contingency or overheads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, DecimalException

from estimator import limits
from estimator.errors import UserError
from estimator.gcpause import gc_paused
from estimator.messages import Message
from estimator.model import FIXED_SUMS, PC_ATTENDANCE, PERCENT, Bill, Facility, Item, Programme
from estimator.money import ZERO, percent_of, plain, printed_rate, round_money
from estimator.units import factor


@dataclass(slots=True)  # not frozen: frozen dataclasses cost ~2x to build, and pricing builds one per item
class Line:
    item: Item
    quantity: Decimal  # printed, in the billing unit
    unit: str  # billing unit
    rate: Decimal  # printed, programme currency
    amount: Decimal
    conversion: Decimal = Decimal(1)  # factor from the measured unit to the billing unit
    error: str = ""
    out_of_range: bool = False  # the error is a figure too large to print (limits.OutOfRange)
    # the error as raised: `localized(problem)` says it in the user's language
    problem: UserError | None = field(default=None, compare=False, repr=False)


@dataclass(slots=True)
class BillTotal:
    bill: Bill
    lines: list[Line]
    total: Decimal


@dataclass(slots=True)
class FacilityTotal:
    facility: Facility
    bills: list[BillTotal]
    total: Decimal


@dataclass(frozen=True, slots=True)
class Markup:
    name: str
    percent: Decimal
    amount: Decimal


@dataclass(slots=True)
class Estimate:
    currency: str
    facilities: list[FacilityTotal]
    subtotal: Decimal
    markups: list[Markup]
    grand_total: Decimal
    problems: list[str] = field(default_factory=list)

    def to_json(self, items: bool = False) -> dict[str, object]:
        """Totals as decimal strings; with `items`, every bill's printed lines too."""
        return {
            "currency": self.currency,
            "facilities": [
                {
                    "name": f.facility.name,
                    "total": plain(f.total),
                    "bills": [{"name": b.bill.name, "total": plain(b.total)} | ({"items": [_line_json(ln) for ln in b.lines]}
                                                                               if items else {}) for b in f.bills],
                }
                for f in self.facilities
            ],
            "subtotal": plain(self.subtotal),
            "markups": [{"name": m.name, "percent": str(m.percent), "amount": plain(m.amount)} for m in self.markups],
            "grand_total": plain(self.grand_total),
        }


def _line_json(line: Line) -> dict[str, object]:
    return {"ref": line.item.ref, "description": line.item.description, "quantity": plain(line.quantity),
            "unit": line.unit, "rate": plain(line.rate), "amount": plain(line.amount), "problem": line.error}


def with_markups(subtotal: Decimal, percents: Iterable[tuple[str, Decimal]]) -> tuple[list[Markup], Decimal]:
    """The markups on `subtotal` (each `percent_of` it, to the cent) and the grand total.

    The one place they are computed: a full pricing (`summarise`), the window's live totals
    (`estimator.live`) and a bid's corrected total all call it. `percents` is (name, %) pairs,
    e.g. `Markups.as_list()`; a markup of 0 % is left out.
    """
    markups = [Markup(name, pct, percent_of(subtotal, pct)) for name, pct in percents if pct]
    return markups, subtotal + sum((m.amount for m in markups), ZERO)


def line_amount(quantity: Decimal, rate: Decimal, unit: str) -> Decimal:
    """The amount of a line as the pricing prints it, rounded to the cent: quantity x rate, or for a
    percentage line (unit %, profit and attendance on a prime cost sum) the sum x rate / 100. The one
    place this rule lives: the variance, the contract and the per-lot corrected totals ask it."""
    return percent_of(quantity, rate) if unit == PERCENT else round_money(quantity * rate)


class Pricer:
    """Prices items of one programme; caches exchange rates and unit rates for one pricing run."""

    def __init__(self, programme: Programme) -> None:
        self.programme = programme
        self.currency = programme.currency
        self._fx: dict[str, Decimal] = {}
        self._rates: dict[str, Decimal] = {}
        self._own: dict[tuple[Decimal, str], Decimal] = {}

    def convert(self, amount: Decimal, currency: str) -> Decimal:
        """`amount` in `currency` expressed in the programme currency, unrounded."""
        if currency == self.currency or not currency:
            return amount
        rate = self._fx.get(currency)
        if rate is None:
            rate = self._fx[currency] = self.programme.fx_rate(currency)
        return amount / rate

    def billing_unit(self, item: Item) -> str:
        if item.rate is not None:
            return item.rate_unit or item.unit
        if item.rate_code:
            return self.programme.rates.rate(item.rate_code).unit
        return item.unit

    def own_rate(self, rate: Decimal, currency: str) -> Decimal:
        """The printed rate, in the programme currency, of an own rate typed in `currency`."""
        key = (rate, currency)
        if key not in self._own:
            self._own[key] = printed_rate(limits.figure(self.convert(rate, currency), "rate"))
        return self._own[key]

    def rate_of(self, item: Item) -> Decimal:
        if item.rate is not None:
            return self.own_rate(item.rate, item.rate_currency)
        if item.rate_code:
            return self.rate_of_code(item.rate_code)
        raise UserError("has no rate: give it a rate code from the library or an own rate")  # in messages.PHRASES

    def rate_of_code(self, code: str) -> Decimal:
        """Printed unit rate of a rate in the programme's snapshot, in the programme currency."""
        return self.programme.rates.unit_rate(code, self.currency, self.convert, self._rates)

    def line(self, item: Item) -> Line:
        """The priced line; a problem (no rate, units, a figure too large) is its `error`, amount 0."""
        if item.kind == PC_ATTENDANCE:
            return self._percent_line(item)
        try:
            unit = self.billing_unit(item)
            conv = factor(item.unit, unit)
            qty = printed_quantity(item.quantity, conv)
            rate = self.rate_of(item)
            amount = round_money(limits.figure(qty * rate, f"amount {qty:,f} x {rate:,f}"))
        except UserError as exc:
            return Line(item, _shown(item.quantity), item.unit, ZERO, ZERO, error=str(exc),
                        out_of_range=isinstance(exc, limits.OutOfRange), problem=exc)
        except DecimalException:  # a signal no check above foresaw: still a problem of this item
            return Line(item, _shown(item.quantity), item.unit, ZERO, ZERO, error=str(limits.arithmetic("")),
                        out_of_range=True)
        return Line(item, qty, unit, rate, amount, conv)

    def _percent_line(self, item: Item) -> Line:
        """Profit and attendance: quantity = the prime cost sum, rate = the %, amount = sum x % / 100."""
        try:
            # the sum is in the programme currency (`Programme.pin_own_rates` converts it with the programme)
            base = round_money(limits.figure(item.quantity, "prime cost sum"))
            if item.rate is None:
                raise UserError(Message("no_attendance_percent"))
            pct = round_money(limits.figure(item.rate, "percentage"))
            amount = limits.figure(percent_of(base, pct), f"amount {base:,f} x {pct:,f} %")
        except UserError as exc:
            return Line(item, _shown(item.quantity), PERCENT, ZERO, ZERO, error=str(exc),
                        out_of_range=isinstance(exc, limits.OutOfRange))
        except DecimalException:
            return Line(item, _shown(item.quantity), PERCENT, ZERO, ZERO, error=str(limits.arithmetic("")),
                        out_of_range=True)
        return Line(item, base, PERCENT, pct, amount)

    def bill(self, bill: Bill) -> BillTotal:
        lines = [self.line(item) for item in bill.items]
        return BillTotal(bill, lines, sum((ln.amount for ln in lines), ZERO))

    def facility(self, facility: Facility) -> FacilityTotal:
        bills = [self.bill(b) for b in facility.bills]
        return FacilityTotal(facility, bills, sum((b.total for b in bills), ZERO))


def printed_quantity(quantity: Decimal, conversion: Decimal = Decimal(1)) -> Decimal:
    """A measured quantity as billed and printed: converted into the billing unit, to the cent."""
    return round_money(limits.figure(quantity if conversion == 1 else quantity * conversion, "quantity"))


def _shown(quantity: Decimal) -> Decimal:
    """The quantity a line that cannot be priced shows: as measured, or 0 if it cannot be printed."""
    try:
        return round_money(limits.figure(quantity, "quantity"))
    except (UserError, DecimalException):
        return ZERO


def summarise(programme: Programme, facilities: list[FacilityTotal]) -> Estimate:
    """Subtotal, markups and grand total from already priced facilities.

    A total (bill, facility, subtotal, markup, grand total) too large to print is a problem of
    the estimate, like an item that cannot be priced: price lists it, exports refuse it.
    """
    subtotal = sum((f.total for f in facilities), ZERO)
    markups, grand = with_markups(subtotal, programme.markups.as_list())
    problems = _too_large(facilities, subtotal, markups, grand) + [
        f"{f.facility.name}, bill {b.bill.name!r}, item {ln.item.ref or ln.item.description!r}: {ln.error}"
        for f in facilities
        for b in f.bills
        for ln in b.lines
        if ln.error
    ]
    return Estimate(programme.currency, facilities, subtotal, markups, grand, problems)


def _too_large(facilities: list[FacilityTotal], subtotal: Decimal, markups: list[Markup], grand: Decimal) -> list[str]:
    most = limits.MAX_FIGURE
    if (abs(grand) < most and abs(subtotal) < most and all(abs(m.amount) < most for m in markups)
            and all(abs(f.total) < most and all(abs(b.total) < most for b in f.bills) for f in facilities)):
        return []  # the usual case, decided without building a message
    found: list[str] = []
    figures = [(f"{f.facility.name}, bill {b.bill.name!r}", "bill total", b.total) for f in facilities for b in f.bills]
    figures += [(f.facility.name, "facility total", f.total) for f in facilities]
    figures += [("General Summary", "subtotal", subtotal)]
    figures += [("General Summary", m.name, m.amount) for m in markups]
    figures += [("General Summary", "grand total", grand)]
    for where, what, value in figures:
        try:
            limits.figure(value, what, where)
        except UserError as exc:
            found.append(str(exc))
    return found


def is_fixed(item: Item) -> bool:
    """A sum the employer fixes (provisional or prime cost): printed with its amount in the tender copy."""
    return item.kind in FIXED_SUMS


def all_fixed(lines: list[Line]) -> bool:
    """Whether every line is a fixed sum: a total of them is known before any bidder prices."""
    return bool(lines) and all(ln.item.kind in FIXED_SUMS for ln in lines)


def bidders_markups(programme: Programme, subtotal: Decimal) -> list[Markup]:
    """The markups a bidder's General Summary adds: the tax if bidders charge it; never the
    employer's contingency or the engineer's overheads (their rates include their own)."""
    return with_markups(subtotal, _bidders_percents(programme))[0]


def _bidders_percents(programme: Programme) -> list[tuple[str, Decimal]]:
    return [("Tax", programme.markups.tax)] if programme.particulars.bidders_charge_tax else []


def tender_view(programme: Programme, estimate: Estimate) -> Estimate:
    """`estimate` as the tender copy shows it (see the module docstring): fixed sums at their amounts,
    lines bidders price at rate 0 and amount 0, totals of the fixed sums, the bidders' markups only."""
    facilities = []
    for ft in estimate.facilities:
        bills = []
        for bt in ft.bills:
            lines = [ln if ln.item.kind in FIXED_SUMS else
                     Line(ln.item, ln.quantity, ln.unit, ZERO, ZERO, ln.conversion, ln.error, ln.out_of_range)
                     for ln in bt.lines]
            bills.append(BillTotal(bt.bill, lines, sum((ln.amount for ln in lines), ZERO)))
        facilities.append(FacilityTotal(ft.facility, bills, sum((b.total for b in bills), ZERO)))
    subtotal = sum((f.total for f in facilities), ZERO)
    markups, grand = with_markups(subtotal, _bidders_percents(programme))
    return Estimate(estimate.currency, facilities, subtotal, markups, grand, list(estimate.problems))


def kind_totals(estimate: Estimate) -> dict[str, Decimal]:
    """The estimate's amounts by item kind (`model.ITEM_KINDS`; measured work under "")."""
    totals: dict[str, Decimal] = {}
    for ft in estimate.facilities:
        for bt in ft.bills:
            for ln in bt.lines:
                totals[ln.item.kind] = totals.get(ln.item.kind, ZERO) + ln.amount
    return totals


def fixed_sum_problems(estimate: Estimate) -> list[str]:
    """The fixed sums that cannot be priced: a tender copy cannot be issued without their amounts."""
    return [f"{f.facility.name}, bill {b.bill.name!r}, item {ln.item.ref or ln.item.description!r} "
            f"({ln.item.kind}): {ln.error}"
            for f in estimate.facilities for b in f.bills for ln in b.lines
            if ln.error and ln.item.kind in FIXED_SUMS]


def tender_copy(programme: Programme, estimate: Estimate) -> Estimate:
    """The estimate a tender copy prints (`pricing.tender_view`); refused while a fixed sum has no amount."""
    missing = fixed_sum_problems(estimate)
    if missing:
        listed = "\n".join(f"  {p}" for p in missing[:50])
        raise UserError(Message("fixed_sums_without_amount", count=len(missing), listed=listed))
    return tender_view(programme, estimate)


def price(programme: Programme) -> Estimate:
    pricer = Pricer(programme)
    with gc_paused():
        return summarise(programme, [pricer.facility(f) for f in programme.facilities])
