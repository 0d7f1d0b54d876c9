"""The tender particulars as a form: the programme's defaults (settings dialog) or a lot's overrides
(facility properties dialog).

Every value is text checked by `estimator.particulars` (the same rules and messages as `boq
particulars`); a lot's empty field means "the programme's default", which the field shows greyed.
"""

from __future__ import annotations

from estimator import particulars as pt
from estimator.errors import UserError, localized
from estimator.particulars import LotParticulars, TenderParticulars
from ui.qt import QCheckBox, QComboBox, QFormLayout, QGroupBox, QLineEdit, QWidget


class ParticularsForm(QGroupBox):
    """Lot fields for everyone; with `tender` (the programme's form) the programme-wide ones too."""

    def __init__(self, tender: TenderParticulars, currency: str, lot: LotParticulars | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.is_lot = lot is not None
        self.setTitle(self.tr("Particulars of this lot (empty: the programme's default)") if self.is_lot
                      else self.tr("Tender particulars: the default of every lot"))
        labels = {
            "completion_days": self.tr("Time for completion (days)"),
            "liquidated_damages": self.tr("Liquidated damages per day ({currency})").format(currency=currency),
            "liquidated_damages_cap": self.tr("Liquidated damages cap (% of contract sum)"),
            "defects_liability_days": self.tr("Defects liability period (days)"),
            "retention": self.tr("Retention (% of each certificate)"),
            "retention_cap": self.tr("Retention cap (% of contract sum)"),
            "advance": self.tr("Advance payment (% of contract sum)"),
            "bid_security": self.tr("Bid security, a fixed amount ({currency})").format(currency=currency),
            "bid_security_days": self.tr("Bid security validity (days)"),
        }
        form = QFormLayout(self)
        self.fields: dict[str, QLineEdit] = {}
        own = pt.lot_values(lot) if lot is not None else pt.lot_values(tender.lot)
        defaults = pt.lot_values(tender.lot)
        for name in pt.LOT_FIELDS:
            edit = QLineEdit(own.get(name, ""), self)
            edit.setObjectName(name)
            if self.is_lot:
                edit.setPlaceholderText(defaults.get(name, ""))
            self.fields[name] = edit
            form.addRow(labels[name], edit)
        self.max_lots = QLineEdit("" if tender.max_lots_per_bidder is None else str(tender.max_lots_per_bidder), self)
        self.max_lots.setPlaceholderText(self.tr("any number"))
        self.charge_tax = QCheckBox(self.tr("Bidders add the programme's tax to their total"), self)
        self.charge_tax.setChecked(tender.bidders_charge_tax)
        self.missing = QComboBox(self)
        self.missing.addItem(self.tr("reject the lot's bid"), pt.REJECT)
        self.missing.addItem(self.tr("price at the highest other bid's rate"), pt.HIGHEST)
        self.missing.setCurrentIndex(max(0, self.missing.findData(tender.missing_rates)))
        self.abnormally_low = QLineEdit(f"{tender.abnormally_low:f}", self)
        if not self.is_lot:
            form.addRow(self.tr("Maximum lots per bidder"), self.max_lots)
            form.addRow("", self.charge_tax)
            form.addRow(self.tr("A missing rate"), self.missing)
            form.addRow(self.tr("Abnormally low below the estimate by (%)"), self.abnormally_low)
        self._tender = tender

    def texts(self) -> dict[str, str]:
        return {name: edit.text().strip() for name, edit in self.fields.items()}

    def lot_result(self) -> LotParticulars:
        """A lot's overrides as entered; UserError naming the field if one is wrong."""
        return pt.parse_lot(self.texts(), self.tr("lot particulars"))

    def tender_result(self) -> TenderParticulars:
        """The programme's particulars as entered; UserError naming the field if one is wrong."""
        texts = self.texts()
        empty = [name for name, text in texts.items() if not text]
        sets = {name: text for name, text in texts.items() if text}
        sets["max_lots_per_bidder"] = self.max_lots.text().strip() or "none"
        sets["bidders_charge_tax"] = "yes" if self.charge_tax.isChecked() else "no"
        sets["missing_rates"] = str(self.missing.currentData())
        sets["abnormally_low"] = self.abnormally_low.text().strip() or "0"
        return pt.edit_tender(self._tender, sets, empty)

    def problems(self) -> list[str]:
        try:
            if self.is_lot:
                self.lot_result()
            else:
                self.tender_result()
        except UserError as exc:
            return [localized(exc)]
        return []
