"""Programme settings have one owner (estimator.settings): valid rates and markups, exact re-basing."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from estimator import settings
from estimator.errors import UserError
from estimator.model import ExchangeRate, Markups, Programme
from estimator.pricing import price
from estimator.rates.library import load_library
from estimator.store import Project, load

DAY = dt.date(2026, 11, 1)
CODES = ("TRY", "SYP", "EUR", "GBP")
typed_rate = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("100000"), places=4, allow_nan=False,
                         allow_infinity=False).filter(lambda d: d > 0)


def boq(*args: object, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-m", "estimator", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, **(env or {})}, timeout=120)


def test_the_walkthrough_round_trips_give_back_the_typed_rates() -> None:
    p = Programme("x")
    p.set_fx("TRY", Decimal("42.35"), DAY)
    p.set_fx("SYP", Decimal("115"), DAY)
    p.rebase("TRY")
    p.rebase("USD")
    assert [(e.currency, e.rate) for e in p.exchange_rates] == [("SYP", Decimal("115")), ("TRY", Decimal("42.35"))]
    p.set_fx("SYP", Decimal("13000"), DAY)
    p.rebase("SYP")
    usd = next(e for e in p.exchange_rates if e.currency == "USD")
    assert usd.exact is not None and usd.exact * 13000 == 1  # 1/13,000 kept exactly
    p.rebase("USD")
    assert next(e.rate for e in p.exchange_rates if e.currency == "SYP") == Decimal("13000")


# an older rate of a currency, as a multiple of its latest: within a factor of 1,000 (a currency that lost
# 99.9 % of its value); see the next test for what happens beyond that
drift = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1000"), places=3, allow_nan=False,
                    allow_infinity=False).filter(lambda d: d > 0)


@hsettings(max_examples=150, deadline=None)
@given(rates=st.dictionaries(st.sampled_from(CODES), typed_rate, min_size=1), path=st.lists(st.sampled_from(CODES), max_size=5),
       history=drift)
def test_rebasing_round_trip_is_exact(rates: dict[str, Decimal], path: list[str], history: Decimal) -> None:
    first = sorted(rates)[0]
    p = Programme("x")
    for code, rate in rates.items():
        p.set_fx(code, rate, DAY)
    p.set_fx(first, rates[first] * history, DAY - dt.timedelta(days=30))  # an older rate of the same currency
    typed = [(e.currency, e.rate, e.date) for e in p.exchange_rates]
    # there and back, directly: everything, history included, comes back
    p.rebase(first)
    p.rebase("USD")
    assert [(e.currency, e.rate, e.date) for e in p.exchange_rates] == typed
    # any walk through the currencies and back: the latest rates come back digit for digit (a step whose
    # cross rates would leave the allowed range is refused and changes nothing)
    for code in path:
        if code in rates:
            before = (p.currency, list(p.exchange_rates))
            try:
                p.rebase(code)
            except settings.InvalidSetting:
                assert (p.currency, p.exchange_rates) == before
    p.rebase("USD")
    latest = {c: r for c, r, d in typed if d == DAY}
    assert {e.currency: e.rate for e in p.exchange_rates if e.date == DAY} == latest
    assert all(e.exact is None for e in p.exchange_rates if e.date == DAY)


def test_a_walk_that_would_carry_an_old_rate_out_of_range_is_refused_and_changes_nothing() -> None:
    # An older rate 100 million times below the latest (0.0001 SYP per USD, then 10,001): after USD -> TRY
    # -> SYP, going back to USD would make an older TRY rate of 10^12. Each step re-expresses the older
    # rates through the latest rate of the new currency, so far beyond any real drift a walk can reach a
    # table the allowed range refuses; the refusal names the rate, and the programme stays as it was.
    p = Programme("x")
    p.set_fx("TRY", Decimal("9999.0001"), DAY)
    p.set_fx("SYP", Decimal("10001"), DAY)
    p.set_fx("SYP", Decimal("0.0001"), DAY - dt.timedelta(days=30))
    p.rebase("TRY")
    p.rebase("SYP")
    before = (p.currency, list(p.exchange_rates))
    with pytest.raises(settings.InvalidSetting, match="exchange rate for TRY: 1000000000001 must be greater than zero"):
        p.rebase("USD")
    assert (p.currency, p.exchange_rates) == before


def test_rebased_programme_prices_the_same_amount_in_the_new_currency(sample_programme: Programme) -> None:
    usd = price(sample_programme).grand_total
    sample_programme.rebase("TRY")
    in_try = price(sample_programme).grand_total
    # the same money, up to each line's rate being printed to the cent in another currency
    assert abs(in_try / Decimal("42.35") / usd - 1) < Decimal("0.001")
    sample_programme.rebase("USD")
    assert price(sample_programme).grand_total == usd


def test_exact_rates_survive_the_file(tmp_path: Path) -> None:
    p = Programme("x")
    p.set_fx("TRY", Decimal("42.35"), DAY)
    p.set_fx("SYP", Decimal("115"), DAY)
    p.rebase("TRY")
    Project.create(tmp_path / "p.boq", p).close()
    back = load(tmp_path / "p.boq")
    assert back.exchange_rates == p.exchange_rates
    back.rebase("USD")
    assert [(e.currency, e.rate) for e in back.exchange_rates] == [("SYP", Decimal("115")), ("TRY", Decimal("42.35"))]


@pytest.mark.parametrize("text", ["0", "-3", "0.0000000000001", "1e13"])
def test_a_bad_rate_is_refused_by_the_model_with_the_settings_message(text: str) -> None:
    with pytest.raises(UserError) as caught:
        ExchangeRate("TRY", Decimal(text), DAY)
    assert str(caught.value) == settings.rate_message("TRY", f"{Decimal(text):f}")
    with pytest.raises(UserError, match="greater than zero"):
        Programme("x").set_fx("TRY", Decimal(text), DAY)


def test_markups_are_percentages() -> None:
    with pytest.raises(UserError, match="tax: 120 is not a percentage between 0 and 100"):
        Markups(tax=Decimal(120))
    with pytest.raises(UserError, match="contingency: -1 is not a percentage"):
        settings.markup("-1", "contingency")
    assert settings.markup("12.5", "tax") == Decimal("12.5")


def test_the_programme_currency_is_not_an_exchange_rate() -> None:
    with pytest.raises(UserError, match="programme currency"):
        Programme("x").set_fx("USD", Decimal(2), DAY)
    with pytest.raises(UserError, match="no exchange rate for EUR"):
        Programme("x").rebase("EUR")


def test_a_hostile_exact_rate_in_a_file_is_refused(tmp_path: Path) -> None:
    import sqlite3

    p = Programme("x")
    p.set_fx("TRY", Decimal("42.35"), DAY)
    Project.create(tmp_path / "p.boq", p).close()
    for bad in ("1/0", "0/5", "x/3", "1/3"):  # 1/3 does not match the stored... it is read as its own value
        conn = sqlite3.connect(tmp_path / "p.boq")
        conn.execute("UPDATE fx SET rate = ?", (bad,))
        conn.commit()
        conn.close()
        if bad == "1/3":
            assert load(tmp_path / "p.boq").fx_rate("TRY") == settings.decimal_of(1 / settings.Fraction(3))
            continue
        with pytest.raises(UserError, match="exchange rate for TRY"):
            load(tmp_path / "p.boq")


def zero_rate_library(tmp_path: Path, minilib: Path, rate: str) -> Path:
    lib = tmp_path / "lib"
    shutil.copytree(minilib, lib)
    text = (lib / "exchange_rates.csv").read_text(encoding="utf-8").splitlines()
    text = [text[0]] + [line for line in text[1:] if not line.startswith("TRY,")] + [f"TRY,{rate},2026-11-01,test"]
    (lib / "exchange_rates.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    return lib


@pytest.mark.parametrize("rate", ["0", "-3"])
def test_a_zero_or_negative_library_rate_is_refused_by_check_new_and_the_loader(tmp_path: Path, minilib: Path,
                                                                              rate: str) -> None:
    lib = zero_rate_library(tmp_path, minilib, rate)
    message = settings.rate_message("TRY", rate)
    loaded = load_library(lib)
    assert "TRY" not in loaded.fx_per_usd
    assert [p.message for p in loaded.problems] == [message]
    env = {"BOQ_RATES_DIR": str(lib)}
    run = boq("rates", "check", cwd=tmp_path, env=env)
    assert run.returncode == 1 and message in run.stdout + run.stderr
    boq("new", "p.boq", cwd=tmp_path, env=env)
    if (tmp_path / "p.boq").exists():
        assert all(e.rate > 0 for e in load(tmp_path / "p.boq").exchange_rates)
    run = boq("fx", "p.boq", "TRY", rate, cwd=tmp_path, env=env) if rate != "-3" else \
        boq("fx", "p.boq", "TRY", "--", rate, cwd=tmp_path, env=env)
    assert run.returncode == 1 and run.stderr.strip() == f"boq fx: {message}"


def test_boq_currency_round_trip(tmp_path: Path, minilib: Path) -> None:
    assert boq("new", "p.boq", cwd=tmp_path).returncode == 0
    assert boq("fx", "p.boq", "TRY", "42.35", "--date", "2026-11-01", cwd=tmp_path).returncode == 0
    run = boq("currency", "p.boq", "SYP", "--rate", "13000", "--date", "2026-11-01", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert load(tmp_path / "p.boq").currency == "SYP"
    run = boq("currency", "p.boq", "USD", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    rates = {e.currency: e.rate for e in load(tmp_path / "p.boq").exchange_rates if e.date == DAY}
    assert rates == {"SYP": Decimal("13000"), "TRY": Decimal("42.35")}
    run = boq("currency", "p.boq", "EUR", cwd=tmp_path)
    assert run.returncode == 1 and "no exchange rate for EUR" in run.stderr


def test_an_own_rate_typed_without_a_currency_keeps_its_money_when_the_currency_changes() -> None:
    from dataclasses import replace

    from estimator.edits import SetSettings, Settings
    from estimator.model import PROVISIONAL_SUM, Bill, Facility, Item, Programme

    def programme() -> Programme:
        ps = Item("Generator repairs, on instruction", Decimal(1), "sum", rate=Decimal("2500"), kind=PROVISIONAL_SUM)
        prog = Programme("Pinned", facilities=[Facility("Clinic", bills=[Bill("Sums", items=[ps])])])
        prog.set_fx("TRY", Decimal("42.35"), dt.date(2026, 1, 1))
        return prog

    rebased = programme()
    rebased.rebase("TRY")  # boq currency
    assert price(rebased).grand_total == Decimal("105875.00")  # 2,500 USD at 42.35
    edited = programme()
    old = Settings.of(edited)
    new = replace(old, currency="TRY", exchange_rates=tuple(settings.rebase(edited.exchange_rates, "USD", "TRY")))
    change = SetSettings(old, new).apply(edited)  # the settings dialog
    assert price(edited).grand_total == Decimal("105875.00") and len(change.items) == 1


def test_profit_and_attendance_follows_its_prime_cost_sum_into_the_new_currency() -> None:
    from estimator.model import PC_ATTENDANCE, PC_SUM, Bill, Facility, Item, Programme

    pc = Item("Medical gas outlets, nominated supplier", Decimal(1), "sum", rate=Decimal("8000"), kind=PC_SUM)
    pa = Item("Profit and attendance on the above", Decimal("8000"), "%", rate=Decimal("10"), kind=PC_ATTENDANCE)
    prog = Programme("P&A", facilities=[Facility("Clinic", bills=[Bill("Sums", items=[pc, pa])])])
    prog.set_fx("TRY", Decimal("42.35"), dt.date(2026, 1, 1))
    prog.rebase("TRY")
    assert (pa.quantity, pa.rate_currency) == (Decimal("338800.00"), "")
    assert price(prog).grand_total == Decimal("372680.00")  # (8,000 + 800) x 42.35
