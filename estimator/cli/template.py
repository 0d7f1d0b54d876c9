"""Facility templates: `boq template list|show|apply`."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from estimator.errors import UserError, ValidationFailed
from estimator.money import fmt, per_unit
from estimator.server import location

if TYPE_CHECKING:
    from estimator.facility_templates import Template, TemplateSet


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    top = sub.add_parser(
        "template",
        help="facility templates: parametric work lists for a kind of facility",
        description="Facility templates (rates/templates/*.toml): work lists whose quantities are "
        "expressions of a facility's parameters (floor area, chairs, storeys, damage level, ...).",
    )
    tsub = top.add_subparsers(dest="template_command", metavar="ACTION", required=True)

    p = tsub.add_parser("list", help="list the templates", description="List the facility templates with their parameters.")
    p.set_defaults(func=cmd_list)

    p = tsub.add_parser(
        "show",
        help="show a template's parameters and priced work list",
        description="Show a template's parameters, its cost-per-m² benchmark and the work list it gives "
        "for the parameters (defaults unless --param), priced at the library's rates in USD.",
    )
    p.add_argument("name")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="a parameter, e.g. area=600")
    p.set_defaults(func=cmd_show)

    p = tsub.add_parser(
        "apply",
        help="add a priced facility built from a template",
        description="Add a facility to FILE built from a template: its type, floor area and beds come "
        "from the parameters, its bills and items from the template, its rates from the library.",
    )
    p.add_argument("file", type=location)
    p.add_argument("--facility", required=True, help="name of the new facility")
    p.add_argument("--template", required=True, help="template name (`boq template list`)")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="a parameter, e.g. --param area=600 --param chairs=10 --param damage=heavy (others: defaults)")
    p.add_argument("--governorate", default="", help="e.g. Idlib, Aleppo, Hama, Homs")
    p.add_argument("--district", default="")
    p.add_argument("--name-ar", default="", help="the facility's name in Arabic documents")
    p.set_defaults(func=cmd_apply)


def parse_params(pairs: list[str]) -> dict[str, str]:
    given: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise UserError(f"--param {pair!r}: write NAME=VALUE, e.g. --param area=600")
        given[name.strip()] = value.strip()
    return given


def templates() -> TemplateSet:
    """The bundled templates; refused while any has a problem (`boq rates check` lists them)."""
    from estimator.facility_templates import load_templates
    from estimator.rates import current_library

    found = load_templates(book=current_library().book)
    if found.problems:
        raise ValidationFailed("facility templates", found.problems)
    return found


def describe_parameters(t: Template) -> list[str]:
    rows = []
    for p in t.parameters:
        if p.choices:
            rows.append(f"  {p.name:<14} {p.label}: {' | '.join(p.choices)} (default {p.text(p.default)})")
        else:
            bounds = f", {p.minimum} to {p.maximum}" if p.minimum is not None or p.maximum is not None else ""
            rows.append(f"  {p.name:<14} {p.label} (default {p.text(p.default)}{bounds})")
    return rows


def cmd_list(args: argparse.Namespace) -> int:
    for t in templates().templates.values():
        print(f"{t.name:<22} {t.title}  [{t.facility_type}; {t.item_count()} items]")
        print(f"{'':<22} parameters: {', '.join(p.name for p in t.parameters)}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from estimator.rates import current_library
    from estimator.sample import new_programme
    from estimator.template_build import build_facility, preview
    from estimator.units import label

    t = templates().get(args.name)
    lib = current_library()
    built = build_facility(t, parse_params(args.param), lib.book, t.title)
    programme = new_programme("preview")
    total = preview(programme, built.facility, lib.book)
    print(f"{t.name}: {t.title}" + (f"  ({t.title_ar})" if t.title_ar else ""))
    if t.description:
        print(t.description)
    print(f"facility type: {t.facility_type}; file: rates/templates/{t.source}")
    print("parameters:")
    print("\n".join(describe_parameters(t)))
    print(f"with {', '.join(f'{k}={v}' for k, v in built.parameters.items())}:")
    for bt in total.bills:
        print(f"  {bt.bill.name}")
        for ln in bt.lines:
            print(f"    {ln.item.rate_code:<8} {fmt(ln.quantity):>12} {label(ln.unit):<5} {fmt(ln.amount):>14}  "
                  f"{ln.item.description[:70]}")
        print(f"    {'bill total':<27} {fmt(bt.total):>14}")
    print(f"total {fmt(total.total)} USD" + _per_m2(t, built.facility.floor_area, total.total, built.values))
    return 0


def _per_m2(t: Template, area: Decimal | None, total: Decimal, values: Mapping[str, Decimal], currency: str = "USD") -> str:
    from estimator.facility_templates import BENCHMARKS

    if area is None or area <= 0:
        return ""
    bench = t.benchmark(values)
    low, high = BENCHMARKS[bench]
    return (f"; floor area {fmt(area)} m², {fmt(per_unit(total, area))} {currency} per m² "
            f"(benchmark '{bench}': {fmt(low, 0)}-{fmt(high, 0)} USD per m²)")


def cmd_apply(args: argparse.Namespace) -> int:
    from estimator import edits
    from estimator.rates import current_library
    from estimator.server.locations import open_project
    from estimator.template_build import build_facility, preview

    t = templates().get(args.template)
    lib = current_library()
    with open_project(args.file) as project:
        programme = project.programme
        if any(f.name == args.facility.strip() for f in programme.facilities):
            raise UserError(f"{args.file} already has a facility called {args.facility!r}; choose another name")
        built = build_facility(t, parse_params(args.param), lib.book, args.facility, args.governorate, args.district,
                               args.name_ar)
        total = preview(programme, built.facility, lib.book)
        edits.add_facility(programme, lib.book, built.facility).apply(programme)
        project.save()
    print(f"added {built.facility.name} ({t.facility_type}) to {args.file}: {len(built.facility.items())} items in "
          f"{len(built.facility.bills)} bills, total {fmt(total.total)} {programme.currency}"
          + _per_m2(t, built.facility.floor_area, total.total, built.values, programme.currency))
    return 0
