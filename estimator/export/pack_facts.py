"""What the tender pack can say about a programme: the conditions of `[[if NAME]]` template lines.

The preamble and the other sections are written once in templates/ and say only what is true of
the bills being issued: a clause on excavation appears only when excavation is measured, the
reinforcement clause matches how reinforcement is measured (by weight, or in the rate of the
concrete), windows are said to be measured by area only when they are. A fact is a name; the
templates test it with `[[if NAME]]` or `[[if not NAME]]` (templates/README.md lists them).

Measured facts come from the items a bidder sees: their descriptions (English and Arabic), units
and kinds; estimating notes and rate sources play no part (they are never printed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from estimator.errors import UnknownUnit
from estimator.model import DAYWORK, MEASURED, PC_SUM, PROVISIONAL_SUM, Item, Programme
from estimator.units import compatible

# name -> what it means; the README's table is checked against this (tests/test_tender_forms.py)
CONDITION_TEXTS = {
    "excavation": "excavation is measured (an item says excavation / حفر)",
    "demolition": "demolition or removal is measured (demolition, hacking off, removal of damaged ... / هدم، إزالة)",
    "debris_separate": "removal of debris or rubble is an item of its own",
    "concrete": "concrete is measured by volume",
    "reinforcement_by_weight": "reinforcement is measured separately by weight (kg or t)",
    "reinforcement_in_concrete": "some concrete items include their reinforcement (reinforced ... complete, steel kg/m3)",
    "formwork_separate": "formwork is measured separately by area",
    "windows_by_area": "windows or glazing are measured by area (m²)",
    "windows_by_number": "windows are enumerated (nr)",
    "doors": "doors are measured",
    "finishes_by_area": "plaster, render, tiling, insulation or paint is measured by area",
    "pipes_by_length": "pipes, cables or drains are measured by length",
    "lump_sums": "some items are lump sums (LS)",
    "provisional_quantities": "some quantities are marked provisional",
    "provisional_sums": "the bills hold provisional sums",
    "pc_sums": "the bills hold prime cost sums",
    "dayworks": "the bills hold a daywork schedule",
    "max_lots": "a maximum number of lots per bidder is set",
    "missing_rates_reject": "a lot with unpriced items is rejected",
    "missing_rates_highest": "an unpriced item is priced at the highest rate of the other bids",
    "submission_address": "bids may be delivered to an address",
    "submission_email": "bids may be sent by e-mail",
    "two_envelopes": "bids come in two envelopes (documents and bid security; financial offer)",
    "site_visit": "a site-visit date is set",
    "drawings": "drawings are listed",
    "advance": "some lot has an advance payment",
    "bid_security": "some lot asks for a bid security",
    "bidders_charge_tax": "bidders add the programme's tax",
}
CONDITIONS = frozenset(CONDITION_TEXTS)


def _words(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(patterns), re.IGNORECASE)


_EXCAVATION = _words(r"excavat", r"حفر")
_DEMOLITION = _words(r"demoli", r"hacking off", r"removal of damaged", r"stripping out", r"\bremove", r"هدم",
                     r"إزالة", r"تكسير", r"فك ")
_DEBRIS = _words(r"debris", r"rubble", r"أنقاض", r"ردميات")
_CONCRETE = _words(r"concrete", r"بيتون", r"خرسان")
_REINFORCEMENT = _words(r"reinforc", r"rebar", r"steel bars", r"starter bars", r"\blinks\b", r"حديد تسليح", r"تسليح", r"أشاير")
_IN_CONCRETE = _words(r"reinforced concrete .*complete", r"reinforcement", r"kg/m3 steel", r"مسلح", r"حديد")
_FORMWORK = _words(r"^formwork", r"^قالب", r"^قوالب", r"^كوفراج")
_WINDOW = _words(r"window", r"glazing", r"نافذة", r"نوافذ", r"شباك", r"واجهة زجاجية")
_DOOR = _words(r"\bdoor", r"باب", r"أبواب")
_FINISH = _words(r"plaster", r"render", r"tiling", r"\btiles?\b", r"paint", r"insulation", r"waterproof", r"لياسة",
                 r"طينة", r"بلاط", r"سيراميك", r"دهان", r"عزل")
_LINEAR = _words(r"pipe", r"cable", r"drain", r"conduit", r"قساطل", r"أنابيب", r"كابل", r"تمديد")


def _unit_is(unit: str, base: str) -> bool:
    try:
        return compatible(unit, base)
    except UnknownUnit:  # an odd unit is simply not of this kind
        return False


def _text(item: Item) -> str:
    return f"{item.description} {item.description_ar}"


def measured(items: Iterable[Item]) -> set[str]:
    """The facts about the bills: what is measured and how."""
    found: set[str] = set()
    rules: list[tuple[str, Callable[[Item, str], bool]]] = [
        ("excavation", lambda i, t: bool(_EXCAVATION.search(t))),
        ("demolition", lambda i, t: bool(_DEMOLITION.search(t))),
        ("debris_separate", lambda i, t: bool(_DEBRIS.search(t)) and not _CONCRETE.search(i.description)),
        ("concrete", lambda i, t: bool(_CONCRETE.search(t)) and _unit_is(i.unit, "m3") and not _DEMOLITION.search(t)),
        ("reinforcement_by_weight", lambda i, t: bool(_REINFORCEMENT.search(t)) and _unit_is(i.unit, "kg")),
        ("reinforcement_in_concrete", lambda i, t: bool(_CONCRETE.search(t) and _IN_CONCRETE.search(t))
         and not _DEMOLITION.search(t) and _unit_is(i.unit, "m3")),
        ("formwork_separate", lambda i, t: bool(_FORMWORK.search(i.description.strip() or i.description_ar.strip()))
         and _unit_is(i.unit, "m2")),
        ("windows_by_area", lambda i, t: bool(_WINDOW.search(t)) and _unit_is(i.unit, "m2")
         and not _DEMOLITION.search(t)),
        ("windows_by_number", lambda i, t: bool(_WINDOW.search(t)) and _unit_is(i.unit, "nr")
         and not _DEMOLITION.search(t)),
        ("doors", lambda i, t: bool(_DOOR.search(t)) and not _DEMOLITION.search(t)),
        ("finishes_by_area", lambda i, t: bool(_FINISH.search(t)) and _unit_is(i.unit, "m2")),
        ("pipes_by_length", lambda i, t: bool(_LINEAR.search(t)) and _unit_is(i.unit, "m")),
        ("lump_sums", lambda i, t: i.unit.strip().lower() in ("ls", "lump sum", "item", "مقطوعية")),
        ("provisional_quantities", lambda i, t: i.provisional),
    ]
    kinds = {PROVISIONAL_SUM: "provisional_sums", PC_SUM: "pc_sums", DAYWORK: "dayworks"}
    for item in items:
        if item.kind != MEASURED:
            found.add(kinds.get(item.kind, ""))
            continue
        text = _text(item)
        for name, rule in rules:
            if name not in found and rule(item, text):
                found.add(name)
    found.discard("")
    return found


def facts(programme: Programme) -> frozenset[str]:
    """Every fact that holds for `programme` (its bills and its tender particulars)."""
    found = measured(item for f in programme.facilities for b in f.bills for item in b.items)
    t = programme.particulars
    lots = [programme.lot_particulars(f) for f in programme.facilities]
    flags = {
        "max_lots": t.max_lots_per_bidder is not None,
        "missing_rates_reject": t.missing_rates == "reject",
        "missing_rates_highest": t.missing_rates == "highest",
        "submission_address": bool(t.submission_address.strip()),
        "submission_email": bool(t.submission_email.strip()),
        "two_envelopes": t.two_envelopes,
        "site_visit": t.site_visit is not None,
        "drawings": bool(t.drawings),
        "advance": any(p.advance for p in lots),
        "bid_security": any(p.bid_security for p in lots),
        "bidders_charge_tax": t.bidders_charge_tax and bool(programme.markups.tax),
    }
    found |= {name for name, holds in flags.items() if holds}
    return frozenset(found)
