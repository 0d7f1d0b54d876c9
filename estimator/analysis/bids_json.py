"""`boq bids --json`: the comparative bid analysis as JSON, amounts as decimal strings (`"1234.50"`).

    {"currency": .., "revision": .., "bidders": [{"name", "file", "status", "reasons"}],
     "lots": [{"lot": <lot number>, "name": .., "estimate": ..,
               "ranking": [{"bidder", "read_total", "corrected_total", "status", "anomalies"}],
               "recommended": <bidder or null>}],
     "recommendation": [{"lot", "bidder", "amount"}]}

A lot's ranking lists the compliant bids in rank order, then the non-compliant ones; a bidder who
did not bid for the lot, or failed the compliance checks, is not in it. `anomalies` are texts: the
reasons of the lot's status first, then what the reading found in that lot.
"""

from __future__ import annotations

from decimal import Decimal

from estimator.analysis.lots import CBA
from estimator.money import plain


def _money(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


def cba_json(cba: CBA) -> dict[str, object]:
    return {
        "currency": cba.currency,
        "revision": cba.revision,
        "bidders": [{"name": b.name, "file": b.file, "status": b.status, "reasons": b.reasons + b.notes}
                    for b in cba.bidders],
        "lots": [
            {"lot": lot.number, "name": lot.name, "estimate": plain(lot.estimate),
             "ranking": [{"bidder": e.bidder, "read_total": _money(e.read_total), "corrected_total": plain(e.corrected_total),
                          "status": e.status, "anomalies": e.reasons + e.anomaly_texts()} for e in lot.bids],
             "recommended": lot.recommended.bidder if lot.recommended else None}
            for lot in cba.lots
        ],
        "recommendation": [{"lot": int(a.lot), "bidder": a.bidder, "amount": plain(a.amount)} for a in cba.recommendation],
    }
