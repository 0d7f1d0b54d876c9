"""What a valid programme setting is, and re-basing a programme on another currency.

The one owner of these rules: the model (`ExchangeRate`, `Markups`), the `.boq` reader, the rate
library loader, the command line and the settings dialog all call it, so the same mistake gets
the same message everywhere.

- A currency is a three-letter code (`USD`, `TRY`, `SYP`).
- An exchange rate is units of a currency per one unit of the programme currency: a finite number
  greater than zero and within `MIN_RATE .. MAX_RATE` (a rate of 0 would divide by zero when pricing;
  the bounds leave room for old Syrian pounds per dollar and its inverse).
- A markup (contingency, overheads and profit, tax) is a percentage from 0 to 100.

Re-basing is exact. A re-based rate is a ratio of typed rates (SYP per TRY = 115 / 42.35); it is
kept as that exact fraction (`ExchangeRate.exact`) beside its Decimal value for pricing, so going
back to the first currency gives the typed rates back digit for digit: every dated rate after a
direct round trip, and the latest rates after any walk through several currencies. Older rates are
re-expressed through the latest rate of each new currency, so a walk with an older rate very far
from the latest (a factor of millions) can reach a table that leaves the allowed range; that step is
refused, naming the rate, and changes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, Inexact, localcontext
from fractions import Fraction

from estimator.errors import UserError
from estimator.messages import Message
from estimator.money import normalize_currency, to_decimal

MIN_RATE = Decimal("1e-12")
MAX_RATE = Decimal("1e12")
MARKUP_RANGE = (Decimal(0), Decimal(100))
MAX_DIGITS = 60  # an exact rate is kept as a Decimal up to this many digits, else as a fraction
_DIGITS = re.compile(r"[0-9]{1,80}")
SHOWN_DIGITS = 10
RATE_DIGITS = 28  # significant digits of the Decimal value of a rate that has no finite decimal form


# the markups of a programme: field of `estimator.model.Markups` -> its name in messages
MARKUP_NAMES = {"contingency": "contingency", "overheads": "overheads and profit", "tax": "tax"}


class InvalidSetting(UserError):
    """A programme setting out of its range; the message is the same wherever it was typed."""


@dataclass(frozen=True, slots=True)
class ExchangeRate:
    """A dated exchange rate of a programme (`estimator.model.Programme.exchange_rates`); valid when built."""

    currency: str
    rate: Decimal  # units of `currency` per one programme-currency unit
    date: dt.date
    exact: Fraction | None = None  # a re-based rate that has no finite decimal form (see the module docstring)

    def __post_init__(self) -> None:
        exchange_rate(self.rate, self.currency)
        check_exact(self.rate, self.exact, self.currency)


def currency(text: str) -> str:
    """A currency code, upper case; InvalidCurrency for anything but three letters (`money.normalize_currency`)."""
    return normalize_currency(text)


def rate_message(code: str, text: str) -> str:
    return str(rate_problem(code, text))


def rate_problem(code: str, text: str) -> Message:
    return Message("bad_exchange_rate", code=code or "?", text=text, low=f"{MIN_RATE:f}", high=f"{MAX_RATE:,f}")


def exchange_rate(value: object, code: str = "") -> Decimal:
    """An exchange rate of `code` as a Decimal; InvalidSetting (or InvalidNumber) if it is not one."""
    what = f"exchange rate for {code}" if code else "exchange rate"
    rate = value if isinstance(value, Decimal) else to_decimal(value, what)
    if not rate.is_finite() or not MIN_RATE <= rate <= MAX_RATE:
        raise InvalidSetting(rate_problem(code, value if isinstance(value, str) else f"{rate:f}"))
    return rate


def markup(value: object, name: str) -> Decimal:
    """A markup percentage called `name` (e.g. "contingency")."""
    pct = value if isinstance(value, Decimal) else to_decimal(value, name)
    low, high = MARKUP_RANGE
    if not pct.is_finite() or not low <= pct <= high:
        shown = value if isinstance(value, str) else f"{pct:f}"
        raise InvalidSetting(Message("bad_markup", name=name, value=shown, low=low, high=high))
    return pct


# ---- exact rates ------------------------------------------------------------------------------


def decimal_of(ratio: Fraction) -> Decimal:
    """The Decimal of `ratio`: exact when it has a finite decimal form, else RATE_DIGITS digits."""
    with localcontext() as ctx:
        ctx.prec = RATE_DIGITS
        return Decimal(ratio.numerator) / Decimal(ratio.denominator)


def ratio_of(entry: ExchangeRate) -> Fraction:
    return entry.exact if entry.exact is not None else Fraction(entry.rate)


def from_ratio(entry: ExchangeRate, ratio: Fraction, code: str | None = None) -> ExchangeRate:
    """`entry` with the exact `ratio` as its rate (and `code` as its currency)."""
    code = code or entry.currency
    finite = _finite(ratio)
    value = exchange_rate(decimal_of(ratio) if finite is None else finite, code)
    return dataclasses.replace(entry, currency=code, rate=value, exact=None if finite is not None else ratio)


def _finite(ratio: Fraction) -> Decimal | None:
    """The exact Decimal of `ratio`, or None when it has no finite form of at most MAX_DIGITS digits."""
    with localcontext() as ctx:
        ctx.prec = MAX_DIGITS
        ctx.traps[Inexact] = True
        try:
            return Decimal(ratio.numerator) / Decimal(ratio.denominator)
        except Inexact:
            return None


def shown(entry: ExchangeRate) -> str:
    """A rate as shown to a person: as typed, or a re-based ratio to SHOWN_DIGITS significant digits."""
    if entry.exact is None:
        return f"{entry.rate:f}"
    with localcontext() as ctx:
        ctx.prec = SHOWN_DIGITS
        return f"{+entry.rate:f}"


def rate_text(entry: ExchangeRate) -> str:
    """How a rate is written in a `.boq` file: `42.35`, or `20/847` for an exact re-based ratio."""
    if entry.exact is not None:
        return f"{entry.exact.numerator}/{entry.exact.denominator}"
    return f"{entry.rate:f}"


def parse_rate_text(text: str, code: str) -> tuple[Decimal, Fraction | None]:
    """The (value, exact ratio) written by `rate_text`."""
    if "/" in text:
        num, _, den = text.partition("/")
        if not (_DIGITS.fullmatch(num) and _DIGITS.fullmatch(den)) or int(den) == 0:
            raise InvalidSetting(rate_problem(code, text))
        ratio = Fraction(int(num), int(den))
        finite = _finite(ratio)
        if finite is not None:
            return exchange_rate(finite, code), None
        return exchange_rate(decimal_of(ratio), code), ratio
    return exchange_rate(text, code), None


def check_exact(rate: Decimal, exact: Fraction | None, code: str) -> None:
    """An exact ratio must be what the rate's value was computed from (a hostile file may differ)."""
    if exact is not None and decimal_of(exact) != rate:
        raise InvalidSetting(Message("inexact_rate", code=code, rate=rate, exact=exact))


# ---- re-basing ------------------------------------------------------------------------------


def rebase(rates: Iterable[ExchangeRate], old: str, new: str) -> list[ExchangeRate]:
    """The exchange-rate table of a programme in `old` currency, expressed against `new`.

    Every rate is divided, exactly, by the latest rate of `new`; each dated rate of `new` becomes a
    dated rate of `old` (its inverse), so the history survives and a round trip gives every typed
    rate back. InvalidSetting when there is no rate for `new` or a result leaves the allowed range.
    """
    old, new = currency(old), currency(new)
    table = [e for e in rates if e.currency != old]
    if old == new:
        return sorted(table, key=_order)
    of_new = [e for e in table if e.currency == new]
    if not of_new:
        raise no_rate_for(new, old)
    latest = ratio_of(max(of_new, key=lambda e: e.date))
    result = []
    for entry in table:
        if entry.currency == new:
            result.append(from_ratio(entry, 1 / ratio_of(entry), old))
        else:
            result.append(from_ratio(entry, ratio_of(entry) / latest))
    return sorted(result, key=_order)


def no_rate_for(new: str, old: str) -> InvalidSetting:
    """The refusal to switch a programme in `old` currency to `new`, which has no exchange rate."""
    return InvalidSetting(Message("no_rate_to_switch", new=new, old=old))


def _order(entry: ExchangeRate) -> tuple[str, object]:
    return entry.currency, entry.date
