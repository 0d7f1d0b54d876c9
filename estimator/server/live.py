"""Editing a programme on the server live: one transaction per edit, checked against the item's version.

`LiveProgramme` holds the server's programme in memory with each row's version. An edit is one
transaction: `boq.begin_change` (which serialises writers of the programme), then an UPDATE of the
item only if its version is still the one this copy holds. If someone changed it meanwhile, nothing is
written and `EditRefused` carries their value, author and time. Commits are announced with
LISTEN/NOTIFY (`boq_changes`); `poll()` waits for one and `refresh()` fetches the rows written since
this copy's version (and tombstones of deleted rows). A facility may be locked by one estimator; the
server's row-level security then refuses other accounts' writes to its bills and items.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from estimator.errors import UserError
from estimator.messages import Message
from estimator.model import Bill, Facility, Item, Programme
from estimator.money import from_stored
from estimator.server.connect import PermissionRefused, ServerError, connect, redacted, server_errors
from estimator.server.rows import Key, tables
from estimator.server.sync import programme_id, pull_state

ITEM_FIELDS = {f.name: str(f.type) for f in fields(Item)}
EDITABLE = tuple(c for c in tables()["items"][0] if c in ITEM_FIELDS and c != "uid")


class EditRefused(ServerError):
    """An edit to an item that someone else changed since this copy read it; nothing was written."""

    def __init__(self, item: Item, theirs: Item | None, by: str, at: dt.datetime | None, version: int,
                 mine: dict[str, Any]) -> None:
        self.item, self.theirs, self.by, self.at, self.version, self.mine = item, theirs, by, at, version, mine
        what = f"item {item.ref or item.uid} {item.description[:40]!r}"
        if theirs is None:
            super().__init__(f"{what} was deleted on the server by {by or 'someone'}; your edit was not saved")
            return
        shown = "; ".join(f"{k}: theirs {getattr(theirs, k)}, yours {v}" for k, v in mine.items())
        when = f" at {at:%H:%M:%S}" if at else ""
        super().__init__(f"{what} was changed by {by}{when} ({shown}); your edit was not saved")


class FacilityLocked(PermissionRefused):
    pass


@dataclass(slots=True)
class Refresh:
    """What `refresh()` brought in: item uids changed or added, removed, or the whole programme reloaded."""

    changed: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    reloaded: bool = False

    def __bool__(self) -> bool:
        return bool(self.changed or self.removed or self.reloaded)


def _model_value(column: str, value: Any) -> Any:
    kind = ITEM_FIELDS[column]
    if "Decimal" in kind:
        return None if value is None else from_stored(value)
    if kind == "bool":
        return bool(value)
    return value


def _stored(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


class LiveProgramme:
    def __init__(self, url: str, name: str) -> None:
        self.url, self.name = url, name
        self.where = f"{redacted(url)}#{name}"
        self._conn = connect(url)
        self._listener = connect(url, autocommit=True)
        try:
            with server_errors(Message("doing_open", where=self.where)):
                self._listener.execute("LISTEN boq_changes")
                pid = programme_id(self._conn, name)
                if pid is None:
                    raise ServerError(f"{self.where}: no programme of that name on the server")
                self.pid = pid
                self.user = str(self._conn.execute("SELECT current_user").fetchone()[0])  # type: ignore[index]
                self._conn.rollback()
                self._load()
        except BaseException:
            self.close()
            raise

    def _load(self) -> None:
        state = pull_state(self.url, self.name, self._conn)
        self.programme: Programme = state.programme
        self.version = state.version
        self.versions: dict[tuple[str, Key], int] = {(t, k): s[0] for t, rows in state.stamps.items()
                                                      for k, s in rows.items()}
        self._index()

    def _index(self) -> None:
        self.items: dict[str, Item] = {}
        self.bill_of: dict[str, Bill] = {}
        self.facility_of_bill: dict[str, Facility] = {}
        for fac in self.programme.facilities:
            for bill in fac.bills:
                self.facility_of_bill[bill.uid] = fac
                for item in bill.items:
                    self.items[item.uid] = item
                    self.bill_of[item.uid] = bill

    def item_version(self, uid: str) -> int:
        return self.versions.get(("items", (uid,)), 0)

    # ---- edits ------------------------------------------------------------------------------------

    def edit_item(self, uid: str, **changes: Any) -> int:
        """Change fields of item `uid` (model values: Decimals, str, bool) in one checked transaction."""
        from psycopg import sql

        item = self.items.get(uid)
        if item is None:
            raise UserError(f"no item {uid} in {self.where} (it may have been deleted; refresh)")
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise UserError(f"cannot edit {', '.join(sorted(unknown))} of an item here")
        expected = self.item_version(uid)
        sets = sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(c)) for c in changes)
        query = sql.SQL("UPDATE boq.items SET {} WHERE programme_id = %s AND uid = %s AND version = %s "
                        "RETURNING version").format(sets)
        with server_errors(Message("doing_edit", where=self.where)):
            try:
                self._conn.execute("SELECT boq.begin_change(%s)", (self.pid,))
                row = self._conn.execute(query, (*map(_stored, changes.values()), self.pid, uid, expected)).fetchone()
                if row is None:
                    self._conn.rollback()
                    self._refused(item, changes)
                self._conn.commit()
            except BaseException:
                self._conn.rollback()
                raise
        version = int(row[0])  # type: ignore[index]
        for column, value in changes.items():
            setattr(item, column, value)
        self.versions[("items", (uid,))] = version
        return version

    def _refused(self, item: Item, mine: dict[str, Any]) -> None:
        """Why an edit touched no row: someone's change (EditRefused) or a lock (FacilityLocked)."""
        cols = tables()["items"][0]
        row = self._conn.execute(f"SELECT {', '.join(cols)}, version, changed_by, changed_at FROM boq.items "
                                 "WHERE programme_id = %s AND uid = %s", (self.pid, item.uid)).fetchone()
        lock = self._conn.execute(
            "SELECT l.locked_by, l.locked_at FROM boq.facility_locks l JOIN boq.items i ON i.programme_id = l.programme_id "
            "JOIN boq.bills b ON b.programme_id = i.programme_id AND b.uid = i.bill_uid AND b.facility_uid = l.facility_uid "
            "WHERE i.programme_id = %s AND i.uid = %s AND l.locked_by <> current_user", (self.pid, item.uid)).fetchone()
        self._conn.rollback()
        if row is not None and int(row[len(cols)]) == self.item_version(item.uid) and lock is not None:
            fac = self.facility_of_bill.get(self.bill_of[item.uid].uid)
            raise FacilityLocked(f"{fac.name if fac else 'the facility'} is locked by {lock[0]} since "
                                 f"{lock[1]:%H:%M}; your edit was not saved")
        if row is None:
            raise EditRefused(item, None, "", None, 0, mine)
        theirs = Item(**{c: _model_value(c, v) for c, v in zip(cols, row, strict=False) if c in ITEM_FIELDS})
        raise EditRefused(item, theirs, str(row[len(cols) + 1]), row[len(cols) + 2], int(row[len(cols)]), mine)

    def adopt(self, refused: EditRefused) -> None:
        """Take the server's value shown by a refused edit (the item as it is now, at its version)."""
        if refused.theirs is None:
            self.refresh()
            return
        for column in EDITABLE:
            setattr(refused.item, column, getattr(refused.theirs, column))
        self.versions[("items", (refused.item.uid,))] = refused.version

    # ---- other engineers' changes -----------------------------------------------------------------

    def poll(self, timeout: float = 0.0) -> bool:
        """Whether another commit to this programme was announced (waits up to `timeout` seconds)."""
        mine = False
        for note in self._listener.notifies(timeout=timeout, stop_after=1):
            try:
                if int(json.loads(note.payload).get("programme", -1)) == self.pid:
                    mine = True
            except (ValueError, AttributeError):
                continue
        # drain what else arrived meanwhile, without waiting
        for note in self._listener.notifies(timeout=0):
            try:
                mine = mine or int(json.loads(note.payload).get("programme", -1)) == self.pid
            except (ValueError, AttributeError):
                continue
        return mine

    def refresh(self) -> Refresh:
        """Bring in the rows written since this copy's version (and deletions), applied in place as the
        window applies them (`incoming.edits`); the whole programme is read again only if they do not fit."""
        from estimator.edits import StaleEdit
        from estimator.server.changes import fetch_since
        from estimator.server.incoming import edits, settings_with

        out = Refresh()
        fetched = fetch_since(self._conn, self.pid, self.version, self.where)
        for table, got in fetched.rows.items():  # rows this copy wrote itself
            for key in [k for k, s in got.items() if self.versions.get((table, k), -1) >= s.version]:
                del got[key]
        if not fetched:
            self.version = max(self.version, fetched.version)
            return out
        try:
            for step in edits(self.programme, fetched, lambda _t, _k: None,
                              lambda f: settings_with(self.programme, f, self.where)):
                step.apply(self.programme)
        except StaleEdit:
            self._load()
            out.reloaded = True
            return out
        for table, got in fetched.rows.items():
            for key, s in got.items():
                if s.row is None:
                    self.versions.pop((table, key), None)
                else:
                    self.versions[(table, key)] = s.version
        items = fetched.rows.get("items", {})
        out.changed = {k[0] for k, s in items.items() if s.row is not None}
        out.removed = {k[0] for k, s in items.items() if s.row is None}
        self.version = max(self.version, fetched.version)
        self._index()
        return out

    # ---- facility locks ---------------------------------------------------------------------------

    def lock_facility(self, facility_uid: str) -> None:
        """"I am working on this facility": other accounts' writes to it are refused by the server."""
        from psycopg import errors

        try:
            with server_errors(Message("doing_lock_in", where=self.where)):
                self._conn.execute("INSERT INTO boq.facility_locks (programme_id, facility_uid) VALUES (%s, %s) "
                                   "ON CONFLICT DO NOTHING", (self.pid, facility_uid))
                self._conn.commit()
        except errors.IntegrityError:
            self._conn.rollback()
            raise
        holder = self.locks().get(facility_uid)
        if holder and holder != self.user:
            raise FacilityLocked(f"the facility is already locked by {holder}")

    def unlock_facility(self, facility_uid: str) -> None:
        with server_errors(Message("doing_unlock_in", where=self.where)):
            self._conn.execute("DELETE FROM boq.facility_locks WHERE programme_id = %s AND facility_uid = %s",
                               (self.pid, facility_uid))
            self._conn.commit()

    def locks(self) -> dict[str, str]:
        with server_errors(Message("doing_locks_of", where=self.where)):
            rows = self._conn.execute("SELECT facility_uid, locked_by FROM boq.facility_locks WHERE programme_id = %s",
                                      (self.pid,)).fetchall()
            self._conn.rollback()
        return {str(f): str(u) for f, u in rows}

    def close(self) -> None:
        for conn in (getattr(self, "_conn", None), getattr(self, "_listener", None)):
            if conn is not None:
                conn.close()
