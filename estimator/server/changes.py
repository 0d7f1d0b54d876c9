"""Working by change on a server programme: send the rows an edit changed, fetch the rows written since.

The live path of the window (and of `LiveProgramme`) never compares or reads a whole programme:

- `push_rows` writes the rows one edit changed, in one transaction after `boq.begin_change`, each
  only if its version on the server is still the one it was read at (a new row only if no row has its
  key). A row that someone else changed, added or deleted meanwhile makes the whole push a
  `RowConflicts` (nothing is written), listing their value, who and when, and their version (so that
  "keep mine" can be sent again against it).
- `fetch_since` reads, in one consistent snapshot, the rows written after a version (the tables are
  indexed by programme and version) and the tombstones of rows deleted after it (`boq.deleted`).

The whole-programme three-way merge (`estimator.server.sync`) stays the way of `boq push`/`pull` and
of opening a working copy again.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from estimator.messages import Message
from estimator.server.connect import PermissionRefused, ServerError, server_errors
from estimator.server.rows import Key, Row, digest, plain, pos_index, tables
from estimator.server.sync import Conflict, MergeConflicts

if TYPE_CHECKING:
    import psycopg


@dataclass(slots=True)
class Stamped:
    """A row as the server holds it now (None: deleted), its version, and who wrote it when."""

    row: Row | None
    version: int
    by: str = ""
    at: dt.datetime | None = None


@dataclass(slots=True)
class Fetched:
    """What `fetch_since` read: the programme's version in that snapshot and the rows written after the mark."""

    version: int
    rows: dict[str, dict[Key, Stamped]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return any(self.rows.values())

    def count(self) -> int:
        return sum(map(len, self.rows.values()))


class RowConflicts(MergeConflicts):
    """Rows changed by someone else since they were read: nothing was written. `current` holds the
    server's row and version of each (table, key), to take theirs or to send mine against it."""

    def __init__(self, conflicts: list[Conflict], name: str, current: dict[tuple[str, Key], Stamped]) -> None:
        super().__init__(conflicts, name)
        self.current = current


class Orphaned(ServerError):
    """Rows pushed into a bill or facility deleted on the server meanwhile; nothing was written."""


def _fk_violation() -> type[Exception]:
    from psycopg import errors

    return errors.ForeignKeyViolation


def _refused_by_policy() -> type[Exception]:
    from psycopg import errors

    return errors.InsufficientPrivilege


def _where_key(table: str) -> str:
    cols, nkey = tables()[table]
    return " AND ".join(f"{c} = %s" for c in cols[:nkey])


def read_rows(conn: psycopg.Connection[Any], pid: int, table: str, keys: Sequence[Key]) -> dict[Key, Stamped]:
    """The server's rows of `keys` now (inside the caller's transaction); a key with no row is absent."""
    cols, nkey = tables()[table]
    out: dict[Key, Stamped] = {}
    with conn.cursor() as cur:
        for key in keys:
            cur.execute(f"SELECT {', '.join(cols)}, version, changed_by, changed_at FROM boq.{table} "
                        f"WHERE programme_id = %s AND {_where_key(table)}", (pid, *plain(key)))
            row = cur.fetchone()
            if row is not None:
                n = len(cols)
                out[tuple(row[:nkey])] = Stamped(tuple(row[:n]), int(row[n]), str(row[n + 1]), row[n + 2])
    return out


def _deleted_by(conn: psycopg.Connection[Any], pid: int, table: str, key: Key) -> Stamped:
    row = conn.execute("SELECT version, changed_by, changed_at FROM boq.deleted WHERE programme_id = %s AND tbl = %s "
                       "AND key = %s::jsonb ORDER BY version DESC LIMIT 1",
                       (pid, table, json.dumps(list(plain(key))))).fetchone()
    return Stamped(None, 0) if row is None else Stamped(None, int(row[0]), str(row[1]), row[2])


def push_rows(conn: psycopg.Connection[Any], pid: int, where: str, name: str,
              writes: Mapping[str, Sequence[tuple[Row, int | None]]],
              deletes: Mapping[str, Sequence[tuple[Key, int]]], labels: Any = None) -> tuple[int, set[tuple[str, Key]]]:
    """Write `writes` (row, the version it was read at or None for a new row) and delete `deletes` (key,
    version) in one transaction, each checked against its version; the programme's new version, and the
    rows left as the server has them because they differ from mine only by their position (positions
    merge on their own: such a row is taken in from the server later, like any other change of theirs).

    RowConflicts (nothing written) when any row was changed, added or deleted by someone else meanwhile;
    PermissionRefused when the server's row-level security refused a row (a facility locked by another).
    `labels(table, key, row)` names a row in the conflict list.
    """
    names = list(tables())
    misses: list[tuple[str, Key, Row | None, int | None]] = []
    left: set[tuple[str, Key]] = set()
    with server_errors(Message("doing_edit", where=where)):
        try:
            version = int(conn.execute("SELECT boq.begin_change(%s)", (pid,)).fetchone()[0])  # type: ignore[index]
            with conn.cursor() as cur:
                for table in reversed(names):  # children first
                    todo = deletes.get(table, ())
                    if todo:
                        cur.executemany(f"DELETE FROM boq.{table} WHERE programme_id = %s AND {_where_key(table)} "
                                        "AND version = %s RETURNING 1",
                                        [(pid, *plain(k), v) for k, v in todo], returning=True)
                        for key, expected in todo:
                            if cur.fetchone() is None:
                                misses.append((table, key, None, expected))
                            cur.nextset()
                for table in names:  # parents first
                    todo_w = writes.get(table, ())
                    if not todo_w:
                        continue
                    cols, nkey = tables()[table]
                    known = [(r, v) for r, v in todo_w if v is not None]
                    new = [r for r, v in todo_w if v is None]
                    if known:
                        sets = ", ".join(f"{c} = %s" for c in cols[nkey:])
                        cur.executemany(f"UPDATE boq.{table} SET {sets} WHERE programme_id = %s AND "
                                        f"{_where_key(table)} AND version = %s RETURNING 1",
                                        [(*plain(r[nkey:]), pid, *plain(r[:nkey]), v) for r, v in known], returning=True)
                        for r, v in known:
                            if cur.fetchone() is None:
                                misses.append((table, r[:nkey], r, v))
                            cur.nextset()
                    if new:
                        cur.executemany(f"INSERT INTO boq.{table} (programme_id, {', '.join(cols)}) VALUES "
                                        f"(%s{', %s' * len(cols)}) ON CONFLICT DO NOTHING RETURNING 1",
                                        [(pid, *plain(r)) for r in new], returning=True)
                        for r in new:
                            if cur.fetchone() is None:
                                misses.append((table, r[:nkey], r, None))
                            cur.nextset()
            if misses:
                left = _refuse(conn, pid, name, misses, labels)
            conn.commit()  # references are checked here (deferred)
        except _refused_by_policy() as exc:  # a new row in a facility locked by someone else (WITH CHECK)
            conn.rollback()
            holder = conn.execute("SELECT string_agg(DISTINCT locked_by, ', ') FROM boq.facility_locks "
                                  "WHERE programme_id = %s AND locked_by <> current_user", (pid,)).fetchone()
            conn.rollback()
            if not holder or not holder[0] or "row-level security" not in str(exc):
                raise
            raise PermissionRefused(f"the facility is locked by {holder[0]}; your edit was not saved on the server "
                                    "(it is kept here and sent once the facility is unlocked)") from None
        except _fk_violation() as exc:
            conn.rollback()
            raise Orphaned(f"{where}: your edit belongs to a bill or facility that someone else deleted on the server "
                           f"({str(exc).splitlines()[0]}); it was not saved there") from None
        except BaseException:
            conn.rollback()
            raise
    return version, left


def _refuse(conn: psycopg.Connection[Any], pid: int, name: str,
            misses: list[tuple[str, Key, Row | None, int | None]], labels: Any) -> set[tuple[str, Key]]:
    """Why rows were not written: someone's change (RowConflicts) or a lock (PermissionRefused). Returns
    the rows that are no conflict (the push may commit): deleted on both sides, or the same but for
    their position."""
    conflicts: list[Conflict] = []
    current: dict[tuple[str, Key], Stamped] = {}
    left: set[tuple[str, Key]] = set()
    locked = False
    for table, key, mine, expected in misses:
        now = read_rows(conn, pid, table, [key]).get(key)
        p = pos_index(table)
        if now is None:
            if mine is None:
                left.add((table, key))  # deleted on both sides
                continue
            now = _deleted_by(conn, pid, table, key)
        elif expected is not None and now.version == expected:
            locked = True  # unchanged, yet not written: row-level security refused it
            continue
        elif mine is not None and digest(plain(mine), p) == digest(now.row, p):
            left.add((table, key))  # the same row, maybe at another place: theirs stands
            continue
        current[(table, key)] = now
        label = labels(table, key, mine or now.row) if labels else f"{table} {'/'.join(map(str, key))}"
        reason = ("deleted here, changed on the server" if mine is None else
                  "changed here, deleted on the server" if now.row is None else "")
        conflicts.append(Conflict(table, key, mine, now.row, label, now.by, now.at, reason))
    if not conflicts and not locked:
        return left
    holders = conn.execute("SELECT string_agg(DISTINCT locked_by, ', ') FROM boq.facility_locks WHERE programme_id = %s "
                           "AND locked_by <> current_user", (pid,)).fetchone()
    conn.rollback()
    if not conflicts:
        who = holders[0] if holders and holders[0] else "another estimator"
        raise PermissionRefused(f"the facility is locked by {who}; your edit was not saved on the server "
                                "(it is kept here and sent once the facility is unlocked)")
    raise RowConflicts(conflicts, name, current)


def fetch_since(conn: psycopg.Connection[Any], pid: int, since: int, where: str) -> Fetched:
    """The rows of programme `pid` written after version `since` and those deleted after it, in one snapshot."""
    with server_errors(Message("doing_changes", where=where)):
        try:
            conn.rollback()
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            now = int(conn.execute("SELECT version FROM boq.programmes WHERE id = %s",
                                   (pid,)).fetchone()[0])  # type: ignore[index]
            out = Fetched(now)
            if now == since:
                return out
            for table, (cols, nkey) in tables().items():
                n = len(cols)
                got = out.rows.setdefault(table, {})
                for r in conn.execute(f"SELECT {', '.join(cols)}, version, changed_by, changed_at FROM boq.{table} "
                                      "WHERE programme_id = %s AND version > %s", (pid, since)):
                    got[tuple(r[:nkey])] = Stamped(tuple(r[:n]), int(r[n]), str(r[n + 1]), r[n + 2])
            for tbl, key, version, by, at in conn.execute(
                    "SELECT tbl, key, version, changed_by, changed_at FROM boq.deleted WHERE programme_id = %s "
                    "AND version > %s ORDER BY version", (pid, since)):
                if tbl not in out.rows:
                    continue
                k = tuple(key)
                held = out.rows[tbl].get(k)
                if held is None or held.version < int(version):  # deleted (and not written again since)
                    out.rows[tbl][k] = Stamped(None, int(version), str(by), at)
            return out
        finally:
            conn.rollback()
