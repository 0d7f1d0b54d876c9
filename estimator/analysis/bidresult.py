"""What reading one returned workbook gives (`BidResult`, `Refused`), and the bid-vs-estimate difference.

The base of the bid evaluation: `bidassess` builds these, `bids` (whole workbooks) and `lots` (per
lot) evaluate them, the reports print them; none of those imports back up (issue 14: no cycles).

`difference(amount, estimate)` is the ONE place the difference between a bid and the engineer's
estimate is computed (amount and % of the estimate, one decimal): the command line, the JSON, the
workbook, the PDF and the window all print what it returns; `deviation` is its unrounded % (rates
flagged beyond the threshold, lots abnormally low).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from estimator.analysis.bidcheck import KINDS, Anomaly, ItemBid
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

    @property
    def uid(self) -> str:
        return self.line.item.uid


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

    @property
    def bidder(self) -> str:
        return printable(self.company or Path(self.file).stem)

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for a in self.anomalies:
            found[a.kind] = found.get(a.kind, 0) + 1
        return {k: found[k] for k in KINDS if k in found}

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Sent from a worker process as text: pickling ~100,000 Decimals one by one took 0.3 s a bid."""
        state = tuple(getattr(self, name) for name in self.__slots__ if name != "items")
        return _rebuild, (list(self.items), _pack(self.items.values()), state)


def _pack(figures: Iterable[ItemBid]) -> str:
    return "\n".join(f"{'' if f.rate is None else f.rate} {'' if f.quantity is None else f.quantity} "
                     f"{'' if f.stated is None else f.stated} {f.corrected}" for f in figures)


def _number(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def _rebuild(uids: list[str], packed: str, state: tuple[object, ...]) -> BidResult:
    items = {}
    for uid, line in zip(uids, packed.split("\n") if packed else [], strict=True):
        rate, quantity, stated, corrected = line.split(" ")
        items[uid] = ItemBid(_number(rate), _number(quantity), _number(stated), Decimal(corrected))
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


def difference(amount: Decimal, estimate: Decimal) -> Difference:
    """The one owner of the bid-vs-estimate difference (see the module docstring)."""
    pct = deviation(amount, estimate)
    return Difference(amount - estimate, None if pct is None else round_places(pct, 1))


def percent(value: Decimal | None) -> str:
    """A deviation as text with one decimal, e.g. `-35.2`."""
    return "" if value is None else str(round_places(value, 1))
