"""The BoQ table's "Item type" menu: measured work, provisional sum, prime cost sum, profit and
attendance, daywork (`Item.kind`, see `estimator.model`). One undoable edit for the selected rows.

A provisional or prime cost sum is an amount the employer fixes: the menu turns a row without a
rate into 1 LS, and its amount is then typed as its rate. Profit and attendance is a percentage of
the prime cost sum above it: its unit becomes %, its quantity that sum's amount, its rate the %.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from estimator import edits
from estimator.errors import UserError, localized
from estimator.kinds import LABELS
from estimator.model import FIXED_SUMS, ITEM_KINDS, PC_ATTENDANCE, PC_SUM, PERCENT, Item
from ui.boq_view import BoqView
from ui.qt import QAction, QActionGroup, QMenu, QObject, Qt


class KindActions(QObject):
    def __init__(self, view: BoqView, status: Callable[[str], None]) -> None:
        super().__init__(view)
        self.view, self.status = view, status
        names = {"": self.tr("Measured work"), "provisional sum": self.tr("Provisional sum (fixed amount)"),
                 "prime cost sum": self.tr("Prime cost sum (fixed amount)"),
                 "profit and attendance": self.tr("Profit and attendance on a PC sum (%)"),
                 "daywork": self.tr("Daywork (provisional quantity)")}
        self.menu = QMenu(self.tr("Item t&ype"), view)
        group = QActionGroup(self.menu)
        self.kinds: dict[str, QAction] = {}
        for kind in ITEM_KINDS:
            action = QAction(names.get(kind, LABELS[kind][0]), self.menu)
            action.setCheckable(True)
            action.triggered.connect(lambda _checked=False, k=kind: self.set_kind(k))
            group.addAction(action)
            self.menu.addAction(action)
            self.kinds[kind] = action
        self.menu.aboutToShow.connect(self._show_current)
        self.action = self.menu.menuAction()
        view.addAction(self.action)

    def _show_current(self) -> None:
        model = self.view.boq()
        rows = self.view.selected_rows()
        if model.bill is None or not rows:
            return
        kinds = {model.item(r).kind for r in rows}
        for kind, action in self.kinds.items():
            action.setChecked(kinds == {kind})

    def set_kind(self, kind: str) -> bool:
        """Make the selected rows `kind`, as one undoable edit."""
        model = self.view.boq()
        bill = model.bill
        rows = self.view.selected_rows()
        if bill is None or not rows:
            self.status(self.tr("Select rows of a bill first"))
            return False
        doc = model.doc
        steps: list[edits.Edit | None] = []
        for row in rows:
            item = bill.items[row]
            steps.append(edits.set_fields(bill, item, self._changes(bill.items, row, item, kind), "Item type"))
        edit = edits.group(steps, self.tr("Item type: {kind}").format(kind=LABELS[kind][0]))
        try:
            doc.push(edit)
        except UserError as exc:
            self.status(localized(exc))
            return False
        model.headerDataChanged.emit(Qt.Orientation.Vertical, rows[0], rows[-1])  # the PS / PC / DW marks
        if kind in FIXED_SUMS:
            self.status(self.tr("A fixed sum: type its amount as the rate of 1 LS; bidders do not price it"))
        elif kind == PC_ATTENDANCE:
            self.status(self.tr("Profit and attendance: type the percentage as the rate"))
        return True

    def _changes(self, items: list[Item], row: int, item: Item, kind: str) -> dict[str, Any]:
        changes: dict[str, Any] = {"kind": kind}
        if kind in FIXED_SUMS and item.rate is None and not item.rate_code:
            changes.update(quantity=Decimal(1), unit="ls")
        elif kind == PC_ATTENDANCE:
            changes.update(unit=PERCENT, rate_code="")
            above = next((i for i in reversed(items[:row]) if i.kind == PC_SUM), None)
            if above is not None:
                line = self.view.boq().doc.live.line(above.uid)
                if not line.error:
                    changes["quantity"] = line.amount
            if item.rate is None:
                changes["rate"] = Decimal(0)
        elif item.kind == PC_ATTENDANCE:  # back from a percentage: a unit and a rate to give again
            changes.update(unit="item")
        return changes
