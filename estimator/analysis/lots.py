"""Bid evaluation per lot: what a tender committee signs (the comparative bid analysis, CBA).

`evaluate_lots(programme, evaluation, records)` takes the workbooks as read (`bids.evaluate`) and
the committee's evaluation file (`evalfile`), and gives:

- **Bidders** by the company name in their workbooks' bidder block (`evalfile.identity`), not by the
  file name: several workbooks from one bidder are one bid. A bidder fails (listed with the reasons,
  never ranked) when its opening record is missing from a given evaluation file, its bid security is
  not valid or less than the lots it bid for require (`Programme.lot_particulars(...).bid_security`,
  summed), or an administrative, technical or qualification check failed.
- **Per lot** (a facility), per bidder: *not bid* (no rate at all in the lot), *non-compliant* (some
  rates missing under the "reject" rule, or the lot priced differently in two of its workbooks) or
  *compliant*. Under the "highest" rule (`TenderParticulars.missing_rates`), a missing rate is priced
  at the highest rate another evaluated bidder gave that item, and the lot stays compliant (non-
  compliant if no other bid priced it). Provisional and prime cost sums are fixed: never missing
  rates, always in the total at the tender's amount (an altered one is corrected back and named).
- The corrected lot total: the engineer's quantities x the bidder's rates, rounded per line, summed;
  the employer's contingency and overheads are never added (bidders do not price them); the
  programme's tax is added only when bidders charge it (`TenderParticulars.bidders_charge_tax`).
  The engineer's estimate per lot it is compared with is on the same basis (`ESTIMATE_BASIS`).
- The ranking per lot (compliant bids by corrected total), abnormal rates (beyond the threshold of
  the engineer's rate) and abnormally low lot totals (`TenderParticulars.abnormally_low`), and the
  recommendation (`award.recommend`: the cheapest allowed combination within the maximum number of
  lots per bidder, explained where it is not the lowest bid).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from operator import itemgetter
from pathlib import Path

from estimator.analysis.award import Award, lowest, recommend
from estimator.analysis.bidcheck import Anomaly, ItemBid
from estimator.analysis.bidresult import BidResult, Difference, Refused, TenderItem, deviation, difference
from estimator.analysis.bids import Evaluation
from estimator.analysis.evalfile import CHECKS, Record, identity
from estimator.gcpause import gc_paused
from estimator.model import FIXED_SUMS, Programme
from estimator.money import ZERO, fmt
from estimator.particulars import HIGHEST
from estimator.pricing import line_amount, with_markups

# a bidder
EVALUATED, FAILED, REFUSED, NO_WORKBOOK = "evaluated", "failed", "refused", "no workbook"
# a bidder in one lot
COMPLIANT, NON_COMPLIANT, NOT_BID = "compliant", "non-compliant", "not bid"
CORRECTION_KINDS = ("arithmetic error", "fixed sum altered", "quantity changed", "formula replaced", "deleted row",
                    "missing rate")
LISTED = 12  # items named in one reason; the rest are counted


@dataclass(slots=True)
class Bidder:
    name: str
    key: str
    files: list[str] = field(default_factory=list)
    bids: list[BidResult] = field(default_factory=list)
    status: str = EVALUATED
    reasons: list[str] = field(default_factory=list)
    record: Record | None = None
    notes: list[str] = field(default_factory=list)  # said about the bidder, not a reason to fail

    @property
    def file(self) -> str:
        return ", ".join(self.files)

    @property
    def evaluated(self) -> bool:
        return self.status == EVALUATED


@dataclass(slots=True)
class LotBid:
    """One bidder's bid for one lot."""

    bidder: str
    file: str
    status: str
    reasons: list[str]
    read_total: Decimal | None  # the lot total as the workbook states it
    corrected_total: Decimal
    difference: Difference
    rates: dict[str, Decimal]  # item uid -> the rate evaluated (fixed sums: the tender's)
    anomalies: list[Anomaly]
    low: list[str] = field(default_factory=list)  # item uids of abnormally low rates
    high: list[str] = field(default_factory=list)
    priced_at_highest: dict[str, tuple[Decimal, str]] = field(default_factory=dict)  # uid -> (rate, whose)
    abnormally_low: bool = False
    rank: int | None = None

    @property
    def corrections(self) -> list[Anomaly]:
        return [a for a in self.anomalies if a.kind in CORRECTION_KINDS]

    def anomaly_texts(self) -> list[str]:
        texts = [a.message for a in self.anomalies]
        if self.abnormally_low:
            texts.insert(0, f"abnormally low: {self.difference.text()} against the estimate")
        return texts


@dataclass(slots=True)
class Lot:
    number: int
    uid: str
    name: str
    name_ar: str
    estimate: Decimal
    bid_security: Decimal
    items: list[TenderItem]
    bids: list[LotBid] = field(default_factory=list)  # compliant ones ranked first, then non-compliant
    uids: list[str] = field(init=False)  # of the items, in order
    recommended: LotBid | None = None
    note: str = ""  # why the recommendation is not the lowest bid, or why there is none

    def __post_init__(self) -> None:
        self.uids = [it.uid for it in self.items]

    def display_name(self, lang: str) -> str:
        return (self.name_ar or self.name) if lang == "ar" else self.name


@dataclass(slots=True)
class CBA:
    """The comparative bid analysis of one tender revision."""

    programme: str
    reference: str
    currency: str
    revision: str | None
    threshold: Decimal
    missing_rates: str
    max_lots: int | None
    abnormally_low: Decimal
    tax: Decimal | None  # the tax % added to bid and estimate (bidders charge tax), else None
    evaluation: Evaluation
    bidders: list[Bidder]
    lots: list[Lot]
    recommendation: list[Award]  # in lot order; bidder = the bidder's name
    explanation: list[str]
    records_given: bool
    committee: list[tuple[str, str]] = field(default_factory=list)  # (name, role)

    @property
    def estimate_basis(self) -> str:
        tax = f", plus tax {self.tax} % (bidders charge it)" if self.tax is not None else ", without tax"
        return ("the engineer's estimate of each lot as bidders price it: measured items, dayworks, provisional and "
                f"prime cost sums; without the employer's contingency and overheads{tax}")

    def lot(self, number: int) -> Lot:
        return next(lot for lot in self.lots if lot.number == number)

    @property
    def recommended_total(self) -> Decimal:
        return sum((a.amount for a in self.recommendation), ZERO)


def evaluate_lots(programme: Programme, ev: Evaluation, records: Sequence[Record] | None = None,
                  revision: str | None = None, committee: Sequence[tuple[str, str]] = ()) -> CBA:
    p = programme.particulars
    tax = programme.markups.tax if p.bidders_charge_tax else None
    bidders = _bidders(ev.bids, ev.refused)
    lots = _lots(programme, ev, tax)
    by_lot_bids = {lot.uid: _lot_bids(lot, bidders) for lot in lots}  # bidder key -> its workbook for the lot
    _compliance(bidders, records, lots, by_lot_bids)
    with gc_paused():  # a dict of rates per lot and bid, no cycles: nothing for the collector to find
        figures = _figures_by_lot(ev, lots)
        for lot in lots:
            _evaluate_lot(lot, bidders, by_lot_bids[lot.uid], figures, p.missing_rates, tax, p.abnormally_low)
    offers = {lot.uid: [(b.bidder, b.corrected_total) for b in lot.bids if b.status == COMPLIANT] for lot in lots}
    awards = recommend(offers, p.max_lots_per_bidder, {lot.uid: lot.estimate for lot in lots})
    explanation = _explain(lots, offers, awards, p.max_lots_per_bidder)
    for lot in lots:
        award = awards.get(lot.uid)
        lot.recommended = next((b for b in lot.bids if award and b.bidder == award.bidder), None)
    recommendation = [Award(str(lot.number), a.bidder, a.amount) for lot in lots if (a := awards.get(lot.uid))]
    return CBA(ev.programme, ev.reference, ev.currency, revision, ev.threshold, p.missing_rates, p.max_lots_per_bidder,
               p.abnormally_low, tax, ev, bidders, lots, recommendation, explanation, records is not None,
               list(committee))


def _bidders(bids: list[BidResult], refused: list[Refused]) -> list[Bidder]:
    found: dict[str, Bidder] = {}
    for bid in sorted(bids, key=lambda b: b.file):
        key = identity(bid.company)
        if not key:
            key = "file:" + bid.file
            bidder = found.setdefault(key, Bidder(Path(bid.file).stem, key))
            bidder.notes.append(f"{bid.file}: no company name in the bidder block; named by its file")
        else:
            bidder = found.setdefault(key, Bidder(bid.company, key))
        bidder.files.append(bid.file)
        bidder.bids.append(bid)
    out = list(found.values())
    for r in refused:
        out.append(Bidder(r.company or Path(r.file).stem, "refused:" + r.file, [r.file], [], REFUSED,
                          [r.reason.removeprefix(f"{r.file}: ")]))
    return out


def _lots(programme: Programme, ev: Evaluation, tax: Decimal | None) -> list[Lot]:
    items: dict[str, list[TenderItem]] = {}
    for it in ev.items:
        items.setdefault(it.facility_uid, []).append(it)
    lots = []
    for number, facility in enumerate(programme.facilities, start=1):
        lot_items = items.get(facility.uid, [])
        estimate = sum((it.line.amount for it in lot_items), ZERO)
        if tax is not None:
            estimate = with_markups(estimate, [("Tax", tax)])[1]
        security = programme.lot_particulars(facility).bid_security or ZERO
        lots.append(Lot(number, facility.uid, facility.name, facility.name_ar, estimate, security, lot_items))
    return lots


def _priced(bid: BidResult, lot: Lot) -> bool:
    return any(bid.items[it.uid].rate is not None for it in lot.items if it.line.item.kind not in FIXED_SUMS)


def _lot_bids(lot: Lot, bidders: list[Bidder]) -> dict[str, list[BidResult]]:
    return {b.key: found for b in bidders if (found := [bid for bid in b.bids if _priced(bid, lot)])}


def _compliance(bidders: list[Bidder], records: Sequence[Record] | None, lots: list[Lot],
                by_lot: dict[str, dict[str, list[BidResult]]]) -> None:
    if records is None:
        return
    keyed = {r.key: r for r in records}
    for b in bidders:
        record = keyed.pop(b.key, None) or (keyed.pop(identity(b.name), None) if b.status == REFUSED else None)
        b.record = record
        if b.status != EVALUATED:
            continue
        if record is None:
            b.status = FAILED
            b.reasons.append("not in the opening record (the evaluation file has no row for this bidder)")
            continue
        lots_bid = [lot for lot in lots if b.key in by_lot[lot.uid]]
        required = sum((lot.bid_security for lot in lots_bid), ZERO)
        if record.security_valid is False:
            b.reasons.append("bid security not valid")
        if required > 0 and (record.security_amount or ZERO) < required:
            which = ", ".join(str(lot.number) for lot in lots_bid if lot.bid_security > 0)
            b.reasons.append(f"bid security {fmt(record.security_amount or ZERO)} is less than the {fmt(required)} "
                             f"required for the lots bid ({which})")
        for name in CHECKS:
            check = record.check(name)
            if check.passed is False:
                b.reasons.append(f"{name} compliance failed" + (f": {check.note}" if check.note else ""))
        if b.reasons:
            b.status = FAILED
    for record in keyed.values():  # recorded at the opening, but no workbook of it was read
        bidders.append(Bidder(record.bidder, record.key, [], [], NO_WORKBOOK,
                              ["in the opening record, but no returned workbook of this bidder was evaluated"], record))


def _figures_by_lot(ev: Evaluation, lots: list[Lot]) -> dict[int, dict[str, list[ItemBid]]]:
    """Each bid's figures (by `id`) for each lot's items, in the lot's order, taken in slices when the
    bid holds them in the tender's order (as `assess_returned` makes them) and the lots follow it too:
    240,000 look-ups for ten bids at 80 x 300 otherwise. A bid in another order is looked up item by item."""
    order = [it.uid for it in ev.items]
    if [uid for lot in lots for uid in lot.uids] != order:
        return {}
    ends = list(accumulate(len(lot.uids) for lot in lots))
    spans = [(lot.uid, end - len(lot.uids), end) for lot, end in zip(lots, ends, strict=True)]
    found = {}
    for bid in ev.bids:
        if list(bid.items) == order:
            values = list(bid.items.values())
            found[id(bid)] = {uid: values[start:end] for uid, start, end in spans}
    return found


def _evaluate_lot(lot: Lot, bidders: list[Bidder], lot_bids: dict[str, list[BidResult]],
                  figures_of: dict[int, dict[str, list[ItemBid]]], rule: str, tax: Decimal | None,
                  abnormally_low: Decimal) -> None:
    entries: list[tuple[Bidder, LotBid, list[TenderItem]]] = []
    for b in bidders:
        found = lot_bids.get(b.key)
        if not b.evaluated or not found:
            continue
        bid = found[0]
        reasons: list[str] = []
        if any(_lot_rates(other, lot) != _lot_rates(bid, lot) for other in found[1:]):
            reasons.append(f"lot priced in more than one workbook ({', '.join(x.file for x in found)}) with different rates")
        # the bid's figures for the lot's items (`_figures_by_lot`)
        sliced = figures_of.get(id(bid))
        figures = sliced[lot.uid] if sliced is not None else list(map(bid.items.__getitem__, lot.uids))
        priced = list(map(_RATE, figures))
        if bid.missing:  # some items have no rate (`None in priced` compares each Decimal with None: slow)
            missing = [it for it, rate in zip(lot.items, priced, strict=True) if rate is None]
            rates = {uid: rate for uid, rate in zip(lot.uids, priced, strict=True) if rate is not None}
            corrected = sum((f.corrected for f in figures if f.rate is not None), ZERO)
        else:
            missing, rates, corrected = [], dict(zip(lot.uids, priced, strict=True)), sum(map(_CORRECTED, figures), ZERO)
        sheets = {s for s, uid in bid.sheet_lots.items() if uid == lot.uid}
        uids = {it.uid for it in lot.items}
        anomalies = [a for a in bid.anomalies if a.item_uid in uids or (not a.item_uid and a.sheet in sheets)]
        read = bid.lot_totals.get(lot.uid)
        if read is not None and tax is not None:
            read = with_markups(read, [("Tax", tax)])[1]
        entry = LotBid(b.name, bid.file, NON_COMPLIANT if reasons else COMPLIANT, reasons, read, corrected,
                       difference(corrected, lot.estimate), rates, anomalies)
        if lot.uid in bid.flags:  # the rates flagged when the bid was read (`bidresult.flag`), in the lot's order
            low, high = bid.flags[lot.uid]
            entry.low, entry.high = list(low), list(high)
        entries.append((b, entry, missing))
    for b, entry, missing in entries:
        if missing and rule == HIGHEST:
            unpriced = []
            for it in missing:
                others = [(e.rates[it.uid], e.bidder) for other, e, _ in entries if other is not b and it.uid in e.rates]
                if not others:
                    unpriced.append(it)
                    continue
                rate, whose = max(others, key=lambda o: o[0])
                entry.priced_at_highest[it.uid] = (rate, whose)
                entry.rates[it.uid] = rate
                entry.corrected_total += line_amount(it.line.quantity, rate, it.line.unit)  # P&A: a %
            if entry.priced_at_highest:
                entry.reasons.append(f"{len(entry.priced_at_highest)} missing rate(s) priced at the highest other bid "
                                     f"(items {_refs([it for it in missing if it.uid in entry.priced_at_highest])})")
            if unpriced:
                entry.status = NON_COMPLIANT
                entry.reasons.append(f"{len(unpriced)} rate(s) missing that no other bid prices (items {_refs(unpriced)})")
        elif missing:
            entry.status = NON_COMPLIANT
            entry.reasons.append(f"{len(missing)} rate(s) missing (items {_refs(missing)}): not substantially "
                                 "responsive for this lot")
        if tax is not None:
            entry.corrected_total = with_markups(entry.corrected_total, [("Tax", tax)])[1]
        entry.difference = difference(entry.corrected_total, lot.estimate)
        below = deviation(entry.corrected_total, lot.estimate)
        entry.abnormally_low = abnormally_low > 0 and below is not None and below < -abnormally_low
    ranked = sorted((e for _, e, _ in entries if e.status == COMPLIANT), key=lambda e: (e.corrected_total, e.bidder))
    for rank, entry in enumerate(ranked, start=1):
        entry.rank = rank
    lot.bids = ranked + sorted((e for _, e, _ in entries if e.status != COMPLIANT), key=lambda e: e.bidder)


_RATE, _CORRECTED = itemgetter(0), itemgetter(3)  # of an ItemBid (`bidcheck.ItemBid`)


def _lot_rates(bid: BidResult, lot: Lot) -> list[Decimal | None]:
    return [bid.items[it.uid].rate for it in lot.items]


def _refs(items: list[TenderItem]) -> str:
    refs = [it.line.item.ref or it.line.item.description[:20] for it in items[:LISTED]]
    more = f" and {len(items) - LISTED} more" if len(items) > LISTED else ""
    return ", ".join(refs) + more


def _explain(lots: list[Lot], offers: dict[str, list[tuple[str, Decimal]]], awards: dict[str, Award],
             max_lots: int | None) -> list[str]:
    best = lowest(offers)
    lines: list[str] = []
    for lot in lots:
        if lot.uid not in awards:
            lot.note = "no substantially responsive bid: not recommended for award" if not offers[lot.uid] else \
                "no bidder can take this lot within the maximum of lots per bidder"
            lines.append(f"Lot {lot.number}: {lot.note}.")
    moved = [lot for lot in lots if lot.uid in awards and awards[lot.uid].bidder != best[lot.uid].bidder]
    if max_lots is not None and awards:
        left = [lot for lot in lots if offers[lot.uid] and lot.uid not in awards]
        if left:
            lines.append(f"{len(left)} lot(s) with responsive bids cannot be awarded within {max_lots} lot(s) per "
                         "bidder; the lots awarded are those whose bids save most against the estimate.")
        total = sum((a.amount for a in awards.values()), ZERO)
        unconstrained = sum((best[uid].amount for uid in awards), ZERO)
        lines.append(f"At most {max_lots} lot(s) per bidder. The recommendation is the cheapest allowed combination, "
                     f"found by an exact search over every assignment of lots to responsive bids (a minimum-cost "
                     f"assignment): total {fmt(total)}"
                     + (f", {fmt(total - unconstrained)} more than the lowest bid of every lot, which would give "
                        f"a bidder more than {max_lots} lot(s)." if moved else "; it is the lowest bid of every lot."))
    for lot in moved:
        low = best[lot.uid]
        won = [str(other.number) for other in lots if (a := awards.get(other.uid)) and a.bidder == low.bidder]
        lot.note = (f"the lowest bid, {low.bidder} ({fmt(low.amount)}), is recommended for lot(s) {', '.join(won)}, its "
                    f"maximum; {awards[lot.uid].bidder} at {fmt(awards[lot.uid].amount)} gives the cheapest allowed "
                    "combination")
        lines.append(f"Lot {lot.number}: {lot.note}.")
    return lines


def corrected_rates(programme: Programme, paths: Sequence[Path], bidder: str | None = None) -> dict[str, Decimal]:
    """The rates a contract with `bidder` would carry, by item uid: its rates as evaluated (missing
    ones priced at the highest other bid under that rule; provisional and prime cost sums at the
    tender's), for every lot where its bid is compliant. `paths` are the returned workbooks to
    evaluate (all of them, so the "highest other bid" rule can apply); `bidder` is the company name
    of the bidder block, and may be left out when the workbooks are all from one bidder.
    Items of lots it did not bid for, or where it is non-compliant, are absent. A profit and
    attendance item's rate is its percentage of the prime cost sum, as the bidder wrote it.
    """
    from estimator.analysis.bids import evaluate
    from estimator.errors import UserError

    ev = evaluate(programme, paths)
    cba = evaluate_lots(programme, ev)
    named = [b for b in cba.bidders if b.status == EVALUATED]
    if bidder is None:
        if len(named) != 1:
            raise UserError(f"the workbooks are from {len(named)} bidders ({', '.join(b.name for b in named) or 'none'}); "
                            "name the bidder whose rates are wanted")
        chosen = named[0]
    else:
        found = [b for b in named if b.key == identity(bidder)]
        if not found:
            raise UserError(f"no evaluated bid from {bidder!r} among the workbooks (bidders: "
                            f"{', '.join(b.name for b in named) or 'none'})")
        chosen = found[0]
    rates: dict[str, Decimal] = {}
    for lot in cba.lots:
        for entry in lot.bids:
            if entry.bidder == chosen.name and entry.status == COMPLIANT:
                rates.update(entry.rates)
    return rates
