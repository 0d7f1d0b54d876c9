"""Bid evaluation in the window: add the returned workbooks, evaluate, read the ranking and anomalies.

`BidsView(programme, dialogs)` lists the bids to evaluate ("Add bid…", one workbook at a time, or
`add_bids(paths)`), runs `estimator.analysis.bids.evaluate` on the thread pool with progress and
cancel (`ui.workers.Job`), then shows what `boq bids` prints: the ranking with stated and corrected
totals, the anomalies of the selected bid, every item's bid rates beside the engineer's (abnormal
ones shaded: below blue, above orange) and the refused workbooks. "Save report…" writes the same
workbook as `boq bids --report`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from estimator.analysis.bidcheck import Anomaly
from estimator.analysis.bidrevisions import Outcome, evaluate_revisions
from estimator.analysis.bids import BidResult, Evaluation, TenderItem, evaluate, percent
from estimator.errors import UserError
from estimator.model import Programme
from estimator.money import fmt, to_decimal
from estimator.store import Project
from estimator.units import label
from ui.dialogs import DialogService, describe
from ui.plain import plain_label
from ui.qt import (
    QT_TRANSLATE_NOOP,
    QBrush,
    QColor,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QObject,
    QProgressBar,
    QPushButton,
    QSplitter,
    Qt,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from ui.record_table import Column, Index, RecordTable
from ui.settings import AppSettings
from ui.workers import Job

LOW = QColor("#DDEBF7")
HIGH = QColor("#FCE4D6")
BIDS_FILTER = "Returned tender workbooks (*.xlsx *.xlsm)"


def ranking_columns(ev: Evaluation) -> list[Column]:
    def diff(b: BidResult) -> Decimal | None:
        return Decimal(percent((b.corrected_total - ev.engineer_total) / ev.engineer_total * 100)) \
            if ev.engineer_total else None
    return [
        (QT_TRANSLATE_NOOP("Columns", "Rank"), lambda b: b.rank),
        (QT_TRANSLATE_NOOP("Columns", "Bidder"), lambda b: b.bidder), (QT_TRANSLATE_NOOP("Columns", "File"), lambda b: b.file),
        (QT_TRANSLATE_NOOP("Columns", "Stated total"), lambda b: b.stated_total),
        (QT_TRANSLATE_NOOP("Columns", "Corrected total"), lambda b: b.corrected_total),
        (QT_TRANSLATE_NOOP("Columns", "vs estimate %"), diff),
        (QT_TRANSLATE_NOOP("Columns", "Unpriced"), lambda b: b.missing),
        (QT_TRANSLATE_NOOP("Columns", "Unpriced value"), lambda b: b.missing_value),
        (QT_TRANSLATE_NOOP("Columns", "Added rows"), lambda b: b.added_amount),
        (QT_TRANSLATE_NOOP("Columns", "Low rates"), lambda b: b.low),
        (QT_TRANSLATE_NOOP("Columns", "High rates"), lambda b: b.high),
        (QT_TRANSLATE_NOOP("Columns", "Anomalies"), lambda b: len(b.anomalies)),
    ]


ANOMALY_COLUMNS: list[Column] = [
    (QT_TRANSLATE_NOOP("Columns", "Kind"), lambda a: a.kind), (QT_TRANSLATE_NOOP("Columns", "Sheet"), lambda a: a.sheet),
    (QT_TRANSLATE_NOOP("Columns", "Row"), lambda a: a.row), (QT_TRANSLATE_NOOP("Columns", "Column"), lambda a: a.column),
    (QT_TRANSLATE_NOOP("Columns", "Item"), lambda a: a.item_ref),
    (QT_TRANSLATE_NOOP("Columns", "Stated"), lambda a: a.stated),
    (QT_TRANSLATE_NOOP("Columns", "Corrected"), lambda a: a.corrected),
    (QT_TRANSLATE_NOOP("Columns", "What"), lambda a: a.message),
]


class ItemTable(RecordTable):
    """Every tendered item: the engineer's figures, then per bid its rate and % difference."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([], parent)
        self.evaluation: Evaluation | None = None

    def set_evaluation(self, ev: Evaluation) -> None:
        self.evaluation = ev
        columns: list[Column] = [
            (QT_TRANSLATE_NOOP("Columns", "Facility"), lambda it: it.facility),
            (QT_TRANSLATE_NOOP("Columns", "Item"), lambda it: it.line.item.ref),
            (QT_TRANSLATE_NOOP("Columns", "Description"), lambda it: it.line.item.description),
            (QT_TRANSLATE_NOOP("Columns", "Unit"), lambda it: label(it.line.unit)),
            (QT_TRANSLATE_NOOP("Columns", "Quantity"), lambda it: it.line.quantity),
            (QT_TRANSLATE_NOOP("Columns", "Engineer's rate"), lambda it: it.line.rate),
        ]
        for bid in ev.bids:
            columns.append((f"{bid.rank}. {bid.bidder}", _rate_of(bid)))
            columns.append(("%", _deviation_of(ev, bid)))
        self.set_records(ev.items, columns)

    def bid_of(self, column: int) -> BidResult | None:
        if self.evaluation is None or column < 6:
            return None
        return self.evaluation.bids[(column - 6) // 2]

    def extra(self, index: Index, role: int) -> Any:
        if role != Qt.ItemDataRole.BackgroundRole or self.evaluation is None:
            return None
        bid = self.bid_of(index.column())
        if bid is None:
            return None
        flag = self.evaluation.flag(self.records[index.row()], bid)
        return QBrush(LOW if flag == "low" else HIGH) if flag else None


def _rate_of(bid: BidResult) -> Any:
    return lambda it: bid.items[it.uid].rate


def _deviation_of(ev: Evaluation, bid: BidResult) -> Any:
    def deviation(it: TenderItem) -> Decimal | None:
        value = ev.deviation(it, bid)
        return None if value is None else Decimal(percent(value))
    return deviation


class BidsView(QWidget):
    """`source`: the programme's .boq file; then each bid is evaluated against the tender revision it was
    issued from (`estimator.analysis.bidrevisions`), and "Revision" picks the bids of one revision."""

    def __init__(self, programme: Programme, dialogs: DialogService, parent: QWidget | None = None,
                 source: Path | None = None) -> None:
        super().__init__(parent)
        self.programme, self.dialogs, self.source = programme, dialogs, source
        self.outcome: Outcome | None = None
        self.revision_pick = QComboBox()
        self.revision_pick.currentIndexChanged.connect(self._pick_revision)
        self.revision_note = QLabel()
        self.revision_note.setStyleSheet("font-weight: bold")
        self.paths: list[Path] = []
        self.evaluation: Evaluation | None = None
        self.job: Job | None = None
        self.summary = plain_label()
        self.files = plain_label(self.tr("No bids added yet."))
        self.files.setWordWrap(True)
        self.threshold = QLineEdit("30")
        self.threshold.setMaximumWidth(50)
        self.add_button, self.clear_button = QPushButton(self.tr("Add bid…")), QPushButton(self.tr("Clear"))
        self.run_button, self.cancel_button = QPushButton(self.tr("Evaluate")), QPushButton(self.tr("Cancel"))
        self.report_button = QPushButton(self.tr("Save report…"))
        self.progress = QProgressBar()
        self.status = plain_label()
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #B00020")
        bar = QHBoxLayout()
        for widget in (self.add_button, self.clear_button, QLabel(self.tr("Flag rates beyond ±")), self.threshold, QLabel("%"),
                       self.run_button, self.progress, self.cancel_button, self.report_button):
            bar.addWidget(widget)
        self.ranking = RecordTable([], self)
        self.anomalies = RecordTable(ANOMALY_COLUMNS, self)
        self.items = ItemTable(self)
        self.refused = RecordTable([(QT_TRANSLATE_NOOP("Columns", "File"), lambda r: r.file),
        (QT_TRANSLATE_NOOP("Columns", "Why it was refused"), lambda r: r.reason)], self)
        self.ranking_view = _view(self.ranking)
        self.tabs = QTabWidget()
        self.anomaly_view, self.item_view, self.refused_view = _view(self.anomalies), _view(self.items), _view(self.refused)
        self.tabs.addTab(self.anomaly_view, self.tr("Anomalies"))
        self.tabs.addTab(self.item_view, self.tr("Items"))
        self.tabs.addTab(self.refused_view, self.tr("Refused"))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.ranking_view)
        splitter.addWidget(self.tabs)
        splitter.setSizes([260, 560])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.files)
        revision_bar = QHBoxLayout()
        revision_bar.addWidget(self.revision_pick)
        revision_bar.addWidget(self.revision_note, 1)
        layout.addLayout(revision_bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.status)
        layout.addWidget(splitter)
        self.add_button.clicked.connect(self.ask_for_bid)
        self.clear_button.clicked.connect(self.clear)
        self.run_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.report_button.clicked.connect(self.save_report)
        self.ranking_view.selectionModel().currentRowChanged.connect(lambda current, _: self.show_bid(current.row()))
        self._update()

    # ---- the bids to evaluate ---------------------------------------------------------------

    def ask_for_bid(self) -> None:
        path = self.dialogs.open_file(self.tr("Add a returned bid"), BIDS_FILTER, AppSettings().last_folder())
        if path is not None:
            self.add_bids([path])

    def add_bids(self, paths: Sequence[Path]) -> None:
        self.paths += [Path(p) for p in paths if Path(p) not in self.paths]
        self._update()

    def clear(self) -> None:
        self.paths = []
        self._update()

    # ---- evaluating, off the GUI thread -----------------------------------------------------

    def start(self) -> None:
        if not self.paths or (self.job is not None and self.job.running):
            return
        try:
            threshold = to_decimal(self.threshold.text(), "rate threshold")
            if threshold <= 0:
                raise UserError(f"rate threshold {threshold} %: give a percentage greater than 0, e.g. 30")
        except UserError as exc:
            self.status.setText(str(exc))
            return
        programme, paths, source = self.programme, list(self.paths), self.source
        if source is None:
            self.job = Job(lambda progress: evaluate(programme, paths, threshold, progress))
            self.job.signals.done.connect(self.set_evaluation)
        else:
            def work(progress: Callable[[int, int], None]) -> Outcome:
                with Project.open(source, readonly=True) as project:
                    return evaluate_revisions(project, paths, threshold, progress)

            self.job = Job(work)
            self.job.signals.done.connect(self.set_outcome)
        self.job.signals.progress.connect(self._progress)
        self.job.signals.failed.connect(self._failed)
        self.job.signals.cancelled.connect(self._cancelled)
        self.status.setText("")
        self.job.start()
        self._update()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(self.tr("The evaluation failed: {arg0}").format(arg0=describe(exc)))
        self._update()

    def _cancelled(self) -> None:
        self.status.setText(self.tr("Evaluation cancelled."))
        self._update()

    # ---- showing the evaluation -------------------------------------------------------------

    def set_outcome(self, outcome: Outcome) -> None:
        """Bids grouped by the revision they answer; the latest revision's bids are shown first."""
        self.outcome = outcome
        if not outcome.groups:  # every workbook refused
            self.refused.set_records(outcome.refused)
            self.tabs.setTabText(2, self.tr("Refused ({refused})").format(refused=len(outcome.refused)))
            self.status.setText("; ".join(r.reason for r in outcome.refused))
            self._update()
            return
        self.revision_pick.blockSignals(True)
        self.revision_pick.clear()
        for group in outcome.groups:
            self.revision_pick.addItem(group.revision.name if group.revision else self.tr("(working state)"))
        self.revision_pick.setCurrentIndex(len(outcome.groups) - 1)
        self.revision_pick.blockSignals(False)
        self._pick_revision(len(outcome.groups) - 1)

    def _pick_revision(self, index: int) -> None:
        if self.outcome is None or not 0 <= index < len(self.outcome.groups):
            return
        group = self.outcome.groups[index]
        self.revision_note.setText(self.tr("{bids} bid(s) on {arg1}").format(bids=len(group.evaluation.bids), arg1=group.label()))
        self.revision_note.setStyleSheet("font-weight: bold" + ("; color: #B00020" if group.superseded else ""))
        ev = group.evaluation
        seen = {r.reason for r in ev.refused}
        ev.refused += [r for r in self.outcome.refused if r.reason not in seen]  # of no revision: shown with every group
        self.set_evaluation(ev)

    def set_evaluation(self, ev: Evaluation) -> None:
        self.evaluation = ev
        self.ranking.set_records(ev.bids, ranking_columns(ev))
        self.items.set_evaluation(ev)
        self.refused.set_records(ev.refused)
        self.tabs.setTabText(2, self.tr("Refused ({refused})").format(refused=len(ev.refused)))
        self.status.setText("; ".join(r.reason for r in ev.refused))
        for view in (self.ranking_view, self.refused_view):
            view.resizeColumnsToContents()
        self.item_view.resizeColumnsToContents()
        self.item_view.setColumnWidth(2, 360)
        if ev.bids:
            self.ranking_view.selectRow(0)
            self.show_bid(0)
        self._update()

    def show_bid(self, row: int) -> None:
        if self.evaluation is None or not 0 <= row < len(self.ranking.records):
            self.anomalies.set_records([])
            return
        bid: BidResult = self.ranking.records[row]
        shown: list[Anomaly] = bid.anomalies
        self.anomalies.set_records(shown)
        self.tabs.setTabText(0, self.tr("Anomalies of {bidder} ({shown})").format(bidder=bid.bidder, shown=len(shown)))
        self.anomaly_view.resizeColumnsToContents()

    def save_report(self) -> None:
        if self.evaluation is None:
            return
        path = self.dialogs.save_file(self.tr("Save the evaluation report"), self.tr("Excel workbook (*.xlsx)"),
                                      str(Path(AppSettings().last_folder()) / "bid-evaluation.xlsx"))
        if path is None:
            return
        from estimator.analysis.bids_xlsx import write_bids_xlsx
        from estimator.outputs import guard_output

        with self.dialogs.reporting(self.tr("Save report")):
            guard_output(path, "xlsx", inputs=self.paths, force_hint="")  # the .boq: another kind, refused
            write_bids_xlsx(self.evaluation, path)
            self.dialogs.info(self.tr("Save report"), self.tr("Wrote {path}").format(path=path))

    def _update(self) -> None:
        running = self.job is not None and self.job.running
        names = ", ".join(p.name for p in self.paths)
        self.files.setText(self.tr("{paths} bid(s): {names}")
                           .format(paths=len(self.paths), names=names) if self.paths else self.tr("No bids added yet."))
        self.run_button.setEnabled(bool(self.paths) and not running)
        self.add_button.setEnabled(not running)
        self.clear_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(running)
        self.revision_pick.setVisible(self.outcome is not None and len(self.outcome.groups) > 1)
        self.revision_note.setVisible(self.outcome is not None and any(g.revision for g in self.outcome.groups))
        self.report_button.setEnabled(self.evaluation is not None and not running)
        if self.evaluation is not None:
            ev = self.evaluation
            first = f"; rank 1: {ev.bids[0].bidder}, corrected total {fmt(ev.bids[0].corrected_total)}" if ev.bids else ""
            self.summary.setText(
                                 self.tr("Engineer's estimate {engineer_total} {currency}; {bids} bid(s) evaluated, "
                                         "{refused} refused{first}").format(
                                    engineer_total=fmt(ev.engineer_total), currency=ev.currency, bids=len(ev.bids),
                                    refused=len(ev.refused), first=first))


def _view(model: RecordTable) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.horizontalHeader().setStretchLastSection(True)
    view.setAlternatingRowColors(True)
    return view
