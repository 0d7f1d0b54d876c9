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
from estimator.model import FIXED_SUMS, PROVISIONAL_SUM, Programme
from estimator.particulars import HIGHEST
from estimator.pricing import Line, price
from estimator.store import Project, load
from tests.test_bids import Bidder, Tender, amount, r2

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
    """The engineer's quantities x the bidder's rates, rounded per line; fixed sums at their amounts."""
    total = Decimal(0)
    for item in tender.programme.facilities[lot - 1].items():
        ln = tender.lines[item.uid]
        if item.kind in FIXED_SUMS:
            total += ln.amount
        elif item.uid in bidder.rates:
            total += amount(ln, bidder.rates[item.uid])
    return total


def _bids(tender: Tender, tmp_path: Path) -> tuple[dict[str, Bidder], list[Path]]:
    a = company(Bidder(tender, "0.85"), "Al-Noor Contracting")  # lots 1-3 only, cheapest there
    for lot in (4, 5):
        leave_lot(a, lot)
    ws, row, uid = a.find(0, 0)  # and it types its own figure over the (locked) provisional sum
    assert tender.lines[uid].item.kind == PROVISIONAL_SUM
    ws[f"E{row}"] = float(r2(tender.lines[uid].rate * Decimal("0.85")))
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
    assert [any(a.kind == "fixed sum altered" for a in e.anomalies) for e in lot1.bids] == [True, False, False]
    # the estimate per lot is the facility total, without the programme's contingency
    estimate = price(tender.programme)
    assert tender.programme.markups.contingency > 0
    assert [lot.estimate for lot in cba.lots] == [ft.total for ft in estimate.facilities]
    assert sum(lot.estimate for lot in cba.lots) == estimate.subtotal < estimate.grand_total
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


def _brute_force(offers: dict[str, list[tuple[str, Decimal]]], max_lots: int | None,
                 baseline: dict[str, Decimal] | None = None) -> Decimal | None:
    """The total of the assignment that awards the most lots and, among those, costs least (each lot
    its bid less its baseline), tried over every assignment (None: nothing can be awarded)."""
    lots = list(offers)
    base = baseline or {}
    best: tuple[int, Decimal, Decimal] | None = None
    for choice in itertools.product(*[[None, *offers[lot]] for lot in lots]):
        chosen = [c for c in choice if c is not None]
        counts: dict[str, int] = {}
        for bidder, _ in chosen:
            counts[bidder] = counts.get(bidder, 0) + 1
        if max_lots is not None and any(n > max_lots for n in counts.values()):
            continue
        cost = sum((a - base.get(lot, Decimal(0)) for lot, c in zip(lots, choice, strict=True) if c is not None
                    for a in (c[1],)), Decimal(0))
        key = (-len(chosen), cost, sum((a for _, a in chosen), Decimal(0)))
        if best is None or key[:2] < best[:2]:
            best = key
    return None if best is None else best[2]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from("ABCD"), st.integers(1, 60)), max_size=4), min_size=1, max_size=5),
       st.one_of(st.none(), st.integers(1, 3)), st.lists(st.integers(0, 80), min_size=5, max_size=5))
def test_recommendation_is_the_cheapest_allowed_combination(table: list[list[tuple[str, int]]],
                                                             max_lots: int | None, estimates: list[int]) -> None:
    offers: dict[str, list[tuple[str, Decimal]]] = {}
    for n, bids in enumerate(table):
        seen: dict[str, Decimal] = {}
        for bidder, value in bids:
            seen.setdefault(bidder, Decimal(value))
        offers[str(n)] = sorted(seen.items(), key=lambda b: b[1])
    baseline = {str(n): Decimal(e) for n, e in enumerate(estimates)}
    awards = recommend(offers, max_lots, baseline)
    counts: dict[str, int] = {}
    for a in awards.values():
        assert (a.bidder, a.amount) in offers[a.lot]
        counts[a.bidder] = counts.get(a.bidder, 0) + 1
    assert max_lots is None or all(n <= max_lots for n in counts.values())
    cost = sum((a.amount - baseline[a.lot] for a in awards.values()), Decimal(0))
    assert cost == _best_cost(offers, max_lots, baseline)
    if max_lots is None:
        assert sum((a.amount for a in awards.values()), Decimal(0)) == (_brute_force(offers, None) or 0)
    assert len(awards) == max((len([1 for c in ch if c]) for ch in _feasible(offers, max_lots)), default=0)


def _best_cost(offers: dict[str, list[tuple[str, Decimal]]], max_lots: int | None, baseline: dict[str, Decimal]) -> Decimal:
    """The least cost (bids less baselines) among the assignments awarding the most lots."""
    best: tuple[int, Decimal] | None = None
    for choice in _feasible(offers, max_lots):
        chosen = [(lot, c) for lot, c in zip(offers, choice, strict=True) if c is not None]
        key = (-len(chosen), sum((c[1] - baseline[lot] for lot, c in chosen), Decimal(0)))  # type: ignore[index]
        best = key if best is None or key < best else best
    return Decimal(0) if best is None else best[1]


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


EVAL = ("bidder,received,security_amount,security_valid,administrative,technical,technical_note,qualification\n"
        "al noor contracting,2026-12-01 10:05,30000,yes,pass,pass,,pass\n"
        "Bina Co,2026-12-01 10:20,50000,yes,pass,pass,,pass\n"
        "Cedar Builders,2026-12-01 11:02,50000,yes,pass,fail,no site engineer named,pass\n")


def test_a_bidder_failing_compliance_is_listed_and_not_ranked(lots_tender: Tender, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    tender = lots_tender
    bidders, paths = _bids(tender, tmp_path)
    evaluation = tmp_path / "eval.csv"
    evaluation.write_text(EVAL, encoding="utf-8")
    report, pdf = tmp_path / "cba.xlsx", tmp_path / "cba.pdf"
    code = main(["bids", str(tender.boq), *map(str, paths), "--evaluation", str(evaluation), "--json",
                 "--report", str(report), "--pdf", str(pdf), "--committee", "Rania Haddad, chair"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    status = {b["name"]: (b["status"], b["reasons"]) for b in data["bidders"]}
    assert status["Cedar Builders"] == ("failed", ["technical compliance failed: no site engineer named"])
    assert status["Bina Co."] == ("evaluated", [])
    for lot in data["lots"]:
        assert "Cedar Builders" not in [r["bidder"] for r in lot["ranking"]]
    # Cedar was cheapest in lots 4 and 5; without it, Bina is recommended there
    assert [(r["lot"], r["bidder"]) for r in data["recommendation"]] == [
        (1, "Al-Noor Contracting"), (2, "Al-Noor Contracting"), (3, "Al-Noor Contracting"), (4, "Bina Co."), (5, "Bina Co.")]
    assert data["recommendation"][3]["amount"] == f"{expected_lot(tender, bidders['b'], 4):.2f}"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Comparative bid analysis" in text and "no site engineer named" in text and "Rania Haddad" in text
    assert "Page 1 of" in text
    wb = openpyxl.load_workbook(report)
    front = [[c.value for c in r] for r in wb.worksheets[0].iter_rows()]
    assert ["Cedar Builders", "c.xlsx", "2026-12-01 11:02"] in [r[:3] for r in front]
    assert ["Rania Haddad", "chair"] in [r[:2] for r in front]


def test_opening_record_and_bid_security(lots_tender: Tender, tmp_path: Path) -> None:
    tender = lots_tender
    _, paths = _bids(tender, tmp_path)
    ev = evaluate(tender.programme, paths)
    programme = copy.deepcopy(tender.programme)
    lot1 = programme.facilities[0]
    # a bid security of 2,000 for lot 1 only
    programme.particulars = dataclasses.replace(programme.particulars, lot=dataclasses.replace(
        programme.particulars.lot, bid_security=Decimal(0)))
    programme.lot_overrides = {lot1.uid: dataclasses.replace(programme.lot_particulars(lot1), bid_security=Decimal(2000))}
    records = parse_evaluation(EVAL.replace("al noor contracting,2026-12-01 10:05,30000", "al noor contracting,2026-12-01 "
                                            "10:05,1500").replace("Bina Co,2026-12-01 10:20,50000,yes", "Bina Co,,5000,no"))
    cba = evaluate_lots(programme, ev, records[:2])
    status = {b.name: (b.status, b.reasons) for b in cba.bidders}
    assert status["Al-Noor Contracting"] == (FAILED, ["bid security 1,500.00 is less than the 2,000.00 required for "
                                                      "the lots bid (1)"])
    assert status["Bina Co."] == (FAILED, ["bid security not valid"])
    assert status["Cedar Builders"][0] == FAILED and "not in the opening record" in status["Cedar Builders"][1][0]
    assert cba.recommendation == [] and all(lot.note for lot in cba.lots)


def test_the_evaluation_file_is_hostile_input(tmp_path: Path) -> None:
    bad = ("Bidder,Received,Security Amount,security_valid,technical,colour\n"
           "Acme,yesterday,12x,perhaps,pass,red\n"
           ",2026-12-01 10:00,,,,\n"
           "ACME,2026-12-01 10:00,,,,\n")
    with pytest.raises(ValidationFailed) as caught:
        parse_evaluation(bad, "eval.csv")
    message = str(caught.value)
    for expected in ("eval.csv, row 1, column 'colour': unknown column",
                     "eval.csv, row 2, column 'received': 'yesterday' is not a date and time",
                     "eval.csv, row 2, column 'security_amount': '12x' is not an amount",
                     "eval.csv, row 2, column 'security_valid': 'perhaps': write pass or fail",
                     "eval.csv, row 3, column 'bidder': no bidder name"):
        assert expected in message, message
    path = tmp_path / "eval.csv"
    path.write_bytes(b"PK\x03\x04binary")
    with pytest.raises(Exception, match="not a CSV text file"):
        read_evaluation(path)
    path.write_bytes("bidder\nAl-Noor\n".encode("utf-16"))
    with pytest.raises(Exception, match=r"not a CSV text file|not UTF-8"):
        read_evaluation(path)
    path.write_text("bidder\nA\na\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="row 3, column 'bidder': bidder 'a' is already in row 2"):
        read_evaluation(path)
    # what the window writes reads back the same; a name a spreadsheet would run as a formula is defused
    records = parse_evaluation(EVAL + "=HYPERLINK(1),,,,,,,\n")
    write_evaluation(records, path)
    again = read_evaluation(path)
    assert [(r.key, r.received, r.security_amount, r.security_valid, r.checks) for r in again] == \
        [(r.key, r.received, r.security_amount, r.security_valid, r.checks) for r in records]
    assert "\n =HYPERLINK" in path.read_text(encoding="utf-8-sig")
    # as Excel saves it with Arabic or Turkish settings: semicolons and decimal commas
    semicolons = parse_evaluation("bidder;security_amount;technical\nAl-Noor;2.500,50;نعم\n")
    assert [(r.bidder, r.security_amount, r.check("technical").passed) for r in semicolons] == \
        [("Al-Noor", Decimal("2500.50"), True)]


def test_one_bidder_in_two_workbooks_is_one_bid(lots_tender: Tender, tmp_path: Path) -> None:
    tender = lots_tender
    first = company(Bidder(tender, "0.9"), "Delta Engineering")
    second = company(Bidder(tender, "0.9"), "DELTA  ENGINEERING.")
    for lot in (3, 4, 5):
        leave_lot(first, lot)
    for lot in (1, 2):
        leave_lot(second, lot)
    other = company(Bidder(tender, "1.0"), "Bina Co.")
    paths = [first.save(tmp_path / "delta-1.xlsx"), second.save(tmp_path / "delta-2.xlsx"), other.save(tmp_path / "b.xlsx")]
    cba = evaluate_lots(tender.programme, evaluate(tender.programme, paths))
    assert [(b.name, b.files) for b in cba.bidders] == [("Bina Co.", ["b.xlsx"]),
                                                        ("Delta Engineering", ["delta-1.xlsx", "delta-2.xlsx"])]
    for lot in cba.lots:
        delta = lot.bids[0]
        assert (delta.bidder, delta.rank, delta.status) == ("Delta Engineering", 1, COMPLIANT)
        assert delta.file == ("delta-1.xlsx" if lot.number <= 2 else "delta-2.xlsx")
    # its rates for a contract, for the award (h19): every item of every lot, the provisional sum at its amount
    rates = corrected_rates(tender.programme, paths, "delta engineering")
    assert len(rates) == len(tender.lines)
    ps = tender.programme.facilities[0].bills[0].items[0]
    assert rates[ps.uid] == tender.lines[ps.uid].rate
    assert all(rates[u] == first.rates.get(u, second.rates.get(u)) for u in rates if u != ps.uid)
    with pytest.raises(Exception, match="from 2 bidders"):
        corrected_rates(tender.programme, paths)


def test_missing_rates_priced_at_the_highest_other_bid(lots_tender: Tender, tmp_path: Path) -> None:
    tender = lots_tender
    _, paths = _bids(tender, tmp_path)
    ev = evaluate(tender.programme, paths)
    highest = dataclasses.replace(tender.programme, particulars=dataclasses.replace(tender.programme.particulars,
                                                                                    missing_rates=HIGHEST))
    cba = evaluate_lots(highest, ev)
    cedar = next(e for e in cba.lot(2).bids if e.bidder == "Cedar Builders")
    assert cedar.status == COMPLIANT and len(cedar.priced_at_highest) == 1
    (uid, (rate, whose)), = cedar.priced_at_highest.items()
    assert whose == "Bina Co." and rate == r2(tender.lines[uid].rate * Decimal("0.95"))
    before = next(e for e in evaluate_lots(tender.programme, ev).lot(2).bids if e.bidder == "Cedar Builders")
    assert cedar.corrected_total == before.corrected_total + r2(tender.lines[uid].quantity * rate)


def test_each_lot_reads_the_same_figures_sliced_or_looked_up(lots_tender: Tender, tmp_path: Path) -> None:
    """The per-lot analysis takes a bid's figures for a lot in one slice when the bid holds them in the
    tender's order (as the reader makes them), else item by item: both give the same analysis."""
    tender = lots_tender
    _, paths = _bids(tender, tmp_path)
    ev = evaluate(tender.programme, paths)
    sliced = evaluate_lots(tender.programme, ev)
    for bid in ev.bids:  # the same figures in another order: looked up
        bid.items = dict(reversed(bid.items.items()))
    looked_up = evaluate_lots(tender.programme, ev)
    assert [lot.bids for lot in sliced.lots] == [lot.bids for lot in looked_up.lots]
    assert any(e.rates for lot in sliced.lots for e in lot.bids) and sliced.recommendation == looked_up.recommendation
