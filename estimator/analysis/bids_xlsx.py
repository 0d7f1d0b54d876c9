"""The bid evaluation workbook (`boq bids FILE BID.xlsx ... --report OUT.xlsx`).

Sheets: Summary (the engineer's estimate, the ranking with stated and corrected totals, a chart of
the corrected totals against the estimate, refused workbooks), one anomaly list per bid in ranking
order, and Items: every tendered item with the engineer's quantity and rate and, per bid, its rate,
corrected amount and % difference, abnormal rates shaded (below: blue, above: orange). The Items
sheet ends with a SUM of each amount column, so the corrected subtotals can be checked by hand.
Written in openpyxl's write-only mode (an 80 x 300 programme with 10 bids is ~900,000 cells),
atomically.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from estimator.analysis.bidcheck import KINDS
from estimator.analysis.bids import BidResult, Evaluation, percent
from estimator.analysis.sheet import FLAG_FILL, HEADER_FILL, MONEY, landscape, widths
from estimator.atomic import atomic_output
from estimator.export.xlsx_layout import sheet_names
from estimator.money import ZERO, fmt
from estimator.units import label

LOW_FILL = PatternFill("solid", fgColor="DDEBF7")
HIGH_FILL = FLAG_FILL
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
PERCENT = "0.0"


class _Cells:
    """Typed, styled write-only cells; text is always text (a bidder's `=...` never becomes a formula)."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    def __call__(self, value: object, fmt: str = "", fill: PatternFill | None = None, font: Font | None = None,
                 wrap: bool = False) -> Any:
        if value is not None and not isinstance(value, int | Decimal):
            value = ILLEGAL_CHARACTERS_RE.sub("", str(value))  # a file name may hold what XML cannot
        cell = WriteOnlyCell(self.ws, value)
        if isinstance(value, str):
            cell.data_type = "s"
        if fmt:
            cell.number_format = fmt
        if fill is not None:
            cell.fill = fill
        if font is not None:
            cell.font = font
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell

    def header(self, titles: list[str]) -> list[Any]:
        return [self(t, fill=HEADER_FILL, font=BOLD, wrap=True) for t in titles]


def write_bids_xlsx(ev: Evaluation, path: Path) -> None:
    wb = Workbook(write_only=True)
    _summary(_sheet(wb, "Summary"), ev)
    names = sheet_names([f"{b.rank}. {b.bidder}" for b in ev.bids], taken=["Summary", "Items"])
    for bid, name in zip(ev.bids, names, strict=True):
        _anomalies(_sheet(wb, name), ev, bid)
    _items(_sheet(wb, "Items"), ev)
    with atomic_output(path) as tmp:
        wb.save(tmp)


def _sheet(wb: Workbook, name: str) -> Any:
    """A write-only sheet set to print landscape; views and widths must be set before the first row."""
    ws = wb.create_sheet(name)
    landscape(ws)
    return ws


RANKING = ["Rank", "Bidder", "File", "Stated total", "Corrected subtotal", "Markups", "Corrected total",
           "vs estimate %", "Unpriced", "Unpriced value", "Added rows", "Low rates", "High rates", "Anomalies"]


def _summary(ws: Any, ev: Evaluation) -> None:
    c = _Cells(ws)
    widths(ws, [6, 30, 22, 15, 18, 13, 16, 13, 9, 15, 12, 10, 11, 10])
    ws.freeze_panes = "A9"
    ws.append([c(f"Bid evaluation: {ev.programme}", font=TITLE)])
    ws.append([c(f"Tender {ev.reference or '-'}, currency {ev.currency}. Corrected total = the engineer's quantities "
                 "x the bidder's unit rates (the unit rate prevails),")])
    ws.append([c("unpriced items at 0, rows added by a bidder left out, plus the programme's markups. Bids with unpriced "
                 f"items rank after complete bids. Rates flagged beyond ±{ev.threshold} % of the engineer's rate.")])
    ws.append([])
    ws.append([None, c("Engineer's estimate, subtotal"), None, c(ev.engineer_subtotal, MONEY)])
    markup_total = sum((m.amount for m in ev.engineer_markups), ZERO)
    names = ", ".join(f"{m.name} {m.percent} %" for m in ev.engineer_markups) or "none"
    ws.append([None, c(f"Markups ({names})"), None, c(markup_total, MONEY)])
    ws.append([None, c("Engineer's estimate, total", font=BOLD), None, c(ev.engineer_total, MONEY, font=BOLD)])
    ws.append(c.header(RANKING))
    first = 9  # title, two lines, a blank, three lines of the estimate, the header: rows 1-8
    for b in ev.bids:
        diff = (b.corrected_total - ev.engineer_total) / ev.engineer_total * 100 if ev.engineer_total else None
        ws.append([c(b.rank), c(b.bidder), c(b.file), c(b.stated_total, MONEY), c(b.corrected_subtotal, MONEY),
                   c(sum((m.amount for m in b.corrected_markups), ZERO), MONEY), c(b.corrected_total, MONEY, font=BOLD),
                   c(Decimal(percent(diff)) if diff is not None else None, PERCENT), c(b.missing),
                   c(b.missing_value, MONEY), c(b.added_amount, MONEY), c(b.low), c(b.high), c(len(b.anomalies))])
    last = first + len(ev.bids) - 1
    ws.append([])
    row = last + 2
    if ev.refused:
        ws.append([c("Refused workbooks", font=BOLD)])
        for r in ev.refused:
            lines = textwrap.wrap(r.reason.removeprefix(f"{r.file}: "), 130) or [""]
            ws.append([None, c(r.file), c(lines[0])])
            for more in lines[1:]:
                ws.append([None, None, c(more)])
            row += len(lines)
        ws.append([])
        row += 2
    if ev.bids:
        # the chart's data: the estimate, then each bid's corrected total in ranking order
        ws.append([None, c("Corrected totals against the estimate", font=BOLD), None, c(f"Total {ev.currency}", font=BOLD)])
        ws.append([None, c("Engineer's estimate"), None, c(ev.engineer_total, MONEY)])
        for b in ev.bids:
            ws.append([None, c(f"{b.rank}. {b.bidder}"), None, c(b.corrected_total, MONEY)])
        chart = BarChart()
        chart.type = "bar"
        chart.title = f"Corrected totals against the engineer's estimate ({ev.currency})"
        chart.add_data(Reference(ws, min_col=4, min_row=row + 1, max_row=row + 1 + len(ev.bids)))
        chart.set_categories(Reference(ws, min_col=2, min_row=row + 1, max_row=row + 1 + len(ev.bids)))
        chart.x_axis.scaling.orientation = "maxMin"  # the estimate, then rank 1, at the top
        chart.y_axis.numFmt = "#,##0"
        chart.legend = None
        chart.width, chart.height = 24.0, max(6.0, 1.0 * len(ev.bids) + 4)
        ws.add_chart(chart, f"B{row + len(ev.bids) + 3}")


def _anomalies(ws: Any, ev: Evaluation, bid: BidResult) -> None:
    c = _Cells(ws)
    widths(ws, [24, 26, 8, 8, 9, 100, 14, 14])
    ws.freeze_panes = "A5"
    ws.append([c(f"{bid.rank}. {bid.bidder} ({bid.file})", font=TITLE)])
    counts = ", ".join(f"{n} {kind}" for kind, n in bid.counts().items()) or "no anomalies"
    ws.append([c(f"{len(bid.anomalies)} anomalies: {counts}")])
    stated = f"Stated total {fmt(bid.stated_total)} ({bid.stated_source}); " if bid.stated_total is not None else ""
    ws.append([c(f"{stated}corrected total {fmt(bid.corrected_total)} {ev.currency}")])
    ws.append(c.header(["Kind", "Sheet", "Row", "Column", "Item", "What", "Stated", "Corrected"]))
    order = {kind: n for n, kind in enumerate(KINDS)}
    for a in sorted(bid.anomalies, key=lambda a: (order.get(a.kind, 99), a.sheet, a.row or 0)):
        ws.append([c(a.kind), c(a.sheet), c(a.row), c(a.column), c(a.item_ref), c(a.message), c(a.stated, MONEY),
                   c(a.corrected, MONEY)])


def _items(ws: Any, ev: Evaluation) -> None:
    c = _Cells(ws)
    fixed = ["Facility", "Item", "Description", "Unit", "Quantity", "Engineer's rate", "Engineer's amount"]
    widths(ws, [26, 8, 50, 7, 11, 15, 17] + [12, 14, 9] * len(ev.bids))
    ws.freeze_panes = "H3"
    top: list[Any] = [None] * len(fixed)
    for b in ev.bids:
        top += [c(f"{b.rank}. {b.bidder}", font=BOLD), None, None]
    ws.append(top)
    ws.append(c.header(fixed + [t for _ in ev.bids for t in ("Rate", "Amount", "vs eng. %")]))
    for it in ev.items:
        ln = it.line
        row = [c(it.facility), c(ln.item.ref), c(ln.item.description), c(label(ln.unit)), c(ln.quantity, MONEY),
               c(ln.rate, MONEY), c(ln.amount, MONEY)]
        for b in ev.bids:
            fig = b.items[it.uid]
            flag = ev.flag(it, b)
            fill = LOW_FILL if flag == "low" else HIGH_FILL if flag == "high" else None
            dev = ev.deviation(it, b)
            row += [c(fig.rate, "#,##0.00##", fill), c(fig.corrected, MONEY),
                    c(Decimal(percent(dev)) if dev is not None else None, PERCENT, fill)]
        ws.append(row)
    last = len(ev.items) + 2
    totals: list[Any] = [c("Total (SUM of the amounts above)", font=BOLD), None, None, None, None, None,
                         _sum(ws, "G", last)]
    for n in range(len(ev.bids)):
        totals += [None, _sum(ws, get_column_letter(len(fixed) + 3 * n + 2), last), None]
    ws.append(totals)


def _sum(ws: Any, column: str, last: int) -> Any:
    cell = WriteOnlyCell(ws, f"=SUM({column}3:{column}{last})")  # a formula we write, never a bidder's text
    cell.number_format, cell.font = MONEY, BOLD
    return cell
