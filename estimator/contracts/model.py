"""What a lot's contract is after award: plain dataclasses, rebuilt from the append-only log.

A `Contract` is the awarded BoQ (the issued revision's items with the contractor's corrected rates)
and its terms; `Ledger` is everything recorded for the lot since: variations (and their approvals),
measurements per period and the certificates issued. The ledger answers the questions every command
asks: the items as revised by the approved variations, the cumulative quantity of an item at the
end of a period, the certificates before a period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from estimator.errors import UserError
from estimator.money import HUNDRED, ZERO
from estimator.pricing import line_amount

APPROVED = "approved"
PENDING = "pending"
STATUSES = (APPROVED, PENDING)
ADD, OMIT, CHANGE = "add", "omit", "change"
ACTIONS = (ADD, OMIT, CHANGE)
# how the rate of an added item was set (issue 19): a contract rate, the library's built-up rate, agreed
RATE_SOURCES = ("contract", "library", "agreed")
LUMP_SUM_UNITS = ("ls", "sum", "item")


PERCENT_UNIT = "%"  # a profit and attendance line: quantity = its prime cost sum, rate = the % (`model.PERCENT`)


class ContractError(UserError):
    """A contract step that cannot be done as asked (no award, a period out of order, ...)."""


@dataclass(frozen=True, slots=True)
class Terms:
    """The particulars the contract was awarded on, frozen at award."""

    retention: Decimal = ZERO  # % of each certificate's valuation
    retention_cap: Decimal | None = None  # % of the contract sum; None: no cap
    advance: Decimal = ZERO  # % of the contract sum paid in advance
    advance_from: Decimal = ZERO  # recovery starts when the work certified reaches this % of the contract sum
    advance_until: Decimal = HUNDRED  # and is complete when it reaches this % (0 and 100: pro rata)
    defects_liability_days: int = 365
    completion_days: int = 0
    liquidated_damages: Decimal = ZERO  # per day, contract currency

    def to_json(self) -> dict[str, object]:
        return {"retention": str(self.retention), "retention_cap": None if self.retention_cap is None else
                str(self.retention_cap), "advance": str(self.advance), "advance_from": str(self.advance_from),
                "advance_until": str(self.advance_until), "defects_liability_days": self.defects_liability_days,
                "completion_days": self.completion_days, "liquidated_damages": str(self.liquidated_damages)}


@dataclass(frozen=True, slots=True)
class ContractItem:
    uid: str
    ref: str
    description: str
    unit: str
    quantity: Decimal
    rate: Decimal
    description_ar: str = ""
    bill: str = ""
    kind: str = ""  # `model.Item.kind`
    origin: str = "contract"  # "contract" or the variation that added it ("VO-2")

    @property
    def amount(self) -> Decimal:
        return line_amount(self.quantity, self.rate, self.unit)

    @property
    def lump_sum(self) -> bool:
        """Measured as % complete: a lump sum unit, a provisional or prime cost sum, profit and attendance."""
        return self.unit.casefold() in LUMP_SUM_UNITS or self.unit == PERCENT_UNIT or \
            self.kind in ("provisional sum", "prime cost sum")


@dataclass(frozen=True, slots=True)
class Contract:
    lot: str  # the facility's uid
    lot_name: str
    contractor: str
    date: dt.date  # of award, the contract date
    revision: str  # the tender revision the bid answered ("" for a file without revisions)
    bid_file: str
    currency: str
    terms: Terms
    items: tuple[ContractItem, ...]
    seq: int = 0

    @property
    def sum(self) -> Decimal:
        """The contract sum: printed amounts added (what is printed is what is summed)."""
        return sum((item.amount for item in self.items), ZERO)

    @property
    def completion(self) -> dt.date:
        return self.date + dt.timedelta(days=self.terms.completion_days)


@dataclass(frozen=True, slots=True)
class VariationLine:
    action: str  # ADD, OMIT, CHANGE
    item: str  # the uid of the item changed or omitted, or of the new item
    quantity: Decimal = ZERO  # the new quantity (CHANGE) or the added one (ADD)
    new: ContractItem | None = None  # ADD: the new item
    rate_source: str = ""  # ADD: one of RATE_SOURCES


@dataclass(frozen=True, slots=True)
class Variation:
    name: str
    number: int  # 1, 2, ... in order of recording within the lot
    date: dt.date
    status: str
    lines: tuple[VariationLine, ...]
    value: Decimal  # its effect on the contract sum, computed when it was recorded
    description: str = ""
    seq: int = 0
    approved_on: dt.date | None = None  # the date of the approval entry of a variation recorded pending

    @property
    def approved(self) -> bool:
        return self.status == APPROVED or self.approved_on is not None


@dataclass(frozen=True, slots=True)
class Measure:
    """An item's cumulative progress at the end of a period: a quantity, or a % of a lump sum."""

    quantity: Decimal | None = None
    percent: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Measurement:
    period: int
    date: dt.date
    measures: dict[str, Measure]
    seq: int = 0


@dataclass(frozen=True, slots=True)
class CertificateLine:
    uid: str
    ref: str
    description: str
    description_ar: str
    unit: str
    contract_quantity: Decimal  # as revised by the approved variations
    rate: Decimal
    previous_quantity: Decimal
    cumulative_quantity: Decimal
    previous_value: Decimal
    cumulative_value: Decimal
    percent: Decimal | None = None  # a lump sum measured as % complete (cumulative)

    @property
    def this_quantity(self) -> Decimal:
        return self.cumulative_quantity - self.previous_quantity

    @property
    def this_value(self) -> Decimal:
        return self.cumulative_value - self.previous_value

    @property
    def contract_amount(self) -> Decimal:
        return line_amount(self.contract_quantity, self.rate, self.unit)


@dataclass(frozen=True, slots=True)
class Certificate:
    lot: str
    lot_name: str
    period: int
    date: dt.date
    currency: str
    contractor: str
    contract_sum: Decimal
    revised_sum: Decimal  # with the approved variations
    gross_to_date: Decimal  # work done, valued at contract rates
    materials_on_site: Decimal
    valuation: Decimal  # gross + materials
    retention: Decimal  # held to date
    advance: Decimal  # the advance paid
    advance_recovery: Decimal  # recovered to date
    net_to_date: Decimal  # valuation - retention - advance recovery
    previous_certified: Decimal
    amount_due: Decimal
    lines: tuple[CertificateLine, ...]
    kind: str = "interim"  # interim | final | release
    number: int = 0  # 1, 2, ... in order of issue
    seq: int = 0
    issued: bool = False  # recorded in the file (False: a draft not recorded)

    @property
    def final(self) -> bool:
        return self.kind == "final"


@dataclass(slots=True)
class Ledger:
    """A lot's contract and everything recorded for it, in order."""

    contract: Contract
    variations: list[Variation] = field(default_factory=list)
    measurements: list[Measurement] = field(default_factory=list)  # in order of recording
    certificates: list[Certificate] = field(default_factory=list)  # in order of issue

    def items(self, approved_only: bool = True) -> list[ContractItem]:
        """The contract's items with the (approved) variations applied, in contract order then added ones."""
        by_uid = {item.uid: item for item in self.contract.items}
        order = [item.uid for item in self.contract.items]
        for variation in self.variations:
            if approved_only and not variation.approved:
                continue
            for line in variation.lines:
                if line.action == ADD and line.new is not None:
                    by_uid[line.item] = line.new
                    order.append(line.item)
                elif line.item in by_uid:
                    quantity = ZERO if line.action == OMIT else line.quantity
                    old = by_uid[line.item]
                    by_uid[line.item] = ContractItem(old.uid, old.ref, old.description, old.unit, quantity, old.rate,
                                                     old.description_ar, old.bill, old.kind, old.origin)
        return [by_uid[uid] for uid in order]

    def revised_sum(self) -> Decimal:
        return sum((item.amount for item in self.items()), ZERO)

    def variations_value(self, approved_only: bool = True) -> Decimal:
        return sum((v.value for v in self.variations if v.approved or not approved_only), ZERO)

    def variation(self, name: str) -> Variation | None:
        wanted = name.strip().casefold()
        return next((v for v in self.variations if v.name.casefold() == wanted), None)

    def periods(self) -> list[int]:
        return sorted({m.period for m in self.measurements})

    def measured(self, period: int) -> dict[str, Measure]:
        """Each item's cumulative progress at the end of `period`: the latest entry of a period up to it."""
        found: dict[str, tuple[int, int, Measure]] = {}
        for m in self.measurements:
            if m.period > period:
                continue
            for uid, measure in m.measures.items():
                key = (m.period, m.seq)
                if uid not in found or key >= found[uid][:2]:
                    found[uid] = (m.period, m.seq, measure)
        return {uid: v[2] for uid, v in found.items()}

    def certificate(self, period: int) -> Certificate | None:
        return next((c for c in self.certificates if c.period == period), None)

    def final_certificate(self) -> Certificate | None:
        return next((c for c in self.certificates if c.kind == "final"), None)
