"""Programme tree commands: add, duplicate, edit the properties of, or delete a facility or bill.

Each is one undoable edit; a new facility or bill is selected and its name opened for typing.
Deleting asks first (naming the number of items and the amount) and backs up the file before.
A duplicate (`estimator.duplicate`) is placed after its original (a bill at the end of its
facility, numbered for its place) and selected.
"""

from __future__ import annotations

from estimator import edits
from estimator.duplicate import copy_bill, copy_facility, copy_name
from estimator.errors import UserError
from estimator.model import Bill, Facility
from estimator.money import fmt
from estimator.particulars_edit import set_lot_particulars
from estimator.properties import properties_edit
from ui.properties_dialog import PropertiesDialog
from ui.qt import QAction, QCoreApplication, QKeySequence, QObject
from ui.shell import Shell


class TreeActions(QObject):
    def __init__(self, window: Shell) -> None:
        super().__init__(window)
        self.window = window
        self.add_facility = QAction(self.tr("Add &facility"), window)
        self.add_facility.triggered.connect(self.new_facility)
        self.add_bill = QAction(self.tr("Add &bill"), window)
        self.add_bill.triggered.connect(self.new_bill)
        self.delete = QAction(self.tr("&Delete facility or bill…"), window)
        self.delete.triggered.connect(self.delete_current)
        self.duplicate = QAction(self.tr("D&uplicate facility or bill"), window)
        self.duplicate.triggered.connect(self.duplicate_current)
        self.properties = QAction(self.tr("&Properties of facility or bill…"), window)
        self.properties.setShortcut(QKeySequence("Alt+Return"))
        self.properties.triggered.connect(self.edit_properties)
        self.dialog: PropertiesDialog | None = None

    def _push(self, edit: edits.Edit | None) -> bool:
        doc = self.window.doc
        if doc is None:
            return False
        try:
            doc.push(edit)
        except UserError as exc:
            self.window.dialogs.report(self.tr("Edit"), exc)
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
            self.window.show_status(self.tr("Select a facility in the programme tree first"))
            return
        bill = Bill(f"{len(facility.bills) + 1} New bill")
        if self._push(edits.InsertBill(facility.uid, len(facility.bills), bill)):
            index = model.bill_index(bill.uid)
            self.window.tree.setCurrentIndex(index)
            self.window.tree.edit(index)

    def delete_current(self) -> None:
        """Delete the selected facility or bill after confirming, with a backup of the file first."""
        model, doc = self.window.tree_model, self.window.doc
        if model is None or doc is None:
            return
        index = self.window.tree.currentIndex()
        node = model.node(index)
        cur = doc.programme.currency
        if isinstance(node, Facility):
            items, total = len(node.items()), doc.live.facility_total(node.uid)
            what = self.tr("facility {name!r} with its {bills} bill{s} and {items} item{s2}").format(
                name=node.name, bills=len(node.bills), s="s" if len(node.bills) != 1 else "", items=items,
                s2="s" if items != 1 else "")
            edit: edits.Edit = edits.RemoveFacility(index.row(), node, self.tr("Delete {name}").format(name=node.name))
        elif isinstance(node, Bill):
            parent = model.node(index.parent())
            assert isinstance(parent, Facility)
            items, total = len(node.items), doc.live.bill_total(node.uid)
            what = self.tr("bill {name!r} of {facility} with its {items} item{s}").format(
                name=node.name, facility=parent.name, items=items, s="s" if items != 1 else "")
            edit = edits.RemoveBill(parent.uid, index.row(), node, self.tr("Delete {name}").format(name=node.name))
        else:
            self.window.show_status(self.tr("Select a facility or a bill in the programme tree first"))
            return
        if not self.window.dialogs.question(
                self.tr("Delete"), self.tr("Delete the {what}, {total} {cur}?\n\nEdit › Undo brings it back in this session; "
                                           "a backup of the programme is kept (File › Restore backup…).")
                .format(what=what, total=fmt(total), cur=cur)):
            return
        if not self.window.backup(f"before deleting the {what}"):
            return
        if self._push(edit):
            self.window.show_status(self.tr("Deleted {name}; Edit › Undo brings it back, File › Restore backup… too")
                                    .format(name=node.name))

    def current_node(self) -> Facility | Bill | None:
        model = self.window.tree_model
        return None if model is None else model.node(self.window.tree.currentIndex())

    def duplicate_current(self) -> None:
        doc, model, node = self.window.doc, self.window.tree_model, self.current_node()
        if doc is None or model is None or node is None:
            self.window.show_status(self.tr("Select a facility or bill in the programme tree first"))
            return
        if isinstance(node, Facility):
            facilities = doc.programme.facilities
            twin = copy_facility(node, copy_name(node.name, {f.name for f in facilities}))
            row = model.facility_row(node.uid) + 1
            if self._push(edits.InsertFacility(row, twin, self.tr("Duplicate {name}").format(name=node.name))):
                self.window.tree.setCurrentIndex(model.facility_index(twin.uid))
        else:
            facility = self.current_facility()
            assert facility is not None
            bill = copy_bill(node, copy_name(node.name, {b.name for b in facility.bills}), number=len(facility.bills) + 1)
            if self._push(edits.InsertBill(facility.uid, len(facility.bills), bill,
                                              self.tr("Duplicate {name}").format(name=node.name))):
                self.window.tree.setCurrentIndex(model.bill_index(bill.uid))
        self.window.show_status(self.tr("Duplicated {name}; Edit > Undo takes the copy away").format(name=node.name))

    def edit_properties(self) -> PropertiesDialog | None:
        doc, node = self.window.doc, self.current_node()
        if doc is None or node is None:
            self.window.show_status(self.tr("Select a facility or bill in the programme tree first"))
            return None
        dialog = PropertiesDialog(node, self.window, doc.programme)
        self.dialog = dialog

        def accepted() -> None:
            if dialog.values is not None and self.window.doc is doc:
                with self.window.dialogs.reporting(QCoreApplication.translate("TreeActions", "Properties")):
                    terms = (set_lot_particulars(doc.programme, node.uid, dialog.lot)
                             if dialog.lot is not None else None)
                    self._push(edits.group([properties_edit(node, dialog.values), terms], f"Properties of {node.name}"))

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog
