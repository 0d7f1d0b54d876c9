"""Other engineers' changes, read from the server, as edits of the open programme.

`edits(programme, fetched, positions)` turns the rows `changes.fetch_since` read into the same
primitive edits the window makes (`estimator.edits`: SetField, InsertItems, RemoveItems, MoveItems,
Insert/RemoveBill, Insert/RemoveFacility, Rename) plus `TakeSettings` for the programme's own
settings and rate snapshot, so the window's models update just the rows concerned, exactly as they
do for the user's own edits, and the selection and the undo history stay. It yields one step at a
time and expects each to be applied before asking for the next (a step is made against the
programme as the previous ones left it). Rows are read with the store's own generated readers
(`estimator.store.rows.READ`), so a bad value on the server is refused as it would be in a file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from estimator.edits import (
    BILL_FIELDS,
    FACILITY_FIELDS,
    ITEM_FIELDS,
    Change,
    Edit,
    InsertBill,
    InsertFacility,
    InsertItems,
    MoveItems,
    RemoveBill,
    RemoveFacility,
    RemoveItems,
    Rename,
    SetField,
)
from estimator.errors import ProjectFileError
from estimator.model import Bill, Item, Programme
from estimator.server.changes import Fetched, Stamped
from estimator.server.rows import Key, Row

SMALL = ("meta", "fx", "resources", "rates")  # the programme's settings and rate snapshot
# (table, key) -> the row's position on the server before this fetch (the base), for ordering
Positions = Callable[[str, Key], Any]


@dataclass(frozen=True, slots=True)
class TakeSettings(Edit):
    """The programme's own settings and rate snapshot (everything but its facilities), as another engineer left them."""

    old: Programme
    new: Programme
    label: str = "Programme settings"

    def apply(self, programme: Programme) -> Change:
        for f in fields(Programme):
            if f.name != "facilities":
                setattr(programme, f.name, getattr(self.new, f.name))
        codes = set(self.old.rates.rates) | set(self.new.rates.rates)
        return Change(prices=True, rates=frozenset(codes))

    def inverse(self) -> TakeSettings:
        return TakeSettings(self.new, self.old, self.label)


def normalised(table: str, row: Row) -> Row:
    """A server row as the working copy's file writes it (numbers as Decimals, flags as 0/1), checked."""
    obj = _objects(table, [row])[0][0]
    from estimator.store.rows import TREE, WRITE

    cols = _cols(table)
    parent = TREE[table][1]
    out = WRITE[table](row[cols.index(parent)] if parent else "", [obj])[0]
    p = cols.index("pos")
    return (*out[:p], row[p], *out[p + 1:])


def _cols(table: str) -> tuple[str, ...]:
    from estimator.store.schema import TABLES

    return TABLES[table][0]


def _objects(table: str, rows: Iterable[Row]) -> tuple[list[Any], dict[str, str]]:
    """Model objects of tree rows (facilities, bills or items, without children) and each one's parent uid."""
    from estimator.store.rows import READ, TREE, _number

    where = "the server"

    def bad(key: object) -> Exception:
        return ProjectFileError(where, f"table {table}, row {key!r}: a value is not what BoQ Estimator writes")

    def number(value: object, key: object, column: str) -> Decimal:
        return _number(value, table, key, column)

    rows = list(rows)
    parent = TREE[table][1]
    out: Any = {} if parent else []
    READ[table](iter(rows), bad, number, {}, out, set())
    if not parent:
        return list(out), {}
    objs: list[Any] = []
    parents: dict[str, str] = {}
    for parent_uid, objects in out.items():
        for obj in objects:
            objs.append(obj)
            parents[obj.uid] = parent_uid
    by_uid = {o.uid: o for o in objs}
    return [by_uid[r[0]] for r in rows], parents


def _changed(table: str, fetched: Fetched) -> tuple[dict[str, tuple[Any, str, int]], set[str]]:
    """uid -> (object, parent uid, position) of rows written, and uids deleted."""
    got: Mapping[Key, Stamped] = fetched.rows.get(table, {})
    written = [s.row for s in got.values() if s.row is not None]
    removed = {k[0] for k, s in got.items() if s.row is None}
    if not written:
        return {}, removed
    objs, parents = _objects(table, written)
    p = _cols(table).index("pos")
    return {o.uid: (o, parents.get(o.uid, ""), int(r[p])) for o, r in zip(objs, written, strict=True)}, removed


def edits(programme: Programme, fetched: Fetched, positions: Positions,
          small: Callable[[Fetched], Programme | None] | None = None) -> Iterator[Edit]:
    """The edits that bring `programme` to the server's state in `fetched` (apply each before the next)."""
    facs, facs_gone = _changed("facilities", fetched)
    bills, bills_gone = _changed("bills", fetched)
    items, items_gone = _changed("items", fetched)

    # 1. what was deleted: facilities, then bills of the others, then items of the others
    for uid in facs_gone:
        for i, fac in enumerate(programme.facilities):
            if fac.uid == uid:
                yield RemoveFacility(i, fac)
                break
    for uid in bills_gone:
        for fac in programme.facilities:
            index = next((i for i, b in enumerate(fac.bills) if b.uid == uid), None)
            if index is not None:
                yield RemoveBill(fac.uid, index, fac.bills[index])
                break
    if items_gone:
        gone_index = _ItemIndex(programme)
        for uid in items_gone:
            hit = gone_index.find(uid)
            if hit is not None:
                bill = hit[0]
                yield RemoveItems(bill.uid, _at(bill.items, uid), (hit[1],))

    # 2. facilities added, changed or moved (a new one comes with its new bills and items)
    here = {f.uid: f for f in programme.facilities}
    for uid, (fac, _parent, pos) in sorted(facs.items(), key=lambda kv: kv[1][2]):
        old = here.get(uid)
        if old is None:
            fac.bills = _bills_of(uid, bills, items)
            yield InsertFacility(min(pos, len(programme.facilities)), fac)
            continue
        for name in sorted(FACILITY_FIELDS):
            if getattr(old, name) != getattr(fac, name):
                yield Rename(uid, name, getattr(old, name), getattr(fac, name))
    yield from _reorder_facilities(programme, facs, positions)

    # 3. bills added, changed or moved to another facility
    bill_here = {b.uid: (f, b) for f in programme.facilities for b in f.bills}
    touched_facilities: set[str] = set()
    for uid, (bill, fac_uid, pos) in sorted(bills.items(), key=lambda kv: kv[1][2]):
        target = next((f for f in programme.facilities if f.uid == fac_uid), None)
        if target is None:
            continue  # its facility is not here (deleted meanwhile): nothing to add it to
        placed = bill_here.get(uid)
        if placed is None:
            bill.items = _items_of(uid, items)
            yield InsertBill(fac_uid, min(pos, len(target.bills)), bill)
            continue
        old_fac, old_bill = placed
        if old_fac.uid != fac_uid:
            yield RemoveBill(old_fac.uid, _at(old_fac.bills, uid), old_bill)
            yield InsertBill(fac_uid, min(pos, len(target.bills)), old_bill)
        for name in sorted(BILL_FIELDS):
            if getattr(old_bill, name) != getattr(bill, name):
                yield Rename(uid, name, getattr(old_bill, name), getattr(bill, name))
        touched_facilities.add(fac_uid)
    for fac_uid in touched_facilities:
        yield from _reorder_bills(programme, fac_uid, bills, positions)

    # 4. items changed, added or moved
    item_index = _ItemIndex(programme)
    bill_of = item_index.bills
    touched_bills: set[str] = set()
    for uid, (item, bill_uid, pos) in sorted(items.items(), key=lambda kv: kv[1][2]):
        target_bill = bill_of.get(bill_uid)
        if target_bill is None:
            continue  # in a bill that is not here (deleted meanwhile), or already placed with a new bill
        hit = item_index.find(uid, bill_uid, positions("items", (uid,)) is not None)
        if hit is None:
            yield InsertItems(bill_uid, min(pos, len(target_bill.items)), (item,))
            touched_bills.add(bill_uid)
            continue
        in_bill, old_item = hit
        if in_bill.uid != bill_uid:
            yield RemoveItems(in_bill.uid, _at(in_bill.items, uid), (old_item,))
            yield InsertItems(bill_uid, min(pos, len(target_bill.items)), (item,))
            touched_bills.add(bill_uid)
            continue
        for name in sorted(ITEM_FIELDS):
            if getattr(old_item, name) != getattr(item, name):
                yield SetField(bill_uid, uid, name, getattr(old_item, name), getattr(item, name))
        touched_bills.add(bill_uid)  # its position may have changed
    for bill_uid in touched_bills:
        yield from _reorder_items(bill_of[bill_uid], items, positions)

    # 5. the programme's settings and rate snapshot
    if small is not None and any(fetched.rows.get(t) for t in SMALL):
        new = small(fetched)
        if new is not None:
            yield TakeSettings(settings_of(programme), new)


def settings_with(programme: Programme, fetched: Fetched, where: str) -> Programme:
    """The programme's settings and rate snapshot with the fetched rows of the small tables over its own."""
    from estimator.server.rows import programme_from_rows
    from estimator.store.rows import keyed, small_rows

    rows = {t: dict(keyed(t, r)) for t, r in small_rows(programme).items()}
    for table in SMALL:
        for key, s in fetched.rows.get(table, {}).items():
            if s.row is None:
                rows.setdefault(table, {}).pop(key, None)
            else:
                rows.setdefault(table, {})[key] = s.row
    return programme_from_rows({t: list(r.values()) for t, r in rows.items()}, where)


class _ItemIndex:
    """Finds an item by uid without indexing the whole programme: first in the bill the server says it is
    in (or was in), and only when it is not there (moved between bills) in every bill, once."""

    def __init__(self, programme: Programme) -> None:
        self.programme = programme
        self.bills = {b.uid: b for f in programme.facilities for b in f.bills}
        self._all: dict[str, tuple[Bill, Item]] | None = None

    def find(self, uid: str, bill_uid: str = "", known: bool = True) -> tuple[Bill, Item] | None:
        bill = self.bills.get(bill_uid)
        if bill is not None:
            for it in bill.items:
                if it.uid == uid:
                    return bill, it
        if not known:
            return None  # not on the server before this change: new
        if self._all is None:
            self._all = {it.uid: (b, it) for b in self.bills.values() for it in b.items}
        return self._all.get(uid)


def _at(objects: list[Any], uid: str) -> int:
    return next(i for i, o in enumerate(objects) if o.uid == uid)


def settings_of(programme: Programme) -> Programme:
    """A programme holding `programme`'s settings and rate snapshot (the same objects), without facilities."""
    copy = Programme(programme.name)
    for f in fields(Programme):
        if f.name != "facilities":
            setattr(copy, f.name, getattr(programme, f.name))
    return copy


def _bills_of(fac_uid: str, bills: dict[str, tuple[Any, str, int]], items: dict[str, tuple[Any, str, int]]) -> list[Bill]:
    """The new bills of a new facility, each with its new items (taken out of `bills` and `items`: placed)."""
    out: list[Bill] = [obj for obj, _parent, _pos in sorted((v for v in bills.values() if v[1] == fac_uid),
                                                            key=lambda v: v[2])]
    for bill in out:
        del bills[bill.uid]
        bill.items = _items_of(bill.uid, items)
    return out


def _items_of(bill_uid: str, items: dict[str, tuple[Any, str, int]]) -> list[Item]:
    """The new items of a new bill (taken out of `items`: placed)."""
    out: list[Item] = [obj for obj, _parent, _pos in sorted((v for v in items.values() if v[1] == bill_uid),
                                                            key=lambda v: v[2])]
    for item in out:
        del items[item.uid]
    return out


def _order(current: list[Any], table: str, written: dict[str, tuple[Any, str, int]], positions: Positions) -> list[str]:
    """The uids of `current` in the server's order: a row written now at its new position, the others at their old."""
    def where(index_obj: tuple[int, Any]) -> tuple[int, str]:
        i, obj = index_obj
        hit = written.get(obj.uid)
        pos = hit[2] if hit is not None else positions(table, (obj.uid,))
        return (i if pos is None else int(pos), obj.uid)  # two rows at one place (added on both sides): by uid

    return [obj.uid for _i, obj in sorted(enumerate(current), key=where)]


def _reorder_items(bill: Bill, written: dict[str, tuple[Any, str, int]], positions: Positions) -> Iterator[Edit]:
    wanted = _order(bill.items, "items", written, positions)
    for i, uid in enumerate(wanted):
        if bill.items[i].uid != uid:
            j = next(k for k in range(i + 1, len(bill.items)) if bill.items[k].uid == uid)
            yield MoveItems(bill.uid, j, 1, i)


def _reorder_bills(programme: Programme, fac_uid: str, written: dict[str, tuple[Any, str, int]],
                   positions: Positions) -> Iterator[Edit]:
    fac = next((f for f in programme.facilities if f.uid == fac_uid), None)
    if fac is None:
        return
    wanted = _order(fac.bills, "bills", written, positions)
    for i, uid in enumerate(wanted):
        if fac.bills[i].uid != uid:
            j = next(k for k in range(i + 1, len(fac.bills)) if fac.bills[k].uid == uid)
            bill = fac.bills[j]
            yield RemoveBill(fac_uid, j, bill)
            yield InsertBill(fac_uid, i, bill)


def _reorder_facilities(programme: Programme, written: dict[str, tuple[Any, str, int]],
                        positions: Positions) -> Iterator[Edit]:
    wanted = _order(programme.facilities, "facilities", written, positions)
    for i, uid in enumerate(wanted):
        if programme.facilities[i].uid != uid:
            j = next(k for k in range(i + 1, len(programme.facilities)) if programme.facilities[k].uid == uid)
            fac = programme.facilities[j]
            yield RemoveFacility(j, fac)
            yield InsertFacility(i, fac)
