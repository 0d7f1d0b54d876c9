"""One open programme in the window: its `.boq` file, the live estimate and the undo stack.

Every change goes through `Document.push(edit)`: the undo stack runs it, `apply()` applies it one
primitive at a time (telling the models before and after each, so they can do
`beginInsertRows`/`endInsertRows` or `dataChanged`), updates the live estimate incrementally and
schedules a save. The save (`Project.save()`, one SQLite transaction with only the changed rows)
runs from the event loop right after the edit, once the window has updated, so it is off the
edit-to-total path; several edits in one event-loop turn share one save. A power cut therefore
loses at most the edit being typed.
"""

from __future__ import annotations

import time
from pathlib import Path

from estimator.edits import Change, Edit
from estimator.errors import UserError
from estimator.model import Programme
from estimator.rates import current_library
from estimator.rates.book import RateBook
from estimator.store import Project
from ui.dialogs import describe
from ui.live import LiveEstimate
from ui.qt import QObject, QTimer, QUndoStack, Signal
from ui.undo import EditCommand


class ReadOnly(UserError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} is open read-only (another window has it); use File > Save As to work on a copy")


class Document(QObject):
    about_to_apply = Signal(object)  # a primitive Edit, before it changes the programme
    applied = Signal(object, object)  # the primitive Edit and its Change, after the estimate is updated
    totals_changed = Signal()
    saved = Signal()
    save_failed = Signal(str)
    path_changed = Signal()

    def __init__(self, project: Project, library: RateBook | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.library = library if library is not None else current_library().book
        self.live = LiveEstimate(project.programme)
        self.undo_stack = QUndoStack(self)
        self.save_error = ""
        self.last_save_seconds = 0.0
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(0)
        self._save_timer.timeout.connect(self.save_now)

    @classmethod
    def open(cls, path: Path | str, readonly: bool = False, library: RateBook | None = None) -> Document:
        return cls(Project.open(path, readonly=readonly), library)

    @property
    def programme(self) -> Programme:
        return self.project.programme

    @property
    def path(self) -> Path:
        return self.project.path

    @property
    def readonly(self) -> bool:
        return self.project.readonly

    # ---- editing --------------------------------------------------------------------------

    def push(self, edit: Edit | None, merge_key: object = None) -> None:
        """Run `edit` as one undoable step; `merge_key` (e.g. the cell) merges consecutive typing."""
        if edit is None:
            return
        if self.readonly:
            raise ReadOnly(self.path)
        self.undo_stack.push(EditCommand(self, edit, merge_key))

    def apply(self, edit: Edit) -> Change:
        """Apply `edit` now (the undo stack calls this; use `push` to make an undoable step)."""
        total = Change()
        for step in edit.primitives():
            self.about_to_apply.emit(step)
            change = step.apply(self.programme)
            self.live.update(change, self.programme)
            self.applied.emit(step, change)
            total = total | change
        self.totals_changed.emit()
        if not self.readonly:
            self._save_timer.start()
        return total

    # ---- saving ---------------------------------------------------------------------------

    @property
    def save_delay(self) -> int:
        """Milliseconds between an edit and its save; 0 (the default) saves at the next event-loop turn."""
        return self._save_timer.interval()

    @save_delay.setter
    def save_delay(self, ms: int) -> None:
        self._save_timer.setInterval(ms)

    @property
    def save_pending(self) -> bool:
        return self._save_timer.isActive()

    def save_now(self) -> bool:
        """Write the changes now; False (and `save_failed`) if the disk refused."""
        self._save_timer.stop()
        if self.readonly:
            return True
        start = time.perf_counter()
        try:
            self.project.save()
        except (UserError, OSError) as exc:
            self.save_error = describe(exc)
            self.save_failed.emit(self.save_error)
            return False
        self.last_save_seconds = time.perf_counter() - start
        if self.save_error:
            self.save_error = ""
        self.saved.emit()
        return True

    def save_as(self, path: Path) -> None:
        if not self.readonly:
            self.save_now()
        self.project.save_as(path)
        self.path_changed.emit()

    def close(self) -> None:
        if self.save_pending:
            self.save_now()
        self.project.close()
