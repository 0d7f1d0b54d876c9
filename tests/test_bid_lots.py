"""Bid evaluation per lot (issue 17): real tender workbooks exported by `boq export --unpriced`, filled
with openpyxl as bidders fill them (a company name in the bidder block, rates typed, some lots left
empty, a rate forgotten), evaluated per lot; every expected figure worked out here from the
engineer's printed quantities and the rates typed."""

from __future__ import annotations

import copy
import dataclasses
import itertools
import json
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimator.analysis.award import recommend
from estimator.analysis.bids import evaluate
from estimator.analysis.evalfile import parse_evaluation, read_evaluation, write_evaluation
from estimator.analysis.lots import COMPLIANT, FAILED, NON_COMPLIANT, corrected_rates, evaluate_lots
from estimator.cli import main
from estimator.errors import ValidationFailed
from estimator.model import PROVISIONAL_SUM, Programme
from estimator.particulars import HIGHEST
from estimator.pricing import Line, price
from estimator.store import Project, load
from tests.test_bids import Bidder, Tender, r2

LOTS = 5


@pytest.fixture(scope="module")
def lots_tender(tmp_path_factory: pytest.TempPathFactory, _sample: Programme) -> Tender:
    """The sample's first five facilities as five lots; lot 1 holds a provisional sum."""
    folder = tmp_path_factory.mktemp("lots")
    programme = copy.deepcopy(_sample)
    programme.facilities = programme.facilities[:LOTS]
    programme.facilities[0].bills[0].items[0].kind = PROVISIONAL_SUM
    boq, xlsx = folder / "lots.boq", folder / "tender.xlsx"
    Project.create(boq, programme).close()
    assert main(["export", str(boq), "--xlsx", str(xlsx), "--unpriced"]) == 0
    programme = load(boq)
    lines = {ln.item.uid: ln for f in price(programme).facilities for b in f.bills for ln in b.lines}
    return Tender(boq, xlsx, programme, lines)


def company(bidder: Bidder, name: str) -> Bidder:
    """Type the company name into the General Summary's bidder block, as a bidder does."""
    ws = bidder.wb["General Summary"]
    row = next(r for r in range(1, ws.max_row + 1) if ws[f"B{r}"].value == "Company name")
    ws[f"C{row}"] = name
    return bidder


def leave_lot(bidder: Bidder, lot: int) -> None:
    """Leave every rate of lot `lot` (1-based) empty: the bidder does not bid for it."""
    ws = bidder.sheets()[lot - 1]
    uid_col, rate_col = bidder.col["uid"], bidder.col["rate"]
    for row in range(6, ws.max_row + 1):
        uid = ws[f"{uid_col}{row}"].value
        if uid and uid != "uid":
            ws[f"{rate_col}{row}"] = None
            bidder.rates.pop(uid, None)


def lot_lines(tender: Tender, lot: int) -> list[Line]:
    facility = tender.programme.facilities[lot - 1]
    return [ln for ln in tender.lines.values() if any(ln.item is i for i in facility.items())] or \
        [tender.lines[i.uid] for i in facility.items()]


def expected_lot(tender: Tender, bidder: Bidder, lot: int) -> Decimal:
    """The engineer's quantities x the bidder's rates, rounded per line; the provisional sum at its amount."""
    total = Decimal(0)
    for item in tender.programme.facilities[lot - 1].items():
        ln = tender.lines[item.uid]
        if item.kind == PROVISIONAL_SUM:
            total += ln.amount
        elif item.uid in bidder.rates:
            total += r2(ln.quantity * bidder.rates[item.uid])
    return total


def _bids(tender: Tender, tmp_path: Path) -> tuple[dict[str, Bidder], list[Path]]:
    a = company(Bidder(tender, "0.85"), "Al-Noor Contracting")  # lots 1-3 only, cheapest there
    for lot in (4, 5):
        leave_lot(a, lot)
    b = company(Bidder(tender, "0.95"), "Bina Co.")  # every lot
    c = company(Bidder(tender, "0.90"), "Cedar Builders")  # one rate missing in lot 2
    ws, row, uid = c.find(1, 3)
    ws[f"E{row}"] = None
    c.rates.pop(uid)
    bidders = {"a": a, "b": b, "c": c}
    return bidders, [x.save(tmp_path / f"{k}.xlsx") for k, x in bidders.items()]


def test_lots_are_the_unit(lots_tender: Tender, tmp_path: Path) -> None:
    tender = lots_tender
    bidders, paths = _bids(tender, tmp_path)
    ev = evaluate(tender.programme, paths)
    cba = evaluate_lots(tender.programme, ev)
    assert [b.name for b in cba.bidders] == ["Al-Noor Contracting", "Bina Co.", "Cedar Builders"]
    ranked = {lot.number: [(e.bidder, e.status) for e in lot.bids] for lot in cba.lots}
    # the bidder for lots 1-3 ranks there (cheapest) and is absent from lots 4-5
    for lot in (1, 3):
        assert ranked[lot] == [("Al-Noor Contracting", COMPLIANT), ("Cedar Builders", COMPLIANT), ("Bina Co.", COMPLIANT)]
    for lot in (4, 5):
        assert ranked[lot] == [("Cedar Builders", COMPLIANT), ("Bina Co.", COMPLIANT)]
    # one rate missing in lot 2: non-compliant in lot 2 only, listed after the ranked bids
    assert ranked[2] == [("Al-Noor Contracting", COMPLIANT), ("Bina Co.", COMPLIANT), ("Cedar Builders", NON_COMPLIANT)]
    lot2 = cba.lot(2)
    assert lot2.bids[2].rank is None and "1 rate(s) missing" in lot2.bids[2].reasons[0]
    assert [e.rank for e in lot2.bids[:2]] == [1, 2]
    # corrected totals to the cent, the provisional sum at its fixed amount (the bidders typed over it)
    for lot in cba.lots:
        for e in lot.bids:
            key = {"Al-Noor Contracting": "a", "Bina Co.": "b", "Cedar Builders": "c"}[e.bidder]
            assert e.corrected_total == expected_lot(tender, bidders[key], lot.number), (lot.number, e.bidder)
    lot1 = cba.lot(1)
    assert all(any(a.kind == "fixed sum altered" for a in e.anomalies) for e in lot1.bids)
    # the estimate per lot is the facility total, without the programme's contingency
    estimate = price(tender.programme)
    assert tender.programme.markups.contingency > 0
    assert [lot.estimate for lot in cba.lots] == [ft.total for ft in estimate.facilities]
    assert cba.lot(4).bids[0].difference.amount == cba.lot(4).bids[0].corrected_total - cba.lot(4).estimate
    # the recommendation: the lowest compliant bid of each lot
    assert [(a.lot, a.bidder) for a in cba.recommendation] == [
        ("1", "Al-Noor Contracting"), ("2", "Al-Noor Contracting"), ("3", "Al-Noor Contracting"),
        ("4", "Cedar Builders"), ("5", "Cedar Builders")]
    # 15 % below the engineer's rates is not abnormally low at 20 %; at 10 % it is
    assert not any(e.abnormally_low for lot in cba.lots for e in lot.bids)
    low = dataclasses.replace(tender.programme, particulars=dataclasses.replace(tender.programme.particulars,
                                                                                abnormally_low=Decimal(10)))
    flagged = evaluate_lots(low, ev)
    assert [e.abnormally_low for e in flagged.lot(1).bids] == [True, False, False]


def test_max_lots_changes_the_recommendation(lots_tender: Tender, tmp_path: Path) -> None:
    tender = lots_tender
    _, paths = _bids(tender, tmp_path)
    ev = evaluate(tender.programme, paths)
    two = dataclasses.replace(tender.programme, particulars=dataclasses.replace(tender.programme.particulars,
                                                                                max_lots_per_bidder=2))
    cba = evaluate_lots(two, ev)
    won = [(a.lot, a.bidder) for a in cba.recommendation]
    counts = {name: sum(1 for _, b in won if b == name) for _, name in won}
    assert max(counts.values()) == 2 and len(won) == LOTS
    # the cheapest allowed combination, checked against every assignment
    offers = {str(lot.number): [(e.bidder, e.corrected_total) for e in lot.bids if e.status == COMPLIANT]
              for lot in cba.lots}
    assert sum(a.amount for a in cba.recommendation) == _brute_force(offers, 2)
    assert won != [(a.lot, a.bidder) for a in evaluate_lots(tender.programme, ev).recommendation]
    assert any("cheapest allowed combination" in line for line in cba.explanation)


def _brute_force(offers: dict[str, list[tuple[str, Decimal]]], max_lots: int | None) -> Decimal | None:
    """The least total over every assignment that awards the most lots (None: nothing can be awarded)."""
    lots = list(offers)
    best: tuple[int, Decimal] | None = None
    for choice in itertools.product(*[[None, *offers[lot]] for lot in lots]):
        chosen = [c for c in choice if c is not None]
        counts: dict[str, int] = {}
        for bidder, _ in chosen:
            counts[bidder] = counts.get(bidder, 0) + 1
        if max_lots is not None and any(n > max_lots for n in counts.values()):
            continue
        key = (-len(chosen), sum((a for _, a in chosen), Decimal(0)))
        if best is None or key < best:
            best = key
    return None if best is None else best[1]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from("ABCD"), st.integers(1, 60)), max_size=4), min_size=1, max_size=5),
       st.one_of(st.none(), st.integers(1, 3)))
def test_recommendation_is_the_cheapest_allowed_combination(table: list[list[tuple[str, int]]],
                                                             max_lots: int | None) -> None:
    offers: dict[str, list[tuple[str, Decimal]]] = {}
    for n, bids in enumerate(table):
        seen: dict[str, Decimal] = {}
        for bidder, amount in bids:
            seen.setdefault(bidder, Decimal(amount))
        offers[str(n)] = sorted(seen.items(), key=lambda b: b[1])
    awards = recommend(offers, max_lots)
    counts: dict[str, int] = {}
    for a in awards.values():
        assert (a.bidder, a.amount) in offers[a.lot]
        counts[a.bidder] = counts.get(a.bidder, 0) + 1
    assert max_lots is None or all(n <= max_lots for n in counts.values())
    best = _brute_force(offers, max_lots)
    assert sum((a.amount for a in awards.values()), Decimal(0)) == (best or 0)
    assert len(awards) == max((len([1 for c in ch if c]) for ch in _feasible(offers, max_lots)), default=0)


def _feasible(offers: dict[str, list[tuple[str, Decimal]]], max_lots: int | None) -> list[list[object]]:
    out = []
    for choice in itertools.product(*[[None, *offers[lot]] for lot in offers]):
        counts: dict[str, int] = {}
        for c in choice:
            if c is not None:
                counts[c[0]] = counts.get(c[0], 0) + 1
        if max_lots is None or all(n <= max_lots for n in counts.values()):
            out.append(list(choice))
    return out
