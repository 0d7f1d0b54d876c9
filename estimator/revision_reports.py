"""Workbooks and a PDF for revisions: the changes between two tender revisions, and a variance.

`write_diff_xlsx(diff, path)`: sheets Changes (one row per change) and Lots (each lot's total in
both revisions and the difference). `write_variance_xlsx(variance, path)` and
`write_variance_pdf(variance, path)`: per facility and trade the two totals, the difference and its
parts (quantity, rate, exchange rate, scope added, scope omitted), then the programme total, the
markups and the grand totals. User text is always written as text. Files are written atomically.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from estimator.analysis import sheet
from estimator.analysis.pdfbits import numbered_canvas, styles, table_style, text
from estimator.atomic import atomic_output
from estimator.money import fmt
from estimator.revision_diff import Diff
from estimator.variance import Cell, Variance

VARIANCE_HEADERS = ["Facility", "Trade", "Base", "Other", "Difference", "Quantity effect", "Rate effect",
                    "Exch. rate effect", "Scope added", "Scope omitted"]


def _rows(ws: Worksheet, first: int, headers: list[str], rows: list[list[object]], money_from: int) -> int:
    sheet.header(ws, first, headers)
    for r, values in enumerate(rows, start=first + 1):
        for c, value in enumerate(values, start=1):
            sheet.put(ws, r, c, value, sheet.MONEY if c >= money_from and not isinstance(value, str) else "")
    ws.freeze_panes = ws.cell(row=first + 1, column=1)
    return first + 1 + len(rows)


def write_diff_xlsx(d: Diff, path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Changes"
    a, b = d.before, d.after
    row = sheet.title_block(ws, f"Changes from revision {a.revision} to {b.revision}: {b.name}", [
        f"Tender {b.reference or '-'}; {a.revision} of {a.issue_date.isoformat()}, {b.revision} of "
        f"{b.issue_date.isoformat()}; {len(d.changes)} change(s). Amounts in {b.currency}."])
    _rows(ws, row, ["Change", "Lot", "Bill", "Item", "Description", "Was", "Now"],
          [[c.kind, c.lot, c.bill, c.ref, c.description, c.old, c.new] for c in d.changes], 99)
    sheet.widths(ws, [12, 28, 24, 8, 50, 18, 18])
    lots = wb.create_sheet("Lots")
    row = sheet.title_block(lots, "Effect on the estimate per lot", [f"Amounts in {b.currency}, before markups."])
    rows: list[list[object]] = [[lot.name, lot.before, lot.after, lot.difference] for lot in d.lots]
    ga, gb = d.estimate_before.grand_total, d.estimate_after.grand_total
    rows.append(["Grand total (with markups)", ga, gb, gb - ga])
    _rows(lots, row, ["Lot", str(a.revision), str(b.revision), "Difference"], rows, 2)
    sheet.widths(lots, [40, 18, 18, 18])
    for sheet_ in wb.worksheets:
        sheet.landscape(sheet_)
    with atomic_output(path) as tmp:
        wb.save(tmp)


def _variance_rows(v: Variance) -> list[list[object]]:
    def figures(c: Cell) -> list[object]:
        return [c.base, c.other, c.difference, c.quantity, c.rate, c.fx, c.added, c.omitted]

    rows: list[list[object]] = []
    for facility in v.by_facility():
        rows.append([facility.facility, "all trades", *figures(facility)])
        rows += [[c.facility, c.trade, *figures(c)] for c in v.cells if c.facility_uid == facility.facility_uid]
    rows.append(["Programme", "all trades", *figures(v.total())])
    return rows


def _variance_lines(v: Variance) -> list[str]:
    return [f"From {v.base_name!r} to {v.other_name!r}; amounts in {v.currency}, before markups.",
            "Difference = quantity effect + rate effect + exchange-rate effect + scope added + scope omitted, to the "
            "cent. Quantity effect: the new quantity at the base rate; rate effect: the new rate at the base exchange "
            "rates; exchange-rate effect: the rest of the rate's change; scope: items added, omitted, moved or "
            "billed in another unit.",
            f"Markups {fmt(v.markups_base)} -> {fmt(v.markups_other)}; grand total {fmt(v.base.grand_total)} -> "
            f"{fmt(v.other.grand_total)}."]


def write_variance_xlsx(v: Variance, path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Variance"
    row = sheet.title_block(ws, "Estimate variance", _variance_lines(v))
    _rows(ws, row, VARIANCE_HEADERS, _variance_rows(v), 3)
    sheet.widths(ws, [32, 28] + [15] * 8)
    sheet.landscape(ws)
    with atomic_output(path) as tmp:
        wb.save(tmp)


def write_variance_pdf(v: Variance, path: Path) -> None:
    st = styles()
    story: list[object] = [Paragraph("Estimate variance", st["title"])]
    story += [Paragraph(text(line), st["body"]) for line in _variance_lines(v)]
    rows: list[list[object]] = [[Paragraph(h, st["head"]) for h in VARIANCE_HEADERS]]
    style = table_style()
    for r, values in enumerate(_variance_rows(v), start=1):
        rows.append([Paragraph(text(str(values[0])), st["cell"]), Paragraph(text(str(values[1])), st["cell"]),
                     *[Paragraph(fmt(x), st["num"]) for x in values[2:] if isinstance(x, Decimal)]])
        if values[1] == "all trades":
            style.append(("BACKGROUND", (0, r), (-1, r), sheet_fill()))
    table = Table(rows, colWidths=[120, 110] + [64] * 8, repeatRows=1)
    table.setStyle(TableStyle(style))
    story.append(table)
    with atomic_output(path) as tmp:
        doc = SimpleDocTemplate(str(tmp), pagesize=landscape(A4), leftMargin=28, rightMargin=28, topMargin=28,
                                bottomMargin=36, title="Estimate variance", creator="BoQ Estimator", invariant=1)
        doc.build(story, canvasmaker=numbered_canvas(f"BoQ Estimator - variance {v.base_name} -> {v.other_name}"))


def sheet_fill() -> object:
    from reportlab.lib import colors

    return colors.HexColor("#EEF1F6")
