"""A failed edit changes nothing: not the programme, not the file, not the undo stack; the next edit works."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from estimator import edits
from estimator.cell_input import Col
from estimator.model import Item
from estimator.pricing import Pricer, price
from estimator.store import load
from tests.ui.test_editing import open_bill, type_into
from ui.document import EditFailed


def snapshot(programme: Any) -> list[tuple[Any, ...]]:
    return [(b.uid, i.uid, i.quantity, i.unit, i.rate, i.rate_code, i.description) for f in programme.facilities
            for b in f.bills for i in b.items]


def test_an_over_limit_product_is_refused_and_the_next_edit_is_saved(qtbot: QtBot, window: Any, qtmodeltester: Any) -> None:
    bill, model, row = open_bill(window)
    type_into(qtbot, window, row, Col.RATE, "9000000000000")  # allowed (below 10^13), as is the quantity below
    window.doc.save_now()
    before, on_disk, steps = snapshot(window.doc.programme), snapshot(load(window.doc.path)), window.doc.undo_stack.count()
    total = window.doc.live.grand_total
    type_into(qtbot, window, row, Col.QTY, "9000000000000")  # the amount overflows what can be priced
    assert snapshot(window.doc.programme) == before
    assert window.doc.undo_stack.count() == steps
    assert window.doc.live.grand_total == total == price(window.doc.programme).grand_total
    assert not window.doc.save_pending
    assert snapshot(load(window.doc.path)) == on_disk
    index = model.index(row, Col.QTY)
    assert model.data(index) == "9000000000000", "the typed text stays in the cell, red"
    assert "nothing was changed" in model.data(index, 3)  # tooltip
    qtmodeltester.check(model)
    type_into(qtbot, window, row, Col.QTY, "12")  # the next edit works and reaches the file
    assert bill.items[row].quantity == Decimal(12)
    window.doc.save_now()
    assert next(i for i in load(window.doc.path).facilities for _ in [0]) is not None
    saved = {i.uid: i.quantity for f in load(window.doc.path).facilities for b in f.bills for i in b.items}
    assert saved[bill.items[row].uid] == Decimal(12)


@pytest.mark.parametrize(("col", "text"), [(Col.RATE, "99999999999999"), (Col.QTY, "20000000000000"), (Col.QTY, "10000000*2000000")])
def test_a_figure_too_large_to_print_is_refused_as_typed(qtbot: QtBot, window: Any, col: Col, text: str) -> None:
    """Found merging the limits and the window: a rate of 10^14 typed in a cell was saved, and then the file
    could not be opened again (the loader refuses what no BoQ can print)."""
    _bill, model, row = open_bill(window)
    before = snapshot(window.doc.programme)
    type_into(qtbot, window, row, col, text)
    assert snapshot(window.doc.programme) == before
    assert "larger than 10,000,000,000,000" in model.data(model.index(row, col), 3)
    window.doc.save_now()
    load(window.doc.path)  # still opens


def test_a_failure_in_the_middle_of_a_grouped_edit_rolls_back_every_step(qtbot: QtBot, window: Any,
                                                                        qtmodeltester: Any,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    bill, model, row = open_bill(window)
    qtmodeltester.check(model)
    doc = window.doc
    before, steps, rows = snapshot(doc.programme), doc.undo_stack.count(), model.rowCount()
    line = Pricer.line

    def failing(self: Pricer, item: Item) -> Any:
        if item.description == "BOOM":
            raise RuntimeError("injected")
        return line(self, item)

    monkeypatch.setattr(Pricer, "line", failing)
    fine = Item("fine", Decimal(1), "m2")
    boom = Item("BOOM", Decimal(1), "m2")
    facility = model.facility
    edit = edits.group([edits.insert_items(facility, bill, 0, [fine]),
                        edits.set_fields(bill, bill.items[row], {"quantity": Decimal(77)}),
                        edits.insert_items(facility, bill, 0, [boom])], "Two steps")
    with pytest.raises(EditFailed, match="injected"):
        doc.push(edit)
    assert snapshot(doc.programme) == before
    assert model.rowCount() == rows and doc.undo_stack.count() == steps
    assert doc.live.grand_total == price(doc.programme).grand_total
    monkeypatch.setattr(Pricer, "line", line)
    type_into(qtbot, window, row, Col.QTY, "5")
    assert bill.items[row].quantity == Decimal(5) and doc.undo_stack.count() == steps + 1
    window.undo_action.trigger()
    assert snapshot(doc.programme) == before
