"""The pricing rule, by hand-computed examples and by properties."""

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from estimator.model import Bill, Facility, Item, Markups, Programme
from estimator.pricing import Pricer, price
from estimator.rates.book import BuildupLine, Rate, RateBook, Resource

D = Decimal


def _programme(items: list[Item], **kw: object) -> Programme:
    prog = Programme("Test", **kw)  # type: ignore[arg-type]
    prog.set_fx("TRY", D("42.35"), dt.date(2026, 11, 1))
    prog.facilities.append(Facility("Hospital", bills=[Bill("Works", items=items)]))
    return prog


def test_try_rate_is_divided_by_the_exchange_rate_then_rounded() -> None:
    item = Item("Local labour", D("3"), "ls", rate=D("4235"), rate_currency="TRY")
    line = Pricer(_programme([item])).line(item)
    assert line.rate == D("100.00")  # 4235 / 42.35
    item2 = Item("Painter", D("10"), "day", rate=D("1500"), rate_currency="TRY")
    line2 = Pricer(_programme([item2])).line(item2)
    assert line2.rate == D("35.42")  # 35.4191... -> 35.42
    assert line2.amount == D("354.20")


def test_measured_unit_is_converted_and_rounded_before_multiplying() -> None:
    # 1200 ft2 = 111.483648 m2 -> printed 111.48; rate 4.44; amount 494.97 (not 494.99)
    item = Item("Plaster", D("1200"), "ft2", rate=D("4.44"), rate_unit="m2")
    line = Pricer(_programme([item])).line(item)
    assert (line.quantity, line.unit, line.rate, line.amount) == (D("111.48"), "m2", D("4.44"), D("494.97"))
    assert line.conversion == D("0.09290304")


def test_kg_measured_billed_per_tonne_and_cm_billed_per_metre() -> None:
    rebar = Item("Rebar", D("2350"), "kg", rate=D("933.80"), rate_unit="t")
    trim = Item("Trim", D("250"), "cm", rate=D("12.5"), rate_unit="m")
    prog = _programme([rebar, trim])
    est = price(prog)
    lines = est.facilities[0].bills[0].lines
    assert [(ln.quantity, ln.amount) for ln in lines] == [(D("2.35"), D("2194.43")), (D("2.50"), D("31.25"))]
    assert est.subtotal == D("2225.68")


def test_incompatible_unit_is_a_problem_naming_facility_and_item() -> None:
    item = Item("Slab", D("10"), "m2", ref="3.12", rate=D("80"), rate_unit="m3")
    est = price(_programme([item]))
    assert est.problems and "Hospital" in est.problems[0] and "3.12" in est.problems[0]
    assert "'m2'" in est.problems[0] and "'m3'" in est.problems[0]


def test_markups_are_each_rounded_on_the_subtotal() -> None:
    items = [Item("A", D("1"), "nr", rate=D("1234.50"))]
    est = price(_programme(items, markups=Markups(D("5"), D("10"), D("2.5"))))
    assert [m.amount for m in est.markups] == [D("61.73"), D("123.45"), D("30.86")]
    assert est.grand_total == D("1234.50") + D("61.73") + D("123.45") + D("30.86")
    assert est.to_json()["grand_total"] == "1450.54"


def test_library_rate_built_up_in_try_and_usd() -> None:
    book = RateBook()

    book.resources["L"] = Resource("L", "labour", "Mason", "day", D("1270.50"), "TRY", dt.date(2026, 1, 1))
    book.resources["C"] = Resource("C", "material", "Cement", "t", D("114"), "USD", dt.date(2025, 3, 1))
    book.rates["PL"] = Rate("PL", "Plaster", "Plaster", "m2", overheads_pct=D("15"),
                            lines=(BuildupLine("L", D("0.05")), BuildupLine("C", D("0.009"), D("5"))))
    prog = _programme([Item("Plaster", D("100"), "m2", rate_code="PL")])
    prog.rates = book
    # (0.05 * 1270.50/42.35 + 0.009 * 1.05 * 114) * 1.15 = (1.5 + 1.0773) * 1.15 = 2.963895 -> 2.96
    line = price(prog).facilities[0].bills[0].lines[0]
    assert (line.rate, line.amount) == (D("2.96"), D("296.00"))


amounts = st.decimals(min_value=0, max_value=100000, places=3, allow_nan=False, allow_infinity=False)
units = st.sampled_from([("m2", "m2"), ("ft2", "m2"), ("kg", "t"), ("t", "kg"), ("cm", "m"), ("nr", "nr")])


@settings(max_examples=200, deadline=None)  # timings belong in benchmarks/, not in a test
@given(st.lists(st.tuples(amounts, amounts, units, st.sampled_from(["USD", "TRY"])), min_size=1, max_size=30))
def test_sum_of_printed_amounts_is_the_total(rows: list[tuple[Decimal, Decimal, tuple[str, str], str]]) -> None:
    items = [Item(f"i{n}", q, u, rate=r, rate_currency=c, rate_unit=b) for n, (q, r, (u, b), c) in enumerate(rows)]
    est = price(_programme(items, markups=Markups(D("5"))))
    lines = est.facilities[0].bills[0].lines
    for ln in lines:
        # every printed figure has two decimals and the amount is exactly the printed product, rounded
        assert ln.quantity == ln.quantity.quantize(D("0.01")) and ln.rate == ln.rate.quantize(D("0.01"))
        assert ln.amount == (ln.quantity * ln.rate).quantize(D("0.01"), rounding="ROUND_HALF_UP")
    assert est.subtotal == sum(ln.amount for ln in lines)
    assert est.grand_total == est.subtotal + sum(m.amount for m in est.markups)
