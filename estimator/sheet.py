"""Spreadsheet moves on a table of cells, as engineers expect them from Excel: no Qt, no items.

- `paste_plan`: what a block of pasted text does to a selection. A block no wider than the
  selection fills the cells (one value onto a selection fills every selected cell; a column of
  quantities fills downwards from the top of the selection, and rows past the end of the table
  become new rows); a block with a header row, or wider than the selection, is inserted as new rows.
- `fill_down`: Ctrl+D. Each selected column takes the text of its top selected cell; with a single
  row selected, the cell above is copied down into it.
Cells are (row, column) pairs; the caller says which columns can be written.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

Cell = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Selection:
    cells: frozenset[Cell]

    @property
    def rows(self) -> list[int]:
        return sorted({r for r, _ in self.cells})

    @property
    def columns(self) -> list[int]:
        return sorted({c for _, c in self.cells})

    @property
    def top_left(self) -> Cell:
        return min(r for r, _ in self.cells), min(c for _, c in self.cells)


@dataclass(slots=True)
class PastePlan:
    insert: bool  # True: insert the block as new rows (the caller maps columns by header or position)
    cells: dict[Cell, str] = field(default_factory=dict)  # existing cells to write
    new_rows: list[dict[int, str]] = field(default_factory=list)  # rows past the end: column -> text
    skipped: int = 0  # values that fell on cells that cannot be written (e.g. the amount)


def paste_plan(block: Sequence[Sequence[str]], selection: Selection, row_count: int, writable: Collection[int],
               column_count: int, has_header: bool = False) -> PastePlan:
    """How `block` (rows of cell texts) lands on `selection` in a table of `row_count` rows."""
    width = max((len(r) for r in block), default=0)
    if not block or not selection.cells or has_header or width > len(selection.columns):
        return PastePlan(insert=True)
    plan = PastePlan(insert=False)
    if len(block) == 1 and width == 1:  # one value onto every selected cell
        for cell in selection.cells:
            _put(plan, cell, block[0][0], writable)
        return plan
    top, left = selection.top_left
    for i, values in enumerate(block):
        row = top + i
        for j, text in enumerate(values):
            col = left + j
            if col >= column_count:
                plan.skipped += 1
            elif row < row_count:
                _put(plan, (row, col), text, writable)
            elif col in writable:
                while len(plan.new_rows) <= row - row_count:
                    plan.new_rows.append({})
                plan.new_rows[row - row_count][col] = text
            else:
                plan.skipped += 1
    return plan


def _put(plan: PastePlan, cell: Cell, text: str, writable: Collection[int]) -> None:
    if cell[1] in writable:
        plan.cells[cell] = text
    else:
        plan.skipped += 1


def fill_down(selection: Selection, text_of: Callable[[int, int], str], writable: Collection[int]) -> dict[Cell, str]:
    """Ctrl+D: the cells to write and their new text."""
    rows = selection.rows
    if not rows:
        return {}
    if len(rows) == 1:
        if rows[0] == 0:
            return {}
        source_row, targets = rows[0] - 1, rows
    else:
        source_row, targets = rows[0], rows[1:]
    out: dict[Cell, str] = {}
    for col in selection.columns:
        if col not in writable:
            continue
        text = text_of(source_row, col)
        for row in targets:
            if (row, col) in selection.cells:
                out[(row, col)] = text
    return out
