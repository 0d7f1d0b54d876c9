"""How large a number may be and how long a text: the one owner of the program's limits.

Numbers. Every printed money figure (a rate, an amount, a bill or facility total, the subtotal, a
markup, the grand total, a built-up unit rate) and every printed quantity stays below `MAX_FIGURE`,
10^13 in the programme's currency: a spreadsheet holds 15 significant digits, so 13 before the
decimal point and 2 after it is the most a workbook can hold and still add up to the cent. (That is
1,300 million USD even in old Syrian pounds; no health-facility programme comes near.) Build-up
waste and overheads stay within 0 .. 1,000 %. Exchange rates and markups are settings, whose one
owner is `estimator.settings`. Each value is checked where it is typed or read (work list, rate folder, library,
.boq file) and again where values combine (pricing), so a product or a sum of allowed values that
is too large is a problem naming the item, never an arithmetic exception.

Texts. Characters a file format cannot carry (C0 and C1 controls but tab and line feed, U+FFFE,
U+FFFF, lone surrogates, byte-order marks) are removed where text comes in (`clean`), and again
where text goes out (`xml_text`), so an export is valid whatever the model holds. Lengths are
bounded per field (`TEXT_LIMITS`); `check_text` gives the same message at import, in the window's
edits and in both exports.

These are the primitive bounds, below the model (the model's rate book uses them); checking a whole
programme against them (as read from a file, before an export) is `estimator.programme_limits`.
"""

from __future__ import annotations

import re
from decimal import Decimal, DecimalException

from estimator.errors import UserError
from estimator.messages import Message

MAX_FIGURE = Decimal("1e13")  # exclusive: quantities, rates, amounts, totals, markups
MAX_BUILDUP_PCT = Decimal("1000")  # waste and overheads of a build-up line, percent
MAX_COEFFICIENT = Decimal("1e9")  # component units per billing unit
_FIGURE_TEXT = "10,000,000,000,000"

# field -> most characters. Long texts are bounded by what a spreadsheet cell holds (32,767), so the
# workbook and the PDF (which continues a tall row overleaf) print the same texts; names by what a
# sheet tab, a page header and a table row can show.
TEXT_LIMITS: dict[str, int] = {
    "description": 32_767,
    "description (Arabic)": 32_767,
    "notes": 32_767,
    "name": 200,  # programme, facility, bill, organisation, governorate, district, type
    "reference": 100,
    "code": 64,
    "unit": 32,
    "currency": 8,
    "text": 32_767,  # anything else
}

# What XML 1.0 cannot carry (C0 controls but tab, LF, CR; lone surrogates; U+FFFE/U+FFFF), C1
# controls (legal in XML 1.0 but never meant as text: ESC-like, invisible, and refused by some
# readers), and the byte-order mark, which inside a text is an invisible "zero-width no-break space"
# that stops "\ufeffQuantity" matching "Quantity".
UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")


class OutOfRange(UserError):
    """A number too large (or too small) for what it stands for; `where` names the item or cell."""

    def __init__(self, where: str, message: str | Message) -> None:
        self.where = where
        super().__init__(Message("where", where=where, message=message) if where else message)


class TextTooLong(UserError):
    def __init__(self, where: str, field: str, length: int) -> None:
        self.where, self.field, self.length = where, field, length
        super().__init__(Message("text_too_long", prefix=f"{where}: " if where else "", field=field, length=length,
                                 most=limit(field)))


# ---- numbers ------------------------------------------------------------------------------

_HINT = "check the quantity, the rate, its unit and the exchange rate"
BUILD_UP_HINT = "check the coefficients, prices and exchange rates of its build-up"


def figure(value: Decimal, what: str, where: str = "", hint: str = _HINT) -> Decimal:
    """`value` if it is a figure the documents can print exactly (below 10^13), else OutOfRange."""
    if not below(value, MAX_FIGURE):
        raise OutOfRange(where, Message("too_large", what=what, value=_show(value), most=_FIGURE_TEXT, hint=hint))
    return value


def percent(value: Decimal, what: str, most: Decimal, where: str = "") -> Decimal:
    if not (value.is_finite() and 0 <= value <= most):
        raise OutOfRange(where, Message("not_percentage", what=what, value=_show(value), most=most))
    return value


def coefficient(value: Decimal, where: str = "") -> Decimal:
    if not (value.is_finite() and 0 <= value <= MAX_COEFFICIENT):
        raise OutOfRange(where, Message("bad_coefficient", value=_show(value)))
    return value


def below(value: Decimal, limit: Decimal) -> bool:
    try:
        return value.is_finite() and abs(value) < limit
    except DecimalException:  # pragma: no cover - comparisons of finite Decimals do not signal
        return False


def _show(value: Decimal) -> str:
    """A number for a message: plain when short, scientific when it would fill the line."""
    if not value.is_finite():
        return str(value)
    if value.adjusted() >= 21 or (value and value.adjusted() < -12):
        return f"{value:.3E}"
    return f"{value:,f}"


def no_new_problems(before: list[str], after: list[str], change: str) -> None:
    """Refuse a change (an exchange rate, markups, rates) that makes items or totals unprintable."""
    new = [p for p in after if p not in set(before)]
    if new:
        shown = "\n  ".join(new[:20])
        more = f"\n  ... and {len(new) - 20} more" if len(new) > 20 else ""
        raise OutOfRange("", f"{change}, {len(new)} item(s) or total(s) could not be priced; nothing was changed:\n"
                             f"  {shown}{more}")


def arithmetic(where: str) -> OutOfRange:
    """The error for an arithmetic signal (overflow, a result too long to round) at `where`."""
    return OutOfRange(where, "the figures are too large to calculate; check the quantity, the rate and "
                             "the exchange rate")


# ---- texts --------------------------------------------------------------------------------

def limit(field: str) -> int:
    return TEXT_LIMITS.get(field, TEXT_LIMITS["text"])


def clean(text: str) -> str:
    """`text` without control characters, non-characters, lone surrogates and byte-order marks.

    Carriage returns become line feeds (a CSV with mixed line endings, or Excel's Alt+Enter in a
    cell written on another system, gives the same text).
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return UNWANTED.sub("", text) if UNWANTED.search(text) else text


def xml_text(text: str) -> str:
    """`text` as an XML 1.0 document (an xlsx part, PDF metadata) can carry it: what `clean` gives."""
    return clean(text)


def check_text(text: str, field: str, where: str = "") -> str:
    """`text` cleaned; TextTooLong if it is longer than `field` allows (the same message everywhere)."""
    text = clean(text)
    if len(text) > limit(field):
        raise TextTooLong(where, field, len(text))
    return text


# the window's BoQ columns -> their text limits
_TYPED = {"Description": "description", "Description (Arabic)": "description (Arabic)", "Unit": "unit", "Item": "code"}


def typed(column: str, text: str) -> str:
    """Text typed into the window's column `column`: cleaned and stripped; TextTooLong names the column."""
    return check_text(text, _TYPED.get(column, "text"), column).strip()
