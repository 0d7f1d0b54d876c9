"""The rate library: build-up arithmetic, sources, currencies, broken files, snapshots and re-pricing."""

import datetime as dt
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from estimator import paths
from estimator.cli import main
from estimator.model import Bill, Facility, Item, Programme
from estimator.pricing import Pricer, price
from estimator.rates import current_library, load_library
from estimator.reprice import reprice
from estimator.store import Project, load

D = Decimal
CATEGORIES = ["demolition", "concrete", "masonry", "plaster", "tyrolean", "insulation", "waterproof", "ceramic", "tiling",
              "paint", "door", "window", "ironwork", "canopy", "prefab", "interlocking", "water supply", "sewage", "tank",
              "distribution panel", "led", "solar", "cooler", "ramp", "handrail", "mobilisation"]


def test_bundled_library_loads_clean_and_covers_every_category() -> None:
    lib = load_library(paths.rates_dir())
    assert lib.problems == []
    book = lib.book
    assert len(book.rates) >= 100
    built_up = [r for r in book.rates.values() if r.lines]
    assert len(built_up) >= 100
    text = " ".join(f"{r.trade} {r.description}" for r in book.rates.values()).casefold()
    missing = [c for c in CATEGORIES if c not in text]
    assert missing == []
    for res in book.resources.values():
        assert res.source, res.code
    assert all(r.description_ar for r in book.rates.values())


def test_rates_show_prints_sources_and_a_rate_equal_to_the_arithmetic(capsys: pytest.CaptureFixture[str]) -> None:
    lib = current_library()
    code = next(c for c, r in sorted(lib.book.rates.items()) if r.trade.startswith("Plaster") and r.lines)
    assert main(["rates", "show", code]) == 0
    out = capsys.readouterr().out
    rate = lib.book.rates[code]
    total = D(0)
    for line in rate.lines:
        res = lib.book.resources.get(line.component)
        assert line.component in out
        if res is not None:
            assert res.source in out and res.date.isoformat() in out and res.currency in out
            price_usd = res.price / lib.fx_per_usd[res.currency][0]
        else:
            price_usd = lib.book.unit_rate(line.component, "USD", lambda a, c: a / lib.fx_per_usd[c][0])
        total += line.coefficient * (1 + line.waste_pct / 100) * price_usd
    expected = (total * (1 + rate.overheads_pct / 100)).quantize(D("0.01"), ROUND_HALF_UP)
    assert f"unit rate: {expected:,.2f} USD" in out


def test_quoted_and_composite_rates(minilib: Path) -> None:
    lib = current_library()
    usd = lambda a, c: a / lib.fx_per_usd[c][0]  # noqa: E731
    assert lib.book.unit_rate("EL-500", "USD", usd) == D("1850.00")
    # composite: 1 m3 concrete (80.90) + 0.1 t steel (933.80) = 174.28, no extra overheads
    assert lib.book.unit_rate("RC-900", "USD", usd) == D("174.28")
    # priced in TRY, the same build-up gives the TRY rate (not a converted rounded USD figure)
    try_ = lambda a, c: a if c == "TRY" else a / lib.fx_per_usd[c][0] * D("42.35")  # noqa: E731
    assert lib.book.unit_rate("EL-500", "TRY", try_) == D("78347.50")


def _broken(tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    shutil.copytree(Path(__file__).parent / "data" / "minilib", folder)
    with (folder / "resources.csv").open("a", encoding="utf-8") as fh:
        fh.write("M-BAD,material,Bad unit,,furlongs,3,USD,2025-01-01,here,indicative - engineer's judgement\n")
        fh.write("M-NOPRICE,material,No price,,kg,,USD,2025-01-01,here,indicative - engineer's judgement\n")
    with (folder / "rates.csv").open("a", encoding="utf-8") as fh:
        fh.write("X-1,Test,Uses unknown resource,,m2,10,,,,\n")
        fh.write("X-2,Test,Cycle a,,m2,0,,,,\n")
        fh.write("X-3,Test,Cycle b,,m2,0,,,,\n")
        fh.write("X-4,Test,Built on X-1,,m2,0,,,,\n")
    with (folder / "buildups.csv").open("a", encoding="utf-8") as fh:
        fh.write("X-1,M-GHOST,1,0,\nX-2,X-3,1,0,\nX-3,X-2,1,0,\nX-4,X-1,2,0,\n")
    return folder


def test_broken_library_reports_each_problem_and_keeps_the_rest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = load_library(_broken(tmp_path))
    messages = [str(p) for p in lib.problems]
    assert any("resources.csv, row 7, column 'unit'" in m and "furlongs" in m for m in messages)
    assert any("resources.csv, row 8, column 'price'" in m for m in messages)
    assert any("row 13, column 'component'" in m and "M-GHOST" in m for m in messages)
    assert any("circular composite" in m and "X-2" in m and "X-3" in m for m in messages)
    assert {"X-1", "X-2", "X-3", "X-4"} <= lib.unavailable
    assert {"PL-010", "RC-900", "EL-500"} <= set(lib.book.rates)
    assert main(["rates", "check", str(tmp_path / "lib")]) == 1
    err = capsys.readouterr().err
    assert "furlongs" in err and "Traceback" not in err


def _priced_programme() -> Programme:
    prog = Programme("Snap")
    prog.set_fx("TRY", D("42.35"), dt.date(2026, 11, 1))
    prog.facilities.append(Facility("Clinic", bills=[Bill("Works", items=[
        Item("Plaster", D("100"), "m2", rate_code="PL-010"), Item("Panel", D("1"), "nr", rate_code="EL-500")])]))
    prog.rates = current_library().book.closure(["PL-010", "EL-500"])
    return prog


def test_snapshot_stability_and_reprice_report(minilib: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.boq"
    Project.create(path, _priced_programme()).close()
    before = price(load(path)).to_json()
    # next year the library changes: cement and the panel quote go up
    folder = tmp_path / "newlib"
    shutil.copytree(minilib, folder)
    (folder / "resources.csv").write_text((folder / "resources.csv").read_text(encoding="utf-8").replace(",114,", ",150,"), encoding="utf-8")
    (folder / "rates.csv").write_text((folder / "rates.csv").read_text(encoding="utf-8").replace(",1850,", ",2000,"), encoding="utf-8")
    monkeypatch.setenv("BOQ_RATES_DIR", str(folder))
    assert price(load(path)).to_json() == before  # reopening gives the same totals
    with Project.open(path) as project:
        report = reprice(project.programme, current_library().book, apply=False)
        assert price(project.programme).to_json() == before  # a dry run changes nothing
    changed = {rc.code: (rc.old, rc.new) for rc in report.rates}
    assert changed["EL-500"] == (D("1850.00"), D("2000.00"))
    assert changed["PL-010"][1] > changed["PL-010"][0]
    [fac] = report.facilities
    assert fac.new - fac.old == 100 * (changed["PL-010"][1] - changed["PL-010"][0]) + D("150")
    assert main(["reprice", str(path)]) == 0
    assert price(load(path)).grand_total == report.new_total


def test_user_library_adds_rates_built_on_bundled_resources(minilib: Path, tmp_path: Path) -> None:
    own = tmp_path / "own"
    own.mkdir()
    (own / "rates.csv").write_text("code,trade,description,description_ar,unit,overheads_pct,quoted_price,quoted_currency,quoted_date,source\n"
                                   "U-1,Plastering,Our plaster,,m2,10,,,,\n", encoding="utf-8")
    (own / "buildups.csv").write_text("rate,component,coefficient,waste_pct,note\nU-1,L-LAB,0.2,0,\nU-1,PL-010,1,0,\n", encoding="utf-8")
    assert main(["rates", "import", str(own)]) == 0
    lib = current_library()
    assert lib.book.rates["U-1"].origin == "user"
    usd = lambda a, c: a / lib.fx_per_usd[c][0]  # noqa: E731
    assert lib.book.unit_rate("U-1", "USD", usd) == ((D("0.2") * D("17.50") + D("4.44")) * D("1.1")).quantize(D("0.01"))
    assert (paths.user_rates_dir() / "rates.csv").exists()


def test_search_english_and_arabic() -> None:
    book = current_library().book
    assert any(r.trade.startswith("Plaster") for r in book.search("plaster"))
    assert any(r.trade.startswith("Plaster") for r in book.search("لياسة"))
    assert book.search("no such thing at all") == []


def test_programme_rate_converted_through_programme_fx(minilib: Path) -> None:
    prog = _priced_programme()
    pricer = Pricer(prog)
    before = pricer.rate_of_code("PL-010")
    prog.set_fx("TRY", D("50"), dt.date(2026, 12, 1))  # the newest dated rate is used
    assert Pricer(prog).rate_of_code("PL-010") < before
