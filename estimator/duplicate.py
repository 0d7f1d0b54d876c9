"""Copies of a facility or a bill with fresh uids (for "Duplicate" in the window).

The copy shares nothing mutable with the original: editing one never changes the other. Its
name says it is a copy; item references stay as they are (a facility's copy keeps
its bills' numbering; a bill copied within a facility is numbered for its new place).
"""

from __future__ import annotations

from dataclasses import replace

from estimator.model import Bill, Facility, Item, new_uid


def copy_item(item: Item) -> Item:
    return replace(item, uid=new_uid())


def copy_bill(bill: Bill, name: str | None = None, number: int | None = None) -> Bill:
    """A copy of `bill`; with `number` (its place in the facility, from 1) its items are numbered
    `number.1`, `number.2`, ..."""
    items = [copy_item(i) for i in bill.items]
    if number is not None:
        items = [replace(item, ref=f"{number}.{n}") for n, item in enumerate(items, start=1)]
    return Bill(bill.name if name is None else name, bill.name_ar, items)


def copy_facility(facility: Facility, name: str | None = None) -> Facility:
    return replace(facility, name=f"{facility.name} (copy)" if name is None else name,
                   bills=[copy_bill(b) for b in facility.bills], uid=new_uid())


def copy_name(name: str, taken: set[str]) -> str:
    """`name (copy)`, or `name (copy 2)`, ... the first not in `taken`."""
    candidate, n = f"{name} (copy)", 2
    while candidate in taken:
        candidate, n = f"{name} (copy {n})", n + 1
    return candidate
