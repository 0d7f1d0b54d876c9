"""The live estimate stays equal to a full re-pricing after any sequence of edits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from estimator import edits
from estimator.live import LiveEstimate
from estimator.model import Bill, Facility, Item, Programme
from estimator.pricing import price
from estimator.synthetic import generate


def same(live: LiveEstimate, prog: Programme) -> None:
    full = price(prog)
    assert live.grand_total == full.grand_total
    assert live.subtotal == full.subtotal
    assert [(m.name, m.amount) for m in live.markups] == [(m.name, m.amount) for m in full.markups]
    for ft in full.facilities:
        assert live.facility_total(ft.facility.uid) == ft.total
        for bt in ft.bills:
            assert live.bill_total(bt.bill.uid) == bt.total
            for ln in bt.lines:
                assert live.line(ln.item.uid) == ln
    assert live.estimate().to_json() == full.to_json()
    assert live.error_count() == len(full.problems)


PROGRAMME = generate(3, 24, seed=7)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["qty", "unit", "rate", "code", "insert", "remove", "move", "bill", "facility",
                                           "fx", "markup"]),
                          st.integers(0, 1000), st.integers(0, 1000)), min_size=1, max_size=10))
def test_incremental_totals_equal_full_pricing(ops: list[tuple[str, int, int]]) -> None:
    import copy

    prog = copy.deepcopy(PROGRAMME)
    live = LiveEstimate(prog)
    codes = sorted(prog.rates.rates)
    for kind, a, b in ops:
        fac = prog.facilities[a % len(prog.facilities)]
        bill = fac.bills[b % len(fac.bills)] if fac.bills else None
        edit: edits.Edit | None = None
        if kind == "fx":
            old = edits.Settings.of(prog)
            fx = tuple(e if e.currency != "TRY" else type(e)("TRY", Decimal(30 + a % 20), e.date) for e in old.exchange_rates)
            edit = edits.SetSettings(old, edits.Settings(*[getattr(old, f) for f in old.__slots__][:7], fx, Decimal(a % 9),
                                                         old.overheads, old.tax))
        elif kind == "markup":
            old = edits.Settings.of(prog)
            edit = edits.SetSettings(old, edits.Settings(*[getattr(old, f) for f in old.__slots__][:8], old.contingency,
                                                         Decimal(b % 15), old.tax))
        elif kind == "facility":
            edit = edits.InsertFacility(a % (len(prog.facilities) + 1), Facility(f"F{a}", bills=[Bill("1 x", items=[
                Item("y", Decimal(b), "m2", rate=Decimal(a), rate_currency="SYP")])]))
        elif bill is None:
            continue
        elif kind == "bill":
            edit = edits.RemoveBill(fac.uid, fac.bills.index(bill), bill)
        elif kind == "insert":
            edit = edits.insert_items(fac, bill, a % (len(bill.items) + 1), [Item("n", Decimal(b) / 7, "m2", rate_code=codes[a % len(codes)])])
        elif not bill.items:
            continue
        elif kind == "remove":
            edit = edits.remove_rows(fac, bill, [a % len(bill.items)])
        elif kind == "move":
            edit = edits.move_rows(fac, bill, a % len(bill.items), 1, b % len(bill.items))
        else:
            item = bill.items[a % len(bill.items)]
            change = {"qty": {"quantity": Decimal(b) / 3}, "unit": {"unit": ["m2", "ft2", "t", "kg", "m"][b % 5]},
                      "rate": {"rate": Decimal(b), "rate_currency": ["USD", "TRY", "SYP"][a % 3]},
                      "code": {"rate_code": codes[b % len(codes)], "rate": None}}[kind]
            edit = edits.set_fields(bill, item, change)
        if edit is not None:
            for step in edit.primitives():
                live.update(step.apply(prog), prog)
    same(live, prog)


def test_undo_of_everything_gives_back_the_first_figures() -> None:
    import copy

    prog = copy.deepcopy(PROGRAMME)
    live = LiveEstimate(prog)
    first = live.grand_total
    fac = prog.facilities[0]
    bill = fac.bills[0]
    done = [edits.set_fields(bill, bill.items[0], {"quantity": Decimal("12345.678")}),
            edits.remove_rows(fac, bill, [1, 0, 99]),
            edits.InsertFacility(0, Facility("Extra", bills=[Bill("b", items=[Item("i", Decimal(3), "m2", rate=Decimal(5))])]))]
    for edit in done:
        assert edit is not None
        live.update(edit.apply(prog), prog)
    assert live.grand_total != first
    same(live, prog)
    for edit in reversed(done):
        assert edit is not None
        live.update(edit.inverse().apply(prog), prog)
    assert live.grand_total == first
    same(live, prog)


def test_rates_added_to_the_snapshot_price_items_that_were_waiting_for_them() -> None:
    from estimator.rates import current_library

    library = current_library().book
    prog = Programme("P", issue_date=dt.date(2026, 1, 1))
    code = sorted(library.rates)[0]
    item = Item("waits for its rate", Decimal(2), library.rates[code].unit, rate_code=code)
    prog.facilities.append(Facility("F", bills=[Bill("b", items=[item])]))
    live = LiveEstimate(prog)
    assert live.error_count() == 1 and live.grand_total == 0
    edit = edits.add_rates(prog, library, [code])
    assert edit is not None
    live.update(edit.apply(prog), prog)
    assert live.error_count() == 0 and live.grand_total > 0
    same(live, prog)
