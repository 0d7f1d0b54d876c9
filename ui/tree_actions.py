"""Programme tree commands: add a facility, add a bill, delete the selected facility or bill.

Each is one undoable edit; a new facility or bill is selected and its name opened for typing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from estimator import edits
from estimator.errors import UserError
from estimator.model import Bill, Facility
from ui.qt import QAction, QObject

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class TreeActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.add_facility = QAction("Add &facility", window)
        self.add_facility.triggered.connect(self.new_facility)
        self.add_bill = QAction("Add &bill", window)
        self.add_bill.triggered.connect(self.new_bill)
        self.delete = QAction("Delete facility or bill", window)
        self.delete.triggered.connect(self.delete_current)

    def _push(self, edit: edits.Edit | None) -> bool:
        doc = self.window.doc
        if doc is None:
            return False
        try:
            doc.push(edit)
        except UserError as exc:
            self.window.dialogs.report("Edit", exc)
            return False
        return True

    def current_facility(self) -> Facility | None:
        model, tree = self.window.tree_model, self.window.tree
        if model is None:
            return None
        index = tree.currentIndex()
        if index.isValid() and index.internalId() != 0:
            index = index.parent()
        node = model.node(index)
        return node if isinstance(node, Facility) else None

    def new_facility(self) -> None:
        doc, model = self.window.doc, self.window.tree_model
        if doc is None or model is None:
            return
        facilities = doc.programme.facilities
        facility = Facility(f"Facility {len(facilities) + 1}", bills=[Bill("1 Preliminaries")])
        if self._push(edits.InsertFacility(len(facilities), facility)):
            index = model.facility_index(facility.uid)
            self.window.tree.setCurrentIndex(index)
            self.window.tree.edit(index)

    def new_bill(self) -> None:
        facility, model = self.current_facility(), self.window.tree_model
        if facility is None or model is None:
            self.window.show_status("Select a facility in the programme tree first")
            return
        bill = Bill(f"{len(facility.bills) + 1} New bill")
        if self._push(edits.InsertBill(facility.uid, len(facility.bills), bill)):
            index = model.bill_index(bill.uid)
            self.window.tree.setCurrentIndex(index)
            self.window.tree.edit(index)

    def delete_current(self) -> None:
        model = self.window.tree_model
        if model is None:
            return
        index = self.window.tree.currentIndex()
        node = model.node(index)
        if isinstance(node, Facility):
            done = self._push(edits.RemoveFacility(index.row(), node, f"Delete {node.name}"))
        elif isinstance(node, Bill):
            parent = model.node(index.parent())
            assert isinstance(parent, Facility)
            done = self._push(edits.RemoveBill(parent.uid, index.row(), node, f"Delete {node.name}"))
        else:
            return
        if done:
            self.window.show_status(f"Deleted {node.name}; Edit > Undo brings it back")
