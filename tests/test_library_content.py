"""What the bundled rate library holds: every rate evaluates, the programmes' specialised works are
priceable, and what a reviewer flagged stays fixed."""

import datetime as dt
from decimal import Decimal

import pytest

from estimator import paths
from estimator.rates import Library, current_library, load_library
from estimator.rates.book import Converter

D = Decimal
NEW_TRADES = {  # the groups of work, by the trades that carry them
    "new build": ("Earthworks", "Reinforced concrete", "Masonry", "Insulation and waterproofing", "False ceilings and partitions",
                  "Doors and windows", "Storm water drainage", "Electrical networks", "Low current systems", "Lift",
                  "External works and paving"),
    "annexes": ("Mosque annex", "Commercial shops annex", "Water well"),
    "dialysis": ("Dialysis",),
    "radiotherapy and imaging": ("Radiotherapy and imaging shielding",),
    "hospital services": ("Medical gases", "Fire safety", "HVAC", "Hygienic finishes"),
}


def _usd(lib: Library) -> Converter:
    return lambda amount, cur: amount / lib.fx_per_usd[cur][0]


def test_every_rate_evaluates_to_a_positive_price_with_provenance() -> None:
    lib = load_library(paths.rates_dir())
    assert lib.problems == [] and lib.unavailable == set()
    cache: dict[str, Decimal] = {}
    for code, rate in lib.book.rates.items():
        value = lib.book.unit_rate(code, "USD", _usd(lib), cache)
        assert value > 0, code
        assert rate.description_ar and any("\u0600" <= ch <= "\u06ff" for ch in rate.description_ar), code
        assert rate.lines or (rate.quoted_price is not None and rate.source and rate.quoted_date), code
    for res in lib.book.resources.values():
        assert res.source and res.date and res.description_ar, res.code


def test_the_library_prices_the_programmes_specialised_works() -> None:
    lib = load_library(paths.rates_dir())
    trades = {r.trade for r in lib.book.rates.values()}
    for group, wanted in NEW_TRADES.items():
        assert set(wanted) <= trades, group
    assert len(lib.book.rates) >= 150 + 120  # 150 before issue 18, at least 120 new
    text = " ".join(r.description.casefold() for r in lib.book.rates.values())
    for words in ("ablution", "carpet", "sound system", "minaret", "dome", "roller shutter", "casing", "submersible pump",
                  "solar pumping", "elevated water tank", "ro water", "dialysis water", "drain point", "isolation room",
                  "high-density concrete", "shielded door", "maze", "penetration", "lead sheet", "lead-glass", "x-ray room",
                  "medical gas outlet", "manifold", "extinguisher", "hose reel", "fire door", "split air", "fresh-air",
                  "operating-theatre air", "vinyl", "wall cladding", "scrub sink", "damp-proof", "blinding", "ground beams",
                  "false", "sill", "generator", "transfer switch", "nurse call", "camera", "smoke detector", "lift",
                  "boundary wall", "gate", "storm"):
        assert words in text, words


def test_reviewer_findings_stay_fixed() -> None:
    lib = current_library()
    book = lib.book
    # reinforcement: about 3-4 steel-fixer days and as many labourer days per tonne (was 7 + 7)
    days = {ln.component: ln.coefficient for ln in book.rate("RC-100").lines}
    assert D(3) <= days["L-STEEL"] <= D(4) and days["L-LAB"] <= D(4)
    # earthing: a real run of earth conductor, not 1.5 m of power cable
    lines = {ln.component: ln.coefficient for ln in book.rate("EL-110").lines}
    assert lines.get("M-EARTHCOND", D(0)) >= 10 and "M-CAB-16" not in lines
    # no PV price from ~2019 and no 2017 benchmark left selectable
    for code in ("M-PV-NEW", "M-PV-USED"):
        assert book.resources[code].date >= dt.date(2025, 1, 1)
    assert "PV-910" not in book.rates
    assert all(r.quoted_date is None or r.quoted_date >= dt.date(2024, 1, 1) for r in book.rates.values())


@pytest.mark.parametrize(("code", "low", "high"), [
    ("RC-100", 850, 1100),  # reinforcement fixed, USD/t (steel 640 USD/t, March 2025)
    ("RT-040", 180, 320),   # normal-density shielding concrete complete, USD/m3
    ("RT-050", 650, 1100),  # high-density (barite) shielding concrete complete, USD/m3
    ("WW-020", 30, 70),     # well drilling, USD/m
    ("PV-900", 600, 1100),  # hybrid PV per kWp with storage (IRENA 876 USD/kW utility PV without storage, 2022)
])
def test_key_rates_are_in_their_order_of_magnitude(code: str, low: int, high: int) -> None:
    lib = current_library()
    value = lib.book.unit_rate(code, "USD", _usd(lib))
    assert low <= value <= high, value
