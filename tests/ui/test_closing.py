"""Closing the window (Ctrl+Q or the close button) never loses what is being typed without a word."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pytestqt.qtbot import QtBot

from estimator.cell_input import Col
from estimator.store import load
from tests.ui.test_editing import open_bill, open_editors, type_into
from ui.qt import Qt


def saved_quantity(path: Any, uid: str) -> Decimal:
    return next(i.quantity for f in load(path).facilities for b in f.bills for i in b.items if i.uid == uid)


def test_ctrl_q_commits_the_value_being_typed(qtbot: QtBot, window: Any) -> None:
    bill, model, row = open_bill(window)
    uid, path = bill.items[row].uid, window.doc.path
    window.activateWindow()
    qtbot.waitActive(window)  # shortcuts (Ctrl+Q) reach only the active window
    view = window.table
    view.setFocus()
    view.setCurrentIndex(model.index(row, Col.QTY))
    qtbot.keyClick(view, "4")
    (editor,) = open_editors(view)
    qtbot.keyClicks(editor, "21.5")  # still typing: nothing committed yet
    assert bill.items[row].quantity != Decimal("421.5")
    qtbot.keyClick(editor, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
    assert saved_quantity(path, uid) == Decimal("421.5")


def test_closing_with_red_input_asks_and_no_keeps_the_window(qtbot: QtBot, window: Any, dialogs: Any) -> None:
    _bill, model, row = open_bill(window)
    type_into(qtbot, window, row, Col.QTY, "12 bananas")
    assert model.pending
    dialogs.answers.append(False)
    window.close()
    assert window.isVisible(), "No: the window stays, with the red cell"
    title, message = dialogs.last("question")
    assert "not accepted" in title and "'12 bananas'" in message and f"row {row + 1}, Quantity" in message
    assert model.data(model.index(row, Col.QTY)) == "12 bananas"
    dialogs.answers.append(True)
    window.close()
    assert not window.isVisible()


def test_closing_with_a_bad_value_still_in_the_editor_asks_too(qtbot: QtBot, window: Any, dialogs: Any) -> None:
    _bill, model, row = open_bill(window)
    view = window.table
    view.setFocus()
    view.setCurrentIndex(model.index(row, Col.QTY))
    qtbot.keyClick(view, "x")
    dialogs.answers.append(False)
    window.close()
    assert window.isVisible() and dialogs.kinds() == ["question"]
    assert model.data(model.index(row, Col.QTY)) == "x"


def test_red_input_of_a_deleted_row_does_not_hold_up_closing(qtbot: QtBot, window: Any, dialogs: Any) -> None:
    _bill, _model, row = open_bill(window)
    type_into(qtbot, window, row, Col.QTY, "12 bananas")
    window.table.selectRow(row)
    window.rows.delete.trigger()
    window.close()
    assert not window.isVisible() and "question" not in dialogs.kinds()
