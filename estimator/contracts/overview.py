"""The programme manager's view of the contracts: per lot the contract sum, variations, certified to date,
% complete, and the cumulative value certified over time (for the chart)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from estimator.contracts import storage
from estimator.contracts.measurement import progress
from estimator.money import HUNDRED, ZERO
from estimator.store import Project


@dataclass(frozen=True, slots=True)
class LotStatus:
    lot: str
    name: str
    contractor: str
    currency: str
    contract_sum: Decimal
    variations: Decimal  # approved
    pending: Decimal  # variations recorded pending
    revised_sum: Decimal
    certified: Decimal  # gross value certified to date (the last certificate's)
    paid: Decimal  # amounts due certified to date (after retention and advance recovery)
    complete: Decimal  # % of the revised sum certified
    measured: Decimal  # % of the revised sum measured (the latest period, certified or not)
    certificates: int
    history: list[tuple[dt.date, Decimal]] = field(default_factory=list)  # (date, gross certified to date)

    def to_json(self) -> dict[str, object]:
        return {"lot": self.name, "contractor": self.contractor, "currency": self.currency,
                "contract_sum": f"{self.contract_sum:.2f}", "variations": f"{self.variations:.2f}",
                "pending_variations": f"{self.pending:.2f}", "revised_sum": f"{self.revised_sum:.2f}",
                "certified_to_date": f"{self.certified:.2f}", "paid_to_date": f"{self.paid:.2f}",
                "percent_complete": f"{self.complete:.1f}", "certificates": self.certificates,
                "history": [[d.isoformat(), f"{v:.2f}"] for d, v in self.history]}


def overview(project: Project) -> list[LotStatus]:
    """The status of every awarded lot, in the programme's lot order."""
    order = {f.uid: n for n, f in enumerate(project.programme.facilities)}
    out = []
    for lot in sorted(storage.awarded_lots(project), key=lambda uid: order.get(uid, len(order))):
        ledger = storage.ledger(project, lot)
        if ledger is None:
            continue
        c = ledger.contract
        revised = ledger.revised_sum()
        last = ledger.certificates[-1] if ledger.certificates else None
        certified = last.gross_to_date if last else ZERO
        out.append(LotStatus(
            lot, c.lot_name, c.contractor, c.currency, c.sum, ledger.variations_value(),
            ledger.variations_value(approved_only=False) - ledger.variations_value(), revised, certified,
            sum((x.amount_due for x in ledger.certificates), ZERO),
            certified / revised * HUNDRED if revised > 0 else ZERO, progress(ledger), len(ledger.certificates),
            [(x.date, x.gross_to_date) for x in ledger.certificates]))
    return out
