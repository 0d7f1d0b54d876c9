"""Importing the same work list twice: the window asks first; the record survives saving and undo."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from estimator.store import load
from ui.dialogs import RecordingDialogs


def test_importing_the_same_work_list_again_asks_first(qtbot: QtBot, window: Any, dialogs: RecordingDialogs,
                                                       tmp_path: Path) -> None:
    code = next(c for c, r in sorted(window.doc.programme.rates.rates.items()) if r.unit == "m2")
    worklist = tmp_path / "wl.csv"
    worklist.write_text("Facility,Section,Description,Quantity,Unit,Code\n"
                        f"Ariha Annex,1 Plastering,Walls,120,m2,{code}\n", encoding="utf-8")
    n, record = len(window.doc.programme.facilities), dict(window.doc.programme.imported)
    dialogs.answers.append(worklist)
    window.files.import_worklist()
    qtbot.waitUntil(lambda: window.files.import_job is None, timeout=20000)
    assert "question" not in dialogs.kinds(), "a new work list is imported without a question"
    assert len(window.doc.programme.facilities) == n + 1
    assert window.doc.save_now() and len(load(window.doc.path).imported) == len(record) + 1, "kept in the .boq"

    renamed = tmp_path / "same-content.csv"  # the same content under another name is the same work list
    renamed.write_bytes(worklist.read_bytes())
    dialogs.answers[:] = [renamed, False]
    window.files.import_worklist()
    title, message = dialogs.last("question")
    assert title == "Import work list" and "imported before (wl.csv," in message
    assert window.files.import_job is None and window.doc.undo_stack.count() == 1, "No: nothing imported"

    dialogs.answers[:] = [renamed, True]
    window.files.import_worklist()
    qtbot.waitUntil(lambda: window.files.import_job is None, timeout=20000)
    facility = window.doc.programme.facilities[-1]
    assert facility.name == "Ariha Annex" and len(facility.bills[0].items) == 2, "Yes: imported again"

    window.undo_action.trigger()
    window.undo_action.trigger()
    assert window.doc.programme.imported == record, "Undo takes the record back with the import"
    dialogs.answers[:] = [worklist]
    window.files.import_worklist()
    qtbot.waitUntil(lambda: window.files.import_job is None, timeout=20000)
    assert dialogs.kinds().count("question") == 2


def test_boq_import_warns_on_the_same_work_list(tmp_path: Path) -> None:
    def boq(*args: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "estimator", *map(str, args)], capture_output=True, text=True,
                              timeout=120)

    path, worklist = tmp_path / "p.boq", tmp_path / "w.csv"
    worklist.write_text("Facility,Section,Description,Quantity,Unit,Code\nA,1 Plaster,Walls,10,m2,PL-010\n",
                        encoding="utf-8")
    assert boq("new", path).returncode == 0
    first = boq("import", path, worklist)
    assert first.returncode == 0 and "imported before" not in first.stderr
    second = boq("import", path, worklist)
    assert second.returncode == 0 and "the same work list was imported before (w.csv," in second.stderr
