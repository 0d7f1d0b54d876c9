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

import contextlib
import threading
import time
from typing import TYPE_CHECKING, Any

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
    from estimator.edits import Edit
    from estimator.server.changes import Fetched
    from estimator.server.livecopy import WorkingCopy
    from estimator.server.workcopy import Listener
    from ui.dialogs import DialogService
    from ui.settings import AppSettings
    from ui.shell import Shell

RECONNECT_S = 5.0  # how often a lost listening connection is opened again (in a thread)
CONNECT_WAIT = 0.5  # seconds the window waits, when it stops following a programme, for such a connection
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
    """Keeps the window's working copy and the server in step, by change (`estimator.server.livecopy`).

    After each save the rows it wrote are sent, each checked against its version; on a notice of
    another engineer's commit the rows written since are read and applied to the open document as
    edits (not on the undo stack), so the views update just those rows and the selection, the bill
    shown and the user's undo history stay.
    """

    def __init__(self, window: Shell, url: str, name: str, listener: Listener, role: str = "estimator") -> None:
        super().__init__(window)
        self.window, self.url, self.name, self.listener = window, url, name, listener
        self.role = role  # workcopy.role(): what the account may do (the server decides; this only shapes the window)
        self.doc: Document | None = None
        self.copy: WorkingCopy | None = None
        self.receiving = False  # applying others' changes: the save that follows sends nothing
        self.heard = False  # a commit by someone else was announced and is not taken in yet
        self.listening_again: tuple[threading.Thread, dict[str, Any]] | None = None  # a new listener being opened
        self.last_try = -RECONNECT_S
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def bind(self, doc: Document) -> None:
        from estimator.server.livecopy import WorkingCopy

        if self.copy is not None:
            self.copy.close()
            self.copy = None
        self.doc = doc
        doc.programme_readonly = self.role == "procurement"  # may record, not edit
        doc.tenders = self.role in ("owner", "procurement")
        # the file's record of the server is kept whenever the file is writable (procurement's too)
        self.copy = WorkingCopy(doc.project.connection, self.url, self.name, readonly=doc.project.readonly)
        doc.saved.connect(self.push)
        doc.refused.connect(self.edit_refused)
        doc.recorded.connect(self.sync_records)

    def push(self) -> None:
        """After a save: what it wrote is sent (unless it only took in others' changes)."""
        if self.copy is None or self.doc is None:
            return
        self.copy.note_saved(self.doc.project.last_delta)
        if not self.receiving:
            self.send()

    def send(self) -> bool:
        """Send the pending rows; False if the server did not take them (they stay pending, or the user chose)."""
        from estimator.server.changes import Orphaned, RowConflicts

        copy, doc = self.copy, self.doc
        if copy is None or doc is None or not copy.has_pending():
            return True
        try:
            version = copy.push(doc.programme)
        except RowConflicts as exc:
            self.refused(exc)
            return False
        except Orphaned as exc:  # into a bill or facility deleted meanwhile: their deletion stands
            self.take_in()  # the deletion comes in and takes my rows in it along (no longer pending)
            self.window.show_status(str(exc))
            return False  # what else was pending goes at the next poll
        except UserError as exc:
            self.window.show_status(self.tr("Not on the server yet: %1").replace("%1", str(exc)))
            return False
        self.window.show_status(self.tr("Saved on the server (version %1)").replace("%1", str(version)))
        return True

    def poll(self) -> None:
        if self.doc is None or self.window.doc is not self.doc:
            self.stop()
            return
        if self.listening_again is not None and not self.listen_again():
            return
        try:
            notes = self.listener.changed(0)
        except UserError as exc:
            self.window.show_status(str(exc))
            self.listen_again()
            return
        mark = self.copy.version if self.copy is not None else -1
        # my own commits are announced too: only a version this copy does not have yet is news; revisions and
        # contract entries (`records`) leave the programme as it was
        self.heard = any(not n.get("records") and int(n.get("version", mark + 1)) > mark for n in notes) or self.heard
        if any(n.get("records") for n in notes) and not self.doc.project.readonly:
            self.sync_records()
        if self.doc.save_pending:
            return  # the edit being saved goes first; what was heard is taken in at the next poll
        if self.copy is not None and self.copy.has_pending():
            self.send()  # mine first (a row refused by a lock stays pending, and is not overwritten by theirs)
        if self.heard:
            self.take_in()

    def listen_again(self) -> bool:
        """The listening connection was lost (a network cut, the server restarted): open another one in a
        thread, so that a server out of reach never freezes the window, at most every RECONNECT_S
        seconds. True once listening again: what was announced meanwhile is then read in."""
        from estimator.server.workcopy import Listener

        if self.listening_again is None:
            if time.monotonic() - self.last_try < RECONNECT_S:
                return False
            self.last_try = time.monotonic()
            box: dict[str, Any] = {}

            def open_listener() -> None:
                try:
                    box["listener"] = Listener(self.url, self.name)
                except (UserError, OSError) as exc:
                    box["error"] = exc
            thread = threading.Thread(target=open_listener, name="boq-listen-again", daemon=True)
            thread.start()
            self.listening_again = (thread, box)
            return False
        thread, box = self.listening_again
        if thread.is_alive():
            return False
        self.listening_again = None
        if "listener" not in box:
            return False
        old, self.listener = self.listener, box["listener"]
        with contextlib.suppress(Exception):  # the lost connection: closing it may fail too
            old.close()
        self.heard = True  # commits announced while nobody listened: read what was written since this copy's version
        self.window.show_status(self.tr("In touch with the server again"))
        return True

    def sync(self) -> None:
        """Send what is pending and take in what others wrote, revisions and contract entries too (File › Open
        from server of the programme already open)."""
        if self.send():
            self.take_in()
        self.sync_records()

    def take_in(self, fetched: Fetched | None = None) -> None:
        """Apply other engineers' changes (read from the server unless given) to the open document, in place."""
        from estimator.edits import Change

        doc, copy = self.doc, self.copy
        if doc is None or copy is None:
            return
        try:
            if fetched is None:
                fetched = copy.fetch()
                self.heard = False
        except UserError as exc:
            self.window.show_status(str(exc))
            return
        if not fetched:
            copy.took(fetched)
            return
        self.receiving = True
        try:
            total = Change()
            for step in copy.edits(doc.programme, fetched):
                total = total | doc.apply(step)
            copy.took(fetched)
            if not doc.readonly:
                doc.save_now()
            elif not doc.project.readonly:  # procurement: the programme is read-only here, its file is not
                doc.project.save(changed=total)
                copy.note_saved(doc.project.last_delta)
        except (UserError, OSError) as exc:  # did not fit (or a bad row): read the whole programme again
            self.receiving = False
            self.window.show_status(str(exc))
            self.reload()
            return
        finally:
            self.receiving = False
        who = sorted({s.by for rows in fetched.rows.values() for s in rows.values() if s.by})
        self.window.show_status(self.tr("%1 change(s) by %2 came in (version %3)")
                                .replace("%1", str(fetched.count())).replace("%2", ", ".join(who) or "?")
                                .replace("%3", str(copy.version)))

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
        """An edit to a row someone changed meanwhile: show their value; take it, or overwrite it."""
        copy = self.copy
        conflicts = getattr(exc, "conflicts", [])
        shown = "\n".join(c.describe() for c in conflicts[:20])
        take_theirs = self.window.dialogs.question(
            self.tr("Edit refused by the server"),
            self.tr("Someone else changed what you edited; your edit was not saved on the server:\n\n%1\n\n"
                    "Take their values? (No keeps yours and writes them over theirs.)").replace("%1", shown))
        if copy is None:
            return
        if take_theirs:
            self.take_in(copy.theirs(exc))  # type: ignore[arg-type]
        else:
            copy.take_mine(exc)  # type: ignore[arg-type]
        if self.send():
            self.take_in()

    def edit_refused(self, edit: Edit, failure: UserError) -> None:
        """An undo or redo that met another engineer's change: show their value (the step is dropped)."""
        from estimator.edits import StaleEdit

        if self.receiving or not isinstance(getattr(failure, "cause", None), StaleEdit) or self.doc is None:
            return
        QTimer.singleShot(0, lambda: self._explain(edit))

    def _explain(self, edit: Edit) -> None:
        from estimator.edits import SetField, find_bill, find_item

        doc, copy = self.doc, self.copy
        if doc is None or copy is None:
            return
        overwrite: list[SetField] = []
        lines, gone = [], []
        for step in edit.primitives():
            if not isinstance(step, SetField):
                continue
            try:
                item = find_item(find_bill(doc.programme, step.bill_uid)[1], step.item_uid)
            except RuntimeError:
                gone.append(step.item_uid)
                continue
            now = getattr(item, step.field)
            if now == step.old:
                continue
            stamp = copy.stamps.get(("items", (item.uid,)))
            who = (self.tr(" (%1, %2)").replace("%1", stamp.by).replace("%2", f"{stamp.at:%H:%M:%S}")
                   if stamp and stamp.at else "")
            lines.append(self.tr("%1 %2: %3: theirs %4%5, yours %6")
                         .replace("%1", item.ref or "-")
                         .replace("%2", item.description if len(item.description) <= 40 else item.description[:39] + "…")
                         .replace("%3", step.field).replace("%4", str(now)).replace("%5", who)
                         .replace("%6", str(step.new)))
            overwrite.append(SetField(step.bill_uid, step.item_uid, step.field, now, step.new, step.label))
        if gone and not lines:
            self.window.show_status(self.tr("%1: dropped, the row it changes was deleted on the server by someone else")
                                    .replace("%1", edit.label))
            return
        if not lines:
            return
        take_theirs = self.window.dialogs.question(
            self.tr("Undo refused"),
            self.tr("Someone else changed this since your edit; your undo was not applied:\n\n%1\n\n"
                    "Keep their values? (No writes yours over theirs, as a new edit.)").replace("%1", "\n".join(lines)))
        if take_theirs:
            self.window.show_status(self.tr("Their values kept; the undo step was dropped"))
            return
        from estimator.edits import group

        try:
            doc.push(group(overwrite, edit.label))
        except UserError as exc:
            self.window.dialogs.report(self.tr("Undo refused"), exc)

    def reload(self, pull: bool = False) -> None:
        """Read the working copy again, brought in step with the server as a whole (the fallback when
        others' changes cannot be applied in place). The undo history of the old document is lost."""
        from estimator.server.sync import pull_to_file
        from estimator.server.workcopy import sync

        doc = self.doc
        if doc is None:
            return
        path, readonly = doc.path, doc.project.readonly
        if doc.save_pending:
            doc.save_now(whole=True)
        if doc.readonly and not readonly and not self.sync_records():
            return  # procurement's own revisions and contract entries go first; unsent, the copy is kept
        try:
            if not (doc.readonly or pull):
                sync(doc.project, self.url, self.name, {"*": "theirs"})
            doc.project.close()
            if doc.readonly or pull:
                pull_to_file(self.url, self.name, path, overwrite=True)
        except UserError as exc:
            doc.project.close()  # closing twice is harmless
            self.window.dialogs.report(self.tr("Open from server"), exc)
        fresh = Document.open(path, readonly=readonly)  # `bind` makes the programme read-only for procurement
        self.bind(fresh)
        self.window.set_document(fresh)

    def stop(self) -> None:
        self.timer.stop()
        with contextlib.suppress(Exception):  # a lost connection may fail to close
            self.listener.close()
        if self.listening_again is not None:  # a listener being opened again: closed once it is open
            thread, box = self.listening_again
            thread.join(timeout=CONNECT_WAIT)
            if "listener" in box:
                box["listener"].close()
            self.listening_again = None
        if self.copy is not None:
            self.copy.close()
            self.copy = None
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
            try:
                link.bind(doc)  # before the window shows it: the programme read-only, the records writable
            except UserError as exc:
                link.stop()
                doc.close()
                self.dialogs.report(self.tr("Open from server"), exc)
                return False
            self.window.set_document(doc)
        elif not self.window.files.open_path(path):
            listener.close()
            return False
        else:
            assert self.window.doc is not None
            link = ServerLink(self.window, url, name, listener, account)
            try:
                link.bind(self.window.doc)
            except UserError as exc:  # the working copy's record of the server is missing or damaged
                link.stop()
                self.dialogs.report(self.tr("Open from server"), exc)
                return False
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
