"""Getting around the window: Find (Ctrl+F), panes by keyboard (F6), going to an item, Help (F1).

`Navigation` adds its actions to the Edit menu and a Help menu, owns the Find dock, and
`go_to(facility, bill, item)` shows any place in the programme (used by Find and by the export
dialog's pre-export check). The BoQ table keeps Tab for moving between cells, as a spreadsheet
does; F6 and Shift+F6 move between the panes, and Tab leaves the read-only lists.
"""

from __future__ import annotations

from estimator.cell_input import Col
from ui.document import Document
from ui.elided_tips import ElidedTips
from ui.find_panel import FindPanel
from ui.help_window import HelpWindow, about_text
from ui.qt import QApplication, QKeySequence, QMenu, QMenuBar, QObject, Qt, QWidget
from ui.shell import Shell, fit_screen


class Navigation(QObject):
    def __init__(self, window: Shell, edit: QMenu) -> None:
        super().__init__(window)
        self.window = window
        nodes = window.nodes
        edit.addActions([nodes.duplicate, nodes.properties])
        window.tree.addActions([nodes.duplicate, nodes.properties])
        edit.addSeparator()
        self.find_action = window._action(edit, self.tr("&Find…"), self.show_find, QKeySequence.StandardKey.Find)
        self.find_panel = FindPanel()
        self.find_panel.locate.connect(self.go_to)
        self.find_dock = window._dock(self.tr("Find"), "findDock", self.find_panel, Qt.DockWidgetArea.BottomDockWidgetArea)
        window.tabifyDockWidget(window.library_dock, self.find_dock)  # the wide bottom area, a tab beside the library
        self.find_dock.hide()
        self.next_pane = window._action(edit, self.tr("Next &pane"), lambda: self.cycle_panes(1), "F6")
        self.previous_pane = window._action(edit, self.tr("Previous pane"), lambda: self.cycle_panes(-1), "Shift+F6")
        for view in (window.library_panel.table, window.library_panel.buildup_view):
            view.setTabKeyNavigation(False)  # read-only lists: Tab goes on to the next pane
        self.tips = [ElidedTips(view) for view in (window.tree, window.table, window.library_panel.table,
                                                   window.library_panel.buildup_view)]
        self.help_window: HelpWindow | None = None

    def help_menu(self, bar: QMenuBar) -> None:
        menu = bar.addMenu(self.tr("&Help"))
        self.help_action = self.window._action(menu, self.tr("&User guide"), self.show_help, "F1")
        platform = QKeySequence(QKeySequence.StandardKey.HelpContents)  # F1 on most systems, Ctrl+? on macOS
        if not platform.isEmpty() and platform != QKeySequence("F1"):
            self.help_action.setShortcuts([QKeySequence("F1"), platform])
        self.about_action = self.window._action(menu, self.tr("&About BoQ Estimator"), self.show_about)

    def bind(self, doc: Document) -> None:
        self.find_panel.bind(doc.programme)
        doc.totals_changed.connect(self._refind)

    def _refind(self) -> None:
        """Edits change what Find would find: search again, once typing pauses, if it is showing."""
        if self.find_dock.isVisible() and self.find_panel.search.text().strip():
            self.find_panel.schedule()

    # ---- panes ------------------------------------------------------------------------------

    def panes(self) -> list[QWidget]:
        """The panes F6 visits, in order: tree, table, library search, rate list, build-up, find."""
        w, panel = self.window, self.window.library_panel
        chain = [w.tree, w.table, panel.search, panel.table, panel.buildup_view, self.find_panel.search,
                 self.find_panel.results]
        return [pane for pane in chain if pane.isVisibleTo(w)]

    def cycle_panes(self, step: int) -> QWidget:
        panes = self.panes()
        focus = QApplication.focusWidget()
        here = next((i for i, p in enumerate(panes) if focus is not None and (p is focus or p.isAncestorOf(focus))), -1)
        target = panes[(here + step) % len(panes)] if here >= 0 or step > 0 else panes[-1]
        target.setFocus(Qt.FocusReason.TabFocusReason)
        return target

    # ---- find and go to ---------------------------------------------------------------------

    def show_find(self) -> None:
        self.find_dock.show()
        self.find_dock.raise_()
        self.find_panel.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_panel.search.selectAll()

    def go_to(self, facility_uid: str, bill_uid: str = "", item_uid: str = "") -> None:
        """Show a facility, a bill or an item (from Find or the pre-export check)."""
        w = self.window
        if w.tree_model is None or w.boq_model is None:
            return
        index = w.tree_model.bill_index(bill_uid) if bill_uid else w.tree_model.facility_index(facility_uid)
        if not index.isValid():
            return
        w.tree.scrollTo(index)
        w.tree.setCurrentIndex(index)
        bill = w.boq_model.bill
        row = next((r for r, item in enumerate(bill.items) if item.uid == item_uid), -1) if bill and item_uid else -1
        if row >= 0:
            cell = w.boq_model.index(row, Col.DESC)
            w.table.scrollTo(cell)
            w.table.setCurrentIndex(cell)
            w.table.setFocus(Qt.FocusReason.OtherFocusReason)
        w.raise_()
        w.activateWindow()

    # ---- help -------------------------------------------------------------------------------

    def show_help(self) -> HelpWindow:
        if self.help_window is None:
            self.help_window = HelpWindow(self.window)
            self.help_window.resize(fit_screen(900, 760))
        self.help_window.show()
        self.help_window.raise_()
        return self.help_window

    def show_about(self) -> None:
        self.window.dialogs.info(self.tr("About BoQ Estimator"), about_text())
