"""Editing the BoQ in the real window, offscreen, as a user does it: keys, menus, clipboard, undo."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pytestqt.qtbot import QtBot

from estimator.cell_input import Col
from estimator.money import fmt, round_money
from estimator.pricing import price
from estimator.units import factor
from ui.qt import QApplication, QGuiApplication, QLineEdit, QMimeData, Qt


def open_bill(window: Any, unit: str = "m2") -> tuple[Any, Any, int]:
    """Show a bill that has an item measured and billed in `unit` by a library rate; return (bill, model, row)."""
    for fac in window.doc.programme.facilities:
        for bill in fac.bills:
            for row, item in enumerate(bill.items):
                line = window.doc.live.line(item.uid)
                if item.rate_code and item.unit == unit and line.unit == unit and not line.error:
                    window.tree.setCurrentIndex(window.tree_model.bill_index(bill.uid))
                    assert window.boq_model.bill is bill
                    return bill, window.boq_model, row
    raise AssertionError(f"no {unit} item in the sample")


def type_into(qtbot: QtBot, window: Any, row: int, col: int, text: str, key: Qt.Key = Qt.Key.Key_Return) -> None:
    """Select a cell and type over it (type-to-edit), then press Enter (or Tab)."""
    view = window.table
    view.setFocus()
    view.setCurrentIndex(window.boq_model.index(row, col))
    qtbot.keyClick(view, text[0])
    editors = open_editors(view)
    assert len(editors) == 1, "typing a character opens the cell's editor"
    qtbot.keyClicks(editors[0], text[1:])
    qtbot.keyClick(editors[0], key)


def open_editors(view: Any) -> list[QLineEdit]:
    return [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]


def grand(window: Any) -> Decimal:
    return window.doc.live.grand_total


def test_quantity_typed_with_a_unit_is_converted_and_totals_follow(qtbot: QtBot, window: Any) -> None:
    bill, model, row = open_bill(window)
    item = bill.items[row]
    rate = window.doc.live.line(item.uid).rate
    type_into(qtbot, window, row, Col.QTY, "1200 ft2")
    billed = round_money(Decimal(1200) * factor("ft2", "m2"))
    assert billed == Decimal("111.48")
    assert model.data(model.index(row, Col.QTY)) == "111.48"
    assert model.data(model.index(row, Col.UNIT)) == "m²"
    assert model.data(model.index(row, Col.AMOUNT)) == fmt(round_money(billed * rate))
    assert "1200 ft² = 111.48 m²" in model.data(model.index(row, Col.QTY), Qt.ItemDataRole.ToolTipRole).replace(",", "")
    assert "1,200 ft² = 111.48 m²" in window.statusBar().currentMessage()
    assert (item.quantity, item.unit) == (Decimal(1200), "ft2")  # the measurement is kept as measured
    full = price(window.doc.programme)
    assert grand(window) == full.grand_total
    assert window.totals.grand.text() == f"Grand total {fmt(full.grand_total)} USD"
    fac = next(f for f in full.facilities if bill in f.facility.bills)
    assert window.tree_model.data(window.tree_model.facility_index(fac.facility.uid, 1)) == fmt(fac.total)
    assert window.table.currentIndex().row() == row + 1, "Enter moves down, as in a spreadsheet"


def test_undo_and_redo_every_edit_and_typing_in_one_cell_merges(qtbot: QtBot, window: Any) -> None:
    bill, model, row = open_bill(window)
    start = grand(window)
    stack = window.doc.undo_stack
    type_into(qtbot, window, row, Col.QTY, "10")
    type_into(qtbot, window, row, Col.QTY, "20")
    assert stack.count() == 1, "consecutive typing in one cell is one undo step"
    twenty = grand(window)
    type_into(qtbot, window, row, Col.DESC, "Renamed item")
    assert stack.count() == 2
    window.undo_action.trigger()
    assert bill.items[row].description != "Renamed item"
    window.undo_action.trigger()
    assert grand(window) == start and model.data(model.index(row, Col.QTY)) != "20.00"
    window.redo_action.trigger()
    assert grand(window) == twenty and model.data(model.index(row, Col.QTY)) == "20.00"
    window.redo_action.trigger()
    assert bill.items[row].description == "Renamed item"
    assert grand(window) == price(window.doc.programme).grand_total


def test_bad_input_stays_visible_red_and_harmless_until_fixed(qtbot: QtBot, window: Any) -> None:
    _bill, model, row = open_bill(window)
    start, count = grand(window), window.doc.undo_stack.count()
    type_into(qtbot, window, row, Col.QTY, "12 parsecs")
    index = model.index(row, Col.QTY)
    assert model.data(index) == "12 parsecs"
    assert model.data(index, Qt.ItemDataRole.EditRole) == "12 parsecs", "the editor reopens with the text as typed"
    assert model.data(index, Qt.ItemDataRole.BackgroundRole).color().name() == "#f4c7c3"
    assert "unknown unit 'parsecs'" in model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "unknown unit" in window.statusBar().currentMessage()
    assert grand(window) == start and window.doc.undo_stack.count() == count
    type_into(qtbot, window, row, Col.RATE, "ten dollars")
    type_into(qtbot, window, row, Col.QTY, "12")
    assert model.data(index) == "12.00" and model.data(index, Qt.ItemDataRole.BackgroundRole) is None
    assert model.data(model.index(row, Col.RATE)) == "ten dollars"
    assert grand(window) == price(window.doc.programme).grand_total


def test_spreadsheet_keys_tab_f2_escape(qtbot: QtBot, window: Any) -> None:
    bill, model, row = open_bill(window)
    type_into(qtbot, window, row, Col.DESC, "Typed over", key=Qt.Key.Key_Tab)
    assert bill.items[row].description == "Typed over"
    assert window.table.currentIndex().column() == Col.DESC_AR, "Tab moves right without opening an editor"
    assert not open_editors(window.table)
    view = window.table
    view.setCurrentIndex(model.index(row, Col.DESC))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = open_editors(view)[0]
    assert editor.text() == "Typed over", "F2 edits the current text"
    qtbot.keyClick(editor, Qt.Key.Key_End)
    qtbot.keyClicks(editor, " and more")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert bill.items[row].description == "Typed over", "Escape cancels"
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == min(row + 1, model.rowCount() - 1)


def clipboard(text: str) -> None:
    mime = QMimeData()
    mime.setText(text)
    QGuiApplication.clipboard().setMimeData(mime)


def test_paste_rows_from_excel_with_a_header(qtbot: QtBot, window: Any) -> None:
    bill, model, row = open_bill(window)
    before, n = grand(window), len(bill.items)
    code = bill.items[row].rate_code
    clipboard(f"Description\tQty\tUnit\tCode\r\nNew plaster\t1200 ft2\t\t{code}\r\nNew paint\t12 parsecs\tm2\t{code}\r\n")
    window.table.setFocus()
    window.table.setCurrentIndex(model.index(row, Col.DESC))
    window.rows.paste.trigger()
    assert len(bill.items) == n + 2
    new = bill.items[row + 1]
    assert (new.description, new.quantity, new.unit, new.rate_code) == ("New plaster", Decimal(1200), "ft2", code)
    assert model.data(model.index(row + 1, Col.QTY)) == "111.48"
    assert model.data(model.index(row + 2, Col.QTY)) == "12 parsecs"
    assert model.data(model.index(row + 2, Col.QTY), Qt.ItemDataRole.BackgroundRole) is not None
    assert [i.ref for i in bill.items] == [f"{bill.items[0].ref.split('.')[0]}.{k}" for k in range(1, n + 3)]
    assert "1 cell not understood" in window.statusBar().currentMessage()
    assert grand(window) == price(window.doc.programme).grand_total != before
    window.undo_action.trigger()
    assert len(bill.items) == n and grand(window) == before


def test_copy_and_paste_rows_within_the_window_and_across_bills(qtbot: QtBot, window: Any) -> None:
    bill, model, row = open_bill(window)
    view = window.table
    view.setFocus()
    view.setCurrentIndex(model.index(row, Col.DESC))
    view.selectRow(row)  # whole rows (their numbers clicked) copy as rows; cells copy as cells
    window.rows.copy.trigger()
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.text().split("\t")[1] == bill.items[row].description
    other = next(b for f in window.doc.programme.facilities for b in f.bills if b is not bill)
    window.tree.setCurrentIndex(window.tree_model.bill_index(other.uid))
    n = len(other.items)
    window.table.setCurrentIndex(window.boq_model.index(n - 1, Col.DESC))
    window.rows.paste.trigger()
    assert len(other.items) == n + 1
    copied = other.items[-1]
    assert (copied.description, copied.quantity, copied.rate_code) == (
        bill.items[row].description, bill.items[row].quantity, bill.items[row].rate_code)
    assert copied.uid != bill.items[row].uid
    assert grand(window) == price(window.doc.programme).grand_total


def test_insert_delete_and_move_rows(qtbot: QtBot, window: Any) -> None:
    bill, model, row = open_bill(window)
    view, rows = window.table, window.rows
    n, start = len(bill.items), grand(window)
    view.setFocus()
    view.setCurrentIndex(model.index(0, Col.DESC))
    rows.insert.trigger()
    assert len(bill.items) == n + 1 and bill.items[1].description == ""
    type_into(qtbot, window, 1, Col.CODE, bill.items[0].rate_code or bill.items[row + 1].rate_code)
    assert bill.items[1].description, "a code on an empty row brings its description"
    first = bill.items[0].uid
    view.setCurrentIndex(model.index(0, Col.DESC))
    rows.move_down.trigger()
    assert bill.items[1].uid == first and bill.items[1].ref.endswith(".2")
    assert view.currentIndex().row() == 1
    rows.move_up.trigger()
    assert bill.items[0].uid == first
    view.selectRow(1)
    rows.delete.trigger()
    assert len(bill.items) == n
    assert grand(window) == start
    for _ in range(window.doc.undo_stack.count()):
        window.undo_action.trigger()
    assert len(bill.items) == n and grand(window) == start


def test_library_double_click_and_drop_add_rows(qtbot: QtBot, window: Any) -> None:
    bill, model, row = open_bill(window)
    panel = window.library_panel
    n = len(bill.items)
    panel.search.setText("plaster")
    code = panel.model.rates[0].code
    window.table.setCurrentIndex(model.index(row, Col.DESC))
    index = panel.model.index(0, 1)
    panel.table.doubleClicked.emit(index)
    assert len(bill.items) == n + 1 and bill.items[row + 1].rate_code == code
    assert window.table.currentIndex() == model.index(row + 1, Col.QTY), "ready to type the quantity"
    mime = panel.model.mimeData([panel.model.index(1, 0)])
    window.table.rates_dropped.emit(bytes(mime.data("application/x-boq-rate-codes").data()).decode().split(), 0)
    assert bill.items[0].rate_code == panel.model.rates[1].code
    type_into(qtbot, window, 0, Col.QTY, "3")
    assert grand(window) == price(window.doc.programme).grand_total


def test_tree_facilities_and_bills(qtbot: QtBot, window: Any) -> None:
    tree, start = window.tree_model, grand(window)
    facilities = window.doc.programme.facilities
    n = len(facilities)
    window.nodes.add_facility.trigger()
    assert len(facilities) == n + 1 and tree.rowCount() == n + 1
    QApplication.processEvents()
    index = tree.facility_index(facilities[-1].uid)
    assert tree.setData(index, "Kherbet Al-Joz annex")
    assert facilities[-1].name == "Kherbet Al-Joz annex"
    window.tree.setCurrentIndex(index)
    window.nodes.add_bill.trigger()
    assert len(facilities[-1].bills) == 2
    assert window.boq_model.bill is facilities[-1].bills[-1]
    window.rows.add_rates([next(iter(window.doc.programme.rates.rates))])
    type_into(qtbot, window, 0, Col.QTY, "2")
    assert grand(window) > start
    assert tree.data(tree.facility_index(facilities[-1].uid, 1)) == fmt(window.doc.live.facility_total(facilities[-1].uid))
    window.tree.setCurrentIndex(tree.facility_index(facilities[0].uid))
    window.dialogs.answers.append(True)  # "Delete the facility ...?"
    window.nodes.delete.trigger()
    assert len(facilities) == n
    for _ in range(window.doc.undo_stack.count()):
        window.undo_action.trigger()
    assert len(facilities) == n and grand(window) == start


def test_programme_settings_change_markups_and_currency(qtbot: QtBot, window: Any) -> None:
    dialog = window.files.edit_settings()
    qtbot.addWidget(dialog)
    dialog.contingency.setText("10")
    dialog.reference.setText("TENDER-42")
    dialog.accept()
    prog = window.doc.programme
    assert prog.markups.contingency == Decimal(10) and prog.reference == "TENDER-42"
    assert grand(window) == price(prog).grand_total
    assert "Contingency 10 %" in window.totals.markups.text()
    dialog = window.files.edit_settings()
    qtbot.addWidget(dialog)
    dialog.tax.setText("abc")
    dialog.accept()
    assert dialog.isVisible() and "tax" in dialog.problems.text()
    dialog.tax.setText("0")
    dialog.currency.setCurrentText("TRY")  # re-bases the exchange rates on TRY
    try_rate = next(e.rate for e in prog.exchange_rates if e.currency == "TRY")
    dialog.accept()
    assert prog.currency == "TRY"
    assert any(e.currency == "USD" for e in prog.exchange_rates)
    assert window.boq_model.headerData(Col.AMOUNT, Qt.Orientation.Horizontal) == "Amount (TRY)"
    assert abs(grand(window) - price(prog).grand_total) == 0
    assert grand(window) > Decimal(30) * try_rate
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert prog.currency == "USD" and prog.markups.contingency == Decimal(5)


def test_rate_code_completer_finds_by_description_and_fills_the_code(qtbot: QtBot, window: Any) -> None:
    bill, model, row = open_bill(window)
    view = window.table
    view.setFocus()
    view.setCurrentIndex(model.index(row, Col.CODE))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = open_editors(view)[0]
    editor.clear()
    completer = editor.completer()
    assert completer is not None and completer.model().rowCount() >= len(window.library.rates)
    qtbot.keyClicks(editor, "cement plaster to ceilings")
    popup = completer.popup()
    assert popup.isVisible() and completer.completionCount() >= 1
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    chosen = str(popup.currentIndex().data()).split()[0]
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert bill.items[row].rate_code == chosen
    assert window.library.rates[chosen].description.lower().find("ceiling") >= 0
    assert grand(window) == price(window.doc.programme).grand_total


def test_a_rate_dropped_on_a_row_is_inserted_there(qtbot: QtBot, window: Any) -> None:
    from ui.qt import QDropEvent, QPointF

    bill, model, row = open_bill(window)
    panel = window.library_panel
    mime = panel.model.mimeData([panel.model.index(2, 0)])
    target = window.table.visualRect(model.index(row, Col.DESC)).center()
    event = QDropEvent(QPointF(target), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.table.dropEvent(event)
    assert event.isAccepted()
    assert bill.items[row].rate_code == panel.model.rates[2].code
