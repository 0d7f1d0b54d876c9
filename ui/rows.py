"""Row commands of the BoQ table: insert, delete, move, copy, cut, paste, add rates from the library.

Each command builds one `estimator.edits` edit (so it is one undo step, renumbering included) and
pushes it on the document. Copy puts both Excel tab-separated text and our exact JSON on the
clipboard; paste takes our JSON if present, otherwise tab-separated text (see `estimator.clipboard`).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from estimator import edits, sheet
from estimator.cell_input import EDITABLE, Col
from estimator.clipboard import (
    CLEARED,
    ITEMS_MIME,
    Pasted,
    build_items,
    from_json,
    has_header,
    map_columns,
    parse_tsv,
    to_json,
    to_tsv,
)
from estimator.errors import UserError, localized
from estimator.model import Item
from estimator.sheet import Selection
from ui.boq_model import BoqModel
from ui.boq_view import BoqView
from ui.document import Document
from ui.qt import QAction, QGuiApplication, QItemSelection, QItemSelectionModel, QKeySequence, QMimeData, QObject, Qt


class RowActions(QObject):
    def __init__(self, view: BoqView, status: Callable[[str], None]) -> None:
        super().__init__(view)
        self.view, self.status = view, status
        self.insert = self._action(self.tr("&Insert row"), "Ctrl+Insert", self.insert_row)
        self.delete = self._action(self.tr("&Delete rows"), "Ctrl+Delete", self.delete_rows)
        self.move_up = self._action(self.tr("Move rows &up"), "Alt+Up", lambda: self.move(-1))
        self.move_down = self._action(self.tr("Move rows do&wn"), "Alt+Down", lambda: self.move(1))
        self.copy = self._action(self.tr("&Copy"), QKeySequence.StandardKey.Copy, self.copy_rows)
        self.cut = self._action(self.tr("Cu&t"), QKeySequence.StandardKey.Cut, self.cut_rows)
        self.paste = self._action(self.tr("&Paste"), QKeySequence.StandardKey.Paste, self.paste_rows)
        self.clear = self._action(self.tr("C&lear cells"), QKeySequence.StandardKey.Delete, self.clear_cells)
        self.fill = self._action(self.tr("&Fill down"), "Ctrl+D", self.fill_down)
        view.rates_dropped.connect(self.add_rates)
        self.editing = [self.insert, self.delete, self.move_up, self.move_down, self.cut, self.paste, self.clear, self.fill]

    @property
    def model(self) -> BoqModel:
        return self.view.boq()

    @property
    def doc(self) -> Document:
        return self.view.boq().doc

    def _action(self, text: str, shortcut: str | QKeySequence.StandardKey, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self.view)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)  # only while the table has focus
        action.triggered.connect(slot)
        self.view.addAction(action)
        return action

    def _target(self) -> bool:
        if self.model.bill is None or self.model.facility is None:
            self.status(self.tr("Select a bill in the programme tree first"))
            return False
        return True

    def _insert_at(self) -> int:
        current = self.view.currentIndex()
        return current.row() + 1 if current.isValid() else self.model.rowCount()

    def _push(self, edit: edits.Edit | None) -> bool:
        try:
            self.doc.push(edit)
        except UserError as exc:
            self.status(localized(exc))
            return False
        return True

    def _select_rows(self, first: int, count: int, column: int = Col.DESC) -> None:
        if count <= 0:
            return
        model = self.model
        self.view.setCurrentIndex(model.index(first, column))
        selection = QItemSelection(model.index(first, 0), model.index(first + count - 1, model.columnCount() - 1))
        self.view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    # ---- commands -------------------------------------------------------------------------

    def insert_items(self, items: list[Item], row: int = -1, label: str = "", column: int = Col.DESC) -> bool:
        if not self._target() or not items:
            return False
        assert self.model.facility is not None and self.model.bill is not None
        row = self._insert_at() if row < 0 else row
        if self._push(edits.insert_items(self.model.facility, self.model.bill, row, items, label)):
            self._select_rows(row, len(items), column)
            return True
        return False

    def insert_row(self) -> None:
        self.insert_items([Item(description="", quantity=Decimal(0), unit="nr")], label="Insert row")

    def delete_rows(self) -> None:
        if not self._target():
            return
        assert self.model.facility is not None and self.model.bill is not None
        rows = self.view.selected_rows()
        self._push(edits.remove_rows(self.model.facility, self.model.bill, rows))

    def move(self, delta: int) -> None:
        if not self._target():
            return
        assert self.model.facility is not None and self.model.bill is not None
        rows = self.view.selected_rows()
        if not rows:
            return
        start, count = rows[0], rows[-1] - rows[0] + 1
        column = max(self.view.currentIndex().column(), 0)
        if self._push(edits.move_rows(self.model.facility, self.model.bill, start, count, start + delta)):
            self._select_rows(start + delta, count, column)

    def selection(self) -> Selection:
        """The selected cells (row, column), or the current cell when nothing is selected."""
        cells = frozenset((i.row(), i.column()) for i in self.view.selectionModel().selectedIndexes())
        current = self.view.currentIndex()
        if not cells and current.isValid():
            cells = frozenset({(current.row(), current.column())})
        return Selection(cells)

    def _whole_rows(self, selection: Selection) -> bool:
        return len(selection.columns) == self.model.columnCount()

    def copy_rows(self) -> None:
        selection = self.selection()
        if self.model.bill is None or not selection.cells:
            return
        if not self._whole_rows(selection):  # cells, as Excel copies them: their typed values, tab-separated
            rows, cols = selection.rows, selection.columns
            text = "\r\n".join("\t".join(self.model.data(self.model.index(r, c), Qt.ItemDataRole.EditRole) or ""
                                           if (r, c) in selection.cells else "" for c in cols) for r in rows)
            QGuiApplication.clipboard().setText(text + "\r\n")
            self.status(self.tr("Copied {cells} cell{arg1}")
                        .format(cells=len(selection.cells), arg1='s' if len(selection.cells) != 1 else ''))
            return
        rows = selection.rows
        mime = QMimeData()
        mime.setText(to_tsv(self.model.line(r) for r in rows))
        mime.setData(ITEMS_MIME, to_json(self.model.item(r) for r in rows).encode("utf-8"))
        QGuiApplication.clipboard().setMimeData(mime)
        self.status(self.tr("Copied {rows} row{arg1}").format(rows=len(rows), arg1='s' if len(rows) != 1 else ''))

    def cut_rows(self) -> None:
        if self.model.bill is not None and not self._whole_rows(self.selection()):
            self.copy_rows()
            self.clear_cells()
            return
        self.copy_rows()
        self.delete_rows()

    def clear_cells(self) -> None:
        """Delete: empty the selected cells (quantity to 0, own rate back to the rate code); red input is dropped."""
        if not self._target():
            return
        selection = self.selection()
        dropped = self.model.discard_pending(list(selection.cells))
        cells = {cell: CLEARED[Col(cell[1])] for cell in selection.cells if Col(cell[1]) in CLEARED}
        done, _bad = self.model.write_cells(cells, self.tr("Clear cells"))
        if done or dropped:
            self.status(self.tr("Cleared {cells} cell{arg1}").format(cells=len(cells), arg1='s' if len(cells) != 1 else '') +
                        (self.tr("; dropped {dropped} input{arg1} not accepted")
                         .format(dropped=dropped, arg1='s' if dropped != 1 else '') if dropped else ""))
        elif not cells:
            self.status(self.tr("Descriptions and amounts are not cleared: type over a description, or delete the row"))

    def fill_down(self) -> None:
        """Ctrl+D: copy the top selected cell of each column into the selected cells below it."""
        if not self._target():
            return
        cells = sheet.fill_down(self.selection(), lambda r, c: self.model.data(self.model.index(r, c),
                                                                            Qt.ItemDataRole.EditRole) or "", EDITABLE)
        if cells:
            done, bad = self.model.write_cells(cells, self.tr("Fill down"))
            self.status(self.tr("Filled {done} cell{s}").format(done=done, s="s" if done != 1 else "")
                        + (self.tr("; {bad} not accepted (red)").format(bad=bad) if bad else ""))

    def paste_rows(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        if mime.hasFormat(ITEMS_MIME):
            pasted = self._own_items(bytes(mime.data(ITEMS_MIME).data()).decode("utf-8"))
        elif mime.hasText():
            if self.paste_into_cells(mime.text()):
                return
            pasted = self.parse_text(mime.text())
        else:
            self.status(self.tr("Nothing to paste: copy rows in this window or cells in Excel first"))
            return
        self.paste_items(pasted)

    def paste_into_cells(self, text: str) -> bool:
        """Paste onto existing cells, as Excel does, when the block fits the selection; False to insert rows."""
        if not self._target():
            return True
        rows = parse_tsv(text)
        plan = sheet.paste_plan(rows, self.selection(), self.model.rowCount(), EDITABLE, len(Col),
                                has_header=bool(rows) and has_header(rows[0]))
        if plan.insert:
            return False
        _done, bad = self.model.write_cells(plan.cells, self.tr("Paste"))
        if plan.new_rows:
            assert self.model.facility is not None and self.model.bill is not None
            extra = build_items([[r.get(c, "") for c in Col] for r in plan.new_rows], list(Col), self.doc.programme,
                                self.doc.library)
            end = self.model.rowCount()
            self._push(edits.group([edits.add_rates(self.doc.programme, self.doc.library, sorted(extra.codes)),
                                    edits.insert_items(self.model.facility, self.model.bill, end, extra.items)],
                                   self.tr("Paste rows")))
            self.model.add_pending(extra.problems)
            bad += len(extra.problems)
        self.status(self.tr("Pasted into {cells} cell{arg1}")
                    .format(cells=len(plan.cells), arg1='s' if len(plan.cells) != 1 else '')
                    + (self.tr(" and {new_rows} new row{arg1}")
                       .format(new_rows=len(plan.new_rows), arg1='s' if len(plan.new_rows) != 1 else '') if plan.new_rows else "")
                    + (self.tr("; {bad} not accepted (red): fix them in place").format(bad=bad) if bad else "")
                    + (self.tr("; {skipped} value(s) fell on cells that are computed")
                       .format(skipped=plan.skipped) if plan.skipped else ""))
        return True

    def parse_text(self, text: str) -> Pasted:
        current = self.view.currentIndex()
        cols, body = map_columns(parse_tsv(text), Col(current.column()) if current.isValid() else Col.REF)
        return build_items(body, cols, self.doc.programme, self.doc.library)

    def _own_items(self, text: str) -> Pasted:
        pasted = Pasted(items=from_json(text))
        for item in pasted.items:
            if item.rate_code and item.rate_code not in self.doc.programme.rates:
                if item.rate_code in self.doc.library:
                    pasted.codes.add(item.rate_code)
                else:
                    pasted.problems[(item.uid, Col.CODE)] = (item.rate_code, f"rate code {item.rate_code!r} is not "
                                                             "in this programme or the rate library")
                    item.rate_code = ""
        return pasted

    def paste_items(self, pasted: Pasted) -> None:
        if not pasted.items or not self._target():
            return
        assert self.model.facility is not None and self.model.bill is not None
        row = self._insert_at()
        n = len(pasted.items)
        edit = edits.group([edits.add_rates(self.doc.programme, self.doc.library, sorted(pasted.codes)),
                            edits.insert_items(self.model.facility, self.model.bill, row, pasted.items)],
                           self.tr("Paste {n} row{arg1}").format(n=n, arg1='s' if n != 1 else ''))
        if not self._push(edit):
            return
        self._select_rows(row, n)
        self.model.add_pending(pasted.problems)
        bad = len(pasted.problems)
        self.status(self.tr("Pasted {n} row{arg1}").format(n=n, arg1='s' if n != 1 else '') +
                    (self.tr("; {bad} cell{arg1} not understood (red): fix them in place")
                     .format(bad=bad, arg1='s' if bad != 1 else '') if bad else ""))

    def add_rates(self, codes: list[str], row: int = -1) -> None:
        """New rows priced by library rates `codes` (double-click or drop in the library panel)."""
        items = []
        for code in codes:
            if code in self.doc.programme.rates:
                rate = self.doc.programme.rates.rates[code]
            elif code in self.doc.library:
                rate = self.doc.library.rates[code]
            else:
                continue
            items.append(Item(rate.description, Decimal(0), rate.unit, description_ar=rate.description_ar, rate_code=code))
        if not items or not self._target():
            return
        assert self.model.facility is not None and self.model.bill is not None
        row = self._insert_at() if row < 0 else row
        edit = edits.group([edits.add_rates(self.doc.programme, self.doc.library, codes),
                            edits.insert_items(self.model.facility, self.model.bill, row, items)],
                           self.tr("Add {arg0}").format(arg0=', '.join(codes)))
        if self._push(edit):
            self._select_rows(row, len(items), Col.QTY)
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)  # from the library straight to typing the quantity
            self.status(self.tr("Added {arg0}: type the quantity").format(arg0=', '.join(codes)))
