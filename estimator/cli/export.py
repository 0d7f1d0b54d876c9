"""`boq export`: Excel BoQ workbook and PDF tender pack."""

from __future__ import annotations

import argparse
from pathlib import Path

from estimator.errors import UserError
from estimator.export import LANGS
from estimator.server import location


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "export",
        help="export the BoQ to Excel and/or a PDF tender pack",
        description="Export the programme as an Excel BoQ workbook (--xlsx) and/or a PDF tender pack "
        "(--pdf). Priced by default (the engineer's estimate); --unpriced writes the tender "
        "version that bidders fill in. --revision NAME reproduces an issued tender revision; without it the "
        "documents of a state not issued say Draft. Files are written atomically. An output that is the "
        "programme, an open programme or a file of another kind is refused (--force replaces the last).",
    )
    p.add_argument("file", type=location)
    p.add_argument("--xlsx", type=Path, metavar="OUT.xlsx", help="write the Excel workbook here")
    p.add_argument("--pdf", type=Path, metavar="OUT.pdf", help="write the PDF tender pack here")
    p.add_argument("--unpriced", action="store_true", help="leave rates and amounts for bidders to fill in")
    p.add_argument("--lang", choices=LANGS, default="en", help="en, ar or both (bilingual); default en")
    p.add_argument("--force", action="store_true",
                   help="replace an output file of another kind (never the programme itself)")
    p.add_argument("--revision", metavar="NAME", help="export the issued tender revision NAME as it was issued "
                   "(`boq tender list`); default: the programme as it is, marked Draft unless it is an issued revision")
    p.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    from estimator import revisions
    from estimator.outputs import guard_outputs
    from estimator.server.locations import open_read

    if not args.xlsx and not args.pdf:
        raise UserError("name at least one output: --xlsx OUT.xlsx or --pdf OUT.pdf")
    guard_outputs([(args.xlsx, "xlsx"), (args.pdf, "pdf")], inputs=[args.file], force=args.force)
    with open_read(args.file) as project:
        programme = revisions.for_documents(project, args.revision, args.lang)
    kind = "unpriced tender" if args.unpriced else "priced estimate"
    if args.xlsx:
        from estimator.export.xlsx import write_xlsx

        write_xlsx(programme, args.xlsx, priced=not args.unpriced, lang=args.lang)
        print(f"wrote {args.xlsx} ({kind}, {args.lang})" + (f", revision {programme.revision}" if args.revision else ""))
    if args.pdf:
        from estimator.export.pdf import write_pdf

        write_pdf(programme, args.pdf, priced=not args.unpriced, lang=args.lang)
        print(f"wrote {args.pdf} ({kind}, {args.lang})" + (f", revision {programme.revision}" if args.revision else ""))
    return 0
