"""The pre-export check: what a reader of the document would trip over, listed before exporting.

`check(programme, lang)` lists unpriced items (no rate, or a rate that cannot be priced), zero
quantities, empty bills, facilities without bills, profit and attendance that is not on the prime
cost sum above it (its quantity is that sum's amount), bills out of a BoQ's order (measured work,
then provisional and prime cost sums, then dayworks), item descriptions that read like estimating
notes ("supplier quote": a description is printed in the tender, an estimating note belongs in the
item's notes, which never are) and, for Arabic and bilingual documents, every facility, bill and
item name that has no Arabic text and so is printed in English. It never
stops an export; it tells the user where to look. `boq check FILE` prints the same list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from estimator.messages import Message, phrase, render
from estimator.model import DAYWORK, FIXED_SUMS, PC_ATTENDANCE, PC_SUM, Bill, Programme
from estimator.money import fmt
from estimator.pricing import Pricer

UNPRICED, ZERO_QUANTITY, EMPTY, NO_ARABIC = "unpriced", "zero quantity", "empty", "no Arabic"
ESTIMATING_NOTE = "estimating note"
ATTENDANCE = "attendance"  # profit and attendance not on the prime cost sum above it
ORDER = "bill order"  # measured bills, then provisional and PC sums, then dayworks (shared/DOMAIN.md)
KINDS = (UNPRICED, ZERO_QUANTITY, EMPTY, NO_ARABIC, ATTENDANCE, ORDER, ESTIMATING_NOTE)
_PLACE = {"measured work": 0, "provisional and prime cost sums": 1, "dayworks": 2}
# phrases of an estimator's working, not of a contract description (English and Arabic)
_NOTE_WORDS = re.compile(r"supplier('s)? quot|as per quot|quotation|engineer'?s judg|TBC|to be confirmed|"
                         r"price from|عرض المورد|عرض سعر|تقدير المهندس", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str  # one of KINDS
    where: str  # "Facility › Bill › 3.2"
    message: str  # English
    facility_uid: str
    bill_uid: str = ""
    item_uid: str = ""
    said: Message | None = field(default=None, compare=False, repr=False)  # the message, for other languages

    def text(self, lang: str | None = None) -> str:
        return render(self.said or self.message, lang)


def _found(kind: str, where: str, said: Message, facility_uid: str, bill_uid: str = "", item_uid: str = "") -> Finding:
    return Finding(kind, where, said.text("en"), facility_uid, bill_uid, item_uid, said)


def check(programme: Programme, lang: str = "en") -> list[Finding]:
    """Findings in programme order; `lang` is the document's language (en, ar or both)."""
    arabic = lang in ("ar", "both")
    pricer = Pricer(programme)
    out: list[Finding] = []
    for fac in programme.facilities:
        if arabic and not fac.name_ar:
            out.append(_found(NO_ARABIC, fac.name, Message("no_arabic_facility"), fac.uid))
        if not fac.bills:
            out.append(_found(EMPTY, fac.name, Message("no_bills"), fac.uid))
        out += _order(fac.name, fac.uid, fac.bills)
        for bill in fac.bills:
            where = f"{fac.name} › {bill.name}"
            if arabic and not bill.name_ar:
                out.append(_found(NO_ARABIC, where, Message("no_arabic_bill"), fac.uid, bill.uid))
            if not bill.items:
                out.append(_found(EMPTY, where, Message("no_items"), fac.uid, bill.uid))
            pc_sum = None  # the amount of the last prime cost sum above, in this bill
            for item in bill.items:
                at = f"{where} › {item.ref or item.description[:30]}"
                line = pricer.line(item)
                if line.error:
                    why = (line.problem.user_message if line.problem is not None else "") or line.error
                    out.append(_found(UNPRICED, at, Message("not_priced", error=why), fac.uid, bill.uid, item.uid))
                if item.kind == PC_SUM and not line.error:
                    pc_sum = line.amount
                elif item.kind == PC_ATTENDANCE and not line.error and line.quantity != pc_sum:
                    said = Message("no_pc_sum_above") if pc_sum is None else Message("pc_sum_above", amount=fmt(pc_sum))
                    out.append(_found(ATTENDANCE, at, Message("attendance_on", amount=fmt(line.quantity), said=said),
                                      fac.uid, bill.uid, item.uid))
                if not item.quantity:
                    out.append(_found(ZERO_QUANTITY, at, Message("zero_quantity"), fac.uid, bill.uid, item.uid))
                if note := _NOTE_WORDS.search(f"{item.description} {item.description_ar}"):
                    out.append(_found(ESTIMATING_NOTE, at, Message("estimating_note", note=note.group(0)),
                                      fac.uid, bill.uid, item.uid))
                if arabic and not item.description_ar:
                    out.append(_found(NO_ARABIC, at, Message("no_arabic_description", description=item.description),
                                      fac.uid, bill.uid, item.uid))
    return out


def bill_kind(bill: Bill) -> str | None:
    """What a bill holds: measured work (any measured item), provisional and PC sums, or dayworks."""
    kinds = {item.kind for item in bill.items}
    if not kinds:
        return None
    if kinds <= {DAYWORK}:
        return "dayworks"
    if kinds <= {*FIXED_SUMS, PC_ATTENDANCE}:
        return "provisional and prime cost sums"
    return "measured work"


def _order(facility: str, uid: str, bills: list[Bill]) -> list[Finding]:
    """A bill placed before one that a bill of quantities lists ahead of it."""
    found = []
    latest: tuple[int, Bill, str] | None = None  # the furthest-along bill so far
    for bill in bills:
        kind = bill_kind(bill)
        if kind is None:
            continue
        if latest is not None and _PLACE[kind] < latest[0]:
            found.append(_found(ORDER, f"{facility} › {bill.name}", Message("bill_order", kind=kind, other=latest[2],
                                                                           bill=latest[1].name), uid, bill.uid))
        elif latest is None or _PLACE[kind] > latest[0]:
            latest = (_PLACE[kind], bill, kind)
    return found


def summary(findings: list[Finding], lang: str = "en") -> str:
    """`3 unpriced, 1 empty` (kinds with none left out), or `nothing to check`; in `lang` (en, ar)."""
    counts = [(kind, sum(1 for f in findings if f.kind == kind)) for kind in KINDS]
    if lang == "ar":
        return "، ".join(f"{phrase(kind, 'ar')}: {n}" for kind, n in counts if n) or phrase("nothing to check", "ar")
    text = ", ".join(f"{n} {kind}" for kind, n in counts if n)
    return text or "nothing to check"
