"""The domain model: programme -> facilities -> bills -> items, plain dataclasses.

Nothing here knows about files, Qt or pricing; quantities and rates are Decimals, units are
canonical strings from `estimator.units`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from estimator import settings
from estimator.errors import MissingExchangeRate
from estimator.money import ZERO, round_money
from estimator.particulars import LotParticulars, TenderParticulars, for_lot
from estimator.rates.book import RateBook
from estimator.settings import ExchangeRate as ExchangeRate  # the settings own it; the model holds a list of them

FACILITY_TYPES = (
    "hospital",
    "specialised surgical hospital",
    "primary health care centre",
    "women and family health centre",
    "thalassemia centre",
    "dialysis unit",
    "physiotherapy centre",
    "prosthetic limb centre",
    "ambulance centre",
    "radiation therapy centre",
    "women's community centre",
    "new-build health centre",
)


# What an item is in a tender (`Item.kind`). Measured work is priced by bidders; a provisional sum is
# an amount the employer fixes (bidders do not price it, every bid's total includes it); a prime
# cost sum is the same plus the bidder's % for profit and attendance; a daywork line has a
# provisional quantity and the bidder's rate (shared/DOMAIN.md, "Tender money structure").
MEASURED = ""
PROVISIONAL_SUM = "provisional sum"
PC_SUM = "prime cost sum"
DAYWORK = "daywork"
# The bidder's profit and attendance on a prime cost sum: a line priced as a percentage. Its quantity
# is the prime cost sum's amount (programme currency), its rate the percentage (the engineer's estimate
# of it; bidders write their own), its amount quantity x rate / 100. Its unit is always PERCENT.
PC_ATTENDANCE = "profit and attendance"
PERCENT = "%"
ITEM_KINDS = (MEASURED, PROVISIONAL_SUM, PC_SUM, PC_ATTENDANCE, DAYWORK)
FIXED_SUMS = (PROVISIONAL_SUM, PC_SUM)  # amounts the employer fixes: never priced by bidders
# Dayworks are one kind; their categories (labour, plant, materials) are the bills of the lot's
# daywork schedule or headings in its descriptions, not a kind of their own.


def new_uid() -> str:
    return uuid.uuid4().hex[:16]


@dataclass(slots=True)
class Item:
    description: str
    quantity: Decimal
    unit: str
    ref: str = ""
    description_ar: str = ""
    rate_code: str = ""
    rate: Decimal | None = None  # an own rate; wins over rate_code
    rate_currency: str = ""
    rate_unit: str = ""  # billing unit of an own rate; defaults to `unit`
    provisional: bool = False
    notes: str = ""
    uid: str = field(default_factory=new_uid)
    measurement: str = ""  # the quantity as typed when it was arithmetic, e.g. `2*(4.5+3.2)` or `2*3.5 m2`
    kind: str = MEASURED  # one of ITEM_KINDS


@dataclass(slots=True)
class Bill:
    name: str
    name_ar: str = ""
    items: list[Item] = field(default_factory=list)
    uid: str = field(default_factory=new_uid)


@dataclass(slots=True)
class Facility:
    name: str
    governorate: str = ""
    district: str = ""
    facility_type: str = ""
    floor_area: Decimal | None = None  # gross floor area, m2
    beds: int | None = None
    notes: str = ""
    bills: list[Bill] = field(default_factory=list)
    uid: str = field(default_factory=new_uid)
    name_ar: str = ""  # the name in Arabic documents (the English name when empty)

    def display_name(self, lang: str) -> str:
        """The facility's name in a document of language `lang` (en or ar)."""
        return (self.name_ar or self.name) if lang == "ar" else self.name

    def bill(self, name: str) -> Bill:
        """The bill called `name`, created at the end if it does not exist."""
        for bill in self.bills:
            if bill.name == name:
                return bill
        bill = Bill(name)
        self.bills.append(bill)
        return bill

    def items(self) -> list[Item]:
        return [item for bill in self.bills for item in bill.items]


@dataclass(slots=True)
class Markups:
    contingency: Decimal = ZERO
    overheads: Decimal = ZERO
    tax: Decimal = ZERO

    def __post_init__(self) -> None:
        for name, value in self.named():
            settings.markup(value, name)

    def named(self) -> list[tuple[str, Decimal]]:
        """(name in messages, %) of each markup: `settings.MARKUP_NAMES`."""
        return [(name, getattr(self, key)) for key, name in settings.MARKUP_NAMES.items()]

    def as_list(self) -> list[tuple[str, Decimal]]:
        return [("Contingency", self.contingency), ("Overheads & profit", self.overheads), ("Tax", self.tax)]


@dataclass(slots=True)
class Programme:
    name: str
    currency: str = "USD"
    reference: str = ""
    organisation: str = ""
    revision: str = "0"
    issue_date: dt.date = field(default_factory=dt.date.today)
    validity_days: int = 90
    notes: str = ""
    exchange_rates: list[ExchangeRate] = field(default_factory=list)
    markups: Markups = field(default_factory=Markups)
    facilities: list[Facility] = field(default_factory=list)
    # The rates this programme is priced with: a snapshot taken from the library at import, so
    # the totals stay the same when rates/ changes (re-pricing is an explicit action).
    rates: RateBook = field(default_factory=RateBook)
    # work lists imported so far: content digest -> "file name, date" (estimator.imports)
    imported: dict[str, str] = field(default_factory=dict)
    # tender particulars: programme defaults for every lot, and per-lot overrides by facility uid
    particulars: TenderParticulars = field(default_factory=TenderParticulars)
    lot_overrides: dict[str, LotParticulars] = field(default_factory=dict)
    name_ar: str = ""  # the programme's name in Arabic documents (the English name when empty)
    organisation_ar: str = ""  # the organisation's name in Arabic documents

    def display_name(self, lang: str) -> str:
        """The programme's name in a document of language `lang` (en or ar)."""
        return (self.name_ar or self.name) if lang == "ar" else self.name

    def display_organisation(self, lang: str) -> str:
        return (self.organisation_ar or self.organisation) if lang == "ar" else self.organisation

    def facility(self, name: str) -> Facility:
        """The facility called `name`, created at the end if it does not exist."""
        for facility in self.facilities:
            if facility.name == name:
                return facility
        facility = Facility(name)
        self.facilities.append(facility)
        return facility

    def lot_particulars(self, facility: Facility) -> LotParticulars:
        """The contract terms of `facility`'s lot: the programme's defaults with the lot's overrides."""
        return for_lot(self.particulars, self.lot_overrides.get(facility.uid))

    def fx_rate(self, currency: str) -> Decimal:
        """Units of `currency` per programme-currency unit, the latest dated entry."""
        if currency == self.currency:
            return Decimal(1)
        best: ExchangeRate | None = None
        for entry in self.exchange_rates:
            if entry.currency == currency and (best is None or entry.date >= best.date):
                best = entry
        if best is None:
            raise MissingExchangeRate(currency, self.currency)
        return best.rate

    def set_fx(self, currency: str, rate: Decimal, date: dt.date) -> None:
        currency = settings.currency(currency)
        if currency == self.currency:
            raise settings.InvalidSetting(f"{currency} is the programme currency; its rate is always 1")
        entry = ExchangeRate(currency, rate, date)
        self.exchange_rates = [e for e in self.exchange_rates if not (e.currency == currency and e.date == date)]
        self.exchange_rates.append(entry)
        self.exchange_rates.sort(key=lambda e: (e.currency, e.date))

    def rebase(self, currency: str) -> None:
        """Make `currency` the programme currency, re-basing every exchange rate on it exactly."""
        rates = settings.rebase(self.exchange_rates, self.currency, currency)
        self.pin_own_rates(currency)
        self.exchange_rates = rates
        self.currency = settings.currency(currency)

    def pin_own_rates(self, new_currency: str) -> list[tuple[str, str]]:
        """Keep every amount typed in the programme currency worth the same when it becomes `new_currency`.

        Called before the programme currency changes: an own rate or fixed sum typed as "2,500"
        meant 2,500 of the old currency, so the old currency is written beside it; a profit and
        attendance line's base (its prime cost sum, in the programme currency) is converted, to the
        cent. Returns the (bill uid, item uid) of the items it changed.
        """
        per_old = self.fx_rate(new_currency) if new_currency != self.currency else Decimal(1)
        pinned = []
        for facility in self.facilities:
            for bill in facility.bills:
                for item in bill.items:
                    if item.kind == PC_ATTENDANCE:
                        if per_old != 1:
                            item.quantity = round_money(item.quantity * per_old)
                            pinned.append((bill.uid, item.uid))
                    elif item.rate is not None and not item.rate_currency:
                        item.rate_currency = self.currency
                        pinned.append((bill.uid, item.uid))
        return pinned

    def currencies(self) -> list[str]:
        return sorted({self.currency} | {e.currency for e in self.exchange_rates})

    def item_count(self) -> int:
        return sum(len(b.items) for f in self.facilities for b in f.bills)


def renumber(facility: Facility) -> None:
    """Give the items of a facility references `bill.item` (e.g. `3.12`) in their current order."""
    for b_no, bill in enumerate(facility.bills, start=1):
        for i_no, item in enumerate(bill.items, start=1):
            item.ref = f"{b_no}.{i_no}"
