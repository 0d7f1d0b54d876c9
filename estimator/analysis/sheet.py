"""Small helpers for writing report sheets with openpyxl: safe text, money formats, widths.

Text that a user typed (facility names, descriptions, a bidder's text) is always written as text:
a name starting with `=` must never become a formula in the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from estimator import limits

MONEY = "#,##0.00"
RATIO = "0.00"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
FLAG_FILL = PatternFill("solid", fgColor="FCE4D6")
WRAP = Alignment(wrap_text=True, vertical="top")

Value = object  # str, int, Decimal or None; anything else is written as its text


def put(ws: Worksheet, row: int, col: int, value: Value, number_format: str = "", bold: bool = False) -> Any:
    cell = ws.cell(row=row, column=col)
    if value is None or isinstance(value, int | Decimal):
        cell.value = value
    else:
        cell.value = limits.xml_text(str(value))  # whatever the programme holds, the part stays valid XML
        cell.data_type = "s"  # text, never a formula or an error code
    if number_format:
        cell.number_format = number_format
    if bold:
        cell.font = BOLD
    return cell


def header(ws: Worksheet, row: int, titles: list[str]) -> None:
    for col, title in enumerate(titles, start=1):
        cell = put(ws, row, col, title, bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def widths(ws: Worksheet, values: Sequence[float]) -> None:
    for col, width in enumerate(values, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def title_block(ws: Worksheet, title: str, lines: list[str]) -> int:
    """Title and a few lines of context; returns the next free row."""
    put(ws, 1, 1, title).font = TITLE
    for n, line in enumerate(lines, start=2):
        put(ws, n, 1, line)
    return len(lines) + 3


def landscape(ws: Worksheet, fit_width: bool = True) -> None:
    """Print on landscape A4, as wide as one page (any number of pages tall)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    if fit_width:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
