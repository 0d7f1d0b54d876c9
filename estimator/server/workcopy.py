"""The window's way of working on a server programme: a local working copy kept in step with the server.

Opening a programme from the server checks it out to a working `.boq` in the user's data folder, so
every feature of the window (undo, backups, export, bids) works on it as on any file. `sync` merges a
working copy with the server as a whole (on opening, and as the window's fallback); while the window is
open it works by change (`estimator.server.livecopy`: each save's rows sent checked against their
versions, others' rows fetched since the copy's version). `Listener` hears other engineers' commits
(LISTEN/NOTIFY). No Qt here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from estimator.messages import Message
from estimator.server.connect import connect, server_errors
from estimator.server.sync import (
    Side,
    programme_id,
    pull_to_file,
    push_programme,
    read_base,
    read_base_version,
    take_server,
    unchanged,
    write_base,
)

if TYPE_CHECKING:
    from estimator.server.records import Exchanged
    from estimator.store import Project


def working_path(url: str, name: str) -> Path:
    """Where the working copy of `name` on `url` lives (one per server, database and programme)."""
    from estimator.paths import user_data_dir

    parts = urlsplit(url)
    where = f"{parts.hostname or 'local'}-{parts.port or 5432}-{parts.path.strip('/')}-{parts.username or ''}"
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{where}")[:80]
    return user_data_dir() / "server" / safe / (re.sub(r"[^A-Za-z0-9._ -]+", "_", name)[:80] + ".boq")


def checkout(url: str, name: str) -> Path:
    """Make the working copy of `name` (a fresh pull; an existing copy is synced first, keeping its edits)."""
    from estimator.store import Project

    path = working_path(url, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        with Project.open(path) as project:
            base = read_base(project.connection, url, name)
            if base is not None:
                if unchanged(project.programme, base):
                    take_server(project, url, name)  # nothing to send: a reader (viewer, procurement) may do this
                else:
                    sync(project, url, name)
                sync_records(project, url, name)
                return path
    pull_to_file(url, name, path, overwrite=True)
    return path


@dataclass(slots=True)
class Synced:
    reloaded: bool  # the working copy took in other engineers' changes (the window re-reads it)
    written: int  # rows this sync wrote to the server
    version: int


def sync(project: Project, url: str, name: str, take: dict[str, Side] | None = None) -> Synced:
    """Push the working copy's changes and take in the server's, in one checked transaction."""
    base, version = read_base_version(project.connection, url, name)
    result = push_programme(url, name, project.programme, base, take, base_version=version)
    reloaded = result.state.programme is not project.programme
    if reloaded:
        project.programme = result.state.programme
        project.save()
    write_base(project.connection, url, name, result.state)
    return Synced(reloaded, result.merge.changes(), result.state.version)


def sync_records(project: Project, url: str, name: str, push: bool = True) -> Exchanged:
    """Exchange the working copy's frozen records with the server's (`estimator.server.records`): revisions and
    contract entries made here are appended there, and theirs copied here. The working copy is the
    server's cache: a record of ours that clashes with one the server got first is dropped from it
    (`Exchanged.dropped` names it, for the user to make again)."""
    from estimator.server.records import exchange, lot_names

    return exchange(project.connection, url, name, push=push and not project.readonly, pull=not project.readonly,
                    discard=not project.readonly, lots=lot_names(project.programme))


class Listener:
    """Announcements of commits to one programme (LISTEN boq_changes), read without blocking."""

    def __init__(self, url: str, name: str) -> None:
        self._conn = connect(url, autocommit=True)
        with server_errors(Message("doing_listen")):
            pid = programme_id(self._conn, name)
            self.pid = -1 if pid is None else pid
            self.user = str(self._conn.execute("SELECT current_user").fetchone()[0])  # type: ignore[index]
            self._conn.execute("LISTEN boq_changes")

    def changed(self, timeout: float = 0.0) -> list[dict[str, Any]]:
        """The commits to this programme announced since the last call (each {version, by})."""
        out = []
        with server_errors(Message("doing_listen")):
            for note in self._conn.notifies(timeout=timeout, stop_after=None if timeout == 0 else 1):
                try:
                    payload = json.loads(note.payload)
                except ValueError:
                    continue
                if payload.get("programme") == self.pid:
                    out.append(payload)
        return out

    def close(self) -> None:
        self._conn.close()


def facility_locks(url: str, name: str) -> dict[str, str]:
    """facility uid -> the account holding its lock."""
    with connect(url) as conn, server_errors(Message("doing_read_locks")):
        pid = programme_id(conn, name)
        rows = conn.execute("SELECT facility_uid, locked_by FROM boq.facility_locks WHERE programme_id = %s",
                            (pid,)).fetchall()
    return {str(f): str(u) for f, u in rows}


def lock_facility(url: str, name: str, facility_uid: str, lock: bool = True) -> str | None:
    """Take (or release) the lock of a facility; the holder afterwards (None: unlocked). The server's
    row-level security then refuses other accounts' writes to its bills and items."""
    with connect(url) as conn, server_errors(Message("doing_lock")):
        pid = programme_id(conn, name)
        if lock:
            conn.execute("INSERT INTO boq.facility_locks (programme_id, facility_uid) VALUES (%s, %s) "
                         "ON CONFLICT DO NOTHING", (pid, facility_uid))
        else:
            conn.execute("DELETE FROM boq.facility_locks WHERE programme_id = %s AND facility_uid = %s",
                         (pid, facility_uid))
        conn.commit()
        row = conn.execute("SELECT locked_by FROM boq.facility_locks WHERE programme_id = %s AND facility_uid = %s",
                           (pid, facility_uid)).fetchone()
    return None if row is None else str(row[0])


def role(url: str) -> str:
    """The account's part: "owner" (the schema's owner or a superuser: everything), "estimator",
    "procurement" or "viewer" (the first role held, in that order; "viewer" when none)."""
    with connect(url) as conn, server_errors(Message("doing_role")):
        row = conn.execute("SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) "
                           "OR (SELECT nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user) "
                           "FROM pg_namespace WHERE nspname = 'boq'), pg_has_role(current_user, 'boq_estimator', "
                           "'MEMBER'), pg_has_role(current_user, 'boq_procurement', 'MEMBER')").fetchone()
    if row and row[0]:
        return "owner"
    if row and row[1]:
        return "estimator"
    return "procurement" if row and row[2] else "viewer"


def can_write(url: str) -> bool:
    """Whether the account may change programmes (role boq_estimator); readers get a read-only window."""
    with connect(url) as conn, server_errors(Message("doing_role")):
        row = conn.execute("SELECT pg_has_role(current_user, 'boq_estimator', 'MEMBER') "
                           "OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) "
                           "OR (SELECT nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user) "
                           "FROM pg_namespace WHERE nspname = 'boq')").fetchone()
    return bool(row and row[0])
