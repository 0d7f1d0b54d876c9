"""Which work lists a programme was built from, by content, so importing one twice is noticed.

A work list's digest is the SHA-256 of its bytes; `import_worklist` records it in
`Programme.imported` (digest -> "file name, date"), which the .boq keeps in its `meta` table.
`previous_import(programme, path)` says when the same content was imported before, whatever the
file is called now; the window asks before importing it again, `boq import` warns.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from estimator.model import Programme

META_KEY = "imported_worklists"


def digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def previous_import(programme: Programme, path: Path) -> str | None:
    """"name, date" of an earlier import of the same content, or None (also when the file cannot be
    read: the import itself then says why, naming the file)."""
    try:
        return programme.imported.get(digest(path))
    except OSError:
        return None


def record_import(programme: Programme, path: Path, when: dt.date | None = None) -> None:
    programme.imported[digest(path)] = f"{path.name}, {(when or dt.date.today()).isoformat()}"


def to_meta(imported: dict[str, str]) -> str:
    return json.dumps(imported, ensure_ascii=False, sort_keys=True)


def from_meta(text: str | None) -> dict[str, str]:
    """The record from the meta table; an unreadable one is an empty record (it only gives warnings)."""
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}
