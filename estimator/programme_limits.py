"""A whole programme checked against the limits (`estimator.limits`): as read from a file, before an export.

Every text a document prints is within its length (`check_exportable`, the same refusal for the
workbook and the PDF) and carries no character a file cannot hold (`for_export` cleans a copy);
every number stored in a `.boq` file is within its range (`check_loaded`, naming each one).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from estimator import settings
from estimator.errors import InvalidCurrency, ProjectFileError, UserError
from estimator.limits import (
    MAX_BUILDUP_PCT,
    MAX_FIGURE,
    UNWANTED,
    OutOfRange,
    TextTooLong,
    below,
    coefficient,
    figure,
    limit,
    percent,
    xml_text,
)
from estimator.model import Programme

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
UNWANTED_ONE_LINE = re.compile(f"{UNWANTED.pattern}|[\r\n\t]")


def check_exportable(programme: Programme) -> bool:
    """Every text a document prints is within its limit: the same refusal (TextTooLong) for xlsx and
    PDF. Returns whether some text needs cleaning (one regex pass over all texts, not one per text)."""
    several: list[str] = []
    one: list[str] = []
    for owner, field, value in _programme_texts(programme):
        if len(value) > limit(field):
            raise TextTooLong(_where(owner), field, len(value))
        (several if field in _MULTILINE_FIELDS else one).append(value)
    return bool(UNWANTED.search("".join(several)) or "\r" in "".join(several)
                or UNWANTED_ONE_LINE.search("".join(one)))


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
                if below(i.quantity, MAX_FIGURE) and (i.rate is None or below(i.rate, MAX_FIGURE)):
                    continue  # the common case, without building the message's place (a third of opening)
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
    try:
        if settings.currency(p.currency) != p.currency:
            raise InvalidCurrency(p.currency)  # `usd`: not as this program writes it
    except UserError as exc:
        yield f"programme {exc}"
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
