"""Long work (export, import) on the thread pool, with progress and cancel; the window never freezes.

`Job(work)` runs `work(progress)` on a QThreadPool thread. `progress(done, total)` is the callback
the exporters take: it reports to the GUI thread through a queued signal and raises `Cancelled`
once `cancel()` was called, so the exporter stops and its atomic output leaves nothing behind.
The result or the exception comes back as a signal on the GUI thread.

While any job runs, Python's cycle collector is paused: left on, it may run in the worker thread
and free Qt objects of the GUI thread there (a closed dialog, an old document), which Qt forbids.
It resumes on the GUI thread when the job has reported.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import Any

from estimator.errors import Cancelled
from ui.qt import QObject, QRunnable, QThreadPool, Signal

Work = Callable[[Callable[[int, int], None]], Any]


_lock = threading.Lock()
_running = 0
_collector_was_on = True


def _pause_collector() -> None:
    global _running, _collector_was_on
    with _lock:
        if _running == 0:
            _collector_was_on = gc.isenabled()
            gc.disable()
        _running += 1


def _resume_collector() -> None:
    global _running
    with _lock:
        _running -= 1
        if _running == 0 and _collector_was_on:
            gc.enable()


class JobSignals(QObject):
    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(object)  # the exception: a UserError or OSError to show, or a bug's exception
    cancelled = Signal()


class Job(QRunnable):
    def __init__(self, work: Work) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the owner keeps it (and its signals) alive until it reports
        self.work = work
        self.signals = JobSignals()
        self._cancel = threading.Event()
        self.running = False
        self._paused = False
        for signal in (self.signals.done, self.signals.failed, self.signals.cancelled):
            signal.connect(self._reported)

    def _reported(self, *_: object) -> None:
        if self._paused:
            self._paused = False
            _resume_collector()

    def cancel(self) -> None:
        self._cancel.set()

    def progress(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled("export" if total else "operation")
        self.signals.progress.emit(done, total)

    def start(self, pool: QThreadPool | None = None) -> None:
        self.running = True
        self._paused = True
        _pause_collector()
        (pool or QThreadPool.globalInstance()).start(self)

    def run(self) -> None:
        try:
            result = self.work(self.progress)
        except Cancelled:
            self.running = False
            self.signals.cancelled.emit()
        except Exception as exc:  # a user error to show, or a bug in an exporter: report, do not kill the window
            self.running = False
            self.signals.failed.emit(exc)
        else:
            self.running = False
            self.signals.done.emit(result)
