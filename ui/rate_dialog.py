"""Edit a library rate into the user's own library: descriptions, overheads, quoted price or the
build-up's coefficients and waste.

The dialog only collects the texts; `estimator.rates.user.edited_rate` turns them into a rate
(a mistake is said in the dialog, which stays open) and `save_user_rate` writes it.
"""

from __future__ import annotations

from estimator.errors import UserError, localized
from estimator.rates.book import Rate
from estimator.rates.user import edited_rate
from estimator.units import label
from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

EDITABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable


class RateDialog(QDialog):
    def __init__(self, rate: Rate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rate = rate
        self.result_rate: Rate | None = None
        self.setWindowTitle(self.tr("Edit rate {code} into your library").format(code=rate.code))
        note = QLabel(self.tr("<b>{code}</b> ({trade}, per {arg2}). Saved in your own library, over the bundled one; "
                              "programmes keep their rates until you re-price them (Rates menu).")
                      .format(code=rate.code, trade=rate.trade, arg2=label(rate.unit)))
        note.setWordWrap(True)
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        self._line(form, "description", self.tr("Description"), rate.description)
        self._line(form, "description_ar", self.tr("Arabic description"), rate.description_ar).setLayoutDirection(
            Qt.LayoutDirection.RightToLeft)
        self._line(form, "overheads_pct", self.tr("Overheads and profit %"), f"{rate.overheads_pct:f}")
        if rate.is_quoted:
            self._line(form, "quoted_price", self.tr("Quoted price"), f"{rate.quoted_price:f}")
            self._line(form, "quoted_currency", self.tr("Currency"), rate.quoted_currency)
            self._line(form, "source", self.tr("Source of the price"), rate.source)
        self.lines = QTableWidget(len(rate.lines), 4, self)
        self.lines.setHorizontalHeaderLabels([self.tr("Component"), self.tr("Note"), self.tr("Quantity per unit"),
                                              self.tr("Waste %")])
        for row, line in enumerate(rate.lines):
            for col, text in enumerate((line.component, line.note, f"{line.coefficient:f}", f"{line.waste_pct:f}")):
                cell = QTableWidgetItem(text)
                if col < 2:
                    cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.lines.setItem(row, col, cell)
        self.lines.horizontalHeader().setStretchLastSection(True)
        self.lines.setVisible(bool(rate.lines))
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a61b1b;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.lines)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(640, 420 if rate.lines else 260)

    def _line(self, form: QFormLayout, key: str, text: str, value: str) -> QLineEdit:
        edit = QLineEdit(value, self)
        self.fields[key] = edit
        form.addRow(text, edit)
        return edit

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.lines.item(row, column)
        assert item is not None, "every cell of the build-up table is filled when it is made"
        return item

    def set_line(self, row: int, coefficient: str, waste: str = "") -> None:
        self._cell(row, 2).setText(coefficient)
        if waste:
            self._cell(row, 3).setText(waste)

    def accept(self) -> None:
        texts = {k: e.text() for k, e in self.fields.items()}
        lines = [(self._cell(r, 2).text(), self._cell(r, 3).text()) for r in range(self.lines.rowCount())]
        try:
            self.result_rate = edited_rate(self.rate, texts, lines if self.rate.lines else None)
        except UserError as exc:
            self.message.setText(localized(exc))
            return
        super().accept()
