"""Resources, rates and their build-ups, and the arithmetic that turns a build-up into a unit rate.

A `RateBook` is a set of resources and rates: the library loaded from `rates/`, or the snapshot a
programme keeps of the rates it was priced with. Unit rate of a built-up rate:

    (sum of coefficient x (1 + waste % / 100) x component price) x (1 + overheads % / 100)

in the target currency. What is printed is what is summed, here too: each component's cost and
the overheads are rounded half-up to `BUILDUP_PLACES` decimals (as `boq rates show` and the
window print them), the subtotal is the sum of those costs, and the unit rate, subtotal plus
overheads, is rounded half-up to the cent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, DecimalException

from estimator import limits
from estimator.errors import UnknownRate, UserError
from estimator.money import HUNDRED, ONE, ZERO, printed_rate, round_places
from estimator.textmatch import Haystack, Query

BUILDUP_PLACES = 4  # decimals of a build-up's printed costs, subtotal and overheads

# amount, currency -> amount in the target currency (unrounded)
Converter = Callable[[Decimal, str], Decimal]


@dataclass(frozen=True, slots=True)
class Resource:
    code: str
    kind: str  # labour | material | plant
    description: str
    unit: str
    price: Decimal
    currency: str
    date: dt.date
    place: str = ""
    source: str = ""
    description_ar: str = ""


@dataclass(frozen=True, slots=True)
class BuildupLine:
    component: str  # a resource code or, for a composite, a rate code
    coefficient: Decimal  # component units per billing unit of the rate
    waste_pct: Decimal = ZERO
    note: str = ""


@dataclass(frozen=True, slots=True)
class Rate:
    code: str
    trade: str
    description: str
    unit: str
    description_ar: str = ""
    overheads_pct: Decimal = ZERO
    lines: tuple[BuildupLine, ...] = ()
    quoted_price: Decimal | None = None
    quoted_currency: str = ""
    quoted_date: dt.date | None = None
    source: str = ""
    origin: str = "library"  # library | user | programme
    # what `RateBook.search` looks in, made once per rate (search scans thousands of rates)
    _haystack: Haystack | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def search_text(self) -> Haystack:
        """What `RateBook.search` looks in, prepared at the first search (not at every load)."""
        if self._haystack is None:
            object.__setattr__(self, "_haystack", Haystack.of(self.code, self.description, self.description_ar, self.trade))
        assert self._haystack is not None
        return self._haystack

    @property
    def is_quoted(self) -> bool:
        return self.quoted_price is not None


@dataclass(frozen=True, slots=True)
class AnalysisLine:
    component: str
    description: str
    unit: str
    coefficient: Decimal
    waste_pct: Decimal
    price: Decimal  # in the target currency, unrounded
    cost: Decimal  # coefficient x (1 + waste) x price, rounded to BUILDUP_PLACES (printed = summed)
    original_price: Decimal
    original_currency: str
    date: dt.date | None
    source: str


@dataclass(frozen=True, slots=True)
class Analysis:
    rate: Rate
    currency: str
    lines: tuple[AnalysisLine, ...]
    subtotal: Decimal
    overheads: Decimal
    unit_rate: Decimal  # rounded to the cent


class CircularRate(UserError):
    def __init__(self, chain: list[str]) -> None:
        super().__init__(f"rate {chain[0]!r} is built from itself: {' -> '.join(chain)}")


@dataclass(slots=True)
class RateBook:
    resources: dict[str, Resource] = field(default_factory=dict)
    rates: dict[str, Rate] = field(default_factory=dict)

    def __contains__(self, code: object) -> bool:
        return code in self.rates

    def rate(self, code: str) -> Rate:
        try:
            return self.rates[code]
        except KeyError:
            raise UnknownRate(code) from None

    def analyse(self, code: str, currency: str, convert: Converter) -> Analysis:
        """The full build-up of `code` priced in `currency`."""
        return self._analyse(code, currency, convert, {}, [])

    def unit_rate(self, code: str, currency: str, convert: Converter, cache: dict[str, Decimal] | None = None) -> Decimal:
        """The printed unit rate of `code` in `currency`; `cache` is shared across one pricing run."""
        cache = {} if cache is None else cache
        if code not in cache:
            cache[code] = self._analyse(code, currency, convert, cache, []).unit_rate
        return cache[code]

    def _analyse(self, code: str, currency: str, convert: Converter, cache: dict[str, Decimal], chain: list[str]) -> Analysis:
        """The build-up of `code`; a unit rate too large to print is `OutOfRange` naming the rate."""
        try:
            return self._build_up(code, currency, convert, cache, chain)
        except DecimalException:
            raise limits.arithmetic(f"rate {code}") from None

    def _build_up(self, code: str, currency: str, convert: Converter, cache: dict[str, Decimal], chain: list[str]) -> Analysis:
        if code in chain:
            raise CircularRate([*chain[chain.index(code) :], code])
        rate = self.rate(code)
        if rate.quoted_price is not None:
            value = printed_rate(limits.figure(convert(rate.quoted_price, rate.quoted_currency), "unit rate", f"rate {code}",
                                             limits.BUILD_UP_HINT))
            return Analysis(rate, currency, (), value, ZERO, value)
        lines = []
        for line in rate.lines:
            factor = line.coefficient * (ONE + line.waste_pct / HUNDRED)
            if line.component in self.resources:
                res = self.resources[line.component]
                price = convert(res.price, res.currency)
                lines.append(
                    AnalysisLine(
                        res.code,
                        res.description,
                        res.unit,
                        line.coefficient,
                        line.waste_pct,
                        price,
                        round_places(factor * price, BUILDUP_PLACES),
                        res.price,
                        res.currency,
                        res.date,
                        res.source,
                    )
                )
            else:
                sub = self.rate(line.component)
                if line.component not in cache:
                    cache[line.component] = self._analyse(line.component, currency, convert, cache, [*chain, code]).unit_rate
                price = cache[line.component]
                lines.append(
                    AnalysisLine(
                        sub.code,
                        sub.description,
                        sub.unit,
                        line.coefficient,
                        line.waste_pct,
                        price,
                        round_places(factor * price, BUILDUP_PLACES),
                        price,
                        currency,
                        None,
                        f"rate {sub.code}",
                    )
                )
        subtotal = sum((ln.cost for ln in lines), ZERO)
        overheads = round_places(subtotal * rate.overheads_pct / HUNDRED, BUILDUP_PLACES)
        unit_rate = printed_rate(limits.figure(subtotal + overheads, "unit rate", f"rate {code}", limits.BUILD_UP_HINT))
        return Analysis(rate, currency, tuple(lines), subtotal, overheads, unit_rate)

    def closure(self, codes: Iterable[str]) -> RateBook:
        """A new book with `codes` and everything they are built from (for a programme snapshot)."""
        book = RateBook()
        todo = list(codes)
        while todo:
            code = todo.pop()
            if code in book.rates:
                continue
            rate = self.rate(code)
            book.rates[code] = rate
            for line in rate.lines:
                if line.component in self.resources:
                    book.resources[line.component] = self.resources[line.component]
                else:
                    todo.append(line.component)
        return book

    def merged(self, other: RateBook) -> RateBook:
        """This book with `other`'s resources and rates added or replacing ours."""
        return RateBook({**self.resources, **other.resources}, {**self.rates, **other.rates})

    def search(self, text: str, trade: str = "") -> list[Rate]:
        """Rates whose code, trade or English/Arabic description has every word of `text`, as written
        or by word stem (`estimator.textmatch`: `ceramic tile` finds "ceramic tiling")."""
        query = Query.of(text)
        trade = trade.casefold()
        found = []
        for rate in self.rates.values():
            if trade and trade not in rate.trade.casefold():
                continue
            if query.matches(rate.search_text):
                found.append(rate)
        return found

    def trades(self) -> list[str]:
        return sorted({r.trade for r in self.rates.values()})

