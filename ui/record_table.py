"""A read-only, sortable table model over records, shared by the comparison and bid views.

Columns are (title, getter) pairs; figures stay Decimals in the model (EditRole/sorting) and are
formatted only for DisplayRole.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from estimator.money import fmt, plain
from ui.qt import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
Column = tuple[str, Callable[[Any], object]]


class RecordTable(QAbstractTableModel):
    """A read-only table of records with typed columns; Decimals stay Decimals until displayed.

    DisplayRole is the formatted text, EditRole the raw value as plain text, numbers are right
    aligned, and `sort()` orders the records by their raw values (None last) so the sortable
    view never compares formatted strings or floats.
    """

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.records: list[Any] = []

    def set_records(self, records: Sequence[Any], columns: Sequence[Column] | None = None) -> None:
        self.beginResetModel()
        self.records = list(records)
        if columns is not None:
            self.columns = list(columns)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.columns)

    def value(self, row: int, column: int) -> object:
        return self.columns[column][1](self.records[row])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(self.value(index.row(), index.column()))
        if role == Qt.ItemDataRole.EditRole:
            raw = self.value(index.row(), index.column())
            return plain(raw) if isinstance(raw, Decimal) else ("" if raw is None else str(raw))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            numeric = isinstance(self.value(index.row(), index.column()), Decimal | int)
            side = Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        return self.extra(index, role)

    def extra(self, index: Index, role: int) -> Any:
        """Other roles (tooltips, colours, ids): subclasses answer them."""
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return QCoreApplication.translate("Columns", self.columns[section][0])  # marked QT_TRANSLATE_NOOP where defined
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.records):
            return str(section + 1)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        before = list(self.records)
        reverse = order == Qt.SortOrder.DescendingOrder
        known = [r for r in self.records if self.columns[column][1](r) is not None]
        unknown = [r for r in self.records if self.columns[column][1](r) is None]
        known.sort(key=lambda r: _key(self.columns[column][1](r)), reverse=reverse)
        self.records = known + unknown
        where = {id(r): n for n, r in enumerate(self.records)}
        old = self.persistentIndexList()
        new = [self.index(where[id(before[i.row()])], i.column()) for i in old]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()


def _display(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return fmt(value)
    return str(value)


def _key(value: object) -> tuple[int, Decimal, str]:
    if isinstance(value, Decimal | int):
        return (0, Decimal(value), "")
    return (1, Decimal(0), str(value).casefold())
