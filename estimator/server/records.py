"""Frozen revisions and contract entries between a `.boq` file and the server: the one owner of moving them.

The records (`store.REVISION_TABLES`: tender revisions and estimate baselines with their content-addressed
snapshots, and contract entries with their lines) are append-only on both sides, so the difference
between a file and the server is the rows whose key the other side lacks: no base to remember, and
nothing is re-sent (a snapshot is known by its hash). `exchange` appends to the server what it lacks
and copies into the file what the file lacks. The same key with other content on both sides (two
officers issued "Rev 1" at once, or recorded contract entry 7 at once) is refused, naming the record and
who made the server's one, and nothing is written; writers of one programme's records take turns (an
advisory lock), so of two concurrent appends of one key the second is told, not half-written.

What the server accepts is its business (roles and row-level security, `estimator.server.schema`): a
procurement account appends tender revisions, an estimator baselines, both contract entries.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from estimator.errors import ProjectFileError
from estimator.messages import Message
from estimator.server.connect import PermissionRefused, ServerError, connect, redacted, server_errors

if TYPE_CHECKING:
    import psycopg

LOCK_CLASS = 0x424F  # pg_advisory_xact_lock(LOCK_CLASS, programme id): one writer of a programme's records
MAX_SNAPSHOT = 256 << 20  # bytes of one snapshot's JSON, uncompressed (a lot of 24,000 items is a few MB)
KIND_NAMES = {"tender": "tender revision", "baseline": "estimate baseline"}


def columns(table: str) -> tuple[str, ...]:
    from estimator.store.schema import BY_NAME

    return BY_NAME[table].names


@dataclass(slots=True)
class Held:
    """The records one side holds: keyed rows (revisions, contract log), snapshot hashes, lines per entry."""

    revisions: dict[tuple[str, str], tuple[Any, ...]] = field(default_factory=dict)  # (kind, casefolded name)
    snapshots: set[str] = field(default_factory=set)
    entries: dict[int, tuple[Any, ...]] = field(default_factory=dict)  # contract_log seq -> row
    lines: dict[int, int] = field(default_factory=dict)  # contract_log seq -> number of lines
    stamps: dict[tuple[str, Any], tuple[str, dt.datetime]] = field(default_factory=dict)  # server: who, when


def _rev_key(row: Sequence[Any]) -> tuple[str, str]:
    return str(row[0]), str(row[1]).casefold()  # columns(revisions) begin kind, name


def read_file(conn: sqlite3.Connection) -> Held:
    held = Held()
    rev, log = columns("revisions"), columns("contract_log")
    for row in conn.execute(f"SELECT {', '.join(rev)} FROM revisions"):
        held.revisions[_rev_key(row)] = tuple(row)
    held.snapshots = {str(h) for (h,) in conn.execute("SELECT hash FROM snapshots")}
    for row in conn.execute(f"SELECT {', '.join(log)} FROM contract_log"):
        held.entries[int(row[0])] = tuple(row)
    held.lines = {int(e): int(n) for e, n in conn.execute("SELECT entry, count(*) FROM contract_lines GROUP BY entry")}
    return held


def read_server(conn: psycopg.Connection[Any], pid: int) -> Held:
    held = Held()
    rev, log = columns("revisions"), columns("contract_log")
    for row in conn.execute(f"SELECT {', '.join(rev)}, created_by, created_at FROM boq.revisions "
                            "WHERE programme_id = %s", (pid,)):
        key = _rev_key(row)
        held.revisions[key] = tuple(row[:len(rev)])
        held.stamps[("revisions", key)] = (str(row[-2]), row[-1])
    held.snapshots = {str(h) for (h,) in conn.execute("SELECT hash FROM boq.snapshots WHERE programme_id = %s", (pid,))}
    for row in conn.execute(f"SELECT {', '.join(log)}, created_by, created_at FROM boq.contract_log "
                            "WHERE programme_id = %s", (pid,)):
        held.entries[int(row[0])] = tuple(row[:len(log)])
        held.stamps[("contract_log", int(row[0]))] = (str(row[-2]), row[-1])
    held.lines = {int(e): int(n) for e, n in conn.execute(
        "SELECT entry, count(*) FROM boq.contract_lines WHERE programme_id = %s GROUP BY entry", (pid,))}
    return held


@dataclass(frozen=True, slots=True)
class RecordConflict:
    what: str  # "tender revision 'Rev 1'", "contract entry 7 (award of lot ...)"
    by: str
    at: dt.datetime | None

    def describe(self) -> str:
        when = f" on {self.at:%Y-%m-%d %H:%M}" if self.at else ""
        return f"{self.what}: the server already has one made by {self.by or 'another account'}{when}, with other content"


class RecordsConflict(ServerError):
    """The same revision name or contract entry number holds other content on the server."""

    def __init__(self, conflicts: list[RecordConflict], where: str, before: str = "") -> None:
        self.conflicts, self.where = conflicts, where
        lines = [f"{where}: {before}{len(conflicts)} record(s) clash with the server's; "
                 f"{'they were not written' if before else 'nothing was written'}:"]
        lines += [f"  {c.describe()}" for c in conflicts[:50]]
        lines.append("Someone recorded these at the same time as you. Take a fresh copy (run the command again, "
                     "or `boq pull`), then issue the revision under another name or record the entry again.")
        super().__init__("\n".join(lines))


@dataclass(slots=True)
class Difference:
    revisions: list[tuple[str, str]] = field(default_factory=list)
    snapshots: list[str] = field(default_factory=list)
    entries: list[int] = field(default_factory=list)


def _entry_label(row: Sequence[Any], lots: Mapping[str, str]) -> str:
    seq, lot, kind, period, name = row[0], str(row[1]), str(row[2]), row[3], str(row[4])
    what = f"{kind}{f' {name!r}' if name and kind == 'variation' else ''}{f' of period {period}' if period else ''}"
    return f"contract entry {seq} ({what}, lot {lots.get(lot, lot)!r})"


def compare(mine: Held, theirs: Held, lots: Mapping[str, str]) -> tuple[Difference, list[RecordConflict]]:
    """What `mine` holds that `theirs` lacks, and the keys both hold with other content (`theirs` stamped)."""
    out, clashes = Difference(), []
    for key, row in mine.revisions.items():
        other = theirs.revisions.get(key)
        if other is None:
            out.revisions.append(key)
        elif other != row:
            by, at = theirs.stamps.get(("revisions", key), ("", None))
            clashes.append(RecordConflict(f"{KIND_NAMES.get(key[0], key[0])} {row[1]!r}", by, at))
    out.snapshots = sorted(mine.snapshots - theirs.snapshots)
    for seq, row in mine.entries.items():
        other = theirs.entries.get(seq)
        if other is None:
            out.entries.append(seq)
        elif other != row or mine.lines.get(seq, 0) != theirs.lines.get(seq, 0):
            by, at = theirs.stamps.get(("contract_log", seq), ("", None))
            clashes.append(RecordConflict(_entry_label(row, lots), by, at))
    out.entries.sort()
    return out, clashes


def _checked_snapshot(digest: str, data: bytes, where: str, sending: bool = True) -> bytes:
    """A snapshot about to be shared or taken in: its content must be what its hash says (neither a file nor
    the server's rows are trusted: the hash is what lets every revision share it)."""
    d = zlib.decompressobj()
    try:
        raw = d.decompress(data, MAX_SNAPSHOT)
        ok = not d.unconsumed_tail and hashlib.sha256(raw).hexdigest() == digest
    except zlib.error:
        ok = False
    if not ok and sending:
        raise ProjectFileError(where, f"holds a revision snapshot ({digest[:12]}) whose content does not match it; "
                                      "it was not sent to the server; open a backup copy")
    if not ok:
        raise ServerError(f"{where}: the server holds a revision snapshot ({digest[:12]}) whose content does not "
                          "match it (written outside BoQ Estimator?); it was not copied; ask the server's "
                          "administrator to look at boq.snapshots")
    return data


@dataclass(frozen=True, slots=True)
class Exchanged:
    pushed: int  # revisions and contract entries appended to the server
    pulled: int  # ... copied into the file
    dropped: tuple[str, ...] = ()  # the file's records refused because the server had others (`discard`)


def exchange(file: sqlite3.Connection, url: str, name: str, *, push: bool = True, pull: bool = True,
             discard: bool = False, lots: Mapping[str, str] | None = None,
             conn: psycopg.Connection[Any] | None = None) -> Exchanged:
    """Append the file's records the server lacks (`push`) and copy the server's the file lacks (`pull`).

    A clash refuses the whole exchange (`RecordsConflict`, nothing written on either side), unless
    `discard`: then the file's clashing records (and its later contract entries the server lacks,
    which came after them) are removed from the file and the server's taken; for the window's working
    copy, which is the server's cache.
    """
    from psycopg import errors

    where = f"{redacted(url)}#{name}"
    lots = lots or {}
    own = conn is None
    conn = conn or connect(url)
    try:
        with _refusals(where), server_errors(Message("doing_records", where=where)):
            conn.rollback()
            found = conn.execute("SELECT id FROM boq.programmes WHERE name = %s", (name,)).fetchone()
            pid = None if found is None else int(found[0])
            if pid is None:
                raise ServerError(f"{where}: no programme of that name on the server; `boq server list URL` lists them")
            if push:
                conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_CLASS, pid))
            theirs = read_server(conn, pid)
            mine = read_file(file)
            up, clashes = compare(mine, theirs, lots)
            dropped: tuple[str, ...] = ()
            if clashes and discard:
                dropped = _discard(file, mine, theirs, clashes, lots)
                mine = read_file(file)
                up, clashes = compare(mine, theirs, lots)
            if clashes:
                conn.rollback()
                raise RecordsConflict(clashes, where)
            pushed = 0
            if push and (up.revisions or up.entries or up.snapshots):
                try:
                    _append(conn, pid, file, mine, up, where)
                    conn.commit()
                except errors.UniqueViolation:  # pragma: no cover - the advisory lock makes this the rare path
                    conn.rollback()
                    raise RecordsConflict([RecordConflict("a revision or contract entry", "", None)], where) from None
                except BaseException:
                    conn.rollback()
                    raise
                pushed = len(up.revisions) + len(up.entries)
            pulled = 0
            if pull:
                down, _ = compare(theirs, mine, lots)
                if down.revisions or down.entries or down.snapshots:
                    _copy_down(conn, pid, file, theirs, down, where)
                    pulled = len(down.revisions) + len(down.entries)
            conn.rollback()
            return Exchanged(pushed, pulled, dropped)
    finally:
        if own:
            conn.close()


@contextlib.contextmanager
def _refusals(where: str) -> Iterator[None]:
    try:
        yield
    except PermissionRefused as exc:
        raise PermissionRefused(
            f"{where}: the server refused to record it ({str(exc).split('refused it (', 1)[-1].split(');')[0]}): tender "
            "revisions are issued by procurement accounts (boq_procurement), estimate baselines by estimators "
            "(boq_estimator), contract entries by either; viewers only read; nothing was written") from None


def _append(conn: psycopg.Connection[Any], pid: int, file: sqlite3.Connection, mine: Held, up: Difference,
            where: str) -> None:
    rev, log, lines = columns("revisions"), columns("contract_log"), columns("contract_lines")
    with conn.cursor() as cur:
        if up.snapshots:
            for i in range(0, len(up.snapshots), 500):  # only the blobs the server lacks are read
                part = up.snapshots[i:i + 500]
                found = file.execute(f"SELECT hash, data FROM snapshots WHERE hash IN ({', '.join('?' * len(part))})",
                                     part).fetchall()
                cur.executemany("INSERT INTO boq.snapshots (programme_id, hash, data) VALUES (%s, %s, %s)",
                                [(pid, h, _checked_snapshot(h, bytes(d), where)) for h, d in found])
        if up.revisions:
            cur.executemany(f"INSERT INTO boq.revisions (programme_id, {', '.join(rev)}) "
                            f"VALUES (%s{', %s' * len(rev)})", [(pid, *mine.revisions[k]) for k in up.revisions])
        if up.entries:
            cur.executemany(f"INSERT INTO boq.contract_log (programme_id, {', '.join(log)}) "
                            f"VALUES (%s{', %s' * len(log)})", [(pid, *mine.entries[s]) for s in up.entries])
            # COPY into a temporary table (COPY into a table with row-level security is not allowed), then
            # one INSERT, checked by the policies: a 24,000-line award is one statement, not 24,000
            names = f"programme_id, {', '.join(lines)}"
            cur.execute(f"CREATE TEMP TABLE stage_lines ON COMMIT DROP AS SELECT {names} FROM boq.contract_lines "
                        "WITH NO DATA")
            with cur.copy(f"COPY stage_lines ({names}) FROM STDIN") as copy:
                for seq in up.entries:
                    for row in file.execute(f"SELECT {', '.join(lines)} FROM contract_lines WHERE entry = ? "
                                            "ORDER BY pos", (seq,)):
                        copy.write_row((pid, *row))
            cur.execute(f"INSERT INTO boq.contract_lines ({names}) SELECT {names} FROM stage_lines")


def _copy_down(conn: psycopg.Connection[Any], pid: int, file: sqlite3.Connection, theirs: Held, down: Difference,
               where: str) -> None:
    """Write the server's records the file lacks into the file, in one SQLite transaction."""
    from estimator.store import _sqlite_errors

    rev, log, lines = columns("revisions"), columns("contract_log"), columns("contract_lines")
    blobs = []
    if down.snapshots:
        blobs = conn.execute("SELECT hash, data FROM boq.snapshots WHERE programme_id = %s AND hash = ANY(%s)",
                             (pid, down.snapshots)).fetchall()
    entry_lines: list[tuple[Any, ...]] = []
    if down.entries:
        entry_lines = [tuple(r) for r in conn.execute(
            f"SELECT {', '.join(lines)} FROM boq.contract_lines WHERE programme_id = %s AND entry = ANY(%s) "
            "ORDER BY entry, pos", (pid, down.entries))]
    with _sqlite_errors(where, saving=True):  # type: ignore[arg-type]  # a name for messages
        file.execute("BEGIN IMMEDIATE")
        try:
            file.executemany("INSERT INTO snapshots (hash, data) VALUES (?, ?)",
                             [(h, _checked_snapshot(h, bytes(d), where, sending=False)) for h, d in blobs])
            file.executemany(f"INSERT INTO revisions ({', '.join(rev)}) VALUES ({', '.join('?' * len(rev))})",
                             [theirs.revisions[k] for k in down.revisions])
            file.executemany(f"INSERT INTO contract_log ({', '.join(log)}) VALUES ({', '.join('?' * len(log))})",
                             [theirs.entries[s] for s in down.entries])
            file.executemany(f"INSERT INTO contract_lines ({', '.join(lines)}) VALUES ({', '.join('?' * len(lines))})",
                             entry_lines)
            file.execute("COMMIT")
        except BaseException:
            if file.in_transaction:
                file.execute("ROLLBACK")
            raise


def _discard(file: sqlite3.Connection, mine: Held, theirs: Held, clashes: Iterable[RecordConflict],
             lots: Mapping[str, str]) -> tuple[str, ...]:
    """Remove from the file its records that clash with the server's (and its later unshared entries)."""
    revs = [k for k, row in mine.revisions.items() if k in theirs.revisions and theirs.revisions[k] != row]
    clashing = [s for s, row in mine.entries.items() if s in theirs.entries
                and (theirs.entries[s] != row or mine.lines.get(s, 0) != theirs.lines.get(s, 0))]
    later = [s for s in mine.entries if clashing and s > min(clashing) and s not in theirs.entries]
    gone = [f"{KIND_NAMES.get(k[0], k[0])} {mine.revisions[k][1]!r}" for k in revs]
    gone += [_entry_label(mine.entries[s], lots) for s in sorted({*clashing, *later})]
    file.execute("BEGIN IMMEDIATE")
    try:
        file.executemany("DELETE FROM revisions WHERE kind = ? AND name = ?", [mine.revisions[k][:2] for k in revs])
        for seq in sorted({*clashing, *later}):
            file.execute("DELETE FROM contract_lines WHERE entry = ?", (seq,))
            file.execute("DELETE FROM contract_log WHERE seq = ?", (seq,))
        file.execute("COMMIT")
    except BaseException:
        if file.in_transaction:
            file.execute("ROLLBACK")
        raise
    return tuple(gone)


def lot_names(programme: Any) -> dict[str, str]:
    """facility uid -> name, for naming contract entries in messages."""
    return {f.uid: f.name for f in getattr(programme, "facilities", ())}
