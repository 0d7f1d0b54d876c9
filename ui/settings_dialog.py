"""Programme settings: name, tender reference, organisation, currency, dated exchange rates, markups.

`result()` checks every field at once and lists what is wrong (the dialog stays open); when all is
well it gives an `estimator.edits.Settings`, which the window applies as one undoable edit.
Changing the currency re-bases the exchange-rate table on the new currency, visibly and exactly
(`estimator.settings.rebase`); what a rate cell shows is rounded, but an untouched cell keeps the
exact rate behind it, so switching back gives the typed rates again. Every value is checked by
`estimator.settings`, with the same messages as the command line.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from estimator import settings
from estimator.edits import Settings
from estimator.errors import UserError, localized
from estimator.model import ExchangeRate, Programme
from estimator.particulars import TenderParticulars
from ui.particulars_form import ParticularsForm
from ui.plain import plain_label
from ui.qt import (
    QComboBox,
    QDate,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

ENTRY = Qt.ItemDataRole.UserRole + 1


class SettingsDialog(QDialog):
    def __init__(self, programme: Programme, currencies: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Programme settings"))
        self.settings: Settings | None = None
        self.particulars: TenderParticulars | None = None  # the tender particulars, once accepted
        self._currency = programme.currency
        self.name = QLineEdit(programme.name)
        self.name.setCursorPosition(0)  # show the start of a long name
        self.reference = QLineEdit(programme.reference)
        self.organisation = QLineEdit(programme.organisation)
        self.revision = QLineEdit(programme.revision)
        self.issue_date = QDateEdit(QDate(programme.issue_date))
        self.issue_date.setCalendarPopup(True)
        self.issue_date.setDisplayFormat("yyyy-MM-dd")
        self.validity = QSpinBox()
        self.validity.setRange(1, 3650)
        self.validity.setValue(programme.validity_days)
        self.validity.setSuffix(self.tr(" days"))
        self.currency = QComboBox()
        self.currency.setEditable(True)
        self.currency.addItems(sorted(set(currencies) | set(programme.currencies())))
        self.currency.setCurrentText(programme.currency)
        self.currency.currentTextChanged.connect(self._rebase)
        m = programme.markups
        self.contingency = QLineEdit(f"{m.contingency:f}")
        self.overheads = QLineEdit(f"{m.overheads:f}")
        self.tax = QLineEdit(f"{m.tax:f}")

        form = QFormLayout()
        for text, widget in ((self.tr("Programme name"), self.name), (self.tr("Tender reference"), self.reference),
                             (self.tr("Organisation"), self.organisation), (self.tr("Revision"), self.revision),
                             (self.tr("Issue date"), self.issue_date), (self.tr("Bid validity"), self.validity),
                             (self.tr("Currency"), self.currency), (self.tr("Contingency %"), self.contingency),
                             (self.tr("Overheads and profit %"), self.overheads), (self.tr("Tax %"), self.tax)):
            form.addRow(text, widget)

        self.fx = QTableWidget(0, 3)
        self.fx.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for entry in programme.exchange_rates:
            self._add_entry(entry)
        self._fx_header()
        add, remove = QPushButton(self.tr("Add rate")), QPushButton(self.tr("Remove rate"))
        add.clicked.connect(lambda: self._add_fx_row("", "", dt.date.today().isoformat()))
        remove.clicked.connect(lambda: self.fx.removeRow(self.fx.currentRow()) if self.fx.currentRow() >= 0 else None)
        fx_box = QGroupBox(self.tr("Exchange rates (latest date applies)"))
        fx_layout = QVBoxLayout(fx_box)
        fx_layout.addWidget(self.fx)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(add)
        buttons_row.addWidget(remove)
        buttons_row.addStretch(1)
        fx_layout.addLayout(buttons_row)

        self.problems = plain_label()
        self.problems.setStyleSheet("color: #a61b1b;")
        self.problems.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.particulars_form = ParticularsForm(programme.particulars, programme.currency, parent=self)
        inner = QWidget()
        content = QVBoxLayout(inner)
        content.addLayout(form)
        content.addWidget(fx_box)
        content.addWidget(self.particulars_form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self.resize(600, 720)

    def _fx_header(self) -> None:
        self.fx.setHorizontalHeaderLabels([self.tr("Currency"), self.tr("Units per 1 {arg0}")
                                           .format(arg0=self._currency), self.tr("Date (YYYY-MM-DD)")])

    def _add_fx_row(self, currency: str, rate: str, date: str, entry: ExchangeRate | None = None) -> None:
        row = self.fx.rowCount()
        self.fx.insertRow(row)
        for col, text in enumerate((currency, rate, date)):
            cell = QTableWidgetItem(text)
            if entry is not None:
                cell.setData(ENTRY, (text, entry))  # the exact rate behind the text, kept while the text is
            self.fx.setItem(row, col, cell)

    def _add_entry(self, entry: ExchangeRate) -> None:
        self._add_fx_row(entry.currency, settings.shown(entry), entry.date.isoformat(), entry)

    def _cell(self, row: int, col: int) -> str:
        item = self.fx.item(row, col)
        return item.text().strip() if item is not None else ""

    def _kept(self, row: int) -> ExchangeRate | None:
        """The exact entry shown in `row`, if none of its three cells was edited."""
        kept = None
        for col in range(3):
            item = self.fx.item(row, col)
            data = item.data(ENTRY) if item is not None else None
            if not data or data[0] != item.text() or (kept is not None and data[1] is not kept):  # type: ignore[union-attr]
                return None
            kept = data[1]
        return kept

    def _rebase(self, text: str) -> None:
        """Express the table against the newly chosen currency, exactly (estimator.settings.rebase)."""
        try:
            new = settings.currency(text)
            rows = settings.rebase(self._fx_rows(), self._currency, new)
        except UserError:
            return  # not a currency yet, or no rate for it: `result_settings` says so on OK
        if new == self._currency:
            return
        self.fx.setRowCount(0)
        for entry in rows:
            self._add_entry(entry)
        self._currency = new
        self._fx_header()

    def _fx_rows(self) -> list[ExchangeRate]:
        rows = []
        for r in range(self.fx.rowCount()):
            kept = self._kept(r)
            if kept is not None:
                rows.append(kept)
                continue
            cur, rate, date = (self._cell(r, c) for c in range(3))
            if not (cur or rate):
                continue
            try:
                when = dt.date.fromisoformat(date)
            except ValueError:
                raise UserError(f"exchange rate row {r + 1}: date {date!r} is not YYYY-MM-DD") from None
            code = settings.currency(cur)
            rows.append(ExchangeRate(code, settings.exchange_rate(rate, code), when))
        return rows

    @staticmethod
    def _percent(edit: QLineEdit, what: str, problems: list[str]) -> Decimal:
        try:
            return settings.markup(edit.text().strip() or "0", what)
        except UserError as exc:
            problems.append(localized(exc))
            return Decimal(0)

    def result_settings(self) -> Settings | None:
        """The settings as entered, or None with the problems shown in the dialog."""
        problems: list[str] = []
        currency = self._currency
        try:
            currency = settings.currency(self.currency.currentText())
        except UserError as exc:
            problems.append(localized(exc))
        try:
            fx_typed = self._fx_rows()
        except UserError as exc:
            problems.append(localized(exc))
            fx_typed = []
        fx = [e for e in fx_typed if e.currency != currency]
        contingency, overheads, tax = (self._percent(getattr(self, key), name, problems)
                                       for key, name in settings.MARKUP_NAMES.items())
        if not self.name.text().strip():
            problems.append("the programme needs a name")
        if currency != self._currency:  # the table could not be re-based on it: say why, as `boq currency` does
            try:
                settings.rebase(fx_typed, self._currency, currency)
            except UserError as exc:
                problems.append(localized(exc))
        problems += self.particulars_form.problems()
        self.problems.setText("\n".join(problems))
        if problems:
            return None
        qdate = self.issue_date.date()
        return Settings(self.name.text().strip(), currency, self.reference.text().strip(), self.organisation.text().strip(),
                        self.revision.text().strip() or "0", dt.date(qdate.year(), qdate.month(), qdate.day()),
                        self.validity.value(), tuple(fx), contingency, overheads, tax)

    def accept(self) -> None:
        self.settings = self.result_settings()
        if self.settings is not None:
            self.particulars = self.particulars_form.tender_result()
            super().accept()
