from decimal import Decimal
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from estimator.errors import IncompatibleUnits, UnknownUnit
from estimator.units import PINT_EXPR, compatible, factor, label, parse_unit


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("m2", "m2"), ("m²", "m2"), ("sqm", "m2"), ("sq.m", "m2"), ("Sq. M", "m2"), ("M2", "m2"),
        ("M3", "m3"), ("cum", "m3"), ("cu.m", "m3"), ("m³", "m3"), ("CBM", "m3"),
        ("Nr", "nr"), ("No.", "nr"), ("nos", "nr"), ("pcs", "nr"), ("each", "nr"), ("pc", "nr"),
        ("LS", "ls"), ("l.s.", "ls"), ("Lump sum", "ls"),
        ("lm", "m"), ("rm", "m"), ("r.m.", "m"), ("m", "m"),
        ("ton", "t"), ("tonne", "t"), ("t", "t"), ("kg", "kg"),
        ("ft2", "ft2"), ("sq ft", "ft2"), ("ft²", "ft2"),
        ("cm", "cm"), ("mm", "mm"), ("l", "l"), ("kW", "kW"), ("kWp", "kWp"),
        ("hour", "hour"), ("day", "day"), ("man-day", "day"), ("set", "set"), ("item", "item"),
        ("م2", "m2"), ("م3", "m3"), ("عدد", "nr"), ("طن", "t"), ("مقطوع", "ls"), ("م.ط", "m"),
    ],
)
def test_spellings_engineers_type(typed: str, canonical: str) -> None:
    assert parse_unit(typed) == canonical


@pytest.mark.parametrize("typed", ["", "lumen", "ml", "mt", "parsec", "xyz", "m4", "sq", "12"])
def test_unknown_or_ambiguous_units_are_errors_naming_the_text(typed: str) -> None:
    with pytest.raises(UnknownUnit) as info:
        parse_unit(typed)
    assert repr(typed) in str(info.value)


def test_conversion_factors_are_exact() -> None:
    assert factor("ft2", "m2") == Decimal("0.09290304")
    assert factor("t", "kg") == Decimal("1000")
    assert factor("kg", "t") == Decimal("0.001")
    assert factor("cm", "m") == Decimal("0.01")
    assert factor("ft", "m") == Decimal("0.3048")
    assert factor("hour", "day") == Decimal("0.125")  # a working day is 8 hours
    assert factor("m2", "m2") == 1


@pytest.mark.parametrize(("a", "b"), [("m2", "m3"), ("nr", "ls"), ("nr", "set"), ("kW", "kWp"), ("ls", "item"), ("m", "kg")])
def test_incompatible_dimensions(a: str, b: str) -> None:
    with pytest.raises(IncompatibleUnits):
        factor(a, b)
    assert not compatible(a, b)


def test_factors_are_cached_per_pair() -> None:
    factor.cache_clear()
    for _ in range(100):
        factor("ft2", "m2")
    info = factor.cache_info()
    assert info.misses == 1 and info.hits == 99


@given(st.sampled_from(sorted(PINT_EXPR)), st.sampled_from(sorted(PINT_EXPR)))
def test_round_trip_factor(a: str, b: str) -> None:
    if compatible(a, b):
        assert (factor(a, b) * factor(b, a)).quantize(Decimal("1e-12")) == 1


def test_every_canonical_unit_converts_to_itself_and_has_a_label() -> None:
    for a, b in product(PINT_EXPR, repeat=2):
        if a == b:
            assert factor(a, b) == 1
    assert label("m2") == "m²" and label("ls") == "LS" and label("m2", "ar") == "م²"


def test_shipped_factor_table_is_what_pint_derives() -> None:
    """The table saves loading Pint at start-up; it must stay exactly Pint's derivation."""
    from estimator.units import _table, pint_factor

    table = _table()
    for a, b in product(PINT_EXPR, repeat=2):
        expected = pint_factor(a, b)
        assert table[f"{a}>{b}"] == (None if expected is None else str(expected)), (a, b)
