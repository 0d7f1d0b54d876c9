"""Broken rate libraries: every problem is listed with file, row and column, the rates it touches are
left out, and the rest of the library loads and prices. Never an exception out of `load_library`."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from estimator.cli.rates import library_converter
from estimator.errors import MissingExchangeRate, UserError
from estimator.rates import Library, load_library
from tests.reliability.states import MINILIB, ROOT

FILES = ("resources.csv", "rates.csv", "buildups.csv", "exchange_rates.csv")


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    folder = tmp_path / "rates"
    shutil.copytree(MINILIB, folder)
    return folder


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    text = (folder / name).read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(folder: Path, name: str, lines: str) -> None:
    text = (folder / name).read_text(encoding="utf-8")
    (folder / name).write_text(text + ("" if text.endswith("\n") else "\n") + lines, encoding="utf-8")


def _loads_the_rest(library: Library) -> None:
    """Every rate that did load prices without error (or, with exchange_rates.csv broken, names the currency)."""
    convert = library_converter(library, "USD")
    for code in library.book.rates:
        try:
            assert library.book.unit_rate(code, "USD", convert) >= 0
        except MissingExchangeRate as exc:
            assert exc.currency not in library.fx_per_usd


def _where(library: Library) -> list[str]:
    return [str(p) for p in library.problems]


def test_the_test_library_is_clean(lib: Path) -> None:
    library = load_library(lib)
    assert library.problems == []
    assert set(library.book.rates) == {"PL-010", "RC-010", "RC-020", "RC-900", "EL-500"}


def test_bad_unit(lib: Path) -> None:
    _edit(lib, "resources.csv", "M-SAND,material,Sand,رمل,m3,", "M-SAND,material,Sand,رمل,bucket,")
    library = load_library(lib)
    assert "resources.csv, row 5, column 'unit': unknown unit 'bucket'" in _where(library)[0]
    assert "M-SAND" not in library.book.resources
    assert "PL-010" not in library.book.rates and "PL-010" in library.unavailable  # built on the sand
    assert {"RC-010", "EL-500"} <= set(library.book.rates)
    _loads_the_rest(library)


def test_unknown_resource_in_a_buildup(lib: Path) -> None:
    _append(lib, "buildups.csv", "RC-020,M-UNOBTAINIUM,1,0,\n")
    library = load_library(lib)
    assert any("buildups.csv, row" in w and "column 'component': component 'M-UNOBTAINIUM' is neither a resource nor a rate" in w
               for w in _where(library))
    assert "RC-020" not in library.book.rates and "RC-900" not in library.book.rates  # and the composite built on it
    _loads_the_rest(library)


def test_missing_price(lib: Path) -> None:
    _edit(lib, "resources.csv", "Unskilled labourer,عامل,day,17.50,", "Unskilled labourer,عامل,day,,")
    library = load_library(lib)
    assert "resources.csv, row 2, column 'price': is empty" in _where(library)
    _loads_the_rest(library)


def test_circular_composite(lib: Path) -> None:
    _append(lib, "rates.csv", "CY-1,Test,Loop one,,m3,0,,,,\nCY-2,Test,Loop two,,m3,0,,,,\n")
    _append(lib, "buildups.csv", "CY-1,CY-2,1,0,\nCY-2,CY-1,1,0,\n")
    library = load_library(lib)
    assert any("circular composite: CY-1 -> CY-2 -> CY-1" in w for w in _where(library))
    assert not {"CY-1", "CY-2"} & set(library.book.rates)
    _loads_the_rest(library)


def test_a_chain_of_thousands_of_composites_does_not_exhaust_recursion(lib: Path) -> None:
    """Before: RecursionError out of load_library (and out of pricing)."""
    n = 3000
    _append(lib, "rates.csv", "".join(f"CH-{i},Test,Chain {i},,m3,0,,,,\n" for i in range(n)))
    _append(lib, "buildups.csv", "".join(f"CH-{i},CH-{i + 1},1,0,\n" for i in range(n - 1)) + f"CH-{n - 1},M-SAND,1,0,\n")
    library = load_library(lib)
    assert any(f"{n - 21} composite rate(s) nested more than 20 levels deep (CH-0, CH-1," in w for w in _where(library))
    assert "CH-0" not in library.book.rates and f"CH-{n - 21}" in library.book.rates
    _loads_the_rest(library)


def test_a_cell_too_big_for_csv(lib: Path) -> None:
    """Before: `_csv.Error: field larger than field limit` out of load_library."""
    _append(lib, "rates.csv", 'XX-1,Test,"' + "a" * 200_000 + '",,m2,0,5,USD,2026-01-01,quote\n')
    library = load_library(lib)
    assert any(w.startswith("rates.csv, row 7: cannot be read further (field larger than field limit") for w in _where(library))
    assert "PL-010" in library.book.rates
    _loads_the_rest(library)


@pytest.mark.parametrize("name", FILES)
def test_random_bytes_instead_of_a_file(lib: Path, name: str) -> None:
    (lib / name).write_bytes(bytes(range(256)) * 8)
    library = load_library(lib)
    assert any(w.startswith(f"{name}: not UTF-8 text") for w in _where(library))
    _loads_the_rest(library)


JUNK = st.one_of(st.sampled_from(["", "x", "-1", "1e30", "NaN", "m2", "bucket", "2026-13-45", "USD", "EUR", "PL-010", "RC-900",
                                  "M-SAND", '"', '"a,b', "\n", "١٢٣", "labour", "plant"]), st.text(max_size=8))


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(FILES), st.data())
def test_fuzzed_library(tmp_path_factory: pytest.TempPathFactory, name: str, data: st.DataObject) -> None:
    folder = tmp_path_factory.mktemp("fuzz") / "rates"
    shutil.copytree(MINILIB, folder)
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    for _ in range(data.draw(st.integers(1, 4))):
        row = data.draw(st.integers(0, len(lines) - 1))
        cells = lines[row].split(",")
        action = data.draw(st.sampled_from(["cell", "drop", "duplicate", "bytes"]))
        if action == "cell":
            cells[data.draw(st.integers(0, len(cells) - 1))] = data.draw(JUNK)
            lines[row] = ",".join(cells)
        elif action == "drop":
            del lines[row]
            if not lines:
                break
        elif action == "duplicate":
            lines.insert(row, lines[row])
        else:
            lines[row] = data.draw(st.text(max_size=30))
    (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    library = load_library(folder)
    for problem in library.problems:
        assert problem.source.endswith(FILES) and problem.message
    with contextlib.suppress(UserError):  # e.g. a resource's currency made unusable: a message, not a crash
        _loads_the_rest(library)


def test_rates_check_on_the_command_line(lib: Path, tmp_path: Path) -> None:
    _edit(lib, "resources.csv", "M-SAND,material,Sand,رمل,m3,", "M-SAND,material,Sand,رمل,bucket,")
    (lib / "buildups.csv").write_bytes(b"\xff\xfe" + "garbage".encode("utf-16-le"))
    env = {"PYTHONPATH": str(ROOT), "BOQ_DATA_DIR": str(tmp_path / "u"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "estimator", "rates", "check", str(lib)], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "resources.csv, row 5, column 'unit': unknown unit 'bucket'" in done.stderr
    assert "buildups.csv: not UTF-8 text" in done.stderr
