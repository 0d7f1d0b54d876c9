"""Dialogs behind a small service (Picard's `user_dialog_service.py` idea).

Controllers never open a modal box themselves: they ask a `DialogService` (`error`, `question`,
`open_file`, `save_file`, `problems`, `info`, `show_path`). The window uses `QtDialogs`; tests use
`RecordingDialogs`, which records every call and answers from a script, so no test ever blocks on
a modal box. `report()` is the one place a user's mistake (`UserError`) or a file-system error
(`OSError`) becomes a message.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from estimator.errors import Problem, UserError, ValidationFailed, localized
from estimator.messages import phrase
from ui.plain import message_box, plain_label
from ui.qt import (
    QCoreApplication,
    QDesktopServices,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QUrl,
    QVBoxLayout,
    QWidget,
)


def describe(exc: BaseException) -> str:
    """The message a user sees for an expected failure."""
    if isinstance(exc, ValidationFailed):
        return localized(exc).splitlines()[0]
    if isinstance(exc, UserError):
        return localized(exc)
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}"
    return f"{type(exc).__name__}: {exc}"


class DialogService(ABC):
    """What controllers may ask of the user. Subclasses show real dialogs or record the calls."""

    @abstractmethod
    def error(self, title: str, message: str) -> None:
        ...

    @abstractmethod
    def info(self, title: str, message: str) -> None:
        ...

    @abstractmethod
    def question(self, title: str, message: str) -> bool:
        ...

    @abstractmethod
    def open_file(self, title: str, filters: str, folder: str = "") -> Path | None:
        ...

    @abstractmethod
    def save_file(self, title: str, filters: str, suggested: str = "") -> Path | None:
        ...

    def open_files(self, title: str, filters: str, folder: str = "") -> list[Path]:
        """Several files picked at once (a service that can pick only one gives a list of one)."""
        path = self.open_file(title, filters, folder)
        return [] if path is None else [path]

    @abstractmethod
    def problems(self, title: str, message: str, problems: Sequence[Problem]) -> None:
        ...

    def report(self, title: str, exc: BaseException) -> None:
        """Show an expected failure; a ValidationFailed gets the list of its problems."""
        if isinstance(exc, ValidationFailed):
            self.problems(title, describe(exc), exc.problems)
        else:
            self.error(title, describe(exc))

    def show_path(self, path: Path, folder: bool = False) -> None:
        """Open `path` with the desktop's program for it, or with `folder`, the folder holding it."""
        target = path.parent if folder else path
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
            self.error(QCoreApplication.translate("DialogService", "Open"),
                       QCoreApplication.translate("DialogService", "No program on this computer opens {target}")
                       .format(target=target))

    def reporting(self, title: str) -> Reporting:
        """`with dialogs.reporting("Open"):` turns a UserError or OSError into a dialog."""
        return Reporting(self, title)


class Reporting:
    """The context of `DialogService.reporting`: a UserError or OSError inside it is reported and
    swallowed (so the code after the `with` runs); anything else goes on. A class, not a generator,
    so that type checkers know the block may end early and what follows it is reachable."""

    def __init__(self, dialogs: DialogService, title: str) -> None:
        self.dialogs, self.title = dialogs, title

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> bool:
        if isinstance(exc, UserError | OSError):
            self.dialogs.report(self.title, exc)
            return True
        return False


class QtDialogs(DialogService):
    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def error(self, title: str, message: str) -> None:
        message_box(self.parent, QMessageBox.Icon.Warning, title, message).exec()

    def info(self, title: str, message: str) -> None:
        message_box(self.parent, QMessageBox.Icon.Information, title, message).exec()

    def question(self, title: str, message: str) -> bool:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        box = message_box(self.parent, QMessageBox.Icon.Question, title, message, buttons, QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def open_file(self, title: str, filters: str, folder: str = "") -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self.parent, title, folder, filters)
        return Path(name) if name else None

    def open_files(self, title: str, filters: str, folder: str = "") -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(self.parent, title, folder, filters)
        return [Path(name) for name in names]

    def save_file(self, title: str, filters: str, suggested: str = "") -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.parent, title, suggested, filters)
        return Path(name) if name else None

    def problems(self, title: str, message: str, problems: Sequence[Problem]) -> None:
        ProblemsDialog(title, message, problems, self.parent).exec()


class ProblemsDialog(QDialog):
    """Every problem of an import, one per row: file, row, column, message."""

    def __init__(self, title: str, message: str, problems: Sequence[Problem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = plain_label(message)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.table = QTableWidget(len(problems), 4, self)
        self.table.setHorizontalHeaderLabels([self.tr("File"), self.tr("Row"), self.tr("Column"), self.tr("Problem")])
        for row, p in enumerate(problems):
            column = phrase(p.column) if p.column else ""  # the work list's column names, in the window's language
            for col, text in enumerate((p.source, "" if p.row is None else str(p.row), column, p.what())):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 420)


@dataclass
class RecordingDialogs(DialogService):
    """A test double: records each call as (kind, args) and answers from queued replies."""

    calls: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    answers: list[Any] = field(default_factory=list)

    def _answer(self, kind: str, args: tuple[Any, ...], default: Any) -> Any:
        self.calls.append((kind, args))
        return self.answers.pop(0) if self.answers else default

    def error(self, title: str, message: str) -> None:
        self.calls.append(("error", (title, message)))

    def info(self, title: str, message: str) -> None:
        self.calls.append(("info", (title, message)))

    def question(self, title: str, message: str) -> bool:
        return bool(self._answer("question", (title, message), False))

    def open_file(self, title: str, filters: str, folder: str = "") -> Path | None:
        answer = self._answer("open_file", (title, filters, folder), None)
        return None if answer is None else Path(answer)

    def open_files(self, title: str, filters: str, folder: str = "") -> list[Path]:
        answer = self._answer("open_files", (title, filters, folder), [])
        return [Path(a) for a in (answer if isinstance(answer, list | tuple) else [answer])]

    def save_file(self, title: str, filters: str, suggested: str = "") -> Path | None:
        answer = self._answer("save_file", (title, filters, suggested), None)
        return None if answer is None else Path(answer)

    def problems(self, title: str, message: str, problems: Sequence[Problem]) -> None:
        self.calls.append(("problems", (title, message, list(problems))))

    def show_path(self, path: Path, folder: bool = False) -> None:
        self.calls.append(("show_path", (path, folder)))

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.calls]

    def last(self, kind: str) -> tuple[Any, ...]:
        return next(args for k, args in reversed(self.calls) if k == kind)
