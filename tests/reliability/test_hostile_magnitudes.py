"""Numbers that are each allowed but combine into figures no document can print: quantity x rate,
the sum of many large amounts, a build-up's coefficient x price, absurd exchange rates and markups.
Each is refused where it comes in (work list, rate folder, user library, .boq file, `boq fx`) or, where
values combine, reported as a problem of the item; never an arithmetic exception or a traceback."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from estimator.errors import ProjectFileError, ValidationFailed
from estimator.model import Facility, Item, Markups, Programme, renumber
from estimator.pricing import price
from estimator.rates import current_library, load_library
from estimator.store import Project, load
from estimator.worklist import import_worklist
from tests.reliability import workbooks as wb
from tests.reliability.states import MINILIB, ROOT, make_programme, state

HEADER = ["Facility", "Section", "Description", "Quantity", "Unit", "Rate"]


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BOQ_RATES_DIR": str(MINILIB), "BOQ_DATA_DIR": str(tmp_path / "u")}
    return subprocess.run([sys.executable, "-m", "estimator", *args], env=env, capture_output=True, text=True, timeout=180)


def _one_line_error(done: subprocess.CompletedProcess[str], command: str) -> None:
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "InvalidOperation" not in done.stderr, done.stderr
    assert done.stderr.startswith(f"boq {command}: "), done.stderr


def _refused(path: Path, prog: Programme) -> ValidationFailed:
    before = state(prog)
    with pytest.raises(ValidationFailed) as info:
        import_worklist(prog, path, current_library().book)
    assert state(prog) == before
    return info.value


# ---- work lists ---------------------------------------------------------------------------

def test_quantity_times_rate_too_large_is_refused_at_import(tmp_path: Path) -> None:
    """Both under the old cap of 10^15: the product (10^29) was imported, then every price ended in a traceback."""
    path = wb.write_csv(tmp_path / "big.csv", [HEADER, ["F", "S", "ok", "10", "m2", "5"],
                                               ["F", "S", "huge", "900000000000000", "m2", "900000000000000"]])
    exc = _refused(path, make_programme(1, 2))
    assert "big.csv, row 3, column 'Quantity'" in str(exc)
    assert "10,000,000,000,000" in str(exc)


def test_a_product_grown_by_the_exchange_rate_is_refused(tmp_path: Path) -> None:
    """Each figure fine in its own currency; converted into the programme's it is too large."""
    prog = make_programme(1, 2)
    prog.set_fx("SYP", Decimal("0.00001"), dt.date(2026, 11, 2))  # 1 USD = 0.00001 SYP: a typo for 100,000
    path = wb.write_csv(tmp_path / "fx.csv", [[*HEADER, "Currency"], ["F", "S", "x", "1000", "m2", "900000000", "SYP"]])
    exc = _refused(path, prog)
    assert "fx.csv, row 2, column 'Quantity'" in str(exc)


def test_many_large_but_allowed_amounts_add_up_to_a_refusal(tmp_path: Path) -> None:
    rows = [HEADER] + [["F", "S", f"item {i}", "900000", "m2", "1000000"] for i in range(20)]  # 9 x 10^11 each
    exc = _refused(wb.write_csv(tmp_path / "sum.csv", rows), make_programme(1, 2))
    assert "grand total" in str(exc) and "split the programme" in str(exc)


def test_a_quantity_itself_too_large_to_print(tmp_path: Path) -> None:
    path = wb.write_csv(tmp_path / "q.csv", [HEADER, ["F", "S", "x", "20000000000000", "m2", "0"]])
    assert "q.csv, row 2, column 'Quantity': quantity 20,000,000,000,000 is larger" in str(_refused(path, make_programme(1, 2)))


# ---- pricing and the .boq file ------------------------------------------------------------

def _programme_with(item: Item, **markups: Decimal) -> Programme:
    prog = Programme("Big", markups=Markups(**markups))
    fac = Facility("Al-Amal Hospital")
    fac.bill("Plastering").items.append(item)
    renumber(fac)
    prog.facilities.append(fac)
    return prog


def test_pricing_reports_a_product_too_large_as_a_problem_of_the_item() -> None:
    """A file from before the fix (or edited elsewhere): price, exports and the window meet it."""
    estimate = price(_programme_with(Item("huge", Decimal("9e12"), "m2", rate=Decimal("9e12"))))
    assert estimate.grand_total == 0
    assert len(estimate.problems) == 1
    assert estimate.problems[0].startswith("Al-Amal Hospital, bill 'Plastering', item '1.1': amount")


def test_pricing_never_raises_decimal_signals_from_extreme_exponents() -> None:
    from estimator import settings

    prog = _programme_with(Item("tiny fx", Decimal("1"), "m2", rate=Decimal("1e6"), rate_currency="TRY"))
    with pytest.raises(settings.InvalidSetting):  # the model refuses it, so no file can bring it in
        prog.set_fx("TRY", Decimal("1e-999990"), dt.date(2026, 1, 1))
    prog.set_fx("TRY", settings.MIN_RATE, dt.date(2026, 1, 1))  # the smallest allowed: 10^18 USD an m2
    estimate = price(prog)
    assert estimate.problems and "item '1.1'" in estimate.problems[0]


def test_the_cli_and_exports_say_which_item_instead_of_a_traceback(tmp_path: Path) -> None:
    boq = tmp_path / "big.boq"
    Project.create(boq, _programme_with(Item("huge", Decimal("9e12"), "m2", rate=Decimal("9e12")))).close()
    assert load(boq).facilities[0].bills[0].items[0].quantity == Decimal("9e12")  # the window opens it
    done = _cli(tmp_path, "price", str(boq))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "Al-Amal Hospital, bill 'Plastering', item '1.1': amount" in done.stderr
    done = _cli(tmp_path, "export", str(boq), "--xlsx", str(tmp_path / "o.xlsx"))
    _one_line_error(done, "export")
    assert "item '1.1'" in done.stderr and not (tmp_path / "o.xlsx").exists()


def _poke(boq: Path, sql: str, *args: object) -> None:
    with sqlite3.connect(boq) as conn:
        conn.execute(sql, args)
    conn.close()


@pytest.mark.parametrize(
    ("sql", "args", "expected"),
    [
        ("UPDATE items SET quantity = ?", ("500000000000000",), "item '1.1': quantity 500,000,000,000,000 is larger"),
        ("UPDATE items SET rate = ?", ("99999999999999",), "item '1.1': rate 99,999,999,999,999 is larger"),
        ("UPDATE meta SET value = ? WHERE key = 'tax'", ("100000000000",), "tax: 100000000000 is not a percentage between 0 and 100"),
        ("UPDATE fx SET rate = ?", ("0",), "exchange rate for TRY: 0 must be greater than zero"),
        ("UPDATE fx SET rate = ?", ("1e-30",), "exchange rate for TRY: 1e-30 must be greater than zero and between"),
    ],
)
def test_a_boq_holding_numbers_out_of_range_is_refused_naming_them(tmp_path: Path, sql: str, args: tuple[object, ...],
                                                                    expected: str) -> None:
    boq = tmp_path / "hostile.boq"
    prog = _programme_with(Item("wall", Decimal("10"), "m2", rate=Decimal("1e13") - 1, rate_currency="USD"))
    prog.set_fx("TRY", Decimal("42"), dt.date(2026, 1, 1))
    prog.facilities[0].bills[0].items[0].rate = Decimal("5")
    Project.create(boq, prog).close()
    _poke(boq, sql, *args)
    with pytest.raises(ProjectFileError) as info:
        load(boq)
    assert expected in str(info.value)
    assert any(word in str(info.value) for word in ("facility", "tax", "exchange rate"))  # where it is
    done = _cli(tmp_path, "price", str(boq))
    _one_line_error(done, "price")
    assert expected in done.stderr


def test_boq_fx_refuses_an_absurd_exchange_rate(tmp_path: Path) -> None:
    boq = tmp_path / "p.boq"
    Project.create(boq, make_programme(1, 3)).close()
    for rate in ("0.0000000000001", "999999999999999"):
        done = _cli(tmp_path, "fx", str(boq), "TRY", rate)
        _one_line_error(done, "fx")
        assert "must be greater than zero and between" in done.stderr
    assert load(boq).fx_rate("TRY") == Decimal("42.35")


# ---- rate folders and the user library ----------------------------------------------------

def _library(tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    shutil.copytree(MINILIB, folder)
    return folder


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_build_up_too_large_is_a_library_problem_and_left_out(tmp_path: Path) -> None:
    """coefficient x price, each < 10^15, came to 10^29: `round_money` raised InvalidOperation."""
    folder = _library(tmp_path)
    _replace_in(folder / "buildups.csv", "PL-010,M-CEMENT,0.009,5,", "PL-010,M-CEMENT,900000000,5,")
    _replace_in(folder / "resources.csv", "t,114,USD", "t,9000000000000,USD")
    lib = load_library(folder)
    assert "PL-010" not in lib.book.rates and "PL-010" in lib.unavailable
    assert any("rate PL-010: unit rate 9.781E+21 is larger" in str(p) for p in lib.problems), lib.problems
    assert "RC-010" in lib.book.rates  # the rest loads


def test_a_user_library_rate_too_large_does_not_stop_the_window_starting(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    user = tmp_path / "data" / "rates"
    user.mkdir(parents=True)
    (user / "rates.csv").write_text("code,trade,description,description_ar,unit,overheads_pct,quoted_price,quoted_currency,"
                                    "quoted_date,source\nX-1,Misc,Own composite,,m2,900,,,,\n", encoding="utf-8")
    (user / "buildups.csv").write_text("rate,component,coefficient,waste_pct,note\nX-1,M-CEMENT,999999999,999,\n"
                                       "X-1,RC-900,999999999,999,\n", encoding="utf-8")
    monkeypatch.setenv("BOQ_DATA_DIR", str(tmp_path / "data"))
    lib = current_library()
    assert "X-1" not in lib.book.rates
    assert any(str(p).startswith("user library rates.csv") and "X-1" in str(p) for p in lib.problems), lib.problems
    for code in lib.book.rates:  # what the window's library panel prices at start
        lib.book.unit_rate(code, "USD", lambda amount, _cur: amount)


@pytest.mark.parametrize(
    ("file", "old", "new", "column"),
    [
        ("exchange_rates.csv", "TRY,42.35", "TRY,0", "per_usd"),  # a division by zero when pricing
        ("exchange_rates.csv", "TRY,42.35", "TRY,1e14", "per_usd"),
        ("buildups.csv", "PL-010,M-SAND,0.025,10,", "PL-010,M-SAND,0.025,100000000000000,", "waste_pct"),
        ("rates.csv", "m2,15,,,,", "m2,99999999999999,,,,", "overheads_pct"),
        ("resources.csv", "t,114,USD", "t,99999999999999,USD", "price"),
    ],
)
def test_rate_folder_numbers_out_of_range_are_named(tmp_path: Path, file: str, old: str, new: str, column: str) -> None:
    folder = _library(tmp_path)
    _replace_in(folder / file, old, new)
    lib = load_library(folder)
    assert any(p.source == file and p.column == column for p in lib.problems), lib.problems


def test_exchange_rate_limits_are_the_same_everywhere() -> None:
    """One owner (estimator.settings) for the window, the CLI, the loader and the .boq reader."""
    from estimator import settings

    assert settings.exchange_rate(Decimal("7630")) == Decimal("7630")
    for bad in ("0", "-1", "1e-13", "1e13"):
        with pytest.raises(settings.InvalidSetting):
            settings.exchange_rate(Decimal(bad))
