"""Tender particulars: what the contract of each lot says beyond its bill of quantities.

A programme sets defaults for every lot (`TenderParticulars.lot`); a facility (a lot) may override
any field (`Facility` overrides are kept in `Programme.lot_overrides`, keyed by the facility's uid).
`for_lot()` resolves the two into the particulars a document, a bid evaluation or a contract uses.

Stored in the `.boq` file's meta table as JSON (`META_KEY`, `LOT_META_KEY`); values are decimal
strings, so a round trip is exact. This module owns what a valid particular is.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace
from decimal import Decimal
from typing import Any

from estimator.errors import UserError
from estimator.messages import Message
from estimator.money import to_decimal

META_KEY = "particulars"
LOT_META_KEY = "lot_particulars"

REJECT = "reject"  # a lot with some rates missing is not substantially responsive
HIGHEST = "highest"  # a missing rate is priced at the highest other bid's rate for that item
MISSING_RATE_RULES = (REJECT, HIGHEST)


class InvalidParticular(UserError):
    """A tender particular out of its range (e.g. a retention of 150 %)."""


@dataclass(frozen=True, slots=True)
class LotParticulars:
    """The contract terms of one lot. In an override, None means "the programme's default"."""

    completion_days: int | None = None  # time for completion, calendar days from the start date
    liquidated_damages: Decimal | None = None  # per day of delay, programme currency
    liquidated_damages_cap: Decimal | None = None  # % of the contract sum
    defects_liability_days: int | None = None
    retention: Decimal | None = None  # % of each certificate's gross value
    retention_cap: Decimal | None = None  # % of the contract sum retention stops at
    advance: Decimal | None = None  # advance payment, % of the contract sum
    bid_security: Decimal | None = None  # a fixed amount (never a % of the price), programme currency
    bid_security_days: int | None = None  # validity of the bid security

    def merged(self, override: LotParticulars) -> LotParticulars:
        """These particulars with every field `override` sets replaced."""
        return replace(self, **{f.name: v for f in fields(override) if (v := getattr(override, f.name)) is not None})

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))


DEFAULT_LOT = LotParticulars(
    completion_days=120,
    liquidated_damages=Decimal("0"),
    liquidated_damages_cap=Decimal("10"),
    defects_liability_days=365,
    retention=Decimal("5"),
    retention_cap=Decimal("5"),
    advance=Decimal("0"),
    bid_security=Decimal("0"),
    bid_security_days=120,
)


@dataclass(frozen=True, slots=True)
class Drawing:
    """One drawing issued with the tender (user-entered): number, title, revision."""

    number: str
    title: str
    revision: str = ""


@dataclass(frozen=True, slots=True)
class TenderParticulars:
    """Programme-wide tender terms, and the defaults of every lot."""

    lot: LotParticulars = DEFAULT_LOT
    max_lots_per_bidder: int | None = None  # None: a bidder may be awarded any number of lots
    bidders_charge_tax: bool = False  # bidders add the programme's tax to their total
    missing_rates: str = REJECT  # one of MISSING_RATE_RULES
    abnormally_low: Decimal = Decimal("20")  # % below the estimate that makes a bid abnormally low
    # submission arrangements (printed in the instructions, the bid data sheet and the forms)
    submission_address: str = ""  # where sealed bids are delivered; empty: e-mail only (or the employer's offices)
    submission_address_ar: str = ""  # the same in Arabic documents (the English text when empty)
    submission_email: str = ""  # bids may (also) be sent to this address as password-protected files
    two_envelopes: bool = True  # (1) documents and bid security, (2) financial offer, opened later
    site_visit: dt.date | None = None  # the date of the organised site visit
    clarification_deadline: dt.date | None = None  # the last day for written questions (else from tender.toml)
    drawings: tuple[Drawing, ...] = ()  # the drawings list issued with the documents


_PERCENTS = ("liquidated_damages_cap", "retention", "retention_cap", "advance")
_AMOUNTS = ("liquidated_damages", "bid_security")
_DAYS = ("completion_days", "defects_liability_days", "bid_security_days")


def check_lot(p: LotParticulars, where: str = "") -> LotParticulars:
    """`p` if every value it sets is in range, else InvalidParticular naming the field."""
    at = f"{where}: " if where else ""
    for name in _PERCENTS:
        v = getattr(p, name)
        if v is not None and not Decimal(0) <= v <= Decimal(100):
            raise InvalidParticular(Message("particular_percent", at=at, name=name.replace("_", " "), value=v))
    for name in _AMOUNTS:
        v = getattr(p, name)
        if v is not None and not Decimal(0) <= v < Decimal("1e13"):
            raise InvalidParticular(Message("particular_amount", at=at, name=name.replace("_", " "), value=v))
    for name in _DAYS:
        v = getattr(p, name)
        if v is not None and not 0 <= v <= 36500:
            raise InvalidParticular(Message("particular_days", at=at, name=name.replace("_", " "), value=v))
    return p


def check(t: TenderParticulars) -> TenderParticulars:
    check_lot(t.lot, "programme particulars")
    if t.max_lots_per_bidder is not None and t.max_lots_per_bidder < 1:
        raise InvalidParticular(Message("max_lots", value=t.max_lots_per_bidder))
    if t.missing_rates not in MISSING_RATE_RULES:
        raise InvalidParticular(Message("missing_rate_rule", value=t.missing_rates, choices=", ".join(MISSING_RATE_RULES)))
    if not Decimal(0) <= t.abnormally_low <= Decimal(100):
        raise InvalidParticular(Message("abnormally_low", value=t.abnormally_low))
    return t


def for_lot(tender: TenderParticulars, override: LotParticulars | None) -> LotParticulars:
    """The particulars of a lot: the programme's defaults with the lot's overrides."""
    return tender.lot if override is None else tender.lot.merged(override)


def parse_lot(values: dict[str, str], where: str = "") -> LotParticulars:
    """Particulars from text (a CLI option, a settings field); empty text means "not set"."""
    known = {f.name for f in fields(LotParticulars)}
    at = f"{where}: " if where else ""
    out: dict[str, Any] = {}
    for name, text in values.items():
        if name not in known:
            raise InvalidParticular(Message("unknown_particular", at=at, name=name, choices=", ".join(sorted(known))))
        text = str(text).strip()
        if not text:
            continue
        if name in _DAYS:
            try:
                out[name] = int(text)
            except ValueError:
                raise InvalidParticular(Message("not_whole_days", at=at, name=name, text=text)) from None
        else:
            out[name] = to_decimal(text, f"{at}{name}")
    return check_lot(LotParticulars(**out), where)


def _lot_json(p: LotParticulars) -> dict[str, Any]:
    return {k: str(v) for k, v in asdict(p).items() if v is not None}


def lot_to_meta(overrides: dict[str, LotParticulars]) -> str:
    return json.dumps({uid: _lot_json(p) for uid, p in sorted(overrides.items()) if not p.is_empty()},
                      ensure_ascii=False, sort_keys=True)


def lot_from_meta(text: str | None) -> dict[str, LotParticulars]:
    if not text:
        return {}
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"{LOT_META_KEY} is not an object")
    return {str(uid): parse_lot(values, f"lot {uid}") for uid, values in data.items() if isinstance(values, dict)}


def to_meta(t: TenderParticulars) -> str:
    data = {"lot": _lot_json(t.lot), "max_lots_per_bidder": t.max_lots_per_bidder,
            "bidders_charge_tax": t.bidders_charge_tax, "missing_rates": t.missing_rates,
            "abnormally_low": str(t.abnormally_low),
            "submission_address": t.submission_address, "submission_address_ar": t.submission_address_ar,
            "submission_email": t.submission_email, "two_envelopes": t.two_envelopes,
            "site_visit": t.site_visit.isoformat() if t.site_visit else None,
            "clarification_deadline": t.clarification_deadline.isoformat() if t.clarification_deadline else None,
            "drawings": [[d.number, d.title, d.revision] for d in t.drawings]}
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def from_meta(text: str | None) -> TenderParticulars:
    if not text:
        return TenderParticulars()
    d = json.loads(text)
    if not isinstance(d, dict):
        raise ValueError(f"{META_KEY} is not an object")
    lot = DEFAULT_LOT.merged(parse_lot(d.get("lot") or {}, "programme particulars"))
    max_lots = d.get("max_lots_per_bidder")
    return check(TenderParticulars(
        lot=lot,
        max_lots_per_bidder=None if max_lots is None else int(max_lots),
        bidders_charge_tax=bool(d.get("bidders_charge_tax", False)),
        missing_rates=str(d.get("missing_rates", REJECT)),
        abnormally_low=to_decimal(str(d.get("abnormally_low", "20"))),
        submission_address=str(d.get("submission_address") or ""),
        submission_address_ar=str(d.get("submission_address_ar") or ""),
        submission_email=str(d.get("submission_email") or ""),
        two_envelopes=bool(d.get("two_envelopes", True)),
        site_visit=_date(d.get("site_visit"), "site_visit"),
        clarification_deadline=_date(d.get("clarification_deadline"), "clarification_deadline"),
        drawings=tuple(Drawing(*(str(x) for x in row[:3])) for row in d.get("drawings") or []
                       if isinstance(row, list) and 2 <= len(row) <= 3),
    ))


def _date(value: object, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InvalidParticular(f"{name} {value!r}: write the date as YYYY-MM-DD, e.g. 2026-12-10") from None


# submission arrangements settable by `boq tender-info FILE --set key=value`
INFO_KEYS = ("submission_address", "submission_address_ar", "submission_email", "two_envelopes", "site_visit",
             "clarification_deadline")


def with_info(t: TenderParticulars, key: str, text: str) -> TenderParticulars:
    """`t` with one submission arrangement set from text; empty text clears it."""
    text = text.strip()
    if key not in INFO_KEYS:
        raise InvalidParticular(f"unknown tender information {key!r}; use one of {', '.join(INFO_KEYS)}")
    value: Any
    if key == "two_envelopes":
        if text.lower() not in ("yes", "no", "true", "false", "1", "0", ""):
            raise InvalidParticular(f"two_envelopes {text!r}: write yes or no")
        value = text.lower() in ("yes", "true", "1", "")
    elif key in ("site_visit", "clarification_deadline"):
        value = _date(text, key)
    else:
        if len(text) > 500:
            raise InvalidParticular(f"{key} is {len(text)} characters; give at most 500")
        value = text
    return replace(t, **{key: value})


def parse_drawing(text: str) -> Drawing:
    """`A-101|Ground floor plan|B` (number | title | revision; the revision may be left out)."""
    parts = [p.strip() for p in text.split("|")]
    if not 2 <= len(parts) <= 3 or not parts[0] or not parts[1]:
        raise InvalidParticular(f"drawing {text!r}: write NUMBER|TITLE|REVISION, e.g. \"A-101|Ground floor plan|B\"")
    if any(len(p) > 200 for p in parts):
        raise InvalidParticular(f"drawing {text!r}: each part at most 200 characters")
    return Drawing(*parts)

LOT_FIELDS = tuple(f.name for f in fields(LotParticulars))
PROGRAMME_FIELDS = ("max_lots_per_bidder", "bidders_charge_tax", "missing_rates", "abnormally_low")
_YES, _NO = ("yes", "y", "true", "1", "on"), ("no", "n", "false", "0", "off")


def lot_values(p: LotParticulars) -> dict[str, str]:
    """The fields `p` sets, as text (the form `parse_lot` reads)."""
    return {k: str(v) for k, v in asdict(p).items() if v is not None}


def edit_lot(p: LotParticulars, sets: dict[str, str], clears: Sequence[str] = (), where: str = "") -> LotParticulars:
    """`p` with `sets` given (text, as a user typed it) and the fields in `clears` unset."""
    at = f"{where}: " if where else ""
    for name in clears:
        if name not in LOT_FIELDS:
            raise InvalidParticular(Message("cannot_clear", at=at, name=name, choices=", ".join(LOT_FIELDS)))
    values = {k: v for k, v in lot_values(p).items() if k not in clears}
    values.update(sets)
    return parse_lot(values, where)


def edit_tender(t: TenderParticulars, sets: dict[str, str], clears: Sequence[str] = ()) -> TenderParticulars:
    """The programme's particulars with `sets` given and `clears` put back to their defaults.

    Keys: every lot field (the programme's default for every lot), the programme-wide fields
    (PROGRAMME_FIELDS). A bad value names its field. (Submission arrangements and the drawings list
    are typed fields set by `boq tender-info`.)
    """
    where = "programme particulars"
    known = set(LOT_FIELDS) | set(PROGRAMME_FIELDS)
    for name in [*sets, *clears]:
        if name not in known:
            choices = ", ".join([*LOT_FIELDS, *PROGRAMME_FIELDS])
            raise InvalidParticular(Message("unknown_particular", at="", name=name, choices=choices))
    lot_sets = {k: v for k, v in sets.items() if k in LOT_FIELDS}
    lot_clears = [k for k in clears if k in LOT_FIELDS]
    lot = DEFAULT_LOT.merged(edit_lot(t.lot, lot_sets, lot_clears, where))
    default = TenderParticulars()
    changes: dict[str, Any] = {"lot": lot}
    for name in clears:
        if name in PROGRAMME_FIELDS:
            changes[name] = getattr(default, name)
    for name, text in sets.items():
        text = str(text).strip()
        if name == "max_lots_per_bidder":
            changes[name] = _whole(text, name) if text and text.lower() not in ("none", "any") else None
        elif name == "bidders_charge_tax":
            if text.lower() not in (*_YES, *_NO):
                raise InvalidParticular(Message("yes_or_no", at=f"{where}: ", name=name, text=text))
            changes[name] = text.lower() in _YES
        elif name == "missing_rates":
            changes[name] = text.lower()
        elif name == "abnormally_low":
            changes[name] = to_decimal(text, f"{where}: {name}")
    return check(replace(t, **changes))


def _whole(text: str, name: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InvalidParticular(Message("not_whole", at="programme particulars: ", name=name, text=text)) from None


def tender_values(t: TenderParticulars) -> dict[str, str]:
    """Every programme particular as text (what `boq particulars` shows)."""
    out = lot_values(t.lot)
    out["max_lots_per_bidder"] = "" if t.max_lots_per_bidder is None else str(t.max_lots_per_bidder)
    out["bidders_charge_tax"] = "yes" if t.bidders_charge_tax else "no"
    out["missing_rates"] = t.missing_rates
    out["abnormally_low"] = str(t.abnormally_low)
    return out
