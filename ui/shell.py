"""The main window as its parts see it.

The file, tree, library and navigation actions, the safekeeping checks and the backups and template
dialogs are given the main window and use part of it: its views, its document, a few of its
commands. `Shell` declares that part; `ui.main_window.MainWindow` is its one subclass and fills it
in. The parts import this module, never `ui.main_window`, so the window imports them without an
import cycle (tests/test_layers.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from estimator.model import Facility
from estimator.rates.book import RateBook
from ui.bidi import isolate
from ui.boq_model import BoqModel
from ui.boq_view import BoqView
from ui.dialogs import DialogService
from ui.document import Document
from ui.library_panel import LibraryPanel
from ui.qt import QAction, QDockWidget, QGuiApplication, QKeySequence, QMainWindow, QMenu, QSize, Qt, QTreeView, QWidget
from ui.settings import AppSettings
from ui.tree_model import ProgrammeTreeModel


class Opener(Protocol):
    def open_path(self, path: Path) -> bool: ...


class Locator(Protocol):
    def go_to(self, facility_uid: str, bill_uid: str = "", item_uid: str = "") -> None: ...


class NodeActions(Protocol):
    duplicate: QAction
    properties: QAction

    def current_facility(self) -> Facility | None: ...


class Shell(QMainWindow):
    """What the window's parts use of the main window (set up by `MainWindow.__init__`)."""

    dialogs: DialogService
    settings: AppSettings
    library: RateBook
    doc: Document | None
    tree_model: ProgrammeTreeModel | None
    boq_model: BoqModel | None
    tree: QTreeView
    table: BoqView
    library_panel: LibraryPanel
    library_dock: QDockWidget
    files: Opener
    nav: Locator
    nodes: NodeActions

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, menu: QMenu, text: str, slot: object, shortcut: str | QKeySequence.StandardKey | None = None) -> QAction:
        action = menu.addAction(text)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def show_status(self, message: str) -> None:
        if message:  # isolated: "1,850 ft2 = 171.87 m2" keeps its order in the Arabic window
            self.statusBar().showMessage(isolate(message), 15000)

    # ---- the window's commands, defined by MainWindow: declared here for the parts' type checks ----
    set_document: Callable[[Document], None]
    update_title: Callable[[], None]
    save: Callable[[], None]
    settle_input: Callable[..., bool]  # (action: str = "Close") -> whether pending input was settled
    backup: Callable[[str], bool]
    select_facility: Callable[[str], None]


def fit_screen(width: int, height: int) -> QSize:
    """The preferred first size, no larger than the screen (laptops are often 1366 x 768)."""
    screen = QGuiApplication.primaryScreen()
    if screen is not None:
        available = screen.availableGeometry()
        width, height = min(width, available.width()), min(height, available.height())
    return QSize(width, height)
