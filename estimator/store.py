"""The `.boq` project file: one SQLite database per programme, small enough to e-mail.

Durability: every `save()` is one SQLite transaction (rollback journal, synchronous=FULL), so a
power cut leaves the file as it was before or after that save, never in between. `save()` writes
only the rows that changed since the last save, so the window can save after every edit.
A new file (and Save As) is written to a temporary file beside the target and moved into place.

Safety: `PRAGMA application_id` marks our files; `user_version` is the schema version. An older
file is migrated in one transaction; a newer or foreign file is refused with a message. An open
file is locked (`NAME.boq.lock`, released by the OS if the process dies) so a second window or
command cannot write to it; reading (price, export) needs no lock.

The SQL is plain and portable so a shared PostgreSQL back end can be added behind the same
`Project` interface later.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import filelock

from estimator.atomic import atomic_output
from estimator.errors import FileLocked, ProjectFileError, UserError
from estimator.model import Bill, ExchangeRate, Facility, Item, Markups, Programme
from estimator.money import to_decimal
from estimator.pricing import gc_paused
from estimator.rates.book import BuildupLine, Rate, RateBook, Resource

APPLICATION_ID = 0x424F5145  # "BOQE"
SCHEMA_VERSION = 4
SQLITE_MAGIC = b"SQLite format 3\x00"

# table -> (columns, number of leading key columns)
TABLES: dict[str, tuple[tuple[str, ...], int]] = {
    "meta": (("key", "value"), 1),
    "fx": (("currency", "date", "rate"), 2),
    "facilities": (
        ("uid", "pos", "name", "governorate", "district", "facility_type", "floor_area", "beds", "notes", "name_ar"),
        1,
    ),
    "bills": (("uid", "facility_uid", "pos", "name", "name_ar"), 1),
    "items": (
        (
            "uid",
            "bill_uid",
            "pos",
            "ref",
            "description",
            "description_ar",
            "quantity",
            "unit",
            "rate_code",
            "rate",
            "rate_currency",
            "rate_unit",
            "provisional",
            "notes",
        ),
        1,
    ),
    "resources": (("code", "data"), 1),
    "rates": (("code", "data"), 1),
}

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE fx (currency TEXT NOT NULL, date TEXT NOT NULL, rate TEXT NOT NULL, PRIMARY KEY (currency, date));
CREATE TABLE facilities (uid TEXT PRIMARY KEY, pos INTEGER NOT NULL, name TEXT NOT NULL,
    governorate TEXT NOT NULL DEFAULT '', district TEXT NOT NULL DEFAULT '', facility_type TEXT NOT NULL DEFAULT '',
    floor_area TEXT, beds INTEGER, notes TEXT NOT NULL DEFAULT '', name_ar TEXT NOT NULL DEFAULT '');
CREATE TABLE bills (uid TEXT PRIMARY KEY, facility_uid TEXT NOT NULL REFERENCES facilities(uid), pos INTEGER NOT NULL,
    name TEXT NOT NULL, name_ar TEXT NOT NULL DEFAULT '');
CREATE TABLE items (uid TEXT PRIMARY KEY, bill_uid TEXT NOT NULL REFERENCES bills(uid), pos INTEGER NOT NULL,
    ref TEXT NOT NULL DEFAULT '', description TEXT NOT NULL, description_ar TEXT NOT NULL DEFAULT '',
    quantity TEXT NOT NULL, unit TEXT NOT NULL, rate_code TEXT NOT NULL DEFAULT '', rate TEXT,
    rate_currency TEXT NOT NULL DEFAULT '', rate_unit TEXT NOT NULL DEFAULT '', provisional INTEGER NOT NULL DEFAULT 0,
    notes TEXT NOT NULL DEFAULT '');
CREATE TABLE resources (code TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE rates (code TEXT PRIMARY KEY, data TEXT NOT NULL);
"""

# Migrations from version N to N+1. Version 1 (0.1.0 previews) had no district, beds or item notes;
# version 2 no Arabic facility names.
MIGRATIONS: dict[int, list[str]] = {
    1: [
        "ALTER TABLE facilities ADD COLUMN district TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE facilities ADD COLUMN beds INTEGER",
        "ALTER TABLE items ADD COLUMN notes TEXT NOT NULL DEFAULT ''",
    ],
    2: ["ALTER TABLE facilities ADD COLUMN name_ar TEXT NOT NULL DEFAULT ''"],  # Arabic facility names
}

# ---- Frozen revisions (tender revisions and estimate baselines; `estimator.revisions`) -------------
# Format 4. Append-only: a revision row is inserted once and never updated or deleted; `snapshots`
# holds zlib-compressed canonical JSON, one blob per facility, settings and rate book, keyed by the
# SHA-256 of its text, so revisions share what did not change. Not in TABLES: `Project.save()`
# never touches them, and opening a file does not read them (they are loaded when asked for).
REVISION_TABLES = ("revisions", "snapshots")
REVISION_SCHEMA = """
CREATE TABLE revisions (kind TEXT NOT NULL, name TEXT NOT NULL, seq INTEGER NOT NULL, date TEXT NOT NULL,
    created TEXT NOT NULL, manifest TEXT NOT NULL, fingerprint TEXT NOT NULL, items INTEGER NOT NULL,
    total TEXT NOT NULL, currency TEXT NOT NULL, PRIMARY KEY (kind, name));
CREATE TABLE snapshots (hash TEXT PRIMARY KEY, data BLOB NOT NULL);
"""
SCHEMA += REVISION_SCHEMA
MIGRATIONS[3] = [sql.strip() for sql in REVISION_SCHEMA.split(";") if sql.strip()]  # format 3 had no revisions
# ---- end of frozen revisions ---------------------------------------------------------------------

Row = tuple[Any, ...]
# Rows keep Decimals (compared by value when diffing); SQLite stores them as their exact text.
sqlite3.register_adapter(Decimal, str)


def _upsert(table: str) -> str:
    cols, nkey = TABLES[table]
    update = ", ".join(f"{c} = excluded.{c}" for c in cols[nkey:])
    return (
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
        f"ON CONFLICT ({', '.join(cols[:nkey])}) DO UPDATE SET {update}"
    )


_UPSERT = {table: _upsert(table) for table in TABLES}


def _rows(programme: Programme) -> dict[str, dict[Row, Row]]:
    """Every table's rows for `programme`, keyed by their key columns."""
    meta = {
        "name": programme.name,
        "currency": programme.currency,
        "reference": programme.reference,
        "organisation": programme.organisation,
        "revision": programme.revision,
        "issue_date": programme.issue_date.isoformat(),
        "validity_days": str(programme.validity_days),
        "notes": programme.notes,
        "contingency": str(programme.markups.contingency),
        "overheads": str(programme.markups.overheads),
        "tax": str(programme.markups.tax),
    }
    tables: dict[str, list[Row]] = {name: [] for name in TABLES}
    tables["meta"] = list(meta.items())
    tables["fx"] = [(e.currency, e.date.isoformat(), str(e.rate)) for e in programme.exchange_rates]
    for f_pos, fac in enumerate(programme.facilities):
        tables["facilities"].append(
            (
                fac.uid,
                f_pos,
                fac.name,
                fac.governorate,
                fac.district,
                fac.facility_type,
                fac.floor_area,
                fac.beds,
                fac.notes,
                fac.name_ar,
            )
        )
        for b_pos, bill in enumerate(fac.bills):
            tables["bills"].append((bill.uid, fac.uid, b_pos, bill.name, bill.name_ar))
            tables["items"].extend(
                (
                    it.uid,
                    bill.uid,
                    i_pos,
                    it.ref,
                    it.description,
                    it.description_ar,
                    it.quantity,
                    it.unit,
                    it.rate_code,
                    it.rate,
                    it.rate_currency,
                    it.rate_unit,
                    int(it.provisional),
                    it.notes,
                )
                for i_pos, it in enumerate(bill.items)
            )
    tables["resources"] = [
        (code, json.dumps(_resource_data(r), ensure_ascii=False)) for code, r in programme.rates.resources.items()
    ]
    tables["rates"] = [(code, json.dumps(_rate_data(r), ensure_ascii=False)) for code, r in programme.rates.rates.items()]
    return {name: {row[: TABLES[name][1]]: row for row in rows} for name, rows in tables.items()}


@lru_cache(maxsize=8192)
def _resource_json(r: Resource) -> str:
    return json.dumps(_resource_data(r), ensure_ascii=False)


@lru_cache(maxsize=8192)
def _rate_json(r: Rate) -> str:
    return json.dumps(_rate_data(r), ensure_ascii=False)


def _resource_data(r: Resource) -> dict[str, str]:
    return {
        "kind": r.kind,
        "description": r.description,
        "description_ar": r.description_ar,
        "unit": r.unit,
        "price": str(r.price),
        "currency": r.currency,
        "date": r.date.isoformat(),
        "place": r.place,
        "source": r.source,
    }


def _rate_data(r: Rate) -> dict[str, Any]:
    return {
        "trade": r.trade,
        "description": r.description,
        "description_ar": r.description_ar,
        "unit": r.unit,
        "overheads_pct": str(r.overheads_pct),
        "source": r.source,
        "origin": r.origin,
        "quoted_price": None if r.quoted_price is None else str(r.quoted_price),
        "quoted_currency": r.quoted_currency,
        "quoted_date": r.quoted_date.isoformat() if r.quoted_date else None,
        "lines": [[ln.component, str(ln.coefficient), str(ln.waste_pct), ln.note] for ln in r.lines],
    }


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else to_decimal(value)


def _read(conn: sqlite3.Connection) -> Programme:
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    markups = Markups(
        to_decimal(meta.get("contingency", "0")), to_decimal(meta.get("overheads", "0")), to_decimal(meta.get("tax", "0"))
    )
    prog = Programme(
        name=meta.get("name", ""),
        currency=meta.get("currency", "USD"),
        reference=meta.get("reference", ""),
        organisation=meta.get("organisation", ""),
        revision=meta.get("revision", "0"),
        issue_date=dt.date.fromisoformat(meta.get("issue_date", dt.date.today().isoformat())),
        validity_days=int(meta.get("validity_days", "90")),
        notes=meta.get("notes", ""),
        markups=markups,
    )
    prog.exchange_rates = [
        ExchangeRate(c, to_decimal(r), dt.date.fromisoformat(d))
        for c, d, r in conn.execute("SELECT currency, date, rate FROM fx ORDER BY currency, date")
    ]
    bills_of: dict[str, list[Bill]] = {}
    items_of: dict[str, list[Item]] = {}
    for uid, bill_uid, _pos, ref, desc, desc_ar, qty, unit, code, rate, cur, runit, prov, notes in conn.execute(
        "SELECT uid, bill_uid, pos, ref, description, description_ar, quantity, unit, rate_code, rate, rate_currency,"
        " rate_unit, provisional, notes FROM items ORDER BY bill_uid, pos"
    ):
        items_of.setdefault(bill_uid, []).append(
            Item(desc, to_decimal(qty), unit, ref, desc_ar, code, _decimal(rate), cur, runit, bool(prov), notes, uid)
        )
    for uid, fac_uid, _pos, name, name_ar in conn.execute(
        "SELECT uid, facility_uid, pos, name, name_ar FROM bills ORDER BY facility_uid, pos"
    ):
        bills_of.setdefault(fac_uid, []).append(Bill(name, name_ar, items_of.get(uid, []), uid))
    for uid, _pos, name, gov, dist, ftype, area, beds, notes, name_ar in conn.execute(
        "SELECT uid, pos, name, governorate, district, facility_type, floor_area, beds, notes, name_ar FROM facilities"
        " ORDER BY pos"
    ):
        prog.facilities.append(Facility(name, gov, dist, ftype, _decimal(area), beds, notes, bills_of.get(uid, []), uid, name_ar))
    book = RateBook()
    for code, data in conn.execute("SELECT code, data FROM resources"):
        d = json.loads(data)
        book.resources[code] = Resource(
            code,
            d["kind"],
            d["description"],
            d["unit"],
            to_decimal(d["price"]),
            d["currency"],
            dt.date.fromisoformat(d["date"]),
            d["place"],
            d["source"],
            d["description_ar"],
        )
    for code, data in conn.execute("SELECT code, data FROM rates"):
        d = json.loads(data)
        book.rates[code] = Rate(
            code,
            d["trade"],
            d["description"],
            d["unit"],
            d["description_ar"],
            to_decimal(d["overheads_pct"]),
            tuple(BuildupLine(c, to_decimal(k), to_decimal(w), n) for c, k, w, n in d["lines"]),
            _decimal(d["quoted_price"]),
            d["quoted_currency"],
            dt.date.fromisoformat(d["quoted_date"]) if d["quoted_date"] else None,
            d["source"],
            d["origin"],
        )
    prog.rates = book
    return prog


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    # A reader opens the file read-write when it may, with `query_only` so it never writes: after a
    # save cut by a power loss the file has a hot journal, and only a writable connection can roll
    # it back (with `mode=ro` every reader failed with "attempt to write a readonly database").
    writable = not readonly or os.access(path, os.W_OK)
    uri = path.resolve().as_uri() + ("?mode=rw" if writable else "?mode=ro")
    conn = sqlite3.connect(uri, uri=True, timeout=10, isolation_level=None)
    if readonly:
        conn.execute("PRAGMA query_only = ON")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _check_header(path: Path) -> None:
    if not path.exists():
        raise ProjectFileError(path, "no such file; create one with `boq new` or `boq demo`")
    if path.is_dir():
        raise ProjectFileError(path, "is a folder, not a .boq project file")
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        raise ProjectFileError(path, "is not a BoQ Estimator project file (not an SQLite database)")


def _prepare(conn: sqlite3.Connection, path: Path, readonly: bool) -> None:
    """Check identity and version; migrate an older file in place (unless read-only)."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id != APPLICATION_ID:
        raise ProjectFileError(path, "is an SQLite database but not a BoQ Estimator project file")
    if version > SCHEMA_VERSION:
        raise ProjectFileError(
            path,
            f"was saved by a newer BoQ Estimator (file format {version}, this version "
            f"reads up to {SCHEMA_VERSION}); update the program to open it",
        )
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
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


@contextlib.contextmanager
def _sqlite_errors(path: Path) -> Iterator[None]:
    try:
        yield
    except sqlite3.OperationalError as exc:
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
    except (sqlite3.DatabaseError, KeyError, ValueError, TypeError, json.JSONDecodeError, UserError) as exc:
        if isinstance(exc, ProjectFileError):
            raise
        raise ProjectFileError(path, f"is damaged or not a valid project ({exc}); open a backup copy") from exc


class Project:
    """An open `.boq` file and the programme in it. Use as a context manager."""

    def __init__(self, path: Path, programme: Programme, conn: sqlite3.Connection, lock: filelock.BaseFileLock | None) -> None:
        self.path, self.programme, self._conn, self._lock = path, programme, conn, lock
        self._written: dict[str, dict[Row, Row]] = _rows(programme)

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
        try:
            with _sqlite_errors(path):
                conn = _connect(path, readonly)
                try:
                    _prepare(conn, path, readonly)
                    conn.execute("BEGIN")
                    with gc_paused():
                        programme = _read(conn)
                    conn.execute("COMMIT")
                except BaseException:
                    conn.close()
                    raise
            return cls(path, programme, conn, lock)
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
            raise ProjectFileError(path, f"folder {path.resolve().parent} does not exist")
        # Locked before writing: replacing a file that another window has open would leave that
        # window saving into the deleted file.
        lock = _acquire(path)
        try:
            write_new(path, programme, keep_from=keep_from._conn if keep_from is not None else None)
        except BaseException:
            lock.release()
            raise
        return cls._open_locked(path, lock)

    def save(self) -> None:
        """Write what changed since the last save, in one transaction."""
        if self._lock is None:
            raise ProjectFileError(self.path, "is open read-only")
        rows = _rows(self.programme)
        with _sqlite_errors(self.path):
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute("PRAGMA defer_foreign_keys = ON")
                # children before parents on delete, parents before children on insert
                for table in reversed(TABLES):
                    gone = [key for key in self._written[table] if key not in rows[table]]
                    if gone:
                        cols, nkey = TABLES[table]
                        where = " AND ".join(f"{c} = ?" for c in cols[:nkey])
                        self._conn.executemany(f"DELETE FROM {table} WHERE {where}", gone)
                for table, new in rows.items():
                    old = self._written[table]
                    changed = [row for key, row in new.items() if old.get(key) != row]
                    if changed:
                        self._conn.executemany(_UPSERT[table], changed)
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        self._written = rows

    def save_as(self, path: Path | str) -> None:
        """Write the programme to a new file and continue working in that file."""
        new = Path(path)
        new_lock = _acquire(new)
        try:
            write_new(new, self.programme, keep_from=self._conn)  # the issued revisions go along
            conn = _connect(new, readonly=False)
        except BaseException:
            new_lock.release()
            raise
        self.close()
        self.path, self._conn, self._lock = new, conn, new_lock
        self._written = _rows(self.programme)

    def close(self) -> None:
        self._conn.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _acquire(path: Path) -> filelock.BaseFileLock:
    lock = filelock.FileLock(str(path) + ".lock", timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise FileLocked(path, "is open in another window or command; close it there first") from None
    except OSError as exc:
        raise ProjectFileError(path, f"cannot be locked for writing ({exc.strerror}); is the folder read-only?") from exc
    return lock


def write_new(path: Path, programme: Programme, keep_from: sqlite3.Connection | None = None) -> None:
    """Write a complete file next to `path` and move it into place (atomic on one file system).

    `keep_from`: an open project file whose frozen revisions (REVISION_TABLES) are copied along.

    Call it holding `path`'s lock (`create` and `save_as` do): then any `.NAME.xxxxxxxx.tmp` beside it
    is what a write cut off by a power loss left behind, and is removed.
    """
    folder = path.resolve().parent
    if not folder.is_dir():
        raise ProjectFileError(path, f"folder {folder} does not exist")
    # the temporary file is `.NAME.xxxxxxxx.tmp`; leftovers of a cut write are removed first
    with atomic_output(path, temp=(f".{path.name}.", ".tmp")) as tmp:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = OFF")  # a fresh temp file: atomicity comes from the rename
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("BEGIN")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            for table, rows in _rows(programme).items():
                cols = TABLES[table][0]
                conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rows.values())
            for table in REVISION_TABLES:
                kept = keep_from.execute(f"SELECT * FROM {table}").fetchall() if keep_from is not None else []
                if kept:
                    conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(kept[0]))})", kept)
            conn.execute("COMMIT")
        finally:
            conn.close()


def load(path: Path | str) -> Programme:
    """Read a programme without locking the file (for price, export and compare)."""
    with Project.open(path, readonly=True) as project:
        return project.programme
