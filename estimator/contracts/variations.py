"""Variation orders: items added, omitted, or re-measured, each variation numbered, dated and valued.

    VARIATION.csv:  action, item, quantity, description, description ar, unit, rate, source, code

- `change`: `item` is a contract item's reference; `quantity` its new contract quantity;
- `omit`: `item` is a contract item's reference; its quantity becomes 0;
- `add`: `item` is the new item's reference (not used by another item); `description`, `unit`,
  `quantity`; its rate from `source`: `agreed` (the `rate` column), `contract` (the rate of the
  contract item whose reference is in `code`) or `library` (the rate `code` of the programme's rate
  snapshot, built up as at the contract date: the snapshot does not change with the library).

Value: added items at quantity x rate, rounded; a changed item at (new - old quantity) valued as the
difference of the two rounded amounts; an omitted one at minus its amount. A variation is recorded
approved (default) or pending; a pending one counts in nothing (contract sum, measurement limits)
until approved by a later entry (`approve`). An item touched by a pending variation cannot be varied
again until that one is approved.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from estimator.contracts import storage
from estimator.contracts.measurement import item_index
from estimator.contracts.model import (
    ADD,
    APPROVED,
    CHANGE,
    OMIT,
    RATE_SOURCES,
    STATUSES,
    ContractError,
    ContractItem,
    Ledger,
    VariationLine,
)
from estimator.errors import InvalidNumber, Problem, UserError, ValidationFailed
from estimator.limits import MAX_FIGURE
from estimator.model import Programme, new_uid
from estimator.money import ZERO, round_money, to_decimal
from estimator.pricing import line_amount
from estimator.store import Project

MAX_NAME = 40
COLUMNS = ("action", "item", "quantity", "description", "description ar", "unit", "rate", "source", "code")


def _number(text: str, what: str) -> Decimal:
    value = to_decimal(text, what)
    if value < 0 or value >= MAX_FIGURE:
        raise InvalidNumber(what, text, hint="give a number of 0 or more")
    return value


def parse(ledger: Ledger, path: Path, name: str, programme: Programme) -> tuple[list[VariationLine], Decimal]:
    """The lines of variation `name` in `path` and its value; every problem listed at once."""
    from estimator.contracts.csvinput import read_table

    file = Path(path).name
    items = ledger.items()
    index = item_index(items)
    pending = {ln.item for v in ledger.variations if not v.approved for ln in v.lines}
    touched: set[str] = set()
    refs = {i.ref.casefold() for i in items if i.ref}
    out: list[VariationLine] = []
    problems: list[Problem] = []
    value = ZERO
    for number, row in read_table(Path(path), ("action", "item"), COLUMNS[2:]):
        def problem(message: str, column: str, number: int = number) -> None:
            problems.append(Problem(file, message, number, column))

        action = row["action"].casefold()
        key = row["item"]
        try:
            if action in (CHANGE, OMIT):
                item = index.get(key) or index.get(key.casefold())
                if item is None:
                    problem(f"item {key!r} is not in the contract of lot {ledger.contract.lot_name!r}", "item")
                    continue
                if item.uid in touched:
                    problem(f"item {item.ref} is varied twice in this variation", "item")
                    continue
                if item.uid in pending:
                    problem(f"item {item.ref} is changed by a pending variation; approve it first", "item")
                    continue
                touched.add(item.uid)
                new = ZERO if action == OMIT else _number(row.get("quantity", ""), f"item {item.ref} quantity")
                if action == CHANGE and new == item.quantity:
                    problem(f"item {item.ref}: the new quantity is the contract quantity; nothing changes", "quantity")
                    continue
                out.append(VariationLine(action, item.uid, new))
                value += line_amount(new, item.rate, item.unit) - item.amount
            elif action == ADD:
                added = _added(row, key, refs, name, programme, index, problem)
                if added is None:
                    continue
                refs.add(key.casefold())
                out.append(VariationLine(ADD, added[0].uid, added[0].quantity, added[0], added[1]))
                value += added[0].amount
            else:
                problem(f"action {row['action']!r}: use add, omit or change", "action")
        except UserError as exc:
            problem(str(exc), "quantity")
    if not problems and abs(value) >= MAX_FIGURE:
        problems.append(Problem(file, f"the variation's value {value} is beyond any contract"))
    if problems:
        raise ValidationFailed(f"{file}: variation {name!r}", problems)
    if not out:
        raise ValidationFailed(file, [Problem(file, "has no line: a variation adds, omits or changes items")])
    return out, value


def _added(row: dict[str, str], key: str, refs: set[str], name: str, programme: Programme,
           index: dict[str, ContractItem], problem: Any) -> tuple[ContractItem, str] | None:
    from estimator.pricing import Pricer
    from estimator.units import parse_unit

    if not key or key.casefold() in refs:
        problem(f"give the added item a reference not used in the contract (not {key!r})", "item")
        return None
    description = row.get("description", "")
    if not description:
        problem(f"item {key}: an added item needs a description", "description")
        return None
    unit = parse_unit(row.get("unit", "") or "")
    quantity = _number(row.get("quantity", ""), f"item {key} quantity")
    source = (row.get("source", "") or ("agreed" if row.get("rate") else "")).casefold()
    code = row.get("code", "")
    if source not in RATE_SOURCES:
        problem(f"item {key}: source {source!r}: use {', '.join(RATE_SOURCES)} (agreed needs a rate)", "source")
        return None
    if source == "agreed":
        rate = round_money(_number(row.get("rate", ""), f"item {key} rate"))
    elif source == "contract":
        like = index.get(code) or index.get(code.casefold())
        if like is None:
            problem(f"item {key}: code {code!r} is not a contract item whose rate could be used", "code")
            return None
        rate = like.rate
    else:
        if code not in programme.rates.rates:
            problem(f"item {key}: rate {code!r} is not in the programme's rate snapshot", "code")
            return None
        rate = round_money(Pricer(programme).rate_of_code(code))
    item = ContractItem(new_uid(), key, description, unit, quantity, rate, row.get("description ar", ""), name, "",
                        name)
    if item.amount >= MAX_FIGURE:
        problem(f"item {key}: {quantity} x {rate} is beyond any contract; check the quantity and the rate", "quantity")
        return None
    return item, source


def clean_name(ledger: Ledger, name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise ContractError(f'a variation needs a name of 1 to {MAX_NAME} characters, e.g. --name "VO-1"')
    if ledger.variation(name) is not None:
        raise ContractError(f"variation {name!r} of lot {ledger.contract.lot_name!r} is already recorded and never "
                            "changes; give this one another name (e.g. the next number)")
    return name


def vary(project: Project, ledger: Ledger, path: Path, name: str, status: str = APPROVED, date: dt.date | None = None,
         description: str = "") -> tuple[list[VariationLine], Decimal]:
    """Record variation `name` from `path`; its lines and value."""
    if status not in STATUSES:
        raise ContractError(f"status {status!r}: use {' or '.join(STATUSES)}")
    if ledger.final_certificate() is not None:
        raise ContractError(f"lot {ledger.contract.lot_name!r} has its final certificate; no more variations")
    name = clean_name(ledger, name)
    lines, value = parse(ledger, path, name, project.programme)
    data = [(ln.item, {"action": ln.action, "quantity": str(ln.quantity),
                       **(storage.item_data(ln.new) | {"rate_source": ln.rate_source} if ln.new else {})})
            for ln in lines]
    storage.append(project, ledger.contract.lot, "variation", 0, name, date or dt.date.today(),
                   {"status": status, "value": str(value), "description": description[:500], "file": Path(path).name[:200]},
                   data)
    return lines, value


def approve(project: Project, ledger: Ledger, name: str, date: dt.date | None = None) -> Decimal:
    """Record the approval of pending variation `name`; its value."""
    found = ledger.variation(name)
    if found is None:
        listed = ", ".join(v.name for v in ledger.variations) or "none"
        raise ContractError(f"lot {ledger.contract.lot_name!r} has no variation {name!r} (recorded: {listed})")
    if found.approved:
        raise ContractError(f"variation {found.name!r} is already approved")
    storage.append(project, ledger.contract.lot, "approval", 0, found.name, date or dt.date.today(), {}, [])
    return found.value
