"""The BoQ table view: editing that behaves like a spreadsheet.

Arrows move; typing starts editing (type-to-edit) and F2 or a double-click edits the current
text; Enter commits and moves down, Tab commits and moves right (Shift+Tab left), Escape
cancels. The rate-code editor completes over the library by code or description. Rates dragged
from the library panel are dropped here as new rows.
"""

from __future__ import annotations

from estimator.cell_input import Col
from ui.bidi import BidiDelegate
from ui.boq_model import BoqModel
from ui.qt import (
    QAbstractItemDelegate,
    QAbstractItemModel,
    QAbstractItemView,
    QCompleter,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QEvent,
    QHeaderView,
    QKeyEvent,
    QKeySequence,
    QLineEdit,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStandardItem,
    QStandardItemModel,
    QStyleOptionViewItem,
    Qt,
    QTableView,
    QWidget,
    Signal,
)

RATE_CODES_MIME = "application/x-boq-rate-codes"
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
COMPLETION_WIDTH = 640


class KeepOnScreen(QObject):
    """Moves a popup that is wider than the cell it belongs to back inside the screen whenever it is placed."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        shown = event.type() in (QEvent.Type.Show, QEvent.Type.Move, QEvent.Type.Resize)  # QCompleter re-places it per key
        if shown and isinstance(watched, QWidget) and watched.isVisible() and watched.screen() is not None:
            area, frame = watched.screen().availableGeometry(), watched.frameGeometry()
            if frame.right() > area.right():
                watched.move(max(area.left(), watched.x() - (frame.right() - area.right())), watched.y())
        return False


class BoqDelegate(BidiDelegate):
    """Line editors that commit on Enter and ask the view to move down."""

    enter_pressed = Signal()

    def __init__(self, completions: QStandardItemModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.completions = completions
        self.on_screen = KeepOnScreen(self)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = QLineEdit(parent)
        editor.setFrame(False)
        if index.column() == Col.DESC_AR:
            editor.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        if index.column() in (Col.QTY, Col.RATE):
            editor.setAlignment(Qt.AlignmentFlag.AlignRight)
        if index.column() == Col.CODE:
            completer = QCompleter(self.completions, editor)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionRole(Qt.ItemDataRole.EditRole)
            completer.setMaxVisibleItems(12)
            editor.setCompleter(completer)
            # the code column is narrow: the list shows `CODE  description` at a readable width
            popup = completer.popup()
            if popup is not None:  # a completer always has one; its type says it may not
                popup.setMinimumWidth(min(COMPLETION_WIDTH, max(parent.width() - 40, 360)))
                popup.installEventFilter(self.on_screen)

            def picked(text: str) -> None:
                editor.setText(text)
                self.finish(editor)

            completer.activated.connect(picked)
            # With the list open, QCompleter hands Enter straight to the line edit (past this delegate's
            # event filter): without this a full code needed a second Enter.
            editor.returnPressed.connect(lambda: self.finish(editor))
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QLineEdit)
        editor.setText(index.data(Qt.ItemDataRole.EditRole) or "")

    def setModelData(self, editor: QWidget, model: object, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QLineEdit) and isinstance(model, BoqModel)
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() in ENTER_KEYS:
            assert isinstance(editor, QLineEdit)
            completer = editor.completer()
            popup = completer.popup() if completer is not None else None
            if popup is not None and popup.isVisible():
                current = popup.currentIndex()
                if current.isValid():
                    editor.setText(str(current.data(Qt.ItemDataRole.EditRole)))
                popup.hide()
            self.finish(editor)
            return True
        return super().eventFilter(editor, event)

    def finish(self, editor: QLineEdit) -> None:
        """Commit, close and ask the view to move down (once, however the editor was finished)."""
        if editor.property("boq_finished"):
            return
        editor.setProperty("boq_finished", True)
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        self.enter_pressed.emit()


def completion_model(codes: dict[str, str], parent: QObject | None = None) -> QStandardItemModel:
    """Rate codes for the completer: shown as `CODE  description`, matched on that text."""
    model = QStandardItemModel(parent)
    for code, description in sorted(codes.items()):
        entry = QStandardItem(f"{code}  {description}")
        model.appendRow(entry)
    return model


class BoqView(QTableView):
    rates_dropped = Signal(list, int)  # rate codes, row to insert at (-1: at the end)

    def __init__(self, completions: QStandardItemModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.delegate = BoqDelegate(completions, self)
        self.delegate.enter_pressed.connect(lambda: self.step(1, 0))
        self.setItemDelegate(self.delegate)
        triggers = QAbstractItemView.EditTrigger
        self.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed | triggers.AnyKeyPressed)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setStretchLastSection(False)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        if model is None:
            return
        widths = {Col.REF: 52, Col.QTY: 96, Col.UNIT: 48, Col.CODE: 72, Col.RATE: 96, Col.AMOUNT: 120}
        for col, width in widths.items():
            self.setColumnWidth(col, width)
        for col in (Col.DESC, Col.DESC_AR):  # the two descriptions share what is left
            self.horizontalHeader().setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)

    def boq(self) -> BoqModel:
        model = self.model()
        assert isinstance(model, BoqModel)
        return model

    def step(self, rows: int, cols: int) -> None:
        """Move the current cell, as Enter and Tab do in a spreadsheet."""
        current = self.currentIndex()
        if not current.isValid():
            return
        row = min(max(current.row() + rows, 0), self.model().rowCount() - 1)
        col = min(max(current.column() + cols, 0), self.model().columnCount() - 1)
        self.setCurrentIndex(self.model().index(row, col))

    def selected_rows(self) -> list[int]:
        rows = {i.row() for i in self.selectionModel().selectedIndexes()}
        if not rows and self.currentIndex().isValid():
            rows = {self.currentIndex().row()}
        return sorted(rows)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        editing = self.state() == QAbstractItemView.State.EditingState
        if not editing and event.key() in ENTER_KEYS:
            self.step(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1, 0)
            return
        if not editing and event.key() == Qt.Key.Key_Escape:  # Escape drops red input in the selected cells
            cells = [(i.row(), i.column()) for i in self.selectionModel().selectedIndexes()]
            if self.currentIndex().isValid():
                cells.append((self.currentIndex().row(), self.currentIndex().column()))
            if self.boq().discard_pending(cells):
                self.boq().status.emit(self.tr("Input not accepted was dropped; the cell shows its value again"))
            return
        if event.matches(QKeySequence.StandardKey.Undo) and self.boq().discard_pending(typed_only=True):
            return  # Undo with nothing to undo (the action is disabled): still drops red input
        super().keyPressEvent(event)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        """Tab and Shift+Tab commit and move sideways without opening the next editor; Escape drops red input."""
        hints = QAbstractItemDelegate.EndEditHint
        if hint == hints.RevertModelCache and self.currentIndex().isValid():
            current = self.currentIndex()
            self.boq().discard_pending([(current.row(), current.column())])
        if hint in (hints.EditNextItem, hints.EditPreviousItem):
            super().closeEditor(editor, hints.NoHint)
            self.step(0, 1 if hint == hints.EditNextItem else -1)
            return
        super().closeEditor(editor, hint)

    # ---- drops from the rate library --------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(RATE_CODES_MIME) and not self.boq().doc.readonly:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(RATE_CODES_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        if not event.mimeData().hasFormat(RATE_CODES_MIME):
            event.ignore()
            return
        codes = bytes(event.mimeData().data(RATE_CODES_MIME).data()).decode("utf-8").split()
        row = self.indexAt(event.position().toPoint()).row()
        event.acceptProposedAction()
        self.rates_dropped.emit(codes, row)
