"""Streaming styled rows into an openpyxl write-only worksheet, and keeping text as text.

A 24,000-item programme is ~200,000 styled cells. openpyxl's write-only `ws.append()` handles a
styled cell by first trying to bind it as a value (an exception per cell) and then allocating a new
cell after it, which makes a styled export twice as slow as a plain one. `SheetStream` keeps one
scratch cell per named style and hands each row straight to openpyxl's own row writer
(`WorksheetWriter.write_row`'s loop with `write_cell`), which is what `append` does in the end. That
uses three private names of openpyxl 3.1 (`ws._get_writer`, `ws._writer.xf`, `ws._rows`); if they
ever go away the stream falls back to the public `ws.append` with the same cells (tested to give the
same sheet), only slower.

Text is text: every `str` is written as a string cell, even when it starts with `=`, `+`, `-`, `@`,
a tab or a carriage return (with Excel's quote prefix, so editing it keeps it text). Only `Formula`
values become formulas.
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator, Mapping, Sequence
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell._writer import write_cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.workbook import Workbook

from estimator.errors import UserError
from estimator.export.xlsx_fit import LINE, lines

MAX_TEXT = 32_767  # characters a spreadsheet cell holds
FORMULA_LIKE = ("=", "+", "-", "@", "\t", "\r")


class Formula(str):
    """A formula such as `=ROUND(D6*E6,2)`; a plain `str` is never one."""

    __slots__ = ()


# One cell of a row: (value, named style or "" for none), or None for no cell at all.
Spec = tuple[object, str] | None


class SheetStream:
    """Appends rows to a write-only worksheet. Set up views, columns and properties first.

    `widths` are the column widths and `wrapping` the styles that wrap text (style -> bold): a row
    whose wrapped text needs more than one line gets a height (`estimator.export.xlsx_fit`).
    """

    def __init__(self, ws: Any, widths: Sequence[float] = (), wrapping: Mapping[str, bool] | None = None,
                 fast: bool = True) -> None:
        self.ws = ws
        self.row = 0  # number of the last row written
        self._widths = list(widths)
        self._wrapping = wrapping or {}
        self._fast = fast
        self._xf: Any = None
        # one reusable cell per column, style and quote prefix; a row is written before the next is built
        self._scratch: dict[tuple[int, str, bool], Any] = {}

    def _cell(self, column: int, style: str, quoted: bool) -> Any:
        cell = self._scratch.get((column, style, quoted))
        if cell is None:
            cell = self._scratch[(column, style, quoted)] = WriteOnlyCell(self.ws)
            cell.column = column
            if style:
                cell.style = style
            if quoted:
                cell.quotePrefix = True
        return cell

    def _start(self) -> None:
        try:
            self.ws._get_writer()
            xf = self.ws._writer.xf.send(True)
        except AttributeError:  # a future openpyxl without these internals
            self._fast = False
            return
        self._xf = xf
        self.ws._rows = self._sheet_data(xf)
        next(self.ws._rows)

    def _sheet_data(self, xf: Any) -> Generator[None]:
        """Holds <sheetData> open until openpyxl closes the sheet (ws.close calls `_rows.close()`)."""
        with xf.element("sheetData"), contextlib.suppress(GeneratorExit):
            while True:
                yield
        self.ws._writer.xf.send(None)

    def append(self, specs: Sequence[Spec], height: float | None = None) -> int:
        """Write one row; returns its number."""
        self.row += 1
        if self._fast and self._xf is None:
            self._start()
        cells: list[Any] = []
        most = 1
        for column, spec in enumerate(specs, start=1):
            if spec is None:
                if not self._fast:
                    cells.append(None)
                continue
            value, style = spec
            if type(value) is str:
                value = text_value(value, self.ws.title, self.row, column)
                bold = self._wrapping.get(style)
                if bold is not None and column <= len(self._widths):
                    most = max(most, lines(value, self._widths[column - 1], bold))
                cell = self._cell(column, style, value.startswith(FORMULA_LIKE))
                cell.value = value
                cell.data_type = "s"
            else:
                cell = self._cell(column, style, False)
                cell.value = value
            cell.row = self.row
            cells.append(cell)
        if height is None and most > 1:
            height = most * LINE
        if self._fast:
            attrs = {"r": str(self.row)}
            if height:
                attrs.update(ht=str(height), customHeight="1")
            with self._xf.element("row", attrs):
                for cell in cells:
                    write_cell(self._xf, self.ws, cell, cell.has_style)
        else:
            if height:
                self.ws.row_dimensions[self.row].height = height
            self.ws.append(cells)
        return self.row


def text_value(value: str, sheet: str, row: int, column: int) -> str:
    """`value` without the control characters a spreadsheet cannot hold; too long is a UserError."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > MAX_TEXT:
        raise UserError(f"sheet {sheet!r}, row {row}, column {column}: a text of {len(value):,} characters is longer "
                        f"than a spreadsheet cell holds ({MAX_TEXT:,}); shorten it")
    return value


def discard(wb: Workbook) -> None:
    """Remove the temporary files of a write-only workbook that will not be saved (error, cancel)."""
    for ws in wb._sheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        with contextlib.suppress(Exception):
            if getattr(ws, "_rows", None) is not None:
                ws._rows.close()
            writer.close()
        with contextlib.suppress(Exception):
            writer.cleanup()
