"""Find across a programme: facilities, bills and items whose texts or codes match a query.

Matching is `estimator.textmatch` (every word, by substring or word stem, English and Arabic), the
same as the rate library's search. Each hit names where it is (facility, bill, item) by uid, so a
window can jump there, and what matched, so a list can show it.
"""

from __future__ import annotations

from dataclasses import dataclass

from estimator.model import Programme
from estimator.textmatch import Haystack, Query

SEP = "\x00"  # between the items of a bill searched as one text (never in a description)


@dataclass(frozen=True, slots=True)
class Hit:
    facility_uid: str
    bill_uid: str  # "" for a facility
    item_uid: str  # "" for a facility or a bill
    where: str  # "Facility › Bill › 3.2"
    text: str  # the matched text (English, and the Arabic when it has one)


def find(programme: Programme, text: str, limit: int = 500) -> list[Hit]:
    """Hits for `text` in programme order, at most `limit`; none for an empty query."""
    query = Query.of(text)
    hits: list[Hit] = []
    if not query:
        return hits
    for fac in programme.facilities:
        about = (fac.name, fac.name_ar, fac.governorate, fac.district, fac.facility_type)
        if query.matches(Haystack.of(*about)):
            hits.append(Hit(fac.uid, "", "", fac.name, _both(fac.name, fac.name_ar)))
        for bill in fac.bills:
            where = f"{fac.name} › {bill.name}"
            if query.matches(Haystack.of(bill.name, bill.name_ar)):
                hits.append(Hit(fac.uid, bill.uid, "", where, _both(bill.name, bill.name_ar)))
            # one normalised text per bill, split per item: a bill none of whose items can match is
            # passed over in one test (80 facilities x 300 items: 24,000 items per keystroke)
            texts = [" ".join((i.ref, i.rate_code, i.description, i.description_ar, i.notes)).replace(SEP, " ")
                     for i in bill.items]
            whole = Haystack.of(SEP.join(texts))
            if not query.matches(whole):
                continue
            for item, text in zip(bill.items, whole.text.split(SEP), strict=True):
                if query.matches(Haystack(text)):
                    code = f" [{item.rate_code}]" if item.rate_code else ""
                    hits.append(Hit(fac.uid, bill.uid, item.uid, f"{where} › {item.ref or '—'}",
                                    _both(item.description, item.description_ar) + code))
                if len(hits) >= limit:
                    return hits
    return hits


def _both(english: str, arabic: str) -> str:
    return f"{english} / {arabic}" if arabic else english
