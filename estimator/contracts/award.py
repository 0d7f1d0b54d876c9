"""Award: a lot's contract BoQ from the awarded bid, and the lot's particulars frozen with it.

The awarded bid is read and corrected the way the bid evaluation does (the unit rate prevails, the
engineer's quantities), against the tender revision it answers (matched by its fingerprint). The
contract BoQ is that revision's items of the lot with the contractor's corrected rates; the contract
sum is the sum of their printed amounts (quantity x rate, rounded; the engineer's markups are not part
of a contract). A provisional or prime cost sum the bidder did not price keeps the employer's amount.
A lot is awarded once.

`rates_from_bid` is the one place that reads a bid's corrected rates: switch it when the bid
evaluation offers another public function for that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from estimator.contracts import storage
from estimator.contracts.model import Contract, ContractError, ContractItem, Ledger, Terms
from estimator.errors import UserError
from estimator.limits import MAX_FIGURE
from estimator.model import FIXED_SUMS, Facility, Programme
from estimator.money import HUNDRED, ZERO
from estimator.store import Project

MAX_CONTRACTOR = 200


@dataclass(frozen=True, slots=True)
class BidRates:
    """The corrected rates of one returned bid, and the tender revision it answers."""

    file: str
    bidder: str
    revision: str  # "" when the file has no tender revisions (the working state was tendered)
    programme: Programme  # the programme as issued
    rates: dict[str, Decimal | None]  # item uid -> the bidder's unit rate (None: not priced)


def rates_from_bid(project: Project, bid_path: Path) -> BidRates:
    """The bid's corrected unit rates (today: `analysis.bidrevisions.evaluate_revisions`)."""
    from estimator.analysis.bidrevisions import evaluate_revisions
    from estimator.revisions import programme_of

    outcome = evaluate_revisions(project, [Path(bid_path)])
    if outcome.refused or not outcome.groups or not outcome.groups[0].evaluation.bids:
        reason = outcome.refused[0].reason if outcome.refused else f"{Path(bid_path).name}: not read as a bid"
        raise UserError(f"the bid cannot be awarded: {reason}")
    group = outcome.groups[0]
    bid = group.evaluation.bids[0]
    programme = project.programme if group.revision is None else programme_of(project, group.revision)
    return BidRates(Path(bid_path).name, bid.bidder, group.revision.name if group.revision else "", programme,
                    {uid: figure.rate for uid, figure in bid.items.items()})


def find_lot(programme: Programme, lot: str) -> Facility:
    """The facility (lot) numbered `lot` (1, 2, ... in the programme's order) or named `lot`."""
    text = str(lot).strip()
    if text.isdigit() and 1 <= int(text) <= len(programme.facilities):
        return programme.facilities[int(text) - 1]
    for facility in programme.facilities:
        if text.casefold() in (facility.name.casefold(), facility.uid):
            return facility
    raise ContractError(f"--lot {text!r}: no such lot; give its number (1 to {len(programme.facilities)}) or its name")


def terms_of(programme: Programme, facility: Facility, advance_from: Decimal = ZERO,
             advance_until: Decimal = HUNDRED) -> Terms:
    p = programme.lot_particulars(facility)
    if not ZERO <= advance_from <= HUNDRED or not ZERO <= advance_until <= HUNDRED or advance_until < advance_from:
        raise ContractError(f"advance recovery from {advance_from} % to {advance_until} %: give two percentages of the "
                            "contract sum, 0 to 100, the first not above the second")
    return Terms(p.retention or ZERO, p.retention_cap, p.advance or ZERO, advance_from, advance_until,
                 p.defects_liability_days or 0, p.completion_days or 0, p.liquidated_damages or ZERO)


def contract_items(issued: Programme, lot_uid: str, rates: dict[str, Decimal | None]) -> list[ContractItem]:
    """The lot's items as issued with the bid's rates; refused if an item the bidder had to price has no rate."""
    from estimator.pricing import price

    estimate = price(issued)
    lot = next((ft for ft in estimate.facilities if ft.facility.uid == lot_uid), None)
    if lot is None:
        raise ContractError("the lot is not in the tender revision the bid answers; it cannot be awarded from this bid")
    items, unpriced = [], []
    for bt in lot.bills:
        for line in bt.lines:
            item = line.item
            rate = rates.get(item.uid)
            if rate is None and item.kind in FIXED_SUMS:
                rate = line.rate  # the employer's fixed amount: bidders do not price it
            if rate is None:
                unpriced.append(item.ref or item.description[:30])
                continue
            items.append(ContractItem(item.uid, item.ref, item.description, line.unit, line.quantity, rate,
                                      item.description_ar, bt.bill.name, item.kind))
    if unpriced:
        raise ContractError(f"the bid leaves {len(unpriced)} item(s) of the lot unpriced ({', '.join(unpriced[:10])}); "
                            "a bid with missing rates cannot become the contract BoQ")
    return items


def award(project: Project, lot: str, bid_path: Path, contractor: str = "", date: dt.date | None = None,
          advance_from: Decimal = ZERO, advance_until: Decimal = HUNDRED) -> Ledger:
    """Record the contract of `lot` from the bid `bid_path`; the lot's new ledger."""
    facility = find_lot(project.programme, lot)
    if storage.ledger(project, facility.uid) is not None:
        raise ContractError(f"lot {facility.name!r} is already awarded; an award is recorded once (vary the contract "
                            "with `boq contract vary`)")
    terms = terms_of(project.programme, facility, advance_from, advance_until)
    bid = rates_from_bid(project, bid_path)
    items = contract_items(bid.programme, facility.uid, bid.rates)
    name = " ".join((contractor or bid.bidder).split())[:MAX_CONTRACTOR]
    contract = Contract(facility.uid, facility.name, name, date or dt.date.today(), bid.revision, bid.file,
                        bid.programme.currency, terms, tuple(items))
    if contract.sum >= MAX_FIGURE:
        raise ContractError(f"the contract sum {contract.sum} is beyond any contract; check the bid's rates")
    record(project, contract)
    found = storage.ledger(project, facility.uid)
    assert found is not None
    return found


def record(project: Project, contract: Contract) -> int:
    """Append the award entry of `contract` (checked to be the lot's first)."""
    if storage.ledger(project, contract.lot) is not None:
        raise ContractError(f"lot {contract.lot_name!r} is already awarded; an award is recorded once")
    data = {"lot_name": contract.lot_name, "contractor": contract.contractor, "revision": contract.revision,
            "bid_file": contract.bid_file, "currency": contract.currency, "terms": contract.terms.to_json(),
            "contract_sum": str(contract.sum)}
    return storage.append(project, contract.lot, "award", 0, contract.contractor, contract.date, data,
                          [(item.uid, storage.item_data(item)) for item in contract.items])


def lot_ledger(project: Project, lot: str) -> Ledger:
    """The ledger of `lot` (number or name); refused if the lot has no contract."""
    facility = find_lot(project.programme, lot)
    found = storage.ledger(project, facility.uid)
    if found is None:
        raise ContractError(f"lot {facility.name!r} has no contract yet; award it first with "
                            "`boq contract award FILE --lot N --bid BID.xlsx`")
    return found
