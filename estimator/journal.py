"""A save cut off by a crash or power loss: its rollback journal, and repairing it without losing anything.

SQLite writes the original of every page a save changes to `NAME.boq-journal` before touching the
file. If the save is cut off, that journal is "hot", and the next connection that may write rolls it
back into whatever file now carries the name — even an older copy restored from a backup, which it
then corrupts. So:

- readers open the file read-only (`mode=ro`); SQLite then refuses a hot journal with
  SQLITE_READONLY_ROLLBACK instead of rolling it back, and the reader says what happened
  (`CutOffSave`);
- a writer (`recover`, holding the file's lock) first checks that the journal belongs to this file
  (the change counter SQLite keeps in the file header must be the journal's copy of it, or one
  more), keeps a copy of the file and the journal, lets SQLite roll back, then checks the result
  (`PRAGMA integrity_check` and the caller's own checks); if anything fails it puts both files
  back exactly as they were and refuses.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from estimator.errors import ProjectFileError

JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")
SQLITE_READONLY_ROLLBACK = 776  # sqlite3.SQLITE_READONLY_ROLLBACK


class CutOffSave(ProjectFileError):
    """A hot journal beside the file; only a writer may repair it."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            path,
            f"a save to it was cut off (crash or power cut) and its journal {path.name}-journal is still beside it; "
            f"commands that only read never change a file: run `boq recover {path}` or open it in the window to "
            f"repair it (a copy is kept until the repair is checked); if {path.name} is an older copy restored "
            f"from a backup, move {path.name}-journal to another folder instead",
        )


def journal_of(path: Path) -> Path:
    return Path(f"{path}-journal")


def is_hot(path: Path) -> bool:
    """Whether SQLite would roll a journal back into `path` (asked read-only: nothing is written)."""
    if not journal_of(path).exists():
        return False
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=10)
    try:
        conn.execute("PRAGMA user_version").fetchone()
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorcode", None) == SQLITE_READONLY_ROLLBACK:
            return True
        raise
    finally:
        conn.close()
    return False


def _u32(data: bytes, offset: int) -> int:
    return int.from_bytes(data[offset : offset + 4], "big")


def journal_counter(journal: Path) -> tuple[int, int | None] | None:
    """(page size, change counter of the file before the cut-off save) read from the journal.

    The counter is in the journal's copy of page 1 (every save changes page 1); None where the
    journal holds no copy of page 1. None altogether for a journal that is not SQLite's.
    """
    with journal.open("rb") as fh:
        head = fh.read(28)
        size = os.fstat(fh.fileno()).st_size
        if len(head) < 28 or head[:8] != JOURNAL_MAGIC:
            return None
        records, sector, page = _u32(head, 8), _u32(head, 20), _u32(head, 24)
        if not (512 <= page <= 65536 and page & (page - 1) == 0 and 32 <= sector <= 65536):
            return None
        fits = max(0, (size - sector) // (page + 8))
        count = fits if records == 0xFFFFFFFF else min(records, fits)
        for index in range(count):
            fh.seek(sector + index * (page + 8))
            record = fh.read(4 + 100)
            if _u32(record, 0) == 1:
                return page, _u32(record, 4 + 24)
    return page, None


def _file_counter(path: Path) -> tuple[int, int]:
    with path.open("rb") as fh:
        head = fh.read(100)
    page = int.from_bytes(head[16:18], "big")
    return (65536 if page == 1 else page), _u32(head, 24)


def belongs(path: Path) -> bool:
    """Whether `path`'s hot journal was written by a save to this very file (not to another copy of it)."""
    found = journal_counter(journal_of(path))
    if found is None:
        return False
    page, counter = found
    file_page, file_counter = _file_counter(path)
    if page != file_page:
        return False
    # the save had either not yet written page 1 (same counter) or had (one more)
    return counter is None or file_counter in (counter, (counter + 1) & 0xFFFFFFFF)


def recover(path: Path, connect: Callable[[], sqlite3.Connection], check: Callable[[sqlite3.Connection], None]) -> None:
    """Roll `path`'s hot journal back, safely; call holding the file's lock.

    `connect()` opens the file for writing; `check(conn)` raises ProjectFileError if the repaired
    file is not a sound project. On any failure both files are put back as they were.
    """
    journal = journal_of(path)
    if not belongs(path):
        raise ProjectFileError(
            path,
            f"{journal.name} beside it was left by a cut-off save to another copy of this file (an older copy "
            f"restored under the same name?), so it was not applied and nothing was changed; move {journal.name} "
            "to another folder to open the file as it is",
        )
    keep = path.with_name(f".{path.name}.before-repair")
    keep_journal = journal_of(keep)
    try:
        shutil.copy2(path, keep)
        shutil.copy2(journal, keep_journal)
        _fsync(keep, keep_journal)
    except OSError as exc:
        keep.unlink(missing_ok=True)
        keep_journal.unlink(missing_ok=True)
        raise ProjectFileError(path, f"a save to it was cut off, and no copy could be kept before repairing it "
                                     f"({exc.strerror}); free some disk space, or if the folder is read-only copy "
                                     f"{path.name} and {journal.name} to a writable folder, and open it again") from exc
    try:
        conn = connect()
        try:
            conn.execute("PRAGMA user_version").fetchone()  # SQLite rolls the journal back here
            result = conn.execute("PRAGMA integrity_check").fetchall()
            if result != [("ok",)]:
                found = [ln for ln in str(result[0][0]).splitlines() if ln.strip() and not ln.startswith("***")]
                raise ProjectFileError(path, f"is damaged after undoing it: {(found or ['integrity check failed'])[0]}")
            check(conn)
        finally:
            conn.close()
    except BaseException as exc:
        os.replace(keep, path)
        os.replace(keep_journal, journal)
        _fsync(path, journal)
        reason = str(exc).removeprefix(f"{path}: ") if isinstance(exc, ProjectFileError) else str(exc)
        raise ProjectFileError(path, f"a save to it was cut off and undoing it failed ({reason}); the file and "
                                     f"{journal.name} were put back exactly as they were; open a backup copy") from exc
    keep.unlink()
    keep_journal.unlink()


def _fsync(*paths: Path) -> None:
    for p in paths:
        with p.open("rb+") as fh:
            os.fsync(fh.fileno())
