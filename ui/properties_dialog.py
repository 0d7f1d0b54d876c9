"""Facility or bill properties: names (English, Arabic), type, governorate, district, floor area, beds.

The dialog only collects and checks the texts (`estimator.properties.parse_facility`); a mistake
is said in the dialog, which stays open. `values` holds the parsed fields once accepted; the
caller turns them into one undoable edit (`estimator.properties.properties_edit`).
"""

from __future__ import annotations

from typing import Any

from estimator.errors import UserError, localized
from estimator.model import FACILITY_TYPES, Bill, Facility, Programme
from estimator.particulars import LotParticulars
from estimator.properties import parse_facility
from ui.language import add_choices, chosen_value, show_choice
from ui.particulars_form import ParticularsForm
from ui.qt import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, Qt, QVBoxLayout, QWidget


class PropertiesDialog(QDialog):
    def __init__(self, target: Facility | Bill, parent: QWidget | None = None,
                 programme: Programme | None = None) -> None:
        super().__init__(parent)
        self.target = target
        self.values: dict[str, Any] | None = None
        self.lot: LotParticulars | None = None  # a facility's (lot's) particulars, once accepted
        self.particulars: ParticularsForm | None = None
        is_facility = isinstance(target, Facility)
        title = self.tr("Facility properties — {name}") if is_facility else self.tr("Bill properties — {name}")
        self.setWindowTitle(title.format(name=target.name))
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        self._line(form, "name", self.tr("Name"), target.name)
        name_ar = self._line(form, "name_ar", self.tr("Arabic name (الاسم)"), target.name_ar)
        name_ar.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.kind: QComboBox | None = None
        if isinstance(target, Facility):
            self.kind = QComboBox(self)
            self.kind.setEditable(True)
            add_choices(self.kind, "facility_types", ["", *FACILITY_TYPES])
            show_choice(self.kind, target.facility_type)
            form.addRow(self.tr("Type"), self.kind)
            self._line(form, "governorate", self.tr("Governorate"), target.governorate)
            self._line(form, "district", self.tr("District"), target.district)
            area = "" if target.floor_area is None else f"{target.floor_area:f}"
            self._line(form, "floor_area", self.tr("Floor area (m²)"), area).setPlaceholderText(
                                                                                       self.tr("gross floor area; empty if "
                                                                                               "not known"))
            beds = "" if target.beds is None else str(target.beds)
            self._line(form, "beds", self.tr("Beds"), beds).setPlaceholderText(self.tr("empty if none or not known"))
        if isinstance(target, Facility) and programme is not None:
            own = programme.lot_overrides.get(target.uid, LotParticulars())
            self.particulars = ParticularsForm(programme.particulars, programme.currency, own, self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a61b1b;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if self.particulars is not None:
            layout.addWidget(self.particulars)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(520, 0)

    def _line(self, form: QFormLayout, key: str, text: str, value: str) -> QLineEdit:
        edit = QLineEdit(value, self)
        self.fields[key] = edit
        form.addRow(text, edit)
        return edit

    def texts(self) -> dict[str, str]:
        texts = {k: e.text() for k, e in self.fields.items()}
        if self.kind is not None:
            texts["facility_type"] = chosen_value(self.kind)
        return texts

    def accept(self) -> None:
        texts = self.texts()
        try:
            if isinstance(self.target, Facility):
                self.values = parse_facility(texts)
                if self.particulars is not None:
                    self.lot = self.particulars.lot_result()
            else:
                self.values = {k: v.strip() for k, v in texts.items()}
                if not self.values["name"]:
                    raise UserError("name: a bill needs a name")
        except UserError as exc:
            self.message.setText(localized(exc))
            return
        super().accept()
