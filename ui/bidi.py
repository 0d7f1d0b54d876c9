"""Right-to-left window, left-to-right data: each cell's text is laid out in its own direction.

In Arabic mode every view is mirrored, and Qt lays a cell's text out in the view's direction, so an
English description such as "1 Preliminaries" would read "Preliminaries 1" and be cut at the wrong
end. The delegate here keeps where a cell's text sits (right-aligned text, left-aligned figures, as
in an Arabic spreadsheet) but lays English text out left to right, as Excel does in a right-to-left
sheet. Figures and Arabic text are unchanged. Nothing happens in a left-to-right window.
"""

from __future__ import annotations

import unicodedata

from ui.qt import (
    QAbstractItemView,
    QGuiApplication,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QWidget,
)

LTR, RTL = Qt.LayoutDirection.LeftToRight, Qt.LayoutDirection.RightToLeft


def direction_of(text: str) -> Qt.LayoutDirection | None:
    """The direction of the first letter with a strong direction (Unicode's rule P2), None for none (figures)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return LTR
        if kind in ("R", "AL"):
            return RTL
    return None


def own_direction(option: QStyleOptionViewItem) -> None:
    """Lay a left-to-right text out left to right in a right-to-left view, where it already sits."""
    if option.direction != RTL or not option.text or direction_of(option.text) != LTR:
        return
    placed = QStyle.visualAlignment(RTL, option.displayAlignment)
    option.displayAlignment = placed | Qt.AlignmentFlag.AlignAbsolute
    option.direction = LTR


class BidiDelegate(QStyledItemDelegate):
    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        own_direction(option)


def right_to_left() -> bool:
    return QGuiApplication.layoutDirection() == RTL


def isolate(text: str) -> str:
    """`text` (a name, a code) kept in one piece inside a sentence of the other direction (Unicode FSI…PDI)."""
    return f"\u2068{text}\u2069" if text and right_to_left() else text


def paragraph(text: str, rich: bool = False) -> str:
    """A label's text read right to left in Arabic mode, even when it starts with an English name."""
    if not right_to_left():
        return text
    return f"<div dir='rtl'>{text}</div>" if rich else f"\u200f{text}"


def select_row(view: QAbstractItemView, row: int) -> None:
    """Select a whole row and make it current. QTableView.selectRow selects nothing in a right-to-left
    view (Qt 6.12); selecting through the selection model works in both directions."""
    model = view.model()
    if model is None or not 0 <= row < model.rowCount():
        return
    index = model.index(row, 0)
    view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                          | QItemSelectionModel.SelectionFlag.Rows)


def mirror_views(root: QWidget) -> None:
    """Give every item view under `root` that draws with Qt's plain delegate the one above (RTL only)."""
    if not root.isRightToLeft():
        return
    for view in root.findChildren(QAbstractItemView):
        if type(view.itemDelegate()) is QStyledItemDelegate:
            view.setItemDelegate(BidiDelegate(view))
