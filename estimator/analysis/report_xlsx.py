"""The facility comparison workbook (`boq compare FILE --xlsx OUT`), with native Excel charts.

Sheets: Summary (groups by facility type and governorate with their medians), Facilities (one row
per facility: total, per m², per bed and every trade), Trades per m², Outliers (each with the
reason in words) and Charts (totals per facility stacked by trade; cost per m² by facility type).
The charts are openpyxl `BarChart`s that refer to the cells of the other sheets, so they redraw
if a reader edits a figure. Written atomically.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference, Series
from openpyxl.worksheet.worksheet import Worksheet

from estimator import limits
from estimator.analysis import charts
from estimator.analysis.compare import ALL_TRADES, Comparison, Group
from estimator.analysis.sheet import FLAG_FILL, MONEY, RATIO, WRAP, header, landscape, put, title_block, widths
from estimator.atomic import atomic_output

FACILITY_COLUMNS = ["Facility", "Facility type", "Governorate", "Floor area m²", "Beds", "Total", "Per m²", "Per bed"]
FIRST_TRADE_COLUMN = len(FACILITY_COLUMNS) + 1
CHART_PAGE = 40  # facilities per stacked chart


def write_comparison_xlsx(comparison: Comparison, path: Path) -> None:
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "Summary"
    type_rows = _summary(summary, comparison)
    facilities = wb.create_sheet("Facilities")
    _facilities(facilities, comparison)
    _per_m2(wb.create_sheet("Trades per m²"), comparison)
    _outliers(wb.create_sheet("Outliers"), comparison)
    _charts(wb.create_sheet("Charts"), comparison, facilities, summary, type_rows)
    for ws in wb.worksheets:
        landscape(ws)
    with atomic_output(path) as tmp:
        wb.save(tmp)


def _summary(ws: Worksheet, c: Comparison) -> tuple[int, int]:
    """Writes the summary; returns the first and last row of the facility-type table."""
    th = c.thresholds
    row = title_block(ws, f"Facility comparison: {c.programme}", [
        f"Currency: {c.currency}. Facility totals before programme markups (contingency, overheads, tax).",
        f"{len(c.facilities)} facilities; {len(c.outliers)} outlier flag(s): a trade's cost per m² above "
        f"{th.high} x or below {th.low} x the median of its facility type (types with at least {th.min_peers}).",
    ])
    put(ws, row, 1, "By facility type", bold=True)
    first = row + 2
    last = _group_table(ws, row + 1, c.by_type)
    put(ws, last + 2, 1, "By governorate", bold=True)
    _group_table(ws, last + 3, c.by_governorate)
    widths(ws, [34, 11, 18, 16, 14, 14, 14, 14])
    return first, last


def _group_table(ws: Worksheet, row: int, groups: list[Group]) -> int:
    header(ws, row, ["Group", "Facilities", "Total", "Median total", "Min per m²", "Median per m²", "Max per m²",
                     "Median per bed"])
    for g in groups:
        row += 1
        values = [g.name, len(g.facilities), g.total, g.median_total, g.min_per_m2, g.median_per_m2, g.max_per_m2,
                  g.median_per_bed]
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value, MONEY if col > 2 else "")
    return row


def _facilities(ws: Worksheet, c: Comparison) -> None:
    header(ws, 1, FACILITY_COLUMNS + c.trades)
    for row, f in enumerate(c.facilities, start=2):
        values = [f.name, f.facility_type, f.governorate, f.floor_area, f.beds, f.total, f.per_m2, f.per_bed]
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value, MONEY if col > 5 else "")
        for col, trade in enumerate(c.trades, start=FIRST_TRADE_COLUMN):
            put(ws, row, col, f.trades.get(trade), MONEY)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions
    widths(ws, [30, 26, 14, 12, 7, 15, 12, 12] + [15] * len(c.trades))


def _per_m2(ws: Worksheet, c: Comparison) -> None:
    flagged = {(o.facility_uid, o.trade) for o in c.outliers}
    header(ws, 1, ["Facility", "Facility type", "Floor area m²", ALL_TRADES, *c.trades])
    for row, f in enumerate(c.facilities, start=2):
        for col, value in enumerate([f.name, f.facility_type, f.floor_area], start=1):
            put(ws, row, col, value)
        for col, trade in enumerate([ALL_TRADES, *c.trades], start=4):
            cell = put(ws, row, col, f.trade_per_m2(trade), MONEY)
            if (f.uid, trade) in flagged:
                cell.fill = FLAG_FILL
    ws.freeze_panes = "B2"
    widths(ws, [30, 26, 12] + [15] * (len(c.trades) + 1))


def _outliers(ws: Worksheet, c: Comparison) -> None:
    header(ws, 1, ["Facility", "Facility type", "Trade", "Per m²", "Median per m²", "Ratio", "Peers", "Flag", "Why"])
    for row, o in enumerate(c.outliers, start=2):
        values = [o.facility, o.facility_type, o.trade, o.per_m2, o.median, o.ratio, o.peers,
                  "high" if o.high else "low", o.reason]
        for col, value in enumerate(values, start=1):
            put(ws, row, col, value, {4: MONEY, 5: MONEY, 6: RATIO}.get(col, ""))
        ws.cell(row=row, column=9).alignment = WRAP
    if not c.outliers:
        put(ws, 2, 1, "No outliers at these thresholds.")
    ws.freeze_panes = "A2"
    widths(ws, [30, 26, 28, 12, 13, 8, 7, 7, 90])


def _charts(ws: Worksheet, c: Comparison, facilities: Worksheet, summary: Worksheet, type_rows: tuple[int, int]) -> None:
    put(ws, 1, 1, f"Charts ({c.currency}); the data are on the Facilities and Summary sheets", bold=True)
    anchor_row = 3
    count = len(c.facilities)
    for page in charts.pages(count, CHART_PAGE):
        if not c.trades or not count:
            break
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.gapWidth = 40
        span = f"{page.start + 1}-{page.stop}" if len(page) < count else "all"
        chart.title = f"Total per facility by trade ({c.currency}), facilities {span}"
        chart.y_axis.title = c.currency
        chart.y_axis.numFmt = "#,##0"
        for col, trade in enumerate(c.trades, start=FIRST_TRADE_COLUMN):
            values = Reference(facilities, min_col=col, min_row=page.start + 2, max_row=page.stop + 1)
            chart.series.append(Series(values, title=limits.xml_text(trade)))
        chart.set_categories(Reference(facilities, min_col=1, min_row=page.start + 2, max_row=page.stop + 1))
        for index, series in enumerate(chart.series):
            series.graphicalProperties.solidFill = charts.colour(index)
            series.graphicalProperties.line.noFill = True
        chart.legend.position = "r"
        chart.width, chart.height = max(24.0, 0.65 * len(page) + 10), 13.0
        ws.add_chart(chart, f"A{anchor_row}")
        anchor_row += 28
    first, last = type_rows
    if last >= first and any(g.median_per_m2 is not None for g in c.by_type):
        chart = BarChart()
        chart.type = "col"
        chart.title = f"Cost per m² of floor by facility type ({c.currency})"
        chart.y_axis.title = f"{c.currency} per m²"
        chart.y_axis.numFmt = "#,##0"
        chart.add_data(Reference(summary, min_col=5, max_col=7, min_row=first - 1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(summary, min_col=1, min_row=first, max_row=last))
        for index, series in enumerate(chart.series):
            series.graphicalProperties.solidFill = ("9ECAE1", "2171B5", "08306B")[index]
        chart.width, chart.height = max(20.0, 2.5 * (last - first + 1) + 8), 11.0
        ws.add_chart(chart, f"A{anchor_row}")
