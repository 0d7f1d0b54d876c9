"""`boq check FILE`: the pre-export check (`estimator.check`), the list the export dialog shows."""

from __future__ import annotations

import argparse

from estimator.server import location


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "check",
        help="list what to fix before exporting",
        description="List unpriced items, zero quantities, empty bills and, with --lang ar or both, every name "
        "and description that has no Arabic text (it would be printed in English). Exit status 1 if anything is listed.",
    )
    p.add_argument("file", type=location, help="the .boq programme")
    p.add_argument("--lang", choices=("en", "ar", "both"), default="en",
                   help="the language of the document to export (default en)")
    p.set_defaults(func=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    from estimator.check import check, summary
    from estimator.server.locations import load

    findings = check(load(args.file), args.lang)
    for f in findings:
        print(f"{f.kind}: {f.where}: {f.message}")
    print(summary(findings))
    return 1 if findings else 0
