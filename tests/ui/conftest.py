"""Fixtures for the window's tests: real widgets offscreen, real .boq files, a recording dialog service.

QSettings is pointed at a temporary INI folder for every test, so no test reads or writes the real
user's recent files or window layout.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ui.dialogs import RecordingDialogs
from ui.qt import QApplication, QEvent, QSettings

HERE = Path(__file__).parent
OFFSCREEN_LIMITS = ("This plugin does not support propagateSizeHints", "This plugin does not support raise",
                    "This plugin does not support grabbing the keyboard")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The offscreen platform plugin warns that it cannot do what windows and popups ask of a real
    # screen (size hints, raising, grabbing the keyboard); that says nothing about our code.
    for item in items:
        if Path(str(item.fspath)).is_relative_to(HERE):
            item.add_marker(pytest.mark.qt_log_ignore(*OFFSCREEN_LIMITS))


@pytest.fixture(autouse=True)
def _settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder


@pytest.fixture
def dialogs() -> RecordingDialogs:
    return RecordingDialogs()


@pytest.fixture
def window(qtbot: QtBot, sample_file: Path, dialogs: RecordingDialogs) -> Iterator[object]:
    """The main window with the sample programme open (its .boq file in tmp_path)."""
    from ui.main_window import MainWindow
    from ui.settings import AppSettings

    win = MainWindow(AppSettings(), dialogs)
    qtbot.addWidget(win)
    assert win.files.open_path(sample_file), dialogs.calls
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    win.deleteLater()  # free its Qt objects now, on this thread, not whenever the collector runs
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
