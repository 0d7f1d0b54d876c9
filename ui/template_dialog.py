"""New facility from template: choose a template, type its parameters, see the work list and its total.

The preview is computed by the engine (`estimator.template_build`) in the programme's currency and
exchange rates, on every change; a parameter out of range or a missing name is shown in the dialog
and OK stays disabled until it is fixed. OK adds the facility, with the library rates it uses, as one
undoable edit (`estimator.edits.add_facility`).
"""

from __future__ import annotations

from estimator import edits
from estimator.errors import UserError, localized
from estimator.facility_templates import BENCHMARKS, Parameter, Template, TemplateSet, load_templates
from estimator.model import Programme
from estimator.money import fmt, per_unit
from estimator.rates.book import RateBook
from estimator.template_build import Built, build_facility, preview
from estimator.units import label
from ui.language import add_choices, chosen_value
from ui.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractItemView,
    QComboBox,
    QCoreApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from ui.shell import Shell

GOVERNORATES = ("Aleppo", "Hama", "Homs", "Idlib", "Rif Dimashq", "Damascus", "Daraa", "Deir ez-Zor", "Raqqa", "Latakia")
COLUMNS = (QT_TRANSLATE_NOOP("TemplateDialog", "Bill"), QT_TRANSLATE_NOOP("TemplateDialog", "Code"),
           QT_TRANSLATE_NOOP("TemplateDialog", "Description"), QT_TRANSLATE_NOOP("TemplateDialog", "Quantity"),
           QT_TRANSLATE_NOOP("TemplateDialog", "Unit"), QT_TRANSLATE_NOOP("TemplateDialog", "Rate"),
           QT_TRANSLATE_NOOP("TemplateDialog", "Amount"))


class TemplateDialog(QDialog):
    def __init__(self, programme: Programme, library: RateBook, templates: TemplateSet,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New facility from template"))
        self.programme, self.library, self.templates = programme, library, templates
        self.built: Built | None = None
        self.fields: dict[str, QLineEdit | QComboBox] = {}

        self.template = QComboBox()
        for t in templates.templates.values():
            self.template.addItem(t.title, t.name)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. Dialysis unit, Idlib"))
        self.name_ar = QLineEdit()
        self.name_ar.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.governorate = QComboBox()
        self.governorate.setEditable(True)
        add_choices(self.governorate, "governorates", GOVERNORATES)
        self.governorate.setCurrentText("")
        self.district = QLineEdit()
        about = QFormLayout()
        for text, widget in ((self.tr("Template"), self.template), (self.tr("Facility name"), self.name),
                             (self.tr("Name in Arabic"), self.name_ar),
                             (self.tr("Governorate"), self.governorate), (self.tr("District"), self.district)):
            about.addRow(text, widget)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.params_box = QGroupBox(self.tr("Parameters"))
        self.params = QFormLayout(self.params_box)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.total = QLabel()
        self.total.setTextFormat(Qt.TextFormat.RichText)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #a61b1b;")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        left = QVBoxLayout()
        left.addLayout(about)
        left.addWidget(self.description)
        left.addWidget(self.params_box)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.table, 1)
        right.addWidget(self.total)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 5)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(1280, 760)

        self.template.currentIndexChanged.connect(self._template_changed)
        for edit in (self.name, self.district):
            edit.textChanged.connect(self.refresh)
        self.governorate.currentTextChanged.connect(self.refresh)
        self._template_changed()

    @property
    def current(self) -> Template:
        return self.templates.get(str(self.template.currentData()))

    def _template_changed(self) -> None:
        t = self.current
        self.description.setText(t.description)
        while self.params.rowCount():
            self.params.removeRow(0)
        self.fields = {}
        for p in t.parameters:
            field = self._field(p)
            self.fields[p.name] = field
            self.params.addRow(p.label, field)
        self.refresh()

    def _field(self, p: Parameter) -> QLineEdit | QComboBox:
        if p.choices:
            combo = QComboBox()
            combo.addItems(p.choices)
            combo.setCurrentIndex(int(p.default) - 1)
            combo.currentIndexChanged.connect(self.refresh)
            return combo
        edit = QLineEdit(p.text(p.default))
        if p.minimum is not None or p.maximum is not None:
            edit.setToolTip(self.tr("{minimum} to {maximum}").format(minimum=p.minimum, maximum=p.maximum))
        edit.textChanged.connect(self.refresh)
        return edit

    def parameters(self) -> dict[str, str]:
        return {name: f.currentText() if isinstance(f, QComboBox) else f.text() for name, f in self.fields.items()}

    def refresh(self) -> None:
        """Build and price the facility for the fields as they are now, or say what is wrong."""
        self.built = None
        name = self.name.text().strip() or self.current.title
        try:
            if any(f.name == name for f in self.programme.facilities):
                raise UserError(f"the programme already has a facility called {name!r}")
            built = build_facility(self.current, self.parameters(), self.library, name,
                                   chosen_value(self.governorate), self.district.text(), self.name_ar.text())
            total = preview(self.programme, built.facility, self.library)
        except UserError as exc:
            self.problem.setText(localized(exc))
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            return
        self.built = built
        self.problem.setText("")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        rows = [(bt.bill.name, ln) for bt in total.bills for ln in bt.lines]
        self.table.setRowCount(len(rows))
        for row, (bill, ln) in enumerate(rows):
            cells = (bill, ln.item.rate_code, ln.item.description, fmt(ln.quantity), label(ln.unit), fmt(ln.rate),
                     fmt(ln.amount))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col in (3, 5, 6):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        cur, area = self.programme.currency, built.facility.floor_area
        text = self.tr("<b>Total {total} {currency}</b> — {items} items in {bills} bills").format(
            total=fmt(total.total), currency=cur, items=len(rows), bills=len(total.bills))
        if area:
            bench = self.current.benchmark(built.values)
            low, high = BENCHMARKS[bench]
            text += self.tr("; {area} m², {per_m2} {currency} per m² (indicator for {bench}: {low}-{high} USD per m²)").format(
                area=fmt(area), per_m2=fmt(per_unit(total.total, area)), currency=cur, bench=bench, low=fmt(low, 0),
                high=fmt(high, 0))
        self.total.setText(text)


def open_template_dialog(window: Shell) -> TemplateDialog | None:
    """The dialog over the window's programme; OK pushes one undoable edit and selects the new facility."""
    doc = window.doc
    if doc is None:
        return None
    templates = load_templates(book=window.library)
    if templates.problems or not templates.templates:
        window.dialogs.problems(QCoreApplication.translate("TemplateDialog", "New facility from template"),
                                QCoreApplication.translate("TemplateDialog", "The facility templates have problems "
                                                           "(`boq rates check` lists them)"), templates.problems)
        return None
    dialog = TemplateDialog(doc.programme, window.library, templates, window)

    def accepted() -> None:
        if dialog.built is None or window.doc is not doc:
            return
        facility = dialog.built.facility
        with window.dialogs.reporting(QCoreApplication.translate("TemplateDialog", "New facility from template")):
            doc.push(edits.add_facility(doc.programme, window.library, facility,
                                        QCoreApplication.translate("TemplateDialog", "New facility from template: {name}")
                                        .format(name=facility.name)))
            window.select_facility(facility.uid)
            window.show_status(QCoreApplication.translate("TemplateDialog", "Added {name} from template {title}; Edit > "
                                                                            "Undo takes it out")
                               .format(name=facility.name, title=dialog.current.title))

    dialog.accepted.connect(accepted)
    dialog.open()
    return dialog
