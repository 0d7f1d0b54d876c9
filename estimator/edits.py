"""Edits to a programme as data: each applies itself and knows the edit that undoes it.

The window's undo stack only calls these (Orange3's `owpaintdata.py` pattern): an edit is a small
frozen record such as `SetField(bill_uid, item_uid, "quantity", old, new)`; `apply(programme)`
changes the programme and returns a `Change` saying what was touched, so a view can update just
that (and an estimate re-price just those items); `inverse()` is the edit that puts it back.
Primitive edits address their target by uid, so they stay valid whatever else moved. Helpers at
the end (`insert_items`, `remove_rows`, `set_fields`, ...) build the edit for an intention,
including renumbering the bill, so the renumbering is undone with it.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from typing import Any

from estimator.model import Bill, ExchangeRate, Facility, Item, Markups, Programme
from estimator.rates.book import Rate, RateBook, Resource

ITEM_FIELDS = frozenset(f.name for f in fields(Item)) - {"uid"}
FACILITY_FIELDS = frozenset(f.name for f in fields(Facility)) - {"uid", "bills"}
BILL_FIELDS = frozenset({"name", "name_ar"})


class StaleEdit(RuntimeError):
    """An edit met a programme that is not in the state it was made for (a bug, never a user error)."""


@dataclass(frozen=True, slots=True)
class Change:
    """What an edit touched: what a view redraws, the live estimate re-prices and a save writes.

    `Project.save(changed=...)` rewrites only the items of `items`' bills and of `bills`, the
    facilities and bills tables when `names` or `structure` say so, and always the small tables
    (settings, exchange rates, the rate snapshot, records in meta). An edit that changes items,
    bills or facilities must name them here, or set `contents`, or the change is not saved.
    """

    items: frozenset[tuple[str, str]] = frozenset()  # (bill uid, item uid) whose fields changed
    bills: frozenset[str] = frozenset()  # bills whose list of items changed (added, removed or moved rows)
    names: frozenset[str] = frozenset()  # facilities and bills whose own fields changed
    structure: bool = False  # facilities or bills were added, removed or moved (their bills are in `bills`)
    rates: frozenset[str] = frozenset()  # rate codes added to or removed from the snapshot
    prices: bool = False  # currency, exchange rates, markups or whole contents: re-price everything
    contents: bool = False  # every facility may have changed (an import, re-pricing): a save compares all

    def __or__(self, other: Change) -> Change:
        return Change(self.items | other.items, self.bills | other.bills, self.names | other.names,
                      self.structure or other.structure, self.rates | other.rates, self.prices or other.prices,
                      self.contents or other.contents)


class Edit(ABC):
    """Base of all edits. `label` is what Undo/Redo menus show."""

    label: str = "Edit"

    @abstractmethod
    def apply(self, programme: Programme) -> Change:
        ...

    @abstractmethod
    def inverse(self) -> Edit:
        ...

    def primitives(self) -> Iterator[Edit]:
        """The single-step edits this one is made of, in the order they apply."""
        yield self


def find_bill(programme: Programme, bill_uid: str) -> tuple[Facility, Bill]:
    for facility in programme.facilities:
        for bill in facility.bills:
            if bill.uid == bill_uid:
                return facility, bill
    raise StaleEdit(f"no bill {bill_uid}")


def find_facility(programme: Programme, facility_uid: str) -> Facility:
    for facility in programme.facilities:
        if facility.uid == facility_uid:
            return facility
    raise StaleEdit(f"no facility {facility_uid}")


def find_item(bill: Bill, item_uid: str) -> Item:
    for item in bill.items:
        if item.uid == item_uid:
            return item
    raise StaleEdit(f"no item {item_uid} in bill {bill.name!r}")


@dataclass(frozen=True, slots=True)
class SetField(Edit):
    bill_uid: str
    item_uid: str
    field: str
    old: Any
    new: Any
    label: str = "Edit cell"

    def apply(self, programme: Programme) -> Change:
        if self.field not in ITEM_FIELDS:
            raise StaleEdit(f"items have no field {self.field!r}")
        item = find_item(find_bill(programme, self.bill_uid)[1], self.item_uid)
        if getattr(item, self.field) != self.old:
            raise StaleEdit(f"{self.field} of item {self.item_uid} is {getattr(item, self.field)!r}, not {self.old!r}")
        setattr(item, self.field, self.new)
        return Change(items=frozenset({(self.bill_uid, self.item_uid)}))

    def inverse(self) -> SetField:
        return SetField(self.bill_uid, self.item_uid, self.field, self.new, self.old, self.label)


@dataclass(frozen=True, slots=True)
class SetRefs(Edit):
    """New item references (`3.12`) for items of one bill: (item uid, old, new) each."""

    bill_uid: str
    refs: tuple[tuple[str, str, str], ...]
    label: str = "Renumber"

    def apply(self, programme: Programme) -> Change:
        bill = find_bill(programme, self.bill_uid)[1]
        by_uid = {item.uid: item for item in bill.items}
        for uid, _old, new in self.refs:
            by_uid[uid].ref = new
        return Change(items=frozenset((self.bill_uid, uid) for uid, _o, _n in self.refs))

    def inverse(self) -> SetRefs:
        return SetRefs(self.bill_uid, tuple((uid, new, old) for uid, old, new in self.refs), self.label)


@dataclass(frozen=True, slots=True)
class InsertItems(Edit):
    bill_uid: str
    index: int
    items: tuple[Item, ...]
    label: str = "Insert rows"

    def apply(self, programme: Programme) -> Change:
        bill = find_bill(programme, self.bill_uid)[1]
        if not 0 <= self.index <= len(bill.items):
            raise StaleEdit(f"row {self.index} is outside bill {bill.name!r}")
        bill.items[self.index:self.index] = self.items
        return Change(bills=frozenset({self.bill_uid}))

    def inverse(self) -> RemoveItems:
        return RemoveItems(self.bill_uid, self.index, self.items, self.label)


@dataclass(frozen=True, slots=True)
class RemoveItems(Edit):
    """Remove the contiguous rows `index .. index + len(items) - 1` (which must be `items`)."""

    bill_uid: str
    index: int
    items: tuple[Item, ...]
    label: str = "Delete rows"

    def apply(self, programme: Programme) -> Change:
        bill = find_bill(programme, self.bill_uid)[1]
        end = self.index + len(self.items)
        if [i.uid for i in bill.items[self.index:end]] != [i.uid for i in self.items]:
            raise StaleEdit(f"rows {self.index}..{end - 1} of bill {bill.name!r} are not the ones to delete")
        del bill.items[self.index:end]
        return Change(bills=frozenset({self.bill_uid}))

    def inverse(self) -> InsertItems:
        return InsertItems(self.bill_uid, self.index, self.items, self.label)


@dataclass(frozen=True, slots=True)
class MoveItems(Edit):
    """Move rows `start .. start + count - 1` so that they begin at row `dest` afterwards."""

    bill_uid: str
    start: int
    count: int
    dest: int
    label: str = "Move rows"

    def apply(self, programme: Programme) -> Change:
        bill = find_bill(programme, self.bill_uid)[1]
        n = len(bill.items)
        if not (self.start >= 0 and self.start + self.count <= n and 0 <= self.dest <= n - self.count):
            raise StaleEdit(f"cannot move rows {self.start}+{self.count} to {self.dest} in a bill of {n}")
        block = bill.items[self.start:self.start + self.count]
        del bill.items[self.start:self.start + self.count]
        bill.items[self.dest:self.dest] = block
        return Change(bills=frozenset({self.bill_uid}))

    def inverse(self) -> MoveItems:
        return MoveItems(self.bill_uid, self.dest, self.count, self.start, self.label)


@dataclass(frozen=True, slots=True)
class InsertFacility(Edit):
    index: int
    facility: Facility
    label: str = "Add facility"

    def apply(self, programme: Programme) -> Change:
        programme.facilities.insert(self.index, self.facility)
        return Change(structure=True, bills=frozenset(b.uid for b in self.facility.bills))

    def inverse(self) -> RemoveFacility:
        return RemoveFacility(self.index, self.facility, self.label)


@dataclass(frozen=True, slots=True)
class RemoveFacility(Edit):
    index: int
    facility: Facility
    label: str = "Delete facility"

    def apply(self, programme: Programme) -> Change:
        if programme.facilities[self.index].uid != self.facility.uid:
            raise StaleEdit(f"facility {self.index} is not {self.facility.name!r}")
        del programme.facilities[self.index]
        return Change(structure=True, bills=frozenset(b.uid for b in self.facility.bills))

    def inverse(self) -> InsertFacility:
        return InsertFacility(self.index, self.facility, self.label)


@dataclass(frozen=True, slots=True)
class InsertBill(Edit):
    facility_uid: str
    index: int
    bill: Bill
    label: str = "Add bill"

    def apply(self, programme: Programme) -> Change:
        find_facility(programme, self.facility_uid).bills.insert(self.index, self.bill)
        return Change(structure=True, bills=frozenset({self.bill.uid}))

    def inverse(self) -> RemoveBill:
        return RemoveBill(self.facility_uid, self.index, self.bill, self.label)


@dataclass(frozen=True, slots=True)
class RemoveBill(Edit):
    facility_uid: str
    index: int
    bill: Bill
    label: str = "Delete bill"

    def apply(self, programme: Programme) -> Change:
        facility = find_facility(programme, self.facility_uid)
        if facility.bills[self.index].uid != self.bill.uid:
            raise StaleEdit(f"bill {self.index} of {facility.name!r} is not {self.bill.name!r}")
        del facility.bills[self.index]
        return Change(structure=True, bills=frozenset({self.bill.uid}))

    def inverse(self) -> InsertBill:
        return InsertBill(self.facility_uid, self.index, self.bill, self.label)


@dataclass(frozen=True, slots=True)
class Rename(Edit):
    """A field of a facility (name, governorate, ...) or a bill (name, name_ar), by uid."""

    uid: str
    field: str
    old: Any
    new: Any
    label: str = "Rename"

    def apply(self, programme: Programme) -> Change:
        target: Facility | Bill | None = None
        allowed: frozenset[str] = frozenset()
        for facility in programme.facilities:
            if facility.uid == self.uid:
                target, allowed = facility, FACILITY_FIELDS
                break
            bill = next((b for b in facility.bills if b.uid == self.uid), None)
            if bill is not None:
                target, allowed = bill, BILL_FIELDS
                break
        if target is None or self.field not in allowed or getattr(target, self.field) != self.old:
            raise StaleEdit(f"cannot set {self.field} of {self.uid} from {self.old!r}")
        setattr(target, self.field, self.new)
        return Change(names=frozenset({self.uid}))

    def inverse(self) -> Rename:
        return Rename(self.uid, self.field, self.new, self.old, self.label)


@dataclass(frozen=True, slots=True)
class AddRates(Edit):
    """Add library rates (and the resources they are built from) to the programme's snapshot."""

    rates: tuple[Rate, ...]
    resources: tuple[Resource, ...] = ()
    remove: bool = False  # the inverse: take exactly these out again
    label: str = "Add rates"

    def apply(self, programme: Programme) -> Change:
        book = programme.rates
        for rate in self.rates:
            if self.remove:
                book.rates.pop(rate.code, None)
            else:
                book.rates[rate.code] = rate
        for res in self.resources:
            if self.remove:
                book.resources.pop(res.code, None)
            else:
                book.resources[res.code] = res
        return Change(rates=frozenset(r.code for r in self.rates))

    def inverse(self) -> AddRates:
        return AddRates(self.rates, self.resources, not self.remove, self.label)


@dataclass(frozen=True, slots=True)
class Settings:
    """The programme-wide settings edited in one dialog."""

    name: str
    currency: str
    reference: str
    organisation: str
    revision: str
    issue_date: dt.date
    validity_days: int
    exchange_rates: tuple[ExchangeRate, ...]
    contingency: Decimal
    overheads: Decimal
    tax: Decimal

    @classmethod
    def of(cls, p: Programme) -> Settings:
        m = p.markups
        return cls(p.name, p.currency, p.reference, p.organisation, p.revision, p.issue_date, p.validity_days,
                   tuple(p.exchange_rates), m.contingency, m.overheads, m.tax)

    def put(self, p: Programme) -> list[tuple[str, str]]:
        """Set these settings on `p`; returns the items whose implicit currency was written down."""
        # own rates and fixed sums typed without a currency stay in the currency they were typed in
        pinned = p.pin_own_rates(self.currency) if p.currency != self.currency else []
        p.name, p.currency, p.reference, p.organisation = self.name, self.currency, self.reference, self.organisation
        p.revision, p.issue_date, p.validity_days = self.revision, self.issue_date, self.validity_days
        p.exchange_rates = sorted(self.exchange_rates, key=lambda e: (e.currency, e.date))
        p.markups = Markups(self.contingency, self.overheads, self.tax)
        return pinned


@dataclass(frozen=True, slots=True)
class SetSettings(Edit):
    old: Settings
    new: Settings
    label: str = "Programme settings"

    def apply(self, programme: Programme) -> Change:
        return Change(items=frozenset(self.new.put(programme)), prices=True)

    def inverse(self) -> SetSettings:
        return SetSettings(self.new, self.old, self.label)


@dataclass(frozen=True, slots=True)
class Contents:
    facilities: tuple[Facility, ...]
    rates: RateBook

    @classmethod
    def of(cls, p: Programme) -> Contents:
        return cls(tuple(p.facilities), p.rates)


@dataclass(frozen=True, slots=True)
class ReplaceContents(Edit):
    """Swap every facility and the rate snapshot at once (a work-list import, done on a copy)."""

    old: Contents
    new: Contents
    label: str = "Import work list"

    def apply(self, programme: Programme) -> Change:
        programme.facilities = list(self.new.facilities)
        programme.rates = self.new.rates
        return Change(structure=True, prices=True, contents=True)

    def inverse(self) -> ReplaceContents:
        return ReplaceContents(self.new, self.old, self.label)


@dataclass(frozen=True, slots=True)
class Group(Edit):
    edits: tuple[Edit, ...]
    label: str = "Edit"

    def apply(self, programme: Programme) -> Change:
        change = Change()
        for edit in self.edits:
            change = change | edit.apply(programme)
        return change

    def inverse(self) -> Group:
        return Group(tuple(e.inverse() for e in reversed(self.edits)), self.label)

    def primitives(self) -> Iterator[Edit]:
        for edit in self.edits:
            yield from edit.primitives()


# ---- building edits for an intention -------------------------------------------------------


def group(edits: Iterable[Edit | None], label: str) -> Edit | None:
    """One edit of the non-empty `edits`, or None when there is nothing to do."""
    todo = tuple(e for e in edits if e is not None)
    if not todo:
        return None
    return Group(todo, label) if len(todo) > 1 else _relabel(todo[0], label)


def _relabel(edit: Edit, label: str) -> Edit:
    return replace(edit, label=label)  # type: ignore[type-var]  # every concrete edit is a dataclass


def set_fields(bill: Bill, item: Item, changes: dict[str, Any], label: str = "Edit cell") -> Edit | None:
    """SetField for each field in `changes` whose value differs from the item's."""
    return group((SetField(bill.uid, item.uid, name, getattr(item, name), value)
                  for name, value in changes.items() if getattr(item, name) != value), label)


def renumbered(facility: Facility, bill: Bill, order: Sequence[Item]) -> SetRefs | None:
    """References `bill.item` for `order` (the bill's items after an edit); None if all are right."""
    b_no = next(n for n, b in enumerate(facility.bills, start=1) if b.uid == bill.uid)
    refs = tuple((item.uid, item.ref, f"{b_no}.{i_no}") for i_no, item in enumerate(order, start=1)
                 if item.ref != f"{b_no}.{i_no}")
    return SetRefs(bill.uid, refs) if refs else None


def insert_items(facility: Facility, bill: Bill, index: int, items: Sequence[Item], label: str = "") -> Edit:
    order = [*bill.items[:index], *items, *bill.items[index:]]
    label = label or f"Insert {len(items)} row{'s' if len(items) != 1 else ''}"
    edit = group([InsertItems(bill.uid, index, tuple(items)), renumbered(facility, bill, order)], label)
    assert edit is not None
    return edit


def remove_rows(facility: Facility, bill: Bill, rows: Iterable[int]) -> Edit | None:
    """Delete the given rows (any order, any gaps) as contiguous runs from the bottom up."""
    wanted = sorted(r for r in set(rows) if 0 <= r < len(bill.items))
    if not wanted:
        return None
    runs: list[list[int]] = []
    for row in wanted:
        if runs and runs[-1][-1] == row - 1:
            runs[-1].append(row)
        else:
            runs.append([row])
    edits: list[Edit | None] = [RemoveItems(bill.uid, run[0], tuple(bill.items[r] for r in run)) for run in reversed(runs)]
    gone = set(wanted)
    edits.append(renumbered(facility, bill, [it for r, it in enumerate(bill.items) if r not in gone]))
    return group(edits, f"Delete {len(wanted)} row{'s' if len(wanted) != 1 else ''}")


def move_rows(facility: Facility, bill: Bill, start: int, count: int, dest: int) -> Edit | None:
    if dest == start or count <= 0 or dest < 0 or dest + count > len(bill.items):
        return None
    order = list(bill.items)
    block = order[start:start + count]
    del order[start:start + count]
    order[dest:dest] = block
    return group([MoveItems(bill.uid, start, count, dest), renumbered(facility, bill, order)],
                 "Move up" if dest < start else "Move down")


def add_rates(programme: Programme, library: RateBook, codes: Iterable[str]) -> AddRates | None:
    """The edit that copies `codes` (with their build-ups) from `library` into the snapshot, or None."""
    wanted = [c for c in codes if c not in programme.rates]
    if not wanted:
        return None
    closure = library.closure(wanted)
    rates = tuple(r for c, r in closure.rates.items() if c not in programme.rates.rates)
    resources = tuple(r for c, r in closure.resources.items() if c not in programme.rates.resources)
    return AddRates(rates, resources)


def merged(first: Edit, second: Edit) -> Edit:
    """One edit with the effect of `first` then `second` (consecutive typing in one cell)."""
    a = [x for x in first.primitives() if isinstance(x, SetField)]
    b = [y for y in second.primitives() if isinstance(y, SetField)]
    same_cells = [(x.item_uid, x.field) for x in a] == [(y.item_uid, y.field) for y in b]
    if same_cells and len(a) == len(list(first.primitives())) and len(b) == len(list(second.primitives())):
        steps = tuple(SetField(x.bill_uid, x.item_uid, x.field, x.old, y.new) for x, y in zip(a, b, strict=True))
        return Group(steps, second.label) if len(steps) > 1 else _relabel(steps[0], second.label)
    return Group((first, second), second.label)


def add_facility(programme: Programme, library: RateBook, facility: Facility, label: str = "") -> Edit:
    """Add `facility` at the end, with the library rates it uses copied into the snapshot, as one edit
    (a facility built from a template: undo takes out the facility and the rates it brought)."""
    codes = sorted({item.rate_code for item in facility.items() if item.rate_code})
    edit = group([add_rates(programme, library, codes), InsertFacility(len(programme.facilities), facility)],
                 label or f"New facility {facility.name}")
    assert edit is not None
    return edit


# ---- added for issue 13 (layout and navigation) ----------------------------------------------


@dataclass(frozen=True, slots=True)
class SetImported(Edit):
    """The record of imported work lists (`Programme.imported`), replaced as a whole."""

    old: tuple[tuple[str, str], ...]
    new: tuple[tuple[str, str], ...]
    label: str = "Import work list"

    def apply(self, programme: Programme) -> Change:
        if tuple(sorted(programme.imported.items())) != self.old:
            raise StaleEdit("the record of imported work lists is not the one this edit was made for")
        programme.imported = dict(self.new)
        return Change()

    def inverse(self) -> SetImported:
        return SetImported(self.new, self.old, self.label)

    @classmethod
    def between(cls, before: Programme, after: Programme) -> SetImported | None:
        old, new = tuple(sorted(before.imported.items())), tuple(sorted(after.imported.items()))
        return None if old == new else cls(old, new)
