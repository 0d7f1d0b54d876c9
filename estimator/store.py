"""The `.boq` project file: one SQLite database per programme, small enough to e-mail.

Durability: every `save()` is one SQLite transaction (rollback journal, synchronous=FULL), so a
power cut leaves the file as it was before or after that save, never in between. `save()` writes
only the rows that changed since the last save, so the window can save after every edit.
A new file (and Save As) is written to a temporary file beside the target and moved into place.

Safety: `PRAGMA application_id` marks our files; `user_version` is the schema version. An older
file is migrated in one transaction; a newer or foreign file is refused with a message. An open
file is locked (`NAME.boq.lock`, released by the OS if the process dies) so a second window or
command cannot write to it; reading (price, export) needs no lock and never writes (`mode=ro`).
Every connection is defensive and the schema must be exactly ours (`estimator.schema_check`);
a save cut off by a crash is repaired only by a writer, safely (`estimator.journal`).

The SQL is plain and portable so a shared PostgreSQL back end can be added behind the same
`Project` interface later.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import stat
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from estimator import imports, journal, limits, particulars, settings
from estimator.atomic import DiskFull, atomic_output
from estimator.errors import FileLocked, InvalidNumber, ProjectFileError, UserError
from estimator.model import ITEM_KINDS, Bill, ExchangeRate, Facility, Item, Markups, Programme
from estimator.money import from_stored
from estimator.pricing import gc_paused
from estimator.rates.book import BuildupLine, Rate, RateBook, Resource
from estimator.schema_check import MAX_VALUE_BYTES, badly_typed, bounded_json, harden, verify, well_typed

APPLICATION_ID = 0x424F5145  # "BOQE"
SCHEMA_VERSION = 6
SQLITE_MAGIC = b"SQLite format 3\x00"
COMPANIONS = ("-journal", "-wal", "-shm")  # SQLite's files beside a database
SQLITE_FULL, SQLITE_TOOBIG = 13, 18

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
            "measurement",
            "kind",
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
    notes TEXT NOT NULL DEFAULT '', measurement TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL DEFAULT '');
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
    # Quantities typed as arithmetic (`2*(4.5+3.2)`) keep what was typed (format 4)
    3: ["ALTER TABLE items ADD COLUMN measurement TEXT NOT NULL DEFAULT ''"],
}

if TYPE_CHECKING:
    import filelock  # imported when a file is locked: reading (price, export) does without its 20-30 ms
# ---- Frozen revisions (tender revisions and estimate baselines; `estimator.revisions`) -------------
# Format 5. Append-only: a revision row is inserted once and never updated or deleted; `snapshots`
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
MIGRATIONS[4] = [sql.strip() for sql in REVISION_SCHEMA.split(";") if sql.strip()]  # format 4 had no revisions
# Provisional sums, prime cost sums and dayworks (`Item.kind`, format 6); lot particulars live in meta
MIGRATIONS[5] = ["ALTER TABLE items ADD COLUMN kind TEXT NOT NULL DEFAULT ''"]
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
        "name_ar": programme.name_ar,
        "organisation_ar": programme.organisation_ar,
        "revision": programme.revision,
        "issue_date": programme.issue_date.isoformat(),
        "validity_days": str(programme.validity_days),
        "notes": programme.notes,
        "contingency": str(programme.markups.contingency),
        "overheads": str(programme.markups.overheads),
        "tax": str(programme.markups.tax),
    }
    if programme.imported:
        meta[imports.META_KEY] = imports.to_meta(programme.imported)
    if programme.particulars != particulars.TenderParticulars():
        meta[particulars.META_KEY] = particulars.to_meta(programme.particulars)
    uids = {f.uid for f in programme.facilities}
    if overrides := {u: p for u, p in programme.lot_overrides.items() if u in uids and not p.is_empty()}:
        meta[particulars.LOT_META_KEY] = particulars.lot_to_meta(overrides)
    tables: dict[str, list[Row]] = {name: [] for name in TABLES}
    tables["meta"] = list(meta.items())
    tables["fx"] = [(e.currency, e.date.isoformat(), settings.rate_text(e)) for e in programme.exchange_rates]
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
                    it.measurement,
                    it.kind,
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


def _number(value: object, table: str, key: object, column: str) -> Decimal:
    """A number as this program stores it (`money.from_stored`); anything else names where it is."""
    try:
        return from_stored(value)
    except InvalidNumber:
        raise InvalidNumber(f"table {table}, row {key!r}, column {column}", str(value),
                            hint="the file was not written by BoQ Estimator or is damaged") from None


def _decimal(value: object, table: str, key: object, column: str) -> Decimal | None:
    return None if value is None else _number(value, table, key, column)


# value checks beyond the declared types (in SQL for the small tables, see `_typed`; items in `_read`)
EXTRA_CHECKS: dict[str, tuple[str, ...]] = {
    "items": ("provisional IN (0, 1)",),
    "facilities": ("(beds IS NULL OR beds >= 0)",),
}
_ITEM_TYPES = (str,) * 11 + (int,)  # uid, bill_uid, ref .. notes, measurement; pos


def _typed(table: str) -> str:
    """1 for a row of `table` whose values have the types of the schema (and pass EXTRA_CHECKS)."""
    return well_typed(SCHEMA, table, EXTRA_CHECKS.get(table, ()))


def _bad(conn: sqlite3.Connection, table: str, key: object) -> ValueError:
    return ValueError(badly_typed(conn, SCHEMA, table, TABLES[table][0][0], key, EXTRA_CHECKS.get(table, ())))


def _read(conn: sqlite3.Connection) -> Programme:
    meta: dict[str, str] = {}
    for ok, key, value in conn.execute(f"SELECT {_typed('meta')}, key, value FROM meta"):
        if not ok:
            raise _bad(conn, "meta", key)
        meta[key] = value
    markups = Markups(*(_number(meta.get(k, "0"), "meta", k, "value") for k in ("contingency", "overheads", "tax")))
    prog = Programme(
        name=meta.get("name", ""),
        currency=meta.get("currency", "USD"),
        reference=meta.get("reference", ""),
        organisation=meta.get("organisation", ""),
        name_ar=meta.get("name_ar", ""),
        organisation_ar=meta.get("organisation_ar", ""),
        revision=meta.get("revision", "0"),
        issue_date=dt.date.fromisoformat(meta.get("issue_date", dt.date.today().isoformat())),
        validity_days=int(meta.get("validity_days", "90")),
        notes=meta.get("notes", ""),
        markups=markups,
        imported=imports.from_meta(meta.get(imports.META_KEY)),
        particulars=particulars.from_meta(meta.get(particulars.META_KEY)),
        lot_overrides=particulars.lot_from_meta(meta.get(particulars.LOT_META_KEY)),
    )
    for ok, c, d, r in conn.execute(f"SELECT {_typed('fx')}, currency, date, rate FROM fx ORDER BY currency, date"):
        if not ok:
            raise _bad(conn, "fx", c)
        value, exact = settings.parse_rate_text(r, c)
        prog.exchange_rates.append(ExchangeRate(c, value, dt.date.fromisoformat(d), exact))
    bills_of: dict[str, list[Bill]] = {}
    items_of: dict[str, list[Item]] = {}
    # the big table is checked in Python: a typed column would cost SQLite more than the whole read
    for uid, bill_uid, pos, ref, desc, desc_ar, qty, unit, code, rate, cur, runit, prov, notes, measured, kind in conn.execute(
        "SELECT uid, bill_uid, pos, ref, description, description_ar, quantity, unit, rate_code, rate, rate_currency,"
        " rate_unit, provisional, notes, measurement, kind FROM items ORDER BY bill_uid, pos"
    ):
        if (uid.__class__, bill_uid.__class__, ref.__class__, desc.__class__, desc_ar.__class__, unit.__class__, code.__class__,
                cur.__class__, runit.__class__, notes.__class__, measured.__class__, pos.__class__) != _ITEM_TYPES or \
                prov not in (0, 1) or kind not in ITEM_KINDS:  # INTEGER affinity stores 1.0 and '1' as 1
            raise _bad(conn, "items", uid)
        items_of.setdefault(bill_uid, []).append(
            Item(desc, _number(qty, "items", uid, "quantity"), unit, ref, desc_ar, code,
                 None if rate is None else _number(rate, "items", uid, "rate"), cur, runit, bool(prov), notes, uid,
                 measured, kind)
        )
    for ok, uid, fac_uid, _pos, name, name_ar in conn.execute(
        f"SELECT {_typed('bills')}, uid, facility_uid, pos, name, name_ar FROM bills ORDER BY facility_uid, pos"
    ):
        if not ok:
            raise _bad(conn, "bills", uid)
        bills_of.setdefault(fac_uid, []).append(Bill(name, name_ar, items_of.pop(uid, []), uid))
    for ok, uid, _pos, name, gov, dist, ftype, area, beds, notes, name_ar in conn.execute(
        f"SELECT {_typed('facilities')}, uid, pos, name, governorate, district, facility_type, floor_area, beds, notes,"
        " name_ar FROM facilities ORDER BY pos"
    ):
        if not ok:
            raise _bad(conn, "facilities", uid)
        area = _decimal(area, "facilities", uid, "floor_area")
        prog.facilities.append(Facility(name, gov, dist, ftype, area, beds, notes, bills_of.pop(uid, []), uid, name_ar))
    # rows whose parent is missing would be dropped without a word (and their amounts with them)
    for table, parent, orphans in (("items", "bill", items_of), ("bills", "facility", bills_of)):
        if orphans:
            raise ValueError(f"table {table}: rows belong to {parent} {next(iter(orphans))!r}, which is not in the file")
    book = RateBook()
    for ok, code, data in conn.execute(f"SELECT {_typed('resources')}, code, data FROM resources"):
        if not ok:
            raise _bad(conn, "resources", code)
        d = bounded_json(data, "resources", code)
        book.resources[code] = Resource(
            code,
            d["kind"],
            d["description"],
            d["unit"],
            _number(d["price"], "resources", code, "price"),
            d["currency"],
            dt.date.fromisoformat(d["date"]),
            d["place"],
            d["source"],
            d["description_ar"],
        )
    for ok, code, data in conn.execute(f"SELECT {_typed('rates')}, code, data FROM rates"):
        if not ok:
            raise _bad(conn, "rates", code)
        d = bounded_json(data, "rates", code)
        book.rates[code] = Rate(
            code,
            d["trade"],
            d["description"],
            d["unit"],
            d["description_ar"],
            _number(d["overheads_pct"], "rates", code, "overheads_pct"),
            tuple(BuildupLine(c, _number(k, "rates", code, "coefficient"), _number(w, "rates", code, "waste_pct"), n)
                  for c, k, w, n in d["lines"]),
            _decimal(d["quoted_price"], "rates", code, "quoted_price"),
            d["quoted_currency"],
            dt.date.fromisoformat(d["quoted_date"]) if d["quoted_date"] else None,
            d["source"],
            d["origin"],
        )
    prog.rates = book
    return prog


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
        raise ProjectFileError(path, f"cannot be read ({exc.strerror})") from exc
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
            f"was saved by a newer BoQ Estimator (file format {version}, this version "
            f"reads up to {SCHEMA_VERSION}); update the program to open it",
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
            raise ProjectFileError(path, f"is damaged or not a valid project ({exc}); open a backup copy") from exc
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
        raise ProjectFileError(path, f"is damaged or not a valid project ({exc}); open a backup copy") from exc


class Project:
    """An open `.boq` file and the programme in it. Use as a context manager."""

    def __init__(self, path: Path, programme: Programme, conn: sqlite3.Connection, lock: filelock.BaseFileLock | None) -> None:
        self.path, self.programme, self._conn, self._lock = path, programme, conn, lock
        # what the file holds, for `save` to diff against; a read-only project never saves
        self._written: dict[str, dict[Row, Row]] = {} if lock is None else _rows(programme)
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
                        programme = _read(conn)
                    limits.check_loaded(programme, path)
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
            raise ProjectFileError(path, f"folder {path.resolve().parent} does not exist")
        # Locked before writing: replacing a file that another window has open would leave that
        # window saving into the deleted file.
        lock = _acquire(path)
        try:
            write_new(path, programme, keep_from=keep_from._conn if keep_from is not None else None)
        except BaseException:
            _give_up(lock, path)
            raise
        return cls._open_locked(path, lock)

    def save(self) -> None:
        """Write what changed since the last save, in one transaction."""
        if self._lock is None:
            raise ProjectFileError(self.path, "is open read-only")
        rows = _rows(self.programme)
        with _sqlite_errors(self.path, saving=True):
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
                _rollback(self._conn)
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
            _give_up(new_lock, new)
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
