"""`boq tender-info`: the submission arrangements, the drawings list and the Arabic names of a tender.

The contract terms of each lot (completion, damages, retention, bid security, ...) are `boq
particulars`; this command holds what the tender documents say about how bids are submitted.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from estimator import limits
from estimator.errors import UserError

NAME_KEYS = ("name_ar", "organisation_ar")  # the programme's Arabic names (used in Arabic documents)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "tender-info",
        help="submission arrangements, drawings list and Arabic names printed in the tender pack",
        description="Show or set what the tender pack says about submitting bids and what it lists: "
        "--set KEY=VALUE with KEY one of name_ar, organisation_ar (the programme's and the organisation's "
        "names in Arabic documents), submission_address, submission_address_ar, submission_email, "
        "two_envelopes (yes/no), site_visit, clarification_deadline (dates YYYY-MM-DD); an empty VALUE "
        "clears it. --drawing adds a drawing to the drawings list. Without options it prints them.",
    )
    p.add_argument("file", type=Path)
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="values",
                   help='e.g. --set submission_email=tenders@example.org --set site_visit=2026-11-10')
    p.add_argument("--drawing", action="append", default=[], metavar="NUMBER|TITLE|REVISION",
                   help='add a drawing, e.g. --drawing "A-101|Ground floor plan|B" (repeat for more); '
                   'a number already listed is replaced')
    p.add_argument("--clear-drawings", action="store_true", help="empty the drawings list first")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=cmd_tender_info)


def _pairs(values: list[str]) -> list[tuple[str, str]]:
    out = []
    for value in values:
        key, sep, text = value.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--set {value!r}: write KEY=VALUE, e.g. submission_email=tenders@example.org")
        out.append((key.strip(), text))
    return out


def cmd_tender_info(args: argparse.Namespace) -> int:
    import dataclasses

    from estimator import particulars
    from estimator.store import Project

    pairs = _pairs(args.values)
    drawings = [particulars.parse_drawing(d) for d in args.drawing]  # every mistake before the file is opened
    changing = bool(pairs or drawings or args.clear_drawings)
    with Project.open(args.file, readonly=not changing) as project:
        prog = project.programme
        t = prog.particulars
        for key, text in pairs:
            if key in NAME_KEYS:
                setattr(prog, key, limits.check_text(text, "name", key).strip())
            elif key not in particulars.INFO_KEYS:
                raise UserError(f"--set {key}: unknown; use one of {', '.join((*NAME_KEYS, *particulars.INFO_KEYS))}")
            else:
                t = particulars.with_info(t, key, limits.check_text(text, "text", key))
        if args.clear_drawings or drawings:
            listed = {} if args.clear_drawings else {d.number: d for d in t.drawings}
            for d in drawings:  # a drawing already listed under its number is replaced (a new revision)
                listed[d.number] = d
            t = dataclasses.replace(t, drawings=tuple(listed.values()))
        if changing:
            prog.particulars = particulars.check(t)
            project.save()
        info = {"name_ar": prog.name_ar, "organisation_ar": prog.organisation_ar,
                **{k: _text(getattr(t, k)) for k in particulars.INFO_KEYS},
                "drawings": [[d.number, d.title, d.revision] for d in t.drawings]}
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=1))
        return 0
    for key, value in info.items():
        if key != "drawings":
            print(f"{key:24} {value or '-'}")
    print(f"drawings                 {len(t.drawings) or '-'}")
    for d in t.drawings:
        print(f"  {d.number:12} {d.title}  (rev. {d.revision or '-'})")
    return 0


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)
