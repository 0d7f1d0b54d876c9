"""The committee's evaluation file edited in the window: one row per bidder, the CSV's columns.

`EvaluationTable` holds the cells as the committee types them (text); `records()` reads them with
the same parser as `boq bids --evaluation` (`estimator.analysis.evalfile.parse_evaluation`), so a
mistake is named by row and column exactly as the command line names it. Loading and saving go
through `read_evaluation` / `write_evaluation`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from estimator.analysis.evalfile import CHECKS, COLUMNS, Record, identity, parse_evaluation, read_evaluation, write_evaluation
from estimator.money import plain
from ui.qt import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


def _cells(record: Record) -> list[str]:
    cells = [record.bidder, record.received.strftime("%Y-%m-%d %H:%M") if record.received else "",
             plain(record.security_amount) if record.security_amount is not None else "",
             "" if record.security_valid is None else "yes" if record.security_valid else "no"]
    for name in CHECKS:
        check = record.check(name)
        cells += ["" if check.passed is None else "pass" if check.passed else "fail", check.note]
    return cells


class EvaluationTable(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[list[str]] = []
        self.titles = [self.tr("Bidder"), self.tr("Received"), self.tr("Bid security"), self.tr("Security valid"),
                       self.tr("Administrative"), self.tr("Note"), self.tr("Technical"), self.tr("Note"),
                       self.tr("Qualification"), self.tr("Note")]

    # ---- the model --------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self.rows[index.row()][index.column()]
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        self.rows[index.row()][index.column()] = str(value if value is not None else "").strip()
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.titles):
            return self.titles[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.rows):
            return str(section + 1)
        return None

    # ---- what it holds ----------------------------------------------------------------------

    def set_records(self, records: Sequence[Record]) -> None:
        self.beginResetModel()
        self.rows = [_cells(r) for r in records]
        self.endResetModel()

    def add_bidders(self, names: Sequence[str]) -> None:
        """A blank row for each bidder not in the table yet (after an evaluation names them)."""
        known = {identity(row[0]) for row in self.rows}
        new = [n for n in names if identity(n) and identity(n) not in known]
        if not new:
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(new) - 1)
        self.rows += [[name] + [""] * (len(COLUMNS) - 1) for name in new]
        self.endInsertRows()

    def csv_text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        writer.writerows(row for row in self.rows if any(cell.strip() for cell in row))
        return out.getvalue()

    def records(self) -> list[Record] | None:
        """The rows as records (None when the table is empty); `ValidationFailed` naming row and column."""
        if not any(any(c.strip() for c in row) for row in self.rows):
            return None
        return parse_evaluation(self.csv_text(), self.tr("evaluation table"))

    def load(self, path: Path) -> None:
        self.set_records(read_evaluation(path))

    def save(self, path: Path) -> None:
        write_evaluation(self.records() or [], path)
