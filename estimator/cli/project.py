"""Commands on a programme file: new, demo, fx, currency, markup, import, price, recover, units."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from estimator import limits, settings
from estimator.errors import UserError
from estimator.money import fmt
from estimator.server import is_server, location

if TYPE_CHECKING:
    from estimator.model import Programme
    from estimator.pricing import Estimate


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "new",
        help="create an empty programme file",
        description="Create an empty programme file with the rate library's default exchange rates.",
    )
    p.add_argument("file", type=location, help="the .boq file to create (must not exist)")
    p.add_argument("--name", default="", help="programme name (default: the file name)")
    p.add_argument("--currency", default="USD", help="programme currency, e.g. USD, TRY, SYP (default USD)")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser(
        "demo",
        help="write an illustrative sample programme",
        description="Write an illustrative sample programme to FILE: by default the bundled 2024 "
        "rehabilitation programme (14 facilities and a new-build health centre); `--programme network80` "
        "80 operated facilities across Aleppo, Hama, Homs and Idlib, `--programme newbuild` two new health "
        "centres with annexes and a radiotherapy centre, both built from the facility templates.",
    )
    p.add_argument("file", type=location, help="the .boq file to create")
    p.add_argument("--programme", choices=("rehabilitation", "network80", "newbuild"), default="rehabilitation",
                   help="which sample (default rehabilitation)")
    p.add_argument("--force", action="store_true",
                   help="replace FILE if it is an existing programme that is not open (never a file of another kind)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "fx", help="set an exchange rate", description="Set RATE units of CODE per one unit of the programme currency, dated."
    )
    p.add_argument("file", type=location)
    p.add_argument("code", help="currency code, e.g. TRY")
    p.add_argument("rate", help="units of CODE per one programme-currency unit, e.g. 42.35")
    p.add_argument("--date", default=None, help="date of the rate, YYYY-MM-DD (default today)")
    p.set_defaults(func=cmd_fx)

    p = sub.add_parser(
        "currency",
        help="change the programme currency",
        description="Make NEW the programme currency. Every exchange rate is re-based on NEW exactly, so "
        "changing back gives the same rates. NEW needs a rate: one already set with `boq fx`, or --rate.",
    )
    p.add_argument("file", type=location)
    p.add_argument("new", help="the new programme currency, e.g. TRY")
    p.add_argument("--rate", help="units of NEW per one unit of the current currency (otherwise the latest rate set)")
    p.add_argument("--date", default=None, help="date of --rate, YYYY-MM-DD (default today)")
    p.set_defaults(func=cmd_currency)

    p = sub.add_parser(
        "markup", help="set summary markups", description="Set the percentages added to the subtotal on the General Summary."
    )
    p.add_argument("file", type=location)
    p.add_argument("--contingency", metavar="PCT")
    p.add_argument("--overheads", metavar="PCT", help="overheads and profit")
    p.add_argument("--tax", metavar="PCT")
    p.set_defaults(func=cmd_markup)

    p = sub.add_parser(
        "import",
        help="import a work list (CSV or XLSX)",
        description="Add the facilities, sections and items of a work list. Required columns: "
        "Facility, Section, Description, Quantity, Unit; optional: Code, Rate, Rate unit, "
        "Currency, Governorate, District, Facility type, Floor area (m2), Beds, "
        "Description (Arabic), Section (Arabic), Facility (Arabic), Provisional, Notes. On any problem nothing is imported.",
    )
    p.add_argument("file", type=location)
    p.add_argument("worklist", type=Path)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "price",
        help="price a programme",
        description="Price every item (printed quantity x printed rate, rounded half-up to the cent) "
        "and print facility totals, markups and the grand total.",
    )
    p.add_argument("file", type=location)
    p.add_argument("--json", action="store_true", help="print the totals as JSON (amounts as decimal strings)")
    p.add_argument("--bills", action="store_true", help="also list each facility's bill totals")
    p.add_argument("--items", action="store_true",
                   help="with --json: every item's printed quantity, unit, rate and amount, per bill")
    p.set_defaults(func=cmd_price)

    p = sub.add_parser(
        "recover",
        help="repair a programme whose save was cut off",
        description="Undo a save that a crash or power cut interrupted (FILE-journal beside FILE), once it is "
        "clear that the journal belongs to this very file. A copy of both is kept until the repaired file "
        "is checked, and put back if the check fails. Commands that only read (price, export, compare, "
        "bids) refuse such a file and change nothing; the window repairs it on opening, like this command.",
    )
    p.add_argument("file", type=location)
    p.set_defaults(func=cmd_recover)

    p = sub.add_parser(
        "units",
        help="list the units and the spellings understood",
        description="List the canonical units and every spelling the importer accepts for them.",
    )
    p.set_defaults(func=cmd_units)


def cmd_new(args: argparse.Namespace) -> int:
    from estimator.outputs import guard_output
    from estimator.sample import new_programme
    from estimator.server.locations import create

    guard_output(args.file, "boq", force_hint="")
    default = args.file.name if is_server(args.file) else args.file.stem
    programme = new_programme(limits.check_text(args.name or default, "name", "--name").strip(), args.currency)
    create(args.file, programme)
    print(f"created {args.file} ({programme.currency})")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from estimator.demo_programmes import network80, newbuild
    from estimator.outputs import guard_output
    from estimator.pricing import price
    from estimator.sample import load_sample
    from estimator.server.locations import create

    guard_output(args.file, "boq", force_hint="")
    build = {"network80": network80, "newbuild": newbuild}.get(args.programme, load_sample)
    programme = build()
    create(args.file, programme, overwrite=args.force)
    estimate = price(programme)
    print(
        f"wrote {args.file}: {len(programme.facilities)} facilities, {programme.item_count()} items, "
        f"grand total {fmt(estimate.grand_total)} {programme.currency}"
    )
    return 0


def _date(text: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if text else dt.date.today()
    except ValueError:
        raise UserError(f"--date {text!r} is not a date; write YYYY-MM-DD") from None


def cmd_fx(args: argparse.Namespace) -> int:
    from estimator.pricing import price
    from estimator.server.locations import open_project

    code = settings.currency(args.code)
    rate = settings.exchange_rate(args.rate, code)
    date = _date(args.date)
    with open_project(args.file) as project:
        if code == project.programme.currency:
            raise UserError(f"{code} is the programme currency; its rate is always 1")
        old = price(project.programme)
        before = old.grand_total
        project.programme.set_fx(code, rate, date)
        new = price(project.programme)
        after = new.grand_total
        limits.no_new_problems(old.problems, new.problems, f"at {rate} {code} per {project.programme.currency}")
        project.save()
        cur = project.programme.currency
    print(f"1 {cur} = {rate} {code} from {date}; grand total {fmt(before)} -> {fmt(after)} {cur}")
    return 0


def cmd_currency(args: argparse.Namespace) -> int:
    from estimator.pricing import price
    from estimator.server.locations import open_project

    new = settings.currency(args.new)
    rate = None if args.rate is None else settings.exchange_rate(args.rate, new)
    date = _date(args.date)
    with open_project(args.file) as project:
        programme = project.programme
        old = programme.currency
        if new == old:
            print(f"{args.file} is already in {new}")
            return 0
        old_estimate = price(programme)
        before = old_estimate.grand_total
        if rate is not None:
            programme.set_fx(new, rate, date)
        programme.rebase(new)
        new_estimate = price(programme)
        after = new_estimate.grand_total
        limits.no_new_problems(old_estimate.problems, new_estimate.problems, f"in {new}")
        project.save()
        rates = ", ".join(f"{e.currency} {settings.shown(e)}" for e in programme.exchange_rates)
    print(f"{args.file}: now in {new} (was {old}); grand total {fmt(before)} {old} -> {fmt(after)} {new}; "
          f"rates per 1 {new}: {rates}")
    return 0


def cmd_markup(args: argparse.Namespace) -> int:
    from estimator.model import Markups
    from estimator.pricing import price
    from estimator.server.locations import open_project

    typed = {name: settings.markup(getattr(args, name), label)  # refused before the file is opened, as `boq fx`
             for name, label in settings.MARKUP_NAMES.items() if getattr(args, name) is not None}
    with open_project(args.file) as project:
        old = project.programme.markups
        before = price(project.programme)
        values = {name: typed.get(name, getattr(old, name)) for name in settings.MARKUP_NAMES}
        m = project.programme.markups = Markups(**values)
        limits.no_new_problems(before.problems, price(project.programme).problems, "with these markups")
        project.save()
        print(f"contingency {m.contingency} %, overheads & profit {m.overheads} %, tax {m.tax} %")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from estimator.imports import previous_import
    from estimator.rates import current_library
    from estimator.server.locations import open_project
    from estimator.worklist import import_worklist

    with open_project(args.file) as project:
        before = previous_import(project.programme, args.worklist)
        if before:
            print(f"boq import: warning: the same work list was imported before ({before}); "
                  "its items are added again (`boq new` or Undo in the window to start over)", file=sys.stderr)
        result = import_worklist(project.programme, args.worklist, current_library().book)
        project.save()
    print(
        f"imported {result.items} items: {result.facilities} new facilities, {result.bills} new bills"
        + (f", {len(result.new_rates)} rates from the library" if result.new_rates else "")
    )
    return 0


def cmd_price(args: argparse.Namespace) -> int:
    from estimator.money import plain
    from estimator.pricing import bidders_markups, kind_totals, price
    from estimator.server.locations import load

    programme = load(args.file)
    estimate = price(programme)
    if args.json:
        data = estimate.to_json(items=args.items)
        # by item kind ("measured", "provisional sum", ...), and the estimate as bidders price it (the
        # lots, plus the tax only if they charge it: no contingency, no overheads)
        data["by_kind"] = {kind or "measured": plain(v) for kind, v in kind_totals(estimate).items()}
        bidders = bidders_markups(programme, estimate.subtotal)
        data["bidders_total"] = plain(estimate.subtotal + sum((m.amount for m in bidders), estimate.subtotal * 0))
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print_estimate(programme, estimate, args.bills)
    for problem in estimate.problems:
        print(f"boq price: {problem}", file=sys.stderr)
    return 1 if estimate.problems else 0


def print_estimate(programme: Programme, estimate: Estimate, bills: bool = False) -> None:
    from decimal import Decimal

    from estimator.model import DAYWORK, FIXED_SUMS
    from estimator.pricing import bidders_markups, kind_totals

    cur = estimate.currency
    width = max([len(f.facility.name) for f in estimate.facilities] + [24])
    print(f"{programme.name}  ({cur})")
    print(f"{'Facility':<{width}}  {'Items':>6}  {'Total':>16}")
    for f in estimate.facilities:
        count = sum(len(b.lines) for b in f.bills)
        print(f"{f.facility.name:<{width}}  {count:>6}  {fmt(f.total):>16}")
        if bills:
            for b in f.bills:
                print(f"  {b.bill.name:<{width - 2}}  {len(b.lines):>6}  {fmt(b.total):>16}")
    print(f"{'Subtotal':<{width}}  {'':>6}  {fmt(estimate.subtotal):>16}")
    by_kind = kind_totals(estimate)
    for label, kinds in (("  of which provisional and PC sums", FIXED_SUMS), ("  of which dayworks", (DAYWORK,))):
        amount = sum((by_kind.get(k, Decimal(0)) for k in kinds), Decimal(0))
        if amount:
            print(f"{label:<{width}}  {'':>6}  {fmt(amount):>16}")
    for m in estimate.markups:
        print(f"{f'{m.name} {m.percent} %':<{width}}  {'':>6}  {fmt(m.amount):>16}")
    print(f"{'Grand total':<{width}}  {'':>6}  {fmt(estimate.grand_total):>16}")
    bidders = bidders_markups(programme, estimate.subtotal)
    if [m.name for m in bidders] != [m.name for m in estimate.markups]:  # what bids are compared with
        comparable = estimate.subtotal + sum((m.amount for m in bidders), Decimal(0))
        label = "Estimate as bidders price it" + (" (with tax)" if bidders else " (no contingency, overheads)")
        print(f"{label:<{width}}  {'':>6}  {fmt(comparable):>16}")


def cmd_recover(args: argparse.Namespace) -> int:
    from estimator.server.locations import open_project

    with open_project(args.file) as project:
        repaired = project.repaired
    print(f"{args.file}: the save that was cut off was undone; the file is as it was before that save"
          if repaired else f"{args.file}: no save was cut off; nothing to repair")
    return 0


def cmd_units(args: argparse.Namespace) -> int:
    from estimator import units

    for canon in units.PINT_EXPR:
        spellings = sorted(a for a, c in units.ALIASES.items() if c == canon)
        print(f"{units.label(canon):<5} {', '.join(spellings)}")
    return 0
