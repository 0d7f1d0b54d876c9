"""Writing output files so that an interruption never leaves a half-written file under the name.

`with atomic_output(path) as tmp:` gives a temporary path in the same folder; the caller writes
the whole file there. Only when the block succeeds is it flushed to disk and renamed over `path`
(an atomic rename on one file system); on any error or kill the temporary file is all that is
left, and it is removed when the error is seen.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from estimator.errors import UserError


@contextlib.contextmanager
def atomic_output(path: Path | str) -> Iterator[Path]:
    path = Path(path)
    folder = path.resolve().parent
    if not folder.is_dir():
        raise UserError(f"{path}: folder {folder} does not exist")
    if path.is_dir():
        raise UserError(f"{path}: is a folder; give a file name")
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f"{path.suffix}.part", dir=folder)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
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
