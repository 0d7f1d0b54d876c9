"""One open programme in the window: its `.boq` file, the live estimate and the undo stack.

Every change goes through `Document.push(edit)`: the undo stack runs it, `apply()` applies it one
primitive at a time (telling the models before and after each, so they can do
`beginInsertRows`/`endInsertRows` or `dataChanged`), updates the live estimate incrementally and
schedules a save. The save (`Project.save(changed=...)`, one SQLite transaction) is told what the
edits since the last save touched (the union of their `Change`s), so it compares and writes just
those rows (a few milliseconds at 320 x 300) instead of the whole programme; an import or
re-pricing says it changed everything and is compared whole, and so is a save still pending on
closing. It runs from the event loop right after the edit, once the window has updated, so it is
off the edit-to-total path; several edits in one event-loop turn share one save. A power cut
therefore loses at most the edit being typed.
"""

from __future__ import annotations

import time
from pathlib import Path

from estimator import limits
from estimator.edits import Change, Edit, Group, StaleEdit
from estimator.errors import UserError
from estimator.live import LiveEstimate
from estimator.messages import Message
from estimator.model import Programme
from estimator.rates import current_library
from estimator.rates.book import RateBook
from estimator.store import Project
from ui.dialogs import describe
from ui.qt import QObject, QTimer, QUndoStack, Signal
from ui.undo import EditCommand


class ReadOnly(UserError):
    def __init__(self, path: Path) -> None:
        super().__init__(Message("read_only_window", path=path))


class EditFailed(UserError):
    """An edit that could not be completed; the programme and the file are as they were before it."""

    def __init__(self, label: str, exc: BaseException) -> None:
        self.cause = exc
        why: str | Message
        if isinstance(exc, UserError):
            why = exc.user_message or str(exc)
        elif isinstance(exc, ArithmeticError):
            why = Message("edit_too_large")
        elif isinstance(exc, StaleEdit):  # only when others' changes came in (a server programme)
            why = Message("edit_stale")
        else:
            why = f"internal error {type(exc).__name__}: {exc}; please report it"
        super().__init__(Message("edit_failed", label=label, why=why))


REFRESH = Group((), "Refresh")  # told to the models after a failed edit was rolled back: everything may have moved


class Document(QObject):
    about_to_apply = Signal(object)  # a primitive Edit, before it changes the programme
    applied = Signal(object, object)  # the primitive Edit and its Change, after the estimate is updated
    totals_changed = Signal()
    saved = Signal()
    save_failed = Signal(str)
    path_changed = Signal()
    failed = Signal(str)  # an undo or redo that could not be done (and was rolled back)
    refused = Signal(object, object)  # an edit that could not be applied (rolled back) and the EditFailed
    recorded = Signal()  # a tender revision or contract entry was appended to the file (not a programme edit)

    def __init__(self, project: Project, library: RateBook | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        # A server programme opened by an account that may not change it (procurement): the programme is
        # read-only, while the file stays writable for the records that account makes (tender revisions,
        # contract entries; `estimator.server.records`). `tenders`: whether tender revisions may be issued.
        self.programme_readonly = False
        self.tenders = True
        self.library = library if library is not None else current_library().book
        self.live = LiveEstimate(project.programme)
        self.undo_stack = QUndoStack(self)
        self.save_error = ""
        self.last_save_seconds = 0.0
        self._unsaved = Change()  # what the edits since the last save touched
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
        """The programme may not be changed (the file is read-only, or the server account may only read it)."""
        return self.project.readonly or self.programme_readonly

    # ---- editing --------------------------------------------------------------------------

    def push(self, edit: Edit | None, merge_key: object = None) -> None:
        """Run `edit` as one undoable step; `merge_key` (e.g. the cell) merges consecutive typing.

        The edit is applied first: if it fails (EditFailed), the programme is rolled back and
        nothing reaches the undo stack or the file.
        """
        if edit is None:
            return
        if self.readonly:
            raise ReadOnly(self.path)
        self.apply(edit)
        self.undo_stack.push(EditCommand(self.apply, self.failed.emit, edit, merge_key, applied=True))

    def apply(self, edit: Edit) -> Change:
        """Apply `edit` now, all or nothing (use `push` to make an undoable step).

        Each primitive step is told to the models before and after; if any step, or pricing after
        it, raises, the steps done are undone (told to the models too), the estimate is rebuilt and
        EditFailed is raised: the programme is exactly as before and no save is scheduled.
        """
        total = Change()
        done: list[Edit] = []
        errors_before = set(self.live.errors)
        try:
            for step in edit.primitives():
                total = total | self._step(step, done)
            self._refuse_figures_too_large(total, errors_before)
        except Exception as exc:  # any failure, expected or a bug, must not leave half an edit
            self._roll_back(done)
            failure = EditFailed(edit.label, exc)
            self.refused.emit(edit, failure)
            raise failure from exc
        self.totals_changed.emit()
        if not self.readonly:
            self._unsaved = self._unsaved | total
            self._save_timer.start()
        return total

    def _refuse_figures_too_large(self, change: Change, errors_before: set[str]) -> None:
        """An edit may leave an item unpriced, but not make an amount too large to print (issue 12)."""
        for _bill, uid in change.items:
            line = self.live.lines.get(uid)
            if line is not None and line.out_of_range and uid not in errors_before:
                raise limits.OutOfRange("", line.error)

    def _step(self, step: Edit, done: list[Edit]) -> Change:
        self.about_to_apply.emit(step)
        change = Change()
        try:
            change = step.apply(self.programme)
            done.append(step)
            self.live.update(change, self.programme)
        except BaseException:
            self.live.cover("not priced: this edit failed and is being undone")
            raise
        finally:
            self.applied.emit(step, change)  # models end what `about_to_apply` began, whatever happened
        return change

    def _roll_back(self, done: list[Edit]) -> None:
        for step in reversed(done):
            inverse = step.inverse()
            self.about_to_apply.emit(inverse)
            change = inverse.apply(self.programme)
            self.applied.emit(inverse, change)
        self.live.rebuild()  # the failed pricing may have left some figures half updated
        self.applied.emit(REFRESH, Change(prices=True))
        self.totals_changed.emit()

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

    def save_now(self, whole: bool = False) -> bool:
        """Write the changes now; False (and `save_failed`) if the disk refused.

        Only the rows the edits since the last save touched are compared, or with `whole` the whole
        programme. After a failed save the edits stay recorded, so the next save writes them.
        """
        self._save_timer.stop()
        if self.readonly:
            return True
        start = time.perf_counter()
        try:
            self.project.save(changed=None if whole else self._unsaved)
        except (UserError, OSError) as exc:
            self.save_error = describe(exc)
            self.save_failed.emit(self.save_error)
            return False
        self._unsaved = Change()
        self.last_save_seconds = time.perf_counter() - start
        if self.save_error:
            self.save_error = ""
        self.saved.emit()
        return True

    def save_as(self, path: Path) -> None:
        if not self.readonly:
            self.save_now()
        self.project.save_as(path)
        self._unsaved = Change()  # the new file holds the whole programme
        self.path_changed.emit()

    def close(self) -> None:
        if self.save_pending:
            self.save_now(whole=True)  # the safe fallback: whatever an edit did not record is written too
        self.project.close()
