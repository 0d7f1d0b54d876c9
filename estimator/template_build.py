"""A facility from a template: the work list its parameters give, priced before it is added.

`build_facility` evaluates every quantity (items that come to zero are left out, so a template can
say `qty = "pick(damage, 0, 0, 1) * area * 0.05"`), fills the facility's type, floor area and beds,
and numbers its items. `preview` prices it in a programme's currency and exchange rates with the
rates it would bring, without touching the programme. `estimator.edits.add_facility` adds it as one
undoable edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from estimator.expr import evaluate
from estimator.facility_templates import Template, TemplateError
from estimator.model import Bill, Facility, Item, Programme, renumber
from estimator.money import round_places
from estimator.pricing import FacilityTotal, Pricer
from estimator.rates.book import RateBook
from estimator.units import parse_unit


@dataclass(frozen=True, slots=True)
class Built:
    facility: Facility
    values: dict[str, Decimal]  # parameters and derived values used
    parameters: dict[str, str]  # the parameters as words, e.g. {"damage": "heavy", "area": "600"}


def build_facility(template: Template, given: Mapping[str, str], book: RateBook, name: str,
                   governorate: str = "", district: str = "", name_ar: str = "") -> Built:
    """The facility `name` that `template` gives for the parameters `given` (the rest at their defaults)."""
    if not name.strip():
        raise TemplateError("the facility needs a name")
    values = template.values(given)
    words = {p.name: p.text(values[p.name]) for p in template.parameters}
    area = _evaluate(template, template.floor_area, values, "floor_area")
    beds = _evaluate(template, template.beds, values, "beds") if template.beds else None
    facility = Facility(name.strip(), governorate.strip(), district.strip(), template.facility_type,
                        round_places(area, 2) if area > 0 else None,
                        int(beds) if beds is not None and beds > 0 else None, name_ar=name_ar.strip())
    facility.notes = (f"From template {template.name!r} ({', '.join(f'{k}={v}' for k, v in words.items())}); "
                      "quantities are parametric estimates: check them against the site")
    for tb in template.bills:
        bill = Bill(tb.name, tb.name_ar)
        for ti in tb.items:
            qty = round_places(_evaluate(template, ti.quantity, values, f"qty of {ti.code} (row {ti.line})"), 2)
            if qty == 0:
                continue
            rate = book.rate(ti.code)
            bill.items.append(Item(ti.description or rate.description, qty, parse_unit(ti.unit) if ti.unit else rate.unit,
                                   description_ar=ti.description_ar or rate.description_ar, rate_code=ti.code))
        if bill.items:
            facility.bills.append(bill)
    renumber(facility)
    return Built(facility, values, words)


def _evaluate(template: Template, expr: str, values: Mapping[str, Decimal], what: str) -> Decimal:
    value = evaluate(expr, values)
    if value < 0:
        raise TemplateError(f"template {template.name!r}, {what}: {expr!r} is negative ({value}) for these parameters")
    return value


def preview(programme: Programme, facility: Facility, library: RateBook) -> FacilityTotal:
    """`facility` priced as it would be in `programme` (its currency, exchange rates and rate snapshot,
    with the library's rates for codes the snapshot lacks); the programme is not changed."""
    codes = {i.rate_code for i in facility.items() if i.rate_code and i.rate_code not in programme.rates}
    book = programme.rates.merged(library.closure(codes)) if codes else programme.rates
    scratch = Programme(programme.name, programme.currency, exchange_rates=list(programme.exchange_rates), rates=book)
    return Pricer(scratch).facility(facility)
