"""The BoQ table behaves as engineers expect from Excel: paste fills, Delete clears, Ctrl+D, Escape, Undo."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pytestqt.qtbot import QtBot

from estimator.cell_input import Col
from estimator.store import load
from tests.ui.test_editing import open_bill, type_into
from ui.qt import QGuiApplication, QItemSelection, QItemSelectionModel, Qt


def active(qtbot: QtBot, window: Any) -> Any:
    window.activateWindow()
    qtbot.waitActive(window)
    window.table.setFocus()
    return window.table


def select(window: Any, cells: list[tuple[int, int]]) -> None:
    view, model = window.table, window.boq_model
    view.setCurrentIndex(model.index(*cells[0]))
    selection = QItemSelection()
    for row, col in cells:
        selection.select(model.index(row, col), model.index(row, col))
    view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)


def quantities(bill: Any) -> list[Decimal]:
    return [item.quantity for item in bill.items]


def test_pasting_one_value_fills_the_selected_quantities(qtbot: QtBot, window: Any) -> None:
    _bill, model, _ = open_bill(window)
    view = active(qtbot, window)
    rows = model.rowCount()
    select(window, [(0, Col.QTY), (1, Col.QTY), (2, Col.QTY)])
    QGuiApplication.clipboard().setText("7.5")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert model.rowCount() == rows, "no rows inserted"
    assert [model.data(model.index(r, Col.QTY)) for r in range(3)] == ["7.50"] * 3
    assert window.doc.undo_stack.undoText() == "Paste"
    window.undo_action.trigger()
    assert "7.50" not in [model.data(model.index(r, Col.QTY)) for r in range(3)]


def test_pasting_a_column_of_quantities_from_excel_fills_downwards(qtbot: QtBot, window: Any) -> None:
    bill, model, _ = open_bill(window)
    view = active(qtbot, window)
    rows = model.rowCount()
    select(window, [(0, Col.QTY)])
    QGuiApplication.clipboard().setText("10\r\n20\r\nabc\r\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert model.rowCount() == rows
    assert quantities(bill)[:2] == [Decimal(10), Decimal(20)]
    assert model.data(model.index(2, Col.QTY)) == "abc" and (bill.items[2].uid, Col.QTY) in model.pending
    # whole rows with a header still insert rows
    QGuiApplication.clipboard().setText("Description\tQty\tUnit\r\nNew wall\t3\tm2\r\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert model.rowCount() == rows + 1


def test_delete_clears_quantity_and_own_rate_and_drops_red_input(qtbot: QtBot, window: Any) -> None:
    bill, model, row = open_bill(window)
    view = active(qtbot, window)
    type_into(qtbot, window, row, Col.RATE, "950")
    assert bill.items[row].rate == Decimal(950)
    type_into(qtbot, window, row + 1, Col.QTY, "12 apples")
    assert model.pending
    select(window, [(row, Col.QTY), (row, Col.RATE), (row + 1, Col.QTY)])
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    item = bill.items[row]
    assert item.quantity == 0 and item.rate is None and item.rate_code, "back to the library rate"
    assert not model.pending and model.data(model.index(row + 1, Col.QTY)) != "12 apples"
    window.doc.save_now()
    saved = next(i for f in load(window.doc.path).facilities for b in f.bills for i in b.items if i.uid == item.uid)
    assert saved.quantity == 0 and saved.rate is None


def test_ctrl_d_fills_down(qtbot: QtBot, window: Any) -> None:
    bill, _model, _ = open_bill(window)
    view = active(qtbot, window)
    type_into(qtbot, window, 0, Col.QTY, "42")
    select(window, [(0, Col.QTY), (1, Col.QTY), (2, Col.QTY)])
    qtbot.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert quantities(bill)[:3] == [Decimal(42)] * 3
    assert window.doc.undo_stack.undoText() == "Fill down"


def test_escape_and_undo_drop_red_input(qtbot: QtBot, window: Any) -> None:
    bill, model, row = open_bill(window)
    view = active(qtbot, window)
    before = model.data(model.index(row, Col.QTY))
    type_into(qtbot, window, row, Col.QTY, "lots")
    view.setCurrentIndex(model.index(row, Col.QTY))
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not model.pending and model.data(model.index(row, Col.QTY)) == before
    type_into(qtbot, window, row, Col.QTY, "5")  # a real edit to undo later
    type_into(qtbot, window, row, Col.QTY, "more")
    steps = window.doc.undo_stack.index()
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not model.pending and window.doc.undo_stack.index() == steps, "the first Undo only drops the red input"
    assert bill.items[row].quantity == Decimal(5)
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.doc.undo_stack.index() == steps - 1
    # Escape inside the editor of a red cell drops it too
    type_into(qtbot, window, row, Col.QTY, "nope")
    view.setCurrentIndex(model.index(row, Col.QTY))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = window.table.indexWidget(model.index(row, Col.QTY))
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert not model.pending
