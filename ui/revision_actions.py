"""File › Issue tender revision…: freeze the programme as it is as a named revision (`estimator.revisions`).

The dialog asks for the name (the next "Rev N" is suggested) and the date of issue and lists the
revisions already issued. Accepting saves pending edits and issues the revision in one transaction
of the open file; a name already issued, or a read-only file, is reported through the dialog service.
"""

from __future__ import annotations

import datetime as dt
import re

from estimator import revisions
from estimator.money import fmt
from ui.dialogs import DialogService
from ui.document import Document, ReadOnly
from ui.qt import QDate, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget


def next_name(issued: list[revisions.Revision]) -> str:
    """"Rev 0" for the first revision, then one more than the highest "Rev N" issued."""
    numbers = [int(m.group(1)) for r in issued if (m := re.fullmatch(r"Rev (\d+)", r.name))]
    return f"Rev {max(numbers) + 1 if numbers else len(issued)}"


class IssueRevisionDialog(QDialog):
    def __init__(self, document: Document, dialogs: DialogService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Issue tender revision")
        self.doc, self.dialogs = document, dialogs
        self.issued: revisions.Revision | None = None
        known = revisions.revisions(document.project)
        self.name = QLineEdit(next_name(known))
        today = dt.date.today()
        self.date = QDateEdit(QDate(today.year, today.month, today.day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        listed = "\n".join(f"{r.name}  ·  {r.date.isoformat()}  ·  {r.items} items  ·  {fmt(r.total)} {r.currency}"
                           for r in known) or "none yet"
        note = QLabel("Freezes the lots, bills, items, quantities, rates and settings the tender documents are made "
                      "from. An issued revision never changes: File › Export can reproduce it, and returned bids are "
                      f"evaluated against it.\n\nIssued so far:\n{listed}")
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Date of issue", self.date)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Issue")
        buttons.accepted.connect(self.issue)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(460, 300)

    def issue(self) -> None:
        doc = self.doc
        with self.dialogs.reporting("Issue tender revision"):
            if doc.readonly:
                raise ReadOnly(doc.path)
            if not doc.save_now():
                raise revisions.RevisionError(f"the programme could not be saved, so it cannot be issued: {doc.save_error}")
            qdate = self.date.date()
            self.issued = revisions.issue(doc.project, self.name.text(), dt.date(qdate.year(), qdate.month(), qdate.day()),
                                          programme=doc.programme)
            self.accept()
