"""`boq bids --json`: the evaluation as JSON, amounts as decimal strings (`"1234.50"`)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from estimator.money import plain

if TYPE_CHECKING:
    from estimator.analysis.bids import Evaluation


def _money(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


def evaluation_json(ev: Evaluation) -> dict[str, object]:
    from estimator.analysis.bids import percent

    return {
        "programme": ev.programme,
        "reference": ev.reference,
        "currency": ev.currency,
        "threshold_percent": str(ev.threshold),
        "engineer": {"subtotal": plain(ev.engineer_subtotal),
                     "markups": [{"name": m.name, "percent": str(m.percent), "amount": plain(m.amount)}
                                 for m in ev.engineer_markups],
                     "total": plain(ev.engineer_total)},
        "ranking": [
            {"rank": b.rank, "file": b.file, "bidder": b.bidder, "company": b.company,
             "stated_total": _money(b.stated_total), "stated_source": b.stated_source,
             "corrected_subtotal": plain(b.corrected_subtotal),
             "corrected_markups": [{"name": m.name, "percent": str(m.percent), "amount": plain(m.amount)}
                                   for m in b.corrected_markups],
             "corrected_total": plain(b.corrected_total),
             "difference_from_estimate_percent": percent((b.corrected_total - ev.engineer_total) / ev.engineer_total * 100)
             if ev.engineer_total else None,
             "added_rows_amount": plain(b.added_amount), "missing_rates": b.missing,
             "missing_at_engineer_rates": plain(b.missing_value), "rates_low": b.low, "rates_high": b.high,
             "anomaly_counts": b.counts()}
            for b in ev.bids
        ],
        "anomalies": {
            b.file: [{"kind": a.kind, "sheet": a.sheet, "row": a.row, "column": a.column, "item_uid": a.item_uid,
                      "item": a.item_ref, "message": a.message, "stated": _money(a.stated),
                      "corrected": _money(a.corrected)} for a in b.anomalies]
            for b in ev.bids
        },
        "refused": [{"file": r.file, "reason": r.reason} for r in ev.refused],
        "items": [
            {"uid": it.uid, "facility": it.facility, "item": it.line.item.ref, "description": it.line.item.description,
             "unit": it.line.unit, "quantity": plain(it.line.quantity), "engineer_rate": plain(it.line.rate),
             "engineer_amount": plain(it.line.amount),
             "bids": {b.file: {"rate": None if (f := b.items[it.uid]).rate is None else str(f.rate),
                               "corrected_amount": plain(f.corrected), "stated_amount": _money(f.stated),
                               "deviation_percent": percent(ev.deviation(it, b)) or None, "flag": ev.flag(it, b)}
                      for b in ev.bids}}
            for it in ev.items
        ],
    }
