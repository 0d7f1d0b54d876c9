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
    from estimator.analysis.bidrevisions import RevisionEvaluation
    from estimator.analysis.compare import Comparison
    from estimator.analysis.lots import CBA


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

    p = sub.add_parser("bids", help="evaluate returned bids per lot: the comparative bid analysis (CBA)",
                       description="Read the priced copies of the tender workbook (`boq export FILE --xlsx OUT "
                                   "--unpriced`) that bidders returned, list every anomaly (missing rates, changed "
                                   "quantities, units or descriptions, deleted or added rows, arithmetic errors, "
                                   "replaced or broken formulas, altered provisional sums, hidden or disguised content), "
                                   "and evaluate per lot: a bidder is known by the company name in its workbooks' "
                                   "bidder block (several workbooks of one bidder are one bid); per lot it did not bid, "
                                   "is non-compliant (rates missing, under the programme's rule: reject, or price at "
                                   "the highest other bid) or compliant; corrected lot totals (the engineer's "
                                   "quantities x the bidder's unit rates, rounded per line; the unit rate prevails; "
                                   "without the employer's contingency and overheads, compared with the engineer's "
                                   "estimate of the lot on the same basis), the ranking per lot, abnormal rates and "
                                   "abnormally low bids, and the recommendation: per lot the lowest compliant bid, or "
                                   "with a maximum number of lots per bidder the cheapest allowed combination. "
                                   "--evaluation adds the committee's opening record and compliance checks: a bidder "
                                   "who fails is listed with the reason and not ranked. Each workbook is evaluated "
                                   "against the tender revision it was issued from (its fingerprint); a workbook of "
                                   "no issued revision (or from another tender) is refused (exit status 1).")
    p.add_argument("file", type=location)
    p.add_argument("bids", type=Path, nargs="+", metavar="BID.xlsx")
    p.add_argument("--evaluation", type=Path, metavar="EVAL.csv",
                   help="the opening record and compliance checks, one row per bidder: bidder, received, "
                        "security_amount, security_valid, administrative(_note), technical(_note), qualification(_note)")
    p.add_argument("--report", "--xlsx", dest="xlsx", type=Path, metavar="OUT.xlsx",
                   help="write the comparative bid analysis workbook here")
    p.add_argument("--pdf", type=Path, metavar="OUT.pdf", help="write the comparative bid analysis PDF here")
    p.add_argument("--lang", choices=("en", "ar", "both"), default="en", help="language of --report and --pdf (default en)")
    p.add_argument("--committee", action="append", default=[], metavar="\"NAME, ROLE\"",
                   help="a member of the evaluation committee for the signature block (repeat; without it the "
                        "block has blank lines)")
    p.add_argument("--json", action="store_true", help="print the analysis as JSON (amounts as decimal strings)")
    p.add_argument("--threshold", default="30", metavar="PCT",
                   help="flag bid rates more than PCT %% below or above the engineer's rate (default 30)")
    p.add_argument("--all", action="store_true", help="list every anomaly (default: the first 30 per bid)")
    add_report_options(p)
    p.set_defaults(func=cmd_bids)


def emit_json(data: dict[str, Any]) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    print()


def add_report_options(p: argparse.ArgumentParser) -> None:
    """--force for commands with --xlsx/--pdf reports (the output guard's override)."""
    p.add_argument("--force", action="store_true",
                   help="replace an output file of another kind (never the programme or another input)")


def guard_reports(args: argparse.Namespace, inputs: Sequence[Path | None] = ()) -> None:
    """Refuse --xlsx/--pdf outputs that would destroy an input (the programme and `inputs`; estimator.outputs),
    before anything is read."""
    from estimator.outputs import guard_outputs

    guard_outputs([(args.xlsx, "xlsx"), (args.pdf, "pdf")], inputs=[args.file, *(p for p in inputs if p is not None)],
                  force=args.force)


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
    from estimator.analysis.evalfile import read_evaluation
    from estimator.server.locations import open_read

    threshold = to_decimal(args.threshold, "--threshold")
    committee = [_member(text) for text in args.committee]
    guard_reports(args, [*args.bids, args.evaluation])
    records = read_evaluation(args.evaluation) if args.evaluation is not None else None
    with open_read(args.file) as project:  # each bid against the revision it was issued from
        outcome = evaluate_revisions(project, args.bids, threshold, records=records, committee=committee)
    groups = outcome.groups
    if args.json and len(groups) != 1:
        emit_json(outcome.to_json())
    for group in groups:
        _bids_group(args, group, several=len(groups) > 1)
    for refused in outcome.refused:
        print(f"boq bids: {refused.reason}", file=sys.stderr)
    return 1 if outcome.refused else 0


def _bids_group(args: argparse.Namespace, group: RevisionEvaluation, several: bool) -> None:
    """The text (or the JSON of the only revision) and the reports of the bids on one revision; with bids on
    several revisions each report's name gets the revision's, and the JSON of all is printed before."""
    cba = group.cba
    suffix = f" ({group.revision.name})" if several and group.revision is not None else ""

    def named(path: Path | None) -> Path | None:
        return path.with_name(f"{path.stem}{suffix}{path.suffix}") if path is not None and suffix else path

    def xlsx(path: Path) -> str | None:
        from estimator.analysis.cba_xlsx import write_cba_xlsx

        write_cba_xlsx(cba, path, args.lang)
        return None

    def pdf(path: Path) -> str | None:
        from estimator.analysis.cba_pdf import write_cba_pdf

        write_cba_pdf(cba, path, args.lang)
        return None

    def show() -> None:
        if group.revision is not None:
            print(f"Bids on {group.label()}:")
        print_cba(cba, None if args.all else 30)
        print()

    writers: list[tuple[Path | None, Callable[[Path], str | None]]] = [(named(args.xlsx), xlsx), (named(args.pdf), pdf)]
    if several and args.json:  # the JSON of every revision was printed together
        for path, write in writers:
            if path is not None:
                write(path)
                print(f"wrote {path}", file=sys.stderr)
        return
    show_and_write(args, group.to_json, show, writers)


def _member(text: str) -> tuple[str, str]:
    """ "Name, role" of a committee member."""
    from estimator.errors import UserError
    from estimator.limits import clean

    name, _, role = clean(text).replace("\u060c", ",").partition(",")  # an Arabic comma too
    if not name.strip():
        raise UserError(f"--committee {text!r}: write the member's name, then a comma and the role, e.g. "
                        "\"Rania Haddad, chair\"")
    return name.strip()[:120], role.strip()[:120]


def print_cba(cba: CBA, limit: int | None) -> None:
    from estimator.analysis.lots import COMPLIANT

    cur = cba.currency
    print(f"{cba.programme}  (tender {cba.reference or '-'}, {cur}; revision {cba.revision or '-'})")
    print(f"Estimate per lot: {cba.estimate_basis}.")
    print(f"Missing rates: {cba.missing_rates}; lots per bidder: {cba.max_lots or 'any'}; abnormally low: more than "
          f"{cba.abnormally_low} % below the estimate; rates flagged beyond ±{cba.threshold} %")
    if not cba.records_given:
        print("No evaluation file (--evaluation): opening record and compliance not recorded.")
    print("\nBidders")
    for b in cba.bidders:
        why = "; ".join(b.reasons + b.notes)
        print(f"  {b.name}  [{b.status}]  {b.file}{': ' + why if why else ''}")
    for lot in cba.lots:
        print(f"\nLot {lot.number}: {lot.name}  (estimate {fmt(lot.estimate)} {cur})")
        if not lot.bids:
            print("  no bids")
        width = max([len(e.bidder) for e in lot.bids] + [6])
        for e in lot.bids:
            rank = str(e.rank) if e.rank is not None else "-"
            low = "  ABNORMALLY LOW" if e.abnormally_low else ""
            print(f"  {rank:>3}  {e.bidder:<{width}}  {fmt(e.read_total):>16}  {fmt(e.corrected_total):>16}  "
                  f"{e.difference.text():>9}  {e.status}{low}")
            for reason in e.reasons:
                print(f"       {reason}")
            if e.status == COMPLIANT or e.anomalies:
                shown = e.anomalies if limit is None else e.anomalies[:limit]
                for a in shown:
                    print(f"       [{a.kind}] {a.where + ': ' if a.where else ''}{a.message}")
                if len(shown) < len(e.anomalies):
                    print(f"       ... and {len(e.anomalies) - len(shown)} more (--all, --report or --json list them all)")
    print("\nRecommendation")
    for lot in cba.lots:
        rec = lot.recommended
        if rec is None:
            print(f"  Lot {lot.number}: no award ({lot.note})")
        else:
            print(f"  Lot {lot.number}: {rec.bidder}  {fmt(rec.corrected_total)} {cur}  ({rec.difference.text()} against "
                  f"the estimate {fmt(lot.estimate)})")
    print(f"  Total {fmt(cba.recommended_total)} {cur}")
    for line in cba.explanation:
        print(f"  {line}")
