"""One owner per rule: the command line, the window, the rate library loader, the .boq loader and the
model give the same answer, because they all ask the engine (estimator.settings, money.printed_rate,
pricing.with_markups).

- an exchange rate of 0 or below, a markup of 150 %, a currency that is not a three-letter code: the
  same refusal, word for word, everywhere;
- a printed rate: the same figure in the window's table, `boq price --json --items`, the Excel cell
  and the PDF text, and the amount is the printed quantity times it.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pytestqt.qtbot import QtBot

from estimator import settings
from estimator.cell_input import Col
from estimator.cli.main import main as boq
from estimator.errors import UserError
from estimator.model import Bill, ExchangeRate, Facility, Item, Markups, Programme
from estimator.rates.library import load_library
from estimator.store import Project, load
from tests.ui.test_editing import type_into
from ui.dialogs import RecordingDialogs
from ui.qt import QApplication, QEvent, Qt

DAY = dt.date(2026, 11, 1)


def refusal(check: Any, *args: object) -> str:
    """The engine's message for a bad value: what every other path must say."""
    with pytest.raises(UserError) as caught:
        check(*args)
    return str(caught.value)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = boq(list(args))
    return code, capsys.readouterr().err.strip()


def programme() -> Programme:
    prog = Programme("Rules", exchange_rates=[ExchangeRate("TRY", Decimal("42.35"), DAY)])
    bill = Bill("Works", items=[Item("Plaster to walls", Decimal(7), "m2", ref="1.1", rate=Decimal(1)),
                                Item("Paint to walls", Decimal(3), "m2", ref="1.2", rate=Decimal(2))])
    prog.facilities.append(Facility("Clinic", bills=[bill]))
    return prog


@pytest.fixture
def boq_file(tmp_path: Path) -> Path:
    path = tmp_path / "rules.boq"
    Project.create(path, programme()).close()
    return path


@pytest.fixture
def win(qtbot: QtBot, boq_file: Path) -> Iterator[Any]:
    from ui.main_window import MainWindow
    from ui.settings import AppSettings

    dialogs = RecordingDialogs()
    window = MainWindow(AppSettings(), dialogs)
    qtbot.addWidget(window)
    assert window.files.open_path(boq_file), dialogs.calls
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def settings_dialog(qtbot: QtBot, window: Any) -> Any:
    dialog = window.files.edit_settings()
    qtbot.addWidget(dialog)
    return dialog


def fx_row(dialog: Any, code: str) -> int:
    return next(r for r in range(dialog.fx.rowCount()) if dialog.fx.item(r, 0).text() == code)


def library_with(tmp_path: Path, minilib: Path, line: str) -> Path:
    lib = tmp_path / "lib"
    shutil.copytree(minilib, lib)
    rows = (lib / "exchange_rates.csv").read_text(encoding="utf-8").splitlines()
    rows = [r for r in rows if not r.startswith(line.split(",")[0] + ",")]  # the typed line replaces its currency's
    (lib / "exchange_rates.csv").write_text("\n".join([*rows, line]) + "\n", encoding="utf-8")
    return lib


def stored(path: Path, sql: str, *values: object) -> None:
    conn = sqlite3.connect(path)
    conn.execute(sql, values)
    conn.commit()
    conn.close()


@pytest.mark.parametrize("typed", ["0", "-3"])
def test_a_zero_or_negative_exchange_rate_is_refused_everywhere_in_the_same_words(
        qtbot: QtBot, win: Any, tmp_path: Path, minilib: Path, capsys: pytest.CaptureFixture[str], typed: str) -> None:
    message = refusal(settings.exchange_rate, typed, "TRY")
    assert message == settings.rate_message("TRY", typed) and "greater than zero" in message
    # the model
    assert refusal(ExchangeRate, "TRY", Decimal(typed), DAY) == message
    assert refusal(Programme("x").set_fx, "TRY", Decimal(typed), DAY) == message
    # the rate library loader (and so `boq rates check` and `boq new`)
    loaded = load_library(library_with(tmp_path, minilib, f"TRY,{typed},2026-11-01,test"))
    assert [p.message for p in loaded.problems] == [message] and "TRY" not in loaded.fx_per_usd
    # the command line
    path = win.doc.path
    assert cli(capsys, "fx", str(path), "TRY", "--", typed) == (1, f"boq fx: {message}")
    # the window's settings dialog
    before = list(win.doc.programme.exchange_rates)
    dialog = settings_dialog(qtbot, win)
    dialog.fx.item(fx_row(dialog, "TRY"), 1).setText(typed)
    dialog.accept()
    assert dialog.isVisible() and dialog.problems.text() == message
    assert win.doc.programme.exchange_rates == before
    # the .boq loader, for a file written elsewhere
    other = tmp_path / "other.boq"
    Project.create(other, programme()).close()
    stored(other, "UPDATE fx SET rate = ?", typed)
    with pytest.raises(UserError) as caught:
        load(other)
    assert message in str(caught.value)


def test_a_markup_of_150_percent_is_refused_everywhere_in_the_same_words(
        qtbot: QtBot, win: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    message = refusal(settings.markup, "150", "tax")
    assert message == "tax: 150 is not a percentage between 0 and 100"
    assert refusal(Markups, Decimal(0), Decimal(0), Decimal(150)) == message  # the model
    assert cli(capsys, "markup", str(win.doc.path), "--tax", "150") == (1, f"boq markup: {message}")
    dialog = settings_dialog(qtbot, win)
    dialog.tax.setText("150")
    dialog.accept()
    assert dialog.isVisible() and dialog.problems.text() == message
    assert win.doc.programme.markups.tax == 0
    other = tmp_path / "other.boq"
    Project.create(other, programme()).close()
    stored(other, "UPDATE meta SET value = ? WHERE key = 'tax'", "150")
    with pytest.raises(UserError) as caught:
        load(other)
    assert message in str(caught.value)
    # the name of each markup in a message is the settings' (model, command line and dialog alike)
    for key, name in settings.MARKUP_NAMES.items():
        assert cli(capsys, "markup", str(win.doc.path), f"--{key}", "-1")[1].startswith(f"boq markup: {name}: -1 ")


def test_a_currency_that_is_not_a_code_is_refused_everywhere_in_the_same_words(
        qtbot: QtBot, win: Any, tmp_path: Path, minilib: Path, capsys: pytest.CaptureFixture[str]) -> None:
    message = refusal(settings.currency, "US1")
    assert refusal(Programme("x").set_fx, "US1", Decimal(2), DAY) == message
    loaded = load_library(library_with(tmp_path, minilib, "US1,2,2026-11-01,test"))
    assert [p.message for p in loaded.problems] == [message]
    assert cli(capsys, "fx", str(win.doc.path), "US1", "2") == (1, f"boq fx: {message}")
    assert cli(capsys, "currency", str(win.doc.path), "US1") == (1, f"boq currency: {message}")
    dialog = settings_dialog(qtbot, win)
    dialog.currency.setCurrentText("US1")
    dialog.accept()
    assert dialog.isVisible() and dialog.problems.text() == message
    # switching to a currency without a rate: the dialog and `boq currency` say the same
    dialog.currency.setCurrentText("EUR")
    dialog.accept()
    expected = refusal(settings.rebase, win.doc.programme.exchange_rates, "USD", "EUR")
    assert dialog.problems.text() == expected
    other = tmp_path / "other.boq"  # the same programme, not open in the window
    Project.create(other, programme()).close()
    assert cli(capsys, "currency", str(other), "EUR") == (1, f"boq currency: {expected}")


def test_the_printed_rate_is_one_figure_in_the_window_the_cli_the_workbook_and_the_pdf(
        qtbot: QtBot, win: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 42.56175 TRY at 42.35 TRY per USD is 1.005 USD exactly: printed half-up as 1.01 (half-even would give 1.00)
    win.tree.setCurrentIndex(win.tree_model.bill_index(win.doc.programme.facilities[0].bills[0].uid))
    model = win.boq_model
    type_into(qtbot, win, 0, Col.RATE, "42.56175 TRY")
    assert not model.pending, model.pending
    item = model.bill.items[0]
    assert (item.rate, item.rate_currency) == (Decimal("42.56175"), "TRY")
    window_rate = model.data(model.index(0, Col.RATE))
    window_amount = model.data(model.index(0, Col.AMOUNT))
    assert (window_rate, window_amount) == ("1.01", "7.07")
    assert "= 1.01 USD" in model.data(model.index(0, Col.RATE), Qt.ItemDataRole.ToolTipRole)
    assert win.doc.save_now() is not False
    path = win.doc.path

    code = boq(["price", str(path), "--json", "--items"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    line = out["facilities"][0]["bills"][0]["items"][0]
    assert (line["rate"], line["amount"], line["quantity"]) == ("1.01", "7.07", "7.00")

    assert boq(["export", str(path), "--xlsx", str(tmp_path / "b.xlsx")]) == 0
    sheet_rows = [r for ws in openpyxl.load_workbook(tmp_path / "b.xlsx").worksheets for r in ws.iter_rows()]
    row = next(r for r in sheet_rows if any(c.value == "Plaster to walls" for c in r))
    numbers = [c for c in row if isinstance(c.value, int | float)]
    assert any(c.value == 1.01 and c.number_format == "#,##0.00" for c in numbers), [(c.value, c.number_format) for c in row]

    assert boq(["export", str(path), "--pdf", str(tmp_path / "b.pdf")]) == 0
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "b.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    printed = [ln for ln in text.splitlines() if "Plaster to walls" in ln]
    assert printed and all(ln.split()[-2:] == ["1.01", "7.07"] for ln in printed), printed


@pytest.mark.parametrize("currency", ["TRY", "SYP"])
def test_the_library_in_another_currency_prints_the_rates_a_programme_in_it_prints(
        capsys: pytest.CaptureFixture[str], currency: str) -> None:
    # `boq rates list --currency TRY` converts as a programme created in TRY does (exact re-basing, the pricer)
    from estimator.pricing import Pricer
    from estimator.rates import current_library
    from estimator.sample import new_programme

    capsys.readouterr()
    assert boq(["rates", "list", "--currency", currency]) == 0
    listed = {ln.split()[0]: ln.split()[2] for ln in capsys.readouterr().out.splitlines() if ln.strip()}
    prog = new_programme("x", currency)
    prog.rates = current_library().book
    pricer = Pricer(prog)
    assert len(listed) > 100
    assert listed == {code: f"{pricer.rate_of_code(code):,.2f}" for code in listed}
