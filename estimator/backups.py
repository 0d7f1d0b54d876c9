"""Rolling backups of a `.boq` file, taken before destructive actions, kept beyond the session.

Before a facility or bill is deleted, a work list replaces the contents, or a backup is restored,
the programme file is copied to `<user data>/backups/<name>-<hash of its path>/` (SQLite's own
backup API, so the copy is a consistent database, written through `atomic_output`: a cut-off copy
is never left under a backup's name), with a small JSON note beside it saying when, why, and what
it held. The newest `KEEP` backups per programme are kept. A backup is never written over the
programme; restoring is the caller's decision (the window replaces the contents as one undoable
edit after asking, and backs up the current state first, or saves the backup as a copy).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from estimator import paths
from estimator.atomic import atomic_output
from estimator.errors import ProjectFileError

KEEP = 20
_SLUG = re.compile(r"[^A-Za-z0-9]+")


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path  # the .boq copy
    when: dt.datetime
    reason: str  # e.g. "before deleting facility Harim General Hospital"
    facilities: int
    items: int
    total: str  # the grand total as printed, with its currency

    def label(self) -> str:
        return f"{self.when:%Y-%m-%d %H:%M:%S} — {self.reason}"


def folder_for(programme_path: Path) -> Path:
    """The backups folder of one programme file (by its full path: two `clinics.boq` do not mix)."""
    resolved = Path(programme_path).resolve()
    digest = hashlib.sha256(str(resolved).encode("utf-8")).hexdigest()[:10]
    stem = _SLUG.sub("-", resolved.stem).strip("-")[:40] or "programme"
    return paths.user_data_dir() / "backups" / f"{stem}-{digest}"


def make_backup(programme_path: Path, reason: str, facilities: int = 0, items: int = 0, total: str = "",
                keep: int = KEEP, now: dt.datetime | None = None) -> Backup:
    """Copy `programme_path` (as last saved) into its backups folder and drop the oldest beyond `keep`."""
    source = Path(programme_path)
    if not source.is_file():
        raise ProjectFileError(source, "cannot be backed up: no such file")
    folder = folder_for(source)
    folder.mkdir(parents=True, exist_ok=True)
    when = now or dt.datetime.now()
    name = f"{when:%Y%m%d-%H%M%S-%f}"
    target = folder / f"{name}.boq"
    _copy(source, target)
    note = {"when": when.isoformat(), "reason": reason, "source": str(source.resolve()),
            "facilities": facilities, "items": items, "total": total}
    with atomic_output(folder / f"{name}.json") as tmp:
        tmp.write_text(json.dumps(note, ensure_ascii=False, indent=1), encoding="utf-8")
    backup = Backup(target, when, reason, facilities, items, total)
    for old in list_backups(source)[keep:]:
        remove(old)
    return backup


def copy_to(backup: Backup, target: Path) -> None:
    """Write the backup as a new programme file `target` (which must not exist)."""
    if target.exists():
        raise ProjectFileError(target, "already exists; choose another name")
    _copy(backup.path, target)


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of the SQLite file `source` (SQLite's backup API), written atomically."""
    with atomic_output(target) as tmp:
        src = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
        except sqlite3.DatabaseError as exc:
            raise ProjectFileError(source, f"cannot be copied ({exc})") from exc
        finally:
            dst.close()
            src.close()


def list_backups(programme_path: Path) -> list[Backup]:
    """The backups of one programme file, newest first; a damaged note is skipped, never an error."""
    folder = folder_for(programme_path)
    found = []
    for note in folder.glob("*.json") if folder.is_dir() else []:
        copy = note.with_suffix(".boq")
        try:
            data = json.loads(note.read_text(encoding="utf-8"))
            when = dt.datetime.fromisoformat(data["when"])
            found.append(Backup(copy, when, str(data["reason"]), int(data["facilities"]), int(data["items"]),
                                str(data["total"])))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return sorted((b for b in found if b.path.is_file()), key=lambda b: b.when, reverse=True)


def remove(backup: Backup) -> None:
    backup.path.unlink(missing_ok=True)
    backup.path.with_suffix(".json").unlink(missing_ok=True)
