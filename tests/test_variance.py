"""Estimate variance: quantity, rate, exchange-rate effects and scope sum to the difference, to the cent."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from estimator.cli.main import main
from estimator.model import Item, Programme
from estimator.pricing import price
from estimator.store import Project
from estimator.synthetic import generate
from estimator.variance import variance

_BASE = generate(3, 12, seed=7)

money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=3)
edits = st.lists(st.one_of(
    st.tuples(st.just("quantity"), st.integers(0, 999), money),
    st.tuples(st.just("own rate"), st.integers(0, 999), money, st.sampled_from(["USD", "TRY", "SYP"])),
    st.tuples(st.just("fx"), st.sampled_from(["TRY", "SYP"]), st.decimals(min_value=Decimal("0.5"),
                                                                          max_value=Decimal("50000"), places=4)),
    st.tuples(st.just("delete"), st.integers(0, 999)),
    st.tuples(st.just("add"), st.integers(0, 2), money, money),
    st.tuples(st.just("move"), st.integers(0, 999), st.integers(0, 2)),
    st.tuples(st.just("unit"), st.integers(0, 999)),
    st.tuples(st.just("code"), st.integers(0, 999), st.integers(0, 999)),
), max_size=12)


def _items(programme: Programme) -> list[tuple[int, int, int]]:
    return [(f, b, i) for f, fac in enumerate(programme.facilities) for b, bill in enumerate(fac.bills)
            for i in range(len(bill.items))]


def apply(programme: Programme, ops: list[tuple[object, ...]]) -> None:
    codes = sorted(programme.rates.rates)
    for op in ops:
        places = _items(programme)
        kind = op[0]
        if kind == "fx":
            programme.set_fx(str(op[1]), Decimal(str(op[2])), dt.date(2026, 12, 1))
            continue
        if kind == "add":
            bill = programme.facilities[int(str(op[1]))].bills[0]
            bill.items.append(Item("Added", Decimal(str(op[2])), "m2", rate=Decimal(str(op[3])), rate_currency="TRY"))
            continue
        if not places:
            continue
        f, b, i = places[int(str(op[1])) % len(places)]
        bill = programme.facilities[f].bills[b]
        item = bill.items[i]
        if kind == "quantity":
            item.quantity = Decimal(str(op[2]))
        elif kind == "own rate":
            item.rate, item.rate_currency, item.rate_unit = Decimal(str(op[2])), str(op[3]), item.rate_unit or item.unit
        elif kind == "delete":
            del bill.items[i]
        elif kind == "move":
            programme.facilities[int(str(op[2]))].bills[-1].items.append(bill.items.pop(i))
        elif kind == "unit":
            item.unit, item.rate_unit = ("ft2", "ft2") if item.rate is not None else (item.unit, item.rate_unit)
        elif kind == "code":
            item.rate, item.rate_code = None, codes[int(str(op[2])) % len(codes)]


def check(base: Programme, other: Programme) -> None:
    result = variance(base, other)
    for cell in result.cells:
        assert cell.parts_sum() == cell.difference, cell
    total = result.total()
    assert total.parts_sum() == total.difference == price(other).subtotal - price(base).subtotal
    for facility in result.by_facility():
        assert facility.parts_sum() == facility.difference


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits)
def test_the_parts_sum_to_the_difference_to_the_cent(ops: list[tuple[object, ...]]) -> None:
    other = copy.deepcopy(_BASE)
    apply(other, ops)
    check(_BASE, other)
    check(other, _BASE)  # and back


def test_each_effect_lands_in_its_part() -> None:
    base = copy.deepcopy(_BASE)
    other = copy.deepcopy(base)
    own = next(it for f in other.facilities for b in f.bills for it in b.items if it.rate_currency == "TRY")
    coded = next(it for f in other.facilities for b in f.bills for it in b.items if it.rate_code)
    coded.quantity *= 2
    other.set_fx("TRY", Decimal("50"), dt.date(2026, 12, 1))
    result = variance(base, other)
    total = result.total()
    assert total.quantity > 0 and total.fx != 0 and total.rate == 0 and total.added == total.omitted == 0
    assert own.rate is not None
    # an own rate changed (in USD, so no exchange rate involved) is a rate effect only
    third = copy.deepcopy(base)
    usd = next(it for f in third.facilities for b in f.bills for it in b.items if it.rate_currency == "USD")
    assert usd.rate is not None
    usd.rate += 1
    t = variance(base, third).total()
    line = next(ln for f in price(third).facilities for b in f.bills for ln in b.lines if ln.item.uid == usd.uid)
    was = next(ln for f in price(base).facilities for b in f.bills for ln in b.lines if ln.item.uid == usd.uid)
    assert t.rate == line.amount - was.amount > 0
    assert t.quantity == t.fx == t.added == t.omitted == 0


def test_cli_baseline_and_variance(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    boq = tmp_path / "p.boq"
    Project.create(boq, copy.deepcopy(_BASE)).close()
    assert main(["baseline", str(boq), "--name", "Budget 2026"]) == 0
    with Project.open(boq) as project:
        apply(project.programme, [("quantity", 3, Decimal("10")), ("delete", 5), ("add", 1, Decimal("2"), Decimal("300")),
                                  ("fx", "TRY", Decimal("44"))])
        project.save()
    capsys.readouterr()
    assert main(["variance", str(boq), "Budget 2026", "--json", "--xlsx", str(tmp_path / "v.xlsx"),
                 "--pdf", str(tmp_path / "v.pdf")]) == 0
    data = json.loads(capsys.readouterr().out)
    total = data["total"]
    parts = sum(Decimal(total[k]) for k in ("quantity", "rate", "fx", "added", "omitted"))
    assert parts == Decimal(total["difference"]) != 0
    assert (tmp_path / "v.xlsx").stat().st_size > 0 and (tmp_path / "v.pdf").read_bytes().startswith(b"%PDF")
    assert main(["variance", str(boq), "Budget 2027"]) == 1
    assert "no estimate baseline called 'Budget 2027'" in capsys.readouterr().err
    assert main(["baseline", str(boq), "--list"]) == 0
    assert "Budget 2026" in capsys.readouterr().out


def test_profit_and_attendance_lines_are_percentages_in_every_part(sample_programme: Programme) -> None:
    """A profit-and-attendance line is priced as the prime cost sum x the % / 100: an unchanged
    programme has no quantity, rate or exchange-rate effect on it (a line priced as sum x % showed
    +79,200 quantity and -79,200 exchange rate against itself), and a changed % is a rate effect."""
    from estimator.model import PC_ATTENDANCE

    base = copy.deepcopy(sample_programme)
    pa = [it for f in base.facilities for b in f.bills for it in b.items if it.kind == PC_ATTENDANCE]
    assert pa  # the sample has profit and attendance on its prime cost sums
    same = variance(base, copy.deepcopy(base)).total()
    assert same.quantity == same.rate == same.fx == same.added == same.omitted == 0
    other = copy.deepcopy(base)
    item = next(it for f in other.facilities for b in f.bills for it in b.items if it.uid == pa[0].uid)
    assert item.rate is not None
    item.rate += 2  # two points more on that prime cost sum
    t = variance(base, other).total()
    was = next(ln for f in price(base).facilities for b in f.bills for ln in b.lines if ln.item.uid == item.uid)
    now = next(ln for f in price(other).facilities for b in f.bills for ln in b.lines if ln.item.uid == item.uid)
    assert t.rate == now.amount - was.amount == (was.quantity * 2 / 100).quantize(Decimal("0.01"))
    assert t.quantity == t.fx == t.added == t.omitted == 0
