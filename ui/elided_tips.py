"""Tooltips that show a cell's whole text where the column cuts it ("Demolition of damaged …").

`ElidedTips(view)` watches a view's tooltip events: when the model has no tooltip of its own for
the cell under the mouse and the cell's text does not fit its width, the tooltip is the whole
text. Models keep their own tooltips (a unit conversion, a reason) wherever they give one.
"""

from __future__ import annotations

from ui.qt import QAbstractItemView, QEvent, QHelpEvent, QModelIndex, QObject, QToolTip, Role

MARGIN = 12  # the cell's padding on both sides


class ElidedTips(QObject):
    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self.view = view
        view.viewport().installEventFilter(self)

    def tip_for(self, index: QModelIndex) -> str | None:
        """The whole text of `index` when it is cut and the model gives no tooltip, else None."""
        if not index.isValid() or index.data(Role.TOOLTIP):
            return None
        text = index.data(Role.DISPLAY)
        if not isinstance(text, str) or not text:
            return None
        width = self.view.visualRect(index).width()
        lines = text.splitlines() or [text]
        fits = max(self.view.fontMetrics().horizontalAdvance(line) for line in lines) + MARGIN <= width
        return None if fits else text

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.view.indexAt(event.pos())
            tip = self.tip_for(index)
            if tip is not None:
                QToolTip.showText(event.globalPos(), tip, self.view.viewport(), self.view.visualRect(index))
                return True
        return super().eventFilter(watched, event)
