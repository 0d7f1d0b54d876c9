"""Returned bids as they come back from a spreadsheet: recalculated by LibreOffice, so every formula
has a cached value, which is what `boq bids` then reads as the bidder's stated amounts and totals.
And `boq bids` run as the separate program a user starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from estimator.analysis.bids import evaluate
from estimator.model import MEASURED, PC_ATTENDANCE
from tests.support.libreoffice import recalculate
from tests.test_bids import Bidder, Tender, kinds, r2, tender  # noqa: F401  (tender is a fixture)
from tests.test_bids_files import _both_paths, lane_and_cells

pytestmark = pytest.mark.libreoffice


def test_recalculated_bids_are_read_with_their_cached_values(tender: Tender, tmp_path: Path) -> None:  # noqa: F811
    valid = Bidder(tender, "1.13")
    messy = Bidder(tender, "0.92")
    ws, row, f_uid = messy.find(0, 3)
    ws[f"F{row}"] = f"=D{row}*E{row}*0.9"  # a discount slipped into the formula
    ws, row, s_uid = messy.find(0, 5)
    slip = r2(tender.lines[s_uid].quantity * messy.rates[s_uid]) + Decimal("0.05")
    ws[f"F{row}"] = float(slip)
    filled = tmp_path / "filled"
    filled.mkdir()
    out = tmp_path / "recalculated"
    paths = [recalculate(valid.save(filled / "valid.xlsx"), out), recalculate(messy.save(filled / "messy.xlsx"), out)]
    cached = openpyxl.load_workbook(paths[0], data_only=True)["General Summary"]
    assert any(isinstance(c.value, float) for row in cached.iter_rows() for c in row)  # LibreOffice stored results

    fast, exact = _both_paths(paths[1])  # the file as LibreOffice writes it: shared strings, cached values
    assert all(rows is not None for rows in fast.values()) and fast == exact
    looked, items = lane_and_cells(paths[0])  # and the item rows read in one look are those rows:
    # every item row but the profit-and-attendance lines (their formula is a percentage: `/100`)
    assert looked == items - sum(ln.item.kind == PC_ATTENDANCE for ln in tender.lines.values()) > 0

    ev = evaluate(tender.programme, paths)
    by_file = {b.file: b for b in ev.bids}
    good = by_file["valid.xlsx"]
    assert good.anomalies == []
    assert good.stated_source == "the workbook's grand total"
    assert good.stated_total == good.corrected_total == tender.corrected_total(valid.rates)
    assert all(f.stated == f.corrected for f in good.items.values())
    bad = by_file["messy.xlsx"]
    ref = {uid: tender.lines[uid].item.ref for uid in (f_uid, s_uid)}
    # with the formula's result known, the discount is an arithmetic error as well as a replaced formula
    assert kinds(ev, "messy.xlsx") == {("formula replaced", ref[f_uid]), ("arithmetic error", ref[f_uid]),
                                       ("formula replaced", ref[s_uid]), ("arithmetic error", ref[s_uid])}
    assert bad.corrected_total == tender.corrected_total(messy.rates)
    discounted = bad.items[f_uid]
    assert discounted.stated is not None and discounted.stated != discounted.corrected
    # the stated total is the bidder's own grand total: the corrected one plus the slip, less the discount
    subtotal_diff = (slip - bad.items[s_uid].corrected) + (discounted.stated - discounted.corrected)
    # (no markup on a bid's subtotal: the employer's contingency is not the bidder's, the sample's bidders charge no tax)
    assert abs(bad.stated_total - bad.corrected_total - subtotal_diff) < Decimal("0.05")

    # the same, as a user runs it: a separate process, JSON on stdout
    run = subprocess.run([sys.executable, "-m", "estimator", "bids", str(tender.boq), *map(str, paths), "--json"],
                         capture_output=True, text=True, timeout=300, env={**os.environ})
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    for lot in data["lots"]:  # each lot's total as LibreOffice calculated it, beside the corrected one
        ranked = {r["bidder"]: r for r in lot["ranking"]}
        assert [r["bidder"] for r in lot["ranking"]] == ["messy", "valid"]  # 8 % cheaper
        assert ranked["valid"]["read_total"] == ranked["valid"]["corrected_total"]
        difference = Decimal(ranked["messy"]["read_total"]) - Decimal(ranked["messy"]["corrected_total"])
        assert abs(difference - (subtotal_diff if lot["lot"] == 1 else 0)) < Decimal("0.01")
    # messy is the lowest in every lot, but the sample allows 3 lots per bidder: 3 to each
    recommended = {(r["lot"], r["bidder"]): Decimal(r["amount"]) for r in data["recommendation"]}
    assert sorted(bidder for _, bidder in recommended) == ["messy"] * 3 + ["valid"] * 3


def test_rows_priced_as_issued_read_the_same_through_the_one_look_as_step_by_step(
        tender: Tender, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """A row priced as issued is read in one look (`sheetlane`) and checked in one (`RowChecker._lane`,
    `_clean`); every figure and anomaly must be what reading cell by cell and checking step by step
    give, for clean rows and for each way a row can differ."""
    from estimator.analysis import sheetlane
    from estimator.analysis.bidcheck import RowChecker

    bidder = Bidder(tender, "0.97")
    changes = [("D", lambda row, uid: float(tender.lines[uid].quantity + 1)),  # quantity changed
               ("E", lambda row, uid: f"=2*{float(bidder.rates[uid])}/2"),  # a formula rate
               ("E", lambda row, uid: -5.0),  # a negative rate
               ("E", lambda row, uid: 12.345),  # more decimals than shown
               ("F", lambda row, uid: f"=ROUND(D{row}*E{row},1)"),  # another formula
               ("E", lambda row, uid: 0.0),  # a rate of 0
               ("E", lambda row, uid: None),  # not priced
               ("F", lambda row, uid: 1234.5),  # an amount typed over the formula
               ("F", lambda row, uid: float(round(tender.lines[uid].quantity * bidder.rates[uid], 2)))]  # the right one
    for position, (column, value) in enumerate(changes, start=1):
        ws, row, uid = bidder.find(0, position)
        if tender.lines[uid].item.kind == MEASURED:
            ws[f"{column}{row}"] = value(row, uid)
    filled = tmp_path / "filled"
    filled.mkdir()
    path = recalculate(bidder.save(filled / "bid.xlsx"), tmp_path / "recalculated")

    looks = []

    def counted(method: Any) -> Any:
        def look(self: RowChecker, *args: Any) -> Any:
            result = method(self, *args)
            looks.append(result is not None)
            return result
        return look
    monkeypatch.setattr(RowChecker, "_lane", counted(RowChecker._lane))
    monkeypatch.setattr(RowChecker, "_clean", counted(RowChecker._clean))
    fast = evaluate(tender.programme, [path], workers=1).bids[0]
    # step by step: every row read cell by cell (no lane) and checked without the one look
    monkeypatch.setattr(sheetlane, "lane_rows", lambda *args: None)
    monkeypatch.setattr(RowChecker, "_lane", lambda self, *args: None)
    monkeypatch.setattr(RowChecker, "_clean", lambda self, *args: None)
    slow = evaluate(tender.programme, [path], workers=1).bids[0]
    assert sum(looks) > len(tender.lines) // 2  # most rows took the one look
    assert fast.items == slow.items and fast.anomalies == slow.anomalies
    assert fast.corrected_total == slow.corrected_total and fast.stated_total == slow.stated_total
    assert len({a.item_uid for a in slow.anomalies if a.item_uid}) >= 5  # the changed rows were looked at closely
