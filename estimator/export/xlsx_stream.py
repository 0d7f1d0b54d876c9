"""Streaming styled rows into an openpyxl write-only worksheet, and keeping text as text.

A 24,000-item programme is ~190,000 styled cells. openpyxl's write-only `ws.append()` makes a
styled cell cost about twice a plain one (it first tries the cell as a value, raising an exception,
allocates a new cell after it, hashes its style, and builds an ElementTree element per cell). So
`SheetStream` writes each row's SpreadsheetML itself (`<row><c r=".." s=".." t=".."><v>..</v></c>`,
the same XML openpyxl writes) into the sheet's stream that openpyxl opened, with the style ids of
the workbook's named styles looked up once. Everything else (styles, views, print settings,
protection, validation, the zip) is openpyxl's. That uses openpyxl 3.1 internals (`ws._get_writer`,
`ws._writer.xf`, `ws._rows`, et_xmlfile's `xf._file`); without them the stream falls back to the
public `ws.append` with the same cells, only slower. A test checks that both give the same cells.

Text is text: every `str` is written as a string cell, even when it starts with `=`, `+`, `-`, `@`,
a tab or a carriage return (with Excel's quote prefix, so editing it keeps it text). Only `Formula`
values become formulas.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from estimator import limits
from estimator.errors import UserError
from estimator.export.xlsx_fit import LINE, lines

MAX_TEXT = 32_767  # characters a spreadsheet cell holds
FORMULA_LIKE = ("=", "+", "-", "@", "\t", "\r")
_LETTERS = [""] + [get_column_letter(i) for i in range(1, 64)]


@dataclass(frozen=True, slots=True)
class Formula:
    """A formula such as `=ROUND(D6*E6,2)` (a plain `str` is never one) and the value it comes to.

    The value is written as the cell's cached result, so a viewer that does not calculate (a phone's
    preview, a reader asking for values) shows the figure; Excel recalculates on opening anyway.
    The public fallback (`ws.append`) cannot write it.
    """

    text: str
    value: Decimal | int | None = None


# One cell of a row: (value, named style or "" for none), or None for no cell at all.
Spec = tuple[object, str] | None


def _not_started(xml: str) -> None:
    raise RuntimeError("SheetStream: the sheet's XML stream is not open")


def _escape(text: str) -> str:
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


class SheetStream:
    """Appends rows to a write-only worksheet. Set up views, columns and properties first.

    `widths` are the column widths and `wrapping` the styles that wrap text (style -> density): a row
    whose wrapped text needs more than one line gets a height (`estimator.export.xlsx_fit`).
    """

    def __init__(self, ws: Any, widths: Sequence[float] = (), wrapping: Mapping[str, float] | None = None,
                 fast: bool = True) -> None:
        self.ws = ws
        self.row = 0  # number of the last row written
        self._widths = list(widths)
        self._wrapping = wrapping or {}
        self._fast = fast
        self._write: Callable[[str], Any] = _not_started
        self._cells: dict[tuple[int, str, bool], Any] = {}  # fallback: one reusable cell per column and style
        self._ids: dict[tuple[str, bool], str] = {}  # (style, quote prefix) -> ' s="n"' or ""

    def _start(self) -> None:
        try:
            self.ws._get_writer()
            xf = self.ws._writer.xf.send(True)
            write = xf._file
        except AttributeError:  # a future openpyxl without these internals
            self._fast = False
            return
        self._write = write
        self.ws._rows = self._sheet_data(xf)
        next(self.ws._rows)

    def _sheet_data(self, xf: Any) -> Generator[None]:
        """Holds <sheetData> open until openpyxl closes the sheet (ws.close calls `_rows.close()`)."""
        with xf.element("sheetData"), contextlib.suppress(GeneratorExit):
            while True:
                yield
        self.ws._writer.xf.send(None)

    def _style_attr(self, style: str, quoted: bool) -> str:
        attr = self._ids.get((style, quoted))
        if attr is None:
            cell = self._styled(WriteOnlyCell(self.ws), style, quoted)
            attr = self._ids[(style, quoted)] = f' s="{cell.style_id}"' if cell.has_style else ""
        return attr

    @staticmethod
    def _styled(cell: Any, style: str, quoted: bool) -> Any:
        if style:
            cell.style = style
        if quoted:
            cell.quotePrefix = True
        return cell

    def append(self, specs: Sequence[Spec], height: float | None = None, least: float = 0.0) -> int:
        """Write one row, `height` points tall or as its wrapped text needs (at least `least`);
        returns its number."""
        self.row += 1
        if self._fast and self._write is _not_started:
            self._start()
        most = 1
        for column, spec in enumerate(specs, start=1):
            if spec is None:
                continue
            value, style = spec
            if type(value) is str and style in self._wrapping and column <= len(self._widths):
                most = max(most, lines(value, self._widths[column - 1], self._wrapping[style]))
        if height is None and (most > 1 or least):
            height = max(most * LINE, least)
        if self._fast:
            self._write_xml(specs, height)
        else:
            self._append_cells(specs, height)
        return self.row

    def _write_xml(self, specs: Sequence[Spec], height: float | None) -> None:
        r = self.row
        parts = [f'<row r="{r}" ht="{height}" customHeight="1">' if height else f'<row r="{r}">']
        for column, spec in enumerate(specs, start=1):
            if spec is None:
                continue
            value, style = spec
            ref = f"{_LETTERS[column]}{r}"
            if type(value) is str:
                value = text_value(value, self.ws.title, r, column) or None  # no empty strings, empty cells
            if value is None:
                parts.append(f'<c r="{ref}"{self._style_attr(style, False)}/>')
            elif type(value) is str:
                text = value
                space = ' xml:space="preserve"' if text != text.strip() else ""
                parts.append(f'<c r="{ref}"{self._style_attr(style, text.startswith(FORMULA_LIKE))} t="inlineStr">'
                             f"<is><t{space}>{_escape(text)}</t></is></c>")
            elif isinstance(value, Formula):
                cached = "<v/>" if value.value is None else f"<v>{value.value:f}</v>"
                parts.append(f'<c r="{ref}"{self._style_attr(style, False)}><f>{_escape(value.text[1:])}</f>{cached}</c>')
            elif type(value) is float or type(value) is int:
                parts.append(f'<c r="{ref}"{self._style_attr(style, False)} t="n"><v>{value!r}</v></c>')
            else:
                raise TypeError(f"cannot write {value!r} to a cell")
        parts.append("</row>")
        self._write("".join(parts))

    def _append_cells(self, specs: Sequence[Spec], height: float | None) -> None:
        """The public, slower way: openpyxl cells through `ws.append`."""
        cells: list[Any] = []
        for column, spec in enumerate(specs, start=1):
            if spec is None:
                cells.append(None)
                continue
            value, style = spec
            if type(value) is str:
                value = text_value(value, self.ws.title, self.row, column) or None
            quoted = type(value) is str and value.startswith(FORMULA_LIKE)
            cell = self._cells.get((column, style, quoted))
            if cell is None:
                cell = self._cells[(column, style, quoted)] = self._styled(WriteOnlyCell(self.ws), style, quoted)
            if type(value) is str:
                cell.value = value
                cell.data_type = "s"  # "=x" would be a formula, "#N/A" an error
            elif isinstance(value, Formula):
                cell.value = value.text
            else:
                cell.value = value
            cells.append(cell)
        if height:
            self.ws.row_dimensions[self.row].height = height
        self.ws.append(cells)


def text_value(value: str, sheet: str, row: int, column: int) -> str:
    """`value` without the characters a spreadsheet file cannot hold; too long is a UserError."""
    value = limits.xml_text(value)
    if len(value) > MAX_TEXT:
        raise UserError(f"sheet {sheet!r}, row {row}, column {_LETTERS[column]}: a text of "
                        f"{len(value):,} characters is longer than a spreadsheet cell holds ({MAX_TEXT:,}); shorten it")
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
