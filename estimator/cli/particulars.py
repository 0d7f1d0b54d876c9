"""`boq particulars`: show and set the tender particulars, programme defaults and per-lot overrides."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from estimator.errors import UserError
from estimator.messages import Message
from estimator.server import location

if TYPE_CHECKING:
    from estimator.model import Facility, Programme


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "particulars",
        help="show or set the tender particulars (completion, damages, retention, bid security, ...)",
        description="Show the tender particulars: the programme's defaults for every lot and each lot's "
        "overrides. --set KEY=VALUE and --clear KEY change them: without --lot the programme's defaults "
        "(lot fields, and max_lots_per_bidder, bidders_charge_tax yes|no, missing_rates reject|highest, "
        "abnormally_low %), with --lot the lot's own values (lot fields only; --clear "
        "puts a field back to the programme's default). Lot fields: completion_days, liquidated_damages "
        "(amount per day), liquidated_damages_cap (%), defects_liability_days, retention (%), "
        "retention_cap (%), advance (%), bid_security (a fixed amount, never a %), bid_security_days.",
    )
    p.add_argument("file", type=location)
    p.add_argument("--lot", metavar="N", help="a lot: its number (1, 2, ...) or its facility's name")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="set a particular (repeat for several)")
    p.add_argument("--clear", dest="clears", action="append", default=[], metavar="KEY",
                   help="clear a particular: back to the default (repeat for several)")
    p.add_argument("--json", action="store_true", help="print the particulars as JSON")
    p.set_defaults(func=cmd_particulars)


def _pairs(texts: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for text in texts:
        key, sep, value = text.partition("=")
        if not sep or not key.strip():
            raise UserError(Message("set_key_value", text=text))
        out[key.strip()] = value.strip()
    return out


def find_lot(programme: Programme, text: str) -> tuple[int, Facility]:
    """The lot `text` names: its number (from 1) or its facility's name (any case)."""
    lots = programme.facilities
    if text.strip().isdigit():
        n = int(text)
        if 1 <= n <= len(lots):
            return n, lots[n - 1]
        raise UserError(Message("no_lot_number", text=text, count=len(lots)) if lots else Message("no_lots_yet", text=text))
    for n, facility in enumerate(lots, start=1):
        if facility.name.casefold() == text.strip().casefold():
            return n, facility
    raise UserError(Message("no_lot_named", text=text))


def cmd_particulars(args: argparse.Namespace) -> int:
    from estimator import particulars as pt
    from estimator.server.locations import open_project

    sets = _pairs(args.sets)
    changing = bool(sets or args.clears)
    with open_project(args.file, readonly=not changing) as project:
        programme = project.programme
        lot = find_lot(programme, args.lot) if args.lot is not None else None
        if changing:
            if lot is None:
                programme.particulars = pt.edit_tender(programme.particulars, sets, args.clears)
            else:
                n, facility = lot
                old = programme.lot_overrides.get(facility.uid, pt.LotParticulars())
                new = pt.edit_lot(old, sets, args.clears, f"lot {n} ({facility.name})")
                if new.is_empty():
                    programme.lot_overrides.pop(facility.uid, None)
                else:
                    programme.lot_overrides[facility.uid] = new
            project.save()
        report = _report(programme)
    if args.json:
        print(json.dumps(report if lot is None else report["lots"][lot[0] - 1], ensure_ascii=False, indent=2))
        return 0
    if lot is None:
        print("Programme particulars (the default of every lot):")
        for key, value in report["programme"].items():
            print(f"  {key:<24} {value or '-'}")
        for entry in report["lots"]:
            own = ", ".join(f"{k} {v}" for k, v in entry["overrides"].items()) or "programme defaults"
            print(f"  lot {entry['lot']:>2}  {entry['facility']}: {own}")
    else:
        entry = report["lots"][lot[0] - 1]
        print(f"Lot {entry['lot']}: {entry['facility']}")
        for key, value in entry["particulars"].items():
            print(f"  {key:<24} {value:<14} {'(this lot)' if key in entry['overrides'] else '(programme default)'}")
    return 0


def _report(programme: Programme) -> dict[str, Any]:
    from estimator import particulars as pt

    lots = []
    for n, facility in enumerate(programme.facilities, start=1):
        own = programme.lot_overrides.get(facility.uid, pt.LotParticulars())
        lots.append({"lot": n, "facility": facility.name, "uid": facility.uid, "overrides": pt.lot_values(own),
                     "particulars": pt.lot_values(programme.lot_particulars(facility))})
    return {"programme": pt.tender_values(programme.particulars), "lots": lots}

