"""The estimate kept current edit by edit, without re-pricing the whole programme.

`LiveEstimate` prices the programme once, then keeps every line, bill total and facility total
cached. An edit's `Change` says what it touched; only those items (or bills) are re-priced with
`estimator.pricing.Pricer`, and the difference is carried up to the facility, the subtotal, the
markups and the grand total. Totals are plain sums of Decimal amounts, so the incremental figures
are exactly those of `estimator.pricing.price` (the tests compare both after random edits).
No Qt here: this is estimating logic that happens to serve the window.
"""

from __future__ import annotations

from decimal import Decimal

from estimator.edits import Change
from estimator.gcpause import gc_paused
from estimator.model import Bill, Facility, Programme
from estimator.money import ZERO
from estimator.pricing import BillTotal, Estimate, FacilityTotal, Line, Pricer, summarise, with_markups


class LiveEstimate:
    def __init__(self, programme: Programme) -> None:
        self.programme = programme
        self.rebuild()

    # ---- reading --------------------------------------------------------------------------

    @property
    def currency(self) -> str:
        return self.programme.currency

    def line(self, item_uid: str) -> Line:
        return self.lines[item_uid]

    def bill_total(self, bill_uid: str) -> Decimal:
        return self.bill_totals.get(bill_uid, ZERO)

    def facility_total(self, facility_uid: str) -> Decimal:
        return self.facility_totals.get(facility_uid, ZERO)

    def error_count(self) -> int:
        return len(self.errors)

    def estimate(self) -> Estimate:
        """The same `Estimate` that `estimator.pricing.price` gives, from the cached lines."""
        facilities = []
        for fac in self.programme.facilities:
            bills = [BillTotal(b, [self.lines[i.uid] for i in b.items], self.bill_totals[b.uid]) for b in fac.bills]
            facilities.append(FacilityTotal(fac, bills, self.facility_totals[fac.uid]))
        return summarise(self.programme, facilities)

    # ---- updating -------------------------------------------------------------------------

    def rebuild(self) -> None:
        """Price everything again (new currency, exchange rates, markups, or a whole new content)."""
        self.pricer = Pricer(self.programme)
        self.lines: dict[str, Line] = {}
        self.errors: set[str] = set()
        self.bill_totals: dict[str, Decimal] = {}
        self.facility_totals: dict[str, Decimal] = {}
        self._facility_of: dict[str, str] = {}
        self._bill_items: dict[str, list[str]] = {}
        with gc_paused():  # one Line per item and no cycles: the collector would only re-scan them
            for fac in self.programme.facilities:
                for bill in fac.bills:
                    self._price_bill(fac, bill)
                self.facility_totals[fac.uid] = sum((self.bill_totals[b.uid] for b in fac.bills), ZERO)
        self._summarise()

    def update(self, change: Change, programme: Programme) -> None:
        """Bring the figures up to date after an edit that reported `change`."""
        if change.prices:
            self.rebuild()
            return
        if change.rates:
            self.pricer = Pricer(self.programme)  # its cached unit rates came from the old snapshot
        if change.structure:
            self._sync_structure()
        touched = set(change.bills)
        for bill_uid, item_uid in change.items:
            if bill_uid not in touched:
                self._reprice_item(bill_uid, item_uid)
        for bill_uid in touched:
            if bill_uid in self._facility_of:
                fac_uid = self._facility_of[bill_uid]
                facility, bill = self._find(fac_uid, bill_uid)
                self._reprice_bill(facility, bill)
        if change.rates:
            self._reprice_codes(change.rates)
        self._summarise()

    def cover(self, note: str) -> None:
        """Give every item that has no line (its pricing failed) a placeholder line with `note`.

        Only for a failed edit, between the failure and its roll-back, so the views can still read
        every row while they are told about the steps being undone.
        """
        for fac in self.programme.facilities:
            for bill in fac.bills:
                for item in bill.items:
                    if item.uid not in self.lines:
                        self.lines[item.uid] = Line(item, ZERO, item.unit, ZERO, ZERO, error=note)

    def _find(self, facility_uid: str, bill_uid: str) -> tuple[Facility, Bill]:
        for fac in self.programme.facilities:
            if fac.uid == facility_uid:
                return fac, next(b for b in fac.bills if b.uid == bill_uid)
        raise KeyError(facility_uid)

    def _price_bill(self, facility: Facility, bill: Bill) -> None:
        total = ZERO
        uids = []
        for item in bill.items:
            line = self.pricer.line(item)
            self._store(item.uid, line)
            total += line.amount
            uids.append(item.uid)
        self.bill_totals[bill.uid] = total
        self._facility_of[bill.uid] = facility.uid
        self._bill_items[bill.uid] = uids

    def _store(self, uid: str, line: Line) -> None:
        self.lines[uid] = line
        if line.error:
            self.errors.add(uid)
        else:
            self.errors.discard(uid)

    def _reprice_item(self, bill_uid: str, item_uid: str) -> None:
        old = self.lines.get(item_uid)
        if old is None:  # the item went away later in the same edit
            return
        new = self.pricer.line(old.item)
        self._store(item_uid, new)
        delta = new.amount - old.amount
        if delta:
            self.bill_totals[bill_uid] += delta
            self.facility_totals[self._facility_of[bill_uid]] += delta

    def _reprice_bill(self, facility: Facility, bill: Bill) -> None:
        before = self.bill_totals.get(bill.uid, ZERO)
        for uid in self._bill_items.get(bill.uid, []):
            self.lines.pop(uid, None)
            self.errors.discard(uid)
        self._price_bill(facility, bill)
        self.facility_totals[facility.uid] += self.bill_totals[bill.uid] - before

    def _reprice_codes(self, codes: frozenset[str]) -> None:
        for fac in self.programme.facilities:
            for bill in fac.bills:
                for item in bill.items:
                    if item.rate_code in codes:
                        self._reprice_item(bill.uid, item.uid)

    def _sync_structure(self) -> None:
        """Facilities or bills were added or removed: price the new ones, forget the gone ones."""
        present: set[str] = set()
        for fac in self.programme.facilities:
            for bill in fac.bills:
                present.add(bill.uid)
                if bill.uid not in self.bill_totals:
                    self._price_bill(fac, bill)
                self._facility_of[bill.uid] = fac.uid
        for gone in [uid for uid in self.bill_totals if uid not in present]:
            for uid in self._bill_items.pop(gone, []):
                self.lines.pop(uid, None)
                self.errors.discard(uid)
            del self.bill_totals[gone]
            del self._facility_of[gone]
        self.facility_totals = {fac.uid: sum((self.bill_totals[b.uid] for b in fac.bills), ZERO)
                                for fac in self.programme.facilities}

    def _summarise(self) -> None:
        self.subtotal = sum(self.facility_totals.values(), ZERO)
        self.markups, self.grand_total = with_markups(self.subtotal, self.programme.markups.as_list())
