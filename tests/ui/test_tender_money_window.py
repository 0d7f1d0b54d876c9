"""Issue 16 in the window: an item's type (provisional sum, PC sum, profit and attendance, daywork) from
the table's menu, the programme's tender particulars in the settings dialog and a lot's own in the
facility properties dialog; each one undoable step, saved to the .boq file, refused with the field named."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pytestqt.qtbot import QtBot

from estimator.model import DAYWORK, MEASURED, PC_ATTENDANCE, PC_SUM, PERCENT, PROVISIONAL_SUM, Item
from estimator.store import load
from ui.qt import QItemSelection, QItemSelectionModel, Qt


def open_bill(window: Any, facility: int, name_end: str) -> Any:
    bill = next(b for b in window.doc.programme.facilities[facility].bills if b.name.endswith(name_end))
    window.tree.setCurrentIndex(window.tree_model.bill_index(bill.uid))
    return bill


def select_rows(window: Any, first: int, last: int) -> None:
    model = window.table.boq()
    window.table.setCurrentIndex(model.index(first, 1))
    selection = QItemSelection(model.index(first, 0), model.index(last, model.columnCount() - 1))
    window.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)


def test_item_type_menu_sets_kinds_shows_marks_and_undoes(qtbot: QtBot, window: Any) -> None:
    from pytestqt.modeltest import ModelTester

    bill = open_bill(window, 0, "Provisional sums and prime cost sums")
    model = window.table.boq()
    ModelTester(None).check(model)
    kinds = [i.kind for i in bill.items]
    assert kinds == [PROVISIONAL_SUM, PROVISIONAL_SUM, PC_SUM, PC_ATTENDANCE]
    marks = [model.headerData(r, Qt.Orientation.Vertical) for r in range(4)]
    assert marks == ["1 PS", "2 PS", "3 PC", "4 P&A"]
    assert "not price" in model.headerData(0, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole)
    # the attendance line's amount: the % of the PC sum above
    tip = model.data(model.index(3, 7), Qt.ItemDataRole.ToolTipRole)
    assert tip == "10.00 % x 8,000.00 = 800.00 USD"
    # a measured row of another bill becomes a daywork line, then two rows a provisional sum, in one step each
    measured = open_bill(window, 0, "Preliminaries")
    select_rows(window, 0, 1)
    window.kinds.menu.aboutToShow.emit()
    assert window.kinds.kinds[MEASURED].isChecked()
    window.kinds.kinds[DAYWORK].trigger()
    assert [i.kind for i in measured.items[:2]] == [DAYWORK, DAYWORK]
    assert model.headerData(0, Qt.Orientation.Vertical) == "1 DW"
    count = window.doc.undo_stack.count()
    window.kinds.kinds[PROVISIONAL_SUM].trigger()
    assert window.doc.undo_stack.count() == count + 1
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert [i.kind for i in measured.items[:2]] == [MEASURED, MEASURED]
    window.kinds.kinds[DAYWORK].trigger()
    assert window.doc.save_now()
    saved = load(window.doc.path).facilities[0].bills[0].items
    assert [i.kind for i in saved[:3]] == [DAYWORK, DAYWORK, MEASURED]


def test_profit_and_attendance_takes_the_pc_sum_above(qtbot: QtBot, window: Any) -> None:
    bill = open_bill(window, 0, "Provisional sums and prime cost sums")
    window.rows.insert_items([Item("Attendance on the gas PC sum", Decimal(1), "nr")], row=4)
    select_rows(window, 4, 4)
    window.kinds.kinds[PC_ATTENDANCE].trigger()
    item = bill.items[4]
    assert (item.kind, item.unit, item.quantity) == (PC_ATTENDANCE, PERCENT, Decimal("8000.00"))


def test_particulars_in_settings_and_facility_properties(qtbot: QtBot, window: Any) -> None:
    prog = window.doc.programme
    dialog = window.files.edit_settings()
    qtbot.addWidget(dialog)
    form = dialog.particulars_form
    assert form.fields["bid_security"].text() == "1500"
    form.fields["retention"].setText("150")
    dialog.accept()
    assert dialog.isVisible() and "retention is 150 %" in dialog.problems.text()
    form.fields["retention"].setText("10")
    form.charge_tax.setChecked(True)
    form.max_lots.setText("2")
    dialog.accept()
    assert not dialog.isVisible()
    assert prog.particulars.lot.retention == Decimal(10) and prog.particulars.bidders_charge_tax
    assert prog.particulars.max_lots_per_bidder == 2

    facility = prog.facilities[1]
    window.tree.setCurrentIndex(window.tree_model.facility_index(facility.uid))
    props = window.nodes.edit_properties()
    qtbot.addWidget(props)
    lot = props.particulars
    assert lot.fields["bid_security"].text() == "1000"  # the sample's own bid security for this lot
    assert lot.fields["retention"].text() == "" and lot.fields["retention"].placeholderText() == "10"
    lot.fields["completion_days"].setText("two months")
    props.accept()
    assert props.isVisible() and "completion_days: 'two months' is not a whole number of days" in props.message.text()
    lot.fields["completion_days"].setText("60")
    lot.fields["bid_security"].setText("")  # back to the programme's default
    props.accept()
    terms = prog.lot_particulars(facility)
    assert (terms.completion_days, terms.bid_security, terms.retention) == (60, Decimal(1500), Decimal(10))
    assert window.doc.save_now()
    saved = load(window.doc.path)
    assert saved.lot_particulars(saved.facilities[1]).completion_days == 60
    window.undo_action.trigger()
    assert prog.lot_particulars(facility).bid_security == Decimal(1000)


def test_copied_rows_keep_their_item_type() -> None:
    from estimator.clipboard import from_json, to_json

    items = [Item("PS", Decimal(1), "ls", rate=Decimal(5), kind=PROVISIONAL_SUM)]
    assert [i.kind for i in from_json(to_json(items))] == [PROVISIONAL_SUM]
    assert from_json('[{"description": "x", "description_ar": "", "quantity": "1", "unit": "nr", "rate_code": "", '
                     '"rate": null, "rate_currency": "", "rate_unit": "", "provisional": false, "notes": ""}]')[0].kind == MEASURED
