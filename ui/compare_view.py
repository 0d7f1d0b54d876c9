"""The facility comparison in the window: a sortable table, the charts, groups and outliers.

`CompareView.set_programme(programme)` compares (`estimator.analysis.compare`) and shows the
result; a double-click (or Enter) on a facility row, or a click on its bar in the chart, emits
`facilityActivated(uid)`, which the main window uses to open that facility. The outlier
thresholds can be changed in the view; a bad number is said in the view, not in a modal box.
"Refresh" compares again from `source()` (the window's live programme and estimate); "Excel…" and
"PDF…" write the same reports as `boq compare --xlsx/--pdf` (`estimator.analysis.report_*`) on
the thread pool, asking for the file through the dialog service.
Models keep the Decimal figures; floats are made only for the chart bars.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from estimator.analysis import charts
from estimator.analysis.compare import ALL_TRADES, Comparison, FacilityRow, Outlier, Thresholds, compare
from estimator.errors import UserError, localized
from estimator.model import Programme
from estimator.money import fmt, to_decimal
from estimator.outputs import guard_output
from estimator.pricing import Estimate
from ui.dialogs import DialogService, describe
from ui.plain import plain_label, plain_tooltip
from ui.qt import (
    QT_TRANSLATE_NOOP,
    USER_ROLE,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QBrush,
    QChart,
    QChartView,
    QColor,
    QCoreApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QModelIndex,
    QObject,
    QPainter,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedBarSeries,
    Qt,
    QTableView,
    QTabWidget,
    QValueAxis,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.record_table import Column, Index, RecordTable
from ui.settings import AppSettings
from ui.workers import Job

UID_ROLE = USER_ROLE + 1
REPORTS = {  # kind: (module, function, file filter)
    "xlsx": ("estimator.analysis.report_xlsx", "write_comparison_xlsx",
             QT_TRANSLATE_NOOP("CompareView", "Excel workbook (*.xlsx)")),
    "pdf": ("estimator.analysis.report_pdf", "write_comparison_pdf", QT_TRANSLATE_NOOP("CompareView", "PDF document (*.pdf)")),
}
Source = Callable[[], tuple[Programme, Estimate | None]]
FLAG_COLOUR = QColor("#FCE4D6")


class FacilityTable(RecordTable):
    """One row per facility: figures, flags and every trade's total; the tooltip says why."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([], parent)
        self.comparison: Comparison | None = None
        self.reasons: dict[tuple[str, str], str] = {}

    def set_comparison(self, c: Comparison) -> None:
        self.comparison = c
        self.reasons = {(o.facility_uid, o.trade): o.reason for o in c.outliers}
        flags = {f.uid: sum(1 for o in c.outliers if o.facility_uid == f.uid) for f in c.facilities}
        columns: list[Column] = [
            (QT_TRANSLATE_NOOP("Columns", "Facility"), lambda f: f.name),
            (QT_TRANSLATE_NOOP("Columns", "Type"), lambda f: f.facility_type),
            (QT_TRANSLATE_NOOP("Columns", "Governorate"), lambda f: f.governorate),
            (QT_TRANSLATE_NOOP("Columns", "Floor m²"), lambda f: f.floor_area),
            (QT_TRANSLATE_NOOP("Columns", "Beds"), lambda f: f.beds),
            (QCoreApplication.translate("Columns", "Total {currency}").format(currency=c.currency), lambda f: f.total),
            (QT_TRANSLATE_NOOP("Columns", "Per m²"), lambda f: f.per_m2),
            (QT_TRANSLATE_NOOP("Columns", "Per bed"), lambda f: f.per_bed),
            (QT_TRANSLATE_NOOP("Columns", "Flags"), lambda f: flags[f.uid] or None),
        ]
        columns += [(trade, _trade_getter(trade)) for trade in c.trades]
        self.set_records(c.facilities, columns)

    def trade_of(self, column: int) -> str | None:
        """The trade a column shows (per m² counts as all trades), or None."""
        if column == 6:
            return ALL_TRADES
        if self.comparison and column >= 9:
            return self.comparison.trades[column - 9]
        return None

    def extra(self, index: Index, role: int) -> Any:
        row: FacilityRow = self.records[index.row()]
        if role == UID_ROLE:
            return row.uid
        trade = self.trade_of(index.column())
        if role == Qt.ItemDataRole.BackgroundRole and trade and (row.uid, trade) in self.reasons:
            return QBrush(FLAG_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole:
            if trade and (row.uid, trade) in self.reasons:
                return plain_tooltip(self.reasons[(row.uid, trade)])
            if trade and trade != ALL_TRADES and row.trade_per_m2(trade) is not None:
                return plain_tooltip(self.tr("{trade}: {arg1} per m² of floor")
                                     .format(trade=trade, arg1=fmt(row.trade_per_m2(trade))))
            mine = [r for (uid, _), r in self.reasons.items() if uid == row.uid]
            return plain_tooltip("\n".join(mine)) if mine else None
        return None


def _trade_getter(trade: str) -> Callable[[FacilityRow], object]:
    return lambda f: f.trades.get(trade)


GROUP_COLUMNS: list[Column] = [
    (QT_TRANSLATE_NOOP("Columns", "Group"), lambda g: g.name),
    (QT_TRANSLATE_NOOP("Columns", "Facilities"), lambda g: len(g.facilities)),
    (QT_TRANSLATE_NOOP("Columns", "Total"), lambda g: g.total),
    (QT_TRANSLATE_NOOP("Columns", "Median total"), lambda g: g.median_total),
    (QT_TRANSLATE_NOOP("Columns", "Min per m²"), lambda g: g.min_per_m2),
    (QT_TRANSLATE_NOOP("Columns", "Median per m²"), lambda g: g.median_per_m2),
    (QT_TRANSLATE_NOOP("Columns", "Max per m²"), lambda g: g.max_per_m2),
    (QT_TRANSLATE_NOOP("Columns", "Median per bed"), lambda g: g.median_per_bed),
]
OUTLIER_COLUMNS: list[Column] = [
    (QT_TRANSLATE_NOOP("Columns", "Facility"), lambda o: o.facility),
    (QT_TRANSLATE_NOOP("Columns", "Trade"), lambda o: o.trade), (QT_TRANSLATE_NOOP("Columns", "Per m²"), lambda o: o.per_m2),
    (QT_TRANSLATE_NOOP("Columns", "Median per m²"), lambda o: o.median),
    (QT_TRANSLATE_NOOP("Columns", "Ratio"), lambda o: o.ratio),
    (QT_TRANSLATE_NOOP("Columns", "Flag"), lambda o: QCoreApplication.translate("Columns", "high" if o.high else "low")),
    (QT_TRANSLATE_NOOP("Columns", "Why"), lambda o: o.reason),
]
FLAG_WORDS = (QT_TRANSLATE_NOOP("Columns", "high"), QT_TRANSLATE_NOOP("Columns", "low"))  # the Flag column, translated


class OutlierTable(RecordTable):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(OUTLIER_COLUMNS, parent)

    def extra(self, index: Index, role: int) -> Any:
        outlier: Outlier = self.records[index.row()]
        if role == UID_ROLE:
            return outlier.facility_uid
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(outlier.reason)
        return None


def stacked_chart(c: Comparison) -> QChart:
    data = charts.stacked_totals(c)
    chart = QChart()
    chart.setTitle(QCoreApplication.translate("CompareView", "Total per facility by trade ({currency})")
                   .format(currency=c.currency))
    series = QStackedBarSeries()
    for index, (trade, values) in enumerate(zip(data.trades, data.values, strict=True)):
        bar_set = QBarSet(trade)
        bar_set.append([float(v) for v in values])  # floats only to draw
        bar_set.setColor(QColor(f"#{charts.colour(index)}"))
        bar_set.setBorderColor(QColor(f"#{charts.colour(index)}"))
        series.append(bar_set)
    chart.addSeries(series)
    _axes(chart, series, data.facilities, c.currency, angle=-90)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    return chart


def per_m2_chart(c: Comparison) -> QChart:
    data = charts.per_m2_by_type(c)
    chart = QChart()
    chart.setTitle(QCoreApplication.translate("CompareView", "Cost per m² of floor by facility type ({currency})")
                   .format(currency=c.currency))
    series = QBarSeries()
    for name, values, shade in ((QCoreApplication.translate("CompareView", "Minimum per m²"), data.minimum, "#9ECAE1"),
                                (QCoreApplication.translate("CompareView", "Median per m²"), data.median, "#2171B5"),
                                (QCoreApplication.translate("CompareView", "Maximum per m²"), data.maximum, "#08306B")):
        bar_set = QBarSet(name)
        bar_set.append([float(v) for v in values])
        bar_set.setColor(QColor(shade))
        series.append(bar_set)
    chart.addSeries(series)
    _axes(chart, series, data.types, QCoreApplication.translate("CompareView", "{currency} per m²").format(currency=c.currency),
          angle=0)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    return chart


def _axes(chart: QChart, series: QBarSeries | QStackedBarSeries, categories: list[str], unit: str, angle: int) -> None:
    x_axis = QBarCategoryAxis()
    x_axis.append(categories)
    x_axis.setLabelsAngle(angle)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(x_axis)
    y_axis = QValueAxis()
    y_axis.setLabelFormat("%.0f")
    y_axis.setTitleText(unit)
    y_axis.setMin(0)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(y_axis)
    y_axis.applyNiceNumbers()


def _replace_chart(view: QChartView, chart: QChart) -> None:
    """Show `chart`; the view releases the old chart without deleting it, so delete it here."""
    old = view.chart()
    view.setChart(chart)
    if old is not None:
        old.deleteLater()


class CompareView(QWidget):
    facilityActivated = Signal(str)

    def __init__(self, parent: QWidget | None = None, dialogs: DialogService | None = None) -> None:
        super().__init__(parent)
        self.programme: Programme | None = None
        self.estimate: Estimate | None = None
        self.inputs: list[Path] = []  # files a report must never be written over (the open programme)
        self.comparison: Comparison | None = None
        self.dialogs = dialogs
        self.source: Source | None = None
        self.job: Job | None = None
        self.written: Path | None = None
        self.summary = plain_label()
        self.status = plain_label()
        self.status.setStyleSheet("color: #B00020")
        self.high, self.low = QLineEdit("2"), QLineEdit("0.5")
        for edit in (self.high, self.low):
            edit.setMaximumWidth(60)
            edit.editingFinished.connect(self.refresh)
        self.summary.setWordWrap(True)
        self.status.setWordWrap(True)
        bar = QHBoxLayout()  # the summary wraps, so the bar fits a 1366-pixel screen with its buttons
        bar.addWidget(self.summary, 3)
        bar.addWidget(self.status, 1)
        bar.addWidget(QLabel(self.tr("Flag per m² above")))
        bar.addWidget(self.high)
        bar.addWidget(QLabel(self.tr("× or below")))
        bar.addWidget(self.low)
        bar.addWidget(QLabel(self.tr("× the median of the type")))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Compare again with the programme as it is now"))
        self.refresh_button.clicked.connect(self.reload)
        self.xlsx_button, self.pdf_button = QPushButton(self.tr("Excel…")), QPushButton(self.tr("PDF…"))
        for button, kind in ((self.xlsx_button, "xlsx"), (self.pdf_button, "pdf")):
            button.setToolTip(self.tr("Write this comparison as a {arg0} report with charts").format(arg0=kind.upper()))
            button.clicked.connect(lambda _=False, k=kind: self.export(k))
            button.setEnabled(dialogs is not None)
        for button in (self.refresh_button, self.xlsx_button, self.pdf_button):
            bar.addWidget(button)
        self.facilities = FacilityTable(self)
        self.table = self._view(self.facilities)
        self.by_type, self.by_governorate = RecordTable(GROUP_COLUMNS, self), RecordTable(GROUP_COLUMNS, self)
        self.outliers = OutlierTable(self)
        self.outlier_view = self._view(self.outliers)
        self.stacked_view, self.per_m2_view = QChartView(), QChartView()
        for view in (self.stacked_view, self.per_m2_view):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.stacked_view)
        self.tabs = QTabWidget()
        self.tabs.addTab(scroll, self.tr("Totals by trade"))
        self.tabs.addTab(self.per_m2_view, self.tr("Cost per m² by type"))
        self.tabs.addTab(self.outlier_view, self.tr("Outliers"))
        self.group_views = (self._view(self.by_type), self._view(self.by_governorate))
        self.tabs.addTab(self.group_views[0], self.tr("By facility type"))
        self.tabs.addTab(self.group_views[1], self.tr("By governorate"))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.tabs)
        splitter.setSizes([420, 480])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter)
        self.table.activated.connect(self._activated)
        self.outlier_view.activated.connect(self._activated)

    def _view(self, model: RecordTable) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # programme order until clicked
        view.setSortingEnabled(True)
        view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        view.horizontalHeader().setStretchLastSection(True)
        view.setAlternatingRowColors(True)
        return view

    def set_programme(self, programme: Programme, estimate: Estimate | None = None) -> None:
        self.programme, self.estimate = programme, estimate
        self.refresh()

    def set_source(self, source: Source) -> None:
        """Where Refresh takes the programme and its estimate from; compares now."""
        self.source = source
        self.reload()

    def reload(self) -> None:
        if self.source is not None:
            self.set_programme(*self.source())

    def export(self, kind: str, path: Path | None = None) -> Job | None:
        """Write the comparison shown as a report (`kind` xlsx or pdf); the file is asked for when not given."""
        if self.comparison is None or self.dialogs is None or (self.job is not None and self.job.running):
            return None
        module, func, filters = REPORTS[kind]
        if path is None:
            name = f"{self.programme.name if self.programme else 'programme'}-comparison.{kind}"
            path = self.dialogs.save_file(self.tr("Export comparison"), self.tr(filters),
                                          str(Path(AppSettings().last_folder()) / name))
            if path is None:
                return None
        out = path if path.suffix.lower() == f".{kind}" else path.with_name(f"{path.name}.{kind}")
        try:
            guard_output(out, kind, self.inputs, force_hint="")
        except UserError as exc:
            self.dialogs.error(self.tr("Export comparison"), localized(exc))
            return None
        write, comparison = getattr(importlib.import_module(module), func), self.comparison

        def work(_progress: Callable[[int, int], None]) -> Path:
            write(comparison, out)
            return out

        self.job = Job(work)
        self.job.signals.done.connect(self._written)
        self.job.signals.failed.connect(lambda exc: self.status.setText(self.tr("Export failed: {arg0}")
                                                                        .format(arg0=describe(exc))))
        self.status.setText(self.tr("Writing {out} …").format(out=out))
        self.job.start()
        return self.job

    def _written(self, path: Path) -> None:
        self.written = path
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Wrote {path}").format(path=path))
        if self.dialogs is not None and self.dialogs.question(self.tr("Comparison exported"), self.tr("Wrote {path}. Open it?")
                                                              .format(path=path)):
            self.dialogs.show_path(path)

    def thresholds(self) -> Thresholds:
        return Thresholds(to_decimal(self.high.text(), "high threshold"), to_decimal(self.low.text(), "low threshold"))

    def refresh(self) -> None:
        if self.programme is None:
            return
        try:
            thresholds = self.thresholds()
        except UserError as exc:
            self.status.setText(localized(exc))
            return
        self.status.setText("")
        self.status.setStyleSheet("color: #B00020")
        self.set_comparison(compare(self.programme, self.estimate, thresholds))

    def set_comparison(self, c: Comparison) -> None:
        self.comparison = c
        self.facilities.set_comparison(c)
        self.by_type.set_records(c.by_type)
        self.by_governorate.set_records(c.by_governorate)
        self.outliers.set_records(c.outliers)
        self.tabs.setTabText(2, self.tr("Outliers ({outliers})").format(outliers=len(c.outliers)))
        self.summary.setText(self.tr("{facilities} facilities, {currency}, totals before markups; {outliers} outlier flag(s)")
                             .format(facilities=len(c.facilities), currency=c.currency, outliers=len(c.outliers)))
        for view in (self.table, self.outlier_view, *self.group_views):
            view.resizeColumnsToContents()
        # the reason fills what is left of the width; the whole text is in the tooltip
        self.outlier_view.horizontalHeader().setSectionResizeMode(len(OUTLIER_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        _replace_chart(self.stacked_view, stacked_chart(c))
        self.stacked_view.setMinimumWidth(max(600, 26 * len(c.facilities) + 260))
        _replace_chart(self.per_m2_view, per_m2_chart(c))
        series = self.stacked_view.chart().series()
        if series and isinstance(series[0], QStackedBarSeries):
            series[0].clicked.connect(self._bar_clicked)

    def _bar_clicked(self, index: int, _bar_set: QBarSet) -> None:
        if self.comparison and 0 <= index < len(self.comparison.facilities):
            self.facilityActivated.emit(self.comparison.facilities[index].uid)

    def _activated(self, index: QModelIndex) -> None:
        uid = index.model().data(index, UID_ROLE)
        if uid:
            self.facilityActivated.emit(uid)

