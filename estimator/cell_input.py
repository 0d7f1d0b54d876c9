"""What a cell of the BoQ table shows for editing, and what typed text means for the item.

No Qt here. `parse_cell` turns the text typed into a column into field changes of the item (or
raises a `UserError` saying what is wrong, which the table keeps beside the typed text):
- Quantity: `12.5`, `1,234.5`, `١٢٠٠`, or with a unit: `1200 ft2`, `2.35 t`. A bare number is in
  the unit the table shows (the billing unit); a number with a unit is kept as measured and
  converted for billing, and `note` says so: `1,200 ft² = 111.48 m²`. Arithmetic (`2*(4.5+3.2)`,
  `=12.5*3`, `2*3.5 m2`) is worked out by `estimator.expr` (never eval) and kept as the item's
  `measurement`, which the cell shows again for editing.
- Unit: the unit the quantity is measured in (must be convertible into the rate's unit).
- Rate code: a code of the programme's rates or the library (case-insensitive; the completer's
  `CODE  description` text works too); it replaces an own rate.
- Rate: an own rate, optionally with a currency (`950 TRY`); empty goes back to the rate code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from estimator import limits
from estimator.errors import IncompatibleUnits, MissingExchangeRate, UnknownRate, UserError
from estimator.expr import evaluate, is_expression
from estimator.messages import Message
from estimator.model import Item, Programme
from estimator.money import fmt, normalize_currency, to_decimal
from estimator.pricing import Line, Pricer, printed_quantity
from estimator.rates.book import Rate, RateBook
from estimator.units import compatible, factor, label, parse_unit


class Col(IntEnum):
    REF = 0
    DESC = 1
    DESC_AR = 2
    QTY = 3
    UNIT = 4
    CODE = 5
    RATE = 6
    AMOUNT = 7


HEADERS = {Col.REF: "Item", Col.DESC: "Description", Col.DESC_AR: "Description (Arabic)", Col.QTY: "Quantity",
           Col.UNIT: "Unit", Col.CODE: "Rate code", Col.RATE: "Rate", Col.AMOUNT: "Amount"}
NUMERIC = frozenset({Col.QTY, Col.RATE, Col.AMOUNT})
EDITABLE = frozenset(Col) - {Col.AMOUNT}

_QUANTITY = re.compile(r"\s*([+-]?[\d.][\d.,\u066b\u066c\u00a0\u202f ]*)(.*?)\s*")
_MEASURED = re.compile(r"\s*(.*?[\d)])\s*([^\W\d_][^\s()*/+\-=]*)\s*")  # arithmetic, then a unit
_RATE = re.compile(r"\s*([A-Za-z]{3})?\s*([^A-Za-z]*?)\s*([A-Za-z]{3})?\s*")


@dataclass(frozen=True, slots=True)
class Parsed:
    changes: dict[str, Any]
    codes: tuple[str, ...] = ()  # library rates the programme's snapshot needs for this change
    note: str = ""  # shown in the status bar, e.g. a unit conversion


def find_rate(code: str, programme: Programme, library: RateBook) -> Rate:
    """The rate for typed `code` (any case), from the programme's snapshot first, then the library."""
    text = code.strip()
    for book in (programme.rates, library):
        if text in book.rates:
            return book.rates[text]
    wanted = text.casefold()
    for book in (programme.rates, library):
        for key, rate in book.rates.items():
            if key.casefold() == wanted:
                return rate
    raise UnknownRate(text)


def billing_unit(item: Item, programme: Programme, library: RateBook) -> str:
    if item.rate is not None:
        return item.rate_unit or item.unit
    if item.rate_code:
        try:
            return find_rate(item.rate_code, programme, library).unit
        except UnknownRate:
            return item.unit
    return item.unit


def _number(text: str) -> str:
    return f"{to_decimal(text):f}" if text else ""


def edit_text(col: Col, item: Item, line: Line | None, programme: Programme) -> str:
    """What the editor starts with: the raw value as it can be typed back."""
    if col == Col.REF:
        return item.ref
    if col == Col.DESC:
        return item.description
    if col == Col.DESC_AR:
        return item.description_ar
    if col == Col.QTY:
        if item.measurement:
            return item.measurement
        billed = line.unit if line is not None else item.unit
        return f"{item.quantity:f}" if item.unit == billed else f"{item.quantity:f} {label(item.unit)}"
    if col == Col.UNIT:
        return label(item.unit)
    if col == Col.CODE:
        return item.rate_code
    if col == Col.RATE:
        if item.rate is not None:
            cur = item.rate_currency
            return f"{item.rate:f}" + (f" {cur}" if cur and cur != programme.currency else "")
        return f"{line.rate:f}" if line is not None and not line.error else ""
    return ""


def parse_cell(col: Col, text: str, item: Item, programme: Programme, library: RateBook) -> Parsed:
    """The item's field changes for `text` typed into `col`; UserError says what is wrong."""
    text = limits.typed(HEADERS[col], text)
    if col == Col.REF:
        return Parsed({"ref": text})
    if col == Col.DESC:
        if not text:
            raise UserError("an item needs a description")  # texts without fields: messages.PHRASES
        return Parsed({"description": text})
    if col == Col.DESC_AR:
        return Parsed({"description_ar": text})
    if col == Col.QTY:
        return _quantity(text, item, programme, library)
    if col == Col.UNIT:
        return _unit(text, item, programme, library)
    if col == Col.CODE:
        return _code(text, item, programme, library)
    if col == Col.RATE:
        return _rate(text, item, programme, library)
    raise UserError("the amount is quantity x rate; change one of those instead")


def _quantity(text: str, item: Item, programme: Programme, library: RateBook) -> Parsed:
    if is_expression(text):  # `2*(4.5+3.2)`, `=12.5*3`, `2*3.5 m2`: worked out safely, kept as typed
        measured = _MEASURED.fullmatch(text)
        formula, unit_text = (measured.group(1), measured.group(2)) if measured else (text, "")
        qty, measurement = evaluate(formula), " ".join(text.split())
    else:
        match = _QUANTITY.fullmatch(text)
        if not text or not match:
            raise UserError(Message("cell_bad_quantity", text=text))
        qty, unit_text, measurement = to_decimal(match.group(1), "quantity"), match.group(2), ""
    if qty < 0:
        raise UserError(Message("cell_negative_quantity", text=text))
    limits.figure(qty, "quantity")
    billed = billing_unit(item, programme, library)
    unit = parse_unit(unit_text) if unit_text else billed
    changes: dict[str, Any] = {"quantity": qty, "unit": unit}
    if measurement != item.measurement:
        changes["measurement"] = measurement
    if item.rate is not None and not item.rate_unit:
        changes["rate_unit"] = billed  # an own rate stays per the unit it was given in
    if unit == billed:
        return Parsed(changes)
    try:
        conv = factor(unit, billed)
    except IncompatibleUnits:
        raise UserError(Message("cell_unit_mismatch", unit=label(unit), billed=label(billed))) from None
    return Parsed(changes, note=f"{qty:,f} {label(unit)} = {fmt(printed_quantity(qty, conv))} {label(billed)}")


def _unit(text: str, item: Item, programme: Programme, library: RateBook) -> Parsed:
    unit = parse_unit(text)
    if item.rate is not None:
        return Parsed({"unit": unit, "rate_unit": unit})
    if item.rate_code:
        billed = billing_unit(item, programme, library)
        if not compatible(unit, billed):
            raise IncompatibleUnits(unit, billed, where=f"rate {item.rate_code}")
    return Parsed({"unit": unit})


def _code(text: str, item: Item, programme: Programme, library: RateBook) -> Parsed:
    if not text:
        return Parsed({"rate_code": ""})
    try:
        rate = find_rate(text, programme, library)
    except UnknownRate:
        rate = find_rate(text.split()[0], programme, library)  # "PL-010  Internal plaster..." from the completer
    changes: dict[str, Any] = {"rate_code": rate.code, "rate": None, "rate_currency": "", "rate_unit": ""}
    note = f"{rate.code}: {rate.description} (per {label(rate.unit)})"
    if not compatible(item.unit, rate.unit):
        # an unpriced row (a new one) takes the rate's unit; a priced, measured one must not change kind
        if item.quantity and (item.rate_code or item.rate is not None):
            raise IncompatibleUnits(item.unit, rate.unit, where=f"rate {rate.code}")
        changes["unit"] = rate.unit
    if not item.description.strip():
        changes["description"] = rate.description
        changes["description_ar"] = item.description_ar or rate.description_ar
    return Parsed(changes, (rate.code,) if rate.code not in programme.rates else (), note)


def _rate(text: str, item: Item, programme: Programme, library: RateBook) -> Parsed:
    if not text:
        return Parsed({"rate": None, "rate_currency": "", "rate_unit": ""})
    match = _RATE.fullmatch(text)
    if not match or (match.group(1) and match.group(3)) or not match.group(2):
        raise UserError(Message("cell_bad_rate", text=text))
    value = to_decimal(match.group(2), "rate")
    if value < 0:
        raise UserError(Message("cell_negative_rate", text=text))
    limits.figure(value, "rate")
    currency = normalize_currency(match.group(1) or match.group(3) or programme.currency)
    if currency != programme.currency and currency not in programme.currencies():
        raise MissingExchangeRate(currency, programme.currency)
    billed = billing_unit(item, programme, library)
    changes: dict[str, Any] = {"rate": value, "rate_currency": currency, "rate_unit": billed}
    if currency == programme.currency:
        return Parsed(changes)
    converted = Pricer(programme).own_rate(value, currency)  # the rate the line will print
    return Parsed(changes, note=f"{value:,f} {currency} = {fmt(converted)} {programme.currency} per {label(billed)}")
