"""The BoQ table of one bill: a QAbstractTableModel over the bill's items and their priced lines.

DisplayRole gives the printed figures of the live estimate (what is printed is what is summed),
EditRole the raw value as it can be typed back; numbers are right-aligned, Arabic text too.
Typed text goes through `estimator.cell_input.parse_cell`; a valid change becomes an undoable edit, a
bad one stays in the cell as typed, red, with its problem as tooltip, until it is fixed or undone.
The model follows the document's edits one primitive at a time, so inserts, removals and moves
are real `beginInsertRows`/`beginRemoveRows`/`beginMoveRows` and field changes `dataChanged`.
"""

from __future__ import annotations

from typing import Any

from estimator import edits
from estimator.cell_input import EDITABLE, HEADERS, NUMERIC, Col, edit_text, parse_cell
from estimator.clipboard import cell_edits
from estimator.edits import Change, Edit
from estimator.errors import UserError, localized
from estimator.kinds import MARKS as KIND_MARKS
from estimator.model import DAYWORK, FIXED_SUMS, PC_ATTENDANCE, PC_SUM, PROVISIONAL_SUM, Bill, Facility, Item
from estimator.money import fmt
from estimator.pricing import Line
from estimator.units import label
from ui.document import Document, EditFailed
from ui.qt import QT_TRANSLATE_NOOP, QAbstractTableModel, QBrush, QColor, QModelIndex, QPersistentModelIndex, Qt, Role, Signal

Index = QModelIndex | QPersistentModelIndex
BAD_INPUT = QBrush(QColor("#f4c7c3"))
PRICING_PROBLEM = QBrush(QColor("#fce8b2"))
CONVERTED = QBrush(QColor("#1a4f9c"))
FIXED = QBrush(QColor("#e7e6e6"))  # a fixed sum's rate and amount: the employer's, not for bidders (as in the workbook)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
ALIGN = [RIGHT if col in NUMERIC or col == Col.DESC_AR else LEFT for col in Col]
READ_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
EDITABLE_FLAGS = READ_FLAGS | Qt.ItemFlag.ItemIsEditable

# estimator.cell_input.HEADERS, marked for translation: the model shows them through self.tr(HEADERS[col])
_TITLES = (QT_TRANSLATE_NOOP("BoqModel", "Item"), QT_TRANSLATE_NOOP("BoqModel", "Description"),
           QT_TRANSLATE_NOOP("BoqModel", "Description (Arabic)"), QT_TRANSLATE_NOOP("BoqModel", "Quantity"),
           QT_TRANSLATE_NOOP("BoqModel", "Unit"), QT_TRANSLATE_NOOP("BoqModel", "Rate code"),
           QT_TRANSLATE_NOOP("BoqModel", "Rate"), QT_TRANSLATE_NOOP("BoqModel", "Amount"))


class BoqModel(QAbstractTableModel):
    status = Signal(str)  # a message for the status bar: a conversion done, or what is wrong

    def __init__(self, document: Document) -> None:
        super().__init__(document)
        self.doc = document
        self.facility: Facility | None = None
        self.bill: Bill | None = None
        # bad input kept as typed: (item uid, column) -> (text, problem)
        self.pending: dict[tuple[str, Col], tuple[str, str]] = {}
        self.typed: set[tuple[str, Col]] = set()  # the pending cells that were typed (Undo drops these first)
        self._resetting = False
        document.about_to_apply.connect(self._before)
        document.applied.connect(self._after)

    # ---- which bill -----------------------------------------------------------------------

    def set_bill(self, bill_uid: str | None) -> None:
        self.beginResetModel()
        self.facility, self.bill = self._locate(bill_uid)
        self.endResetModel()

    def _locate(self, bill_uid: str | None) -> tuple[Facility | None, Bill | None]:
        for fac in self.doc.programme.facilities:
            for bill in fac.bills:
                if bill.uid == bill_uid:
                    return fac, bill
        return None, None

    def item(self, row: int) -> Item:
        assert self.bill is not None
        return self.bill.items[row]

    def line(self, row: int) -> Line:
        return self.doc.live.line(self.item(row).uid)

    # ---- reading --------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008  (Qt's signature)
        return 0 if parent.isValid() or self.bill is None else len(self.bill.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Col)

    def data(self, index: Index, role: int = Role.DISPLAY) -> Any:
        if role == Role.DISPLAY:
            return self._display(index)
        if role == Role.EDIT:
            return self._edit(index)
        if role == Role.ALIGNMENT:
            return ALIGN[index.column()] if index.isValid() else None
        if role == Role.BACKGROUND:
            return self._background(index)
        if role == Role.TOOLTIP:
            return self._tooltip(index)
        if role == Role.FOREGROUND and index.column() == Col.QTY and index.isValid():
            line = self.line(index.row())
            return CONVERTED if line.item.unit != line.unit and not line.error else None
        return None

    def _display(self, index: Index) -> str | None:
        if not index.isValid():
            return None
        col, item = Col(index.column()), self.item(index.row())
        bad = self.pending.get((item.uid, col))
        if bad is not None:
            return bad[0]
        line = self.doc.live.line(item.uid)
        if col == Col.QTY:
            return fmt(line.quantity)
        if col == Col.UNIT:
            return label(line.unit)
        if col == Col.RATE:
            return "" if line.error else fmt(line.rate)
        if col == Col.AMOUNT:
            return "" if line.error else fmt(line.amount)
        return edit_text(col, item, line, self.doc.programme)

    def _edit(self, index: Index) -> str | None:
        if not index.isValid():
            return None
        col, item = Col(index.column()), self.item(index.row())
        bad = self.pending.get((item.uid, col))
        if bad is not None:
            return bad[0]
        return edit_text(col, item, self.doc.live.line(item.uid), self.doc.programme)

    def _background(self, index: Index) -> QBrush | None:
        if not index.isValid():
            return None
        col, item = Col(index.column()), self.item(index.row())
        if (item.uid, col) in self.pending:
            return BAD_INPUT
        if col in (Col.AMOUNT, Col.RATE) and self.doc.live.line(item.uid).error:
            return PRICING_PROBLEM
        if col in (Col.AMOUNT, Col.RATE) and item.kind in FIXED_SUMS:
            return FIXED
        return None

    def _tooltip(self, index: Index) -> str | None:
        if not index.isValid():
            return None
        col, item = Col(index.column()), self.item(index.row())
        bad = self.pending.get((item.uid, col))
        if bad is not None:
            return self.tr("Not accepted: {why}").format(why=bad[1])
        line = self.doc.live.line(item.uid)
        cur = self.doc.programme.currency
        if col == Col.QTY and item.measurement:
            converted = f" = {fmt(line.quantity)} {label(line.unit)}" if item.unit != line.unit and not line.error else ""
            return self.tr("measured {measurement} = {quantity} {unit}{converted}").format(
                measurement=item.measurement, quantity=f"{item.quantity:,f}", unit=label(item.unit), converted=converted)
        if col == Col.QTY and item.unit != line.unit and not line.error:
            return self.tr("measured {quantity} {unit} = {billed} {billed_unit}").format(
                quantity=f"{item.quantity:,f}", unit=label(item.unit), billed=fmt(line.quantity), billed_unit=label(line.unit))
        if col in (Col.RATE, Col.AMOUNT) and line.error:
            return localized(line.problem) if line.problem is not None else line.error
        if col in (Col.RATE, Col.AMOUNT) and item.kind == PC_ATTENDANCE:
            return f"{fmt(line.rate)} % x {fmt(line.quantity)} = {fmt(line.amount)} {cur}"
        if col in (Col.RATE, Col.AMOUNT) and item.kind in FIXED_SUMS:
            return self._kind_tip(item.kind)
        if col == Col.RATE and item.rate is not None:
            own = item.rate_currency or cur
            return self.tr("own rate {rate} {own} per {unit} = {converted} {currency}").format(
                rate=f"{item.rate:,f}", own=own, unit=label(line.unit), converted=fmt(line.rate), currency=cur)
        if col in (Col.CODE, Col.RATE) and item.rate_code in self.doc.programme.rates:
            rate = self.doc.programme.rates.rates[item.rate_code]
            return f"{rate.code} ({rate.trade}): {rate.description}\n{rate.description_ar}"
        if col == Col.AMOUNT:
            return f"{fmt(line.quantity)} {label(line.unit)} x {fmt(line.rate)} = {fmt(line.amount)} {cur}"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical:
            if self.bill is None or not 0 <= section < len(self.bill.items):
                return None
            kind = self.bill.items[section].kind
            if role == Qt.ItemDataRole.DisplayRole:  # a marker beside the row number: PS, PC, P&A, DW
                return f"{section + 1} {KIND_MARKS[kind]}" if kind else section + 1
            if role == Qt.ItemDataRole.ToolTipRole and kind:
                return self._kind_tip(kind)
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(Col):
            text = self.tr(HEADERS[Col(section)])  # the titles are marked in _TITLES below
            return f"{text} ({self.doc.programme.currency})" if section in (Col.RATE, Col.AMOUNT) else text
        if role == Qt.ItemDataRole.TextAlignmentRole and section in NUMERIC:
            return RIGHT
        return None

    def _kind_tip(self, kind: str) -> str:
        tips = {
            PROVISIONAL_SUM: self.tr("Provisional sum: a fixed amount, printed with its amount in the tender; "
                                     "bidders do not price it"),
            PC_SUM: self.tr("Prime cost sum: a fixed amount; bidders price their profit and attendance on it"),
            PC_ATTENDANCE: self.tr("Profit and attendance: the rate is a percentage of the prime cost sum "
                                   "(the quantity)"),
            DAYWORK: self.tr("Daywork: a provisional quantity; bidders give their rate"),
        }
        return tips.get(kind, "")

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return EDITABLE_FLAGS if index.column() in EDITABLE and not self.doc.readonly else READ_FLAGS

    # ---- editing --------------------------------------------------------------------------

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() not in EDITABLE or self.bill is None:
            return False
        col, item = Col(index.column()), self.item(index.row())
        text = "" if value is None else str(value)
        key = (item.uid, col)
        if key not in self.pending and text.strip() == (self._edit(index) or "").strip():
            return True  # committed unchanged: nothing to do
        try:
            parsed = parse_cell(col, text, item, self.doc.programme, self.doc.library)
            edit = edits.group([edits.add_rates(self.doc.programme, self.doc.library, parsed.codes),
                                edits.set_fields(self.bill, item, parsed.changes)],
                               self.tr("Edit {column}").format(column=self.tr(HEADERS[col]).lower()))
        except UserError as exc:
            self.pending[key] = (text, localized(exc))
            self.typed.add(key)
            self.dataChanged.emit(index, index)
            self.status.emit(self.tr("Row {row}, {column}: {problem}").format(row=index.row() + 1, column=self.tr(HEADERS[col]),
                                                                              problem=localized(exc)))
            return True
        self.typed.discard(key)
        had_problem = self.pending.pop(key, None) is not None
        if edit is None:
            if had_problem:
                self.dataChanged.emit(index, index)
            return True
        try:
            self.doc.push(edit, merge_key=key)
        except EditFailed as exc:  # rolled back: the typed text stays in the cell, red, with the reason
            self.pending[key] = (text, localized(exc))
            self.typed.add(key)
            self.dataChanged.emit(index, index)
            self.status.emit(self.tr("Row {row}, {column}: {problem}").format(row=index.row() + 1, column=self.tr(HEADERS[col]),
                                                                              problem=localized(exc)))
            return True
        except UserError as exc:
            self.status.emit(localized(exc))
            return False
        self.status.emit(parsed.note)
        self._recheck(index.row(), col)
        return True

    def _recheck(self, row: int, changed: Col) -> None:
        """Red cells of the row may be right now (a quantity in m2 once the unit is m2): try them again."""
        uid = self.item(row).uid
        red = {(row, int(c)): text for (u, c), (text, _) in self.pending.items() if u == uid and c != changed}
        if red:
            self.write_cells(red, self.tr("Edit row"))

    def write_cells(self, cells: dict[tuple[int, int], str], label: str) -> tuple[int, int]:
        """Write texts into existing cells as one undoable edit (paste, fill down, clear).

        Cells that do not parse stay as typed, red, like typing; returns (cells accepted, cells red).
        """
        if self.bill is None or not cells:
            return 0, 0
        bill = self.bill
        result = cell_edits(bill.items, cells, self.doc.programme, self.doc.library)
        steps = [edits.set_fields(bill, bill.items[row], changes) for row, changes in sorted(result.changes.items())]
        edit = edits.group([edits.add_rates(self.doc.programme, self.doc.library, sorted(result.codes)), *steps], label)
        uids = [item.uid for item in bill.items]
        try:
            self.doc.push(edit)
        except UserError as exc:
            self.status.emit(localized(exc))
            return 0, 0
        for row, col in result.accepted:
            self.pending.pop((uids[row], col), None)
            self.typed.discard((uids[row], col))
        for (row, col), problem in result.problems.items():
            self.pending[(uids[row], col)] = problem
        rows = [row for row, _ in cells]
        self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), len(Col) - 1))
        return len(result.accepted), len(result.problems)

    def discard_pending(self, cells: list[tuple[int, int]] | None = None, typed_only: bool = False) -> int:
        """Drop red input: of `cells` (row, column) of this bill, or of the whole bill; how many were dropped.

        `typed_only` (Undo) drops only what was typed, not the red cells of a paste (undoing the paste does).
        """
        if self.bill is None:
            return 0
        uids = {item.uid: row for row, item in enumerate(self.bill.items)}
        wanted = None if cells is None else {(self.bill.items[r].uid, Col(c)) for r, c in cells
                                               if 0 <= r < len(self.bill.items)}
        gone = [key for key in self.pending if key[0] in uids and (wanted is None or key in wanted)
                and (not typed_only or key in self.typed)]
        for key in gone:
            del self.pending[key]
            self.typed.discard(key)
            index = self.index(uids[key[0]], key[1])
            self.dataChanged.emit(index, index)
        return len(gone)

    def open_pending(self) -> dict[tuple[str, Col], tuple[str, str]]:
        """Red input of items that still exist (a deleted row's red cells went with it)."""
        return {key: value for key, value in self.pending.items() if key[0] in self.doc.live.lines}

    def describe_cell(self, item_uid: str, col: Col) -> str:
        """`facility › bill, row N, Quantity` for a cell anywhere in the programme."""
        for fac in self.doc.programme.facilities:
            for bill in fac.bills:
                for row, item in enumerate(bill.items):
                    if item.uid == item_uid:
                        return self.tr("{facility} › {bill}, row {row}, {column}").format(
                            facility=fac.name, bill=bill.name, row=row + 1, column=self.tr(HEADERS[col]))
        return self.tr(HEADERS[col])

    def add_pending(self, problems: dict[tuple[str, Col], tuple[str, str]]) -> None:
        """Cells of pasted rows that did not parse: shown as typed, red, until fixed."""
        self.pending.update(problems)
        if self.bill is not None and problems:
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, len(Col) - 1))

    # ---- following the document -----------------------------------------------------------

    def _before(self, step: Edit) -> None:
        root = QModelIndex()
        if self.bill is None:
            return
        mine = getattr(step, "bill_uid", None) == self.bill.uid
        if isinstance(step, edits.InsertItems) and mine:
            self.beginInsertRows(root, step.index, step.index + len(step.items) - 1)
        elif isinstance(step, edits.RemoveItems) and mine:
            self.beginRemoveRows(root, step.index, step.index + len(step.items) - 1)
        elif isinstance(step, edits.MoveItems) and mine:
            dest = step.dest if step.dest < step.start else step.dest + step.count
            self.beginMoveRows(root, step.start, step.start + step.count - 1, root, dest)
        elif (isinstance(step, edits.ReplaceContents)
              or (isinstance(step, edits.RemoveBill) and step.bill.uid == self.bill.uid)
              or (isinstance(step, edits.RemoveFacility) and self.bill in step.facility.bills)):
            self._resetting = True
            self.beginResetModel()

    def _after(self, step: Edit, change: Change) -> None:
        if self._resetting:
            self._resetting = False
            self.facility, self.bill = self._locate(self.bill.uid if self.bill else None)
            self.endResetModel()
            return
        if self.bill is None:
            return
        mine = getattr(step, "bill_uid", None) == self.bill.uid
        if isinstance(step, edits.InsertItems) and mine:
            self.endInsertRows()
        elif isinstance(step, edits.RemoveItems) and mine:
            self.endRemoveRows()
        elif isinstance(step, edits.MoveItems) and mine:
            self.endMoveRows()
        last = len(Col) - 1
        if change.prices or change.rates:
            if change.prices:
                self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, last)
            if self.bill.items:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self.bill.items) - 1, last))
            return
        uids = {item_uid for bill_uid, item_uid in change.items if bill_uid == self.bill.uid}
        if uids:
            for row, item in enumerate(self.bill.items):
                if item.uid in uids:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, last))
