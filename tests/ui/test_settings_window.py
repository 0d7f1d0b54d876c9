"""Programme settings in the window: exact re-basing and the same refusals as the command line."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from estimator import settings
from estimator.store import load


def fx_row(dialog: Any, code: str) -> int:
    return next(r for r in range(dialog.fx.rowCount()) if dialog.fx.item(r, 0).text() == code)


def latest(programme: Any) -> dict[str, Decimal]:
    newest = max(e.date for e in programme.exchange_rates)
    return {e.currency: e.rate for e in programme.exchange_rates if e.date == newest}


def test_switching_currency_there_and_back_stores_the_typed_rates(qtbot: QtBot, window: Any) -> None:
    prog = window.doc.programme
    typed = latest(prog)
    assert typed["TRY"] == Decimal("42.35")
    for currency in ("TRY", "USD"):
        dialog = window.files.edit_settings()
        qtbot.addWidget(dialog)
        dialog.currency.setCurrentText(currency)
        dialog.accept()
        assert not dialog.problems.text()
        assert prog.currency == currency
    assert latest(prog) == typed
    window.doc.save_now()
    assert latest(load(window.doc.path)) == typed
    # in one dialog, too: USD -> TRY -> USD before OK
    dialog = window.files.edit_settings()
    qtbot.addWidget(dialog)
    dialog.currency.setCurrentText("TRY")
    assert dialog.fx.item(fx_row(dialog, "USD"), 1).text() == "0.02361275089"  # shown rounded, kept exact
    dialog.currency.setCurrentText("USD")
    assert dialog.fx.item(fx_row(dialog, "TRY"), 1).text() == "42.35"
    dialog.accept()
    assert latest(prog) == typed


def test_rebasing_to_syp_at_13000_comes_back_as_13000(qtbot: QtBot, window: Any) -> None:
    prog = window.doc.programme
    dialog = window.files.edit_settings()
    qtbot.addWidget(dialog)
    dialog.fx.item(fx_row(dialog, "SYP"), 1).setText("13000")
    dialog.currency.setCurrentText("SYP")
    dialog.accept()
    assert prog.currency == "SYP"
    dialog = window.files.edit_settings()
    qtbot.addWidget(dialog)
    dialog.currency.setCurrentText("USD")
    dialog.accept()
    assert latest(prog)["SYP"] == Decimal("13000")


@pytest.mark.parametrize("typed", ["0", "-3"])
def test_a_zero_or_negative_rate_is_refused_with_the_message_of_the_cli_and_loader(qtbot: QtBot, window: Any,
                                                                                  typed: str) -> None:
    before = list(window.doc.programme.exchange_rates)
    dialog = window.files.edit_settings()
    qtbot.addWidget(dialog)
    dialog.fx.item(fx_row(dialog, "TRY"), 1).setText(typed)
    dialog.accept()
    assert dialog.isVisible()
    assert settings.rate_message("TRY", typed) in dialog.problems.text()
    assert window.doc.programme.exchange_rates == before


def test_a_markup_over_100_is_refused_with_the_cli_message(qtbot: QtBot, window: Any) -> None:
    dialog = window.files.edit_settings()
    qtbot.addWidget(dialog)
    dialog.tax.setText("120")
    dialog.accept()
    assert "tax: 120 is not a percentage between 0 and 100" in dialog.problems.text()
