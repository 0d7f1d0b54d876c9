"""Writing output files so that an interruption never leaves a half-written file under the name.

`with atomic_output(path) as tmp:` gives a temporary path in the same folder; the caller writes
the whole file there. Only when the block succeeds is it flushed to disk and renamed over `path`
(an atomic rename on one file system); on any error or kill the temporary file is all that is
left, and it is removed when the error is seen.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from estimator.errors import UserError


class DiskFull(UserError, OSError):
    """No room left on the disk (or the user's quota) while writing `path`; also an OSError (ENOSPC)."""

    def __init__(self, path: object, what: str = "nothing was written", cause: str = "No space left on device") -> None:
        self.path, self.message = path, f"{path}: the disk is full ({cause}); {what}; free some space and try again"
        OSError.__init__(self, errno.ENOSPC, self.message)

    def __str__(self) -> str:
        return self.message


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


@contextlib.contextmanager
def atomic_output(path: Path | str, temp: tuple[str, str] | None = None,
                  companions: tuple[str, ...] = ()) -> Iterator[Path]:
    """`temp` is the (prefix, suffix) of the temporary file's name; by default `.NAME.xxxxxxxx.EXT.part`.

    `companions` are suffixes of files beside `path` that belong to the file being replaced (a
    .boq's `-journal`): they are removed just before the new file takes its place, so that they
    are never applied to it. A full disk is reported as DiskFull, with no temporary file left.
    """
    path = Path(path)
    try:
        with _atomic_output(path, temp, companions) as tmp:
            yield tmp
    except OSError as exc:
        if is_disk_full(exc):
            what = f"{path.name} is as it was" if path.exists() else "nothing was written"
            raise DiskFull(path, what, exc.strerror or str(exc)) from exc
        raise


@contextlib.contextmanager
def _atomic_output(path: Path, temp: tuple[str, str] | None, companions: tuple[str, ...]) -> Iterator[Path]:
    folder = path.resolve().parent
    if not folder.is_dir():
        raise UserError(f"{path}: folder {folder} does not exist")
    if path.is_dir():
        raise UserError(f"{path}: is a folder; give a file name")
    prefix, suffix = temp or (f".{path.stem}.", f"{path.suffix}.part")
    remove_leftovers(folder, prefix, suffix)
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, mode_for(path))  # mkstemp made it private (0600); give it what a new file gets
        for suffix in companions:
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if os.name != "nt":
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def mode_for(path: Path) -> int:
    """Permissions of the file being replaced, or of a new file: 0o666 less the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0o022)  # reading the umask means setting it; put it straight back
        os.umask(umask)
        return 0o666 & ~umask


def remove_leftovers(folder: Path, prefix: str, suffix: str) -> None:
    """Delete temporary files an earlier, interrupted write to the same name left behind.

    They carry `mkstemp`'s 8-character random middle and are never the file itself; a write in
    progress to the same name from another process would be racing this one anyway.
    """
    pattern = re.compile(re.escape(prefix) + r"[a-z0-9_]{8}" + re.escape(suffix))
    for old in folder.glob(f"{glob.escape(prefix)}*{glob.escape(suffix)}"):
        if pattern.fullmatch(old.name):
            old.unlink(missing_ok=True)
