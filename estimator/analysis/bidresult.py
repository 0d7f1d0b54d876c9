"""What reading one returned workbook gives (`BidResult`, `Refused`), and the bid-vs-estimate difference.

The base of the bid evaluation: `bidassess` builds these, `bids` (whole workbooks) and `lots` (per
lot) evaluate them, the reports print them; none of those imports back up (issue 14: no cycles).

`difference(amount, estimate)` is the ONE place the difference between a bid and the engineer's
estimate is computed (amount and % of the estimate, one decimal): the command line, the JSON, the
workbook, the PDF and the window all print what it returns; `deviation` is its unrounded % (rates
flagged beyond the threshold, lots abnormally low).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from estimator.analysis.bidcheck import KINDS, Anomaly, ItemBid, item_bid
from estimator.analysis.bidread import printable
from estimator.money import HUNDRED, round_places
from estimator.pricing import Line, Markup

DEFAULT_THRESHOLD = Decimal(30)
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class TenderItem:
    """An item as tendered: the engineer's printed quantity and rate."""

    line: Line
    facility: str
    facility_uid: str
    uid: str = field(init=False)  # the item's (read ~50 times an item when ten bids are analysed)

    def __post_init__(self) -> None:
        object.__setattr__(self, "uid", self.line.item.uid)


@dataclass(slots=True)
class BidResult:
    file: str
    company: str
    items: dict[str, ItemBid]  # item uid -> the bidder's figures
    anomalies: list[Anomaly]
    stated_total: Decimal | None
    stated_source: str
    corrected_subtotal: Decimal
    corrected_markups: list[Markup]
    corrected_total: Decimal
    added_amount: Decimal  # stated amounts of rows the bidder added; never in the corrected total
    missing: int  # items without a usable rate (incl. deleted rows)
    missing_value: Decimal  # those items at the engineer's amounts
    low: int = 0
    high: int = 0
    rank: int = 0
    # per lot (facility uid): the lot total as the workbook states it (None: no calculated total)
    lot_totals: dict[str, Decimal | None] = field(default_factory=dict)
    sheet_lots: dict[str, str] = field(default_factory=dict)  # sheet name -> facility uid, as issued
    # per lot (facility uid): the items whose rates are flagged (`flag`) low and high, in the tender's order
    flags: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)

    @property
    def bidder(self) -> str:
        return printable(self.company or Path(self.file).stem)

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for a in self.anomalies:
            found[a.kind] = found.get(a.kind, 0) + 1
        return {k: found[k] for k in KINDS if k in found}

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Sent from a worker process as text, a column per figure: pickling ~100,000 Decimals one by
        one took 0.3 s a bid; four texts split and read back by `map` take a tenth of that."""
        state = tuple(getattr(self, name) for name in self.__slots__ if name != "items")
        figures = list(self.items.values())
        columns = tuple("\n".join("" if v is None else str(v) for v in values)
                        for values in ([f.rate for f in figures], [f.quantity for f in figures],
                                       [f.stated for f in figures], [f.corrected for f in figures]))
        return _rebuild, (list(self.items), columns, state)


def _numbers(column: str, count: int) -> list[Decimal | None]:
    texts = column.split("\n") if count else []
    if len(texts) != count:
        raise ValueError(f"a bid's figures arrived damaged ({len(texts)} of {count})")
    if "\n\n" in f"\n{column}\n":  # some figures are empty (not priced)
        return [Decimal(t) if t else None for t in texts]
    return list(map(Decimal, texts))


def _rebuild(uids: list[str], columns: tuple[str, str, str, str], state: tuple[object, ...]) -> BidResult:
    count = len(uids)
    rates, quantities, stated, corrected = (_numbers(column, count) for column in columns)
    items = dict(zip(uids, map(item_bid, zip(rates, quantities, stated, corrected, strict=True)), strict=True))
    names = [name for name in BidResult.__slots__ if name != "items"]
    return BidResult(items=items, **dict(zip(names, state, strict=True)))  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Refused:
    file: str
    reason: str
    company: str = ""  # the bidder block's company name, when the workbook could be read that far


@dataclass(frozen=True, slots=True)
class Difference:
    """A bid against the engineer's estimate: `amount` (bid - estimate) and `percent` of the estimate
    (one decimal; None when the estimate is 0)."""

    amount: Decimal
    percent: Decimal | None

    def text(self) -> str:
        """`-12.5 %`, or "" without a percentage."""
        return "" if self.percent is None else f"{self.percent:+} %"


def deviation(bid: Decimal, engineer: Decimal) -> Decimal | None:
    """How far a bid figure (a rate, a lot total) is from the engineer's, in % of the engineer's,
    unrounded (for flags against a threshold); None when the engineer's is not above 0."""
    return (bid - engineer) / engineer * HUNDRED if engineer > 0 else None


def flag(rate: Decimal | None, engineer: Decimal, threshold: Decimal) -> str:
    """A bid rate "high" or "low" when it is more than `threshold` % above or below the engineer's; else ""."""
    dev = None if rate is None else deviation(rate, engineer)
    if dev is None:
        return ""
    return "high" if dev > threshold else "low" if dev < -threshold else ""


def difference(amount: Decimal, estimate: Decimal) -> Difference:
    """The one owner of the bid-vs-estimate difference (see the module docstring)."""
    pct = deviation(amount, estimate)
    return Difference(amount - estimate, None if pct is None else round_places(pct, 1))


def percent(value: Decimal | None) -> str:
    """A deviation as text with one decimal, e.g. `-35.2`."""
    return "" if value is None else str(round_places(value, 1))
