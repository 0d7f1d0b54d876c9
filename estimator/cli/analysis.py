"""`boq compare` (facilities side by side) and `boq bids` (evaluate returned bids)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from estimator.money import fmt, to_decimal
from estimator.server import location

if TYPE_CHECKING:
    from estimator.analysis.bids import Evaluation
    from estimator.analysis.compare import Comparison


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("compare", help="compare facilities: totals, trades, cost per m² and per bed, outliers",
                       description="Compare the facilities of a programme: total, per-trade totals, cost per m² of "
                                   "floor and per bed, medians by governorate and facility type, and outliers (a "
                                   "trade's cost per m² far from the median of its facility type), each with the "
                                   "reason. Totals are before programme markups.")
    p.add_argument("file", type=location)
    p.add_argument("--json", action="store_true", help="print the comparison as JSON (amounts as decimal strings)")
    p.add_argument("--xlsx", type=Path, metavar="OUT.xlsx", help="write the report workbook with Excel charts")
    p.add_argument("--pdf", type=Path, metavar="OUT.pdf", help="write the PDF report with charts")
    p.add_argument("--high", default="2", metavar="X", help="flag a cost per m² above X times the median (default 2)")
    p.add_argument("--low", default="0.5", metavar="X", help="flag a cost per m² below X times the median (default 0.5)")
    p.add_argument("--min-peers", type=int, default=3, metavar="N",
                   help="judge a facility type only with at least N facilities having the figure (default 3)")
    p.add_argument("--force", action="store_true",
                   help="replace an output file of another kind (never the programme itself)")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("bids", help="evaluate returned bids against the engineer's estimate",
                       description="Read the priced copies of the tender workbook (`boq export FILE --xlsx OUT "
                                   "--unpriced`) that bidders returned, match items by their identity, list every "
                                   "anomaly (missing rates, changed quantities, units or descriptions, deleted or added "
                                   "rows, arithmetic errors, replaced or broken formulas, hidden or disguised content, "
                                   "formulas reaching outside the workbook), correct the totals (the "
                                   "engineer's quantities x the bidder's unit rates; the unit rate prevails) and rank "
                                   "the bids. Each workbook is evaluated against the tender revision it was issued "
                                   "from (found by its fingerprint; `boq tender issue`), a bid on a superseded "
                                   "revision is flagged; a workbook of no issued revision (or from another tender) "
                                   "is refused (exit status 1). With bids on several revisions, --json gives "
                                   "{evaluations, refused} and --report writes one workbook per revision.")
    p.add_argument("file", type=location)
    p.add_argument("bids", type=Path, nargs="+", metavar="BID.xlsx")
    p.add_argument("--report", type=Path, metavar="OUT.xlsx", help="write the evaluation workbook here")
    p.add_argument("--json", action="store_true", help="print the evaluation as JSON (amounts as decimal strings)")
    p.add_argument("--threshold", default="30", metavar="PCT",
                   help="flag bid rates more than PCT %% below or above the engineer's rate (default 30)")
    p.add_argument("--all", action="store_true", help="list every anomaly (default: the first 30 per bid)")
    p.add_argument("--force", action="store_true",
                   help="replace a --report file of another kind (never the programme or a bid)")
    p.set_defaults(func=cmd_bids)


def emit_json(data: dict[str, Any]) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    print()


def add_report_options(p: argparse.ArgumentParser) -> None:
    """--force for commands with --xlsx/--pdf reports (the output guard's override)."""
    p.add_argument("--force", action="store_true",
                   help="replace an output file of another kind (never the programme or another input)")


def guard_reports(args: argparse.Namespace) -> None:
    """Refuse --xlsx/--pdf outputs that would destroy an input (estimator.outputs), before anything is read."""
    from estimator.outputs import guard_outputs

    guard_outputs([(args.xlsx, "xlsx"), (args.pdf, "pdf")], inputs=[args.file], force=args.force)


def show_and_write(args: argparse.Namespace, data: Callable[[], dict[str, Any]], show: Callable[[], None],
                   writers: Sequence[tuple[Path | None, Callable[[Path], str | None]]]) -> None:
    """JSON (stdout is JSON only; notes go to stderr) or the text, then each report asked for (a writer
    may return words to add to its "wrote" line)."""
    notes = sys.stderr if args.json else sys.stdout
    if args.json:
        emit_json(data())
    else:
        show()
    for path, write in writers:
        if path is not None:
            print(f"wrote {path}{write(path) or ''}", file=notes)


def cmd_compare(args: argparse.Namespace) -> int:
    from estimator.analysis.compare import Thresholds, compare
    from estimator.server.locations import load

    thresholds = Thresholds(to_decimal(args.high, "--high"), to_decimal(args.low, "--low"), args.min_peers)
    guard_reports(args)
    comparison = compare(load(args.file), thresholds=thresholds)

    def xlsx(path: Path) -> str | None:
        from estimator.analysis.report_xlsx import write_comparison_xlsx

        write_comparison_xlsx(comparison, path)
        return None

    def pdf(path: Path) -> str | None:
        from estimator.analysis.report_pdf import write_comparison_pdf

        write_comparison_pdf(comparison, path)
        return None

    show_and_write(args, comparison.to_json, lambda: print_comparison(comparison), [(args.xlsx, xlsx), (args.pdf, pdf)])
    for problem in comparison.problems:
        print(f"boq compare: unpriced item: {problem}", file=sys.stderr)
    return 0


def print_comparison(c: Comparison) -> None:
    from estimator.analysis.compare import ALL_TRADES

    cur = c.currency
    width = max([len(f.name) for f in c.facilities] + [len(g.name) for g in c.by_type + c.by_governorate] + [20])
    print(f"{c.programme}  ({cur}, facility totals before markups)")
    print(f"{'Facility':<{width}}  {'Type':<30} {'Governorate':<12} {'Total':>16} {'per m²':>12} {'per bed':>12}")
    for f in c.facilities:
        print(f"{f.name:<{width}}  {f.facility_type[:30]:<30} {f.governorate[:12]:<12} {fmt(f.total):>16} "
              f"{fmt(f.per_m2):>12} {fmt(f.per_bed):>12}")
    for title, groups in (("By facility type", c.by_type), ("By governorate", c.by_governorate)):
        print(f"\n{title}")
        print(f"{'':<{width}}  {'Facilities':>10} {'Total':>18} {'Median total':>16} {'Median per m²':>14} "
              f"{'Median per bed':>14}")
        for g in groups:
            print(f"{g.name:<{width}}  {len(g.facilities):>10} {fmt(g.total):>18} {fmt(g.median_total):>16} "
                  f"{fmt(g.median_per_m2):>14} {fmt(g.median_per_bed):>14}")
    print(f"\nOutliers: {len(c.outliers)}")
    for o in c.outliers:
        trade = "" if o.trade == ALL_TRADES else f" [{o.trade}]"
        print(f"  {o.facility}{trade}: {'HIGH' if o.high else 'LOW'}: {o.reason}")


def cmd_bids(args: argparse.Namespace) -> int:
    from estimator.analysis.bidrevisions import evaluate_revisions
    from estimator.outputs import guard_output, guard_outputs
    from estimator.server.locations import open_read

    threshold = to_decimal(args.threshold, "--threshold")
    guard_outputs([(args.report, "xlsx")], inputs=[args.file, *args.bids], force=args.force)
    with open_read(args.file) as project:  # each bid against the revision it was issued from
        outcome = evaluate_revisions(project, args.bids, threshold)
    groups = outcome.groups
    if args.json:
        emit_json(groups[0].to_json() if len(groups) == 1 else outcome.to_json())
    for group in groups:
        if not args.json:
            if group.revision is not None:
                print(f"Bids on {group.label()}:")
            print_bids(group.evaluation, None if args.all else 30)
            print()
        if args.report:
            from estimator.analysis.bids_xlsx import write_bids_xlsx

            report = args.report if len(groups) == 1 or group.revision is None else \
                args.report.with_name(f"{args.report.stem} ({group.revision.name}){args.report.suffix}")
            guard_output(report, "xlsx", [args.file, *args.bids], args.force)
            write_bids_xlsx(group.evaluation, report)
            print(f"wrote {report}", file=sys.stderr if args.json else sys.stdout)
    shown = {r.reason for g in groups for r in g.evaluation.refused}
    if not args.json and len(outcome.refused) > len(shown):
        print(f"Refused: {len(outcome.refused) - len(shown)} (of no revision of this programme)")
    for refused in outcome.refused:
        print(f"boq bids: {refused.reason}", file=sys.stderr)
    return 1 if outcome.refused else 0


def print_bids(ev: Evaluation, limit: int | None) -> None:
    from estimator.analysis.bids import percent

    cur = ev.currency
    print(f"{ev.programme}  (tender {ev.reference or '-'}, {cur})")
    print(f"Engineer's estimate {fmt(ev.engineer_total)} {cur}; bid rates flagged beyond ±{ev.threshold} %")
    width = max([len(b.bidder) for b in ev.bids] + [6])
    print(f"{'Rank':>4}  {'Bidder':<{width}}  {'Stated total':>16}  {'Corrected total':>16}  {'vs estimate':>11}  "
          f"{'Unpriced':>8}  {'Low':>4}  {'High':>4}  Anomalies")
    for b in ev.bids:
        diff = f"{percent((b.corrected_total - ev.engineer_total) / ev.engineer_total * 100)} %" if ev.engineer_total else ""
        print(f"{b.rank:>4}  {b.bidder:<{width}}  {fmt(b.stated_total):>16}  {fmt(b.corrected_total):>16}  {diff:>11}  "
              f"{b.missing:>8}  {b.low:>4}  {b.high:>4}  {len(b.anomalies)}")
    for b in ev.bids:
        if not b.anomalies:
            continue
        counts = ", ".join(f"{n} {kind}" for kind, n in b.counts().items())
        print(f"\n{b.bidder} ({b.file}): {counts}")
        shown = b.anomalies if limit is None else b.anomalies[:limit]
        for a in shown:
            print(f"  {a.where + ': ' if a.where else ''}{a.message}")
        if len(shown) < len(b.anomalies):
            print(f"  ... and {len(b.anomalies) - len(shown)} more (--all, --report or --json list them all)")
    if ev.refused:
        print(f"\nRefused: {len(ev.refused)}")
        for r in ev.refused:
            print(f"  {r.reason}")
