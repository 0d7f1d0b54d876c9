"""`boq compare` (facilities side by side) and `boq bids` (evaluate returned bids)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from estimator.analysis.compare import ALL_TRADES, Comparison, Thresholds, compare
from estimator.money import fmt, to_decimal
from estimator.store import load


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("compare", help="compare facilities: totals, trades, cost per m² and per bed, outliers",
                       description="Compare the facilities of a programme: total, per-trade totals, cost per m² of "
                                   "floor and per bed, medians by governorate and facility type, and outliers (a "
                                   "trade's cost per m² far from the median of its facility type), each with the "
                                   "reason. Totals are before programme markups.")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="print the comparison as JSON (amounts as decimal strings)")
    p.add_argument("--xlsx", type=Path, metavar="OUT.xlsx", help="write the report workbook with Excel charts")
    p.add_argument("--pdf", type=Path, metavar="OUT.pdf", help="write the PDF report with charts")
    p.add_argument("--high", default="2", metavar="X", help="flag a cost per m² above X times the median (default 2)")
    p.add_argument("--low", default="0.5", metavar="X", help="flag a cost per m² below X times the median (default 0.5)")
    p.add_argument("--min-peers", type=int, default=3, metavar="N",
                   help="judge a facility type only with at least N facilities having the figure (default 3)")
    p.set_defaults(func=cmd_compare)


def emit_json(data: dict[str, Any]) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    print()


def cmd_compare(args: argparse.Namespace) -> int:
    thresholds = Thresholds(to_decimal(args.high, "--high"), to_decimal(args.low, "--low"), args.min_peers)
    programme = load(args.file)
    comparison = compare(programme, thresholds=thresholds)
    if args.json:
        emit_json(comparison.to_json())
    else:
        print_comparison(comparison)
    # with --json, stdout is JSON only; notes go to stderr
    notes = sys.stderr if args.json else sys.stdout
    if args.xlsx:
        from estimator.analysis.report_xlsx import write_comparison_xlsx

        write_comparison_xlsx(comparison, args.xlsx)
        print(f"wrote {args.xlsx}", file=notes)
    if args.pdf:
        from estimator.analysis.report_pdf import write_comparison_pdf

        write_comparison_pdf(comparison, args.pdf)
        print(f"wrote {args.pdf}", file=notes)
    for problem in comparison.problems:
        print(f"boq compare: unpriced item: {problem}", file=sys.stderr)
    return 0


def print_comparison(c: Comparison) -> None:
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
