"""Where a command may write a file: one check used by every writer (command line and window).

`guard_output(path, kind, inputs, force)` refuses, before anything is read or written:
- a folder, a FIFO or a device;
- the programme or any other input of the same command, or a companion of an input `.boq`
  (its `-journal`, `-wal`, `-shm` or `.lock`): compared by real identity (resolved names, hard
  and symbolic links, case-insensitive names), never overridable;
- a `.boq` programme that is open in a window or command (its lock is held), never overridable;
- an existing file that is not of the kind being written (told by its first bytes, not its
  name), unless `force`.
Replacing a file of the same kind stays allowed; the writers replace it atomically
(`estimator.atomic`), so an interrupted write leaves the old file.
"""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Iterable
from pathlib import Path

import filelock

from estimator.errors import UserError
from estimator.store import APPLICATION_ID, SQLITE_MAGIC

BOQ_APPLICATION_ID = APPLICATION_ID.to_bytes(4, "big")  # at offset 68 of the SQLite header
NAMES = {
    "boq": "a BoQ programme (.boq)",
    "sqlite": "an SQLite database of another program",
    "xlsx": "an Excel workbook (.xlsx)",
    "office": "an Office document (not an Excel workbook)",
    "zip": "a ZIP archive",
    "pdf": "a PDF document",
    "json": "a JSON file",
    "csv": "a text file",
    "text": "a text file",
    "binary": "a file of another kind",
}
COMPANIONS = ("-journal", "-wal", "-shm", ".lock")  # SQLite's and our lock files beside a .boq
FORCE_HINT = "or add --force to replace it"


class OutputRefused(UserError):
    """An output path that would destroy something; `str()` names the path and what to do."""

    def __init__(self, path: object, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


def guard_output(
    path: Path | str, kind: str, inputs: Iterable[Path | str] = (), force: bool = False, force_hint: str = FORCE_HINT
) -> Path:
    """Check that writing a `kind` file ("xlsx", "pdf", "boq", "json", "csv") at `path` loses nothing.

    `inputs` are the files the same command reads (the programme first). `force_hint` says how to
    override a refusal of another kind of file (the window passes "" and asks in its own way).
    """
    path = Path(path)
    if kind not in NAMES:
        raise ValueError(f"unknown output kind {kind!r}")
    for given in inputs:
        source = Path(given)
        if same_file(path, source):
            raise OutputRefused(path, f"is an input of this command ({source}); writing there would destroy it; "
                                      "choose another output name")
        if source.suffix.lower() == ".boq" or sniff(source) == "boq":
            for suffix in COMPANIONS:
                if same_file(path, Path(f"{source}{suffix}")):
                    raise OutputRefused(path, f"belongs to the programme {source} (SQLite and lock files live there); "
                                              "choose another output name")
    try:
        info = path.stat()
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise OutputRefused(path, f"cannot be checked ({exc.strerror}); choose another output name") from exc
    if stat.S_ISDIR(info.st_mode):
        raise OutputRefused(path, "is a folder; give a file name inside it")
    if not stat.S_ISREG(info.st_mode):
        raise OutputRefused(path, "is not a regular file (a pipe or a device); choose another output name")
    found = sniff(path)
    if found == "boq" and is_open_programme(path):
        raise OutputRefused(path, "is a programme open in a window or command; close it there, or choose another name")
    if found != kind and info.st_size > 0 and not force and not (kind == "csv" and found in ("json", "text")):
        hint = f", {force_hint}" if force_hint else ""
        raise OutputRefused(path, f"exists and is {NAMES[found]}, not {NAMES[kind]}; choose another name{hint}")
    return path


def guard_outputs(outputs: Iterable[tuple[Path | str | None, str]], inputs: Iterable[Path | str] = (),
                  force: bool = False) -> None:
    """`guard_output` for each named output of one command, and no two outputs on the same file."""
    inputs, seen = list(inputs), list[Path]()
    for out, kind in outputs:
        if out is None:
            continue
        for earlier in seen:
            if same_file(Path(out), earlier):
                raise OutputRefused(out, f"is named twice ({earlier}); give each output its own file name")
        guard_output(out, kind, inputs, force)
        seen.append(Path(out))


def same_file(a: Path, b: Path) -> bool:
    """Whether `a` and `b` name the same file: hard or symbolic links, `..`, case on case-blind disks."""
    try:
        if os.path.samefile(a, b):
            return True
    except OSError:
        pass  # one of them does not exist (yet): compare names
    ra, rb = _resolved(a), _resolved(b)
    if ra == rb:
        return True
    if os.path.normcase(str(ra)) == os.path.normcase(str(rb)):
        return True
    # same folder, names differing only in case, on a disk that ignores case (FAT, NTFS, APFS)
    return ra.parent == rb.parent and ra.name.casefold() == rb.name.casefold() and _case_blind(ra.parent)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return path.absolute()


def _case_blind(folder: Path) -> bool:
    """Whether `folder` ignores the case of names: its own name, swapped in case, names it too."""
    swapped = folder.name.swapcase()
    if not folder.name or swapped == folder.name:
        return os.name == "nt"
    try:
        return os.path.samefile(folder, folder.with_name(swapped))
    except OSError:
        return False


def sniff(path: Path) -> str:
    """The kind of an existing file, from its first bytes (a key of NAMES); "" if it cannot be read."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return ""
    if head.startswith(SQLITE_MAGIC):
        return "boq" if head[68:72] == BOQ_APPLICATION_ID else "sqlite"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return "zip"
        if "[Content_Types].xml" in names:
            return "xlsx" if any(n.startswith("xl/") for n in names) else "office"
        return "zip"
    if b"\x00" in head:
        return "binary"
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut by the 4096-byte window
            return "binary"
        text = head[: exc.start].decode("utf-8-sig", "replace")
    return "json" if text.lstrip()[:1] in ("{", "[") else "text"


def is_open_programme(path: Path) -> bool:
    """Whether another window or command holds `path`'s lock (checked without leaving a lock file)."""
    lock_path = Path(f"{path}.lock")
    if not lock_path.exists():
        return False
    lock = filelock.FileLock(str(lock_path), timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout:
        return True
    except OSError:
        return False
    lock.release()
    return False
