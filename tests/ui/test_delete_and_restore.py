"""Deleting a facility or bill asks (items, amount), backs the file up, and File › Restore backup… brings it back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from estimator import backups
from estimator.money import fmt
from estimator.store import load


def select_facility(window: Any, n: int = 0) -> Any:
    facility = window.doc.programme.facilities[n]
    window.tree.setCurrentIndex(window.tree_model.facility_index(facility.uid))
    return facility


def test_delete_facility_asks_with_items_and_amount_and_no_keeps_it(qtbot: QtBot, window: Any, dialogs: Any) -> None:
    facility = select_facility(window)
    count = len(window.doc.programme.facilities)
    total = window.doc.live.facility_total(facility.uid)
    dialogs.answers.append(False)
    window.nodes.delete.trigger()
    _title, message = dialogs.last("question")
    assert f"{len(facility.items())} items" in message and f"{fmt(total)} USD" in message and facility.name in message
    assert len(window.doc.programme.facilities) == count
    assert backups.list_backups(window.doc.path) == [], "nothing deleted, nothing backed up"


def test_deleted_facility_survives_the_session_in_a_backup(qtbot: QtBot, window: Any, dialogs: Any,
                                                          tmp_path: Path) -> None:
    facility = select_facility(window, 1)
    name, items = facility.name, len(facility.items())
    grand = window.doc.live.grand_total
    dialogs.answers.append(True)
    window.nodes.delete.trigger()
    assert name not in [f.name for f in window.doc.programme.facilities]
    window.doc.save_now()
    assert name not in [f.name for f in load(window.doc.path).facilities]
    (backup,) = backups.list_backups(window.doc.path)
    assert name in backup.reason and backup.total == f"{fmt(grand)} USD"
    # a later session: the undo stack is gone, the backup is not
    window.doc.undo_stack.clear()
    dialog = window.restore_backup()
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1 and name in dialog.table.item(0, 1).text()
    # as a copy: a new file, opened; the programme is not touched
    copy = tmp_path / "restored.boq"
    original = window.doc.path
    dialogs.answers.append(str(copy))
    assert dialog.open_copy()
    assert window.doc.path == copy and name in [f.name for f in window.doc.programme.facilities]
    assert name not in [f.name for f in load(original).facilities]
    # in place: asks, backs up the current state first, one undoable edit
    assert window.files.open_path(original)
    dialog = window.restore_backup()
    qtbot.addWidget(dialog)
    dialogs.answers.append(False)
    assert not dialog.replace()
    assert name not in [f.name for f in window.doc.programme.facilities]
    dialogs.answers.append(True)
    assert dialog.replace()
    restored = next(f for f in window.doc.programme.facilities if f.name == name)
    assert len(restored.items()) == items and window.doc.live.grand_total == grand
    window.doc.save_now()
    assert name in [f.name for f in load(original).facilities]
    assert "before restoring" in backups.list_backups(original)[0].reason
    window.undo_action.trigger()
    assert name not in [f.name for f in window.doc.programme.facilities]


def test_delete_bill_asks_and_is_apart_from_add_bill(qtbot: QtBot, window: Any, dialogs: Any) -> None:
    facility = window.doc.programme.facilities[0]
    bill = facility.bills[0]
    window.tree.setCurrentIndex(window.tree_model.bill_index(bill.uid))
    dialogs.answers.append(True)
    window.nodes.delete.trigger()
    assert f"{len(bill.items)} items" in dialogs.last("question")[1]
    assert bill not in facility.bills
    actions = window.tree.actions()
    add, delete = actions.index(window.nodes.add_bill), actions.index(window.nodes.delete)
    assert any(a.isSeparator() for a in actions[add + 1:delete]), "a separator between Add bill and Delete"
