"""The window's export with the PDF drawn by worker processes: the same pack, and Cancel still works.

The sample is small enough to be drawn in one process; the size threshold is lowered so the
window takes the parallel path (spawned workers: the export runs on a worker thread).
"""

from __future__ import annotations

import multiprocessing as mp
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from estimator import revisions
from estimator.export.pdf import parallel, write_pdf
from ui.export_dialog import ExportDialog
from ui.qt import Qt


@pytest.fixture
def parallel_always(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(parallel.MIN_ITEMS, "spawn", 1)
    monkeypatch.setitem(parallel.MIN_ITEMS, "fork", 1)


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.usefixtures("parallel_always")
def test_window_export_in_worker_processes_writes_the_same_pack(qtbot: QtBot, window: Any, tmp_path: Path) -> None:
    if parallel.cpus() < 2:
        pytest.skip("one CPU: the pack is always drawn in one process")
    dialog = window.files.export()
    qtbot.addWidget(dialog)
    dialog.pdf.setChecked(True)
    out = tmp_path / "pack.pdf"
    dialog.path.setText(str(out))
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.exported, timeout=180000):
        pass
    one = tmp_path / "one.pdf"
    write_pdf(revisions.for_documents(window.doc.project, None, "en"), one, workers=0)  # as the dialog: "Draft"
    assert _text(out) == _text(one)
    assert mp.active_children() == []


@pytest.mark.usefixtures("parallel_always")
def test_cancel_stops_the_workers_and_leaves_nothing(qtbot: QtBot, window: Any, tmp_path: Path) -> None:
    dialog = ExportDialog(window.doc, window.dialogs, window)
    qtbot.addWidget(dialog)
    dialog.pdf.setChecked(True)
    dialog.xlsx.setChecked(False)
    out = tmp_path / "cancelled.pdf"
    dialog.path.setText(str(out))
    dialog.start()
    dialog.reject()  # Cancel while running
    qtbot.waitUntil(lambda: dialog.job is not None and not dialog.job.running, timeout=180000)
    qtbot.waitUntil(lambda: "cancelled" in dialog.message.text(), timeout=5000)
    assert not out.exists() and not list(tmp_path.glob(".cancelled*"))
    assert mp.active_children() == []
