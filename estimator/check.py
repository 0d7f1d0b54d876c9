"""The pre-export check: what a reader of the document would trip over, listed before exporting.

`check(programme, lang)` lists unpriced items (no rate, or a rate that cannot be priced), zero
quantities, empty bills, facilities without bills and, for Arabic and bilingual documents, every
facility, bill and item name that has no Arabic text and so is printed in English, and item
descriptions that read like estimating notes ("supplier quote"): a description is printed in the
tender; an estimating note belongs in the item's notes, which never are. It never
stops an export; it tells the user where to look. `boq check FILE` prints the same list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from estimator.model import Programme
from estimator.pricing import Pricer

UNPRICED, ZERO_QUANTITY, EMPTY, NO_ARABIC = "unpriced", "zero quantity", "empty", "no Arabic"
ESTIMATING_NOTE = "estimating note"
KINDS = (UNPRICED, ZERO_QUANTITY, EMPTY, NO_ARABIC, ESTIMATING_NOTE)
# phrases of an estimator's working, not of a contract description (English and Arabic)
_NOTE_WORDS = re.compile(r"supplier('s)? quot|as per quot|quotation|engineer'?s judg|\bTBC\b|to be confirmed|"
                         r"price from|عرض المورد|عرض سعر|تقدير المهندس", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str  # one of KINDS
    where: str  # "Facility › Bill › 3.2"
    message: str
    facility_uid: str
    bill_uid: str = ""
    item_uid: str = ""


def check(programme: Programme, lang: str = "en") -> list[Finding]:
    """Findings in programme order; `lang` is the document's language (en, ar or both)."""
    arabic = lang in ("ar", "both")
    pricer = Pricer(programme)
    out: list[Finding] = []
    for fac in programme.facilities:
        if arabic and not fac.name_ar:
            out.append(Finding(NO_ARABIC, fac.name, "facility name has no Arabic; printed in English", fac.uid))
        if not fac.bills:
            out.append(Finding(EMPTY, fac.name, "facility has no bills", fac.uid))
        for bill in fac.bills:
            where = f"{fac.name} › {bill.name}"
            if arabic and not bill.name_ar:
                out.append(Finding(NO_ARABIC, where, "bill name has no Arabic; printed in English", fac.uid, bill.uid))
            if not bill.items:
                out.append(Finding(EMPTY, where, "bill has no items", fac.uid, bill.uid))
            for item in bill.items:
                at = f"{where} › {item.ref or item.description[:30]}"
                line = pricer.line(item)
                if line.error:
                    out.append(Finding(UNPRICED, at, f"not priced: {line.error}", fac.uid, bill.uid, item.uid))
                if not item.quantity:
                    out.append(Finding(ZERO_QUANTITY, at, "quantity is zero", fac.uid, bill.uid, item.uid))
                if note := _NOTE_WORDS.search(f"{item.description} {item.description_ar}"):
                    out.append(Finding(ESTIMATING_NOTE, at, f"description reads like an estimating note "
                                       f"({note.group(0)!r}); it is printed in the tender: move it to the notes",
                                       fac.uid, bill.uid, item.uid))
                if arabic and not item.description_ar:
                    out.append(Finding(NO_ARABIC, at, f"no Arabic description; printed in English: {item.description}",
                                       fac.uid, bill.uid, item.uid))
    return out


def summary(findings: list[Finding]) -> str:
    """`3 unpriced, 1 empty` (kinds with none left out), or `nothing to check`."""
    counts = [(kind, sum(1 for f in findings if f.kind == kind)) for kind in KINDS]
    text = ", ".join(f"{n} {kind}" for kind, n in counts if n)
    return text or "nothing to check"
