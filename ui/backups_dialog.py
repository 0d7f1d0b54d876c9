"""File › Restore backup…: the rolling backups of the open programme (see `estimator.backups`).

A backup is either opened as a copy (a new file; the programme is not touched) or put back in
place of the current contents, after asking, with a backup of the current state first; that
replacement is one undoable edit, saved like any other. Nothing is ever written over a file
without asking.
"""

from __future__ import annotations

from estimator import backups, edits
from estimator.backups import Backup
from estimator.errors import UserError
from estimator.store import load
from ui.bidi import select_row
from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)
from ui.shell import Shell

BOQ_FILTER = "BoQ programme (*.boq)"


class BackupsDialog(QDialog):
    def __init__(self, window: Shell) -> None:
        super().__init__(window)
        self.shell = window
        assert window.doc is not None
        self.setWindowTitle(self.tr("Restore backup — {name}").format(name=window.doc.path.name))
        self.backups = backups.list_backups(window.doc.path)
        layout = QVBoxLayout(self)
        text = self.tr("Backups are taken before a facility or bill is deleted, a work list is imported or a backup is "
                       "restored; the newest {keep} are kept in {folder}.").format(
                           keep=backups.KEEP, folder=backups.folder_for(window.doc.path))
        label = QLabel(text if self.backups else self.tr("No backups of this programme yet. ") + text)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(label)
        self.table = QTableWidget(len(self.backups), 5, self)
        self.table.setHorizontalHeaderLabels([self.tr("Taken"), self.tr("Why"), self.tr("Facilities"), self.tr("Items"),
                                              self.tr("Grand total")])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, b in enumerate(self.backups):
            for col, value in enumerate((f"{b.when:%Y-%m-%d %H:%M:%S}", b.reason, str(b.facilities), str(b.items), b.total)):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)
                self.table.setItem(row, col, cell)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnsToContents()
        if self.backups:
            select_row(self.table, 0)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton(self.tr("Open as a &copy…"))
        self.replace_button = QPushButton(self.tr("&Replace the current contents…"))
        for button in (self.copy_button, self.replace_button):
            button.setEnabled(bool(self.backups))
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.open_copy)
        self.replace_button.clicked.connect(self.replace)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(860, 420)

    def selected(self) -> Backup | None:
        row = self.table.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None

    def open_copy(self) -> bool:
        """Save the selected backup as a new file and open it (the programme itself is not touched)."""
        backup, doc, dialogs = self.selected(), self.shell.doc, self.shell.dialogs
        if backup is None or doc is None:
            return False
        suggested = doc.path.with_name(f"{doc.path.stem}-restored-{backup.when:%Y%m%d-%H%M%S}.boq")
        target = dialogs.save_file(self.tr("Open backup as a copy"), BOQ_FILTER, str(suggested))
        if target is None:
            return False
        target = target if target.suffix.lower() == ".boq" else target.with_name(target.name + ".boq")
        if target.exists():
            dialogs.error(self.tr("Open backup as a copy"), self.tr("{target} exists; choose a new name (nothing is "
                                                                    "written over a file)")
                          .format(target=target))
            return False
        with dialogs.reporting(self.tr("Open backup as a copy")):
            backups.copy_to(backup, target)
            if self.shell.files.open_path(target):
                self.accept()
                return True
        return False

    def replace(self) -> bool:
        """Put the backup's contents and settings in place of the current ones: asked, backed up, undoable."""
        backup, doc, dialogs = self.selected(), self.shell.doc, self.shell.dialogs
        if backup is None or doc is None:
            return False
        if not dialogs.question(
                self.tr("Replace with backup"),
                self.tr("Replace the whole contents of {name} with the backup taken {when:%Y-%m-%d %H:%M:%S} ({reason}; "
                        "{facilities} facilities, {items} items, {total})?\n\nThe current state is backed up first, and "
                        "Edit › Undo puts it back.").format(
                            name=doc.path.name, when=backup.when, reason=backup.reason, facilities=backup.facilities,
                            items=backup.items, total=backup.total)):
            return False
        try:
            restored = load(backup.path)
        except (UserError, OSError) as exc:
            dialogs.report(self.tr("Replace with backup"), exc)
            return False
        if not self.shell.backup(f"before restoring the backup of {backup.when:%Y-%m-%d %H:%M:%S}"):
            return False
        programme = doc.programme
        edit = edits.Group((edits.SetSettings(edits.Settings.of(programme), edits.Settings.of(restored)),
                            edits.ReplaceContents(edits.Contents.of(programme), edits.Contents.of(restored))),
                           self.tr("Restore backup of {when:%Y-%m-%d %H:%M}").format(when=backup.when))
        with dialogs.reporting(self.tr("Replace with backup")):
            doc.push(edit)
            self.shell.show_status(self.tr("Restored the backup of {when:%Y-%m-%d %H:%M:%S}; Edit › Undo takes it back")
                                    .format(when=backup.when))
            self.accept()
            return True
        return False
