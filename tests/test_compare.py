"""Facility comparison: per-m² and per-bed figures, trades, group medians and outlier flags.

The programmes are built here for the purpose, with figures worked out by hand in the comments.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from estimator.analysis.compare import ALL_TRADES, NOT_GIVEN, Thresholds, compare
from estimator.analysis.trades import bill_trade_name
from estimator.cli import main
from estimator.errors import UserError
from estimator.model import Facility, Item, Programme
from estimator.pricing import price
from estimator.rates import current_library
from estimator.store import Project

D = Decimal


def own(description: str, qty: str, unit: str, rate: str) -> Item:
    return Item(description, D(qty), unit, rate=D(rate), rate_currency="USD")


def facility(name: str, ftype: str, gov: str, area: str | None, beds: int | None, paint_rate: str) -> Facility:
    """A facility with 100 m² of plaster at 10.00 (1,000.00) and 100 m² of paint at `paint_rate`."""
    fac = Facility(name, gov, "", ftype, D(area) if area else None, beds)
    fac.bill("1 Plastering").items.append(own("Plaster", "100", "m2", "10"))
    fac.bill("2. Painting").items.append(own("Paint", "100", "m2", paint_rate))
    return fac


def hospitals() -> Programme:
    """Four hospitals of 100 m²; painting costs 2, 2, 2 and 7 USD per m² of floor; one clinic."""
    prog = Programme("Purpose-built")
    prog.facilities = [
        facility("H1", "hospital", "Idlib", "100", 10, "2"),
        facility("H2", "hospital", "Idlib", "100", 20, "2"),
        facility("H3", "hospital", "Aleppo", "100", None, "2"),
        facility("H4", "hospital", "Aleppo", "100", 0, "7"),
        facility("C1", "primary health care centre", "", None, None, "2"),
    ]
    return prog


def test_per_m2_and_per_bed_are_exact_and_rounded_once() -> None:
    prog = Programme("One")
    fac = Facility("Clinic", "Idlib", "", "primary health care centre", D("200"), 10)
    fac.bill("1 Plastering").items.append(own("Plaster", "100", "m2", "12.50"))  # 1,250.00
    fac.bill("2. Painting").items.append(own("Paint", "50", "m2", "3.333"))  # rate prints 3.33: 166.50
    prog.facilities = [fac]
    row = compare(prog).facilities[0]
    assert row.total == D("1416.50")
    assert row.per_m2 == D("7.08")  # 1,416.50 / 200 = 7.0825
    assert row.per_bed == D("141.65")
    assert row.trades == {"Plastering": D("1250.00"), "Painting": D("166.50")}
    assert row.trade_per_m2("Painting") == D("0.83")  # 166.50 / 200 = 0.8325
    assert row.trade_per_m2(ALL_TRADES) == D("7.08")


def test_groups_and_medians() -> None:
    c = compare(hospitals())
    by_type = {g.name: g for g in c.by_type}
    h = by_type["hospital"]
    # totals: 1,200 x 3 and 1,700; per m²: 12, 12, 12, 17; per bed only H1 (120) and H2 (60)
    assert h.total == D("5300.00") and h.median_total == D("1200.00")
    assert (h.min_per_m2, h.median_per_m2, h.max_per_m2) == (D("12.00"), D("12.00"), D("17.00"))
    assert h.median_per_bed == D("90.00")
    clinic = by_type["primary health care centre"]
    assert clinic.median_per_m2 is None and clinic.median_per_bed is None
    by_gov = {g.name: g for g in c.by_governorate}
    assert set(by_gov) == {"Idlib", "Aleppo", NOT_GIVEN}
    assert by_gov["Aleppo"].median_total == D("1450.00")  # median of 1,200 and 1,700
    assert [g.name for g in c.by_governorate][-1] == NOT_GIVEN  # "not given" sorts last
    # beds 0 and floor area None mean "not known", never a division by zero
    assert c.facility(c.facilities[3].uid).per_bed is None
    assert c.facilities[4].per_m2 is None


def test_outlier_flags_say_why() -> None:
    c = compare(hospitals())
    # painting per m²: 2, 2, 2, 7 -> median 2; 7 is 3.5 x the median
    assert [(o.facility, o.trade, o.high) for o in c.outliers] == [("H4", "Painting", True)]
    o = c.outliers[0]
    assert (o.per_m2, o.median, o.peers) == (D("7.00"), D("2.00"), 4)
    assert o.ratio == D("3.5")
    assert "Painting costs 7.00 USD per m² of floor" in o.reason
    assert "median of the 4 facilities of the same type (hospital) is 2.00 USD per m²" in o.reason
    assert "3.5 times the median, more than the threshold of 2 times" in o.reason
    # whole facility: 17 against a median of 12 is 1.42 x: not flagged


def test_low_outlier_and_configurable_thresholds() -> None:
    prog = hospitals()
    prog.facilities[3].bills[1].items[0].rate = D("0.5")  # 0.50 per m² against 2.00: 0.25 x
    c = compare(prog)
    assert [(o.facility, o.trade, o.high) for o in c.outliers] == [("H4", "Painting", False)]
    assert "0.25 times the median, less than the threshold of 0.5 times" in c.outliers[0].reason
    assert compare(prog, thresholds=Thresholds(D("2"), D("0.2"))).outliers == []
    prog.facilities[3].bills[1].items[0].rate = D("7")
    assert compare(prog, thresholds=Thresholds(D("4"), D("0.5"))).outliers == []
    # a type is judged only with enough peers: with min_peers 5 four hospitals are not enough
    assert compare(prog, thresholds=Thresholds(min_peers=5)).outliers == []
    # a whole-facility flag when the total per m² is far off as well
    prog.facilities[3].bills[0].items[0].rate = D("40")  # 4,000 + 700 = 4,700 over 100 m²: 47 vs 12
    flags = {(o.facility, o.trade) for o in compare(prog).outliers}
    assert ("H4", ALL_TRADES) in flags and ("H4", "Plastering") in flags


@pytest.mark.parametrize(("high", "low", "peers"), [("1", "0.5", 3), ("2", "0", 3), ("2", "1.5", 3), ("2", "0.5", 1)])
def test_bad_thresholds_are_refused(high: str, low: str, peers: int) -> None:
    with pytest.raises(UserError, match="outlier thresholds"):
        Thresholds(D(high), D(low), peers)


def test_bill_names_lose_their_numbers() -> None:
    assert bill_trade_name("3. Plastering") == "Plastering"
    assert bill_trade_name("Bill 3 - Plastering") == "Plastering"
    assert bill_trade_name("03 Doors and windows") == "Doors and windows"
    assert bill_trade_name("1.2: Ironwork") == "Ironwork"
    assert bill_trade_name("٣ لياسة") == "لياسة"
    assert bill_trade_name("Preliminaries") == "Preliminaries"
    assert bill_trade_name("12") == "12"


def test_trades_come_from_the_rate_library(minilib: Path) -> None:
    """Coded items take their rate's trade; own-rate items their bill's dominant trade."""
    prog = Programme("Coded")
    prog.rates = current_library().book.closure(["PL-010", "RC-020", "EL-500"])
    fac = Facility("F", "Idlib", "", "hospital", D("50"))
    finishes = fac.bill("4 Finishes")
    finishes.items += [Item("Plaster", D("10"), "m2", rate_code="PL-010"),
                       Item("Own plaster", D("2"), "m2", rate=D("5"), rate_currency="USD"),
                       Item("Slab", D("1"), "m3", rate_code="RC-020")]
    fac.bill("5 Electrical").items.append(Item("Panel", D("1"), "nr", rate_code="EL-500"))
    fac.bill("6 Misc works").items.append(own("Sundries", "1", "item", "100"))
    prog.facilities = [fac]
    est = price(prog)
    row = compare(prog, est).facilities[0]
    lines = {ln.item.description: ln.amount for b in est.facilities[0].bills for ln in b.lines}
    # the own plaster sits in a bill where concrete (one slab) carries more money than plaster
    dominant = "Reinforced concrete" if lines["Slab"] > lines["Plaster"] else "Plastering"
    expected = {"Plastering": lines["Plaster"], "Reinforced concrete": lines["Slab"], "Electrical": lines["Panel"],
                "Misc works": D("100.00")}
    expected[dominant] += lines["Own plaster"]
    assert row.trades == expected
    assert sum(row.trades.values()) == row.total == est.facilities[0].total


def test_sample_programme_trades_add_up(sample_programme: Programme) -> None:
    est = price(sample_programme)
    c = compare(sample_programme, est)
    assert len(c.facilities) == len(est.facilities)
    for row, ft in zip(c.facilities, est.facilities, strict=True):
        assert row.total == ft.total and sum(row.trades.values()) == ft.total, row.name
        assert list(row.trades) == [t for t in c.trades if t in row.trades]
    assert sum(g.total for g in c.by_type) == est.subtotal == sum(g.total for g in c.by_governorate)
    json.dumps(c.to_json())


def test_cli_compare_json_and_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "h.boq"
    Project.create(path, hospitals()).close()
    assert main(["compare", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    h4 = next(f for f in data["facilities"] if f["name"] == "H4")
    assert h4["per_m2"] == "17.00" and h4["trades"] == {"Plastering": "1000.00", "Painting": "700.00"}
    assert data["outliers"][0]["ratio"] == "3.50" and data["outliers"][0]["direction"] == "high"
    assert {g["name"]: g["median_per_m2"] for g in data["by_facility_type"]} == {
        "hospital": "12.00", "primary health care centre": None}
    assert main(["compare", str(path), "--high", "5"]) == 0
    out = capsys.readouterr().out
    assert "Outliers: 0" in out and "H4" in out and "17.00" in out
    assert main(["compare", str(path), "--high", "0.9"]) == 1
    assert "need 0 < low < 1 < high" in capsys.readouterr().err
    assert main(["compare", str(path), "--low", "half"]) == 1
    assert "--low: 'half' is not a valid number" in capsys.readouterr().err
    assert main(["compare", str(tmp_path / "missing.boq")]) == 1
    assert "missing.boq" in capsys.readouterr().err
