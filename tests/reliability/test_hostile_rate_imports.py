"""`boq rates import` of a rate folder that replaces what is there or builds a cycle with it.

Before: `--into` replaced a programme's rates of the same code without a word (grand total x12,
"added 1 rates"), and a build-up that closed a cycle through the bundled library was accepted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from estimator.pricing import price
from estimator.store import Project, load
from tests.reliability.states import MINILIB, ROOT, make_programme, state

RATES_HEADER = "code,trade,description,description_ar,unit,overheads_pct,quoted_price,quoted_currency,quoted_date,source\n"
BUILDUPS_HEADER = "rate,component,coefficient,waste_pct,note\n"


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BOQ_RATES_DIR": str(MINILIB), "BOQ_DATA_DIR": str(tmp_path / "u")}
    return subprocess.run([sys.executable, "-m", "estimator", *args], env=env, capture_output=True, text=True, timeout=180)


def _folder(tmp_path: Path, rates: str, buildups: str = "") -> Path:
    folder = tmp_path / "own"
    folder.mkdir()
    (folder / "rates.csv").write_text(RATES_HEADER + rates, encoding="utf-8")
    if buildups:
        (folder / "buildups.csv").write_text(BUILDUPS_HEADER + buildups, encoding="utf-8")
    return folder


def _boq(tmp_path: Path) -> Path:
    path = tmp_path / "p.boq"
    Project.create(path, make_programme(2, 20)).close()
    return path


def test_replacing_a_programme_rate_is_listed_and_needs_replace(tmp_path: Path) -> None:
    boq = _boq(tmp_path)
    before = state(load(boq))
    total = price(load(boq)).grand_total
    folder = _folder(tmp_path, "EL-500,Electrical,Panel,,nr,0,22200,USD,2026-11-01,a quote\n")
    done = _cli(tmp_path, "rates", "import", str(folder), "--into", str(boq))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "nothing was changed" in done.stderr and "--replace" in done.stderr
    assert "rate EL-500: 1,850.00 USD -> 22,200.00 USD per nr" in done.stderr
    assert f"grand total {total:,.2f} -> " in done.stderr
    assert state(load(boq)) == before

    done = _cli(tmp_path, "rates", "import", str(folder), "--into", str(boq), "--replace")
    assert done.returncode == 0, done.stderr
    assert "rate EL-500: 1,850.00 USD -> 22,200.00 USD" in done.stdout
    assert "added 0 rates" in done.stdout and "replaced 1" in done.stdout
    after = price(load(boq))
    assert not after.problems and after.grand_total > total
    assert f"grand total {total:,.2f} -> {after.grand_total:,.2f} USD" in done.stdout


def test_an_identical_rate_is_not_a_replacement(tmp_path: Path) -> None:
    boq = _boq(tmp_path)
    folder = _folder(tmp_path, 'EL-500,Electrical,"Main distribution panel, 250 A",لوحة توزيع رئيسية,nr,0,1850,USD,'
                               "2026-10-01,supplier quote (indicative)\n")
    done = _cli(tmp_path, "rates", "import", str(folder), "--into", str(boq))
    assert done.returncode == 0, done.stderr
    assert "replaced" not in done.stdout


def test_a_cycle_through_the_bundled_library_is_refused(tmp_path: Path) -> None:
    """RC-900 (library) is built from RC-020; an own RC-020 built from RC-900 closes the loop."""
    folder = _folder(tmp_path, "RC-020,Concrete,Own concrete,,m3,0,,,,\n", "RC-020,RC-900,1,0,\n")
    boq = _boq(tmp_path)
    before = state(load(boq))
    for args in (["--into", str(boq), "--replace"], []):
        done = _cli(tmp_path, "rates", "import", str(folder), *args)
        assert done.returncode == 1, done.stdout + done.stderr
        assert "circular composite (through rates already in the library or programme)" in done.stderr
        assert "RC-020 -> RC-900 -> RC-020" in done.stderr or "RC-900 -> RC-020 -> RC-900" in done.stderr
    assert state(load(boq)) == before
    assert not (tmp_path / "u" / "rates").exists()


def test_a_cycle_through_the_programme_snapshot_is_refused(tmp_path: Path) -> None:
    """P-1 exists only in the programme (imported earlier); a new rate used by it, built from it, is a loop."""
    boq = _boq(tmp_path)
    first = _folder(tmp_path, "P-1,Misc,Programme rate,,m3,0,,,,\nP-2,Misc,Its part,,m3,0,5,USD,2026-11-01,quote\n",
                    "P-1,P-2,1,0,\n")
    assert _cli(tmp_path, "rates", "import", str(first), "--into", str(boq)).returncode == 0
    second = tmp_path / "second"
    second.mkdir()
    (second / "rates.csv").write_text(RATES_HEADER + "P-2,Misc,Its part,,m3,0,,,,\n", encoding="utf-8")
    (second / "buildups.csv").write_text(BUILDUPS_HEADER + "P-2,P-1,1,0,\n", encoding="utf-8")
    done = _cli(tmp_path, "rates", "import", str(second), "--into", str(boq), "--replace")
    assert done.returncode == 1 and "circular composite" in done.stderr, done.stdout + done.stderr
    assert not price(load(boq)).problems


def test_a_build_up_on_itself(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "X-1,Misc,Self,,m2,0,,,,\n", "X-1,X-1,1,0,\n")
    done = _cli(tmp_path, "rates", "import", str(folder), "--into", str(_boq(tmp_path)))
    assert done.returncode == 1 and "circular composite: X-1 -> X-1" in done.stderr


def test_rates_built_on_library_rates_the_programme_lacks_bring_them_along(tmp_path: Path) -> None:
    """The snapshot got only the folder's own rates: pricing an item of X-1 said 'RC-900 is not in the programme'."""
    boq = tmp_path / "p.boq"
    prog = make_programme(1, 3)
    prog.rates = prog.rates.closure(["PL-010"])  # a programme that never used RC-900
    Project.create(boq, prog).close()
    folder = _folder(tmp_path, "X-1,Concrete,Own concrete,,m3,10,,,,\n", "X-1,RC-900,1,0,\n")
    assert _cli(tmp_path, "rates", "import", str(folder), "--into", str(boq)).returncode == 0
    loaded = load(boq)
    assert {"X-1", "RC-900", "RC-010", "RC-020"} <= set(loaded.rates.rates)
    loaded.facilities[0].bills[0].items[0].rate_code = "X-1"
    loaded.facilities[0].bills[0].items[0].rate = None
    loaded.facilities[0].bills[0].items[0].unit = "m3"
    assert not price(loaded).problems


def test_replacing_a_bundled_rate_in_the_user_library_needs_replace(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "EL-500,Electrical,Panel,,nr,0,22200,USD,2026-11-01,a quote\n")
    done = _cli(tmp_path, "rates", "import", str(folder))
    assert done.returncode == 1 and "rate EL-500: 1,850.00 USD -> 22,200.00 USD" in done.stderr
    assert not (tmp_path / "u" / "rates").exists()
    done = _cli(tmp_path, "rates", "import", str(folder), "--replace")
    assert done.returncode == 0 and "replaces 1 of the bundled library" in done.stdout


def test_control_characters_and_an_inner_bom_in_a_rate_folder(tmp_path: Path) -> None:
    """A BOM before a header name (two files pasted together) made 'code' a missing column; ESC stayed in texts."""
    from estimator.rates import load_library

    folder = tmp_path / "own"
    folder.mkdir()
    (folder / "rates.csv").write_text("trade,\ufeffcode,description,description_ar,unit,overheads_pct,quoted_price,"
                                      "quoted_currency,quoted_date,source\n"
                                      "Misc\x1b[0m,X-9\x00,Panel\x1a board\u009b,,nr,0,100,USD,2026-11-01,quote\x07\n",
                                      encoding="utf-8")
    lib = load_library(folder, base=load_library(MINILIB).book)
    assert lib.problems == []
    rate = lib.book.rates["X-9"]
    assert (rate.trade, rate.description, rate.source) == ("Misc[0m", "Panel board", "quote")
