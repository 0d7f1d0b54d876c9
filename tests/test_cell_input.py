"""What typed text means in each column of the BoQ table, and what it refuses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from estimator.cell_input import Col, edit_text, parse_cell
from estimator.errors import UserError
from estimator.model import ExchangeRate, Item, Programme
from estimator.pricing import Pricer
from estimator.rates import current_library
from estimator.rates.book import RateBook

LIBRARY = current_library().book
M2_CODE = next(c for c, r in sorted(LIBRARY.rates.items()) if r.unit == "m2")
T_CODE = next(c for c, r in sorted(LIBRARY.rates.items()) if r.unit == "t")


def programme() -> Programme:
    prog = Programme("P", exchange_rates=[ExchangeRate("TRY", Decimal("42.35"), dt.date(2026, 11, 1))])
    prog.rates = LIBRARY.closure([M2_CODE])
    return prog


def coded(code: str = M2_CODE, qty: str = "10", unit: str = "m2") -> Item:
    return Item("plaster", Decimal(qty), unit, rate_code=code)


@pytest.mark.parametrize(("text", "qty", "unit", "note"), [
    ("12.5", "12.5", "m2", ""),
    ("1,234.5", "1234.5", "m2", ""),
    ("١٢٠٠", "1200", "m2", ""),
    ("1200 ft2", "1200", "ft2", "1,200 ft² = 111.48 m²"),
    ("1200ft²", "1200", "ft2", "1,200 ft² = 111.48 m²"),
    ("  50 sqm ", "50", "m2", ""),
    ("12,5 m2", "12.5", "m2", ""),
])
def test_quantity_with_and_without_a_unit(text: str, qty: str, unit: str, note: str) -> None:
    parsed = parse_cell(Col.QTY, text, coded(), programme(), LIBRARY)
    assert parsed.changes["quantity"] == Decimal(qty)
    assert parsed.changes["unit"] == unit
    assert parsed.note == note


def test_tonnes_typed_for_a_rate_billed_per_tonne_and_kilograms() -> None:
    prog = programme()
    item = coded(T_CODE, "1", "t")
    assert parse_cell(Col.QTY, "2.35 t", item, prog, LIBRARY).changes == {"quantity": Decimal("2.35"), "unit": "t"}
    parsed = parse_cell(Col.QTY, "2350 kg", item, prog, LIBRARY)
    assert parsed.changes["unit"] == "kg" and parsed.note == "2,350 kg = 2.35 t"


@pytest.mark.parametrize(("text", "message"), [
    ("", "not a number"),
    ("abc", "not a number"),
    ("12 parsecs", "unknown unit 'parsecs'"),
    ("12 m3", "cannot be billed per m²"),
    ("-4", "negative"),
    ("1.2.3.4,5,6", "not a valid number"),
])
def test_bad_quantities_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        parse_cell(Col.QTY, text, coded(), programme(), LIBRARY)


def test_own_rate_keeps_its_billing_unit_when_the_quantity_gets_another() -> None:
    item = Item("own", Decimal(10), "m2", rate=Decimal(5), rate_currency="USD")
    parsed = parse_cell(Col.QTY, "100 ft2", item, programme(), LIBRARY)
    assert parsed.changes == {"quantity": Decimal(100), "unit": "ft2", "rate_unit": "m2"}


def test_rate_code_from_library_with_case_and_completer_text() -> None:
    prog = programme()
    other = next(c for c, r in sorted(LIBRARY.rates.items()) if r.unit == "m2" and c != M2_CODE)
    parsed = parse_cell(Col.CODE, other.lower(), coded(qty="0"), prog, LIBRARY)
    assert parsed.changes["rate_code"] == other and parsed.codes == (other,)
    parsed = parse_cell(Col.CODE, f"{other}  {LIBRARY.rates[other].description}", coded(), prog, LIBRARY)
    assert parsed.changes["rate_code"] == other
    assert parse_cell(Col.CODE, M2_CODE, coded(), prog, LIBRARY).codes == ()  # already in the snapshot
    with pytest.raises(UserError, match="not in the programme or the rate library"):
        parse_cell(Col.CODE, "NOPE-1", coded(), prog, LIBRARY)
    with pytest.raises(UserError, match="cannot be billed per 't'"):
        parse_cell(Col.CODE, T_CODE, coded(), prog, LIBRARY)


def test_a_code_on_an_empty_new_row_brings_unit_and_description() -> None:
    parsed = parse_cell(Col.CODE, T_CODE, Item("", Decimal(0), "nr"), programme(), LIBRARY)
    rate = LIBRARY.rates[T_CODE]
    assert parsed.changes["unit"] == "t"
    assert parsed.changes["description"] == rate.description
    assert parsed.changes["description_ar"] == rate.description_ar


def test_own_rate_with_currency_and_back_to_the_code() -> None:
    prog = programme()
    parsed = parse_cell(Col.RATE, "950 TRY", coded(), prog, LIBRARY)
    assert parsed.changes == {"rate": Decimal(950), "rate_currency": "TRY", "rate_unit": "m2"}
    assert parsed.note == "950 TRY = 22.43 USD per m²"
    assert parse_cell(Col.RATE, "USD 12.5", coded(), prog, LIBRARY).changes["rate"] == Decimal("12.5")
    assert parse_cell(Col.RATE, "", coded(), prog, LIBRARY).changes == {"rate": None, "rate_currency": "", "rate_unit": ""}
    with pytest.raises(UserError, match="no exchange rate for EUR"):
        parse_cell(Col.RATE, "10 EUR", coded(), prog, LIBRARY)
    with pytest.raises(UserError, match="not a number"):
        parse_cell(Col.RATE, "ten", coded(), prog, LIBRARY)


def test_unit_column_and_text_columns() -> None:
    prog = programme()
    assert parse_cell(Col.UNIT, "sq ft", coded(), prog, LIBRARY).changes == {"unit": "ft2"}
    with pytest.raises(UserError):
        parse_cell(Col.UNIT, "kg", coded(), prog, LIBRARY)
    own = Item("own", Decimal(1), "m2", rate=Decimal(3))
    assert parse_cell(Col.UNIT, "m", own, prog, LIBRARY).changes == {"unit": "m", "rate_unit": "m"}
    assert parse_cell(Col.DESC_AR, " لياسة ", coded(), prog, LIBRARY).changes == {"description_ar": "لياسة"}
    with pytest.raises(UserError, match="needs a description"):
        parse_cell(Col.DESC, "  ", coded(), prog, LIBRARY)
    with pytest.raises(UserError, match="amount is quantity x rate"):
        parse_cell(Col.AMOUNT, "5", coded(), prog, LIBRARY)


def test_edit_text_types_back_to_the_same_value() -> None:
    prog = programme()
    item = coded(qty="1200", unit="ft2")
    line = Pricer(prog).line(item)
    assert edit_text(Col.QTY, item, line, prog) == "1200 ft²"
    again = parse_cell(Col.QTY, edit_text(Col.QTY, item, line, prog), item, prog, LIBRARY)
    assert again.changes == {"quantity": Decimal(1200), "unit": "ft2"}
    own = Item("own", Decimal(1), "m2", rate=Decimal("950"), rate_currency="TRY")
    assert edit_text(Col.RATE, own, Pricer(prog).line(own), prog) == "950 TRY"
    assert edit_text(Col.RATE, item, line, prog) == f"{line.rate:f}"
    assert edit_text(Col.UNIT, item, line, prog) == "ft²"


def test_unknown_code_in_the_item_falls_back_to_its_own_unit() -> None:
    prog = Programme("P", rates=RateBook())
    item = Item("lost", Decimal(1), "m2", rate_code="GONE-1")
    parsed = parse_cell(Col.QTY, "3", item, prog, LIBRARY)
    assert parsed.changes == {"quantity": Decimal(3), "unit": "m2"}
