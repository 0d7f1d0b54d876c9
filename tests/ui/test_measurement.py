"""Arithmetic typed as a quantity is worked out safely and kept as the measurement (shown, re-editable, saved)."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from estimator.cell_input import Col
from estimator.model import Item
from estimator.store import APPLICATION_ID, REVISION_SCHEMA, SCHEMA, Project, load
from tests.ui.test_editing import open_bill, open_editors, type_into
from ui.qt import Qt


def saved(path: Path, uid: str) -> Item:
    return next(i for f in load(path).facilities for b in f.bills for i in b.items if i.uid == uid)


@pytest.mark.parametrize(("typed", "quantity", "shown"), [("2*(4.5+3.2)", "15.4", "15.40"), ("=12.5*3", "37.5", "37.50"),
                                                          ("2*3.5 m2", "7", "7.00")])
def test_arithmetic_in_a_quantity_is_kept_as_the_measurement(qtbot: QtBot, window: Any, typed: str, quantity: str,
                                                              shown: str) -> None:
    bill, model, row = open_bill(window)
    item = bill.items[row]
    type_into(qtbot, window, row, Col.QTY, typed)
    assert item.quantity == Decimal(quantity) and item.measurement == typed
    index = model.index(row, Col.QTY)
    assert model.data(index) == shown
    assert model.data(index, Qt.ItemDataRole.EditRole) == typed, "the editor shows the formula again"
    assert typed in model.data(index, Qt.ItemDataRole.ToolTipRole)
    window.doc.save_now()
    assert saved(window.doc.path, item.uid).measurement == typed
    # re-editable: F2 opens the formula
    window.table.setCurrentIndex(index)
    qtbot.keyClick(window.table, Qt.Key.Key_F2)
    (editor,) = open_editors(window.table)
    assert editor.text() == typed
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    # a plain number replaces the formula
    type_into(qtbot, window, row, Col.QTY, "3")
    assert item.quantity == 3 and item.measurement == ""


def test_code_in_a_quantity_is_never_run(qtbot: QtBot, window: Any) -> None:
    bill, model, row = open_bill(window)
    before = bill.items[row].quantity
    type_into(qtbot, window, row, Col.QTY, "__import__('os').system('x')*2")
    assert bill.items[row].quantity == before
    assert (bill.items[row].uid, Col.QTY) in model.pending
    type_into(qtbot, window, row, Col.QTY, "1/0+2")
    assert "division by zero" in model.pending[(bill.items[row].uid, Col.QTY)][1]


def test_a_format_3_file_gains_the_measurement_column(tmp_path: Path) -> None:
    path = tmp_path / "v3.boq"
    with sqlite3.connect(path) as conn:
        conn.executescript(SCHEMA.replace(", measurement TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL DEFAULT ''", "").replace(REVISION_SCHEMA, ""))
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("PRAGMA user_version = 3")
        conn.execute("INSERT INTO meta VALUES ('name', 'Three'), ('currency', 'USD')")
        conn.execute("INSERT INTO facilities (uid, pos, name) VALUES ('f1', 0, 'Clinic')")
        conn.execute("INSERT INTO bills VALUES ('b1', 'f1', 0, 'Works', '')")
        conn.execute("INSERT INTO items (uid, bill_uid, pos, description, quantity, unit, rate) "
                     "VALUES ('i1','b1',0,'Paint','10','m2','3.5')")
    with Project.open(path) as project:
        item = project.programme.facilities[0].bills[0].items[0]
        assert item.measurement == ""
        item.measurement, item.quantity = "2*5", Decimal(10)
        project.save()
    assert load(path).facilities[0].bills[0].items[0].measurement == "2*5"
