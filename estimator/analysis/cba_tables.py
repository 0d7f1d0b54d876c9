"""The tables of the comparative bid analysis, in words of one language: what the workbook and the PDF print.

Both writers (`cba_xlsx`, `cba_pdf`) print these rows, so the two documents say the same. A cell is
text, an int, or a Decimal (money, printed with 2 decimals; a percentage is a `Pct`). The words
come from `templates/cba/<lang>.toml`; with `lang="both"` each label is "English / Arabic". The
texts the evaluation writes itself (reasons, what a correction was) are in English.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from estimator import paths
from estimator.analysis.bidresult import deviation
from estimator.analysis.evalfile import CHECKS
from estimator.analysis.lots import CBA, COMPLIANT, NON_COMPLIANT, NOT_BID, Bidder, Lot
from estimator.money import fmt
from estimator.particulars import HIGHEST

LANGS = ("en", "ar", "both")


class Pct(Decimal):
    """A percentage (printed with one decimal)."""


Cell = str | int | Decimal | None


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    header: list[str]
    rows: list[list[Cell]]
    money: tuple[int, ...] = ()  # columns holding amounts (right-aligned, totals)


@lru_cache(maxsize=2)
def _words(lang: str) -> dict[str, str]:
    with (paths.templates_dir() / "cba" / f"{lang}.toml").open("rb") as fh:
        return {k: str(v) for k, v in tomllib.load(fh).items()}


class Words:
    def __init__(self, lang: str) -> None:
        if lang not in LANGS:
            raise ValueError(f"language {lang!r}")
        self.lang = lang

    def __call__(self, key: str, **fields: object) -> str:
        if self.lang == "both":
            en, ar = _words("en")[key].format(**fields), _words("ar")[key].format(**fields)
            return en if en == ar else f"{en} / {ar}"
        return _words(self.lang)[key].format(**fields)

    @property
    def rtl(self) -> bool:
        return self.lang == "ar"

    def lot_name(self, lot: Lot) -> str:
        if self.lang == "both" and lot.name_ar:
            return f"{lot.name} / {lot.name_ar}"
        return lot.display_name("ar" if self.lang == "ar" else "en")


def heading(cba: CBA, w: Words) -> list[tuple[str, str]]:
    """(label, value) lines under the title."""
    basis = w("basis_text") + (", " + w("with_tax", tax=cba.tax) if cba.tax is not None else "")
    rule = w("rule_highest") if cba.missing_rates == HIGHEST else w("rule_reject")
    most = str(cba.max_lots) if cba.max_lots is not None else w("no_max")
    return [
        (w("tender"), f"{cba.reference or '-'}: {cba.programme}"),
        (w("revision"), cba.revision or "-"),
        (w("currency"), cba.currency),
        (w("basis"), basis),
        (w("rules"), w("rules_text", rule=rule, max=most, low=cba.abnormally_low, threshold=cba.threshold)),
    ]


def _yes_no(value: bool | None, w: Words, yes: str = "yes", no: str = "no") -> str:
    return w("not_assessed") if value is None else w(yes) if value else w(no)


def opening(cba: CBA, w: Words) -> Table:
    rows: list[list[Cell]] = []
    for b in cba.bidders:
        r = b.record
        rows.append([b.name, b.file, r.received.strftime("%Y-%m-%d %H:%M") if r and r.received else "",
                     r.security_amount if r else None, _yes_no(r.security_valid, w) if r else "",
                     w(b.status), "; ".join(b.reasons + b.notes)])
    return Table(w("opening"), [w(k) for k in ("bidder", "files", "received", "security_amount", "security_valid",
                                               "status", "reasons")], rows, (3,))


def _lots_of(cba: CBA, b: Bidder, status: str) -> str:
    found = []
    for lot in cba.lots:
        entry = next((e for e in lot.bids if e.bidder == b.name), None)
        now = entry.status if entry else NOT_BID
        if now == status:
            found.append(str(lot.number))
    return ", ".join(found)


def compliance(cba: CBA, w: Words) -> Table:
    rows: list[list[Cell]] = []
    for b in cba.bidders:
        checks: list[Cell] = []
        for name in CHECKS:
            check = b.record.check(name) if b.record else None
            if check is None:
                checks.append("")
            else:
                checks.append(_yes_no(check.passed, w, "pass", "fail") + (f": {check.note}" if check.note else ""))
        evaluated = b.evaluated
        rows.append([b.name, *checks, w(b.status),
                     _lots_of(cba, b, COMPLIANT) if evaluated else "", _lots_of(cba, b, NON_COMPLIANT) if evaluated else "",
                     _lots_of(cba, b, NOT_BID) if evaluated else ""])
    return Table(w("compliance"), [w(k) for k in ("bidder", *CHECKS, "status", "lots_compliant", "lots_non_compliant",
                                                  "lots_not_bid")], rows)


def ranking(lot: Lot, w: Words) -> Table:
    rows: list[list[Cell]] = []
    for e in lot.bids:
        notes = e.reasons + (([w("abnormally_low")]) if e.abnormally_low else [])
        if e.low or e.high:
            notes.append(f"{w('abnormal')}: {len(e.low)} {w('low')}, {len(e.high)} {w('high')}")
        rows.append([e.rank if e.rank is not None else "", e.bidder, e.read_total, e.corrected_total, e.difference.amount,
                     Pct(e.difference.percent) if e.difference.percent is not None else None, w(e.status),
                     "; ".join(notes)])
    return Table(f"{w('lot_title', number=lot.number, name=w.lot_name(lot))}",
                 [w(k) for k in ("rank", "bidder", "read_total", "corrected_total", "difference", "difference_pct",
                                 "status", "anomalies")], rows, (2, 3, 4))


def corrections(lot: Lot, w: Words, limit: int | None = None) -> Table:
    rows: list[list[Cell]] = []
    for e in lot.bids:
        for a in e.corrections[:limit]:
            where = f"{a.sheet}, {a.row}" if a.row else a.sheet
            rows.append([e.bidder, a.item_ref, where, a.kind, a.stated, a.corrected, a.message])
        if limit is not None and len(e.corrections) > limit:
            rows.append([e.bidder, "", "", "", None, None, f"... {len(e.corrections) - limit} more (--report lists all)"])
    return Table(w("corrections"), [w(k) for k in ("bidder", "item", "where", "kind", "stated", "corrected", "what")],
                 rows, (4, 5))


def abnormal(lot: Lot, cba: CBA, w: Words, limit: int | None = None) -> Table:
    rows: list[list[Cell]] = []
    items = {it.uid: it for it in lot.items}
    for e in lot.bids:
        flagged = [(uid, "low") for uid in e.low] + [(uid, "high") for uid in e.high]
        for uid, flag in flagged[:limit]:
            ln = items[uid].line
            rate = e.rates[uid]
            dev = deviation(rate, ln.rate)
            rows.append([e.bidder, ln.item.ref, ln.item.description, ln.rate, rate,
                         Pct(dev) if dev is not None else None, w(flag)])
        if limit is not None and len(flagged) > limit:
            rows.append([e.bidder, "", f"... {len(flagged) - limit} more", None, None, None, ""])
    return Table(w("abnormal"), [w(k) for k in ("bidder", "item", "description", "engineer_rate", "bid_rate",
                                                "deviation", "kind")], rows, (3, 4))


def recommendation(cba: CBA, w: Words) -> Table:
    rows: list[list[Cell]] = []
    for lot in cba.lots:
        rec = lot.recommended
        rows.append([lot.number, w.lot_name(lot), lot.estimate, rec.bidder if rec else w("no_award"),
                     rec.corrected_total if rec else None, rec.difference.amount if rec else None,
                     Pct(rec.difference.percent) if rec and rec.difference.percent is not None else None, lot.note])
    awarded = [lot for lot in cba.lots if lot.recommended]
    rows.append(["", w("total"), sum((lot.estimate for lot in awarded), Decimal(0)), "", cba.recommended_total,
                 cba.recommended_total - sum((lot.estimate for lot in awarded), Decimal(0)), None, ""])
    return Table(w("recommendation"), [w(k) for k in ("lot", "name", "estimate", "recommended", "amount",
                                                      "difference", "difference_pct", "anomalies")], rows, (2, 4, 5))


def committee(cba: CBA, w: Words, blank: int = 4) -> Table:
    members = cba.committee or [("", "")] * blank
    return Table(w("committee"), [w(k) for k in ("name", "role", "signature", "date")],
                 [[name, role, "", ""] for name, role in members])


def show(value: Cell) -> str:
    """A cell as printed."""
    if value is None:
        return ""
    if isinstance(value, Pct):
        return fmt(value, 1)
    if isinstance(value, Decimal):
        return fmt(value)
    return str(value)
