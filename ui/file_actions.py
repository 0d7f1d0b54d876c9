"""File commands: New, Open, Open Recent, Save As, Import work list, Export, Programme settings.

Every failure a user can cause goes through the dialog service (`DialogService.report`). A file
that another window has open is offered read-only. The work-list import runs on the thread pool
against a copy of the programme read from its file; the result replaces the programme's contents
as one undoable edit, or its problems are listed in a dialog and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from estimator import edits
from estimator.errors import FileLocked, UserError
from estimator.imports import previous_import
from estimator.model import Bill, Facility, Programme
from estimator.outputs import guard_output
from estimator.particulars_edit import set_particulars
from estimator.rates import current_library
from estimator.sample import new_programme
from estimator.store import Project, load
from estimator.worklist import import_worklist
from ui.dialogs import DialogService
from ui.document import Document, ReadOnly
from ui.export_dialog import ExportDialog
from ui.qt import QCoreApplication, QMenu, QObject
from ui.settings import AppSettings, visible_folder
from ui.settings_dialog import SettingsDialog
from ui.shell import Shell
from ui.workers import Job

BOQ_FILTER = "BoQ programme (*.boq)"
WORKLIST_FILTER = "Work list (*.csv *.xlsx);;All files (*)"


class FileActions(QObject):
    def __init__(self, window: Shell, dialogs: DialogService, settings: AppSettings) -> None:
        super().__init__(window)
        self.window, self.dialogs, self.settings = window, dialogs, settings
        self.import_job: Job | None = None
        self.export_dialog: ExportDialog | None = None
        self.settings_dialog: SettingsDialog | None = None

    @property
    def doc(self) -> Document | None:
        return self.window.doc

    # ---- opening ---------------------------------------------------------------------------

    def open_path(self, path: Path) -> bool:
        """Open `path` in the window; False (after telling the user why) if it cannot be opened."""
        if self.doc is not None and path.resolve() == self.doc.path.resolve():
            return True  # already open here
        if self.doc is not None and not self.window.settle_input(self.tr("Open another programme")):
            return False
        try:
            try:
                doc = Document.open(path)
            except FileLocked as exc:
                if not self.dialogs.question(self.tr("File in use"), self.tr("{exc}\n\nOpen it read-only? You can look, "
                                                                             "print and export, and use Save As to work on "
                                                                             "a copy.")
                                             .format(exc=exc)):
                    return False
                doc = Document.open(path, readonly=True)
        except (UserError, OSError) as exc:
            self.dialogs.report(self.tr("Cannot open programme"), exc)
            if not path.exists():
                self.settings.remove_recent(path)
            return False
        self.window.set_document(doc)
        self.settings.add_recent(path)
        self.settings.set_last_folder(path)
        return True

    def open_file(self) -> None:
        path = self.dialogs.open_file(self.tr("Open programme"), BOQ_FILTER, self.settings.last_folder())
        if path is not None:
            self.open_path(path)

    def new_file(self) -> None:
        path = self.dialogs.save_file(self.tr("New programme"), BOQ_FILTER, self.settings.last_folder())
        if path is None:
            return
        path = path if path.suffix.lower() == ".boq" else path.with_name(path.name + ".boq")
        with self.dialogs.reporting(self.tr("Cannot create programme")):
            guard_output(path, "boq", force_hint="")
            Project.create(path, blank_programme(path.stem)).close()
            self.open_path(path)

    def save_as(self) -> None:
        if self.doc is None:
            return
        suggested = visible_folder(self.doc.path) / f"{self.doc.path.stem}-copy.boq"
        path = self.dialogs.save_file(self.tr("Save programme as"), BOQ_FILTER, str(suggested))
        if path is None:
            return
        path = path if path.suffix.lower() == ".boq" else path.with_name(path.name + ".boq")
        if path.resolve() == self.doc.path.resolve():
            self.window.save()
            return
        try:  # never over a file of another kind, an open programme, or this programme's own files
            guard_output(path, "boq", inputs=[self.doc.path], force_hint="")
        except UserError as exc:
            self.dialogs.report(self.tr("Cannot save programme"), exc)
            return
        replacing = path.exists()
        if replacing and not self.dialogs.question(self.tr("Replace file"), self.tr("{path} exists. Replace it?")
                                                   .format(path=path)):
            return
        with self.dialogs.reporting(self.tr("Cannot save programme")):
            if self.doc.readonly:  # a read-only copy becomes a file of our own, opened for editing
                Project.create(path, self.doc.programme, overwrite=True, keep_from=self.doc.project).close()
                self.open_path(path)
                return
            self.doc.save_as(path)
            self.settings.add_recent(path)
            self.window.update_title()

    def fill_recent(self, menu: QMenu) -> None:
        menu.clear()
        files = self.settings.recent_files()
        for path in files:
            action = menu.addAction(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))
        if not files:
            menu.addAction("(none)").setEnabled(False)

    # ---- import, export, settings ------------------------------------------------------------

    def import_worklist(self) -> None:
        doc = self.doc
        if doc is None or self.import_job is not None:
            return
        if doc.readonly:
            self.dialogs.report(self.tr("Import work list"), ReadOnly(doc.path))
            return
        path = self.dialogs.open_file(self.tr("Import work list"), WORKLIST_FILTER, self.settings.last_folder())
        if path is None or not self._import_again(doc, path) or not doc.save_now():
            return
        source, library, position = doc.path, doc.library, doc.undo_stack.index()

        def work(progress: Callable[[int, int], None]) -> tuple[Programme, object]:
            programme = load(source)
            result = import_worklist(programme, path, library)
            return programme, result

        def done(result: tuple[Programme, object]) -> None:
            self._import_finished()
            programme, summary = result
            if self.doc is not doc or doc.undo_stack.index() != position:
                self.dialogs.error(self.tr("Import work list"),
                                   self.tr("the programme changed during the import; import it again"))
                return
            if not self.window.backup(f"before importing {path.name}"):
                return
            replace = edits.ReplaceContents(edits.Contents.of(doc.programme), edits.Contents.of(programme))
            doc.push(edits.group([replace, edits.SetImported.between(doc.programme, programme)],
                                 self.tr("Import {name}").format(name=path.name)))
            self.window.show_status(self.tr("Imported {name}: {items} items, {facilities} new facilities (Undo takes it back)")
                                    .format(name=path.name, items=getattr(summary, "items", 0),
                                            facilities=getattr(summary, "facilities", 0)))

        def failed(exc: BaseException) -> None:
            self._import_finished()
            self.dialogs.report(QCoreApplication.translate("FileActions", "Import work list"), exc)

        self.import_job = Job(work)
        self.import_job.signals.done.connect(done)
        self.import_job.signals.failed.connect(failed)
        self.window.setEnabled(False)  # a window-wide wait: the import replaces what is being edited
        self.window.show_status(self.tr("Importing {name} …").format(name=path.name))
        self.import_job.start()

    def _import_again(self, doc: Document, path: Path) -> bool:
        """True to go on: the work list is new to this programme, or the user wants it again."""
        before = previous_import(doc.programme, path)
        return before is None or self.dialogs.question(
            self.tr("Import work list"), self.tr("The same work list was imported before ({before}).\n\nImport it again? "
                                                 "Its items would be added a second time.").format(before=before))

    def _import_finished(self) -> None:
        self.import_job = None
        self.window.setEnabled(True)

    def export(self) -> ExportDialog | None:
        if self.doc is None:
            return None
        self.export_dialog = ExportDialog(self.doc, self.dialogs, self.window)
        self.export_dialog.exported.connect(lambda p: self.window.show_status(self.tr("Exported {p}").format(p=p)))
        self.export_dialog.checks.locate.connect(self.window.nav.go_to)
        self.export_dialog.show()  # not modal: the window stays usable (README)
        return self.export_dialog

    def edit_settings(self) -> SettingsDialog | None:
        doc = self.doc
        if doc is None:
            return None
        dialog = SettingsDialog(doc.programme, sorted(current_library().fx_per_usd), self.window)
        self.settings_dialog = dialog

        def accepted() -> None:
            if dialog.settings is not None and self.doc is doc:
                with self.dialogs.reporting(QCoreApplication.translate("FileActions", "Programme settings")):
                    change = edits.SetSettings(edits.Settings.of(doc.programme), dialog.settings)
                    terms = set_particulars(doc.programme, dialog.particulars) if dialog.particulars else None
                    doc.push(edits.group([change, terms], change.label))

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog


def blank_programme(name: str) -> Programme:
    """A new programme: the library's exchange rates, one facility with one bill to start typing in."""
    programme = new_programme(name)
    programme.facilities.append(Facility("Facility 1", bills=[Bill("1 Preliminaries")]))
    return programme
