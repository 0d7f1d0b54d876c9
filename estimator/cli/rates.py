"""Rate library commands: `boq rates list|show|search|check|import` and `boq reprice`."""

from __future__ import annotations

import argparse
import shutil
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from estimator import limits
from estimator.cli import server
from estimator.errors import MissingExchangeRate, UserError, ValidationFailed
from estimator.facility_templates import load_templates
from estimator.money import fmt, normalize_currency, round_places
from estimator.server import location

if TYPE_CHECKING:
    from estimator.pricing import Pricer
    from estimator.rates import Library
    from estimator.rates.book import Converter, Rate, RateBook


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
    p.add_argument("--file", type=location, help="show the rate as priced in this programme (its snapshot and exchange rates)")
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
        "library, or with --into to one programme's own rates. A rate or resource whose code is "
        "already there is a replacement: the import lists each (old and new unit rate) and changes "
        "nothing unless --replace is given. Circular build-ups (also through the library or the "
        "programme's rates) and rates too large to print are refused.",
    )
    p.add_argument("folder", type=Path)
    p.add_argument("--into", type=location, metavar="FILE", help="a .boq programme to add them to")
    p.add_argument("--replace", action="store_true", help="replace rates and resources of the same code")
    p.set_defaults(func=cmd_import)
    server.register_rates(rsub)  # rates push|pull|history: the shared library on a server

    p = sub.add_parser(
        "reprice",
        help="re-price a programme against the current library",
        description="Compare the rates a programme was priced with against the current library, "
        "report every changed rate and each facility's change, and update the programme.",
    )
    p.add_argument("file", type=location)
    p.add_argument("--dry-run", action="store_true", help="report only; change nothing")
    p.set_defaults(func=cmd_reprice)


def library_converter(lib: Library, currency: str) -> Converter:
    """Convert into `currency` with the library's default rates (per USD), as a programme in `currency`
    created with them converts: re-based exactly (`estimator.settings`) and converted by the pricer."""
    from estimator.model import ExchangeRate, Programme
    from estimator.pricing import Pricer

    currency = normalize_currency(currency)
    if currency not in lib.fx_per_usd:
        raise MissingExchangeRate(currency, "USD in rates/exchange_rates.csv")
    programme = Programme("rate library", "USD", exchange_rates=[
        ExchangeRate(code, rate, date) for code, (rate, date) in lib.fx_per_usd.items() if code != "USD"])
    programme.rebase(currency)
    pricer = Pricer(programme)

    def convert(amount: Decimal, code: str) -> Decimal:
        if code and code != currency and code not in lib.fx_per_usd:
            raise MissingExchangeRate(code, "USD in rates/exchange_rates.csv")
        return pricer.convert(amount, code)

    return convert


def _warn(lib: Library) -> None:
    if lib.problems:
        print(
            f"boq rates: {len(lib.problems)} problem(s) in the rate library; {len(lib.unavailable)} rate(s) "
            "unavailable (`boq rates check` lists them)",
            file=sys.stderr,
        )


def _table(lib: Library, rates: list[Rate], currency: str) -> None:
    from estimator.units import label

    convert = library_converter(lib, currency)
    cache: dict[str, Decimal] = {}
    for rate in sorted(rates, key=lambda r: r.code):
        value = lib.book.unit_rate(rate.code, currency, convert, cache)
        kind = "quoted" if rate.is_quoted else "built-up"
        print(f"{rate.code:<9} {label(rate.unit):<5} {fmt(value):>12} {currency}  {kind:<8}  {rate.description}")


def cmd_list(args: argparse.Namespace) -> int:
    from estimator.rates import current_library

    lib = current_library()
    _warn(lib)
    _table(lib, lib.book.search("", args.trade), args.currency)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from estimator.rates import current_library

    lib = current_library()
    _warn(lib)
    found = lib.book.search(" ".join(args.text), args.trade)
    if not found:
        print(f"no rate matches {' '.join(args.text)!r}", file=sys.stderr)
        return 1
    _table(lib, found, args.currency)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from estimator.pricing import Pricer
    from estimator.rates import current_library
    from estimator.server.locations import load
    from estimator.units import label

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
    from estimator import paths
    from estimator.rates import load_library

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
    from estimator import paths
    from estimator.rates import current_library, load_library

    if args.into:
        return _import_into(args)
    target = paths.user_rates_dir()
    if target.exists() and any(target.glob("*.csv")):
        raise UserError(f"user library {target} already exists; edit its CSV files, or delete it to import afresh")
    lib = current_library()
    own = load_library(args.folder, origin="user", base=lib.book)
    if own.problems:
        raise ValidationFailed(f"rate folder {args.folder}", own.problems)
    replaced = replacements(lib.book, own.book)
    if replaced:
        convert = library_converter(lib, "USD")
        merged = lib.book.merged(own.book)
        lines = [_changed(code, lib.book, merged, convert, "USD") for code in replaced]
        _refuse_unless(args.replace, replaced, lines, f"the library {paths.rates_dir()}")
    target.mkdir(parents=True, exist_ok=True)
    for name in ("resources.csv", "rates.csv", "buildups.csv", "exchange_rates.csv"):
        if (args.folder / name).exists():
            shutil.copyfile(args.folder / name, target / name)
    print(f"user library {target}: {len(own.book.rates)} rates, {len(own.book.resources)} resources"
          + (f"; replaces {len(replaced)} of the bundled library (in new imports; programmes keep their rates)"
             if replaced else ""))
    return 0


def replacements(old: RateBook, new: RateBook) -> list[str]:
    """Codes of `new`'s rates and resources that `old` holds with other content."""
    rates = [c for c, r in new.rates.items() if c in old.rates and replace(old.rates[c], origin=r.origin) != r]
    resources = [c for c, r in new.resources.items() if c in old.resources and old.resources[c] != r]
    return sorted(rates) + sorted(resources)


def _changed(code: str, old: RateBook, new: RateBook, convert: Converter, currency: str) -> str:
    """One line saying how the rate or resource `code` changes."""
    from estimator.units import label

    if code in new.resources:
        a, b = old.resources[code], new.resources[code]
        return (f"  resource {code}: {fmt(a.price)} {a.currency} per {label(a.unit)} -> "
                f"{fmt(b.price)} {b.currency} per {label(b.unit)}")

    def unit_rate(book: RateBook) -> str:
        try:
            return f"{fmt(book.unit_rate(code, currency, convert))} {currency}"
        except UserError as exc:
            return f"({exc})"

    return f"  rate {code}: {unit_rate(old)} -> {unit_rate(new)} per {label(new.rates[code].unit)}  {new.rates[code].description}"


def _refuse_unless(allowed: bool, codes: list[str], lines: list[str], where: str) -> None:
    if allowed:
        print(f"replacing {len(codes)} rate(s) or resource(s) of the same code in {where}:", *lines, sep="\n")
        return
    raise UserError(f"{len(codes)} rate(s) or resource(s) of FOLDER have the code of one in {where}; nothing was "
                    "changed. Check them, and run again with --replace to replace them:\n" + "\n".join(lines))


def _import_into(args: argparse.Namespace) -> int:
    """Rates into one programme's snapshot: replacements explicit, no cycle, totals still printable."""
    from estimator.pricing import Pricer, price
    from estimator.rates import current_library, load_library
    from estimator.server.locations import open_project

    library = current_library()
    with open_project(args.into) as project:
        prog = project.programme
        snapshot = prog.rates
        base = library.book.merged(snapshot)  # what the programme prices with wins over the library
        own = load_library(args.folder, origin="programme", base=base)
        if own.problems:
            raise ValidationFailed(f"rate folder {args.folder}", own.problems)
        before = price(prog)
        old_pricer = Pricer(prog)
        old_rates = _unit_rates(old_pricer, sorted(snapshot.rates))
        replaced = replacements(snapshot, own.book)
        combined = base.merged(own.book)
        new_book = combined.closure([*snapshot.rates, *own.book.rates])
        new_book.resources.update(own.book.resources)
        prog.rates = new_book
        new_pricer = Pricer(prog)
        lines = [_changed(code, snapshot, new_book, old_pricer.convert, prog.currency)
                 for code in replaced if code in new_book.resources]
        lines += _repriced(old_rates, _unit_rates(new_pricer, sorted(snapshot.rates)), new_book)
        lines += [f"  rate {code}: unit rate unchanged; its description or build-up differs" for code in replaced
                  if code in new_book.rates and not any(ln.startswith(f"  rate {code}:") for ln in lines)]
        after = price(prog)
        if replaced:
            lines.append(f"  grand total {fmt(before.grand_total)} -> {fmt(after.grand_total)} {prog.currency}")
            _refuse_unless(args.replace, replaced, lines, str(args.into))
        limits.no_new_problems(before.problems, after.problems, "with these rates")
        project.save()
    added = len([c for c in own.book.rates if c not in snapshot.rates])
    print(f"added {added} rates and {len(own.book.resources)} resources to {args.into}"
          + (f", replaced {len(replaced)}" if replaced else "")
          + f"; grand total {fmt(before.grand_total)} -> {fmt(after.grand_total)} {prog.currency}")
    return 0


def _unit_rates(pricer: Pricer, codes: list[str]) -> dict[str, str]:
    """Each code's unit rate in the programme, as text (or why it cannot be priced)."""
    found = {}
    for code in codes:
        try:
            found[code] = f"{fmt(pricer.rate_of_code(code))} {pricer.currency}"
        except UserError as exc:
            found[code] = f"({exc})"
    return found


def _repriced(old: dict[str, str], new: dict[str, str], book: RateBook) -> list[str]:
    """`  rate CODE: old -> new` for each rate whose unit rate in the programme changes."""
    from estimator.units import label

    return [f"  rate {code}: {old[code]} -> {new[code]} per {label(book.rates[code].unit)}  {book.rates[code].description}"
            for code in old if new.get(code) != old[code]]


def cmd_reprice(args: argparse.Namespace) -> int:
    from estimator.rates import current_library
    from estimator.reprice import missing_notes, report_lines, reprice
    from estimator.server.locations import open_project

    lib = current_library()
    _warn(lib)
    with open_project(args.file, readonly=args.dry_run) as project:
        report = reprice(project.programme, lib.book, apply=not args.dry_run)
        if not args.dry_run:
            project.save()
    lines = report_lines(report, args.dry_run)
    print("\n".join(lines[:-1]) + "\n" if lines[:-1] else "", end="")
    for note in missing_notes(report):
        print(note, file=sys.stderr)
    print(lines[-1])
    return 0
