"""Edits as data: each applies, reports what it touched, and its inverse puts the programme back."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimator import edits
from estimator.model import Bill, ExchangeRate, Facility, Item, Markups, Programme
from estimator.rates.book import RateBook
from estimator.store import _rows


def small() -> Programme:
    prog = Programme("P", exchange_rates=[ExchangeRate("TRY", Decimal("40"), dt.date(2026, 1, 1))])
    for f in range(2):
        fac = Facility(f"F{f}")
        for b in range(2):
            bill = Bill(f"{b + 1} Bill")
            bill.items = [Item(f"item {f}.{b}.{i}", Decimal(i + 1), "m2", ref=f"{b + 1}.{i + 1}", rate=Decimal("10"),
                               rate_currency="USD") for i in range(4)]
            fac.bills.append(bill)
        prog.facilities.append(fac)
    return prog


def snapshot(prog: Programme) -> dict[str, object]:
    """Everything the .boq file would store: equal snapshots mean equal programmes."""
    return {k: v for k, v in _rows(prog).items()}


def test_set_field_applies_reports_and_inverts() -> None:
    prog = small()
    before = snapshot(prog)
    bill = prog.facilities[1].bills[0]
    item = bill.items[2]
    edit = edits.SetField(bill.uid, item.uid, "quantity", item.quantity, Decimal("7.5"))
    change = edit.apply(prog)
    assert item.quantity == Decimal("7.5")
    assert change.items == {(bill.uid, item.uid)} and not change.bills and not change.prices
    edit.inverse().apply(prog)
    assert snapshot(prog) == before


def test_set_field_refuses_a_programme_in_another_state() -> None:
    prog = small()
    bill = prog.facilities[0].bills[0]
    edit = edits.SetField(bill.uid, bill.items[0].uid, "quantity", Decimal("99"), Decimal("1"))
    with pytest.raises(edits.StaleEdit):
        edit.apply(prog)
    with pytest.raises(edits.StaleEdit):
        edits.SetField(bill.uid, bill.items[0].uid, "uid", bill.items[0].uid, "x").apply(prog)


def test_insert_renumbers_the_bill_and_undo_restores_references() -> None:
    prog = small()
    fac, bill = prog.facilities[0], prog.facilities[0].bills[1]
    before = snapshot(prog)
    new = [Item("new a", Decimal(1), "m2"), Item("new b", Decimal(2), "m2")]
    edit = edits.insert_items(fac, bill, 1, new)
    change = edit.apply(prog)
    assert [i.description for i in bill.items][:4] == ["item 0.1.0", "new a", "new b", "item 0.1.1"]
    assert [i.ref for i in bill.items] == ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6"]
    assert bill.uid in change.bills
    assert edit.label == "Insert 2 rows"
    edit.inverse().apply(prog)
    assert snapshot(prog) == before


def test_remove_rows_with_gaps_then_undo() -> None:
    prog = small()
    fac, bill = prog.facilities[1], prog.facilities[1].bills[1]
    before = snapshot(prog)
    edit = edits.remove_rows(fac, bill, [3, 0, 1])
    assert edit is not None
    edit.apply(prog)
    assert [i.description for i in bill.items] == ["item 1.1.2"]
    assert bill.items[0].ref == "2.1"
    edit.inverse().apply(prog)
    assert snapshot(prog) == before
    assert edits.remove_rows(fac, bill, []) is None


def test_move_rows_down_and_up() -> None:
    prog = small()
    fac, bill = prog.facilities[0], prog.facilities[0].bills[0]
    before = snapshot(prog)
    down = edits.move_rows(fac, bill, 0, 2, 1)
    assert down is not None and down.label == "Move down"
    down.apply(prog)
    assert [i.description[-1] for i in bill.items] == ["2", "0", "1", "3"]
    assert [i.ref for i in bill.items] == ["1.1", "1.2", "1.3", "1.4"]
    down.inverse().apply(prog)
    assert snapshot(prog) == before
    assert edits.move_rows(fac, bill, 0, 1, -1) is None  # already at the top
    assert edits.move_rows(fac, bill, 3, 1, 4) is None  # already at the bottom


def test_facilities_bills_and_names() -> None:
    prog = small()
    before = snapshot(prog)
    fac = Facility("New", bills=[Bill("1 General")])
    steps = [edits.InsertFacility(2, fac), edits.InsertBill(fac.uid, 1, Bill("2 More")),
             edits.Rename(fac.uid, "name", "New", "Renamed"), edits.Rename(fac.bills[0].uid, "name_ar", "", "عام"),
             edits.RemoveBill(prog.facilities[0].uid, 0, prog.facilities[0].bills[0])]
    done = edits.Group(tuple(steps), "several")
    change = done.apply(prog)
    assert [f.name for f in prog.facilities] == ["F0", "F1", "Renamed"]
    assert [b.name for b in prog.facilities[2].bills] == ["1 General", "2 More"]
    assert prog.facilities[2].bills[0].name_ar == "عام"
    assert len(prog.facilities[0].bills) == 1
    assert change.structure and fac.uid in change.names
    done.inverse().apply(prog)
    assert snapshot(prog) == before
    with pytest.raises(edits.StaleEdit):
        edits.Rename(fac.uid, "name", "x", "y").apply(prog)


def test_settings_and_contents_are_swapped_whole() -> None:
    prog = small()
    before = snapshot(prog)
    old = edits.Settings.of(prog)
    new = edits.Settings(**{**{f: getattr(old, f) for f in old.__slots__}, "currency": "TRY", "contingency": Decimal("5"),
                            "exchange_rates": (ExchangeRate("USD", Decimal("0.025"), dt.date(2026, 1, 1)),)})
    edit = edits.SetSettings(old, new)
    assert edit.apply(prog).prices
    assert prog.currency == "TRY" and prog.markups == Markups(Decimal("5"))
    edit.inverse().apply(prog)
    assert snapshot(prog) == before
    other = copy.deepcopy(prog)
    other.facilities.pop()
    replace = edits.ReplaceContents(edits.Contents.of(prog), edits.Contents.of(other))
    replace.apply(prog)
    assert len(prog.facilities) == 1
    replace.inverse().apply(prog)
    assert snapshot(prog) == before


def test_add_rates_takes_the_closure_and_only_what_is_missing(sample_programme: Programme) -> None:
    from estimator.rates import current_library

    library = current_library().book
    prog = Programme("P", rates=RateBook())
    composite = next(r for r in library.rates.values() if any(ln.component in library.rates for ln in r.lines))
    edit = edits.add_rates(prog, library, [composite.code])
    assert edit is not None
    change = edit.apply(prog)
    assert composite.code in prog.rates and composite.code in change.rates
    assert all(ln.component in prog.rates.rates or ln.component in prog.rates.resources for ln in composite.lines)
    assert edits.add_rates(prog, library, [composite.code]) is None
    edit.inverse().apply(prog)
    assert not prog.rates.rates and not prog.rates.resources


def test_merged_typing_in_one_cell_keeps_first_old_and_last_new() -> None:
    prog = small()
    bill = prog.facilities[0].bills[0]
    item = bill.items[0]
    first = edits.SetField(bill.uid, item.uid, "quantity", Decimal(1), Decimal(5))
    first.apply(prog)
    second = edits.SetField(bill.uid, item.uid, "quantity", Decimal(5), Decimal(9))
    second.apply(prog)
    both = edits.merged(first, second)
    assert both == edits.SetField(bill.uid, item.uid, "quantity", Decimal(1), Decimal(9), "Edit cell")
    both.inverse().apply(prog)
    assert item.quantity == Decimal(1)
    other = edits.SetField(bill.uid, item.uid, "unit", "m2", "ft2")
    assert isinstance(edits.merged(first, other), edits.Group)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["insert", "remove", "move", "set"]), st.integers(0, 7), st.integers(0, 7)),
                min_size=1, max_size=12))
def test_any_sequence_of_edits_undoes_to_the_start(ops: list[tuple[str, int, int]]) -> None:
    prog = small()
    before = snapshot(prog)
    done: list[edits.Edit] = []
    for kind, a, b in ops:
        fac = prog.facilities[a % 2]
        bill = fac.bills[b % 2]
        n = len(bill.items)
        edit: edits.Edit | None
        if kind == "insert":
            edit = edits.insert_items(fac, bill, a % (n + 1), [Item("x", Decimal(b), "m2")])
        elif kind == "remove":
            edit = edits.remove_rows(fac, bill, [a % n, b % n]) if n else None
        elif kind == "move":
            edit = edits.move_rows(fac, bill, a % n, 1, b % n) if n else None
        else:
            edit = edits.set_fields(bill, bill.items[a % n], {"quantity": Decimal(b), "description": f"d{a}"}) if n else None
        if edit is not None:
            edit.apply(prog)
            done.append(edit)
    for edit in reversed(done):
        edit.inverse().apply(prog)
    assert snapshot(prog) == before
