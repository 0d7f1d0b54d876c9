"""`boq contract award|vary|measure|certificate|list`: after award, each lot's contract and its payments."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from estimator.errors import UserError
from estimator.money import ZERO, fmt, to_decimal
from estimator.server import location

if TYPE_CHECKING:
    from estimator.contracts.model import Certificate, Ledger

_LOT = "the lot: its number (1, 2, ... as in the programme) or its facility's name"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    contract = sub.add_parser(
        "contract", help="after award: contract BoQ, variations, measurement and payment certificates",
        description="Each awarded lot's contract lives in the .boq file (or on the server, for FILE given as "
                    "postgresql://.../db#NAME: recorded by procurement or estimator accounts, appended to the server "
                    "in one transaction): the awarded bid's corrected rates on the "
                    "issued revision's items, variations, cumulative measurements per period and the interim and "
                    "final payment certificates. Nothing recorded is ever changed: a correction is a new entry.")
    commands = contract.add_subparsers(dest="contract_command", metavar="COMMAND", required=True)

    p = commands.add_parser("award", help="make a lot's contract from the awarded bid",
                            description="Record the contract of lot N: the tender revision's items of the lot with "
                                        "the bid's corrected rates (the unit rate prevails), the contract sum and the "
                                        "lot's particulars (retention and its cap, advance, defects liability, "
                                        "completion). A lot is awarded once.")
    p.add_argument("file", type=location)
    p.add_argument("--lot", required=True, help=_LOT)
    p.add_argument("--bid", required=True, type=Path, metavar="BID.xlsx", help="the returned tender workbook awarded")
    p.add_argument("--contractor", default="", help="the contractor's name (default: the company in the bid)")
    p.add_argument("--date", default=None, help="contract date, YYYY-MM-DD (default today)")
    p.add_argument("--advance-from", default="0", metavar="X",
                   help="advance recovery starts when the work certified reaches X %% of the contract sum (default 0)")
    p.add_argument("--advance-until", default="100", metavar="Y",
                   help="and is complete at Y %% (default 100: recovered pro rata to the gross value)")
    p.set_defaults(func=cmd_award)

    p = commands.add_parser("vary", help="record a variation (added, omitted, changed items) or approve one",
                            description="Record variation NAME of lot N from VARIATION.csv (columns action: add, omit "
                                        "or change; item: the reference; quantity; for added items description, unit, "
                                        "and rate with source agreed, or source contract/library and code). Recorded "
                                        "approved unless --pending; `--approve --name NAME` approves a pending one.")
    p.add_argument("file", type=location)
    p.add_argument("variation", type=Path, nargs="?", metavar="VARIATION.csv")
    p.add_argument("--lot", required=True, help=_LOT)
    p.add_argument("--name", required=True, help='the variation\'s name, e.g. "VO-1"')
    p.add_argument("--pending", action="store_true", help="record it as pending approval")
    p.add_argument("--approve", action="store_true", help="approve the pending variation NAME")
    p.add_argument("--description", default="", help="what the variation is for")
    p.add_argument("--date", default=None, help="date, YYYY-MM-DD (default today)")
    p.set_defaults(func=cmd_vary)

    p = commands.add_parser("measure", help="record the cumulative quantities done at the end of a period",
                            description="Record MEASURE.csv (columns item and quantity, or percent for lump sums) as "
                                        "the cumulative quantities at the end of period P. A quantity above the "
                                        "contract quantity is refused unless an approved variation covers it.")
    p.add_argument("file", type=location)
    p.add_argument("measurement", type=Path, metavar="MEASURE.csv")
    p.add_argument("--lot", required=True, help=_LOT)
    p.add_argument("--period", required=True, type=int, help="the period's number, 1, 2, 3, ...")
    p.add_argument("--date", default=None, help="end of the period, YYYY-MM-DD (default today)")
    p.set_defaults(func=cmd_measure)

    p = commands.add_parser("certificate", help="issue (or reprint) a period's payment certificate",
                            description="The payment certificate of period P: per item contract quantity, rate, "
                                        "previous, this period and cumulative quantity and value; gross value to "
                                        "date, materials on site, retention (with its cap), advance recovery, "
                                        "previous certificates, amount due. Issued once and recorded (unless "
                                        "--draft); asked again, it is reprinted exactly as issued. --final issues the "
                                        "final account (half the retention released); --release the rest of the "
                                        "retention after the defects liability period.")
    p.add_argument("file", type=location)
    p.add_argument("--lot", required=True, help=_LOT)
    p.add_argument("--period", required=True, type=int, help="the period's number")
    p.add_argument("--materials", default=None, metavar="AMOUNT", help="materials on site certified this period")
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--final", action="store_true", help="the final certificate (final account)")
    kind.add_argument("--release", action="store_true", help="release the retention still held")
    p.add_argument("--draft", action="store_true", help="show the certificate without recording it")
    p.add_argument("--date", default=None, help="certificate date, YYYY-MM-DD (default today)")
    p.add_argument("--pdf", type=Path, metavar="OUT.pdf", help="write the certificate as PDF")
    p.add_argument("--xlsx", type=Path, metavar="OUT.xlsx", help="write the certificate as a workbook (with formulas)")
    p.add_argument("--lang", choices=("en", "ar", "both"), default="both", help="language of the PDF (default both)")
    p.add_argument("--json", action="store_true", help="print the certificate as JSON (amounts as decimal strings)")
    p.add_argument("--force", action="store_true",
                   help="replace an output file of another kind (never the programme or another input)")
    p.set_defaults(func=cmd_certificate)

    p = commands.add_parser("list", help="the contracts of the programme, or one lot's contract in detail",
                            description="Without --lot: per awarded lot the contract sum, variations, revised sum, "
                                        "certified to date and %% complete. With --lot: the lot's variations, "
                                        "measured periods and certificates.")
    p.add_argument("file", type=location)
    p.add_argument("--lot", default=None, help=_LOT)
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(func=cmd_list)


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"--date {text!r}: write the date as YYYY-MM-DD, e.g. 2026-11-01") from None


def _emit(data: dict[str, Any]) -> None:
    import json

    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    print()


def cmd_award(args: argparse.Namespace) -> int:
    from estimator.contracts.award import award
    from estimator.server.locations import open_file

    date = _date(args.date)
    start, end = to_decimal(args.advance_from, "--advance-from"), to_decimal(args.advance_until, "--advance-until")
    with open_file(args.file, "a contract") as project:
        ledger = award(project, args.lot, args.bid, args.contractor, date, start, end)
    c, t = ledger.contract, ledger.contract.terms
    cap = "no cap" if t.retention_cap is None else f"capped at {t.retention_cap} % of the contract sum"
    print(f"awarded lot {c.lot_name!r} to {c.contractor} on {c.date.isoformat()}: {len(c.items)} items, contract sum "
          f"{fmt(c.sum)} {c.currency}{f' (tender revision {c.revision!r})' if c.revision else ''}")
    print(f"  retention {t.retention} % ({cap}); advance {t.advance} % recovered from {t.advance_from} % to "
          f"{t.advance_until} % of the contract sum; completion {c.completion.isoformat()}; defects liability "
          f"{t.defects_liability_days} days")
    return 0


def cmd_vary(args: argparse.Namespace) -> int:
    from estimator.contracts.award import lot_ledger
    from estimator.contracts.model import APPROVED, PENDING
    from estimator.contracts.variations import approve, vary
    from estimator.server.locations import open_file

    date = _date(args.date)
    if args.approve and (args.variation or args.pending):
        raise UserError("--approve approves a recorded variation: give only --name (no file, no --pending)")
    if not args.approve and args.variation is None:
        raise UserError("give the variation's file (VARIATION.csv), or --approve to approve a pending one")
    with open_file(args.file, "a contract") as project:
        ledger = lot_ledger(project, args.lot)
        before = ledger.revised_sum()
        if args.approve:
            value = approve(project, ledger, args.name, date)
            print(f"approved variation {args.name!r} of lot {ledger.contract.lot_name!r}: {fmt(value)} "
                  f"{ledger.contract.currency}; revised contract sum {fmt(before + value)}")
            return 0
        lines, value = vary(project, ledger, args.variation, args.name, PENDING if args.pending else APPROVED, date,
                            args.description)
    status = "pending approval" if args.pending else "approved"
    revised = before if args.pending else before + value
    print(f"recorded variation {' '.join(args.name.split())!r} of lot {ledger.contract.lot_name!r} ({status}): "
          f"{len(lines)} line(s), value {fmt(value)} {ledger.contract.currency}; revised contract sum {fmt(revised)}")
    return 0


def cmd_measure(args: argparse.Namespace) -> int:
    from estimator.contracts.award import lot_ledger
    from estimator.contracts.measurement import measure, progress
    from estimator.contracts.storage import ledger
    from estimator.server.locations import open_file

    date = _date(args.date)
    with open_file(args.file, "a contract") as project:
        found = lot_ledger(project, args.lot)
        count = measure(project, found, args.period, args.measurement, date)
        after = ledger(project, found.contract.lot)
        done = progress(after, args.period) if after else ZERO
    print(f"recorded the measurement of period {args.period} of lot {found.contract.lot_name!r}: {count} item(s); "
          f"work done to date {done:.1f} % of the revised contract sum")
    return 0


def cmd_certificate(args: argparse.Namespace) -> int:
    from estimator.contracts.award import lot_ledger
    from estimator.contracts.certificate import FINAL, INTERIM, RELEASE, certify, compute
    from estimator.contracts.exports import certificate_json
    from estimator.outputs import guard_outputs
    from estimator.server.locations import open_file, open_read

    guard_outputs([(args.xlsx, "xlsx"), (args.pdf, "pdf")], inputs=[args.file], force=args.force)
    date = _date(args.date)
    materials = ZERO if args.materials is None else to_decimal(args.materials, "--materials")
    kind = FINAL if args.final else RELEASE if args.release else INTERIM
    with (open_read(args.file) if args.draft else open_file(args.file, "a payment certificate")) as project:
        ledger = lot_ledger(project, args.lot)
        cert = ledger.certificate(args.period)
        if cert is not None:
            if args.materials is not None or args.final or args.release:
                raise UserError(f"period {args.period} is already certified ({cert.kind}, {cert.date.isoformat()}); a "
                                "certificate is issued once; leave out --materials/--final/--release to reprint it")
            note = f"certificate no. {cert.number} of period {args.period}, issued {cert.date.isoformat()} (reprinted)"
        else:
            if kind != RELEASE and args.period not in ledger.periods():
                raise UserError(f"period {args.period} of lot {ledger.contract.lot_name!r} has no measurement; record "
                                "it first with `boq contract measure`")
            day = date or dt.date.today()
            cert = compute(ledger, args.period, day, materials, kind) if args.draft else \
                certify(project, ledger, args.period, day, materials, kind)
            note = "DRAFT, not recorded" if args.draft else f"issued certificate no. {cert.number}"
        programme = project.programme
    notes = sys.stderr if args.json else sys.stdout
    if args.json:
        _emit(certificate_json(cert))
    else:
        _print_certificate(cert, note)
    if args.xlsx is not None:
        from estimator.contracts.exports import write_certificate_xlsx

        write_certificate_xlsx(cert, ledger, args.xlsx)
        print(f"wrote {args.xlsx}", file=notes)
    if args.pdf is not None:
        from estimator.contracts.certificate_pdf import write_certificate_pdf

        write_certificate_pdf(cert, ledger.contract.terms, programme, args.pdf, args.lang, draft=not cert.issued)
        print(f"wrote {args.pdf}", file=notes)
    return 0


def _print_certificate(c: Certificate, note: str) -> None:
    title = {"interim": "Interim payment certificate", "final": "Final certificate (final account)",
             "release": "Retention release certificate"}[c.kind]
    print(f"{title}: lot {c.lot_name!r}, period {c.period}, {c.date.isoformat()}, {c.contractor}; {note}")
    print(f"{'Item':<8} {'Contract qty':>12} {'Rate':>12} {'Previous':>12} {'This period':>12} {'Cumulative':>12} "
          f"{'Value to date':>15}")
    for ln in c.lines:
        if ln.cumulative_quantity or ln.previous_quantity:
            print(f"{ln.ref[:8]:<8} {fmt(ln.contract_quantity, 3):>12} {fmt(ln.rate):>12} "
                  f"{fmt(ln.previous_quantity, 3):>12} {fmt(ln.this_quantity, 3):>12} "
                  f"{fmt(ln.cumulative_quantity, 3):>12} {fmt(ln.cumulative_value):>15}")
    rows = [("Contract sum", c.contract_sum), ("Revised contract sum (approved variations)", c.revised_sum),
            ("Gross value of work to date", c.gross_to_date), ("Materials on site", c.materials_on_site),
            ("Valuation", c.valuation), ("Less retention held", -c.retention),
            ("Less advance recovered to date", -c.advance_recovery), ("Net to date", c.net_to_date),
            ("Less previous certificates", -c.previous_certified), ("Amount due", c.amount_due)]
    for label, value in rows:
        print(f"  {label:<44} {fmt(value):>16} {c.currency}")


def _lot_detail(ledger: Ledger) -> dict[str, Any]:
    from estimator.contracts.measurement import progress

    c = ledger.contract
    return {"lot": c.lot_name, "contractor": c.contractor, "date": c.date.isoformat(), "revision": c.revision,
            "currency": c.currency, "contract_sum": f"{c.sum:.2f}", "revised_sum": f"{ledger.revised_sum():.2f}",
            "items": len(c.items), "terms": c.terms.to_json(),
            "variations": [{"name": v.name, "number": v.number, "date": v.date.isoformat(),
                            "status": "approved" if v.approved else "pending", "value": f"{v.value:.2f}",
                            "lines": len(v.lines)} for v in ledger.variations],
            "periods": [{"period": p, "percent_measured": f"{progress(ledger, p):.1f}"} for p in ledger.periods()],
            "certificates": [{"number": x.number, "period": x.period, "kind": x.kind, "date": x.date.isoformat(),
                              "gross_to_date": f"{x.gross_to_date:.2f}", "amount_due": f"{x.amount_due:.2f}"}
                             for x in ledger.certificates]}


def cmd_list(args: argparse.Namespace) -> int:
    from estimator.contracts.award import lot_ledger
    from estimator.contracts.overview import overview
    from estimator.server.locations import open_read

    with open_read(args.file) as project:
        if args.lot is not None:
            detail = _lot_detail(lot_ledger(project, args.lot))
            lots = None
        else:
            lots = overview(project)
    if lots is None:
        if args.json:
            _emit(detail)
            return 0
        print(f"Lot {detail['lot']!r}: {detail['contractor']}, awarded {detail['date']}, {detail['items']} items; "
              f"contract sum {fmt(to_decimal(detail['contract_sum']))}, revised {fmt(to_decimal(detail['revised_sum']))} "
              f"{detail['currency']}")
        for v in detail["variations"]:
            print(f"  variation {v['name']} ({v['status']}, {v['date']}): {fmt(to_decimal(v['value']))}")
        for p in detail["periods"]:
            print(f"  period {p['period']}: {p['percent_measured']} % measured")
        for x in detail["certificates"]:
            print(f"  certificate {x['number']} ({x['kind']}, period {x['period']}, {x['date']}): gross "
                  f"{fmt(to_decimal(x['gross_to_date']))}, due {fmt(to_decimal(x['amount_due']))}")
        return 0
    if args.json:
        _emit({"lots": [lot.to_json() for lot in lots]})
        return 0
    if not lots:
        print("no lot is awarded yet; `boq contract award FILE --lot N --bid BID.xlsx` records a contract")
        return 0
    width = max(len(lot.name) for lot in lots) + 2
    print(f"{'Lot':<{width}} {'Contract sum':>16} {'Variations':>14} {'Revised sum':>16} {'Certified':>16} "
          f"{'Complete':>9}")
    for lot in lots:
        print(f"{lot.name:<{width}} {fmt(lot.contract_sum):>16} {fmt(lot.variations):>14} {fmt(lot.revised_sum):>16} "
              f"{fmt(lot.certified):>16} {lot.complete:>8.1f}%  {lot.currency}")
    return 0
