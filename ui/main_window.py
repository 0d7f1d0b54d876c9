"""The main window: programme tree, BoQ table, totals bar, rate library; menus wired to commands.

The window owns the views and one `Document` at a time; `set_document` gives the views fresh
models over it. Commands live in `ui.rows` (BoQ rows) and `ui.file_actions` (files, import,
export, settings); this module lays them out and routes the tree's selection to the table.
"""

from __future__ import annotations

import importlib.util
from html import escape
from typing import Any

from estimator.errors import UserError
from estimator.model import Bill, Facility
from estimator.money import fmt
from estimator.rates import current_library
from estimator.rates.book import RateBook
from estimator.store import load
from ui import safekeeping
from ui.bidi import isolate, mirror_views, paragraph
from ui.boq_model import BoqModel
from ui.boq_view import BoqView, completion_model
from ui.dialogs import DialogService, QtDialogs
from ui.document import Document
from ui.file_actions import FileActions
from ui.kind_actions import KindActions
from ui.language import LanguageMenu, document_word
from ui.library_actions import LibraryActions
from ui.library_panel import LibraryPanel
from ui.navigation import Navigation
from ui.plain import plain_tooltip
from ui.qt import (
    QAbstractItemView,
    QAction,
    QCloseEvent,
    QDialog,
    QGuiApplication,
    QHeaderView,
    QKeySequence,
    QLabel,
    QMainWindow,
    QModelIndex,
    Qt,
    QTreeView,
    QUndoGroup,
    QVBoxLayout,
    QWidget,
)
from ui.rows import RowActions
from ui.server_actions import ServerActions
from ui.settings import AppSettings
from ui.shell import Shell, fit_screen
from ui.totals_bar import TotalsBar
from ui.tree_actions import TreeActions
from ui.tree_model import TOTAL, ProgrammeTreeModel


class MainWindow(Shell):
    files: FileActions
    nav: Navigation
    nodes: TreeActions

    def __init__(self, settings: AppSettings, dialogs: DialogService | None = None, library: RateBook | None = None) -> None:
        super().__init__()
        self.dialogs = dialogs if dialogs is not None else QtDialogs(self)
        self.settings = settings
        self.library = library if library is not None else current_library().book
        self.doc: Document | None = None
        self.tree_model: ProgrammeTreeModel | None = None
        self.boq_model: BoqModel | None = None
        self.side_windows: list[QWidget] = []
        self.undo_group = QUndoGroup(self)
        self.files = FileActions(self, self.dialogs, settings)
        self.server = ServerActions(self, self.dialogs, settings)  # File > Open from server (issue 21)

        self.tree = QTreeView()
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.SelectedClicked)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table = BoqView(completion_model({}, self))
        self.rows = RowActions(self.table, self.show_status)
        self.kinds = KindActions(self.table, self.show_status)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.bill_title = QLabel()
        self.bill_title.setTextFormat(Qt.TextFormat.RichText)
        self.totals = TotalsBar()
        self.library_panel = LibraryPanel(self.library)
        self.library_panel.add_requested.connect(self.rows.add_rates)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.bill_title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        self.setCentralWidget(central)
        # the programme tree on the reading side: left in English, right in Arabic (Qt does not mirror dock areas)
        side = Qt.DockWidgetArea.RightDockWidgetArea if self.isRightToLeft() else Qt.DockWidgetArea.LeftDockWidgetArea
        self.tree_dock = self._dock(self.tr("Programme"), "programmeDock", self.tree, side)
        self.library_dock = self._dock(self.tr("Rate library"), "libraryDock", self.library_panel,
                                       Qt.DockWidgetArea.BottomDockWidgetArea)
        self.library_dock.dockLocationChanged.connect(self._library_moved)
        self.save_state = QLabel()
        self.statusBar().addPermanentWidget(self.save_state)
        self._menus()
        mirror_views(self)
        self.resize(fit_screen(1560, 940))
        self.resizeDocks([self.tree_dock], [300], Qt.Orientation.Horizontal)
        self.resizeDocks([self.library_dock], [330], Qt.Orientation.Vertical)
        geometry, state = settings.layout()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)

    def _library_moved(self, area: Qt.DockWidgetArea) -> None:
        wide = area in (Qt.DockWidgetArea.BottomDockWidgetArea, Qt.DockWidgetArea.TopDockWidgetArea)
        self.library_panel.set_orientation(Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical)

    def _menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu(self.tr("&File"))
        self._action(file, self.tr("&New programme…"), self.files.new_file, QKeySequence.StandardKey.New)
        self._action(file, self.tr("&Open…"), self.files.open_file, QKeySequence.StandardKey.Open)
        recent = file.addMenu(self.tr("Open &recent"))
        recent.aboutToShow.connect(lambda: self.files.fill_recent(recent))
        self._action(file, self.tr("Open from ser&ver…"), self.server.open_dialog)
        self._action(file, self.tr("Lock or unlock the facility (server)"), self.server.toggle_lock)
        self._action(file, self.tr("&Save"), self.save, QKeySequence.StandardKey.Save)
        self._action(file, self.tr("Save &as…"), self.files.save_as, QKeySequence.StandardKey.SaveAs)
        file.addSeparator()
        self.import_action = self._action(file, self.tr("&Import work list…"), self.files.import_worklist, "Ctrl+I")
        self._action(file, self.tr("&Export (Excel, PDF)…"), self.files.export, "Ctrl+E")
        self.issue_action = self._action(file, self.tr("Issue tender &revision…"), self.issue_revision)
        file.addSeparator()
        self.settings_action = self._action(file, self.tr("Programme se&ttings…"), self.files.edit_settings, "Ctrl+,")
        self.restore_action = self._action(file, self.tr("Restore &backup…"), self.restore_backup)
        file.addSeparator()
        self._action(file, self.tr("&Quit"), self.close, "Ctrl+Q")  # StandardKey.Quit is empty on Windows and offscreen

        edit = bar.addMenu(self.tr("&Edit"))
        self.undo_action = self.undo_group.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.undo_action.triggered.disconnect()  # red input in the table is dropped first (see `undo`)
        self.undo_action.triggered.connect(self.undo)
        self.redo_action = self.undo_group.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence(QKeySequence.StandardKey.Redo)])
        edit.addActions([self.undo_action, self.redo_action])
        edit.addSeparator()
        rows = self.rows
        edit.addActions([rows.insert, rows.delete, rows.move_up, rows.move_down])
        edit.addSeparator()
        edit.addActions([rows.cut, rows.copy, rows.paste, rows.clear, rows.fill])
        edit.addMenu(self.kinds.menu)
        edit.addSeparator()
        self.nodes = TreeActions(self)
        edit.addActions([self.nodes.add_facility, self.nodes.add_bill, self.nodes.duplicate, self.nodes.properties])
        edit.addSeparator()  # deleting a facility or bill is kept apart from adding one
        edit.addAction(self.nodes.delete)
        gap = QAction(self.tree)
        gap.setSeparator(True)
        self.tree.addActions([self.nodes.add_facility, self.nodes.add_bill, self.nodes.duplicate, self.nodes.properties, gap,
                              self.nodes.delete])
        self.nav = Navigation(self, edit)
        self.template_action = self._action(edit, self.tr("New facility from &template…"), self.new_from_template)

        view = bar.addMenu(self.tr("&View"))
        view.addAction(self.tree_dock.toggleViewAction())
        view.addAction(self.library_dock.toggleViewAction())
        view.addAction(self.nav.find_dock.toggleViewAction())
        view.addSeparator()
        compare = self._action(view, self.tr("&Compare facilities…"), self.open_compare)
        compare.setEnabled(importlib.util.find_spec("ui.compare_view") is not None)
        bids = self._action(view, self.tr("&Bid evaluation…"), self.open_bids)
        bids.setEnabled(importlib.util.find_spec("ui.bids_view") is not None)
        self._action(view, self.tr("C&ontracts and payments…"), self.open_contracts)  # issue 19
        self._action(view, self.tr("Contracts &overview…"), self.open_contracts_overview)
        self.editing_actions = [*self.rows.editing, self.kinds.action,
                                self.import_action, self.settings_action, self.nodes.add_facility,
                                self.nodes.add_bill, self.nodes.delete, self.restore_action, self.nodes.duplicate,
                                self.nodes.properties, self.template_action]
        self.library_actions = LibraryActions(self, bar)
        self.editing_actions.append(self.library_actions.reprice)
        self.language = LanguageMenu(self, bar)
        self.nav.help_menu(bar)

    # ---- the document -------------------------------------------------------------------------

    def set_document(self, doc: Document) -> None:
        old, self.doc = self.doc, doc
        self.tree_model = ProgrammeTreeModel(doc)
        self.tree.setModel(self.tree_model)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # sized once to the widest total (x 1.2 for growth), not ResizeToContents: that re-measures
        # every row of the tree on each edit
        header.setSectionResizeMode(TOTAL, QHeaderView.ResizeMode.Interactive)
        widest = max([doc.live.grand_total, *doc.live.facility_totals.values()])
        header.resizeSection(TOTAL, int(self.tree.fontMetrics().horizontalAdvance(fmt(widest)) * 1.2) + 16)
        self.tree.selectionModel().currentChanged.connect(self._tree_current)
        self.boq_model = BoqModel(doc)
        self.boq_model.status.connect(self.show_status)
        self.table.setModel(self.boq_model)
        codes = {c: r.description for book in (self.library, doc.programme.rates) for c, r in book.rates.items()}
        self.table.delegate.completions = completion_model(codes, self.boq_model)
        self.table.selectionModel().currentRowChanged.connect(self._row_current)
        self.totals.bind(doc)
        self.library_panel.bind(doc)
        self.nav.bind(doc)
        self.undo_group.addStack(doc.undo_stack)
        self.undo_group.setActiveStack(doc.undo_stack)
        doc.totals_changed.connect(self._update_bill_title)
        doc.totals_changed.connect(self.update_title)  # the programme renamed (settings, here or by a colleague)
        doc.saved.connect(lambda: self._save_state(""))
        doc.save_failed.connect(self._save_state)
        doc.path_changed.connect(self.update_title)
        doc.failed.connect(self.show_status)
        if old is not None:
            self._follow(old, doc)
            self.undo_group.removeStack(old.undo_stack)
            old.close()
            old.deleteLater()
        for action in self.editing_actions:
            action.setEnabled(not doc.readonly)
        self.issue_action.setEnabled(not doc.project.readonly)  # a record, not an edit: procurement issues on the server
        if len(doc.programme.facilities) <= 20:
            self.tree.expandAll()
        first = self.tree_model.index(0, 0)
        if first.isValid():
            bills = first.internalId() == 0 and self.tree_model.rowCount(first)
            self.tree.expand(first)
            self.tree.setCurrentIndex(self.tree_model.index(0, 0, first) if bills else first)
        self._save_state("")
        self.update_title()

    def undo(self) -> None:
        """Undo: red input (not accepted) in the bill shown is dropped first; then the last edit is undone."""
        if self.boq_model is not None and self.boq_model.discard_pending(typed_only=True):
            self.show_status(self.tr("Input not accepted was dropped (Undo again to undo the last edit)"))
            return
        self.undo_group.undo()

    def update_title(self) -> None:
        if self.doc is None:
            self.setWindowTitle(self.tr("BoQ Estimator"))
            return
        flag = " [read-only]" if self.doc.readonly else ""
        self.setWindowTitle(self.tr("{name} — {path}{flag} — BoQ Estimator")
                            .format(name=self.doc.programme.name, path=self.doc.path, flag=flag))

    def _save_state(self, error: str) -> None:
        if self.doc is not None and self.doc.readonly:
            self.save_state.setText(self.tr("Read-only"))
        elif error:
            self.save_state.setText(self.tr("NOT SAVED"))
            self.save_state.setStyleSheet("color: #a61b1b; font-weight: bold;")
            self.save_state.setToolTip(plain_tooltip(error))
            self.show_status(self.tr("Could not save: {error}").format(error=error))
        else:
            self.save_state.setText(self.tr("All changes saved"))
            self.save_state.setStyleSheet("")
            self.save_state.setToolTip(plain_tooltip(str(self.doc.path)) if self.doc else "")

    def save(self) -> None:
        if self.doc is not None and self.doc.save_now():
            self.show_status(self.tr("Saved {path} (every edit is saved as you make it)").format(path=self.doc.path))

    def _tree_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        assert self.tree_model is not None and self.boq_model is not None
        node = self.tree_model.node(current)
        facility = node if isinstance(node, Facility) else None
        bill = node if isinstance(node, Bill) else None
        if isinstance(node, Bill):
            facility = self.tree_model.node(current.parent())  # type: ignore[assignment]
        if bill is None and facility is not None and facility.bills:
            bill = facility.bills[0]
        if bill is None or bill is not self.boq_model.bill:
            self.boq_model.set_bill(bill.uid if bill else None)
            if bill is not None and bill.items:
                self.table.setCurrentIndex(self.boq_model.index(0, 1))
        self.totals.set_facility(facility.uid if facility else None)
        self._update_bill_title()

    def _row_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.boq_model is None or self.doc is None or not current.isValid():
            return
        code = self.boq_model.item(current.row()).rate_code
        if code and code in self.doc.programme.rates:
            self.library_panel.show_buildup(code, self.doc.programme.rates, self.tr("as priced in this programme"))

    def _update_bill_title(self) -> None:
        model, doc = self.boq_model, self.doc
        if model is None or doc is None or model.bill is None or model.facility is None:
            self.bill_title.setText(paragraph(self.tr("<i>Select a bill in the programme tree</i>"), rich=True))
            return
        n, fac = len(model.bill.items), model.facility
        about = self.tr(", ").join(p for p in (document_word("facility_types", fac.facility_type),
                                               document_word("governorates", fac.governorate)) if p)
        text = self.tr("<b>{facility}</b>{about} › {bill} — {n} items, bill total <b>{total} {currency}</b>") if n != 1 else \
            self.tr("<b>{facility}</b>{about} › {bill} — {n} item, bill total <b>{total} {currency}</b>")
        self.bill_title.setText(paragraph(text.format(
            facility=isolate(escape(fac.name)), about=f" ({escape(about)})" if about else "",
            bill=isolate(escape(model.bill.name)), n=n, total=fmt(doc.live.bill_total(model.bill.uid)),
            currency=doc.programme.currency), rich=True))

    # ---- other views --------------------------------------------------------------------------

    def _follow(self, old: Document, doc: Document) -> None:
        """The same file opened afresh (a server programme re-read): the contracts views move to it."""
        if old.path != doc.path:
            return
        for window in self.side_windows:
            view: Any = window.centralWidget() if isinstance(window, QMainWindow) else None
            if getattr(view, "project", None) is old.project:  # ContractsView, ProgrammeContractsView
                view.project = doc.project
                if (recorded := getattr(view, "recorded", None)) is not None:
                    recorded.connect(doc.recorded)
                view.refresh()

    def _side_window(self, title: str, widget: QWidget) -> QMainWindow:
        window = QMainWindow(self)
        window.setWindowTitle(title)
        window.setCentralWidget(widget)
        mirror_views(window)
        window.resize(fit_screen(1300, 860))
        screen = QGuiApplication.primaryScreen()
        if screen is not None:  # on the screen, whatever size the main window has
            window.move(screen.availableGeometry().topLeft())
        window.show()
        self.side_windows.append(window)
        return window

    def open_compare(self) -> QWidget | None:
        if self.doc is None:
            return None
        from ui.compare_view import CompareView

        view = CompareView(dialogs=self.dialogs)
        doc = self.doc
        view.set_source(lambda: (doc.programme, doc.live.estimate()))
        view.inputs = [doc.path]
        view.facilityActivated.connect(self.select_facility)
        self._side_window(self.tr("Compare facilities — {name}").format(name=self.doc.programme.name), view)
        return view

    def open_bids(self) -> QWidget | None:
        """Bid evaluation against the programme as saved (it runs on the thread pool: a copy, not the live one)."""
        if self.doc is None:
            return None
        module = importlib.import_module("ui.bids_view")
        if not self.doc.readonly:
            self.doc.save_now()
        try:
            programme = load(self.doc.path)
        except (UserError, OSError) as exc:
            self.dialogs.report(self.tr("Bid evaluation"), exc)
            return None
        view: QWidget = module.BidsView(programme, self.dialogs, source=self.doc.path)  # bids answer their revision
        self._side_window(self.tr("Bid evaluation — {name}").format(name=self.doc.programme.name), view)
        return view

    def open_contracts(self, overview: bool = False) -> QWidget | None:
        """View › Contracts: a lot's contract, variations, measurements and certificates (`ui.contracts_view`)."""
        if self.doc is None:
            return None
        from ui.contracts_view import ContractsView, ProgrammeContractsView

        view: QWidget
        if overview:
            view = ProgrammeContractsView(self.doc.project)
        else:
            view = ContractsView(self.doc.project, self.dialogs)
            view.recorded.connect(self.doc.recorded)  # a server programme's entries go to the server
        title = self.tr("Contracts overview") if overview else self.tr("Contracts and payments")
        self._side_window(self.tr("{title} — {name}").format(title=title, name=self.doc.programme.name), view)
        return view

    def open_contracts_overview(self) -> QWidget | None:
        return self.open_contracts(overview=True)

    def issue_revision(self) -> QWidget | None:
        """File › Issue tender revision…: freeze the programme as a named revision (`ui.revision_actions`)."""
        if self.doc is None:
            return None
        from ui.revision_actions import IssueRevisionDialog

        dialog = IssueRevisionDialog(self.doc, self.dialogs, self)
        dialog.accepted.connect(lambda: self.show_status(self.tr("Issued tender revision {arg0}")
                                                         .format(arg0=dialog.issued.name if dialog.issued else '')))
        dialog.open()
        return dialog

    def new_from_template(self) -> QWidget | None:
        from ui.template_dialog import open_template_dialog

        self.template_dialog = open_template_dialog(self)
        return self.template_dialog

    def select_facility(self, uid: str) -> None:
        if self.tree_model is not None:
            self.tree.setCurrentIndex(self.tree_model.facility_index(uid))
            self.raise_()
            self.activateWindow()

    # ---- nothing typed or deleted is lost without a word (ui.safekeeping) -------------------

    def settle_input(self, action: str = "") -> bool:
        """Commit what is being typed; ask before dropping red input. True: fine to close or open another."""
        return safekeeping.settle_input(self, action or self.tr("Close"))

    def backup(self, reason: str) -> bool:
        """Back up the programme file before a destructive action; False (after saying why) if that failed."""
        return safekeeping.backup(self, reason)

    def restore_backup(self) -> QDialog | None:
        if self.doc is None:
            return None
        from ui.backups_dialog import BackupsDialog

        dialog = BackupsDialog(self)
        dialog.open()
        return dialog

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.settle_input():
            event.ignore()
            return
        self.settings.set_layout(self.saveGeometry(), self.saveState())
        self.settings.sync()
        if self.doc is not None:
            self.doc.close()
            self.undo_group.removeStack(self.doc.undo_stack)
            for view in (self.tree, self.table):
                view.setModel(None)  # the models belong to the document, which goes now
            self.library_panel.table.setModel(None)
            self.tree_model = self.boq_model = None
            self.doc.deleteLater()
            self.doc = None
        super().closeEvent(event)

