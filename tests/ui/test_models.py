"""Every model of the window passes Qt's model tester, also while rows are inserted, removed and moved."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from estimator import edits
from estimator.cell_input import Col
from estimator.model import Bill, Facility, Item
from ui.boq_model import BoqModel
from ui.document import Document
from ui.library_panel import BuildupModel, LibraryPanel, RateListModel
from ui.qt import Qt
from ui.tree_model import ProgrammeTreeModel


def test_boq_and_tree_models_through_every_kind_of_edit(qtbot: QtBot, qtmodeltester: ModelTester, sample_file: Path) -> None:
    doc = Document.open(sample_file)
    try:
        boq, tree = BoqModel(doc), ProgrammeTreeModel(doc)
        fac = doc.programme.facilities[0]
        bill = fac.bills[2]
        boq.set_bill(bill.uid)
        qtmodeltester.check(boq)
        qtmodeltester.check(tree)
        doc.push(edits.insert_items(fac, bill, 1, [Item("new", Decimal(3), "m2", rate=Decimal(4))]))
        doc.push(edits.move_rows(fac, bill, 0, 2, 1))
        doc.push(edits.remove_rows(fac, bill, [0, 2]))
        doc.push(edits.set_fields(bill, bill.items[0], {"quantity": Decimal(99)}))
        doc.push(edits.InsertFacility(1, Facility("New", bills=[Bill("1 a"), Bill("2 b")])))
        doc.push(edits.InsertBill(fac.uid, 0, Bill("0 first")))
        doc.push(edits.RemoveBill(fac.uid, 3, bill))  # the shown bill goes: the table empties
        assert boq.bill is None and boq.rowCount() == 0
        doc.undo_stack.undo()
        boq.set_bill(bill.uid)
        for _ in range(doc.undo_stack.count()):
            doc.undo_stack.undo()
        for _ in range(doc.undo_stack.count()):
            doc.undo_stack.redo()
        boq.set_bill(doc.programme.facilities[0].bills[1].uid)
        qtmodeltester.check(boq)
        qtmodeltester.check(tree)
    finally:
        doc.close()


def test_boq_model_roles(sample_file: Path) -> None:
    doc = Document.open(sample_file)
    try:
        boq = BoqModel(doc)
        bill = next(b for f in doc.programme.facilities for b in f.bills if any(i.rate_code for i in b.items))
        boq.set_bill(bill.uid)
        row = next(r for r, i in enumerate(bill.items) if i.rate_code)
        line = doc.live.line(bill.items[row].uid)
        qty, amount, desc = boq.index(row, Col.QTY), boq.index(row, Col.AMOUNT), boq.index(row, Col.DESC)
        assert boq.data(qty) == f"{line.quantity:,.2f}"
        assert boq.data(amount) == f"{line.amount:,.2f}"
        assert boq.data(qty, Qt.ItemDataRole.TextAlignmentRole) & int(Qt.AlignmentFlag.AlignRight)
        assert boq.data(desc, Qt.ItemDataRole.TextAlignmentRole) & int(Qt.AlignmentFlag.AlignLeft)
        assert not boq.flags(amount) & Qt.ItemFlag.ItemIsEditable
        assert boq.flags(qty) & Qt.ItemFlag.ItemIsEditable
        assert boq.headerData(Col.AMOUNT, Qt.Orientation.Horizontal) == "Amount (USD)"
        assert "=" in boq.data(amount, Qt.ItemDataRole.ToolTipRole)
    finally:
        doc.close()


def test_library_models(qtbot: QtBot, qtmodeltester: ModelTester, sample_file: Path) -> None:
    doc = Document.open(sample_file)
    try:
        panel = LibraryPanel(doc.library)
        qtbot.addWidget(panel)
        panel.bind(doc)
        assert isinstance(panel.model, RateListModel)
        qtmodeltester.check(panel.model)
        total = panel.model.rowCount()
        panel.search.setText("لياسة")  # Arabic search
        assert 0 < panel.model.rowCount() < total
        assert all("لياسة" in r.description_ar for r in panel.model.rates)
        panel.search.setText("")
        panel.trade.setCurrentIndex(panel.trade.findData("Painting"))
        assert panel.model.rates and all(r.trade == "Painting" for r in panel.model.rates)
        panel.table.setCurrentIndex(panel.model.index(0, 0))
        assert isinstance(panel.buildup, BuildupModel)
        qtmodeltester.check(panel.buildup)
        rows = panel.buildup.rows
        assert rows[-1][1].startswith("Unit rate per")
        code = panel.model.rates[0].code
        assert rows[-1][-1] == panel.model.data(panel.model.index(0, 3))
        mime = panel.model.mimeData([panel.model.index(0, 0)])
        assert bytes(mime.data("application/x-boq-rate-codes").data()).decode() == code
    finally:
        doc.close()
