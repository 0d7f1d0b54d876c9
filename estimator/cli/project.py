"""Commands on a programme file: new, demo, fx, markup, import, price, units."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from estimator import units
from estimator.demo_programmes import PROGRAMMES, network80, newbuild
from estimator.errors import UserError
from estimator.model import Programme
from estimator.money import fmt, normalize_currency, to_decimal
from estimator.pricing import Estimate, price
from estimator.rates import current_library
from estimator.sample import load_sample, new_programme
from estimator.store import Project, load
from estimator.worklist import import_worklist


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "new",
        help="create an empty programme file",
        description="Create an empty programme file with the rate library's default exchange rates.",
    )
    p.add_argument("file", type=Path, help="the .boq file to create (must not exist)")
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
    p.add_argument("file", type=Path, help="the .boq file to create")
    p.add_argument("--programme", choices=PROGRAMMES, default="rehabilitation", help="which sample (default rehabilitation)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "fx", help="set an exchange rate", description="Set RATE units of CODE per one unit of the programme currency, dated."
    )
    p.add_argument("file", type=Path)
    p.add_argument("code", help="currency code, e.g. TRY")
    p.add_argument("rate", help="units of CODE per one programme-currency unit, e.g. 42.35")
    p.add_argument("--date", default=None, help="date of the rate, YYYY-MM-DD (default today)")
    p.set_defaults(func=cmd_fx)

    p = sub.add_parser(
        "markup", help="set summary markups", description="Set the percentages added to the subtotal on the General Summary."
    )
    p.add_argument("file", type=Path)
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
    p.add_argument("file", type=Path)
    p.add_argument("worklist", type=Path)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "price",
        help="price a programme",
        description="Price every item (printed quantity x printed rate, rounded half-up to the cent) "
        "and print facility totals, markups and the grand total.",
    )
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="print the totals as JSON (amounts as decimal strings)")
    p.add_argument("--bills", action="store_true", help="also list each facility's bill totals")
    p.set_defaults(func=cmd_price)

    p = sub.add_parser(
        "units",
        help="list the units and the spellings understood",
        description="List the canonical units and every spelling the importer accepts for them.",
    )
    p.set_defaults(func=cmd_units)


def cmd_new(args: argparse.Namespace) -> int:
    programme = new_programme(args.name or args.file.stem, args.currency)
    Project.create(args.file, programme).close()
    print(f"created {args.file} ({programme.currency})")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    build = {"network80": network80, "newbuild": newbuild}.get(args.programme, load_sample)
    programme = build()
    Project.create(args.file, programme, overwrite=args.force).close()
    estimate = price(programme)
    print(
        f"wrote {args.file}: {len(programme.facilities)} facilities, {programme.item_count()} items, "
        f"grand total {fmt(estimate.grand_total)} {programme.currency}"
    )
    return 0


def cmd_fx(args: argparse.Namespace) -> int:
    code = normalize_currency(args.code)
    rate = to_decimal(args.rate, "exchange rate")
    if rate <= 0:
        raise UserError(f"exchange rate {args.rate} must be greater than zero")
    try:
        date = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    except ValueError:
        raise UserError(f"--date {args.date!r} is not a date; write YYYY-MM-DD") from None
    with Project.open(args.file) as project:
        if code == project.programme.currency:
            raise UserError(f"{code} is the programme currency; its rate is always 1")
        before = price(project.programme).grand_total
        project.programme.set_fx(code, rate, date)
        project.save()
        after = price(project.programme).grand_total
        cur = project.programme.currency
    print(f"1 {cur} = {rate} {code} from {date}; grand total {fmt(before)} -> {fmt(after)} {cur}")
    return 0


def cmd_markup(args: argparse.Namespace) -> int:
    with Project.open(args.file) as project:
        m = project.programme.markups
        for name in ("contingency", "overheads", "tax"):
            text = getattr(args, name)
            if text is not None:
                value = to_decimal(text, f"--{name}")
                if not 0 <= value <= 100:
                    raise UserError(f"--{name} {text}: a percentage between 0 and 100")
                setattr(m, name, value)
        project.save()
        print(f"contingency {m.contingency} %, overheads & profit {m.overheads} %, tax {m.tax} %")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    with Project.open(args.file) as project:
        result = import_worklist(project.programme, args.worklist, current_library().book)
        project.save()
    print(
        f"imported {result.items} items: {result.facilities} new facilities, {result.bills} new bills"
        + (f", {len(result.new_rates)} rates from the library" if result.new_rates else "")
    )
    return 0


def cmd_price(args: argparse.Namespace) -> int:
    programme = load(args.file)
    estimate = price(programme)
    if args.json:
        json.dump(estimate.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print_estimate(programme, estimate, args.bills)
    for problem in estimate.problems:
        print(f"boq price: {problem}", file=sys.stderr)
    return 1 if estimate.problems else 0


def print_estimate(programme: Programme, estimate: Estimate, bills: bool = False) -> None:
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
    for m in estimate.markups:
        print(f"{f'{m.name} {m.percent} %':<{width}}  {'':>6}  {fmt(m.amount):>16}")
    print(f"{'Grand total':<{width}}  {'':>6}  {fmt(estimate.grand_total):>16}")


def cmd_units(args: argparse.Namespace) -> int:
    for canon in units.PINT_EXPR:
        spellings = sorted(a for a, c in units.ALIASES.items() if c == canon)
        print(f"{units.label(canon):<5} {', '.join(spellings)}")
    return 0
