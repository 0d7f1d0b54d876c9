"""The safe arithmetic parser: what engineers type and what templates use; never code."""

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from estimator.expr import MAX_DEPTH, ExpressionError, evaluate, is_expression, names_in


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2*(4.5+3.2)", "15.4"),
        ("=12.5*3", "37.5"),
        (" 10 / 4 ", "2.5"),
        ("-3 + 5", "2"),
        ("2 × 3 ÷ 4", "1.5"),
        ("٢*(٤٫٥+٣٫٢)", "15.4"),
        ("ceil(601 / 25)", "25"),
        ("ceil(2.1, 0.5)", "2.5"),
        ("floor(7.9)", "7"),
        ("round(10 / 3, 2)", "3.33"),
        ("max(1, 2, 3) - min(4, 5)", "-1"),
        (".5 + 1.", "1.5"),
    ],
)
def test_values(text: str, expected: str) -> None:
    assert evaluate(text) == Decimal(expected)


def test_names() -> None:
    assert evaluate("area * 0.12 + chairs", {"area": Decimal(600), "chairs": Decimal(10)}) == Decimal("82.00")
    assert names_in("ceil(area / 25) * storeys + x") == {"area", "storeys", "x"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__('os').system('id')", "unexpected \"'\""),
        ("__import__(os)", "unknown function '__import__'"),
        ("area.__class__", "unexpected '.'"),
        ("open(x)", "unknown function 'open'"),
        ("lambda: 1", "unexpected ':'"),
        ("1 / 0", "division by zero"),
        ("1 +", "ends too early"),
        ("(1 + 2", "ends too early"),
        ("(1 + 2 3", "expected ')', found '3'"),
        ("1 2", "unexpected '2'"),
        ("", "nothing to calculate"),
        ("99999999999999 * 99999999999999", "too large"),
        ("round(1, 9)", "0 to 6 decimal places"),
        ("min()", "unexpected ')'"),
        ("2 ** 2", "unexpected '*'"),
        ("1; 2", "unexpected ';'"),
    ],
)
def test_refuses(text: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=re.escape(message)):
        evaluate(text)


def test_bounded_input() -> None:
    with pytest.raises(ExpressionError, match="nested more than"):
        evaluate("(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1))
    with pytest.raises(ExpressionError, match="nested more than"):
        evaluate("-" * 500 + "1")
    with pytest.raises(ExpressionError, match="longer than"):
        evaluate("1+" * 5000 + "1")


def test_is_expression() -> None:
    assert is_expression("2*(4.5+3.2)") and is_expression("=12") and is_expression("4 - 1")
    assert not is_expression("1200") and not is_expression("-5") and not is_expression("12.5 m2")


@given(st.decimals(min_value=-10**6, max_value=10**6, places=3), st.decimals(min_value=-10**6, max_value=10**6, places=3))
def test_matches_decimal_arithmetic(a: Decimal, b: Decimal) -> None:
    assert evaluate(f"({a}) + ({b}) * 2") == a + b * 2
