from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from estimator.errors import InvalidNumber
from estimator.money import fmt, percent_of, plain, round_money, to_decimal


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1234.5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1.234,5", "1234.5"),
        ("1.234.567", "1234567"),
        ("12,5", "12.5"),
        ("0.009", "0.009"),
        ("1.234", "1.234"),
        ("١٢٣", "123"),
        ("١٢٣٫٥", "123.5"),
        (" 42 ", "42"),
        ("-2.5", "-2.5"),
    ],
)
def test_to_decimal_reads_what_people_type(text: str, value: str) -> None:
    assert to_decimal(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "nan", "NaN", "inf", "-Infinity", "1e30", "1,23,4", "12..5", "1 2"])
def test_to_decimal_refuses_with_the_text(text: str) -> None:
    with pytest.raises(InvalidNumber) as info:
        to_decimal(text, "quantity")
    assert "quantity" in str(info.value)


def test_floats_from_cells_keep_their_shortest_text() -> None:
    assert to_decimal(0.1) == Decimal("0.1")
    assert to_decimal(210.545) == Decimal("210.545")
    with pytest.raises(InvalidNumber):
        to_decimal(float("nan"))
    with pytest.raises(InvalidNumber):
        to_decimal(True)


def test_half_up_from_text_not_float() -> None:
    # 210.545 as a float is 210.54499999...; parsed from text it rounds up as a person expects.
    assert round_money(to_decimal("210.545")) == Decimal("210.55")
    assert round_money(Decimal("-0.005")) == Decimal("-0.01")
    assert round_money(Decimal("2.675")) == Decimal("2.68")


def test_percent_and_formatting() -> None:
    assert percent_of(Decimal("1234.50"), Decimal("5")) == Decimal("61.73")  # 61.725 -> 61.73
    assert fmt(Decimal("1234567.5")) == "1,234,567.50"
    assert plain(Decimal("1234.5")) == "1234.50"


@given(st.decimals(min_value=-10**9, max_value=10**9, allow_nan=False, allow_infinity=False, places=6))
def test_rounding_is_idempotent_and_within_half_a_cent(value: Decimal) -> None:
    once = round_money(value)
    assert round_money(once) == once
    assert abs(once - value) <= Decimal("0.005")


@given(st.decimals(min_value=0, max_value=10**9, allow_nan=False, allow_infinity=False, places=4))
def test_text_round_trip(value: Decimal) -> None:
    assert to_decimal(str(value)) == value
    assert to_decimal(f"{value:,}") == value
