"""The rate library panel: search (English or Arabic), filter by trade, the selected rate's build-up.

Rates are priced in the programme's currency at the programme's exchange rates. A double-click
(or Enter) adds the rate to the current bill; rates can also be dragged onto the BoQ table.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape
from typing import Any

from estimator.errors import UserError, localized
from estimator.money import fmt
from estimator.pricing import Pricer
from estimator.rates.book import BUILDUP_PLACES, Analysis, Rate, RateBook
from estimator.units import label
from ui.bidi import isolate, paragraph
from ui.boq_view import RATE_CODES_MIME
from ui.document import Document
from ui.plain import plain_tooltip
from ui.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractItemView,
    QAbstractTableModel,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSplitter,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)

Index = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class RateListModel(QAbstractTableModel):
    HEADERS = (QT_TRANSLATE_NOOP("RateListModel", "Code"), QT_TRANSLATE_NOOP("RateListModel", "Description"),
               QT_TRANSLATE_NOOP("RateListModel", "Unit"), QT_TRANSLATE_NOOP("RateListModel", "Rate"))

    def __init__(self, book: RateBook, document: Document) -> None:
        super().__init__(document)
        self.book, self.doc = book, document
        self.rates: list[Rate] = sorted(book.rates.values(), key=lambda r: r.code)
        self.arabic = False  # show Arabic descriptions (while the search is written in Arabic)
        self._prices: dict[str, Decimal | str] = {}
        document.totals_changed.connect(self._maybe_repriced)
        self._currency = document.programme.currency
        self._fx = list(document.programme.exchange_rates)

    def set_filter(self, text: str, trade: str) -> None:
        self.beginResetModel()
        self.arabic = any("\u0600" <= ch <= "\u06ff" for ch in text)
        self.rates = sorted(self.book.search(text, trade), key=lambda r: r.code)
        self.endResetModel()

    def price(self, code: str) -> Decimal | str:
        """The library's unit rate in the programme currency, or why it cannot be priced."""
        if code not in self._prices:
            pricer = Pricer(self.doc.programme)
            try:
                self._prices[code] = self.book.unit_rate(code, pricer.currency, pricer.convert)
            except UserError as exc:
                self._prices[code] = localized(exc)
        return self._prices[code]

    def _maybe_repriced(self) -> None:
        prog = self.doc.programme
        if prog.currency != self._currency or prog.exchange_rates != self._fx:
            self._currency, self._fx = prog.currency, list(prog.exchange_rates)
            self._prices.clear()
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 3, 3)
            if self.rates:
                self.dataChanged.emit(self.index(0, 3), self.index(len(self.rates) - 1, 3))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rates)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if not index.isValid():
                return None
            rate, col = self.rates[index.row()], index.column()
            if col == 3:
                value = self.price(rate.code)
                return fmt(value) if isinstance(value, Decimal) else "?"
            description = rate.description_ar if self.arabic and rate.description_ar else rate.description
            return (rate.code, description, label(rate.unit), "")[col]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if index.column() == 3 or (self.arabic and index.column() == 1) else LEFT
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            rate = self.rates[index.row()]
            value = self.price(rate.code)
            why = "" if isinstance(value, Decimal) else self.tr("\nCannot be priced: {why}").format(why=value)
            return plain_tooltip(
                                 self.tr("{code} ({trade}, per {unit})\n{description}\n{description_ar}{why}").format(
                                     code=rate.code, trade=rate.trade, unit=label(rate.unit), description=rate.description,
                                     description_ar=rate.description_ar, why=why))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr("Rate ({currency})").format(currency=self.doc.programme.currency) if section == 3 \
                else self.tr(self.HEADERS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    def mimeTypes(self) -> list[str]:
        return [RATE_CODES_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        codes = sorted({self.rates[i.row()].code for i in indexes if i.isValid()})
        mime = QMimeData()
        mime.setData(RATE_CODES_MIME, "\n".join(codes).encode("utf-8"))
        mime.setText("\n".join(codes))
        return mime


class BuildupModel(QAbstractTableModel):
    """The build-up of one rate: its components, then subtotal, overheads and the unit rate."""

    HEADERS = (QT_TRANSLATE_NOOP("BuildupModel", "Component"), QT_TRANSLATE_NOOP("BuildupModel", "Description"),
               QT_TRANSLATE_NOOP("BuildupModel", "Unit"), QT_TRANSLATE_NOOP("BuildupModel", "Quantity"),
               QT_TRANSLATE_NOOP("BuildupModel", "Waste %"), QT_TRANSLATE_NOOP("BuildupModel", "Price"),
               QT_TRANSLATE_NOOP("BuildupModel", "Cost"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.analysis: Analysis | None = None
        self.rows: list[tuple[str, ...]] = []

    def show(self, analysis: Analysis | None) -> None:
        self.beginResetModel()
        self.analysis = analysis
        self.rows = []
        if analysis is not None:
            for ln in analysis.lines:  # costs as the engine sums them (BUILDUP_PLACES): they add up as printed
                self.rows.append((ln.component, ln.description, label(ln.unit), f"{ln.coefficient:f}",
                                  f"{ln.waste_pct:f}", fmt(ln.price, BUILDUP_PLACES), fmt(ln.cost, BUILDUP_PLACES)))
            pct = analysis.rate.overheads_pct
            if analysis.lines:
                self.rows.append(("", self.tr("Subtotal"), "", "", "", "", fmt(analysis.subtotal, BUILDUP_PLACES)))
                overheads = fmt(analysis.overheads, BUILDUP_PLACES)
                overheads_text = self.tr("Overheads and profit {percent} %").format(percent=f"{pct:f}")
                self.rows.append(("", overheads_text, "", "", "", "", overheads))
            else:
                quoted = self.tr("Quoted price ({source})").format(source=analysis.rate.source)
                self.rows.append(("", quoted, "", "", "", "", fmt(analysis.unit_rate)))
            per_unit = self.tr("Unit rate per {unit}").format(unit=label(analysis.rate.unit))
            self.rows.append(("", per_unit, "", "", "", "", fmt(analysis.unit_rate)))
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()] if index.isValid() else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if index.column() >= 3 else LEFT
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and index.column() == 1:
            return self.rows[index.row()][1] or None  # the whole description, however narrow the column
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None


class LibraryPanel(QWidget):
    add_requested = Signal(list)  # rate codes to add to the current bill

    def __init__(self, book: RateBook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.doc: Document | None = None
        self.shown: tuple[str, str] | None = None  # the build-up on view: rate code, "library" or the snapshot's note
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search rates: code, English or Arabic words"))
        self.search.setClearButtonEnabled(True)
        self.trade = QComboBox(self)
        self.trade.addItem(self.tr("All trades"), "")
        for trade in book.trades():
            self.trade.addItem(trade, trade)
        self.model: RateListModel | None = None
        self.table = self._table(None)
        self.table.setDragEnabled(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.buildup = BuildupModel(self)
        self.buildup_view = self._table(self.buildup)
        self.title = QLabel(self.tr("Select a rate to see its build-up"), self)
        self.title.setTextFormat(Qt.TextFormat.RichText)  # its own markup; every text in it is escaped
        self.title.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(self.trade, 2)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.title)
        lower_layout.addWidget(self.buildup_view)
        self.split = QSplitter(Qt.Orientation.Horizontal, self)
        self.split.addWidget(self.table)
        self.split.addWidget(lower)
        self.split.setSizes([500, 500])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.split)

        self.search.textChanged.connect(self._filter)
        self.trade.currentIndexChanged.connect(self._filter)
        self.table.doubleClicked.connect(lambda index: self.add_requested.emit([self.rates()[index.row()].code]))

    def bind(self, document: Document) -> None:
        """Price the library for `document` (its currency and exchange rates)."""
        self.doc = document
        self.shown = None
        document.totals_changed.connect(self._refresh_buildup)
        self.model = RateListModel(self.book, document)
        self.table.setModel(self.model)
        self._columns(self.table)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self._filter()
        self.buildup.show(None)
        self.title.setText(self.tr("Select a rate to see its build-up"))

    def rates(self) -> list[Rate]:
        return self.model.rates if self.model is not None else []

    def _table(self, model: QAbstractTableModel | None) -> QTableView:
        view = QTableView(self)
        if model is not None:
            view.setModel(model)
            self._columns(view)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 6)
        return view

    def _columns(self, view: QTableView) -> None:
        """Description takes what is left; the other columns fit their contents."""
        header = view.horizontalHeader()
        for col in range(header.count()):
            mode = QHeaderView.ResizeMode.Stretch if col == 1 else QHeaderView.ResizeMode.ResizeToContents
            header.setSectionResizeMode(col, mode)

    def set_orientation(self, orientation: Qt.Orientation) -> None:
        """Side by side in a wide (bottom) dock, one above the other in a tall (side) dock."""
        self.split.setOrientation(orientation)

    def _filter(self) -> None:
        if self.model is not None:
            self.model.set_filter(self.search.text(), str(self.trade.currentData() or ""))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.show_buildup(self.rates()[current.row()].code, self.book, "library")

    def _refresh_buildup(self) -> None:
        """After any edit (a currency change, an undo): the build-up shown, priced as things are now."""
        if self.shown is not None and self.doc is not None:
            code, where = self.shown
            self.show_buildup(code, self.book if where == "library" else self.doc.programme.rates, where)

    def show_buildup(self, code: str, book: RateBook, where: str) -> None:
        """Show the build-up of `code` from `book` (the library, or the programme's snapshot)."""
        if self.doc is None:
            return
        self.shown = (code, where)
        pricer = Pricer(self.doc.programme)
        try:
            analysis = book.analyse(code, pricer.currency, pricer.convert)
        except UserError as exc:
            self.buildup.show(None)
            self.title.setText(escape(self.tr("{code}: cannot be built up ({problem})").format(code=code, problem=exc)))
            return
        rate = analysis.rate
        shown = self.tr("library") if where == "library" else where
        self.title.setText(paragraph(self.tr(
            "<b>{code}</b> ({where}) per {unit}: {description}<br><span dir='rtl'>{description_ar}</span>").format(
                code=isolate(escape(rate.code)), where=escape(shown), unit=isolate(escape(label(rate.unit))),
                description=isolate(escape(rate.description)), description_ar=escape(rate.description_ar)), rich=True))
        self.buildup.show(analysis)

    def selected_codes(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedIndexes()})
        return [self.rates()[r].code for r in rows]
