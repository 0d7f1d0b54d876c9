"""The pre-export check in the export dialog: `estimator.check` findings, one per row.

A double-click on a row asks the window to show that facility, bill or item (`locate`), so the
user can fix it and export again; the dialog stays open (it is not modal).
"""

from __future__ import annotations

from estimator.check import Finding, check, summary
from estimator.messages import language, phrase
from estimator.model import Programme
from ui.qt import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget, Signal


class CheckPanel(QWidget):
    locate = Signal(str, str, str)  # facility uid, bill uid, item uid ("" when not an item)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.findings: list[Finding] = []
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("Check"), self.tr("Where"), self.tr("What")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 260)
        self.table.setMaximumHeight(170)
        self.table.cellDoubleClicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)

    def run(self, programme: Programme, lang: str) -> list[Finding]:
        self.findings = check(programme, lang)
        self.table.setRowCount(len(self.findings))
        for row, f in enumerate(self.findings):
            for col, text in enumerate((phrase(f.kind), f.where, f.text())):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
        found = summary(self.findings, language())
        self.summary.setText(self.tr("Before exporting: {found}.")
                             .format(found=found) + (self.tr(" Double-click a row to go there.") if self.findings else ""))
        self.table.setVisible(bool(self.findings))
        return self.findings

    def _activated(self, row: int, _column: int) -> None:
        f = self.findings[row]
        self.locate.emit(f.facility_uid, f.bill_uid, f.item_uid)
