"""Deterministic kill points inside a child process (used by `child.py`, never by the program).

`install()` wraps what the engine uses to write files: every SQL statement SQLite starts (its trace
callback, so each row of an `executemany` counts), the return of every `execute`, `executemany`
and `commit`, and `os.replace`, `os.rename`, `os.fsync`, `os.unlink`, `tempfile.mkstemp` and
`zipfile.ZipFile.writestr`/`close` (the exporters' zip writes). Each is a numbered step once
`arm()` has been called. With `BOQ_KILL_AT=k` in the environment the process sends itself SIGKILL
at step k: no `finally`, no `atexit`, no flush, exactly what a power cut does to the process.
With `BOQ_KILL_AT` unset, `steps()` says how many steps the operation took.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from typing import Any

_target = 0
_count = 0
_armed = False


def step() -> None:
    global _count
    if not _armed:
        return
    _count += 1
    if _count == _target:
        os.kill(os.getpid(), signal.SIGKILL)


def steps() -> int:
    return _count


def arm() -> None:
    global _armed
    _armed = True


def disarm() -> None:
    global _armed
    _armed = False


def _around(func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        step()
        result = func(*args, **kwargs)
        step()
        return result

    wrapper.__wrapped__ = func  # type: ignore[attr-defined]
    return wrapper


class _Connection(sqlite3.Connection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_trace_callback(lambda _sql: step())

    def execute(self, *args: Any, **kwargs: Any) -> sqlite3.Cursor:
        cursor = super().execute(*args, **kwargs)
        step()
        return cursor

    def executemany(self, *args: Any, **kwargs: Any) -> sqlite3.Cursor:
        cursor = super().executemany(*args, **kwargs)
        step()
        return cursor

    def commit(self) -> None:
        super().commit()
        step()


def install() -> None:
    global _target
    _target = int(os.environ.get("BOQ_KILL_AT", "0") or 0)
    connect = sqlite3.connect

    def connect_with_steps(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        kwargs.setdefault("factory", _Connection)
        return connect(*args, **kwargs)

    sqlite3.connect = connect_with_steps  # type: ignore[assignment]
    for name in ("replace", "rename", "fsync", "unlink"):
        setattr(os, name, _around(getattr(os, name)))
    tempfile.mkstemp = _around(tempfile.mkstemp)  # type: ignore[assignment]
    zipfile.ZipFile.writestr = _around(zipfile.ZipFile.writestr)  # type: ignore[method-assign]
    zipfile.ZipFile.close = _around(zipfile.ZipFile.close)  # type: ignore[method-assign]
