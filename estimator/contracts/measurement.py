"""Measurement: each item's cumulative quantity done (or % complete of a lump sum) at the end of a period.

    MEASURE.csv:  item, quantity | percent   (item: the item's reference, e.g. 2.3, or its identity)

Items not listed keep the cumulative quantity of the earlier periods. A quantity above the contract
quantity (as revised by the APPROVED variations) is refused, naming the item and both quantities: it
becomes payable only through a variation. A period that is already certified cannot be measured again
(the next period's cumulative quantities correct it); a period not yet certified may be measured
again: the new entry is recorded beside the old one and the latest counts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from estimator.contracts import storage
from estimator.contracts.model import ContractError, ContractItem, Ledger, Measure
from estimator.errors import InvalidNumber, Problem, ValidationFailed
from estimator.money import HUNDRED, to_decimal
from estimator.store import Project
from estimator.units import label


def item_index(items: list[ContractItem]) -> dict[str, ContractItem]:
    """Items by uid and by reference (a reference used twice is left out: give the identity)."""
    index: dict[str, ContractItem] = {}
    refs: dict[str, int] = {}
    for item in items:
        if item.ref:
            refs[item.ref.casefold()] = refs.get(item.ref.casefold(), 0) + 1
    for item in items:
        index[item.uid] = item
        if item.ref and refs[item.ref.casefold()] == 1:
            index.setdefault(item.ref.casefold(), item)
    return index


def parse(ledger: Ledger, path: Path, period: int = 0) -> dict[str, Measure]:
    """The measures of `path`, checked against the contract; every problem listed at once."""
    from estimator.contracts.csvinput import read_table

    name = Path(path).name
    items = ledger.items()
    index = item_index(items)
    found: dict[str, Measure] = {}
    problems: list[Problem] = []
    rows = read_table(Path(path), ("item",), ("quantity", "percent", "description", "unit"))
    for number, row in rows:
        key = row["item"]
        item = index.get(key) or index.get(key.casefold())
        if item is None:
            problems.append(Problem(name, f"item {key!r} is not in the contract of lot {ledger.contract.lot_name!r} "
                                          "(give its reference, e.g. 2.3, as in the contract BoQ)", number, "item"))
            continue
        if item.uid in found:
            problems.append(Problem(name, f"item {item.ref or item.uid} is measured twice", number, "item"))
            continue
        qty_text, pct_text = row.get("quantity", ""), row.get("percent", "")
        if bool(qty_text) == bool(pct_text):
            problems.append(Problem(name, f"item {item.ref}: give a cumulative quantity or a percentage, one of them",
                                    number, "quantity"))
            continue
        column = "quantity" if qty_text else "percent"
        try:
            value = to_decimal(qty_text or pct_text, f"item {item.ref} {column}")
        except InvalidNumber as exc:
            problems.append(Problem(name, str(exc), number, column))
            continue
        if value < 0:
            problems.append(Problem(name, f"item {item.ref}: {value} is negative; give the cumulative {column} to date",
                                    number, column))
            continue
        if pct_text:
            if not item.lump_sum:
                problems.append(Problem(name, f"item {item.ref} ({label(item.unit)}) is measured by quantity, not "
                                              "as a percentage; give its cumulative quantity", number, column))
            elif value > HUNDRED:
                problems.append(Problem(name, f"item {item.ref}: {value} % is above 100 %", number, column))
            else:
                found[item.uid] = Measure(percent=value)
            continue
        if value > item.quantity:
            problems.append(Problem(name, f"item {item.ref} {item.description[:50]!r}: cumulative quantity {value} "
                                          f"{label(item.unit)} is above the contract quantity {item.quantity} "
                                          f"{label(item.unit)}; refused: record a variation that covers it "
                                          "(`boq contract vary`) and have it approved first", number, column))
            continue
        found[item.uid] = Measure(quantity=value)
    if problems:
        raise ValidationFailed(f"{name}: measurement of period {period} of lot {ledger.contract.lot_name!r}", problems)
    if not found:
        raise ValidationFailed(name, [Problem(name, "has no measured item")])
    return found


def check_period(ledger: Ledger, period: int) -> None:
    name = ledger.contract.lot_name
    if not 1 <= period <= storage.MAX_PERIOD:
        raise ContractError(f"--period {period}: periods are numbered 1, 2, 3, ... up to {storage.MAX_PERIOD}")
    if ledger.final_certificate() is not None:
        raise ContractError(f"lot {name!r} has its final certificate; nothing more can be measured")
    certified = [c.period for c in ledger.certificates if c.period >= period]
    if certified:
        raise ContractError(f"period {certified[0]} of lot {name!r} is already certified; measure the next period "
                            f"(its cumulative quantities correct any error), not period {period}")


def measure(project: Project, ledger: Ledger, period: int, path: Path, date: dt.date | None = None) -> int:
    """Record the measurement of `period` from `path`; the number of items measured."""
    check_period(ledger, period)
    found = parse(ledger, path, period)
    lines = [(uid, {"quantity": str(m.quantity)} if m.quantity is not None else {"percent": str(m.percent)})
             for uid, m in found.items()]
    storage.append(project, ledger.contract.lot, "measurement", period, Path(path).name[:200], date or dt.date.today(),
                   {"items": len(lines)}, lines)
    return len(lines)


def progress(ledger: Ledger, period: int | None = None) -> Decimal:
    """Work done to the end of `period` (default: the latest measured) as % of the revised contract sum."""
    from estimator.contracts.certificate import gross_to_date

    periods = ledger.periods()
    total = ledger.revised_sum()
    if not periods or total <= 0:
        return Decimal(0)
    return gross_to_date(ledger, period or periods[-1]) / total * HUNDRED
