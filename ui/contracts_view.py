"""After award in the window: a lot's contract (Contracts view) and the programme's contracts (managers).

`ContractsView(project, dialogs)`: pick a lot; its contract BoQ (as revised by the approved
variations), variations, measured periods and certificates in tabs; buttons award the lot from a
returned bid, record a variation or a period's measurement from a CSV/XLSX file, issue the next
certificate (materials on site, final) and export the selected certificate as PDF or Excel. Every
action is the engine's (`estimator.contracts`), recorded in the open file as `boq contract` records
it; a mistake is shown in the view's dialog, never a traceback.

`ProgrammeContractsView(project)`: per awarded lot the contract sum, variations, revised sum,
certified to date and % complete, and a chart of the cumulative value certified per facility over
time (floats only to draw).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from estimator.contracts import storage
from estimator.contracts.model import Certificate, ContractItem, Ledger, Variation
from estimator.errors import UserError
from estimator.money import ZERO, to_decimal
from estimator.store import Project
from ui.dialogs import DialogService
from ui.qt import (
    QChart,
    QChartView,
    QCheckBox,
    QComboBox,
    QDateTime,
    QDateTimeAxis,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QLineSeries,
    QPainter,
    QPushButton,
    QSpinBox,
    QSplitter,
    Qt,
    QTableView,
    QTabWidget,
    QValueAxis,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.record_table import RecordTable

INPUT_FILTER = "Tables (*.csv *.xlsx)"


def _table(model: RecordTable) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.horizontalHeader().setStretchLastSection(True)
    view.setAlternatingRowColors(True)
    return view


class ContractsView(QWidget):
    """One lot's contract at a time, chosen in the lot box."""

    recorded = Signal()  # an entry (award, variation, measurement, certificate) was appended to the file

    def __init__(self, project: Project, dialogs: DialogService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project, self.dialogs = project, dialogs
        self.ledger: Ledger | None = None
        self.lot = QComboBox()
        for n, facility in enumerate(project.programme.facilities, start=1):
            self.lot.addItem(f"{n}. {facility.name}", facility.uid)
        self.lot.currentIndexChanged.connect(self.refresh)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.award_button = QPushButton(self.tr("Award from bid…"))
        self.vary_button = QPushButton(self.tr("Record variation…"))
        self.measure_button = QPushButton(self.tr("Record measurement…"))
        self.certify_button = QPushButton(self.tr("Issue certificate"))
        self.pdf_button, self.xlsx_button = QPushButton(self.tr("PDF…")), QPushButton(self.tr("Excel…"))
        self.variation_name = QLineEdit()
        self.variation_name.setPlaceholderText(self.tr("Variation name, e.g. VO-1"))
        self.period = QSpinBox()
        self.period.setRange(1, storage.MAX_PERIOD)
        self.period.setPrefix(self.tr("Period "))
        self.materials = QLineEdit()
        self.materials.setPlaceholderText(self.tr("Materials on site"))
        self.final = QCheckBox(self.tr("Final"))
        self.lang = QComboBox()
        for code, name in (("both", self.tr("English and Arabic")), ("en", self.tr("English")), ("ar", self.tr("Arabic"))):
            self.lang.addItem(name, code)
        self.award_button.clicked.connect(lambda: self.award())
        self.vary_button.clicked.connect(lambda: self.vary())
        self.measure_button.clicked.connect(lambda: self.measure())
        self.certify_button.clicked.connect(lambda: self.certify())
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        for edit in (self.variation_name, self.materials):
            edit.setMinimumWidth(150)
        top, actions = QHBoxLayout(), QHBoxLayout()
        top.addWidget(QLabel(self.tr("Lot")))
        top.addWidget(self.lot, 2)
        top.addWidget(self.award_button)
        top.addStretch(1)
        top.addWidget(QLabel(self.tr("Selected certificate:")))
        top.addWidget(self.lang)
        top.addWidget(self.pdf_button)
        top.addWidget(self.xlsx_button)
        for widget in (self.variation_name, self.vary_button, self.period, self.measure_button, self.materials,
                       self.final, self.certify_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        self.items = RecordTable(self._item_columns(), self)
        self.variations = RecordTable(self._variation_columns(), self)
        self.periods = RecordTable([(self.tr("Period"), lambda r: r[0]),
                                    (self.tr("Measured to date, % of revised sum"), lambda r: r[1])], self)
        self.certificates = RecordTable(self._certificate_columns(), self)
        self.tabs = QTabWidget()
        self.item_view, self.variation_view = _table(self.items), _table(self.variations)
        self.period_view, self.certificate_view = _table(self.periods), _table(self.certificates)
        self.tabs.addTab(self.item_view, self.tr("Contract BoQ"))
        self.tabs.addTab(self.variation_view, self.tr("Variations"))
        self.tabs.addTab(self.period_view, self.tr("Periods"))
        self.tabs.addTab(self.certificate_view, self.tr("Certificates"))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs)
        self.refresh()

    def _item_columns(self) -> list[tuple[str, Any]]:
        return [(self.tr("Item"), lambda i: i.ref), (self.tr("Description"), lambda i: i.description),
                (self.tr("Unit"), lambda i: i.unit), (self.tr("Quantity"), lambda i: i.quantity),
                (self.tr("Rate"), lambda i: i.rate), (self.tr("Amount"), lambda i: i.amount),
                (self.tr("From"), lambda i: i.origin)]

    def _variation_columns(self) -> list[tuple[str, Any]]:
        return [(self.tr("No."), lambda v: v.number), (self.tr("Name"), lambda v: v.name),
                (self.tr("Date"), lambda v: v.date.isoformat()),
                (self.tr("Status"), lambda v: self.tr("approved") if v.approved else self.tr("pending")),
                (self.tr("Lines"), lambda v: len(v.lines)), (self.tr("Value"), lambda v: v.value)]

    def _certificate_columns(self) -> list[tuple[str, Any]]:
        return [(self.tr("No."), lambda c: c.number), (self.tr("Period"), lambda c: c.period),
                (self.tr("Kind"), lambda c: self.kind_names().get(c.kind, c.kind)),
                (self.tr("Date"), lambda c: c.date.isoformat()),
                (self.tr("Gross to date"), lambda c: c.gross_to_date), (self.tr("Retention"), lambda c: c.retention),
                (self.tr("Advance recovered"), lambda c: c.advance_recovery),
                (self.tr("Amount due"), lambda c: c.amount_due)]

    def kind_names(self) -> dict[str, str]:
        return {"interim": self.tr("interim"), "final": self.tr("final account"), "release": self.tr("retention release")}

    # ---- reading -----------------------------------------------------------------------------

    def lot_uid(self) -> str:
        return str(self.lot.currentData() or "")

    def refresh(self) -> None:
        try:
            self.ledger = storage.ledger(self.project, self.lot_uid()) if self.lot_uid() else None
        except UserError as exc:
            self.ledger = None
            self.dialogs.report(self.tr("Contracts"), exc)
        ledger = self.ledger
        items: list[ContractItem] = ledger.items() if ledger else []
        variations: list[Variation] = ledger.variations if ledger else []
        certificates: list[Certificate] = ledger.certificates if ledger else []
        self.items.set_records(items)
        self.variations.set_records(variations)
        self.certificates.set_records(certificates)
        if ledger is not None:
            from estimator.contracts.measurement import progress

            self.periods.set_records([(p, progress(ledger, p)) for p in ledger.periods()])
            c = ledger.contract
            self.summary.setText(self.tr("{contractor}, awarded {date}: contract sum {sum} {currency}, revised "
                                         "{revised}; {count} certificate(s)").format(
                contractor=c.contractor, date=c.date.isoformat(), sum=f"{c.sum:,.2f}", currency=c.currency,
                revised=f"{ledger.revised_sum():,.2f}", count=len(ledger.certificates)))
            last = max([*ledger.periods(), *(x.period for x in ledger.certificates), 0])
            self.period.setValue(max(1, last if last and not ledger.certificate(last) else last + 1))
        else:
            self.periods.set_records([])
            self.summary.setText(self.tr("This lot has no contract yet: award it from the returned bid."))
        awarded, open_ = ledger is not None, ledger is not None and ledger.final_certificate() is None
        self.award_button.setEnabled(not awarded and not self.project.readonly)
        for button in (self.vary_button, self.measure_button, self.certify_button):
            button.setEnabled(open_ and not self.project.readonly)
        for view in (self.item_view, self.variation_view, self.period_view, self.certificate_view):
            view.resizeColumnsToContents()
        self.pdf_button.setEnabled(bool(certificates))
        self.xlsx_button.setEnabled(bool(certificates))

    # ---- actions -----------------------------------------------------------------------------

    def _run(self, title: str, action: Any, records: bool = True) -> Any:
        try:
            result = action()
        except UserError as exc:
            self.dialogs.report(title, exc)
            return None
        finally:
            self.refresh()
        if records:
            self.recorded.emit()
        return result

    def award(self, bid: Path | None = None) -> Ledger | None:
        from estimator.contracts.award import award

        bid = bid or self.dialogs.open_file(self.tr("Returned bid to award"), "Excel workbook (*.xlsx)")
        if bid is None:
            return None
        return self._run(self.tr("Award"), lambda: award(self.project, self.lot_uid(), bid))  # type: ignore[no-any-return]

    def vary(self, path: Path | None = None) -> Decimal | None:
        from estimator.contracts.variations import vary

        if self.ledger is None:
            return None
        path = path or self.dialogs.open_file(self.tr("Variation (CSV or Excel)"), INPUT_FILTER)
        if path is None:
            return None
        ledger = self.ledger
        done = self._run(self.tr("Variation"), lambda: vary(self.project, ledger, path, self.variation_name.text()))
        return None if done is None else done[1]

    def measure(self, path: Path | None = None) -> int | None:
        from estimator.contracts.measurement import measure

        if self.ledger is None:
            return None
        path = path or self.dialogs.open_file(self.tr("Measurement (CSV or Excel)"), INPUT_FILTER)
        if path is None:
            return None
        ledger = self.ledger
        return self._run(self.tr("Measurement"), lambda: measure(self.project, ledger, self.period.value(), path))  # type: ignore[no-any-return]

    def certify(self) -> Certificate | None:
        from estimator.contracts.certificate import FINAL, INTERIM, certify

        if self.ledger is None:
            return None
        ledger, period = self.ledger, self.period.value()

        def issue() -> Certificate:
            materials = to_decimal(self.materials.text(), self.tr("materials on site")) if self.materials.text() else ZERO
            if period not in ledger.periods():
                raise UserError(self.tr("period {period} has no measurement; record it first").format(period=period))
            return certify(self.project, ledger, period, dt.date.today(), materials,
                           FINAL if self.final.isChecked() else INTERIM)

        return self._run(self.tr("Certificate"), issue)  # type: ignore[no-any-return]

    def selected_certificate(self) -> Certificate | None:
        rows = self.certificate_view.selectionModel().selectedRows()
        records = self.certificates.records
        if rows:
            return records[rows[0].row()]  # type: ignore[no-any-return]
        return records[-1] if records else None

    def export(self, kind: str, path: Path | None = None) -> Path | None:
        from estimator.outputs import guard_output

        cert, ledger = self.selected_certificate(), self.ledger
        if cert is None or ledger is None:
            return None
        filters = "PDF document (*.pdf)" if kind == "pdf" else "Excel workbook (*.xlsx)"
        path = path or self.dialogs.save_file(self.tr("Export certificate"), filters,
                                              f"{cert.lot_name} certificate {cert.number}.{kind}")
        if path is None:
            return None

        def write() -> Path:
            guard_output(path, kind, [self.project.path], force_hint="")
            if kind == "pdf":
                from estimator.contracts.certificate_pdf import write_certificate_pdf

                write_certificate_pdf(cert, ledger.contract.terms, self.project.programme, path,
                                      str(self.lang.currentData()))
            else:
                from estimator.contracts.exports import write_certificate_xlsx

                write_certificate_xlsx(cert, ledger, path)
            return path

        return self._run(self.tr("Export certificate"), write, records=False)  # type: ignore[no-any-return]


class ProgrammeContractsView(QWidget):
    """For programme managers: every awarded lot's figures and the cumulative certified value over time."""

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.lots = RecordTable([
            (self.tr("Lot"), lambda s: s.name), (self.tr("Contractor"), lambda s: s.contractor),
            (self.tr("Contract sum"), lambda s: s.contract_sum), (self.tr("Variations"), lambda s: s.variations),
            (self.tr("Revised sum"), lambda s: s.revised_sum), (self.tr("Certified to date"), lambda s: s.certified),
            (self.tr("% complete"), lambda s: s.complete),
            (self.tr("Currency"), lambda s: s.currency)], self)
        self.table = _table(self.lots)
        self.chart_view = QChartView()
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.chart_view)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.refresh()

    def refresh(self) -> None:
        from estimator.contracts.overview import overview

        statuses = overview(self.project)
        self.lots.set_records(statuses)
        self.table.resizeColumnsToContents()
        chart = QChart()
        chart.setTitle(self.tr("Cumulative value certified per facility"))
        x_axis, y_axis = QDateTimeAxis(), QValueAxis()
        x_axis.setFormat("yyyy-MM-dd")
        y_axis.setLabelFormat("%.0f")
        y_axis.setMin(0)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        dates = [d for s in statuses for d, _ in s.history]
        for status in statuses:
            if not status.history:
                continue
            series = QLineSeries()
            series.setName(status.name)
            for day, value in status.history:
                moment = QDateTime(dt.datetime(day.year, day.month, day.day))
                series.append(float(moment.toMSecsSinceEpoch()), float(value))  # floats only to draw
            chart.addSeries(series)
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
        first, last = (min(dates), max(dates)) if dates else (dt.date.today(), dt.date.today())
        if last <= first:  # one date: a month either side, so the axis has a range
            first, last = first - dt.timedelta(days=30), last + dt.timedelta(days=30)
        x_axis.setRange(QDateTime(dt.datetime.combine(first, dt.time())), QDateTime(dt.datetime.combine(last, dt.time())))
        top = max([float(v) for s in statuses for _, v in s.history] + [0.0])
        y_axis.setRange(0.0, top * 1.1 if top > 0 else 1.0)
        y_axis.applyNiceNumbers()
        old = self.chart_view.chart()
        self.chart_view.setChart(chart)
        if old is not None:
            old.deleteLater()

    def series_names(self) -> list[str]:
        return [s.name() for s in self.chart_view.chart().series()]
