"""Programmes on the server: pull a copy, push it back merged item by item, open one in place.

Every row (item, bill, facility, exchange rate, setting, rate) has a version on the server. A pulled
`.boq` file remembers, for each row, the version and a fingerprint of its content at the pull (in its
`meta` table, `server.base.N`). Pushing compares three states per row: the base, the file (mine) and the
server (theirs). A row changed on one side only takes that side's change; a row changed on both sides
to different content is a conflict: it is listed, nothing is written, and the push is repeated with
`--take mine ID` or `--take theirs ID`. Positions merge on their own (a row's place in its bill is not
its content). A bill or facility deleted here whose rows someone else changed or added is a conflict too
(deleting it would take their work with it). After a push the file holds the merged programme.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from estimator.errors import ProjectFileError, UserError
from estimator.messages import Message
from estimator.model import Programme
from estimator.server.connect import ServerError, connect, redacted, server_errors
from estimator.server.rows import Key, Row, digest, plain, pos_index, programme_from_rows, programme_rows, tables

if TYPE_CHECKING:
    import psycopg

BASE_KEY = "server.base."  # meta keys of a pulled file: server.base.0, server.base.1, ...
JOURNAL_KEY = "server.journal."  # rows a live window's pushes and fetches moved since (`livecopy.WorkingCopy`)
BASE_CHUNK = 500_000  # characters per meta value (the store refuses values over 1 MB)
Side = Literal["mine", "theirs"]
# table -> key -> (version, content fingerprint, position)
Base = dict[str, dict[Key, tuple[int, str, int | None]]]


@dataclass(slots=True)
class ServerState:
    """A programme as the server holds it: normalised rows, and each row's version and author."""

    pid: int
    version: int
    programme: Programme
    rows: dict[str, dict[Key, Row]]
    stamps: dict[str, dict[Key, tuple[int, str, dt.datetime]]]

    def base(self) -> Base:
        out: Base = {}
        for table, rows in self.rows.items():
            p = pos_index(table)
            stamps = self.stamps.get(table, {})
            out[table] = {key: (stamps.get(key, (0, "", None))[0], digest(row, p), None if p is None else row[p])
                          for key, row in rows.items()}
        return out


@dataclass(slots=True)
class Conflict:
    table: str
    key: Key
    mine: Row | None
    theirs: Row | None
    label: str
    by: str = ""
    at: dt.datetime | None = None
    reason: str = ""

    @property
    def ident(self) -> str:
        """How the user names it in `--take`: an item's, bill's or facility's uid, else table:key."""
        if self.table in ("items", "bills", "facilities"):
            return str(self.key[0])
        return f"{self.table}:{'/'.join(map(str, self.key))}"

    def describe(self) -> str:
        cols = tables()[self.table][0]
        if self.reason:
            what = self.reason
        elif self.mine is None:
            what = "deleted here, changed on the server"
        elif self.theirs is None:
            what = "changed here, deleted on the server"
        else:
            p = pos_index(self.table)
            what = "; ".join(f"{c}: mine {_show(a)}, theirs {_show(b)}"
                             for i, (c, a, b) in enumerate(zip(cols, self.mine, self.theirs, strict=True))
                             if a != b and i != p)
        who = f" (server: {self.by}, {self.at:%Y-%m-%d %H:%M})" if self.by and self.at else ""
        return f"{self.ident}  {self.label}: {what}{who}"


def _show(value: object) -> str:
    text = "(empty)" if value in (None, "") else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


class MergeConflicts(ServerError):
    def __init__(self, conflicts: list[Conflict], name: str) -> None:
        self.conflicts = conflicts
        lines = [f"{len(conflicts)} conflict(s) with the server's programme {name!r}; nothing was written:"]
        lines += [f"  {c.describe()}" for c in conflicts[:200]]
        if len(conflicts) > 200:
            lines.append(f"  ... and {len(conflicts) - 200} more")
        lines.append("Choose for each: --take mine ID... (keep yours) or --take theirs ID... (keep the server's); "
                     "--take mine or --take theirs alone applies to all.")
        super().__init__("\n".join(lines))


@dataclass(slots=True)
class Merge:
    writes: dict[str, list[Row]] = field(default_factory=dict)
    deletes: dict[str, list[Key]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    resolved: list[tuple[Conflict, Side]] = field(default_factory=list)
    theirs_changed: bool = True  # the server has changes since the base (the result is not just mine)

    def changes(self) -> int:
        return sum(map(len, self.writes.values())) + sum(map(len, self.deletes.values()))


def merge(local: Mapping[str, Mapping[Key, Row]], base: Base | None, server: ServerState,
          take: Mapping[str, Side] | None = None) -> Merge:
    """What to write so the server holds mine merged into theirs; conflicts that `take` does not settle."""
    take = take or {}
    labels = _Labels(local, server.rows)
    out = Merge(theirs_changed=base is None)
    for table in tables():
        p = pos_index(table)
        mine, theirs, was = local.get(table, {}), server.rows.get(table, {}), (base or {}).get(table, {})
        writes, deletes = out.writes.setdefault(table, []), out.deletes.setdefault(table, [])
        for key in dict.fromkeys([*was, *mine, *theirs]):
            L, S, B = mine.get(key), theirs.get(key), was.get(key)
            hL, hS = digest(L, p), digest(S, p)
            if base is None:  # never pulled from here: only additions and identical rows go without asking
                if S is None and L is not None:
                    writes.append(L)
                elif L is not None and hL == hS and digest(L, None) != digest(S, None):
                    writes.append(L)  # same content, another position
                elif L is not None and hL != hS:
                    _conflict(out, table, key, L, S, labels, server, take, writes, deletes)
                continue
            hB = B[1] if B else ""
            if hS != hB or (S is not None and B is not None and p is not None and S[p] != B[2]):
                out.theirs_changed = True
            local_moved = L is not None and B is not None and p is not None and L[p] != B[2]
            if hL == hB and not local_moved:
                continue  # untouched here: the server's row stands
            if hL == hB:  # only moved here: keep the server's content at my position
                if S is not None and p is not None and S[p] != L[p]:  # type: ignore[index]
                    writes.append((*S[:p], L[p], *S[p + 1:]))  # type: ignore[index]
                continue
            if hS == hB or hL == hS:  # changed here only, or the same change on both sides
                if L is None:
                    if S is not None:
                        deletes.append(key)
                elif digest(L, None) != digest(S, None):
                    row = L
                    if S is not None and p is not None and B is not None and L[p] == B[2]:
                        row = (*L[:p], S[p], *L[p + 1:])  # not moved here: keep the server's position
                    writes.append(row)
                continue
            _conflict(out, table, key, L, S, labels, server, take, writes, deletes)
    _check_cascades(out, server, labels, take)
    return out


def _conflict(out: Merge, table: str, key: Key, mine: Row | None, theirs: Row | None, labels: _Labels,
              server: ServerState, take: Mapping[str, Side], writes: list[Row], deletes: list[Key],
              reason: str = "") -> None:
    by, at = "", None
    if (stamp := server.stamps.get(table, {}).get(key)) is not None:
        by, at = stamp[1], stamp[2]
    c = Conflict(table, key, mine, theirs, labels.label(table, key, mine or theirs), by, at, reason)
    side = take.get(c.ident) or take.get("*")
    if side is None:
        out.conflicts.append(c)
        return
    out.resolved.append((c, side))
    if side == "mine":
        if mine is None:
            deletes.append(key)
        else:
            writes.append(mine)


def _check_cascades(out: Merge, server: ServerState, labels: _Labels, take: Mapping[str, Side]) -> None:
    """Deleting a bill or facility deletes its rows on the server: refuse when someone else's rows would go."""
    from estimator.server.schema import programme_tables, references

    gone = {t: set(keys) for t, keys in out.deletes.items()}
    for t in programme_tables():
        for col, parent, _pcol in references(t):
            if not gone.get(parent):
                continue
            ci = t.names.index(col)
            parents = {k[0] for k in gone[parent]}
            for key, row in server.rows.get(t.name, {}).items():
                if row[ci] in parents and key not in gone.get(t.name, set()):
                    pkey = (row[ci],)
                    parents.discard(row[ci])  # one conflict per parent, however many rows of others it holds
                    out.deletes[parent].remove(pkey)
                    gone[parent].discard(pkey)
                    theirs = server.rows.get(parent, {}).get(pkey)
                    reason = (f"deleted here, but the server has {labels.label(t.name, key, row)} in it, "
                              "added or changed by someone else")
                    _conflict(out, parent, pkey, None, theirs, labels, server, take, out.writes[parent],
                              out.deletes[parent], reason)


class _Labels:
    """Human names of rows for conflict lists: facility / bill / ref description."""

    def __init__(self, *sources: Mapping[str, Mapping[Key, Row]]) -> None:
        self.facilities: dict[Any, str] = {}
        self.bills: dict[Any, tuple[Any, str]] = {}
        for rows in sources:
            for (uid,), row in rows.get("facilities", {}).items():
                self.facilities.setdefault(uid, str(row[2]))
            for (uid,), row in rows.get("bills", {}).items():
                self.bills.setdefault(uid, (row[1], str(row[3])))

    def label(self, table: str, key: Key, row: Row | None) -> str:
        if row is None:
            return f"{table} {key}"
        if table == "facilities":
            return f"facility {row[2]}"
        if table == "bills":
            return f"{self.facilities.get(row[1], '?')} / bill {row[3]}"
        if table == "items":
            fac, bill = self.bills.get(row[1], ("?", "?"))
            return f"{self.facilities.get(fac, '?')} / {bill} / {row[3] or '-'} {_show(row[4])}"
        return f"{table} {'/'.join(map(str, key))}"


# ---- the server's side -----------------------------------------------------------------------------

def programme_id(conn: psycopg.Connection[Any], name: str) -> int | None:
    row = conn.execute("SELECT id FROM boq.programmes WHERE name = %s", (name,)).fetchone()
    return None if row is None else int(row[0])


def read_state(conn: psycopg.Connection[Any], pid: int, where: str) -> ServerState:
    """The programme `pid` as it is now (inside the caller's transaction)."""
    version = int(conn.execute("SELECT version FROM boq.programmes WHERE id = %s", (pid,)).fetchone()[0])  # type: ignore[index]
    raw: dict[str, list[Row]] = {}
    stamps: dict[str, dict[Key, tuple[int, str, dt.datetime]]] = {}
    for table, (cols, nkey) in tables().items():
        cur = conn.execute(f"SELECT {', '.join(cols)}, version, changed_by, changed_at FROM boq.{table} "
                           "WHERE programme_id = %s", (pid,))
        n = len(cols)
        rows = cur.fetchall()
        raw[table] = [r[:n] for r in rows]
        stamps[table] = {tuple(r[:nkey]): (int(r[n]), str(r[n + 1]), r[n + 2]) for r in rows}
    programme = programme_from_rows(raw, where)
    return ServerState(pid, version, programme, programme_rows(programme), stamps)


def _upsert(table: str) -> str:
    cols, nkey = tables()[table]
    sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in cols[nkey:])
    return (f"INSERT INTO boq.{table} (programme_id, {', '.join(cols)}) VALUES (%s{', %s' * len(cols)}) "
            f"ON CONFLICT (programme_id, {', '.join(cols[:nkey])}) DO UPDATE SET {sets}")


def apply(conn: psycopg.Connection[Any], pid: int, m: Merge) -> None:
    """Write a merge (inside the caller's transaction, after `boq.begin_change`)."""
    names = list(tables())
    with conn.cursor() as cur:
        for table in reversed(names):  # children first
            if keys := m.deletes.get(table):
                cols, nkey = tables()[table]
                where = " AND ".join(f"{c} = %s" for c in cols[:nkey])
                cur.executemany(f"DELETE FROM boq.{table} WHERE programme_id = %s AND {where}",
                                [(pid, *plain(k)) for k in keys])
        for table in names:
            if rows := m.writes.get(table):
                cur.executemany(_upsert(table), [(pid, *plain(r)) for r in rows])


def _copy_in(conn: psycopg.Connection[Any], pid: int, rows: Mapping[str, Mapping[Key, Row]]) -> None:
    """A new programme's rows, fast: COPY into a temporary table (COPY itself bypasses no row-level security
    only for the tables' owner), then one INSERT per table, checked by the policies and triggers."""
    for table, (cols, _nkey) in tables().items():
        names = f"programme_id, {', '.join(cols)}"
        conn.execute(f"CREATE TEMP TABLE stage_{table} ON COMMIT DROP AS SELECT {names} FROM boq.{table} WITH NO DATA")
        with conn.cursor().copy(f"COPY stage_{table} ({names}) FROM STDIN") as copy:
            for row in rows.get(table, {}).values():
                copy.write_row((pid, *plain(row)))
        conn.execute(f"INSERT INTO boq.{table} ({names}) SELECT {names} FROM stage_{table}")


@dataclass(slots=True)
class PushResult:
    state: ServerState  # the server's programme after the push (what the file now holds)
    merge: Merge
    created: bool


def _mine_only(local: Mapping[str, Mapping[Key, Row]], base: Base) -> Merge:
    """The merge when the server still holds exactly the base (nobody else wrote since): my changes."""
    out = Merge(theirs_changed=False)
    for table in tables():
        p = pos_index(table)
        mine, was = local.get(table, {}), base.get(table, {})
        writes, deletes = out.writes.setdefault(table, []), out.deletes.setdefault(table, [])
        for key in dict.fromkeys([*was, *mine]):
            L, B = mine.get(key), was.get(key)
            if L is None:
                deletes.append(key)  # B is there
            elif B is None or digest(L, p) != B[1] or (p is not None and L[p] != B[2]):
                writes.append(L)
    return out


def _base_state(pid: int, version: int, programme: Programme, base: Base) -> ServerState:
    """The server's state known from a base (versions and fingerprints, no rows: only for `_after`'s fast path)."""
    stamps = {t: {k: (v, "", dt.datetime.min) for k, (v, _h, _p) in rows.items()} for t, rows in base.items()}
    return ServerState(pid, version, programme, {}, stamps)


def push_programme(url: str, name: str, programme: Programme, base: Base | None,
                   take: Mapping[str, Side] | None = None, conn: psycopg.Connection[Any] | None = None,
                   base_version: int | None = None) -> PushResult:
    """Merge `programme` (pulled at `base`, the server's version `base_version`, or never) into the server's
    `name`, in one transaction. When nobody wrote since the base, the server's rows are not read at all."""
    check_name(name)
    local = programme_rows(programme)
    where = f"{redacted(url)}#{name}"
    own = conn is None
    conn = conn or connect(url)
    try:
        with server_errors(Message("doing_push", where=where)):
            try:
                pid = programme_id(conn, name)
                created = pid is None
                user = str(conn.execute("SELECT session_user").fetchone()[0])  # type: ignore[index]
                if pid is None:
                    pid = int(conn.execute("INSERT INTO boq.programmes (name) VALUES (%s) RETURNING id",
                                           (name,)).fetchone()[0])  # type: ignore[index]
                    version = int(conn.execute("SELECT boq.begin_change(%s)", (pid,)).fetchone()[0])  # type: ignore[index]
                    _copy_in(conn, pid, local)
                    m = Merge(writes={t: list(r.values()) for t, r in local.items()}, theirs_changed=False)
                    before = ServerState(pid, 0, programme, {t: {} for t in local}, {})
                else:
                    # one writer of a programme at a time: its row is locked until commit
                    now = int(conn.execute("SELECT version FROM boq.programmes WHERE id = %s FOR UPDATE",
                                           (pid,)).fetchone()[0])  # type: ignore[index]
                    if base is not None and base_version == now:
                        before = _base_state(pid, now, programme, base)
                        m = _mine_only(local, base)
                    else:
                        before = read_state(conn, pid, where)
                        m = merge(local, base, before, take)
                    if m.conflicts:
                        raise MergeConflicts(m.conflicts, name)
                    version = before.version
                    if m.changes():
                        version = int(conn.execute("SELECT boq.begin_change(%s)", (pid,)).fetchone()[0])  # type: ignore[index]
                        apply(conn, pid, m)
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
            state = _after(conn, before, m, version, user, programme, local, where)
    except _fk_violation() as exc:
        raise ServerError(f"pushing to {where}: the merged programme would have rows whose bill or facility was "
                          f"deleted on the server ({str(exc).splitlines()[0]}); pull a fresh copy and add them "
                          "again; nothing was written") from None
    finally:
        if own:
            conn.close()
    return PushResult(state, m, created)


def _after(conn: psycopg.Connection[Any], before: ServerState, m: Merge, version: int, user: str,
           programme: Programme, local: dict[str, dict[Key, Row]], where: str) -> ServerState:
    """The server's programme after a committed merge, without reading it all again (unless a settled
    conflict deleted a bill or facility: then the server's cascade is read back)."""
    if any(side == "mine" and c.mine is None for c, side in m.resolved):
        state = read_state(conn, before.pid, where)
        conn.rollback()
        return state
    now = dt.datetime.now(dt.UTC)
    stamps = {t: dict(s) for t, s in before.stamps.items()}
    rows = {t: dict(r) for t, r in before.rows.items()}
    for table, keys in m.deletes.items():
        for key in keys:
            rows.get(table, {}).pop(key, None)
            stamps.get(table, {}).pop(key, None)
    cols = tables()
    for table, written in m.writes.items():
        nkey = cols[table][1]
        for row in written:
            rows.setdefault(table, {})[row[:nkey]] = row
            stamps.setdefault(table, {})[row[:nkey]] = (version, user, now)
    if not m.theirs_changed and not m.resolved:
        return ServerState(before.pid, version, programme, local, stamps)  # the server now holds exactly mine
    merged = programme_from_rows({t: list(r.values()) for t, r in rows.items()}, where)
    return ServerState(before.pid, version, merged, programme_rows(merged), stamps)


def _fk_violation() -> type[Exception]:
    from psycopg import errors

    return errors.ForeignKeyViolation


def pull_state(url: str, name: str, conn: psycopg.Connection[Any] | None = None) -> ServerState:
    where = f"{redacted(url)}#{name}"
    own = conn is None
    conn = conn or connect(url)
    try:
        with server_errors(Message("doing_read", where=where)):
            conn.rollback()  # a fresh transaction: one consistent snapshot of every table
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            pid = programme_id(conn, name)
            if pid is None:
                raise ServerError(f"{where}: no programme of that name on the server; `boq server list URL` "
                                  "lists them")
            state = read_state(conn, pid, where)
            conn.rollback()
            return state
    finally:
        if own:
            conn.close()


def check_name(name: str) -> None:
    if not name.strip() or len(name) > 200 or any(ord(ch) < 32 for ch in name):
        raise UserError(f"programme name {name!r}: use 1-200 printable characters")


# ---- the file's side: the base a pulled file remembers ---------------------------------------------

def _where(url: str) -> str:
    """The server and database of `url`, without the user (a colleague's pull of the same programme)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.hostname or ''}:{parts.port or 5432}{parts.path}?{parts.query}"


def write_base(conn: Any, url: str, name: str, state: ServerState) -> None:
    """Record in an open `.boq` file (its sqlite3 connection) what it was pulled or pushed at."""
    store_base(conn, url, name, state.base(), state.version)


def store_base(conn: Any, url: str, name: str, base: Base, version: int) -> None:
    """Record `base` (at the server's `version`) in an open `.boq` file, replacing its record and journal."""
    payload = {"server": _where(url), "name": name, "version": version,
               "tables": {t: [[list(k), *v] for k, v in rows.items()] for t, rows in base.items()}}
    text = base64.b64encode(zlib.compress(json.dumps(payload, separators=(",", ":")).encode(), 6)).decode()
    chunks = [text[i:i + BASE_CHUNK] for i in range(0, len(text), BASE_CHUNK)] or [""]
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM meta WHERE key LIKE 'server.base.%' OR key LIKE 'server.journal.%'")
        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                         [(f"{BASE_KEY}{i}", chunk) for i, chunk in enumerate(chunks)])
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def read_base(conn: Any, url: str, name: str) -> Base | None:
    """The base recorded in an open `.boq` file for server `url`'s programme `name`, or None."""
    return read_base_version(conn, url, name)[0]


def read_base_version(conn: Any, url: str, name: str) -> tuple[Base | None, int | None]:
    """The base recorded in an open `.boq` file and the server's version it was taken at (None, None: none)."""
    rows = conn.execute("SELECT key, value FROM meta WHERE key LIKE 'server.base.%'").fetchall()
    if not rows:
        return None, None
    try:
        chunks = sorted((int(k[len(BASE_KEY):]), v) for k, v in rows)
        payload = json.loads(zlib.decompress(base64.b64decode("".join(v for _i, v in chunks)), bufsize=1 << 20))
        if payload["server"] != _where(url) or payload["name"] != name:
            return None, None
        base = {t: {tuple(k): (int(v), str(h), p) for k, v, h, p in rows_} for t, rows_ in payload["tables"].items()}
        return _replay_journal(conn, base, int(payload["version"]))
    except (ValueError, KeyError, TypeError, zlib.error) as exc:
        raise ProjectFileError("the file", f"its record of the server copy is damaged ({exc}); pull a fresh copy "
                                           "and redo the changes there") from None


def _replay_journal(conn: Any, base: Base, version: int) -> tuple[Base, int]:
    """The base with the journal a live window wrote since (`livecopy.WorkingCopy`) applied to it."""
    rows = conn.execute("SELECT key, value FROM meta WHERE key LIKE 'server.journal.%' ORDER BY key").fetchall()
    for _key, value in rows:
        payload = json.loads(zlib.decompress(base64.b64decode(value), bufsize=1 << 20))
        for table, entries in payload["t"].items():
            held = base.setdefault(table, {})
            for key, *entry in entries:
                if entry:
                    held[tuple(key)] = (int(entry[0]), str(entry[1]), entry[2])
                else:
                    held.pop(tuple(key), None)
        version = max(version, int(payload["v"]))
    return base, version


def pull_to_file(url: str, name: str, path: Path, overwrite: bool = False) -> ServerState:
    """Check out the server's `name` to a new `.boq` file at `path`."""
    from estimator.server.records import exchange, lot_names
    from estimator.store import Project

    state = pull_state(url, name)
    with Project.create(path, state.programme, overwrite=overwrite) as project:
        write_base(project.connection, url, name, state)
        exchange(project.connection, url, name, push=False, lots=lot_names(state.programme))  # revisions, contracts
    return state


def push_file(path: Path, url: str, name: str, take: Mapping[str, Side] | None = None) -> PushResult:
    """Merge the file into the server's `name`; the file then holds the merged programme."""
    from estimator.store import Project

    with Project.open(path) as project:  # locked: not open in a window meanwhile
        base, version = read_base_version(project.connection, url, name)
        if unchanged(project.programme, base):
            # nothing of mine in the programme (e.g. procurement pushing a revision): take the server's as it
            # is, which an account that may not change programmes may do too
            state = pull_state(url, name)
            result = PushResult(state, Merge(theirs_changed=state.version != version), False)
        else:
            result = push_programme(url, name, project.programme, base, take, base_version=version)
        project.programme = result.state.programme
        project.save()
        write_base(project.connection, url, name, result.state)
        push_records(project, url, name)
    return result


def unchanged(programme: Programme, base: Base | None) -> bool:
    """Whether a pulled file's programme is still exactly what it was pulled at (nothing to push)."""
    return base is not None and not _mine_only(programme_rows(programme), base).changes()


def take_server(project: Any, url: str, name: str) -> ServerState:
    """Make an open pulled file hold the server's programme as it is now (for a file with nothing to push)."""
    state = pull_state(url, name)
    if state.programme != project.programme:
        project.programme = state.programme
        project.save()
    write_base(project.connection, url, name, state)
    return state


def push_records(project: Any, url: str, name: str) -> None:
    """After the programme: append the file's revisions and contract entries the server lacks, take the server's."""
    from estimator.server.records import RecordsConflict, exchange, lot_names

    try:
        exchange(project.connection, url, name, lots=lot_names(project.programme))
    except RecordsConflict as exc:
        raise RecordsConflict(exc.conflicts, exc.where, "the programme was pushed, but ") from None
    except ServerError as exc:
        raise type(exc)(f"the programme was pushed, but not its tender revisions, baselines or contract entries: "
                        f"{exc}") from None


def parse_take(values: Iterable[list[str]] | None) -> dict[str, Side]:
    """`--take mine ID ID --take theirs ID` (or `--take mine` for all) -> {id: side}."""
    out: dict[str, Side] = {}
    for group in values or []:
        side, *ids = group
        if side not in ("mine", "theirs"):
            raise UserError(f"--take {side}: say `--take mine ID...` or `--take theirs ID...`")
        for ident in ids or ["*"]:
            out[ident] = side  # type: ignore[assignment]
    return out
