"""The window's working copy of a server programme, kept in step by change (no Qt here).

Opening checks the programme out (`workcopy.checkout`: a pull, or a three-way merge of a copy that
exists). From then on `WorkingCopy` works by change, never with the whole programme:

- `note_saved(delta)`: what a save of the working copy wrote (`Project.last_delta`); rows that differ
  from what the server holds (the base: each row's version, fingerprint and position) are pending.
- `push()`: the pending rows in one transaction, each checked against the version it was read at
  (`changes.push_rows`); `RowConflicts` lists the rows someone else changed meanwhile.
- `fetch()` and `edits(programme, fetched)`: the rows other engineers wrote since this copy's version
  (and tombstones), as the window's own edits (`incoming.edits`), so the models update in place.
- `took(fetched)`: the base moves to the rows taken in.

The base lives in memory and in the working copy's file: the full record (`sync.write_base`) plus a
journal of the rows each push or fetch moved (`server.journal.N` in `meta`, a few hundred bytes an
edit), folded into the full record now and then, so that `boq push`, `pull` and the next opening
merge from the right base even after a power cut.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from estimator.messages import Message
from estimator.model import Programme
from estimator.server.changes import Fetched, Stamped, fetch_since, push_rows
from estimator.server.connect import ServerError, connect, redacted, server_errors
from estimator.server.incoming import edits, normalised, settings_with
from estimator.server.rows import Key, Row, digest, pos_index, tables
from estimator.server.sync import JOURNAL_KEY, Base, MergeConflicts, _Labels, programme_id, read_base_version, store_base

if TYPE_CHECKING:
    from estimator.edits import Edit
    from estimator.store.delta import Delta

FOLD_AFTER = 200  # journal entries before the base is written whole again


class WorkingCopy:
    def __init__(self, connection: Any, url: str, name: str, readonly: bool = False) -> None:
        """`connection`: the working copy file's sqlite3 connection (`Project.connection`)."""
        self.file, self.url, self.name, self.readonly = connection, url, name, readonly
        self.where = f"{redacted(url)}#{name}"
        base, version = read_base_version(connection, url, name)
        if base is None or version is None:
            raise ServerError(f"{self.where}: the working copy has no record of the server; open it from the server again")
        self.base: Base = base
        self.version = version
        self.pending: dict[str, dict[Key, Row | None]] = {}
        self.stamps: dict[tuple[str, Key], Stamped] = {}  # who wrote the rows taken in (for refusals)
        self._journal = len(connection.execute("SELECT key FROM meta WHERE key LIKE 'server.journal.%'").fetchall())
        self._conn = connect(url)
        try:
            with server_errors(Message("doing_open", where=self.where)):
                pid = programme_id(self._conn, name)
                self._conn.rollback()
        except BaseException:
            self._conn.close()
            raise
        if pid is None:
            self._conn.close()
            raise ServerError(f"{self.where}: no programme of that name on the server")
        self.pid = pid

    # ---- my changes -------------------------------------------------------------------------------

    def note_saved(self, delta: Delta | None) -> None:
        """Record what a save wrote: rows that differ from the server's are pending (until `push`)."""
        if delta is None:
            return
        for table, rows in delta.upserts.items():
            if table not in self.base and table not in tables():
                continue  # a table the server does not carry
            nkey = tables()[table][1]
            p = pos_index(table)
            was = self.base.get(table, {})
            pend = self.pending.setdefault(table, {})
            for row in rows:
                key = row[:nkey]
                b = was.get(key)
                if b is not None and b[1] == digest(row, p) and (p is None or b[2] == row[p]):
                    pend.pop(key, None)  # what the server holds (a change taken in from it)
                else:
                    pend[key] = row
        for table, keys in delta.deletes.items():
            if table not in tables():
                continue
            was = self.base.get(table, {})
            pend = self.pending.setdefault(table, {})
            for key in keys:
                if key in was:
                    pend[key] = None
                else:
                    pend.pop(key, None)

    def has_pending(self) -> bool:
        return any(self.pending.values())

    def push(self, programme: Programme | None = None) -> int | None:
        """Send the pending rows (one transaction, each checked against its version); the new version or
        None if nothing was pending. RowConflicts, PermissionRefused or ServerError: nothing was written,
        the rows stay pending."""
        if not self.has_pending():
            return None
        writes: dict[str, list[tuple[Row, int | None]]] = {}
        deletes: dict[str, list[tuple[Key, int]]] = {}
        for table, rows in self.pending.items():
            was = self.base.get(table, {})
            for key, row in rows.items():
                b = was.get(key)
                if row is None:
                    if b is not None:
                        deletes.setdefault(table, []).append((key, b[0]))
                else:
                    writes.setdefault(table, []).append((row, None if b is None else b[0]))
        named: dict[str, dict[Key, Row]] = {t: {k: r for k, r in rows.items() if r is not None}
                                            for t, rows in self.pending.items()}
        if programme is not None:  # facility and bill names for the list of conflicts
            from estimator.store.rows import facility_rows, keyed

            fac_rows, bill_rows = facility_rows(programme.facilities)
            named["facilities"] = {**keyed("facilities", fac_rows), **named.get("facilities", {})}
            named["bills"] = {**keyed("bills", bill_rows), **named.get("bills", {})}
        labels = _Labels(named)
        version, left = push_rows(self._live(), self.pid, self.where, self.name, writes, deletes,
                                  lambda t, k, r: labels.label(t, k, r))
        moved: dict[str, dict[Key, tuple[int, str, int | None] | None]] = {}
        for table, rows in self.pending.items():
            p = pos_index(table)
            for key, row in rows.items():
                if (table, key) in left:
                    if row is None:
                        moved.setdefault(table, {})[key] = None  # deleted on both sides
                    continue  # theirs stands: the base keeps its version, so the next fetch brings theirs in
                moved.setdefault(table, {})[key] = None if row is None else (version, digest(row, p),
                                                                            None if p is None else row[p])
        self.pending.clear()
        # nobody else wrote in between: this copy is in step up to the new version
        self._move(moved, version if version == self.version + 1 and not left else self.version)
        return version

    def take_mine(self, exc: MergeConflicts) -> None:
        """"Keep mine": the rows of a refusal are sent again against the server's versions of them now."""
        current = getattr(exc, "current", {})
        for (table, key), now in current.items():
            b = self.base.setdefault(table, {}).get(key)
            if now.row is None:
                self.base[table].pop(key, None)  # deleted there: mine is added again
            else:
                self.base[table][key] = (now.version, "", None if b is None else b[2])

    def theirs(self, exc: MergeConflicts) -> Fetched:
        """"Take theirs": the server's rows of a refusal, to take in like any fetched change (mine are dropped)."""
        out = Fetched(self.version)
        for (table, key), now in getattr(exc, "current", {}).items():
            self.pending.get(table, {}).pop(key, None)
            out.rows.setdefault(table, {})[key] = now
            if now.row is None:
                self.base.setdefault(table, {}).pop(key, None)
        return out

    # ---- others' changes --------------------------------------------------------------------------

    def fetch(self) -> Fetched:
        """The rows written on the server since this copy's version and not by this copy (tombstones too)."""
        got = fetch_since(self._live(), self.pid, self.version, self.where)
        for table, rows in got.rows.items():
            was = self.base.get(table, {})
            mine = self.pending.get(table, {})
            for key in [k for k in rows if k in mine]:
                # changed here too and not sent yet (refused, e.g. by a lock): mine is not overwritten here; when
                # it is sent, the server refuses it against their version and the user sees both and chooses
                del rows[key]
            for key in [k for k, s in rows.items() if (b := was.get(k)) is not None and b[0] >= s.version]:
                del rows[key]  # my own push (the base already has it)
            for key in [k for k, s in rows.items() if s.row is None and k not in was]:
                del rows[key]  # deleted, and never here
        return got

    def edits(self, programme: Programme, fetched: Fetched) -> Iterator[Edit]:
        """`fetched` as the window's edits of `programme` (apply each before asking for the next)."""
        for table in ("facilities", "bills", "items"):
            for key, s in fetched.rows.get(table, {}).items():
                self.stamps[(table, key)] = s

        def position(table: str, key: Key) -> Any:
            b = self.base.get(table, {}).get(key)
            return None if b is None else b[2]

        return edits(programme, fetched, position, lambda f: settings_with(programme, f, self.where))

    def took(self, fetched: Fetched) -> None:
        """The rows of `fetched` are in the working copy now: the base (and the file's record) follows."""
        moved: dict[str, dict[Key, tuple[int, str, int | None] | None]] = {}
        for table, rows in fetched.rows.items():
            p = pos_index(table)
            for key, s in rows.items():
                if s.row is None:
                    moved.setdefault(table, {})[key] = None
                    continue
                row = normalised(table, s.row) if table in ("facilities", "bills", "items") else s.row
                moved.setdefault(table, {})[key] = (s.version, digest(row, p), None if p is None else row[p])
        self._move(moved, max(self.version, fetched.version))

    # ---- the base -----------------------------------------------------------------------------------

    def _move(self, moved: dict[str, dict[Key, tuple[int, str, int | None] | None]], version: int) -> None:
        for table, rows in moved.items():
            held = self.base.setdefault(table, {})
            for key, entry in rows.items():
                if entry is None:
                    held.pop(key, None)
                else:
                    held[key] = entry
        self.version = version
        if self.readonly or not moved:
            return  # (a version alone is not worth a commit: the next entry, or the next opening, records it)
        if self._journal >= FOLD_AFTER:
            store_base(self.file, self.url, self.name, self.base, self.version)
            self._journal = 0
            return
        payload = {"v": self.version, "t": {t: [[list(k), *(e or ())] for k, e in r.items()] for t, r in moved.items()}}
        text = base64.b64encode(zlib.compress(json.dumps(payload, separators=(",", ":"), default=str).encode(), 6)).decode()
        self.file.execute("BEGIN IMMEDIATE")
        try:
            self.file.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                              (f"{JOURNAL_KEY}{self._journal:06d}", text))
            self.file.execute("COMMIT")
        except BaseException:
            if self.file.in_transaction:
                self.file.execute("ROLLBACK")
            raise
        self._journal += 1

    def _live(self) -> Any:
        """The connection to the server, made again if it was lost (a restarted server, a network cut)."""
        if self._conn.closed or self._conn.broken:
            self._conn = connect(self.url)
        return self._conn

    def close(self) -> None:
        self._conn.close()
