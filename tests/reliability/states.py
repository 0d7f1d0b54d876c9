"""Programmes to break things with, the edits applied to them, and a comparable picture of their state.

Shared by the test modules and by the child processes of the kill harness (`child.py`), so a
child and its parent build and edit exactly the same programme. Everything is deterministic for
a given seed; uids are left random on purpose and `state()` ignores them, because a work-list
import run twice gives its new items different uids but the same content.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from estimator.model import Bill, Facility, Item, Markups, Programme, renumber
from estimator.pricing import price
from estimator.rates import current_library

ROOT = Path(__file__).resolve().parents[2]
MINILIB = ROOT / "tests" / "data" / "minilib"
CODES = ("PL-010", "RC-010", "RC-020", "RC-900", "EL-500")
MEASURED = {"PL-010": ("m2", "ft2"), "RC-010": ("t", "kg"), "RC-020": ("m3",), "RC-900": ("m3",), "EL-500": ("nr",)}

State = tuple[Any, ...]

if TYPE_CHECKING:
    from estimator.edits import Edit


def make_programme(facilities: int = 3, items: int = 40, seed: int = 1) -> Programme:
    """A programme priced from the test library (BOQ_RATES_DIR must point at tests/data/minilib)."""
    rng = random.Random(seed)
    lib = current_library().book
    prog = Programme(
        name=f"Reliability {seed}",
        reference=f"REL-{seed}",
        organisation="Test",
        issue_date=dt.date(2026, 11, 1),
        markups=Markups(Decimal("5"), Decimal("10"), Decimal("0")),
    )
    prog.set_fx("TRY", Decimal("42.35"), dt.date(2026, 11, 1))
    prog.set_fx("SYP", Decimal("110"), dt.date(2026, 11, 1))
    prog.rates = lib.closure(CODES)
    for f in range(facilities):
        fac = Facility(f"Facility {f + 1} مستشفى", "Idlib", f"District {f}", "hospital", Decimal(1000 + f), 20 + f)
        for i in range(items):
            bill = fac.bill(f"{i % 4 + 1} Trade" if i % 4 else "1 Demolition")
            qty = Decimal(rng.randrange(1, 100_000)) / 100
            if i % 7 == 3:
                bill.items.append(Item(f"Own-rate item {i}", qty, "m2", description_ar="بند خاص", rate=Decimal("1250.50"),
                                       rate_currency="TRY"))
            else:
                code = CODES[i % len(CODES)]
                unit = MEASURED[code][i % len(MEASURED[code])]
                bill.items.append(Item(f"{code} at location {i}", qty, unit, description_ar="أعمال", rate_code=code))
        renumber(fac)
        prog.facilities.append(fac)
    return prog


def apply_edit(prog: Programme, seed: int) -> None:
    """One user edit touching every table: quantities, deletions, a new bill, a facility, fx, markups."""
    rng = random.Random(seed)
    for fac in prog.facilities:
        for bill in fac.bills:
            for item in bill.items:
                if rng.random() < 0.4:
                    item.quantity += Decimal(rng.randrange(1, 1000)) / 100
            if bill.items and rng.random() < 0.5:
                del bill.items[rng.randrange(len(bill.items))]
    target = prog.facilities[seed % len(prog.facilities)] if prog.facilities else prog.facility("Added facility")
    bill = Bill(f"Edit {seed}", "تعديل")
    bill.items = [Item(f"Edit {seed} item {k}", Decimal(k + 1), "m2", rate_code="PL-010") for k in range(12)]
    target.bills.append(bill)
    if len(prog.facilities) > 2 and seed % 3 == 0:
        del prog.facilities[-1]
    prog.set_fx("TRY", Decimal("40") + Decimal(seed % 50) / 10, dt.date(2026, 11, 2))
    prog.markups.contingency = Decimal(seed % 10)
    for fac in prog.facilities:
        renumber(fac)


def small_edit(prog: Programme, seed: int) -> None:
    """A small edit of the kind the window saves after: one quantity and one new item."""
    items = [it for f in prog.facilities for b in f.bills for it in b.items]
    items[seed % len(items)].quantity += Decimal(seed)
    prog.facilities[0].bills[0].items.append(Item(f"Session item {seed}", Decimal(seed), "m2", rate=Decimal("3.25")))
    renumber(prog.facilities[0])


def changed_edit(prog: Programme, seed: int) -> Edit:
    """A window edit of every kind at once (cells, inserted, deleted and moved rows, a renamed facility
    and bill, a new bill, settings), as one `estimator.edits` edit, for saving by its `Change`."""
    from estimator import edits

    steps: list[edits.Edit | None] = []
    for k, fac in enumerate(prog.facilities):
        bill = fac.bills[seed % len(fac.bills)]
        if bill.items:
            steps.append(edits.set_fields(bill, bill.items[k % len(bill.items)],
                                          {"quantity": bill.items[k % len(bill.items)].quantity + seed}))
        steps.append(edits.Rename(fac.uid, "notes", fac.notes, f"checked {seed}"))
    fac = prog.facilities[0]
    first = fac.bills[0]
    steps.append(edits.RemoveItems(first.uid, 0, (first.items[0],)) if first.items else None)
    steps.append(edits.InsertItems(first.uid, 0, tuple(Item(f"Changed {seed} item {k}", Decimal(k + 1), "m2",
                                                           rate=Decimal("2.5")) for k in range(3))))
    if len(first.items) > 4:
        steps.append(edits.MoveItems(first.uid, 0, 2, 2))
    steps.append(edits.Rename(first.uid, "name", first.name, f"{first.name} (rev {seed})"))
    steps.append(edits.InsertBill(fac.uid, len(fac.bills), Bill(f"Added {seed}", items=[Item("Added", Decimal(4), "m2",
                                                                                          rate_code="PL-010")])))
    old = edits.Settings.of(prog)
    steps.append(edits.SetSettings(old, replace(old, contingency=Decimal(seed % 10), name=f"{prog.name} {seed}")))
    edit = edits.group(steps, "changed")
    assert edit is not None
    return edit


def session_target(prog: Programme, k: int) -> tuple[Bill, Item]:
    """The bill and item the k-th edit of a window session changes."""
    pairs = [(b, it) for f in prog.facilities for b in f.bills for it in b.items]
    return pairs[k * 7 % len(pairs)]


def state(prog: Programme) -> State:
    """Everything a user would miss, without uids; equal states mean the same programme."""
    items = lambda b: tuple(  # noqa: E731
        (i.ref, i.description, i.description_ar, i.quantity, i.unit, i.rate_code, i.rate, i.rate_currency,
         i.rate_unit, i.provisional, i.notes)
        for i in b.items
    )
    return (
        (prog.name, prog.currency, prog.reference, prog.organisation, prog.revision, prog.issue_date,
         prog.validity_days, prog.notes),
        tuple(sorted((e.currency, e.date, e.rate) for e in prog.exchange_rates)),
        (prog.markups.contingency, prog.markups.overheads, prog.markups.tax),
        tuple(
            (f.name, f.governorate, f.district, f.facility_type, f.floor_area, f.beds, f.notes,
             tuple((b.name, b.name_ar, items(b)) for b in f.bills))
            for f in prog.facilities
        ),
        tuple(sorted(prog.rates.resources.items())),
        tuple(sorted(prog.rates.rates.items())),
        repr(price(prog).to_json()),
    )


def item_count(prog: Programme) -> int:
    return sum(len(b.items) for f in prog.facilities for b in f.bills)
