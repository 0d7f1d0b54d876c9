"""The shared rate library on the server (`boq rates push/pull/history`), with who changed what and when.

The library's CSV files (resources, rates, build-ups, exchange rates) are stored row by row; every
change is kept in `boq.library_history` by a server trigger (the author is the PostgreSQL account, not
something the client says). A pulled folder remembers each row's fingerprint (`.boq-server.json`), so a
push changes only the rows edited here, refuses rows that someone else changed meanwhile (conflicts,
settled with `--take mine|theirs`), and deletes only rows deleted here. Programmes keep their snapshot.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from estimator.errors import UserError, ValidationFailed
from estimator.messages import Message
from estimator.server.connect import ServerError, connect, redacted, server_errors

FILES = {  # file -> its key columns
    "resources.csv": ("code",),
    "rates.csv": ("code",),
    "buildups.csv": ("rate", "component"),
    "exchange_rates.csv": ("currency",),
}
BASE_FILE = ".boq-server.json"
Rows = dict[str, dict[str, tuple[int, dict[str, str]]]]  # file -> key -> (position, row)


def _columns(file: str) -> tuple[str, ...]:
    from estimator.rates import library

    return {"resources.csv": library.RESOURCE_COLUMNS, "rates.csv": library.RATE_COLUMNS,
            "buildups.csv": library.BUILDUP_COLUMNS, "exchange_rates.csv": library.FX_COLUMNS}[file]


def read_folder(folder: Path) -> Rows:
    """The folder's rows, after checking it loads as a library without problems."""
    from estimator.rates.library import load_library

    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder (a rate library folder holds resources.csv, rates.csv, ...)")
    lib = load_library(folder)
    if lib.problems:
        raise ValidationFailed(f"{folder}: the library has problems; fix them before pushing", lib.problems)
    out: Rows = {}
    for file, keys in FILES.items():
        path = folder / file
        rows: dict[str, tuple[int, dict[str, str]]] = {}
        if path.exists():
            with path.open(encoding="utf-8-sig", newline="") as fh:
                for pos, row in enumerate(csv.DictReader(fh)):
                    clean = {k: (v or "") for k, v in row.items() if k is not None}
                    key = "|".join(clean.get(k, "") for k in keys)
                    n, unique = 1, key
                    while unique in rows:  # the same key twice (a build-up listing a component twice)
                        n += 1
                        unique = f"{key}#{n}"
                    rows[unique] = (pos, clean)
        out[file] = rows
    return out


def _digest(row: Mapping[str, str] | None) -> str:
    if row is None:
        return ""
    return hashlib.blake2b(json.dumps(row, sort_keys=True, ensure_ascii=False).encode(), digest_size=8).hexdigest()


def _server_rows(conn: Any) -> Rows:
    out: Rows = {f: {} for f in FILES}
    for file, key, data, pos in conn.execute("SELECT file, key, data, pos FROM boq.library"):
        out.setdefault(file, {})[key] = (int(pos), dict(data))
    return out


@dataclass(slots=True)
class LibraryPush:
    added: int = 0
    changed: int = 0
    deleted: int = 0


def push(folder: Path, url: str, take: Mapping[str, str] | None = None) -> LibraryPush:
    """Merge the folder's library into the server's."""
    from psycopg.types.json import Jsonb

    take = take or {}
    local = read_folder(folder)
    base = _read_base(folder, url)
    result, conflicts = LibraryPush(), []
    with connect(url) as conn, server_errors(Message("doing_library_push", url=redacted(url))):
        conn.execute("LOCK TABLE boq.library IN SHARE ROW EXCLUSIVE MODE")  # one library push at a time
        server = _server_rows(conn)
        writes: list[tuple[str, str, Any, int]] = []
        deletes: list[tuple[str, str]] = []
        for file in FILES:
            mine, theirs, was = local.get(file, {}), server.get(file, {}), (base or {}).get(file, {})
            for key in dict.fromkeys([*was, *mine, *theirs]):
                L, S = mine.get(key), theirs.get(key)
                hL, hS = _digest(L[1] if L else None), _digest(S[1] if S else None)
                hB = was.get(key, "")
                if hL == hS or (base is not None and hL == hB) or (base is None and L is None):
                    if L is not None and S is not None and L[0] != S[0] and hL == hS:
                        writes.append((file, key, Jsonb(L[1]), L[0]))  # moved only
                    continue
                if base is not None and hS != hB:  # changed there too
                    side = take.get(key) or take.get("*")
                    if side is None:
                        conflicts.append(f"{key} ({file}): changed here and on the server")
                        continue
                    if side == "theirs":
                        continue
                if L is None:
                    deletes.append((file, key))
                    result.deleted += 1
                else:
                    writes.append((file, key, Jsonb(L[1]), L[0]))
                    if S is None:
                        result.added += 1
                    else:
                        result.changed += 1
        if conflicts:
            conn.rollback()
            raise ServerError(f"{len(conflicts)} rate library conflict(s); nothing was written:\n  "
                              + "\n  ".join(conflicts[:200])
                              + "\nChoose with --take mine CODE... or --take theirs CODE... (alone: all)")
        with conn.cursor() as cur:
            cur.executemany("DELETE FROM boq.library WHERE file = %s AND key = %s", deletes)
            cur.executemany("INSERT INTO boq.library (file, key, data, pos) VALUES (%s, %s, %s, %s) ON CONFLICT "
                            "(file, key) DO UPDATE SET data = EXCLUDED.data, pos = EXCLUDED.pos", writes)
        conn.commit()
        after = _server_rows(conn)
        conn.rollback()
    _write_base(folder, url, after)
    return result


def pull(url: str, folder: Path, overwrite: bool = False) -> int:
    """Write the server's library to `folder` (CSV files, each written atomically); the number of rows."""
    from estimator.atomic import atomic_output

    with connect(url) as conn, server_errors(Message("doing_library_pull", url=redacted(url))):
        rows = _server_rows(conn)
        conn.rollback()
    if not any(rows.values()):
        raise ServerError(f"{redacted(url)} has no rate library yet; push one with `boq rates push FOLDER URL`")
    folder.mkdir(parents=True, exist_ok=True)
    if not overwrite and any((folder / f).exists() for f in FILES) and not (folder / BASE_FILE).exists():
        raise UserError(f"{folder} already holds a rate library that was not pulled from a server; "
                        "choose an empty folder or add --force")
    for file in FILES:
        cols = list(_columns(file))
        for _pos, row in rows.get(file, {}).values():
            cols += [c for c in row if c not in cols]
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
        writer.writeheader()
        for _pos, row in sorted(rows.get(file, {}).values(), key=lambda pr: pr[0]):
            writer.writerow(row)
        with atomic_output(folder / file) as tmp:
            Path(tmp).write_text(buf.getvalue(), encoding="utf-8")
    _write_base(folder, url, rows)
    return sum(map(len, rows.values()))


def _write_base(folder: Path, url: str, rows: Rows) -> None:
    from estimator.atomic import atomic_output

    payload = {"server": redacted(url), "rows": {f: {k: _digest(r) for k, (_p, r) in rs.items()} for f, rs in rows.items()}}
    with atomic_output(folder / BASE_FILE) as tmp:
        Path(tmp).write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")


def _read_base(folder: Path, url: str) -> dict[str, dict[str, str]] | None:
    path = folder / BASE_FILE
    if not path.exists():
        return None
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        if payload.get("server") != redacted(url):
            return None
        return {str(f): {str(k): str(h) for k, h in rs.items()} for f, rs in payload["rows"].items()}
    except (ValueError, KeyError, AttributeError) as exc:
        raise UserError(f"{path}: damaged ({exc}); delete it and pull the library again") from None


@dataclass(frozen=True, slots=True)
class Change:
    when: Any
    who: str
    action: str
    file: str
    key: str
    fields: tuple[tuple[str, str, str], ...]  # column, old, new

    def __str__(self) -> str:
        what = "; ".join(f"{c}: {o or '(empty)'} -> {n or '(empty)'}" for c, o, n in self.fields)
        return f"{self.when:%Y-%m-%d %H:%M}  {self.who:<12} {self.action:<8} {self.key} ({self.file})" + (
            f"  {what}" if what else "")


def history(url: str, code: str | None = None, limit: int = 200) -> list[Change]:
    """Who changed what and when, newest first (one code's rows, or all)."""
    with connect(url) as conn, server_errors(Message("doing_library_history", url=redacted(url))):
        query = ("SELECT changed_at, changed_by, action, file, key, old, new FROM boq.library_history "
                 + ("WHERE key = %s OR key LIKE %s " if code else "") + "ORDER BY id DESC LIMIT %s")
        params: tuple[Any, ...] = (code, f"{code}|%", limit) if code else (limit,)
        rows = conn.execute(query, params).fetchall()  # one of two fixed query texts
    out = []
    for when, who, action, file, key, old, new in rows:
        old, new = old or {}, new or {}
        fields = tuple((c, str(old.get(c, "")), str(new.get(c, ""))) for c in dict.fromkeys([*old, *new])
                       if old.get(c) != new.get(c)) if action == "changed" else ()
        out.append(Change(when, str(who), str(action), str(file), str(key), fields))
    return out
