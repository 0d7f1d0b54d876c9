"""Rate library commands: `boq rates list|show|search|check|import` and `boq reprice`."""

from __future__ import annotations

import argparse
import shutil
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from estimator import paths
from estimator.errors import MissingExchangeRate, UserError, ValidationFailed
from estimator.facility_templates import load_templates
from estimator.money import fmt, normalize_currency, round_places
from estimator.pricing import Pricer
from estimator.rates import Library, current_library, load_library
from estimator.rates.book import Converter, Rate
from estimator.rates.reprice import reprice
from estimator.store import Project, load
from estimator.units import label


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rates = sub.add_parser(
        "rates",
        help="browse and check the rate library",
        description="Browse, search and check the rate library (rates/ and your user library).",
    )
    rsub = rates.add_subparsers(dest="rates_command", metavar="ACTION", required=True)

    p = rsub.add_parser("list", help="list rates", description="List the library's rates with their unit rates.")
    p.add_argument("--trade", default="", help="only rates whose trade contains this text")
    p.add_argument("--currency", default="USD", help="currency to price in, at the library's exchange rates")
    p.set_defaults(func=cmd_list)

    p = rsub.add_parser(
        "show",
        help="show a rate's build-up with sources",
        description="Show every line of a rate's build-up: resource, coefficient, waste, price, "
        "currency, date and source, and the unit rate they add up to.",
    )
    p.add_argument("code")
    p.add_argument("--currency", default="USD", help="currency to price in, at the library's exchange rates")
    p.add_argument("--file", type=Path, help="show the rate as priced in this programme (its snapshot and exchange rates)")
    p.set_defaults(func=cmd_show)

    p = rsub.add_parser(
        "search",
        help="search rates in English or Arabic",
        description="Find rates whose code, trade or English/Arabic description contains every word.",
    )
    p.add_argument("text", nargs="+")
    p.add_argument("--trade", default="")
    p.add_argument("--currency", default="USD")
    p.set_defaults(func=cmd_search)

    p = rsub.add_parser(
        "check",
        help="validate a rate library folder and its facility templates",
        description="Load a library folder and its facility templates (templates/*.toml) and list every "
        "problem; exit 1 if there is any.",
    )
    p.add_argument("folder", type=Path, nargs="?", help="default: the bundled rates/ folder")
    p.set_defaults(func=cmd_check)

    p = rsub.add_parser(
        "import",
        help="add your own rates to the user library or a programme",
        description="Add the rates and resources of FOLDER (same CSV files as rates/) to your user "
        "library, or with --into to one programme's own rates.",
    )
    p.add_argument("folder", type=Path)
    p.add_argument("--into", type=Path, metavar="FILE", help="a .boq programme to add them to")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "reprice",
        help="re-price a programme against the current library",
        description="Compare the rates a programme was priced with against the current library, "
        "report every changed rate and each facility's change, and update the programme.",
    )
    p.add_argument("file", type=Path)
    p.add_argument("--dry-run", action="store_true", help="report only; change nothing")
    p.set_defaults(func=cmd_reprice)


def library_converter(lib: Library, currency: str) -> Converter:
    """Convert into `currency` with the library's default rates (per USD)."""
    currency = normalize_currency(currency)

    def per_usd(code: str) -> Decimal:
        if code not in lib.fx_per_usd:
            raise MissingExchangeRate(code, "USD in rates/exchange_rates.csv")
        return lib.fx_per_usd[code][0]

    target = per_usd(currency)
    return lambda amount, code: amount if code == currency else amount / per_usd(code) * target


def _warn(lib: Library) -> None:
    if lib.problems:
        print(
            f"boq rates: {len(lib.problems)} problem(s) in the rate library; {len(lib.unavailable)} rate(s) "
            "unavailable (`boq rates check` lists them)",
            file=sys.stderr,
        )


def _table(lib: Library, rates: list[Rate], currency: str) -> None:
    convert = library_converter(lib, currency)
    cache: dict[str, Decimal] = {}
    for rate in sorted(rates, key=lambda r: r.code):
        value = lib.book.unit_rate(rate.code, currency, convert, cache)
        kind = "quoted" if rate.is_quoted else "built-up"
        print(f"{rate.code:<9} {label(rate.unit):<5} {fmt(value):>12} {currency}  {kind:<8}  {rate.description}")


def cmd_list(args: argparse.Namespace) -> int:
    lib = current_library()
    _warn(lib)
    _table(lib, lib.book.search("", args.trade), args.currency)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    lib = current_library()
    _warn(lib)
    found = lib.book.search(" ".join(args.text), args.trade)
    if not found:
        print(f"no rate matches {' '.join(args.text)!r}", file=sys.stderr)
        return 1
    _table(lib, found, args.currency)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    if args.file:
        programme = load(args.file)
        currency, book = programme.currency, programme.rates
        convert: Converter = Pricer(programme).convert
    else:
        lib = current_library()
        _warn(lib)
        currency, book = normalize_currency(args.currency), lib.book
        convert = library_converter(lib, currency)
    a = book.analyse(args.code, currency, convert)
    r = a.rate
    print(f"{r.code}  {r.description}")
    if r.description_ar:
        print(f"{'':<{len(r.code)}}  {r.description_ar}")
    print(f"trade: {r.trade}; billing unit: {label(r.unit)}; origin: {r.origin}")
    if r.is_quoted:
        print(f"quoted price {r.quoted_price} {r.quoted_currency} on {r.quoted_date}; source: {r.source}")
    else:
        print(
            f"{'component':<12} {'unit':<5} {'coefficient':>11} {'waste %':>7} {'price':>12} {'cur':<4} {'date':<10} "
            f"{'in ' + currency:>12} {'cost':>12}  source"
        )
        for ln in a.lines:
            print(
                f"{ln.component:<12} {label(ln.unit):<5} {ln.coefficient:>11} {ln.waste_pct:>7} {ln.original_price:>12} "
                f"{ln.original_currency:<4} {ln.date.isoformat() if ln.date else '':<10} "
                f"{round_places(ln.price, 4):>12} {round_places(ln.cost, 4):>12}  {ln.source}"
            )
        print(f"{'subtotal (sum of costs)':<78} {round_places(a.subtotal, 4):>12}")
        print(f"{f'overheads & profit {r.overheads_pct} %':<78} {round_places(a.overheads, 4):>12}")
    print(
        f"unit rate: {fmt(a.unit_rate)} {currency} per {label(r.unit)}"
        + ("" if r.is_quoted else " (subtotal + overheads, rounded half-up to the cent)")
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    folder = args.folder or paths.rates_dir()
    lib = load_library(folder)
    templates = load_templates(folder / "templates", lib.book)  # facility templates, checked against these rates
    problems = lib.problems + [replace(p, source=f"templates/{p.source}") for p in templates.problems]
    if problems:
        raise ValidationFailed(f"rate library {folder}", problems)
    print(f"{folder}: {len(lib.book.resources)} resources, {len(lib.book.rates)} rates, "
          f"{len(templates.templates)} facility templates, no problems")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    own = load_library(args.folder, origin="programme" if args.into else "user", base=current_library().book)
    if own.problems:
        raise ValidationFailed(f"rate folder {args.folder}", own.problems)
    if args.into:
        with Project.open(args.into) as project:
            project.programme.rates = project.programme.rates.merged(own.book)
            project.save()
        print(f"added {len(own.book.rates)} rates and {len(own.book.resources)} resources to {args.into}")
        return 0
    target = paths.user_rates_dir()
    if target.exists() and any(target.glob("*.csv")):
        raise UserError(f"user library {target} already exists; edit its CSV files, or delete it to import afresh")
    target.mkdir(parents=True, exist_ok=True)
    for name in ("resources.csv", "rates.csv", "buildups.csv", "exchange_rates.csv"):
        if (args.folder / name).exists():
            shutil.copyfile(args.folder / name, target / name)
    print(f"user library {target}: {len(own.book.rates)} rates, {len(own.book.resources)} resources")
    return 0


def cmd_reprice(args: argparse.Namespace) -> int:
    lib = current_library()
    _warn(lib)
    with Project.open(args.file, readonly=args.dry_run) as project:
        report = reprice(project.programme, lib.book, apply=not args.dry_run)
        if not args.dry_run:
            project.save()
    cur = report.currency
    if not report.rates:
        print("no rate has changed in the library")
    for rc in report.rates:
        print(f"{rc.code:<9} {label(rc.unit):<5} {fmt(rc.old):>12} -> {fmt(rc.new):>12} {cur}  {rc.description}")
    for fc in report.facilities:
        print(f"{fc.name}: {fmt(fc.old)} -> {fmt(fc.new)} {cur} ({fmt(fc.new - fc.old)})")
    for code in report.missing:
        print(f"{code}: no longer in the library; the programme keeps its own copy", file=sys.stderr)
    print(
        f"grand total {fmt(report.old_total)} -> {fmt(report.new_total)} {cur}"
        + (" (dry run: nothing changed)" if args.dry_run else "")
    )
    return 0
