"""Bid evaluation in the window: add the returned workbooks, evaluate per lot, edit the committee's
evaluation, read the ranking of each lot and export the comparative bid analysis (CBA).

`BidsView(programme, dialogs)` lists the bids to evaluate ("Add bids…" picks several workbooks at
once; workbooks dropped on the view are added, an evaluation CSV dropped on it is loaded; or
`add_bids(paths)`), runs the evaluation on the thread pool with progress and cancel
(`ui.workers.Job`: `estimator.analysis.bidrevisions.evaluate_revisions`, per lot by
`estimator.analysis.lots`), then shows what `boq bids` prints: the bidders with their status,
the recommendation, one tab per lot with its ranking and the anomalies of the selected bid, every
item's bid rates beside the engineer's (abnormal ones shaded: below blue, above orange) and the
refused workbooks. The Evaluation tab edits the opening record and compliance checks (the CSV of
`boq bids --evaluation`; loaded, saved, and used by the next evaluation). "Save CBA…" writes the
workbook or the PDF of `boq bids --report/--pdf`, in the language chosen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from estimator.analysis.bidcheck import Anomaly
from estimator.analysis.bidrevisions import Outcome, evaluate_revisions
from estimator.analysis.bids import BidResult, Evaluation, TenderItem, evaluate, percent
from estimator.analysis.lots import CBA, REFUSED, Lot, LotBid, evaluate_lots
from estimator.errors import UserError, localized
from estimator.model import Programme
from estimator.money import fmt, to_decimal
from estimator.store import Project
from estimator.units import label
from ui.bidi import select_row
from ui.dialogs import DialogService, describe
from ui.evaluation_table import EvaluationTable
from ui.plain import plain_label
from ui.qt import (
    QT_TRANSLATE_NOOP,
    QBrush,
    QColor,
    QComboBox,
    QDragEnterEvent,
    QDropEvent,
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
            columns.append((f"{bid.bidder} ({bid.file})", _rate_of(bid)))
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

    FIXED_TABS = 5  # Bidders, Recommendation, Evaluation, Items, Refused; then a tab per lot

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
        self.cba: CBA | None = None
        self.job: Job | None = None
        self.summary = plain_label()
        self.files = plain_label(self.tr("No bids added yet. Add the returned workbooks, or drop them here."))
        self.files.setWordWrap(True)
        self.threshold = QLineEdit("30")
        self.threshold.setMaximumWidth(50)
        self.add_button, self.clear_button = QPushButton(self.tr("Add bids…")), QPushButton(self.tr("Clear"))
        self.run_button, self.cancel_button = QPushButton(self.tr("Evaluate")), QPushButton(self.tr("Cancel"))
        self.load_button = QPushButton(self.tr("Load evaluation…"))
        self.save_evaluation_button = QPushButton(self.tr("Save evaluation…"))
        self.report_button = QPushButton(self.tr("Save CBA…"))
        self.lang = QComboBox()
        for text, code in ((self.tr("English"), "en"), (self.tr("Arabic"), "ar"), (self.tr("English and Arabic"), "both")):
            self.lang.addItem(text, code)
        self.committee = QLineEdit()
        self.committee.setPlaceholderText(self.tr("Committee: Name, role; Name, role (blank: lines to fill in)"))
        self.progress = QProgressBar()
        self.status = plain_label()
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #B00020")
        bar = QHBoxLayout()
        for widget in (self.add_button, self.clear_button, QLabel(self.tr("Flag rates beyond ±")), self.threshold,
                       QLabel("%"), self.run_button, self.progress, self.cancel_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        report_bar = QHBoxLayout()
        for tool in (self.load_button, self.save_evaluation_button, self.committee, self.lang, self.report_button):
            report_bar.addWidget(tool)
        self.bidders = RecordTable(self._bidder_columns(), self)
        self.recommendation = RecordTable(self._recommendation_columns(), self)
        self.evaluation_table = EvaluationTable(self)
        self.items = ItemTable(self)
        self.refused = RecordTable([(QT_TRANSLATE_NOOP("Columns", "File"), lambda r: r.file), (self.tr("Why it was refused"),
                                                                           lambda r: r.reason)], self)
        self.lot_rankings: list[RecordTable] = []  # one per lot tab
        self.lot_anomalies: list[RecordTable] = []
        self.tabs = QTabWidget()
        self.bidder_view, self.recommendation_view = _view(self.bidders), _view(self.recommendation)
        self.evaluation_view = _view(self.evaluation_table, editable=True)
        self.item_view, self.refused_view = _view(self.items), _view(self.refused)
        self.tabs.addTab(self.bidder_view, self.tr("Bidders"))
        self.tabs.addTab(self.recommendation_view, self.tr("Recommendation"))
        self.tabs.addTab(self.evaluation_view, self.tr("Evaluation"))
        self.tabs.addTab(self.item_view, self.tr("Items"))
        self.tabs.addTab(self.refused_view, self.tr("Refused"))
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(report_bar)
        layout.addWidget(self.files)
        revision_bar = QHBoxLayout()
        revision_bar.addWidget(self.revision_pick)
        revision_bar.addWidget(self.revision_note, 1)
        layout.addLayout(revision_bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        self.add_button.clicked.connect(self.ask_for_bids)
        self.clear_button.clicked.connect(self.clear)
        self.run_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.load_button.clicked.connect(self.ask_for_evaluation)
        self.save_evaluation_button.clicked.connect(self.save_evaluation)
        self.report_button.clicked.connect(self.save_report)
        self.setAcceptDrops(True)
        self._update()

    def _bidder_columns(self) -> list[Column]:
        return [(QT_TRANSLATE_NOOP("Columns", "Bidder"), lambda b: b.name),
                (QT_TRANSLATE_NOOP("Columns", "Workbooks"), lambda b: b.file),
                (QT_TRANSLATE_NOOP("Columns", "Status"), lambda b: b.status),
                (QT_TRANSLATE_NOOP("Columns", "Reasons"), lambda b: "; ".join(b.reasons + b.notes))]

    def _recommendation_columns(self) -> list[Column]:
        def rec(get: Callable[[LotBid], object]) -> Callable[[Lot], object]:
            return lambda lot: get(lot.recommended) if lot.recommended else None
        return [(QT_TRANSLATE_NOOP("Columns", "Lot"), lambda lot: lot.number),
                (QT_TRANSLATE_NOOP("Columns", "Name"), lambda lot: lot.name),
                (QT_TRANSLATE_NOOP("Columns", "Engineer's estimate"), lambda lot: lot.estimate),
                (QT_TRANSLATE_NOOP("Columns", "Recommended bidder"), rec(lambda e: e.bidder)),
                (QT_TRANSLATE_NOOP("Columns", "Amount"), rec(lambda e: e.corrected_total)),
                (QT_TRANSLATE_NOOP("Columns", "Difference"), rec(lambda e: e.difference.amount)),
                (QT_TRANSLATE_NOOP("Columns", "Difference %"), rec(lambda e: e.difference.percent)),
                (QT_TRANSLATE_NOOP("Columns", "Note"), lambda lot: lot.note)]

    def _ranking_columns(self) -> list[Column]:
        return [(QT_TRANSLATE_NOOP("Columns", "Rank"), lambda e: e.rank),
                (QT_TRANSLATE_NOOP("Columns", "Bidder"), lambda e: e.bidder),
                (QT_TRANSLATE_NOOP("Columns", "Workbook"), lambda e: e.file),
                (QT_TRANSLATE_NOOP("Columns", "Read total"), lambda e: e.read_total),
                (QT_TRANSLATE_NOOP("Columns", "Corrected total"), lambda e: e.corrected_total),
                (QT_TRANSLATE_NOOP("Columns", "Difference"), lambda e: e.difference.amount),
                (QT_TRANSLATE_NOOP("Columns", "Difference %"), lambda e: e.difference.percent),
                (QT_TRANSLATE_NOOP("Columns", "Status"), lambda e: e.status),
                (QT_TRANSLATE_NOOP("Columns", "Low rates"), lambda e: len(e.low)),
                (QT_TRANSLATE_NOOP("Columns", "High rates"), lambda e: len(e.high)),
                (QT_TRANSLATE_NOOP("Columns", "Notes"), self._notes)]

    def _notes(self, e: LotBid) -> str:
        return "; ".join(e.reasons + ([self.tr("abnormally low")] if e.abnormally_low else []))

    def _anomaly_columns(self) -> list[Column]:
        return [(QT_TRANSLATE_NOOP("Columns", "Kind"), lambda a: a.kind),
                (QT_TRANSLATE_NOOP("Columns", "Sheet"), lambda a: a.sheet),
                (QT_TRANSLATE_NOOP("Columns", "Row"), lambda a: a.row),
                (QT_TRANSLATE_NOOP("Columns", "Column"), lambda a: a.column),
                (QT_TRANSLATE_NOOP("Columns", "Item"), lambda a: a.item_ref),
                (QT_TRANSLATE_NOOP("Columns", "Stated"), lambda a: a.stated),
                (QT_TRANSLATE_NOOP("Columns", "Corrected"), lambda a: a.corrected),
                (QT_TRANSLATE_NOOP("Columns", "What"), lambda a: a.message)]

    # ---- the bids to evaluate ---------------------------------------------------------------

    def ask_for_bids(self) -> None:
        paths = self.dialogs.open_files(self.tr("Add returned bids"), self.tr(BIDS_FILTER), AppSettings().last_folder())
        if paths:
            self.add_bids(paths)

    def add_bids(self, paths: Sequence[Path]) -> None:
        for path in paths:
            if Path(path) not in self.paths:
                self.paths.append(Path(path))
        self._update()

    def clear(self) -> None:
        self.paths = []
        self._update()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # Qt's name
        if _dropped(event.mimeData().urls() if event.mimeData().hasUrls() else []):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # Qt's name
        dropped = _dropped(event.mimeData().urls() if event.mimeData().hasUrls() else [])
        if not dropped:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_bids([p for p in dropped if p.suffix.lower() in (".xlsx", ".xlsm")])
        for path in (p for p in dropped if p.suffix.lower() == ".csv"):
            self.load_evaluation(path)

    # ---- the committee's evaluation ---------------------------------------------------------

    def ask_for_evaluation(self) -> None:
        path = self.dialogs.open_file(self.tr("Load the evaluation"), self.tr("Evaluation file (*.csv)"),
                                      AppSettings().last_folder())
        if path is not None:
            self.load_evaluation(path)

    def load_evaluation(self, path: Path) -> None:
        with self.dialogs.reporting(self.tr("Load the evaluation")):
            self.evaluation_table.load(path)
            self.tabs.setCurrentWidget(self.evaluation_view)
            self.evaluation_view.resizeColumnsToContents()

    def save_evaluation(self) -> None:
        path = self.dialogs.save_file(self.tr("Save the evaluation"), self.tr("Evaluation file (*.csv)"),
                                      str(Path(AppSettings().last_folder()) / "evaluation.csv"))
        if path is None:
            return
        from estimator.outputs import guard_output

        with self.dialogs.reporting(self.tr("Save the evaluation")):
            guard_output(path, "csv", inputs=self.paths, force_hint="")
            self.evaluation_table.save(path)

    def committee_members(self) -> list[tuple[str, str]]:
        members = []
        for part in self.committee.text().replace("\u061b", ";").split(";"):
            name, _, role = part.replace("\u060c", ",").partition(",")  # an Arabic comma too
            if name.strip():
                members.append((name.strip()[:120], role.strip()[:120]))
        return members

    # ---- evaluating, off the GUI thread -----------------------------------------------------

    def start(self) -> None:
        if not self.paths or (self.job is not None and self.job.running):
            return
        try:
            threshold = to_decimal(self.threshold.text(), "rate threshold")
            if threshold <= 0:
                raise UserError(f"rate threshold {threshold} %: give a percentage greater than 0, e.g. 30")
            records = self.evaluation_table.records()
        except UserError as exc:
            self.status.setText(localized(exc))
            return
        programme, paths, source, committee = self.programme, list(self.paths), self.source, self.committee_members()
        if source is None:
            def alone(progress: Callable[[int, int], None]) -> tuple[Evaluation, CBA]:
                ev = evaluate(programme, paths, threshold, progress)
                return ev, evaluate_lots(programme, ev, records, None, committee)

            self.job = Job(alone)
            self.job.signals.done.connect(lambda result: self.set_evaluation(*result))
        else:
            def work(progress: Callable[[int, int], None]) -> Outcome:
                with Project.open(source, readonly=True) as project:
                    return evaluate_revisions(project, paths, threshold, progress, records, committee)

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
        self.status.setText(self.tr("The evaluation failed: {reason}").format(reason=describe(exc)))
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
            self.tabs.setTabText(4, self.tr("Refused ({count})").format(count=len(outcome.refused)))
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
        self.revision_note.setText(self.tr("{count} bid(s) on {revision}").format(count=len(group.evaluation.bids),
                                                                                  revision=group.label()))
        self.revision_note.setStyleSheet("font-weight: bold" + ("; color: #B00020" if group.superseded else ""))
        self.set_evaluation(group.evaluation, group.cba)

    def set_evaluation(self, ev: Evaluation, cba: CBA) -> None:
        self.evaluation, self.cba = ev, cba
        self.bidders.set_records(cba.bidders)
        self.recommendation.set_records(cba.lots)
        self.items.set_evaluation(ev)
        self.refused.set_records(ev.refused)
        self.tabs.setTabText(4, self.tr("Refused ({count})").format(count=len(ev.refused)))
        self.status.setText("; ".join(r.reason for r in ev.refused))
        self.evaluation_table.add_bidders([b.name for b in cba.bidders if b.status != REFUSED])
        self._lot_tabs(cba)
        for view in (self.bidder_view, self.recommendation_view, self.refused_view, self.evaluation_view):
            view.resizeColumnsToContents()
        self.item_view.resizeColumnsToContents()
        self.item_view.setColumnWidth(2, 360)
        self._update()

    def _lot_tabs(self, cba: CBA) -> None:
        while self.tabs.count() > self.FIXED_TABS:
            widget = self.tabs.widget(self.FIXED_TABS)
            self.tabs.removeTab(self.FIXED_TABS)
            if widget is not None:
                widget.deleteLater()
        self.lot_rankings, self.lot_anomalies = [], []
        for lot in cba.lots:
            ranking, anomalies = RecordTable(self._ranking_columns(), self), RecordTable(self._anomaly_columns(), self)
            ranking.set_records(lot.bids)
            ranking_view, anomaly_view = _view(ranking), _view(anomalies)
            ranking_view.selectionModel().currentRowChanged.connect(
                lambda current, _, r=ranking, a=anomalies: a.set_records(_anomalies_of(r, current.row())))
            splitter = QSplitter(Qt.Orientation.Vertical)
            splitter.addWidget(plain_label(self.tr("Lot {number}: {name} (engineer's estimate {amount} {currency})").format(
                number=lot.number, name=lot.name, amount=fmt(lot.estimate), currency=cba.currency)))
            splitter.addWidget(ranking_view)
            splitter.addWidget(anomaly_view)
            if lot.bids:
                select_row(ranking_view, 0)
                anomalies.set_records(lot.bids[0].anomalies)
            ranking_view.resizeColumnsToContents()
            self.lot_rankings.append(ranking)
            self.lot_anomalies.append(anomalies)
            self.tabs.addTab(splitter, self.tr("Lot {number} ({bids})").format(number=lot.number, bids=len(lot.bids)))

    def save_report(self) -> None:
        if self.cba is None:
            return
        path = self.dialogs.save_file(self.tr("Save the comparative bid analysis"),
                                      self.tr("Excel workbook (*.xlsx);;PDF (*.pdf)"),
                                      str(Path(AppSettings().last_folder()) / "comparative-bid-analysis.xlsx"))
        if path is None:
            return
        from estimator.outputs import guard_output

        lang = str(self.lang.currentData())
        self.cba.committee = self.committee_members()
        with self.dialogs.reporting(self.tr("Save the comparative bid analysis")):
            if path.suffix.lower() == ".pdf":
                from estimator.analysis.cba_pdf import write_cba_pdf

                guard_output(path, "pdf", inputs=self.paths, force_hint="")
                write_cba_pdf(self.cba, path, lang)
            else:
                from estimator.analysis.cba_xlsx import write_cba_xlsx

                guard_output(path, "xlsx", inputs=self.paths, force_hint="")  # the .boq: another kind, refused
                write_cba_xlsx(self.cba, path, lang)
            self.dialogs.info(self.tr("Save the comparative bid analysis"), self.tr("Wrote {path}").format(path=path))

    def _update(self) -> None:
        running = self.job is not None and self.job.running
        names = ", ".join(p.name for p in self.paths)
        self.files.setText(self.tr("{count} bid(s): {names}").format(count=len(self.paths), names=names) if self.paths else
                           self.tr("No bids added yet. Add the returned workbooks, or drop them here."))
        self.run_button.setEnabled(bool(self.paths) and not running)
        self.add_button.setEnabled(not running)
        self.clear_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(running)
        self.revision_pick.setVisible(self.outcome is not None and len(self.outcome.groups) > 1)
        self.revision_note.setVisible(self.outcome is not None and any(g.revision for g in self.outcome.groups))
        self.report_button.setEnabled(self.cba is not None and not running)
        if self.cba is not None:
            cba = self.cba
            won: dict[str, list[str]] = {}
            for award in cba.recommendation:
                won.setdefault(award.bidder, []).append(award.lot)
            who = "; ".join(self.tr("{bidder} (lots {lots})").format(bidder=name, lots=", ".join(lots))
                            for name, lots in won.items())
            text = self.tr("{lots} lot(s), {bidders} bidder(s); recommended total {amount} {currency}: {who}")
            self.summary.setText(text.format(lots=len(cba.lots), bidders=len(cba.bidders), amount=fmt(cba.recommended_total),
                                             currency=cba.currency, who=who or self.tr("no award")))


def _anomalies_of(ranking: RecordTable, row: int) -> list[Anomaly]:
    return ranking.records[row].anomalies if 0 <= row < len(ranking.records) else []


def _dropped(urls: Sequence[Any]) -> list[Path]:
    """The local workbooks and evaluation files among dropped URLs."""
    return [Path(u.toLocalFile()) for u in urls if u.isLocalFile() and
            Path(u.toLocalFile()).suffix.lower() in (".xlsx", ".xlsm", ".csv")]


def _view(model: RecordTable | EvaluationTable, editable: bool = False) -> QTableView:
    view = QTableView()
    view.setModel(model)
    if editable:
        view.horizontalHeader().setStretchLastSection(True)
        return view
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.horizontalHeader().setStretchLastSection(True)
    view.setAlternatingRowColors(True)
    return view
