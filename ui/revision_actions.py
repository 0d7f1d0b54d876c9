"""File › Issue tender revision…: freeze the programme as it is as a named revision (`estimator.revisions`).

The dialog asks for the name (the next "Rev N" is suggested) and the date of issue and lists the
revisions already issued. "Issue" saves pending edits, then snapshots and checks the programme as
saved (`revisions.freeze`, about a second at 80 x 300) on the thread pool while the window stays
usable, and stores it in one transaction of the open file (`revisions.store`). If the programme was
edited meanwhile, nothing is stored and the user is asked to issue again. A name already issued, or
a read-only file, is reported through the dialog service. On a server programme the programme may be
read-only for the account (procurement) while the revision is still made, and `Document.recorded`
sends it to the server (`ui.server_actions.ServerLink`).
"""

from __future__ import annotations

import datetime as dt

from estimator import revisions
from estimator.money import fmt
from estimator.store import load
from ui.dialogs import DialogService
from ui.document import Document, ReadOnly
from ui.qt import (
    QT_TRANSLATE_NOOP,
    QDate,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from ui.workers import Job

TITLE = QT_TRANSLATE_NOOP("IssueRevisionDialog", "Issue tender revision")


class IssueRevisionDialog(QDialog):
    def __init__(self, document: Document, dialogs: DialogService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr(TITLE))
        self.doc, self.dialogs = document, dialogs
        self.issued: revisions.Revision | None = None
        known = revisions.revisions(document.project)
        self.name = QLineEdit(revisions.next_name(known))
        today = dt.date.today()
        self.date = QDateEdit(QDate(today.year, today.month, today.day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        listed = "\n".join(self.tr("{name}  ·  {date}  ·  {items} items  ·  {total} {currency}").format(
            name=r.name, date=r.date.isoformat(), items=r.items, total=fmt(r.total), currency=r.currency) for r in known) \
            or self.tr("none yet")
        note = QLabel(self.tr("Freezes the lots, bills, items, quantities, rates and settings the tender documents are "
                              "made from. An issued revision never changes: File › Export can reproduce it, and returned "
                              "bids are evaluated against it.\n\nIssued so far:\n{listed}")
                      .format(listed=listed))
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Date of issue"), self.date)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Issue"))
        self.buttons.accepted.connect(self.issue)
        self.buttons.rejected.connect(self.reject)
        self.status = QLabel()
        self.job: Job | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(460, 300)

    def issue(self) -> None:
        doc = self.doc
        if self.job is not None and self.job.running:
            return
        with self.dialogs.reporting(self.tr(TITLE)):
            if doc.project.readonly:  # a programme read-only for a server account still takes its revisions
                raise ReadOnly(doc.path)
            if not doc.tenders:
                raise revisions.RevisionError(self.tr("your server account may not issue tender revisions: procurement "
                                                      "accounts (boq_procurement) do"))
            name = revisions.clean_name(doc.project, self.name.text())
            if not doc.save_now():
                raise revisions.RevisionError(f"the programme could not be saved, so it cannot be issued: {doc.save_error}")
            qdate = self.date.date()
            date = dt.date(qdate.year(), qdate.month(), qdate.day())
            source, position = doc.path, doc.undo_stack.index()
            self.job = Job(lambda progress: revisions.freeze(load(source), name, date))
            self.job.signals.done.connect(lambda frozen: self._store(frozen, position))
            self.job.signals.failed.connect(self._failed)
            self.buttons.setEnabled(False)
            self.status.setText(self.tr("Issuing {name} …").format(name=name))
            self.job.start()

    def _store(self, frozen: revisions.Frozen, position: int) -> None:
        self.buttons.setEnabled(True)
        self.status.setText("")
        if self.doc.undo_stack.index() != position:
            self.dialogs.error(self.tr(TITLE), self.tr("the programme changed while the revision was being made; issue it again"))
            return
        with self.dialogs.reporting(self.tr(TITLE)):
            self.issued = revisions.store(self.doc.project, frozen)
            self.doc.recorded.emit()
            self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.status.setText("")
        self.dialogs.report(self.tr(TITLE), exc)
