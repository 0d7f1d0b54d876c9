"""The open project: a `.boq` file, its lock, and saving the programme in it.

Durability: every `save()` is one SQLite transaction (rollback journal, synchronous=FULL), so a
power cut leaves the file as it was before or after that save, never in between. `save()` writes
only the rows that changed since the last save (`estimator.store.delta`): told what the edits
touched, it compares just those rows (a few milliseconds at 320 x 300), so the window saves after
every edit; not told, it compares the whole programme with what the file holds.
A new file (and Save As) is written to a temporary file beside the target and moved into place.

Safety: `PRAGMA application_id` marks our files; `user_version` is the schema version. An older
file is migrated in one transaction; a newer or foreign file is refused with a message. An open
file is locked (`NAME.boq.lock`, released by the OS if the process dies) so a second window or
command cannot write to it; reading (price, export) needs no lock and never writes (`mode=ro`).
Every connection is defensive and the schema must be exactly ours (`estimator.schema_check`);
a save cut off by a crash is repaired only by a writer, safely (`estimator.journal`).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from estimator import journal, programme_limits
from estimator.atomic import DiskFull, atomic_output
from estimator.errors import FileLocked, ProjectFileError, UserError
from estimator.gcpause import gc_paused
from estimator.messages import Message
from estimator.model import Programme
from estimator.schema_check import MAX_VALUE_BYTES, harden, verify
from estimator.store.delta import Delta, Written, everything, touched
from estimator.store.rows import read
from estimator.store.rows import rows as programme_rows
from estimator.store.schema import APPLICATION_ID, MIGRATIONS, REVISION_TABLES, SCHEMA, SCHEMA_VERSION, TABLES

if TYPE_CHECKING:
    import filelock  # imported when a file is locked: reading (price, export) does without its 20-30 ms

    from estimator.edits import Change

SQLITE_MAGIC = b"SQLite format 3\x00"
COMPANIONS = ("-journal", "-wal", "-shm")  # SQLite's files beside a database
SQLITE_FULL, SQLITE_TOOBIG = 13, 18


def _upsert(table: str) -> str:
    cols, nkey = TABLES[table]
    update = ", ".join(f"{c} = excluded.{c}" for c in cols[nkey:])
    return (
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
        f"ON CONFLICT ({', '.join(cols[:nkey])}) DO UPDATE SET {update}"
    )


_UPSERT = {table: _upsert(table) for table in TABLES}


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    # A reader never writes, not even to roll back a save cut off by a crash: the journal it would
    # apply may belong to another copy of the file (`estimator.journal`). With `mode=ro` SQLite
    # refuses such a journal (SQLITE_READONLY_ROLLBACK, reported as journal.CutOffSave).
    uri = path.resolve().as_uri() + ("?mode=ro" if readonly else "?mode=rw")
    conn = sqlite3.connect(uri, uri=True, timeout=10, isolation_level=None)
    harden(conn)  # before any statement reads the file
    if readonly:
        conn.execute("PRAGMA query_only = ON")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _check_header(path: Path) -> None:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise ProjectFileError(path, "no such file; create one with `boq new` or `boq demo`") from None
    except OSError as exc:
        raise ProjectFileError(path, Message("file_unreadable", reason=exc.strerror)) from exc
    if stat.S_ISDIR(mode):
        raise ProjectFileError(path, "is a folder, not a .boq project file")
    if not stat.S_ISREG(mode):  # a FIFO would hang the reader, a device is no project
        raise ProjectFileError(path, "is not a regular file (a pipe or a device), not a .boq project file")
    with path.open("rb") as fh:
        head = fh.read(100)
    if head[: len(SQLITE_MAGIC)] != SQLITE_MAGIC:
        raise ProjectFileError(path, "is not a BoQ Estimator project file (not an SQLite database)")
    wal = Path(f"{path}-wal")
    if head[18:20] == b"\x02\x02" or wal.exists():
        # BoQ Estimator never uses WAL; SQLite would apply a -wal file's contents, whoever wrote it
        raise ProjectFileError(
            path,
            f"was opened by another program in WAL journal mode ({wal.name} beside it, or the mode set in the file); "
            f"close that program; if {wal.name} stays, open a backup copy (that file may hold changes made there)",
        )


def _prepare(conn: sqlite3.Connection, path: Path, readonly: bool) -> None:
    """Check identity and version; migrate an older file in place (unless read-only)."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id != APPLICATION_ID:
        raise ProjectFileError(path, "is an SQLite database but not a BoQ Estimator project file")
    if version > SCHEMA_VERSION:
        raise ProjectFileError(
            path,
            Message("newer_format", version=version, newest=SCHEMA_VERSION),
        )
    if version < 1:
        raise ProjectFileError(path, f"has no valid file format number ({version}); open a backup copy")
    verify(conn, path, SCHEMA, subset=version < SCHEMA_VERSION)  # an older file: part of today's schema
    if version < SCHEMA_VERSION:
        if readonly:
            raise ProjectFileError(
                path,
                f"uses the older file format {version}; open it once in the window or "
                "with a `boq` command that changes it to upgrade it",
            )
        conn.execute("BEGIN IMMEDIATE")
        try:
            for step in range(version, SCHEMA_VERSION):
                for sql in MIGRATIONS[step]:
                    conn.execute(sql)
            verify(conn, path, SCHEMA)  # migrated: exactly today's schema, or nothing is changed
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            raise


def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back what is open (SQLite has already rolled back after some errors, such as a full disk)."""
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def _check(conn: sqlite3.Connection, path: Path) -> None:
    """After repairing a cut-off save: the file must still be ours, of a format we read, exact schema."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id != APPLICATION_ID or not 1 <= version <= SCHEMA_VERSION:
        raise ProjectFileError(path, "is no longer a BoQ Estimator file of a format this version reads")
    verify(conn, path, SCHEMA, subset=version < SCHEMA_VERSION)


@contextlib.contextmanager
def _sqlite_errors(path: Path, saving: bool = False) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        if code == journal.SQLITE_READONLY_ROLLBACK:
            raise journal.CutOffSave(path) from exc
        if code == SQLITE_FULL:
            raise DiskFull(path, f"{'the changes were not saved and ' if saving else ''}{path.name} is as it was",
                           str(exc)) from exc
        if code == SQLITE_TOOBIG and saving:
            raise ProjectFileError(path, f"a text is longer than {MAX_VALUE_BYTES:,} bytes; shorten it (the changes "
                                         "were not saved)") from exc
        if code == SQLITE_TOOBIG:
            raise ProjectFileError(path, f"holds a text larger than {MAX_VALUE_BYTES:,} bytes, which BoQ Estimator "
                                         "never writes; it may be damaged or crafted; open a backup copy") from exc
        if not isinstance(exc, sqlite3.OperationalError):
            raise ProjectFileError(path, Message("file_damaged", reason=exc)) from exc
        if "locked" in str(exc) or "busy" in str(exc):
            raise FileLocked(path, "is being written by another program; try again in a moment") from exc
        if "readonly" in str(exc) and Path(f"{path}-journal").exists():
            raise ProjectFileError(
                path,
                "has a save that was cut off (power cut or crash) and cannot be repaired on a "
                "read-only disk; copy it with its -journal file to a writable folder and open it "
                "there",
            ) from exc
        raise ProjectFileError(path, f"cannot be read or written ({exc}); it may be damaged, or on a read-only disk") from exc
    except (KeyError, ValueError, TypeError, json.JSONDecodeError, UserError) as exc:
        if isinstance(exc, ProjectFileError | DiskFull):
            raise
        raise ProjectFileError(path, Message("file_damaged", reason=exc)) from exc


class Project:
    """An open `.boq` file and the programme in it. Use as a context manager."""

    def __init__(self, path: Path, programme: Programme, conn: sqlite3.Connection, lock: filelock.BaseFileLock | None) -> None:
        self.path, self.programme, self._conn, self._lock = path, programme, conn, lock
        # what the file holds, for `save` to diff against; a read-only project never saves
        self._written = Written({} if lock is None else programme_rows(programme))
        self.last_delta: Delta | None = None  # the rows the last save wrote (a server working copy sends them on)
        self.repaired = False  # a save cut off by a crash was undone on opening

    @property
    def readonly(self) -> bool:
        return self._lock is None

    @property
    def connection(self) -> sqlite3.Connection:
        """The open file, for `estimator.revisions` (which owns REVISION_TABLES)."""
        return self._conn

    @classmethod
    def open(cls, path: Path | str, readonly: bool = False) -> Project:
        path = Path(path)
        _check_header(path)
        return cls._open_locked(path, None if readonly else _acquire(path))

    @classmethod
    def _open_locked(cls, path: Path, lock: filelock.BaseFileLock | None) -> Project:
        """Open `path` holding `lock` (None: read-only); the lock is released if opening fails."""
        readonly = lock is None
        repaired = False
        try:
            with _sqlite_errors(path):
                if not readonly and journal.is_hot(path):
                    journal.recover(path, lambda: _connect(path, readonly=False), lambda conn: _check(conn, path))
                    repaired = True
                conn = _connect(path, readonly)
                try:
                    _prepare(conn, path, readonly)
                    conn.execute("BEGIN")
                    with gc_paused():
                        programme = read(conn)
                    programme_limits.check_loaded(programme, path)
                    conn.execute("COMMIT")
                except BaseException:
                    conn.close()
                    raise
            project = cls(path, programme, conn, lock)
            project.repaired = repaired
            return project
        except BaseException:
            if lock is not None:
                lock.release()
            raise

    @classmethod
    def create(cls, path: Path | str, programme: Programme, overwrite: bool = False,
               keep_from: Project | None = None) -> Project:
        """Write `programme` as a new file, atomically, and open it (with `keep_from`'s frozen revisions)."""
        path = Path(path)
        if path.exists() and not overwrite:
            raise ProjectFileError(path, "already exists; choose another name or delete it first")
        if not path.resolve().parent.is_dir():
            raise ProjectFileError(path, Message("folder_missing", folder=path.resolve().parent))
        # Locked before writing: replacing a file that another window has open would leave that
        # window saving into the deleted file.
        lock = _acquire(path)
        try:
            write_new(path, programme, keep_from=keep_from._conn if keep_from is not None else None)
        except BaseException:
            _give_up(lock, path)
            raise
        return cls._open_locked(path, lock)

    def save(self, changed: Change | None = None) -> None:
        """Write what changed since the last save, in one transaction.

        `changed`: what the edits since the last save touched (the union of their
        `estimator.edits.Change`s, as the window keeps it); only those rows are compared with the
        file (`delta.touched`, a few milliseconds whatever the programme's size). None (the
        default: the command line, bulk changes) compares the whole programme (`delta.everything`).
        """
        if self._lock is None:
            raise ProjectFileError(self.path, "is open read-only")
        delta = everything(self.programme, self._written) if changed is None else \
            touched(self.programme, self._written, changed)
        self.last_delta = None
        if not delta:
            return
        with _sqlite_errors(self.path, saving=True):
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute("PRAGMA defer_foreign_keys = ON")
                # children before parents on delete, parents before children on insert
                for table in reversed(TABLES):
                    if gone := delta.deletes.get(table):
                        cols, nkey = TABLES[table]
                        where = " AND ".join(f"{c} = ?" for c in cols[:nkey])
                        self._conn.executemany(f"DELETE FROM {table} WHERE {where}", gone)
                for table in TABLES:
                    if upserts := delta.upserts.get(table):
                        self._conn.executemany(_UPSERT[table], upserts)
                self._conn.execute("COMMIT")
            except BaseException:
                _rollback(self._conn)
                raise
        self._written = self._written.apply(delta)
        self.last_delta = delta
        if changed is not None and os.environ.get("BOQ_CHECK_SAVES") == "1":  # set by the test suite
            missed = everything(self.programme, self._written)
            if missed:
                raise AssertionError(f"a save told what changed left rows of {sorted({*missed.upserts, *missed.deletes})} "
                                     "unsaved: an edit's Change does not name everything it changed")

    def save_as(self, path: Path | str) -> None:
        """Write the programme to a new file and continue working in that file."""
        new = Path(path)
        new_lock = _acquire(new)
        try:
            write_new(new, self.programme, keep_from=self._conn)  # the issued revisions go along
            conn = _connect(new, readonly=False)
        except BaseException:
            _give_up(new_lock, new)
            raise
        self.close()
        self.path, self._conn, self._lock = new, conn, new_lock
        self._written = Written(programme_rows(self.programme))

    def close(self) -> None:
        self._conn.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _give_up(lock: filelock.BaseFileLock, path: Path) -> None:
    """Release the lock of a file that could not be written; if nothing was made, no lock file stays beside it."""
    if not path.exists():
        with contextlib.suppress(OSError):
            Path(lock.lock_file).unlink()
    lock.release()


def _acquire(path: Path) -> filelock.BaseFileLock:
    import filelock

    # beside the real file: two names of one file (a symbolic link) share one lock
    real = path.resolve() if path.is_symlink() else path
    lock = filelock.FileLock(str(real) + ".lock", timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise FileLocked(path, "is open in another window or command; close it there first") from None
    except OSError as exc:
        raise ProjectFileError(path, Message("cannot_lock", reason=exc.strerror)) from exc
    return lock


def write_new(path: Path, programme: Programme, keep_from: sqlite3.Connection | None = None) -> None:
    """Write a complete file next to `path` and move it into place (atomic on one file system).

    `keep_from`: an open project file whose frozen revisions (REVISION_TABLES) are copied along.

    Call it holding `path`'s lock (`create` and `save_as` do): then any `.NAME.xxxxxxxx.tmp` beside it
    is what a write cut off by a power loss left behind, and is removed.
    """
    folder = path.resolve().parent
    if not folder.is_dir():
        raise ProjectFileError(path, Message("folder_missing", folder=folder))
    # the temporary file is `.NAME.xxxxxxxx.tmp`; leftovers of a cut write are removed first; the
    # journal of the file being replaced goes with it (applied to the new file it would corrupt it)
    with atomic_output(path, temp=(f".{path.name}.", ".tmp"), companions=COMPANIONS) as tmp, _new_file_errors(path):
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = OFF")  # a fresh temp file: atomicity comes from the rename
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("BEGIN")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            for table, keyed in programme_rows(programme).items():
                cols = TABLES[table][0]
                conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", keyed.values())
            for table in REVISION_TABLES:
                kept = keep_from.execute(f"SELECT * FROM {table}").fetchall() if keep_from is not None else []
                if kept:
                    conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(kept[0]))})", kept)
            conn.execute("COMMIT")
        finally:
            conn.close()


@contextlib.contextmanager
def _new_file_errors(path: Path) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorcode", None) == SQLITE_FULL:
            raise DiskFull(path, f"{path.name} is as it was" if path.exists() else "nothing was written",
                           str(exc)) from exc
        raise ProjectFileError(path, f"cannot be written ({exc})") from exc


def load(path: Path | str) -> Programme:
    """Read a programme without locking the file (for price, export and compare)."""
    with Project.open(path, readonly=True) as project:
        return project.programme
