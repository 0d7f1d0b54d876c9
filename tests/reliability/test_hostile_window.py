"""The window meets figures too large to print: a .boq written before the limits, a user library rate
of that size. Before: the window would not open the file, and the user library broke it at every start."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from estimator.model import Facility, Item, Programme, renumber
from estimator.store import Project
from tests.reliability.states import MINILIB
from tests.ui.conftest import OFFSCREEN_LIMITS


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from ui.dialogs import RecordingDialogs
    from ui.main_window import MainWindow
    from ui.qt import QSettings
    from ui.settings import AppSettings

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    monkeypatch.setenv("BOQ_DATA_DIR", str(tmp_path / "data"))
    user = tmp_path / "data" / "rates"
    user.mkdir(parents=True)
    shutil.copy(MINILIB / "exchange_rates.csv", user / "exchange_rates.csv")
    (user / "rates.csv").write_text("code,trade,description,description_ar,unit,overheads_pct,quoted_price,"
                                    "quoted_currency,quoted_date,source\nX-1,Misc,Huge composite,,m2,900,,,,\n",
                                    encoding="utf-8")
    (user / "buildups.csv").write_text("rate,component,coefficient,waste_pct,note\nX-1,M-CEMENT,999999999,999,\n"
                                       "X-1,RC-900,999999999,999,\n", encoding="utf-8")
    dialogs = RecordingDialogs()
    win = MainWindow(AppSettings(), dialogs)
    qtbot.addWidget(win)
    win.dialogs_for_test = dialogs
    yield win


@pytest.mark.qt_log_ignore(*OFFSCREEN_LIMITS)
def test_the_window_opens_a_file_whose_product_is_too_large_and_shows_the_item(window: Any, tmp_path: Path) -> None:
    prog = Programme("Big")
    fac = Facility("Al-Amal Hospital")
    fac.bill("Plastering").items += [Item("huge", Decimal("9e12"), "m2", rate=Decimal("9e12")),
                                     Item("fine", Decimal("2"), "m2", rate=Decimal("5"))]
    renumber(fac)
    prog.facilities.append(fac)
    boq = tmp_path / "big.boq"
    Project.create(boq, prog).close()
    assert window.files.open_path(boq), window.dialogs_for_test.calls
    window.show()
    model = window.boq_model
    shown = [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert len(shown) == 2 and shown[1][-1] in ("10.00", "10")
    assert "X-1" not in window.library.rates  # left out of the user library, reported as its problem
    rates = window.library_panel.model
    rates.set_filter("", "")
    assert rates.rowCount() == len(window.library.rates)
    for row in range(rates.rowCount()):  # every rate the panel lists is priced in the programme currency
        for column in range(rates.columnCount()):
            rates.data(rates.index(row, column))
