"""The comparative bid analysis workbook (`boq bids FILE BID.xlsx ... --report OUT.xlsx --lang en|ar|both`).

Sheets: CBA (tender, estimate basis and rules; the opening record; the compliance matrix; the
recommendation with the difference to the estimate per lot and its explanation; the committee's
signature block) and one sheet per lot (its ranking, arithmetic corrections and abnormal rates).
The rows are `cba_tables`' (the PDF prints the same); amounts are numbers with 2 decimals, the
Arabic workbook reads right to left. Written atomically.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from estimator.analysis import cba_tables as t
from estimator.analysis.lots import CBA
from estimator.analysis.sheet import FLAG_FILL, MONEY, header, landscape, put, widths
from estimator.atomic import atomic_output
from estimator.export.xlsx_layout import sheet_names
from estimator.money import round_places

TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
PERCENT = "0.0"


def write_cba_xlsx(cba: CBA, path: Path, lang: str = "en") -> None:
    w = t.Words(lang)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    names = sheet_names([w("title")[:31]] + [f"{w('lot')} {lot.number}" for lot in cba.lots])
    ws.title = names[0]
    _front(ws, cba, w)
    for lot, name in zip(cba.lots, names[1:], strict=True):
        sheet = wb.create_sheet(name)
        row = _title(sheet, w, t.ranking(lot, w).title, [(w("estimate"), t.show(lot.estimate) + f" {cba.currency}")])
        row = _table(sheet, row, t.ranking(lot, w), flag=(7, w("abnormally_low")))
        row = _table(sheet, row + 1, t.corrections(lot, w))
        _table(sheet, row + 1, t.abnormal(lot, cba, w))
        widths(sheet, [8, 30, 16, 16, 16, 12, 16, 70])
    for sheet in wb.worksheets:
        landscape(sheet)
        sheet.sheet_view.rightToLeft = w.rtl
    with atomic_output(path) as tmp:
        wb.save(tmp)


def _title(ws: Worksheet, w: t.Words, title: str, lines: list[tuple[str, str]]) -> int:
    put(ws, 1, 1, title).font = TITLE
    row = 2
    for label, value in lines:
        put(ws, row, 1, label, bold=True)
        put(ws, row, 2, value)
        row += 1
    return row + 1


def _front(ws: Worksheet, cba: CBA, w: t.Words) -> None:
    row = _title(ws, w, w("title"), t.heading(cba, w))
    if not cba.records_given:
        put(ws, row - 1, 1, w("not_recorded"))
        row += 1
    row = _table(ws, row, t.opening(cba, w))
    row = _table(ws, row + 1, t.compliance(cba, w))
    row = _table(ws, row + 1, t.recommendation(cba, w), total=True)
    if cba.explanation:
        put(ws, row + 1, 1, w("explanation"), bold=True)
        for n, line in enumerate(cba.explanation, start=row + 2):
            put(ws, n, 1, line)
        row += 2 + len(cba.explanation)
    table = t.committee(cba, w)
    row = _table(ws, row + 1, table)
    for n in range(row - len(table.rows), row):
        ws.row_dimensions[n].height = 30  # room to sign
    widths(ws, [28, 30, 18, 18, 18, 16, 14, 60])


def _table(ws: Worksheet, row: int, table: t.Table, flag: tuple[int, str] | None = None, total: bool = False) -> int:
    """The table's title, header and rows from `row`; returns the next free row."""
    put(ws, row, 1, table.title, bold=True)
    header(ws, row + 1, table.header)
    row += 2
    for n, values in enumerate(table.rows):
        last = total and n == len(table.rows) - 1
        for col, value in enumerate(values, start=1):
            if isinstance(value, t.Pct):
                cell = put(ws, row, col, round_places(value, 1), PERCENT)
            else:
                cell = put(ws, row, col, value, MONEY if col - 1 in table.money else "")
            if isinstance(value, str) and len(value) > 40:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if last:
                cell.font = BOLD
        if flag is not None and flag[1] in str(values[flag[0]]):
            ws.cell(row, flag[0] + 1).fill = FLAG_FILL
        row += 1
    return row
