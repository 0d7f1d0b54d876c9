"""The pre-export check: what a reader of the document would trip over, listed before exporting.

`check(programme, lang)` lists unpriced items (no rate, or a rate that cannot be priced), zero
quantities, empty bills, facilities without bills and, for Arabic and bilingual documents, every
facility, bill and item name that has no Arabic text and so is printed in English. It never
stops an export; it tells the user where to look. `boq check FILE` prints the same list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from estimator.messages import Message, phrase, render
from estimator.model import Programme
from estimator.pricing import Pricer

UNPRICED, ZERO_QUANTITY, EMPTY, NO_ARABIC = "unpriced", "zero quantity", "empty", "no Arabic"
KINDS = (UNPRICED, ZERO_QUANTITY, EMPTY, NO_ARABIC)


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
        for bill in fac.bills:
            where = f"{fac.name} › {bill.name}"
            if arabic and not bill.name_ar:
                out.append(_found(NO_ARABIC, where, Message("no_arabic_bill"), fac.uid, bill.uid))
            if not bill.items:
                out.append(_found(EMPTY, where, Message("no_items"), fac.uid, bill.uid))
            for item in bill.items:
                at = f"{where} › {item.ref or item.description[:30]}"
                line = pricer.line(item)
                if line.error:
                    out.append(_found(UNPRICED, at, Message("not_priced", error=line.error), fac.uid, bill.uid, item.uid))
                if not item.quantity:
                    out.append(_found(ZERO_QUANTITY, at, Message("zero_quantity"), fac.uid, bill.uid, item.uid))
                if arabic and not item.description_ar:
                    out.append(_found(NO_ARABIC, at, Message("no_arabic_description", description=item.description),
                                       fac.uid, bill.uid, item.uid))
    return out


def summary(findings: list[Finding], lang: str = "en") -> str:
    """`3 unpriced, 1 empty` (kinds with none left out), or `nothing to check`; in `lang` (en, ar)."""
    counts = [(kind, sum(1 for f in findings if f.kind == kind)) for kind in KINDS]
    if lang == "ar":
        return "، ".join(f"{phrase(kind, 'ar')}: {n}" for kind, n in counts if n) or phrase("nothing to check", "ar")
    text = ", ".join(f"{n} {kind}" for kind, n in counts if n)
    return text or "nothing to check"
