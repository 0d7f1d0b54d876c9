"""`boq-estimator --smoke-test`: start, open the programme, and quit after the window's first paint.

For checking a build (the frozen folder in tests/test_bundle.py, the Windows workflow) and timing
the start: prints one line with the seconds from `main()` to the first paint, the window title and
the totals bar's grand total, then the app exits with 0. If no paint comes within `LIMIT_MS`
(a window that never shows), it exits with 1.
"""

from __future__ import annotations

import sys
import time

from ui.qt import QApplication, QEvent, QObject, QTimer, QWidget

LIMIT_MS = 60_000


class QuitAfterFirstPaint(QObject):
    def __init__(self, window: QWidget, started: float) -> None:
        super().__init__(window)
        self.window = window
        self.started = started
        self.painted = False
        window.installEventFilter(self)
        QTimer.singleShot(LIMIT_MS, self._never_painted)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            seconds = time.perf_counter() - self.started
            grand = getattr(getattr(self.window, "totals", None), "grand", None)
            total = grand.text() if grand is not None else ""
            print(f"smoke test: first paint after {seconds:.3f} s; {self.window.windowTitle()}; {total}", flush=True)
            QTimer.singleShot(0, self._quit)
        return False

    def _quit(self) -> None:
        self.window.close()
        QApplication.exit(0)

    def _never_painted(self) -> None:
        if not self.painted:
            sys.stderr.write(f"smoke test: the window did not paint within {LIMIT_MS / 1000:.0f} s\n")
            QApplication.exit(1)
