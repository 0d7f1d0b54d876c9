"""File › Open from server…: work on a programme on the team's PostgreSQL server, live.

The programme is checked out to a working copy (`estimator.server.workcopy`) and opened like any file.
`ServerLink` then keeps it in step: after each save (each edit) it pushes the change in one
transaction checked against each item's version; an item someone changed meanwhile is refused and
the other value is shown, with the choice of taking it or overwriting it. Other engineers' commits
are announced by the server (LISTEN/NOTIFY) and read in within about a second and a half. The URL and
name are remembered; the password comes from the system keyring or is asked for, and is kept in the
keyring only if the user ticks the box (otherwise in memory until the program ends).

Tender revisions and contract entries made in the window (`Document.recorded`) are appended to the
server at once (`workcopy.sync_records`), and other engineers' are copied into the working copy when
the server announces them. A procurement account sees the programme read-only but issues tender
revisions and records contracts; an estimator records contracts (and edits); a viewer only reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from estimator.errors import UserError
from ui.document import Document
from ui.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QObject,
    QPushButton,
    QTimer,
    QWidget,
)

if TYPE_CHECKING:
    from estimator.server.workcopy import Listener
    from ui.dialogs import DialogService
    from ui.settings import AppSettings
    from ui.shell import Shell

POLL_MS = 1500  # how often the window looks for other engineers' commits (a non-blocking read)


class OpenFromServerDialog(QDialog):
    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Open from server"))
        form = QFormLayout(self)
        self.url = QLineEdit(str(settings.q.value("server/url", "")))
        self.url.setPlaceholderText("postgresql://user@server/boq")
        form.addRow(self.tr("Server address"), self.url)
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.setCurrentText(str(settings.q.value("server/name", "")))
        listing = QPushButton(self.tr("List programmes"))
        listing.clicked.connect(self.list_programmes)
        form.addRow(self.tr("Programme"), self.name)
        form.addRow("", listing)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("leave empty to use the system keyring"))
        form.addRow(self.tr("Password"), self.password)
        self.remember = QCheckBox(self.tr("Keep the password in the system keyring"))
        form.addRow("", self.remember)
        self.message = QLineEdit()
        self.message.setReadOnly(True)
        self.message.setFrame(False)
        form.addRow(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def apply_password(self) -> None:
        from estimator.server.connect import remember_for_session, store_password

        url, password = self.url.text().strip(), self.password.text()
        if password:
            remember_for_session(url, password)
            if self.remember.isChecked():
                store_password(url, password)

    def list_programmes(self) -> None:
        from estimator.server import admin

        try:
            self.apply_password()
            names = [p.name for p in admin.programmes(self.url.text().strip())]
        except UserError as exc:
            self.message.setText(str(exc))
            return
        current = self.name.currentText()
        self.name.clear()
        self.name.addItems(names)
        self.name.setCurrentText(current or (names[0] if names else ""))
        self.message.setText(self.tr("Programmes on the server: %1").replace("%1", str(len(names))))


class ServerLink(QObject):
    """Keeps the window's working copy and the server in step (push after each save, pull on notice)."""

    def __init__(self, window: Shell, url: str, name: str, listener: Listener, role: str = "estimator") -> None:
        super().__init__(window)
        self.window, self.url, self.name, self.listener = window, url, name, listener
        self.role = role  # workcopy.role(): what the account may do (the server decides; this only shapes the window)
        self.doc: Document | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def bind(self, doc: Document) -> None:
        self.doc = doc
        doc.programme_readonly = self.role == "procurement"  # may record, not edit
        doc.tenders = self.role in ("owner", "procurement")
        doc.saved.connect(self.push)
        doc.recorded.connect(self.sync_records)

    def push(self) -> None:
        """After a save: send the edit (and take in others' changes)."""
        self.sync()

    def poll(self) -> None:
        if self.doc is None or self.window.doc is not self.doc:
            self.stop()
            return
        try:
            changed = self.listener.changed(0)
        except UserError as exc:
            self.window.show_status(str(exc))
            return
        if changed and all(c.get("records") for c in changed) and not self.doc.project.readonly:
            self.sync_records()  # only revisions or contract entries were added: the programme is as it was
        elif changed and not self.doc.save_pending:
            self.sync()

    def sync(self, take: dict[str, str] | None = None) -> None:
        from estimator.server.sync import MergeConflicts
        from estimator.server.workcopy import sync

        doc = self.doc
        if doc is None:
            return
        if doc.readonly:  # a reader: take the server's programme (and records) as it is now
            if not doc.project.readonly and not self.sync_records():
                return  # procurement's own revisions and contract entries go first; unsent, the copy is kept
            self.reload(pull=True)
            return
        try:
            synced = sync(doc.project, self.url, self.name, take)  # type: ignore[arg-type]
        except MergeConflicts as exc:
            self.refused(exc)
            return
        except UserError as exc:
            self.window.show_status(self.tr("Not on the server yet: %1").replace("%1", str(exc)))
            return
        if synced.reloaded:
            try:
                self.reload()
            except (UserError, OSError) as exc:
                self.window.dialogs.report(self.tr("Open from server"), exc)
                return
        self.sync_records()
        self.window.show_status(self.tr("In step with the server (version %1)").replace("%1", str(synced.version)))

    def sync_records(self) -> bool:
        """Append the tender revisions and contract entries made here to the server; take in others'.
        False if that failed (reported): what was made here is still only in the working copy."""
        from estimator.server.workcopy import sync_records

        doc = self.doc
        if doc is None or doc.project.readonly:
            return True
        title = self.tr("Revisions and contracts on the server")
        try:
            done = sync_records(doc.project, self.url, self.name)
        except UserError as exc:
            self.window.dialogs.report(title, exc)
            return False
        if done.dropped:
            self.window.dialogs.error(title, self.tr(
                "Someone else recorded these on the server first, under the same name or number; yours were not "
                "kept and theirs are shown instead. Make yours again (a revision under another name):\n\n%1")
                .replace("%1", "\n".join(done.dropped)))
        if done.pushed or done.pulled or done.dropped:
            self.window.show_status(self.tr("Revisions and contracts in step with the server: %1 sent, %2 received")
                                    .replace("%1", str(done.pushed)).replace("%2", str(done.pulled)))
        return True

    def refused(self, exc: object) -> None:
        """An edit to an item someone changed meanwhile: show their value; take it, or overwrite it."""
        conflicts = getattr(exc, "conflicts", [])
        shown = "\n".join(c.describe() for c in conflicts[:20])
        take_theirs = self.window.dialogs.question(
            self.tr("Edit refused by the server"),
            self.tr("Someone else changed what you edited; your edit was not saved on the server:\n\n%1\n\n"
                    "Take their values? (No keeps yours and writes them over theirs.)").replace("%1", shown))
        self.sync({"*": "theirs" if take_theirs else "mine"})

    def reload(self, pull: bool = False) -> None:
        """Show the working copy as it now is (other engineers' changes are in it); `pull`: a reader's
        copy, written afresh from the server first."""
        from estimator.server.sync import pull_to_file

        doc = self.doc
        if doc is None:
            return
        path, readonly = doc.path, doc.project.readonly
        doc.project.close()  # the window opens it again below; closing twice is harmless
        try:
            if pull:
                pull_to_file(self.url, self.name, path, overwrite=True)
        finally:
            fresh = Document.open(path, readonly=readonly)  # `bind` makes the programme read-only for procurement
            self.bind(fresh)
            self.window.set_document(fresh)

    def stop(self) -> None:
        self.timer.stop()
        self.listener.close()
        self.doc = None


class ServerActions(QObject):
    def __init__(self, window: Shell, dialogs: DialogService, settings: AppSettings) -> None:
        super().__init__(window)
        self.window, self.dialogs, self.settings = window, dialogs, settings
        self.link: ServerLink | None = None

    def toggle_lock(self) -> None:
        """"I am working on this facility": lock the facility shown (or release my lock)."""
        from estimator.server.workcopy import facility_locks, lock_facility

        link, facility = self.link, self.window.nodes.current_facility()
        if link is None or link.doc is None or self.window.doc is not link.doc:
            self.dialogs.error(self.tr("Lock facility"), self.tr("Open a programme from the server first."))
            return
        if facility is None:
            self.dialogs.error(self.tr("Lock facility"), self.tr("Choose a facility in the programme tree first."))
            return
        try:
            holder = facility_locks(link.url, link.name).get(facility.uid)
            me = link.listener.user
            if holder is not None and holder != me:
                self.dialogs.info(self.tr("Lock facility"),
                                  self.tr("%1 is locked by %2.").replace("%1", facility.name).replace("%2", holder))
                return
            now = lock_facility(link.url, link.name, facility.uid, lock=holder is None)
        except UserError as exc:
            self.dialogs.report(self.tr("Lock facility"), exc)
            return
        text = (self.tr("%1 is locked for you: others cannot change it until you unlock it") if now == me
                else self.tr("%1 is unlocked"))
        self.window.show_status(text.replace("%1", facility.name))

    def open_dialog(self) -> None:
        dialog = OpenFromServerDialog(self.settings, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            dialog.apply_password()
        except UserError as exc:
            self.dialogs.report(self.tr("Open from server"), exc)
            return
        self.open(dialog.url.text().strip(), dialog.name.currentText().strip())

    def open(self, url: str, name: str) -> bool:
        """Check out `name` from `url` and open it live in the window."""
        from estimator.server import is_server
        from estimator.server.workcopy import Listener, checkout, role

        if not is_server(url) or not name:
            self.dialogs.error(self.tr("Open from server"),
                               self.tr("Give the server address (postgresql://user@server/database) and a programme name."))
            return False
        link = self.link
        if link is not None and link.doc is not None and self.window.doc is link.doc and (link.url, link.name) == (url, name):
            link.sync()  # already open here: bring it up to date
            return True
        try:
            account = role(url)
            path = checkout(url, name)
            listener = Listener(url, name)
        except (UserError, OSError) as exc:
            self.dialogs.report(self.tr("Open from server"), exc)
            return False
        writer = account in ("owner", "estimator")
        if not writer:  # the server would refuse every edit: procurement records revisions and contracts, a viewer reads
            try:
                doc = Document.open(path, readonly=account == "viewer")
            except (UserError, OSError) as exc:
                listener.close()
                self.dialogs.report(self.tr("Open from server"), exc)
                return False
            link = ServerLink(self.window, url, name, listener, account)
            link.bind(doc)  # before the window shows it: the programme read-only, the records writable
            self.window.set_document(doc)
        elif not self.window.files.open_path(path):
            listener.close()
            return False
        else:
            assert self.window.doc is not None
            link = ServerLink(self.window, url, name, listener, account)
            link.bind(self.window.doc)
        if self.link is not None:
            self.link.stop()
        self.link = link
        self.settings.q.setValue("server/url", url)
        self.settings.q.setValue("server/name", name)
        if writer:
            self.window.show_status(self.tr("Working on %1 from the server; every edit is sent as you make it")
                                    .replace("%1", name))
        elif account == "procurement":
            self.window.show_status(self.tr("%1 from the server: the programme is read-only for your account; tender "
                                            "revisions and contracts you make are sent to the server").replace("%1", name))
        else:
            self.window.show_status(self.tr("%1 from the server, read-only: your account may read, not change")
                                    .replace("%1", name))
        return True
