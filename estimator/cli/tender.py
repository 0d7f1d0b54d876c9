"""`boq tender issue|list|diff`: issued tenders are frozen revisions; addenda say what changed."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from estimator.cli.analysis import add_report_options, emit_json, guard_reports, show_and_write
from estimator.errors import UserError
from estimator.money import fmt
from estimator.server import location

if TYPE_CHECKING:
    from estimator.revision_diff import Diff


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    tender = sub.add_parser("tender", help="issue tender revisions, list them, and show what changed (addenda)",
                            description="An issued tender revision is frozen inside the .boq file, or on the server "
                                        "for a server programme (FILE given as postgresql://.../db#NAME; issued by a "
                                        "procurement account): `boq export FILE --revision NAME` reproduces its "
                                        "documents and `boq bids` evaluates each bid against the revision it was "
                                        "issued from.")
    commands = tender.add_subparsers(dest="tender_command", metavar="COMMAND", required=True)

    p = commands.add_parser("issue", help="freeze the programme as it is as a named tender revision",
                            description="Freeze everything the tender documents are made from (lots, bills, items, "
                                        "quantities, units, descriptions, rates, settings) as revision NAME. An issued "
                                        "revision never changes; a name is issued once. On a server programme it is "
                                        "appended to the server (the programme itself is not changed); if someone "
                                        "issued the same name meanwhile, nothing is written and you are told who.")
    p.add_argument("file", type=location)
    p.add_argument("--name", required=True, help='the revision\'s name, e.g. "Rev 0"')
    p.add_argument("--date", default=None, help="date of issue, YYYY-MM-DD (default today)")
    p.set_defaults(func=cmd_issue)

    p = commands.add_parser("list", help="list the issued tender revisions",
                            description="List the issued tender revisions: date, items, estimate total, fingerprint.")
    p.add_argument("file", type=location)
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(func=cmd_list)

    p = commands.add_parser("diff", help="what changed between two revisions (an addendum)",
                            description="List what changed from revision REV_A to REV_B item by item (added, "
                                        "omitted, quantity, unit, description, lot moved) and the effect on the "
                                        "estimate per lot. --pdf writes the bilingual addendum (the changes and the "
                                        "replacement BoQ pages of the bills that changed).")
    p.add_argument("file", type=location)
    p.add_argument("rev_a", metavar="REV_A")
    p.add_argument("rev_b", metavar="REV_B")
    p.add_argument("--pdf", type=Path, metavar="OUT.pdf", help="write the addendum (English and Arabic)")
    p.add_argument("--xlsx", type=Path, metavar="OUT.xlsx", help="write the changes and lot effects as a workbook")
    p.add_argument("--json", action="store_true", help="print the changes as JSON (amounts as decimal strings)")
    add_report_options(p)
    p.set_defaults(func=cmd_diff)


def parse_date(text: str | None, option: str = "--date") -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"{option} {text!r}: write the date as YYYY-MM-DD, e.g. 2026-11-01") from None


def cmd_issue(args: argparse.Namespace) -> int:
    from estimator import revisions
    from estimator.server.locations import open_file

    date = parse_date(args.date)
    with open_file(args.file, "a tender revision") as project:
        rev = revisions.issue(project, args.name, date)
    print(f"issued tender revision {rev.name!r} of {rev.date.isoformat()}: {rev.items} items, estimate "
          f"{fmt(rev.total)} {rev.currency}, fingerprint {rev.fingerprint[:16]}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from estimator import revisions
    from estimator.server.locations import open_read

    with open_read(args.file) as project:
        known = revisions.revisions(project)
        current = revisions.matching(project)
    if args.json:
        emit_json({"revisions": [r.to_json() for r in known], "working_state": current.name if current else "draft"})
        return 0
    if not known:
        print("no tender revision issued yet; `boq tender issue FILE --name \"Rev 0\"` issues one")
        return 0
    width = max(len(r.name) for r in known) + 2
    print(f"{'Revision':<{width}}  {'Date':<10}  {'Items':>7}  {'Estimate total':>18}  Fingerprint")
    for r in known:
        print(f"{r.name:<{width}}  {r.date.isoformat():<10}  {r.items:>7}  {fmt(r.total):>14} {r.currency}  "
              f"{r.fingerprint[:16]}")
    state = f"identical to {current.name!r}" if current else f"changed since {known[-1].name!r} (draft)"
    print(f"working state: {state}")
    return 0


def load_diff(path: Path, rev_a: str, rev_b: str) -> tuple[Diff, int]:
    """The diff of two revisions and the addendum's number (B's position after A)."""
    from estimator import revisions
    from estimator.revision_diff import diff
    from estimator.server.locations import open_read

    with open_read(path) as project:
        a, b = revisions.find(project, rev_a), revisions.find(project, rev_b)
        if b.seq == a.seq:
            raise UserError(f"name two different revisions (both are {a.name!r})")
        if b.seq < a.seq:
            raise UserError(f"{b.name!r} was issued before {a.name!r}: name the earlier revision first")
        number = len([r for r in revisions.revisions(project) if a.seq < r.seq <= b.seq])
        return diff(revisions.programme_of(project, a), revisions.programme_of(project, b)), number


def cmd_diff(args: argparse.Namespace) -> int:
    guard_reports(args)
    result, number = load_diff(args.file, args.rev_a, args.rev_b)

    def xlsx(path: Path) -> str | None:
        from estimator.revision_reports import write_diff_xlsx

        write_diff_xlsx(result, path)
        return None

    def pdf(path: Path) -> str | None:
        from estimator.export.pdf.addendum import write_addendum

        write_addendum(result, number, path)
        return f" (addendum no. {number})"

    show_and_write(args, result.to_json, lambda: print_diff(result), [(args.xlsx, xlsx), (args.pdf, pdf)])
    return 0


def print_diff(d: Diff) -> None:
    a, b = d.before, d.after
    print(f"{b.name}: tender {b.reference or '-'}, from revision {a.revision} ({a.issue_date.isoformat()}) to "
          f"{b.revision} ({b.issue_date.isoformat()}), {b.currency}")
    print(f"\nChanges: {len(d.changes)}")
    for c in d.changes:
        was = f"{c.old} -> {c.new}" if c.old and c.new else c.old or c.new
        print(f"  {c.kind:<12} {c.lot} / {c.bill} / {c.ref or '-'}  {c.description[:60]}: {was}")
    width = max([len(lot.name) for lot in d.lots] + [10])
    print(f"\nEffect on the estimate per lot ({b.currency})")
    print(f"  {'Lot':<{width}}  {a.revision:>16}  {b.revision:>16}  {'Difference':>16}")
    for lot in d.lots:
        print(f"  {lot.name:<{width}}  {fmt(lot.before):>16}  {fmt(lot.after):>16}  {fmt(lot.difference):>16}")
    ga, gb = d.estimate_before.grand_total, d.estimate_after.grand_total
    print(f"  {'Grand total':<{width}}  {fmt(ga):>16}  {fmt(gb):>16}  {fmt(gb - ga):>16}")
