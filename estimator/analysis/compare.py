"""Comparing the facilities of a programme: totals, trades, cost per m² and per bed, outliers.

Figures are the facility totals of `estimator.pricing` (before the programme's markups, which are
the same percentage for every facility), split by trade (`estimator.analysis.trades`).
Cost per m² = facility (or trade) total / gross floor area, cost per bed = total / beds, each
rounded half-up to the cent; medians are taken of those printed figures and rounded the same way.

Outliers: a facility's cost per m², in total and for each trade it has, is compared with the
median of the facilities of the same type that have a floor area and that trade (the facility
itself included). A figure above `high` x the median (default 2) or below `low` x (default 0.5)
is flagged, with the reason in words. Groups smaller than `min_peers` (default 3) are not judged:
with two facilities the median is their mean and says little. A facility without a trade is not
flagged for it: rehabilitation needs differ, a missing trade is not an anomaly.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from estimator.analysis.trades import TradeMap
from estimator.errors import UserError
from estimator.model import Programme
from estimator.money import ZERO, fmt, per_unit, plain, round_money, round_places
from estimator.pricing import Estimate, price

ALL_TRADES = "All trades"
NOT_GIVEN = "(not given)"


@dataclass(frozen=True, slots=True)
class Thresholds:
    high: Decimal = Decimal(2)
    low: Decimal = Decimal("0.5")
    min_peers: int = 3

    def __post_init__(self) -> None:
        if not ZERO < self.low < 1 < self.high:
            raise UserError(f"outlier thresholds: need 0 < low < 1 < high, got low {self.low} and high {self.high}")
        if self.min_peers < 2:
            raise UserError(f"outlier thresholds: at least 2 facilities of a type are needed, got {self.min_peers}")


@dataclass(slots=True)
class FacilityRow:
    uid: str
    name: str
    governorate: str
    facility_type: str
    floor_area: Decimal | None
    beds: int | None
    total: Decimal
    trades: dict[str, Decimal]  # trade -> total, BoQ order
    per_m2: Decimal | None = None
    per_bed: Decimal | None = None

    def trade_per_m2(self, trade: str) -> Decimal | None:
        if trade == ALL_TRADES:
            return self.per_m2
        amount = self.trades.get(trade)
        if not self.floor_area or amount is None or amount <= 0:
            return None
        return per_unit(amount, self.floor_area)


@dataclass(slots=True)
class Group:
    kind: str  # "governorate" or "facility type"
    name: str
    facilities: list[str]  # uids
    total: Decimal
    median_total: Decimal
    median_per_m2: Decimal | None
    min_per_m2: Decimal | None
    max_per_m2: Decimal | None
    median_per_bed: Decimal | None


@dataclass(frozen=True, slots=True)
class Outlier:
    facility_uid: str
    facility: str
    facility_type: str
    trade: str
    per_m2: Decimal
    median: Decimal
    ratio: Decimal  # per_m2 / median, exact
    peers: int
    high: bool
    reason: str


@dataclass(slots=True)
class Comparison:
    programme: str
    currency: str
    thresholds: Thresholds
    trades: list[str]
    facilities: list[FacilityRow]
    by_governorate: list[Group]
    by_type: list[Group]
    outliers: list[Outlier]
    problems: list[str] = field(default_factory=list)

    def facility(self, uid: str) -> FacilityRow:
        return next(f for f in self.facilities if f.uid == uid)

    def to_json(self) -> dict[str, object]:
        return {
            "programme": self.programme,
            "currency": self.currency,
            "basis": "facility totals before programme markups",
            "thresholds": {"high": str(self.thresholds.high), "low": str(self.thresholds.low),
                           "min_peers": self.thresholds.min_peers},
            "trades": self.trades,
            "facilities": [_facility_json(f) for f in self.facilities],
            "by_governorate": [_group_json(g) for g in self.by_governorate],
            "by_facility_type": [_group_json(g) for g in self.by_type],
            "outliers": [
                {"facility_uid": o.facility_uid, "facility": o.facility, "facility_type": o.facility_type,
                 "trade": o.trade, "per_m2": plain(o.per_m2), "median_per_m2": plain(o.median),
                 "ratio": str(round_places(o.ratio, 2)), "peers": o.peers, "direction": "high" if o.high else "low",
                 "reason": o.reason}
                for o in self.outliers
            ],
            "problems": self.problems,
        }


def _opt(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


def _facility_json(f: FacilityRow) -> dict[str, object]:
    return {
        "uid": f.uid, "name": f.name, "governorate": f.governorate, "facility_type": f.facility_type,
        "floor_area_m2": None if f.floor_area is None else str(f.floor_area), "beds": f.beds,
        "total": plain(f.total), "per_m2": _opt(f.per_m2), "per_bed": _opt(f.per_bed),
        "trades": {t: plain(v) for t, v in f.trades.items()},
        "trades_per_m2": {t: _opt(f.trade_per_m2(t)) for t in f.trades},
    }


def _group_json(g: Group) -> dict[str, object]:
    return {
        "name": g.name, "facilities": len(g.facilities), "facility_uids": g.facilities, "total": plain(g.total),
        "median_total": plain(g.median_total), "median_per_m2": _opt(g.median_per_m2),
        "min_per_m2": _opt(g.min_per_m2), "max_per_m2": _opt(g.max_per_m2), "median_per_bed": _opt(g.median_per_bed),
    }


def median(values: list[Decimal]) -> Decimal:
    """Median of printed figures, rounded half-up to the cent like every printed figure."""
    return round_money(statistics.median(values))


def compare(programme: Programme, estimate: Estimate | None = None, thresholds: Thresholds | None = None) -> Comparison:
    estimate = estimate or price(programme)
    thresholds = thresholds or Thresholds()
    trade_map = TradeMap(programme)
    order: dict[str, None] = {}
    rows = []
    for ft in estimate.facilities:
        fac = ft.facility
        trades: dict[str, Decimal] = {}
        for bt in ft.bills:
            for trade, ln in zip(trade_map.bill_trades(bt), bt.lines, strict=True):
                trades[trade] = trades.get(trade, ZERO) + ln.amount
                order.setdefault(trade)
        area = fac.floor_area if fac.floor_area and fac.floor_area > 0 else None
        beds = fac.beds if fac.beds and fac.beds > 0 else None
        rows.append(FacilityRow(
            fac.uid, fac.name, fac.governorate.strip() or NOT_GIVEN, fac.facility_type.strip() or NOT_GIVEN,
            area, beds, ft.total, trades,
            per_unit(ft.total, area) if area else None,
            per_unit(ft.total, beds) if beds else None,
        ))
    trades_order = list(order)
    for row in rows:  # every facility lists its trades in the programme's order
        row.trades = {t: row.trades[t] for t in trades_order if t in row.trades}
    by_type = _groups("facility type", rows, lambda r: r.facility_type)
    return Comparison(
        programme.name, estimate.currency, thresholds, trades_order, rows,
        _groups("governorate", rows, lambda r: r.governorate), by_type,
        _outliers(rows, by_type, trades_order, thresholds, estimate.currency), list(estimate.problems),
    )


def _groups(kind: str, rows: list[FacilityRow], key: Callable[[FacilityRow], str]) -> list[Group]:
    members: dict[str, list[FacilityRow]] = {}
    for row in rows:
        members.setdefault(key(row), []).append(row)
    groups = []
    for name in sorted(members, key=lambda n: (n == NOT_GIVEN, n.casefold())):
        rs = members[name]
        per_m2 = [r.per_m2 for r in rs if r.per_m2 is not None]
        per_bed = [r.per_bed for r in rs if r.per_bed is not None]
        groups.append(Group(
            kind, name, [r.uid for r in rs], sum((r.total for r in rs), ZERO), median([r.total for r in rs]),
            median(per_m2) if per_m2 else None, min(per_m2, default=None), max(per_m2, default=None),
            median(per_bed) if per_bed else None,
        ))
    return groups


def _outliers(rows: list[FacilityRow], types: list[Group], trades: list[str], th: Thresholds, currency: str) -> list[Outlier]:
    by_uid = {r.uid: r for r in rows}
    found = []
    for group in types:
        if group.name == NOT_GIVEN:
            continue  # facilities of unknown type have no peers to be judged against
        members = [by_uid[uid] for uid in group.facilities]
        for trade in [ALL_TRADES, *trades]:
            figures = [(r, v) for r in members if (v := r.trade_per_m2(trade)) is not None]
            if len(figures) < th.min_peers:
                continue
            mid = median([v for _, v in figures])
            if mid <= 0:
                continue
            for row, value in figures:
                ratio = value / mid
                if ratio > th.high or ratio < th.low:
                    found.append(_outlier(row, trade, value, mid, ratio, len(figures), th, currency))
    return sorted(found, key=lambda o: (o.facility.casefold(), o.trade != ALL_TRADES, -abs(o.ratio - 1)))


def _outlier(row: FacilityRow, trade: str, value: Decimal, mid: Decimal, ratio: Decimal, peers: int,
             th: Thresholds, currency: str) -> Outlier:
    high = ratio > th.high
    what = "The whole facility" if trade == ALL_TRADES else trade
    times = fmt(ratio, 2).rstrip("0").rstrip(".")
    if high:
        compared = f"{times} times the median, more than the threshold of {th.high} times"
    else:
        compared = f"{times} times the median, less than the threshold of {th.low} times"
    reason = (f"{what} costs {fmt(value)} {currency} per m² of floor; the median of the {peers} facilities of the same "
              f"type ({row.facility_type}) is {fmt(mid)} {currency} per m²: {compared}")
    return Outlier(row.uid, row.name, row.facility_type, trade, value, mid, ratio, peers, high, reason)
