"""Exact money: the only module that builds Decimals from text and rounds them.

Never use floating point for money. Every amount in the program is a `Decimal` built from a
string, and every rounding goes through `round_money` (half-up to 2 decimals), so the app, the
command line, the Excel workbook and the PDF print and sum the same figures.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from estimator.errors import InvalidCurrency, InvalidNumber

ROUNDING = ROUND_HALF_UP
CENT = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal("100")
ONE = Decimal("1")

_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Arabic decimal separator (U+066B) and thousands separator (U+066C).
_ARABIC_SEPARATORS = str.maketrans({"\u066b": ".", "\u066c": ","})
_SPACE_GROUPED = re.compile(r"[+-]?\d{1,3}([ \u00a0\u202f]\d{3})+([.,]\d+)?")  # 1 234 567,5
_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
# A dot is a decimal point unless the text is unmistakably grouped the continental way:
# 1,234.5 and 1,234 are English grouping; 1.234,5 and 1.234.567 are continental; 1.234 is 1.234.
_GROUPED_DOT = re.compile(r"[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?")
_GROUPED_COMMA = re.compile(r"[+-]?[1-9]\d{0,2}((\.\d{3})+,\d+|(\.\d{3}){2,})")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")  # 12,5
LIMIT = Decimal("1e15")


def to_decimal(value: object, what: str = "number") -> Decimal:
    """Parse what a user typed (or a cell held) into a finite Decimal.

    Accepts `1234.5`, `1,234.5`, `1.234,5`, `12,5`, Arabic-Indic digits and ints/Decimals.
    Floats are refused by design except when they come from a spreadsheet cell, where
    `repr()` gives the shortest text that reads back to the same double (so 0.1 stays 0.1).
    Raises InvalidNumber naming `what`.
    """
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise InvalidNumber(what, str(value))
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = _parse_text(repr(value), what)
    elif isinstance(value, str):
        result = _parse_text(value, what)
    else:
        raise InvalidNumber(what, repr(value))
    if not result.is_finite() or abs(result) >= LIMIT:
        raise InvalidNumber(what, str(value))
    return _no_minus_zero(result)


def _parse_text(text: str, what: str) -> Decimal:
    cleaned = text.strip().translate(_ARABIC_DIGITS).translate(_ARABIC_SEPARATORS)
    if _SPACE_GROUPED.fullmatch(cleaned):
        cleaned = re.sub(r"[ \u00a0\u202f]", "", cleaned)
    if _GROUPED_DOT.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    elif _GROUPED_COMMA.fullmatch(cleaned) or _DECIMAL_COMMA.fullmatch(cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    if not _PLAIN.fullmatch(cleaned):
        raise InvalidNumber(what, text)
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid literals
        raise InvalidNumber(what, text) from exc


def from_stored(text: object, what: str = "stored number") -> Decimal:
    """Read back a number this program wrote: exactly the text `str(Decimal)` gives, finite and in range.

    Files keep numbers as `str(value)` (e.g. `1234.50`, `-3`, `1.2E+3`), so reading them needs
    none of `to_decimal`'s guessing about separators and digits (about 10x cheaper). Anything else
    (`1,5`, ` 7`, `1_000`, Arabic digits, `NaN`, `Infinity`, `1e999`, a number or blob instead of
    text) is refused with InvalidNumber naming `what`, never read as some other number.
    """
    if type(text) is str:
        try:
            value = Decimal(text)
        except InvalidOperation:
            pass
        else:
            # str() round trip: the text is canonical; finite and range checks as in `to_decimal`
            if value.is_finite() and -LIMIT < value < LIMIT and str(value) == text:
                return value.copy_abs() if value.is_zero() else value
    raise InvalidNumber(what, str(text), hint="the file was not written by BoQ Estimator or is damaged")


def round_money(value: Decimal) -> Decimal:
    """The one rounding rule: half-up to the cent."""
    return _no_minus_zero(value.quantize(CENT, ROUNDING))


def printed_rate(value: Decimal) -> Decimal:
    """A unit rate as it is printed (window, command line, workbook, PDF) and multiplied by the quantity.

    The one place that says how precise a printed rate is: pricing (own rates) and the rate book
    (built-up and quoted rates) both call it; everything that shows a rate shows this value.
    """
    return round_money(value)


def per_unit(amount: Decimal, count: Decimal | int) -> Decimal:
    """A cost per m² of floor or per bed, to the cent: the comparison, the template preview and
    `boq template` print the same figure."""
    return round_money(amount / count)


def round_places(value: Decimal, places: int) -> Decimal:
    """Half-up to `places` decimals, for build-up figures shown with more precision."""
    return _no_minus_zero(value.quantize(Decimal(1).scaleb(-places), rounding=ROUNDING))


def _no_minus_zero(value: Decimal) -> Decimal:
    """`-0` typed by a user, or a tiny credit rounded away, must not print as `-0.00`."""
    return value.copy_abs() if value.is_zero() else value


def percent_of(amount: Decimal, pct: Decimal) -> Decimal:
    return round_money(amount * pct / HUNDRED)


def fmt(value: Decimal | None, places: int = 2) -> str:
    """Thousands-separated text of a Decimal, e.g. `12,345.60`; empty for None."""
    if value is None:
        return ""
    return f"{round_places(value, places):,.{places}f}"


def plain(value: Decimal) -> str:
    """Decimal string as used in JSON output: `1234.50`."""
    return f"{round_money(value):.2f}"


def normalize_currency(code: str) -> str:
    code = code.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise InvalidCurrency(code)
    return code

