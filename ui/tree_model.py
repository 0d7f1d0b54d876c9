"""The programme tree: facilities with their bills, each with its live total.

A QAbstractItemModel of two levels. A facility's index carries internal id 0; a bill's index
carries a small stable number standing for its facility (never a raw pointer), so persistent
indexes survive facilities being inserted or removed. Totals come from the live estimate and are
refreshed with `dataChanged` only for the bills and facilities an edit touched.
"""

from __future__ import annotations

from typing import Any

from estimator import edits
from estimator.edits import Change, Edit
from estimator.errors import UserError
from estimator.model import Bill, Facility
from estimator.money import fmt
from ui.document import Document
from ui.qt import QAbstractItemModel, QFont, QModelIndex, QPersistentModelIndex, Qt, Role

Index = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
NAME, TOTAL = 0, 1
READ_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
EDITABLE_FLAGS = READ_FLAGS | Qt.ItemFlag.ItemIsEditable


class ProgrammeTreeModel(QAbstractItemModel):
    def __init__(self, document: Document) -> None:
        super().__init__(document)
        self.doc = document
        self._key_of: dict[str, int] = {}
        self._facility_by_key: dict[int, Facility] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        document.about_to_apply.connect(self._before)
        document.applied.connect(self._after)

    @property
    def facilities(self) -> list[Facility]:
        return self.doc.programme.facilities

    def _key(self, facility: Facility) -> int:
        key = self._key_of.get(facility.uid)
        if key is None:
            key = self._key_of[facility.uid] = len(self._key_of) + 1
            self._facility_by_key[key] = facility
        self._facility_by_key[key] = facility  # the same uid may come back as a new object (import undo)
        return key

    def node(self, index: Index) -> Facility | Bill | None:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self.facilities[index.row()]
        return self._facility_by_key[index.internalId()].bills[index.row()]

    def facility_row(self, uid: str) -> int:
        return next((r for r, f in enumerate(self.facilities) if f.uid == uid), -1)

    def facility_index(self, uid: str, column: int = NAME) -> QModelIndex:
        row = self.facility_row(uid)
        return self.index(row, column) if row >= 0 else QModelIndex()

    def bill_index(self, bill_uid: str, column: int = NAME) -> QModelIndex:
        for f_row, fac in enumerate(self.facilities):
            for b_row, bill in enumerate(fac.bills):
                if bill.uid == bill_uid:
                    return self.index(b_row, column, self.index(f_row, NAME))
        return QModelIndex()

    # ---- the tree -------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, self._key(self.facilities[parent.row()]))

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        facility = self._facility_by_key[index.internalId()]
        return self.createIndex(self.facility_row(facility.uid), NAME, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self.facilities)
        if parent.internalId() == 0 and parent.column() == NAME:
            return len(self.facilities[parent.row()].bills)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 2

    def data(self, index: Index, role: int = Role.DISPLAY) -> Any:
        if role == Role.DISPLAY or role == Role.EDIT:
            node = self.node(index)
            if node is None:
                return None
            if index.column() == NAME:
                return node.name
            if role == Role.EDIT:
                return None
            total = self.doc.live.facility_total(node.uid) if isinstance(node, Facility) else self.doc.live.bill_total(node.uid)
            return fmt(total)
        if role == Role.ALIGNMENT:
            return RIGHT if index.column() == TOTAL else None
        if role == Role.FONT:
            return self._bold if index.isValid() and index.internalId() == 0 else None
        if role == Role.TOOLTIP:  # the full name (the column may cut it), the Arabic name, what it is
            node = self.node(index)
            if node is None:
                return None
            lines = [node.name, node.name_ar]
            if isinstance(node, Facility):
                lines.append(" · ".join(p for p in (node.facility_type, node.governorate, node.district) if p))
                if node.floor_area is not None or node.beds is not None:
                    area = self.tr("{area} m²").format(area=fmt(node.floor_area, 0)) if node.floor_area is not None else ""
                    beds = self.tr("{beds} beds").format(beds=node.beds) if node.beds is not None else ""
                    lines.append(", ".join(p for p in (area, beds) if p))
            return "\n".join(line for line in lines if line)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr("Facility / bill") if section == NAME else \
                self.tr("Total ({currency})").format(currency=self.doc.programme.currency)
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole and section == TOTAL:
            return RIGHT
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return EDITABLE_FLAGS if index.column() == NAME and not self.doc.readonly else READ_FLAGS

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        node = self.node(index)
        if role != Qt.ItemDataRole.EditRole or node is None or index.column() != NAME:
            return False
        name = str(value).strip()
        if not name or name == node.name:
            return False
        try:
            self.doc.push(edits.Rename(node.uid, "name", node.name, name))
        except UserError:
            return False
        return True

    # ---- following the document -----------------------------------------------------------

    def _before(self, step: Edit) -> None:
        if isinstance(step, edits.InsertFacility):
            self.beginInsertRows(QModelIndex(), step.index, step.index)
        elif isinstance(step, edits.RemoveFacility):
            self.beginRemoveRows(QModelIndex(), step.index, step.index)
        elif isinstance(step, edits.InsertBill):
            self.beginInsertRows(self.facility_index(step.facility_uid), step.index, step.index)
        elif isinstance(step, edits.RemoveBill):
            self.beginRemoveRows(self.facility_index(step.facility_uid), step.index, step.index)
        elif isinstance(step, edits.ReplaceContents):
            self.beginResetModel()

    def _after(self, step: Edit, change: Change) -> None:
        if isinstance(step, (edits.InsertFacility, edits.InsertBill)):
            self.endInsertRows()
        elif isinstance(step, (edits.RemoveFacility, edits.RemoveBill)):
            self.endRemoveRows()
        elif isinstance(step, edits.ReplaceContents):
            self.endResetModel()
            return
        if change.prices:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, TOTAL, TOTAL)
            self._all_totals_changed()
            return
        for uid in change.names:
            index = self.facility_index(uid)
            index = index if index.isValid() else self.bill_index(uid)
            if index.isValid():
                self.dataChanged.emit(index, index)
        bills = set(change.bills) | {bill_uid for bill_uid, _ in change.items}
        if change.rates:
            self._all_totals_changed()
        elif bills:
            self._totals_changed(bills)

    def _totals_changed(self, bill_uids: set[str]) -> None:
        for f_row, fac in enumerate(self.facilities):
            rows = [b_row for b_row, bill in enumerate(fac.bills) if bill.uid in bill_uids]
            if rows:
                parent = self.index(f_row, NAME)
                self.dataChanged.emit(self.index(f_row, TOTAL), self.index(f_row, TOTAL))
                self.dataChanged.emit(self.index(min(rows), TOTAL, parent), self.index(max(rows), TOTAL, parent))

    def _all_totals_changed(self) -> None:
        if not self.facilities:
            return
        last = len(self.facilities) - 1
        self.dataChanged.emit(self.index(0, TOTAL), self.index(last, TOTAL))
        for f_row, fac in enumerate(self.facilities):
            if fac.bills:
                parent = self.index(f_row, NAME)
                self.dataChanged.emit(self.index(0, TOTAL, parent), self.index(len(fac.bills) - 1, TOTAL, parent))
