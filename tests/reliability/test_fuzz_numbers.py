"""Fuzzing what users type: numbers (`to_decimal`) and units (`parse_unit`, `factor`).

Whatever the text, the answer is the right value or the one expected exception (InvalidNumber,
UnknownUnit, IncompatibleUnits), never another exception type.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from estimator import units
from estimator.errors import IncompatibleUnits, InvalidNumber, UnknownUnit
from estimator.model import Facility, Item, Programme
from estimator.money import LIMIT, fmt, plain, round_money, to_decimal
from estimator.pricing import price

NUMBER_CHARS = st.sampled_from(list("0123456789.,-+eE  ١٢٣٤٥٦٧٨٩٠۱۲۳٫٬\u00a0\u202fnaNIfitx_'٪%$"))
FUZZ = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,234.5", "1234.5"),
        ("1.234,5", "1234.5"),
        ("١٢٣", "123"),
        ("١٬٢٣٤٫٥", "1234.5"),
        ("۱۲۳", "123"),
        ("12,5", "12.5"),
        ("1.234", "1.234"),
        ("1.234.567", "1234567"),
        ("  42 ", "42"),
        ("-5", "-5"),
        ("1e3", "1000"),
        ("0.1", "0.1"),
    ],
)
def test_numbers_users_type(text: str, value: str) -> None:
    assert to_decimal(text) == Decimal(value)


@pytest.mark.parametrize(
    "text",
    ["", " ", "NaN", "nan", "inf", "-Infinity", "1e30", "1e15", "-1e16", "1,23,4", "1.2.3,4,5", "12a", "--1", "1_000",
     "0x10", "1e99999999999999999999", "٪5", "$5", "5%"],
)
def test_what_is_not_a_number_is_refused_by_name(text: str) -> None:
    with pytest.raises(InvalidNumber, match=r"quantity: .* is not a valid number"):
        to_decimal(text, "quantity")


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), 1e30, True, None, [1], b"12", object()])
def test_cell_values_that_are_not_numbers(value: object) -> None:
    with pytest.raises(InvalidNumber):
        to_decimal(value, "quantity")


def test_negative_zero_never_prints_a_minus_sign() -> None:
    """A work list with `-0` (or a credit that rounds to nothing) printed `-0.00` in the BoQ."""
    assert str(to_decimal("-0")) == "0"
    assert str(to_decimal("-0.000")) == "0.000"
    assert plain(round_money(Decimal("-0.004"))) == "0.00"
    prog = Programme("Zero")
    prog.facilities.append(Facility("F"))
    prog.facilities[0].bill("B").items.append(Item("nothing", to_decimal("-0"), "m2", rate=Decimal("5")))
    line = price(prog).facilities[0].bills[0].lines[0]
    assert (fmt(line.quantity), fmt(line.amount)) == ("0.00", "0.00")


@FUZZ
@given(st.one_of(st.text(NUMBER_CHARS, max_size=24), st.text(max_size=24), st.floats(), st.integers(),
                 st.decimals(allow_nan=True, allow_infinity=True)))
@example("0." + "0" * 5000 + "1")
@example("9" * 5000)
@example("1e-99999999999")
def test_to_decimal_gives_a_finite_value_or_invalid_number(value: object) -> None:
    try:
        result = to_decimal(value, "quantity")
    except InvalidNumber as exc:
        assert str(exc).startswith("quantity: ")
        return
    assert isinstance(result, Decimal)
    assert result.is_finite()
    assert abs(result) < LIMIT
    assert not (result.is_zero() and result.is_signed())
    assert round_money(result * Decimal("1.15")).is_finite()


@FUZZ
@given(st.integers(-(10**14), 10**14), st.integers(0, 4))
def test_grouped_numbers_read_back_to_their_value(number: int, places: int) -> None:
    value = Decimal(number).scaleb(-places)
    english = f"{value:,.{places}f}"
    continental = english.replace(",", "_").replace(".", ",").replace("_", ".")
    assert to_decimal(english) == value
    if places and abs(value) >= 1000:
        assert to_decimal(continental) == value


@FUZZ
@given(st.one_of(st.text(max_size=20), st.text(st.sampled_from(list("msqcuftkglnrod².³^ -_/()نمطلترعدكغ23")), max_size=12)))
@example("sq.m")
@example("İ")
def test_parse_unit_only_ever_raises_unknown_unit(text: str) -> None:
    try:
        canonical = units.parse_unit(text)
    except UnknownUnit as exc:
        assert repr(text) in str(exc)
        return
    assert canonical in units.PINT_EXPR


@given(st.sampled_from(sorted(units.ALIASES)), st.sampled_from(["", " ", ".", "  "]), st.booleans())
def test_every_alias_survives_case_and_spacing(alias: str, pad: str, upper: bool) -> None:
    text = pad + (alias.upper() if upper else alias) + pad
    assert units.parse_unit(text) == units.ALIASES[alias]


@pytest.mark.parametrize("value", [None, 12, 1.5, b"m2", ["m2"]])
def test_parse_unit_of_non_text(value: object) -> None:
    with pytest.raises(UnknownUnit):
        units.parse_unit(value)  # type: ignore[arg-type]


def test_factor_between_every_pair_is_exact_or_incompatible() -> None:
    for a in units.PINT_EXPR:
        for b in units.PINT_EXPR:
            try:
                there = units.factor(a, b)
            except IncompatibleUnits:
                assert not units.compatible(a, b)
                continue
            assert there > 0
            assert abs(there * units.factor(b, a) - 1) < Decimal("1e-12")
