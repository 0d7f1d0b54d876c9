"""`boq baseline` (name an estimate version) and `boq variance` (why the estimate moved)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from estimator.cli.analysis import add_report_options, guard_reports, show_and_write
from estimator.cli.tender import parse_date
from estimator.errors import UserError
from estimator.money import fmt
from estimator.server import location

if TYPE_CHECKING:
    from estimator.model import Programme
    from estimator.store import Project
    from estimator.variance import Cell, Variance


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("baseline", help="freeze the estimate as a named baseline (e.g. for a donor budget)",
                       description="Freeze the estimate as it is as baseline NAME (frozen like a tender revision), "
                                   "or list the baselines with --list. On a server programme a baseline is frozen "
                                   "by an estimator account and appended to the server.")
    p.add_argument("file", type=location)
    p.add_argument("--name", help='the baseline\'s name, e.g. "Budget 2026"')
    p.add_argument("--date", default=None, help="date of the baseline, YYYY-MM-DD (default today)")
    p.add_argument("--list", action="store_true", help="list the baselines")
    p.set_defaults(func=cmd_baseline)

    p = sub.add_parser("variance", help="explain the difference between a baseline and now (or another baseline)",
                       description="The difference per facility and trade between baseline BASE and OTHER (another "
                                   "baseline or tender revision; default: the programme as it is), split into "
                                   "quantity, rate and exchange-rate effects and scope added and omitted; the parts "
                                   "sum exactly to the difference. Totals before markups; markups beside them.")
    p.add_argument("file", type=location)
    p.add_argument("base", metavar="BASE")
    p.add_argument("other", metavar="OTHER", nargs="?")
    p.add_argument("--json", action="store_true", help="print the variance as JSON (amounts as decimal strings)")
    p.add_argument("--xlsx", type=Path, metavar="OUT.xlsx", help="write the variance workbook")
    p.add_argument("--pdf", type=Path, metavar="OUT.pdf", help="write the variance report")
    add_report_options(p)
    p.set_defaults(func=cmd_variance)


def cmd_baseline(args: argparse.Namespace) -> int:
    from estimator import revisions
    from estimator.server.locations import open_file, open_read

    if args.list or not args.name:
        if not args.list:
            raise UserError("name the baseline with --name NAME, or list the baselines with --list")
        with open_read(args.file) as project:
            known = revisions.revisions(project, revisions.BASELINE)
        for r in known:
            print(f"{r.name}  {r.date.isoformat()}  {r.items} items  {fmt(r.total)} {r.currency}")
        if not known:
            print("no baseline yet; `boq baseline FILE --name NAME` freezes one")
        return 0
    with open_file(args.file, "a baseline") as project:
        rev = revisions.issue(project, args.name, parse_date(args.date), kind=revisions.BASELINE)
    print(f"baseline {rev.name!r} of {rev.date.isoformat()}: {rev.items} items, estimate {fmt(rev.total)} {rev.currency}")
    return 0


def _state(project: Project, name: str) -> Programme:
    """A baseline called `name`, else a tender revision called `name`."""
    from estimator import revisions

    try:
        return revisions.load(project, name, revisions.BASELINE)
    except revisions.RevisionError as baseline_error:
        try:
            return revisions.load(project, name, revisions.TENDER)
        except revisions.RevisionError:
            raise baseline_error from None


def cmd_variance(args: argparse.Namespace) -> int:
    from estimator.server.locations import open_read
    from estimator.variance import variance

    guard_reports(args)
    with open_read(args.file) as project:
        base = _state(project, args.base)
        other = _state(project, args.other) if args.other else project.programme
    result = variance(base, other, args.base, args.other or "now")

    def xlsx(path: Path) -> str | None:
        from estimator.revision_reports import write_variance_xlsx

        write_variance_xlsx(result, path)
        return None

    def pdf(path: Path) -> str | None:
        from estimator.revision_reports import write_variance_pdf

        write_variance_pdf(result, path)
        return None

    show_and_write(args, result.to_json, lambda: print_variance(result), [(args.xlsx, xlsx), (args.pdf, pdf)])
    return 0


HEADERS = ("Base", "Other", "Difference", "Quantity", "Rate", "Exch. rate", "Added", "Omitted")


def _figures(c: Cell) -> list[str]:
    return [fmt(v) for v in (c.base, c.other, c.difference, c.quantity, c.rate, c.fx, c.added, c.omitted)]


def print_variance(v: Variance) -> None:
    print(f"Variance from {v.base_name!r} to {v.other_name!r} ({v.currency}, totals before markups)")
    print("difference = quantity + rate + exchange-rate effects + scope added + scope omitted, to the cent")
    width = max([len(c.facility) for c in v.cells] + [len(c.trade) + 3 for c in v.cells] + [24])
    print(f"{'Facility / trade':<{width}}" + "".join(f"{h:>15}" for h in HEADERS))
    for facility in v.by_facility():
        print(f"{facility.facility:<{width}}" + "".join(f"{f:>15}" for f in _figures(facility)))
        for c in v.cells:
            if c.facility_uid == facility.facility_uid:
                print(f"{'   ' + c.trade:<{width}}" + "".join(f"{f:>15}" for f in _figures(c)))
    print(f"{'Total':<{width}}" + "".join(f"{f:>15}" for f in _figures(v.total())))
    print(f"Markups {fmt(v.markups_base)} -> {fmt(v.markups_other)}; grand total {fmt(v.base.grand_total)} -> "
          f"{fmt(v.other.grand_total)} ({fmt(v.other.grand_total - v.base.grand_total)})")
