"""Why an estimate moved: the difference between two states, split into four exact parts.

`variance(base, other)` compares two states of a programme (an estimate baseline and the working
state, or two baselines) per facility and trade (`estimator.analysis.trades`), each priced by the
pricing rule: printed quantity q (billing unit), printed rate r (programme currency), amount
a = round(q x r), half-up to the cent (`money.round_money`, the one rounding rule).

Items are followed by identity (uid). An item is *matched* when it is in both states, in the same
facility and trade, billed in the same unit. For a matched item, with r* the rate the OTHER state
prints for it when its prices are converted at the BASE state's exchange rates (the other state's
rate snapshot and own rates, the base's dated exchange rate for every currency the base has):

    quantity effect       = round(q_other x r_base) - a_base
    rate effect           = round(q_other x r*)     - round(q_other x r_base)
    exchange-rate effect  = a_other                 - round(q_other x r*)

Every term is a difference of two amounts computed by the pricing rule, and the three telescope to
a_other - a_base exactly: nothing is left over for rounding. An item that is not matched is scope:
*added* = +a_other in the other state's facility and trade (new items, items moved in, items billed
in another unit now), *omitted* = -a_base in the base state's facility and trade. So for every
facility and trade, and for the programme:

    quantity + rate + exchange rate + (added + omitted) = total_other - total_base   (to the cent)

Totals are before programme markups; the markups' change is reported beside them. Both states must
be in the same programme currency.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from estimator.analysis.trades import TradeMap
from estimator.errors import UserError
from estimator.model import Item, Programme
from estimator.money import ZERO, plain
from estimator.pricing import Estimate, Line, Pricer, line_amount, price

PARTS = ("quantity", "rate", "fx", "added", "omitted")


@dataclass(slots=True)
class Cell:
    """One facility and trade: the totals of both states and the parts of their difference."""

    facility_uid: str
    facility: str
    trade: str
    base: Decimal = ZERO
    other: Decimal = ZERO
    quantity: Decimal = ZERO
    rate: Decimal = ZERO
    fx: Decimal = ZERO
    added: Decimal = ZERO
    omitted: Decimal = ZERO

    @property
    def difference(self) -> Decimal:
        return self.other - self.base

    @property
    def scope(self) -> Decimal:
        return self.added + self.omitted

    def parts_sum(self) -> Decimal:
        return self.quantity + self.rate + self.fx + self.added + self.omitted

    def add(self, other: Cell) -> None:
        for name in ("base", "other", *PARTS):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def to_json(self) -> dict[str, str]:
        data = {"facility": self.facility, "trade": self.trade, "base": plain(self.base), "other": plain(self.other),
                "difference": plain(self.difference)}
        data.update({name: plain(getattr(self, name)) for name in PARTS})
        data["scope"] = plain(self.scope)
        return data


@dataclass(slots=True)
class Variance:
    base_name: str
    other_name: str
    currency: str
    base: Estimate
    other: Estimate
    cells: list[Cell] = field(default_factory=list)  # the other state's facility order, then facilities only in base

    def total(self) -> Cell:
        total = Cell("", "Programme", "all trades")
        for cell in self.cells:
            total.add(cell)
        return total

    def by_facility(self) -> list[Cell]:
        found: dict[str, Cell] = {}
        for cell in self.cells:
            found.setdefault(cell.facility_uid, Cell(cell.facility_uid, cell.facility, "all trades")).add(cell)
        return list(found.values())

    @property
    def markups_base(self) -> Decimal:
        return self.base.grand_total - self.base.subtotal

    @property
    def markups_other(self) -> Decimal:
        return self.other.grand_total - self.other.subtotal

    def to_json(self) -> dict[str, object]:
        return {"base": self.base_name, "other": self.other_name, "currency": self.currency,
                "cells": [c.to_json() for c in self.cells], "facilities": [c.to_json() for c in self.by_facility()],
                "total": self.total().to_json(),
                "markups": {"base": plain(self.markups_base), "other": plain(self.markups_other),
                            "difference": plain(self.markups_other - self.markups_base)},
                "grand_total": {"base": plain(self.base.grand_total), "other": plain(self.other.grand_total),
                                "difference": plain(self.other.grand_total - self.base.grand_total)}}


@dataclass(frozen=True, slots=True)
class _Entry:
    line: Line
    facility_uid: str
    facility: str
    trade: str


def _entries(programme: Programme, estimate: Estimate) -> dict[str, _Entry]:
    trades = TradeMap(programme)
    found: dict[str, _Entry] = {}
    for ft in estimate.facilities:
        for bt in ft.bills:
            for ln, trade in zip(bt.lines, trades.bill_trades(bt), strict=True):
                found[ln.item.uid] = _Entry(ln, ft.facility.uid, ft.facility.name, trade)
    return found


def at_exchange_rates_of(programme: Programme, base: Programme) -> Programme:
    """`programme` with `base`'s exchange rates for every currency `base` has (its own for the others)."""
    theirs = {e.currency for e in base.exchange_rates}
    rates = list(base.exchange_rates) + [e for e in programme.exchange_rates if e.currency not in theirs]
    return replace(programme, exchange_rates=rates)


def variance(base: Programme, other: Programme, base_name: str = "base", other_name: str = "other") -> Variance:
    if base.currency != other.currency:
        raise UserError(f"{base_name} is in {base.currency} and {other_name} in {other.currency}: a variance needs both "
                        "in one programme currency")
    est_b, est_o = price(base), price(other)
    old, new = _entries(base, est_b), _entries(other, est_o)
    at_base_fx = Pricer(at_exchange_rates_of(other, base))
    result = Variance(base_name, other_name, base.currency, est_b, est_o)
    cells: dict[tuple[str, str], Cell] = {}

    def cell(entry: _Entry) -> Cell:
        key = (entry.facility_uid, entry.trade)
        if key not in cells:
            cells[key] = Cell(entry.facility_uid, entry.facility, entry.trade)
        return cells[key]

    for uid, o in new.items():
        here = cell(o)
        here.other += o.line.amount
        b = old.get(uid)
        if b is None or (b.facility_uid, b.trade, b.line.unit) != (o.facility_uid, o.trade, o.line.unit):
            here.added += o.line.amount
            continue
        q = o.line.quantity
        at_base_rate = line_amount(q, b.line.rate, o.line.unit)  # a profit-and-attendance line: a %
        at_base_fx_rate = line_amount(q, _rate_at(at_base_fx, o.line), o.line.unit)
        here.base += b.line.amount
        here.quantity += at_base_rate - b.line.amount
        here.rate += at_base_fx_rate - at_base_rate
        here.fx += o.line.amount - at_base_fx_rate
    for uid, b in old.items():
        o_entry = new.get(uid)
        if o_entry is not None and (b.facility_uid, b.trade, b.line.unit) == (o_entry.facility_uid, o_entry.trade,
                                                                               o_entry.line.unit):
            continue
        here = cell(b)
        here.base += b.line.amount
        here.omitted -= b.line.amount
    result.cells = list(cells.values())
    return result


def _rate_at(pricer: Pricer, line: Line) -> Decimal:
    """The printed rate of `line`'s item by `pricer`; the line's own rate if it cannot be priced there."""
    if line.error:
        return line.rate
    item: Item = line.item
    try:
        return pricer.rate_of(item)
    except UserError:
        return line.rate
