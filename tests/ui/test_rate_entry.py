"""Choosing rates in the table: units follow the rate, one Enter commits a code, focus follows a library add."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pytestqt.qtbot import QtBot

from estimator.cell_input import Col
from tests.ui.test_editing import open_bill, open_editors, type_into
from ui.qt import QApplication, Qt


def m2_code(window: Any) -> str:
    return next(c for c, r in window.library.rates.items() if r.unit == "m2")


def new_row(qtbot: QtBot, window: Any) -> int:
    open_bill(window)
    window.activateWindow()
    qtbot.waitActive(window)
    window.table.setFocus()
    window.table.setCurrentIndex(window.boq_model.index(0, Col.DESC))
    qtbot.keyClick(window.table, Qt.Key.Key_Insert, Qt.KeyboardModifier.ControlModifier)
    return window.table.currentIndex().row()


def test_a_new_row_takes_its_unit_from_the_rate_even_after_its_quantity(qtbot: QtBot, window: Any) -> None:
    row = new_row(qtbot, window)
    model = window.boq_model
    item = model.bill.items[row]
    type_into(qtbot, window, row, Col.QTY, "5")
    code = m2_code(window)
    type_into(qtbot, window, row, Col.CODE, code)
    assert not model.pending, model.pending
    assert (item.rate_code, item.unit, item.quantity) == (code, "m2", Decimal(5))
    assert model.data(model.index(row, Col.UNIT)) == "m²"


def test_changing_the_unit_rechecks_a_red_quantity(qtbot: QtBot, window: Any) -> None:
    row = new_row(qtbot, window)
    model = window.boq_model
    item = model.bill.items[row]
    type_into(qtbot, window, row, Col.QTY, "12 m2")  # the new row is in nr: m2 cannot be billed per nr
    assert (item.uid, Col.QTY) in model.pending
    type_into(qtbot, window, row, Col.UNIT, "m2")
    assert not model.pending and item.quantity == Decimal(12) and item.unit == "m2"


def test_a_full_rate_code_commits_on_one_enter(qtbot: QtBot, window: Any) -> None:
    row = new_row(qtbot, window)
    model, view = window.boq_model, window.table
    code = m2_code(window)
    view.setCurrentIndex(model.index(row, Col.CODE))
    qtbot.keyClick(view, code[0])
    (editor,) = open_editors(view)
    qtbot.keyClicks(editor, code[1:])
    popup = editor.completer().popup()
    assert popup.isVisible(), "the completion list is open while typing"
    assert popup.width() >= 360, "code and description are readable"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert model.bill.items[row].rate_code == code
    assert not open_editors(view) and view.currentIndex().row() == row + 1


def test_after_adding_a_library_rate_typing_goes_to_its_quantity(qtbot: QtBot, window: Any) -> None:
    bill, _model, _ = open_bill(window)
    window.activateWindow()
    qtbot.waitActive(window)
    panel = window.library_panel
    panel.table.setFocus()
    index = panel.table.model().index(0, 0)
    panel.table.doubleClicked.emit(index)
    QApplication.processEvents()
    view = window.table
    assert view.hasFocus() and view.currentIndex().column() == Col.QTY
    row = view.currentIndex().row()
    qtbot.keyClick(view, "8")
    qtbot.keyClick(open_editors(view)[0], Qt.Key.Key_Return)
    assert bill.items[row].quantity == Decimal(8)
