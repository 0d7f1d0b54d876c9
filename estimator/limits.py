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
edits and in both exports (`check_exportable`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from decimal import Decimal, DecimalException
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from estimator.errors import ProjectFileError, UserError

if TYPE_CHECKING:
    from estimator.model import Programme

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
_UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")


class OutOfRange(UserError):
    """A number too large (or too small) for what it stands for; `where` names the item or cell."""

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class TextTooLong(UserError):
    def __init__(self, where: str, field: str, length: int) -> None:
        self.where, self.field, self.length = where, field, length
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}{field} has {length:,} characters, more than the {limit(field):,} allowed; shorten it")


# ---- numbers ------------------------------------------------------------------------------

_HINT = "check the quantity, the rate, its unit and the exchange rate"
BUILD_UP_HINT = "check the coefficients, prices and exchange rates of its build-up"


def figure(value: Decimal, what: str, where: str = "", hint: str = _HINT) -> Decimal:
    """`value` if it is a figure the documents can print exactly (below 10^13), else OutOfRange."""
    if not _below(value, MAX_FIGURE):
        raise OutOfRange(where, f"{what} {_show(value)} is larger than {_FIGURE_TEXT}, the most a BoQ can print and "
                                f"add up to the cent; {hint}")
    return value


def percent(value: Decimal, what: str, most: Decimal, where: str = "") -> Decimal:
    if not (value.is_finite() and 0 <= value <= most):
        raise OutOfRange(where, f"{what} {_show(value)} must be a percentage between 0 and {most}")
    return value


def coefficient(value: Decimal, where: str = "") -> Decimal:
    if not (value.is_finite() and 0 <= value <= MAX_COEFFICIENT):
        raise OutOfRange(where, f"coefficient {_show(value)} must be between 0 and 1,000,000,000")
    return value


def _below(value: Decimal, limit: Decimal) -> bool:
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
    return _UNWANTED.sub("", text) if _UNWANTED.search(text) else text


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


Owner = tuple[str, object, object, object]  # (kind, facility or code, bill, item): named only when needed


def _where(owner: Owner) -> str:
    kind, first, bill, item = owner
    if kind != "facility":
        return kind if first is None else f"{kind} {str(first)[:64]!r}"
    where = f"facility {first.name[:60]!r}"  # type: ignore[attr-defined]
    if bill is not None:
        where += f", bill {bill.name[:60]!r}"  # type: ignore[attr-defined]
    if item is not None:
        where += f", item {item.ref or item.description[:40]!r}"  # type: ignore[attr-defined]
    return where


def _programme_texts(p: Programme) -> Iterator[tuple[Owner, str, str]]:
    """(owner, field, text) for every text of a programme that a document prints."""
    whole: Owner = ("programme", None, None, None)
    for field, value in (("name", p.name), ("reference", p.reference), ("name", p.organisation), ("notes", p.notes),
                         ("name", p.name_ar), ("name", p.organisation_ar),
                         ("currency", p.currency), ("code", p.revision)):
        yield whole, field, value
    for f in p.facilities:
        owner: Owner = ("facility", f, None, None)
        for field, value in (("name", f.name), ("name", f.name_ar), ("name", f.governorate), ("name", f.district),
                             ("name", f.facility_type), ("notes", f.notes)):
            yield owner, field, value
        for b in f.bills:
            owner = ("facility", f, b, None)
            yield owner, "name", b.name
            yield owner, "name", b.name_ar
            for i in b.items:
                owner = ("facility", f, b, i)
                yield owner, "description", i.description
                yield owner, "description (Arabic)", i.description_ar
                yield owner, "notes", i.notes
                yield owner, "code", i.ref
                yield owner, "unit", i.unit
                yield owner, "unit", i.rate_unit
                yield owner, "code", i.rate_code
                yield owner, "currency", i.rate_currency
    for code, rate in p.rates.rates.items():
        owner = ("rate", code, None, None)
        yield owner, "code", code
        yield owner, "description", rate.description
        yield owner, "description (Arabic)", rate.description_ar
        yield owner, "name", rate.trade
        yield owner, "unit", rate.unit
    for code, res in p.rates.resources.items():
        owner = ("resource", code, None, None)
        yield owner, "code", code
        yield owner, "description", res.description
        yield owner, "description (Arabic)", res.description_ar
        yield owner, "unit", res.unit


_MULTILINE_FIELDS = frozenset({"description", "description (Arabic)", "notes"})
_UNWANTED_ONE_LINE = re.compile(f"{_UNWANTED.pattern}|[\r\n\t]")


def check_exportable(programme: Programme) -> bool:
    """Every text a document prints is within its limit: the same refusal (TextTooLong) for xlsx and
    PDF. Returns whether some text needs cleaning (one regex pass over all texts, not one per text)."""
    several: list[str] = []
    one: list[str] = []
    for owner, field, value in _programme_texts(programme):
        if len(value) > limit(field):
            raise TextTooLong(_where(owner), field, len(value))
        (several if field in _MULTILINE_FIELDS else one).append(value)
    return bool(_UNWANTED.search("".join(several)) or "\r" in "".join(several)
                or _UNWANTED_ONE_LINE.search("".join(one)))


def for_export(programme: Programme) -> Programme:
    """What an exporter writes: `programme` if its texts are within limits and clean; a copy with
    every text cleaned (`xml_text`) if some text holds a character no file can carry (a .boq from
    elsewhere, an older version); TextTooLong, the same for every exporter, if a text is too long.
    """
    return _cleaned(programme) if check_exportable(programme) else programme


# the model's texts that may hold several lines; every other text (names, codes, units) is one line
MULTILINE = frozenset({"description", "description_ar", "notes", "note", "source"})


def _one_line(text: str, multiline: bool) -> str:
    text = xml_text(text)
    return text if multiline or not ("\n" in text or "\t" in text) else " ".join(text.split())


def _cleaned(obj: Any, multiline: bool = True) -> Any:
    """A copy of a model object (dataclasses, lists, dicts) with every string through `xml_text`, and
    line breaks in one-line texts (names, codes) made spaces: a page header or an Arabic name has no
    second line to put them on."""
    if isinstance(obj, str):
        return _one_line(obj, multiline)
    if isinstance(obj, list):
        return [_cleaned(x, multiline) for x in obj]
    if isinstance(obj, tuple):
        return tuple(_cleaned(x, multiline) for x in obj)
    if isinstance(obj, dict):
        return {_cleaned(k, False): _cleaned(v, multiline) for k, v in obj.items()}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.replace(obj, **{f.name: _cleaned(getattr(obj, f.name), f.name in MULTILINE)
                                           for f in dataclasses.fields(obj) if f.init})
    return obj


# ---- a whole programme, as read from a .boq file ------------------------------------------

def _number_checks(p: Programme) -> Iterator[Callable[[], object]]:
    """A check for every stored number of `p` (each raises OutOfRange naming where the number is)."""
    # exchange rates and markups are settings, checked by their owner (estimator.settings) as they are built

    for f in p.facilities:
        for b in f.bills:
            for i in b.items:
                where = f"facility {f.name[:60]!r}, bill {b.name[:60]!r}, item {i.ref or i.description[:40]!r}"
                yield partial(figure, i.quantity, "quantity", where)
                if i.rate is not None:
                    yield partial(figure, i.rate, "rate", where)
    for code, res in p.rates.resources.items():
        yield partial(figure, res.price, "price", f"resource {code[:64]!r}")
    for code, rate in p.rates.rates.items():
        where = f"rate {code[:64]!r}"
        if rate.quoted_price is not None:
            yield partial(figure, rate.quoted_price, "quoted price", where)
        yield partial(percent, rate.overheads_pct, "overheads", MAX_BUILDUP_PCT, where)
        for ln in rate.lines:
            yield partial(coefficient, ln.coefficient, f"{where}, component {ln.component[:64]!r}")
            yield partial(percent, ln.waste_pct, "waste", MAX_BUILDUP_PCT, f"{where}, component {ln.component[:64]!r}")


def _programme_numbers(p: Programme) -> Iterator[str]:
    """A message for every stored number of `p` outside its range (the file came from elsewhere)."""
    if not re.fullmatch(r"[A-Z]{3}", p.currency):
        yield f"programme currency {p.currency[:20]!r} is not a three-letter code such as USD"
    for check in _number_checks(p):
        try:
            check()
        except OutOfRange as exc:
            yield str(exc)


def check_loaded(programme: Programme, path: Path) -> None:
    """Refuse a programme read from `path` whose stored numbers are out of range, naming each one.

    Products and sums (an item's amount, the totals) are not refused here: pricing reports them as
    problems of the item, so the file opens and the figure can be corrected.
    """
    problems = list(_programme_numbers(programme))
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise ProjectFileError(path, f"holds {len(problems)} number(s) out of range (was it edited outside BoQ "
                                     f"Estimator?); nothing was opened:\n  {shown}{more}")
