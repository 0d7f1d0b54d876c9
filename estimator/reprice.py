"""Re-pricing a programme against the current library: an explicit action with a report.

A programme is priced from its own snapshot of the rates. `reprice` compares every rate in that
snapshot with the library's current version (at the programme's exchange rates), reports each
rate whose unit rate changed and each facility's total before and after, and, unless it is a dry
run, replaces the snapshot. Rates no longer in the library are kept and listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from estimator.errors import UserError
from estimator.model import Programme
from estimator.money import fmt
from estimator.pricing import Pricer, price
from estimator.rates.book import RateBook
from estimator.units import label


@dataclass(frozen=True, slots=True)
class RateChange:
    code: str
    description: str
    unit: str
    old: Decimal
    new: Decimal


@dataclass(frozen=True, slots=True)
class FacilityChange:
    name: str
    old: Decimal
    new: Decimal


@dataclass(slots=True)
class RepriceReport:
    currency: str
    rates: list[RateChange] = field(default_factory=list)
    facilities: list[FacilityChange] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    old_total: Decimal = Decimal(0)
    new_total: Decimal = Decimal(0)


def fresh_snapshot(programme: Programme, library: RateBook) -> RateBook:
    """The programme's rates as the library has them now; rates the library no longer has are kept,
    with everything they are built from."""
    used = sorted(programme.rates.rates)
    missing = [c for c in used if c not in library]
    fresh = library.closure([c for c in used if c not in missing])
    kept = programme.rates.closure(missing)
    return RateBook({**kept.resources, **fresh.resources}, {**kept.rates, **fresh.rates})


def reprice(programme: Programme, library: RateBook, apply: bool = True) -> RepriceReport:
    used = sorted(programme.rates.rates)
    missing = [c for c in used if c not in library]
    new_book = fresh_snapshot(programme, library)
    before = price(programme)
    old_snapshot = programme.rates
    old_pricer = Pricer(programme)
    old_rates = {}
    for code in used:
        try:
            old_rates[code] = old_pricer.rate_of_code(code)
        except UserError:
            continue
    programme.rates = new_book
    new_pricer = Pricer(programme)
    report = RepriceReport(programme.currency, missing=missing)
    for code in used:
        try:
            new = new_pricer.rate_of_code(code)
        except UserError:
            continue
        old = old_rates.get(code)
        if old != new:
            rate = new_book.rates[code]
            report.rates.append(RateChange(code, rate.description, rate.unit, old if old is not None else Decimal(0), new))
    after = price(programme)
    for old_f, new_f in zip(before.facilities, after.facilities, strict=True):
        if old_f.total != new_f.total:
            report.facilities.append(FacilityChange(old_f.facility.name, old_f.total, new_f.total))
    report.old_total, report.new_total = before.grand_total, after.grand_total
    if not apply:
        programme.rates = old_snapshot
    return report


def missing_notes(report: RepriceReport) -> list[str]:
    return [f"{code}: no longer in the library; the programme keeps its own copy" for code in report.missing]


def report_lines(report: RepriceReport, dry_run: bool) -> list[str]:
    """The report as `boq reprice` prints it (and the window shows it before re-pricing); the
    notes on rates gone from the library are `missing_notes`."""
    cur = report.currency
    lines = [] if report.rates else ["no rate has changed in the library"]
    lines += [f"{rc.code:<9} {label(rc.unit):<5} {fmt(rc.old):>12} -> {fmt(rc.new):>12} {cur}  {rc.description}"
              for rc in report.rates]
    lines += [f"{fc.name}: {fmt(fc.old)} -> {fmt(fc.new)} {cur} ({fmt(fc.new - fc.old)})" for fc in report.facilities]
    lines.append(f"grand total {fmt(report.old_total)} -> {fmt(report.new_total)} {cur}"
                 + (" (dry run: nothing changed)" if dry_run else ""))
    return lines
