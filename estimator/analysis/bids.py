"""Evaluating returned bids against the engineer's estimate.

`evaluate(programme, [bid.xlsx, ...], threshold)` reads each returned tender workbook (`bidread`;
several at once in worker processes, `bidassess`), refuses the ones not from this tender (another
reference, or items and quantities that differ from the programme: its fingerprint), checks every
row (`bidcheck`) and gives per bid:
- the stated total (the General Summary grand total as the workbook calculated it; for a workbook
  holding no calculated values, the sum of its stated amounts with the programme's markups);
- the corrected total: the ENGINEER'S quantities x the BIDDER'S unit rates, rounded per line
  (the unit rate prevails; quantities the bidder changed do not count, as in a re-measured
  contract), an unpriced or deleted item at 0, rows the bidder added left out, then the programme's
  markups (contingency, overheads, tax) on that subtotal, exactly as the estimate's;
- the ranking by corrected total, complete bids before bids with unpriced items;
- per item the bid rates beside the engineer's, those more than `threshold` % below or above
  flagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from estimator.analysis.bidassess import Tender, assess_all
from estimator.analysis.bidresult import (
    DEFAULT_THRESHOLD,
    BidResult,
    Progress,
    Refused,
    TenderItem,
    deviation,
    difference,
    flag,
    percent,
)
from estimator.errors import UserError
from estimator.gcpause import gc_paused
from estimator.model import Programme
from estimator.pricing import Markup

__all__ = ["DEFAULT_THRESHOLD", "BidResult", "Evaluation", "Progress", "Refused", "TenderItem",
           "deviation", "difference", "evaluate", "percent"]

@dataclass(slots=True)
class Evaluation:
    programme: str
    reference: str
    currency: str
    threshold: Decimal
    engineer_subtotal: Decimal
    engineer_markups: list[Markup]
    engineer_total: Decimal
    items: list[TenderItem]
    bids: list[BidResult] = field(default_factory=list)  # in ranking order
    refused: list[Refused] = field(default_factory=list)

    def deviation(self, item: TenderItem, bid: BidResult) -> Decimal | None:
        """The bid rate's difference from the engineer's rate, in % of the engineer's rate."""
        rate = bid.items[item.uid].rate
        return None if rate is None else deviation(rate, item.line.rate)

    def flag(self, item: TenderItem, bid: BidResult) -> str:
        return flag(bid.items[item.uid].rate, item.line.rate, self.threshold)


def evaluate(programme: Programme, paths: Sequence[Path], threshold: Decimal = DEFAULT_THRESHOLD,
             progress: Progress | None = None, workers: int | None = None) -> Evaluation:
    """Evaluate the returned workbooks `paths`; see the module docstring.

    Several bids are read in parallel processes (`workers`, default: one per CPU, at most one per
    bid); `progress(done, total)` is called as bids complete and may raise `Cancelled`.
    """
    if threshold <= 0:
        raise UserError(f"threshold {threshold} %: give a percentage greater than 0, e.g. 30")
    # ten bids' figures are ~1,000,000 objects and no cycles: the collector would only re-scan them
    with gc_paused():
        tender = Tender.of(programme, threshold)
        ev = Evaluation(programme.name, programme.reference, programme.currency, threshold, tender.subtotal,
                        tender.markups, tender.total, tender.items)
        for result in assess_all(tender, [Path(p) for p in paths], progress, workers):
            if isinstance(result, Refused):
                ev.refused.append(result)
            else:
                ev.bids.append(result)
    # complete bids first: an incomplete bid's corrected total prices its gaps at 0, which would favour it
    ev.bids.sort(key=lambda b: (b.missing > 0, b.corrected_total, b.file))
    for rank, bid in enumerate(ev.bids, start=1):
        bid.rank = rank
    return ev
