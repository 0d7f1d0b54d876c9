"""Find (Ctrl+F): search the whole programme, list the hits, jump to one.

The search is `estimator.find.find` (descriptions in English and Arabic, codes, references,
facility and bill names; every word, by stem). It runs as the user types, after a short pause.
Enter in the search box or on a hit, or a double-click, emits `locate(facility, bill, item)`.
"""

from __future__ import annotations

from estimator.find import Hit, find
from estimator.model import Programme
from ui.qt import (
    QAbstractItemView,
    QEvent,
    QHeaderView,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QObject,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)

LIMIT = 500


class FindPanel(QWidget):
    locate = Signal(str, str, str)  # facility uid, bill uid, item uid ("" for a facility or bill)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.programme: Programme | None = None
        self.hits: list[Hit] = []
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Find in the programme: description, Arabic, rate code, item, facility…"))
        self.search.setClearButtonEnabled(True)
        self.count = QLabel(self)
        self.results = QTableWidget(0, 2, self)
        self.results.setHorizontalHeaderLabels([self.tr("Where"), self.tr("Text")])
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setTabKeyNavigation(False)
        self.results.setWordWrap(False)
        self.results.verticalHeader().hide()
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 340)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.count)
        layout.addWidget(self.results, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.run)
        self.search.textChanged.connect(self.schedule)
        self.search.returnPressed.connect(self._first)
        self.results.cellActivated.connect(self._go)
        self.results.cellDoubleClicked.connect(self._go)
        self.results.installEventFilter(self)
        self.search.installEventFilter(self)

    def schedule(self) -> None:
        """Search again once typing pauses."""
        self._timer.start()

    def bind(self, programme: Programme) -> None:
        self.programme = programme
        self.run()

    def run(self) -> list[Hit]:
        self._timer.stop()
        text = self.search.text()
        self.hits = find(self.programme, text, LIMIT) if self.programme is not None else []
        self.results.setRowCount(len(self.hits))
        for row, hit in enumerate(self.hits):
            for col, value in enumerate((hit.where, hit.text)):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)  # the full text, whatever the column's width
                self.results.setItem(row, col, cell)
        if not text.strip():
            self.count.setText("")
        else:
            more = self.tr(" (the first ones; add words to narrow it)") if len(self.hits) >= LIMIT else ""
            self.count.setText(self.tr("{hits} found{more}")
                               .format(hits=len(self.hits), more=more) if self.hits else self.tr("Nothing found"))
        return self.hits

    def _first(self) -> None:
        self.run()
        if self.hits:
            self.results.setCurrentCell(0, 0)
            self._go(0, 0)

    def _go(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.hits):
            hit = self.hits[row]
            self.locate.emit(hit.facility_uid, hit.bill_uid, hit.item_uid)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            if watched is self.results and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._go(self.results.currentRow(), 0)  # a table view would only move down a row
                return True
            if watched is self.search and event.key() == Qt.Key.Key_Down and self.results.rowCount():
                self.run()  # Down from the search box goes to the hits
                self.results.setFocus(Qt.FocusReason.OtherFocusReason)
                self.results.setCurrentCell(0, 0)
                return True
        return super().eventFilter(watched, event)
