"""What changed between two tender revisions: the content of an addendum.

`diff(a, b)` compares two programmes (revision A, then the later revision B) item by item, by the
item's identity (uid), on what a tender prints: each item gives one `Change` per aspect that
changed, in B's order, then the omitted items in A's order:
- `added`: in B only; `omitted`: in A only;
- `quantity`: the printed quantity (in the billing unit) differs;
- `unit`: the billing unit differs (the quantity is then reported with it, as `quantity`);
- `description`: the English or Arabic description differs;
- `lot moved`: the item is in another lot (facility) in B.
Per lot (facility, by identity) it gives the estimate's total in A and in B and the difference,
and the bills whose BoQ pages change (they are reprinted in the addendum).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from estimator.kinds import label as kind_label
from estimator.model import FIXED_SUMS, Programme
from estimator.money import ZERO, fmt, plain
from estimator.pricing import Estimate, Line, price
from estimator.units import label

KINDS = ("added", "omitted", "quantity", "unit", "description", "lot moved", "item type", "fixed sum")


@dataclass(frozen=True, slots=True)
class Change:
    kind: str
    uid: str
    lot: str  # the lot (facility) name where the item is (in B; in A for an omitted item)
    bill: str
    ref: str
    description: str
    old: str = ""
    new: str = ""
    description_ar: str = ""

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "uid": self.uid, "lot": self.lot, "bill": self.bill, "ref": self.ref,
                "description": self.description, "description_ar": self.description_ar, "old": self.old,
                "new": self.new}


@dataclass(frozen=True, slots=True)
class LotEffect:
    uid: str
    name: str
    before: Decimal  # the lot's total in A (0 if the lot is new)
    after: Decimal

    @property
    def difference(self) -> Decimal:
        return self.after - self.before


@dataclass(slots=True)
class Diff:
    before: Programme
    after: Programme
    estimate_before: Estimate
    estimate_after: Estimate
    changes: list[Change] = field(default_factory=list)
    lots: list[LotEffect] = field(default_factory=list)
    changed_bills: list[str] = field(default_factory=list)  # bill uids in B whose pages change

    def to_json(self) -> dict[str, object]:
        return {
            "from": {"revision": self.before.revision, "date": self.before.issue_date.isoformat()},
            "to": {"revision": self.after.revision, "date": self.after.issue_date.isoformat()},
            "currency": self.after.currency,
            "changes": [c.to_json() for c in self.changes],
            "lots": [{"uid": lot.uid, "lot": lot.name, "before": plain(lot.before), "after": plain(lot.after),
                      "difference": plain(lot.difference)} for lot in self.lots],
            "grand_total": {"before": plain(self.estimate_before.grand_total),
                            "after": plain(self.estimate_after.grand_total),
                            "difference": plain(self.estimate_after.grand_total - self.estimate_before.grand_total)},
        }


@dataclass(frozen=True, slots=True)
class _Place:
    line: Line
    lot_uid: str
    lot: str
    bill_uid: str
    bill: str


def _places(estimate: Estimate) -> dict[str, _Place]:
    return {ln.item.uid: _Place(ln, ft.facility.uid, ft.facility.name, bt.bill.uid, bt.bill.name)
            for ft in estimate.facilities for bt in ft.bills for ln in bt.lines}


def _qty(line: Line) -> str:
    """A printed quantity with its unit as documents print it: `18.00 m³`."""
    return f"{plain(line.quantity)} {label(line.unit)}"


def diff(before: Programme, after: Programme) -> Diff:
    est_a, est_b = price(before), price(after)
    result = Diff(before, after, est_a, est_b)
    old, new = _places(est_a), _places(est_b)
    changed_bills: set[str] = set()
    for uid, b in new.items():
        a = old.get(uid)
        item = b.line.item

        def change(kind: str, was: str = "", now: str = "", where: _Place = b) -> None:
            it = where.line.item
            result.changes.append(Change(kind, it.uid, where.lot, where.bill, it.ref, it.description, was, now,
                                         it.description_ar))
            changed_bills.add(where.bill_uid)

        if a is None:
            change("added", "", _qty(b.line))
            continue
        was = a.line.item
        if a.line.unit != b.line.unit:
            change("unit", label(a.line.unit), label(b.line.unit))
        if a.line.quantity != b.line.quantity or a.line.unit != b.line.unit:
            change("quantity", _qty(a.line), _qty(b.line))
        if (was.description, was.description_ar) != (item.description, item.description_ar):
            change("description", was.description, item.description)
        if was.kind != item.kind:  # bidders now price it, or no longer do
            change("item type", kind_label(was.kind), kind_label(item.kind))
        if item.kind in FIXED_SUMS and was.kind in FIXED_SUMS and a.line.amount != b.line.amount:
            change("fixed sum", fmt(a.line.amount), fmt(b.line.amount))  # printed in the tender: an addendum says so
        if a.lot_uid != b.lot_uid:
            change("lot moved", a.lot, b.lot)
        elif a.bill_uid != b.bill_uid or was.ref != item.ref or was.provisional != item.provisional:
            changed_bills.add(b.bill_uid)  # not a change of the tender's substance, but its pages differ
    for uid, a in old.items():
        if uid not in new:
            result.changes.append(Change("omitted", uid, a.lot, a.bill, a.line.item.ref, a.line.item.description,
                                         _qty(a.line), "", a.line.item.description_ar))
            bill_after = next((bt.bill.uid for ft in est_b.facilities for bt in ft.bills if bt.bill.uid == a.bill_uid), "")
            if bill_after:
                changed_bills.add(bill_after)
    totals_a = {ft.facility.uid: ft for ft in est_a.facilities}
    seen: set[str] = set()
    for ft in est_b.facilities:
        before_total = totals_a[ft.facility.uid].total if ft.facility.uid in totals_a else ZERO
        result.lots.append(LotEffect(ft.facility.uid, ft.facility.name, before_total, ft.total))
        seen.add(ft.facility.uid)
    result.lots += [LotEffect(uid, ft.facility.name, ft.total, ZERO) for uid, ft in totals_a.items() if uid not in seen]
    result.changed_bills = [bt.bill.uid for ft in est_b.facilities for bt in ft.bills if bt.bill.uid in changed_bills]
    return result
