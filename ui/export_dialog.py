"""Export dialog: Excel BoQ (priced or unpriced) or PDF tender pack (English, Arabic or both).

The export runs on the thread pool (`ui.workers.Job`) from the programme as saved in the .boq file
(every edit is already saved, so that is what the window shows), with a progress bar and a
Cancel button. The dialog is not modal: the window stays usable while it is open and while the
export runs. It lists the pre-export check (`ui.check_panel`) for the chosen language first, and
offers "Open file" and "Show in folder" once the file is written (through the dialog service).
Enter starts the export; it never presses Cancel. The exporters are `estimator.export.xlsx.write_xlsx` and
`estimator.export.pdf.write_pdf`; if one is missing from this build the dialog says so.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from estimator import revisions
from estimator.errors import UserError, localized
from estimator.outputs import guard_output
from estimator.store import Project
from ui.check_panel import CheckPanel
from ui.dialogs import DialogService, describe
from ui.document import Document
from ui.plain import plain_label
from ui.qt import (
    QT_TRANSLATE_NOOP,
    QButtonGroup,
    QCloseEvent,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.settings import visible_folder
from ui.workers import Job

EXPORTERS = {
    "xlsx": ("estimator.export.xlsx", "write_xlsx", QT_TRANSLATE_NOOP("ExportDialog", "Excel workbook (*.xlsx)"), "Excel"),
    "pdf": ("estimator.export.pdf", "write_pdf", QT_TRANSLATE_NOOP("ExportDialog", "PDF document (*.pdf)"), "PDF"),
}
LANGUAGES = ((QT_TRANSLATE_NOOP("ExportDialog", "English"), "en"), (QT_TRANSLATE_NOOP("ExportDialog", "Arabic (العربية)"), "ar"),
             (QT_TRANSLATE_NOOP("ExportDialog", "Bilingual: English and Arabic"), "both"))


def exporter(kind: str) -> Callable[..., Any]:
    """The exporter function for `kind`, or a UserError saying it is not in this build."""
    module_name, func, _filters, what = EXPORTERS[kind]
    try:
        module = importlib.import_module(module_name)
        return getattr(module, func)  # type: ignore[no-any-return]
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
    except AttributeError:
        pass
    raise UserError(f"{what} export is not available in this build ({module_name}.{func} is missing)")


class ExportDialog(QDialog):
    exported = Signal(object)  # the Path written

    def __init__(self, document: Document, dialogs: DialogService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export"))
        self.setModal(False)
        self.doc, self.dialogs = document, dialogs
        self.job: Job | None = None
        self.written: Path | None = None
        self.xlsx, self.pdf = QRadioButton(self.tr("Excel BoQ workbook (.xlsx)")), QRadioButton(self.tr("PDF tender pack (.pdf)"))
        self.priced, self.unpriced = (QRadioButton(self.tr("Priced (engineer's estimate)")),
                                     QRadioButton(self.tr("Unpriced (for bidders)")))
        self.xlsx.setChecked(True)
        self.priced.setChecked(True)
        self._kinds, self._pricing = QButtonGroup(self), QButtonGroup(self)
        for group, pair in ((self._kinds, (self.xlsx, self.pdf)), (self._pricing, (self.priced, self.unpriced))):
            for button in pair:
                group.addButton(button)
        self.lang = QComboBox()
        for text, code in LANGUAGES:
            self.lang.addItem(self.tr(text), code)
        self.revision = QComboBox()  # the working state, or an issued tender revision as it was issued
        self.revision.addItem(self.tr("The programme as it is (Draft unless issued)"), None)
        for rev in revisions.revisions(document.project):
            self.revision.addItem(self.tr("Tender revision {name} of {arg1}")
                                  .format(name=rev.name, arg1=rev.date.isoformat()), rev.name)
        self.path = QLineEdit(str(self._suggested("xlsx")))
        self.browse = browse = QPushButton(self.tr("Browse…"))
        browse.setAutoDefault(False)  # Enter is Export, whichever button has the focus
        browse.clicked.connect(self._browse)
        self.xlsx.toggled.connect(self._kind_changed)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.bar.setTextVisible(False)
        self.message = plain_label()
        self.message.setWordWrap(True)
        self.go = QPushButton(self.tr("Export"))
        self.go.setDefault(True)
        self.go.clicked.connect(self.start)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setAutoDefault(False)  # Enter must not cancel a running export
        self.close_button.clicked.connect(self.reject)
        self.open_button = QPushButton(self.tr("Open file"))
        self.folder_button = QPushButton(self.tr("Show in folder"))
        for push, folder in ((self.open_button, False), (self.folder_button, True)):
            push.setAutoDefault(False)
            push.setEnabled(False)
            push.clicked.connect(lambda _=False, f=folder: self._show(f))
        self.checks = CheckPanel(self)
        self.lang.currentIndexChanged.connect(self.run_check)
        self._recheck = QTimer(self)  # edits made while the dialog is open: check again once typing pauses
        self._recheck.setSingleShot(True)
        self._recheck.setInterval(400)
        self._recheck.timeout.connect(self.run_check)
        document.totals_changed.connect(self._recheck.start)
        self.run_check()

        form = QFormLayout()
        form.addRow(self.tr("Format"), self._column(self.xlsx, self.pdf))
        form.addRow(self.tr("Prices"), self._column(self.priced, self.unpriced))
        form.addRow(self.tr("Language"), self.lang)
        form.addRow(self.tr("Revision"), self.revision)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        form.addRow(self.tr("File"), path_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.go)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.checks)
        layout.addWidget(self.bar)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(760, self.sizeHint().height())

    def _column(self, *widgets: QWidget) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            layout.addWidget(widget)
        return box

    def run_check(self) -> None:
        """List what the document would show unpriced, empty or (Arabic) in English."""
        self.checks.run(self.doc.programme, str(self.lang.currentData()))

    def _show(self, folder: bool) -> None:
        if self.written is not None:
            self.dialogs.show_path(self.written, folder)

    def kind(self) -> str:
        return "xlsx" if self.xlsx.isChecked() else "pdf"

    def _suggested(self, kind: str) -> Path:
        return visible_folder(self.doc.path) / (f"{self.doc.path.stem}-{'boq' if kind == 'xlsx' else 'tender'}.{kind}")

    def _kind_changed(self) -> None:
        kind = self.kind()
        other = self._suggested("pdf" if kind == "xlsx" else "xlsx")
        text = self.path.text().strip()
        current = Path(text) if text else other
        self.path.setText(str(self._suggested(kind) if current == other else current.with_suffix("." + kind)))

    def _browse(self) -> None:
        chosen = self.dialogs.save_file(self.tr("Export to"), self.tr(EXPORTERS[self.kind()][2]), self.path.text())
        if chosen is not None:
            self.path.setText(str(chosen))

    def _say(self, text: str, bad: bool = False) -> None:
        self.message.setStyleSheet("color: #a61b1b;" if bad else "")
        self.message.setText(text)

    def _busy(self, busy: bool) -> None:
        for widget in (self.go, self.xlsx, self.pdf, self.priced, self.unpriced, self.lang, self.path, self.browse,
                       self.revision):
            widget.setEnabled(not busy)
        for button in (self.open_button, self.folder_button):
            button.setEnabled(not busy and self.written is not None)
        self.close_button.setText(self.tr("Cancel") if busy else self.tr("Close"))

    def start(self) -> None:
        kind = self.kind()
        text = self.path.text().strip()
        if not text:
            self._say(self.tr("Choose a file to export to."), bad=True)
            return
        out = Path(text).expanduser()
        if out.suffix.lower() != f".{kind}":
            out = out.with_name(out.name + f".{kind}")
            self.path.setText(str(out))
        try:
            guard_output(out, kind, inputs=[self.doc.path], force_hint="")
            write = exporter(kind)
        except UserError as exc:
            self._say(localized(exc), bad=True)
            return
        if not self.doc.readonly and not self.doc.save_now():
            self._say(self.tr("The programme could not be saved, so it cannot be exported: {save_error}")
                      .format(save_error=self.doc.save_error), bad=True)
            return
        source, priced, lang = self.doc.path, self.priced.isChecked(), str(self.lang.currentData())
        revision = self.revision.currentData()

        def work(progress: Callable[[int, int], None]) -> Path:
            with Project.open(source, readonly=True) as project:
                programme = revisions.for_documents(project, revision, lang)
            write(programme, out, priced=priced, lang=lang, progress=progress)
            return out

        self.job = Job(work)
        self.job.signals.progress.connect(self._progress)
        self.job.signals.done.connect(self._done)
        self.job.signals.failed.connect(self._failed)
        self.job.signals.cancelled.connect(self._cancelled)
        self.bar.setRange(0, 0)  # busy until the exporter reports its first step
        self.written = None
        self._busy(True)
        self._say(self.tr("Exporting to {out} …").format(out=out))
        self.job.start()

    def _progress(self, done: int, total: int) -> None:
        self.bar.setTextVisible(True)
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(min(done, max(total, 1)))

    def _finish(self) -> None:
        self._busy(False)
        self.bar.setRange(0, 1)

    def _done(self, path: Path) -> None:
        self.written = path
        self._finish()
        self.bar.setValue(1)
        self._say(self.tr("Wrote {path}").format(path=path))
        self.exported.emit(path)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        self.bar.setValue(0)
        unexpected = "" if isinstance(exc, (UserError, OSError)) else self.tr("unexpected error, please report it: ")
        self._say(self.tr("Export failed: {unexpected}{problem}").format(unexpected=unexpected, problem=describe(exc)), bad=True)

    def _cancelled(self) -> None:
        self._finish()
        self.bar.setValue(0)
        self._say(self.tr("Export cancelled; nothing was written."))

    def reject(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()
            self._say(self.tr("Cancelling …"))
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()
            event.ignore()
            return
        super().closeEvent(event)
