"""Every completed edit is on disk at once: a window killed without warning loses nothing finished."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from estimator.cell_input import Col
from estimator.store import Project, load
from ui.dialogs import RecordingDialogs

CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from ui.qt import QApplication, QSettings
    app = QApplication([])
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[2])
    from ui.dialogs import RecordingDialogs
    from ui.main_window import MainWindow
    from ui.settings import AppSettings
    window = MainWindow(AppSettings(), RecordingDialogs())
    assert window.files.open_path(Path(sys.argv[1]))
    window.show()
    model = window.boq_model
    for n in range(3):
        model.setData(model.index(n, 3), f"{n + 1}01.5")
        app.processEvents()  # the save runs from the event loop right after the edit
        print("edited", n, flush=True)
    model.setData(model.index(3, 1), "typed but the power went before the save")
    print("typing", flush=True)
    sys.stdin.read()  # wait to be killed
""")


def test_a_killed_window_loses_only_the_edit_being_saved(tmp_path: Path, sample_file: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(sample_file), str(tmp_path / "settings")],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=Path(__file__).parents[2])
    try:
        assert child.stdout is not None
        lines = [child.stdout.readline().strip() for _ in range(4)]
        assert lines == ["edited 0", "edited 1", "edited 2", "typing"], lines
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    bill = load(sample_file).facilities[0].bills[0]
    assert [item.quantity for item in bill.items[:3]] == [Decimal("101.5"), Decimal("201.5"), Decimal("301.5")]
    with Project.open(sample_file) as project:  # the lock died with the process
        assert project.programme.facilities[0].bills[0].items[0].quantity == Decimal("101.5")


def test_each_edit_is_saved_right_after_it_and_the_reopened_window_shows_it(qtbot: QtBot, window: Any,
                                                                          sample_file: Path) -> None:
    model = window.boq_model
    model.setData(model.index(0, Col.QTY), "42")
    assert window.doc.save_pending
    qtbot.waitUntil(lambda: not window.doc.save_pending)
    assert load(sample_file).facilities[0].bills[0].items[0].quantity == Decimal(42)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: not window.doc.save_pending)
    assert load(sample_file).facilities[0].bills[0].items[0].quantity != Decimal(42)
    window.redo_action.trigger()
    window.close()  # closing saves what is pending and releases the file
    from ui.main_window import MainWindow
    from ui.settings import AppSettings

    again = MainWindow(AppSettings(), RecordingDialogs())
    qtbot.addWidget(again)
    assert again.files.open_path(sample_file)
    assert again.boq_model.data(again.boq_model.index(0, Col.QTY)) == "42.00"
    again.close()


def test_a_failed_save_is_shown_and_retried(qtbot: QtBot, window: Any, sample_file: Path) -> None:
    model = window.boq_model
    real_save = window.doc.project.save

    def disk_full(changed: object = None) -> None:
        raise OSError(28, "No space left on device", str(sample_file))

    window.doc.project.save = disk_full
    model.setData(model.index(0, Col.QTY), "7")
    qtbot.waitUntil(lambda: not window.doc.save_pending)
    assert window.save_state.text() == "NOT SAVED"
    assert "No space left on device" in window.statusBar().currentMessage()
    window.doc.project.save = real_save
    model.setData(model.index(1, Col.QTY), "8")  # another row: the next save writes the failed edit too
    qtbot.waitUntil(lambda: not window.doc.save_pending)
    assert window.save_state.text() == "All changes saved"
    items = load(sample_file).facilities[0].bills[0].items
    assert (items[0].quantity, items[1].quantity) == (Decimal(7), Decimal(8))
