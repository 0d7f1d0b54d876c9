"""Starting the app: a FILE, --sample, the last programme, or on first start the sample copy."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from estimator import paths
from estimator.store import load
from ui import app
from ui.qt import QApplication, QTimer
from ui.settings import AppSettings


def test_first_start_copies_the_sample_then_reopens_the_last_file(sample_file: Path) -> None:
    settings = AppSettings()
    first = app.start_path(None, False, settings)
    assert first == paths.user_data_dir() / "sample.boq" and first.exists()
    assert len(load(first).facilities) >= 14
    settings.add_recent(Path("/nonexistent/gone.boq"))
    settings.add_recent(sample_file)
    settings.add_recent(Path("/nonexistent/also-gone.boq"))
    assert app.start_path(None, False, settings) == sample_file.resolve()
    assert app.start_path(None, True, settings) == first
    assert app.start_path(Path("given.boq"), True, settings) == Path("given.boq")


def test_main_opens_the_sample_window(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    seen: dict[str, object] = {}

    def look_and_close() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.windowTitle().endswith("BoQ Estimator")]
        seen["titles"] = [w.windowTitle() for w in windows]
        for w in windows:
            seen["grand"] = w.totals.grand.text()  # type: ignore[attr-defined]
            w.close()
        QApplication.instance().quit()  # type: ignore[union-attr]

    QTimer.singleShot(300, look_and_close)
    assert app.main(["--sample"]) == 0
    titles = seen["titles"]
    assert isinstance(titles, list) and len(titles) == 1 and "sample.boq" in titles[0]
    assert str(seen["grand"]).startswith("Grand total ")
    assert AppSettings().recent_files() == [(paths.user_data_dir() / "sample.boq").resolve()]
