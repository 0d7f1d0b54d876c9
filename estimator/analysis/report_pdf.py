"""The facility comparison PDF (`boq compare FILE --pdf OUT`): charts first, then the tables.

Landscape A4: totals per facility stacked by trade (40 facilities per chart), cost per m² by
facility type (min, median, max), the facility table, the group medians and the outliers with
their reasons. Charts are reportlab graphics (vector); floats are used only to draw them.
Written atomically.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from estimator import limits
from estimator.analysis import charts
from estimator.analysis.compare import Comparison, Group
from estimator.analysis.pdfbits import FLAG, fonts, numbered_canvas, shaped, styles, table_style, text
from estimator.atomic import atomic_output
from estimator.money import fmt

PAGE = landscape(A4)
MARGIN = 36
WIDTH = PAGE[0] - 2 * MARGIN
CHART_PAGE = 40


def write_comparison_pdf(comparison: Comparison, path: Path) -> None:
    c, st = comparison, styles()
    th = c.thresholds
    story: list[Any] = [
        Paragraph(text(f"Facility comparison: {c.programme}"), st["title"]),
        Paragraph(f"Currency {c.currency}. Facility totals before programme markups. {len(c.facilities)} facilities, "
                  f"{len(c.outliers)} outlier flag(s): a trade's cost per m² of floor above {th.high} × or below "
                  f"{th.low} × the median of its facility type (types with at least {th.min_peers} facilities).",
                  st["body"]),
        Spacer(1, 8),
    ]
    stacked = charts.stacked_totals(c)
    for page in charts.pages(len(c.facilities), CHART_PAGE):
        if c.trades and len(page):
            story.append(_stacked_chart(stacked, page, c.currency, len(c.facilities)))
            story.append(Spacer(1, 10))
    per_type = charts.per_m2_by_type(c)
    if per_type.types:
        story.append(KeepTogether([Paragraph("Cost per m² of floor by facility type", st["h2"]),
                                   _per_m2_chart(per_type, c.currency)]))
    story += [PageBreak(), Paragraph("Facilities", st["h2"]), _facility_table(c)]
    story += [Paragraph("By facility type", st["h2"]), _group_table(c.by_type)]
    story += [Paragraph("By governorate", st["h2"]), _group_table(c.by_governorate)]
    story += [Paragraph(f"Outliers ({len(c.outliers)})", st["h2"]), _outlier_table(c)]
    with atomic_output(path) as tmp:
        doc = SimpleDocTemplate(str(tmp), pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                                bottomMargin=MARGIN + 6, title=limits.xml_text(f"Facility comparison: {c.programme}"),
                                author="BoQ Estimator")
        doc.build(story, canvasmaker=numbered_canvas(f"BoQ Estimator - facility comparison - {c.programme}"))


def _label(value: str) -> str:
    return shaped(value)[1]


def _stacked_chart(data: charts.StackedTotals, page: range, currency: str, count: int) -> Drawing:
    height = 330
    drawing = Drawing(WIDTH, height)
    span = f", facilities {page.start + 1}-{page.stop}" if len(page) < count else ""
    drawing.add(String(0, height - 14, f"Total per facility by trade ({currency}){span}",
                       fontName=fonts()["bold"], fontSize=11))
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 60, 95, WIDTH - 250, height - 125
    chart.data = [[float(series[i]) for i in page] for series in data.values]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.categoryNames = [_label(data.facilities[i]) for i in page]
    _axes(chart)
    for n, i in enumerate(page):
        chart.categoryAxis.labels[n].fontName = shaped(data.facilities[i])[0]
    chart.categoryAxis.labels.angle = 60
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.categoryAxis.labels.dx = 4
    chart.barSpacing = 0
    chart.groupSpacing = 3
    for index in range(len(data.trades)):
        chart.bars[index].fillColor = colors.HexColor(f"#{charts.colour(index)}")
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    drawing.add(_legend([(charts.colour(i), t) for i, t in enumerate(data.trades)], WIDTH - 175, height - 30))
    return drawing


def _per_m2_chart(data: charts.PerM2ByType, currency: str) -> Drawing:
    height = 260
    drawing = Drawing(WIDTH, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 60, 70
    chart.width, chart.height = min(WIDTH - 250, 90 * len(data.types) + 60), height - 90
    chart.data = [[float(v) for v in series] for series in (data.minimum, data.median, data.maximum)]
    chart.categoryAxis.categoryNames = ["\n".join(textwrap.wrap(_label(t), 18)) for t in data.types]
    _axes(chart)
    for n, name in enumerate(data.types):
        chart.categoryAxis.labels[n].fontName = shaped(name)[0]
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.categoryAxis.labels.fontSize = 7.5
    shades = ("9ECAE1", "2171B5", "08306B")
    for index, shade in enumerate(shades):
        chart.bars[index].fillColor = colors.HexColor(f"#{shade}")
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    drawing.add(String(0, height - 12, f"{currency} per m²", fontName=fonts()["regular"], fontSize=8))
    drawing.add(_legend(list(zip(shades, ("Minimum per m²", "Median per m²", "Maximum per m²"), strict=True)),
                        WIDTH - 175, height - 30))
    return drawing


def _axes(chart: VerticalBarChart) -> None:
    regular = fonts()["regular"]
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = regular
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda v: f"{v:,.0f}"
    chart.valueAxis.gridStrokeColor = colors.HexColor("#E3E6EA")
    chart.valueAxis.visibleGrid = True
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = 6.5


def _legend(pairs: list[tuple[str, str]], x: float, y: float) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.alignment = "right"
    arabic = any(shaped(name)[0] != fonts()["regular"] for _, name in pairs)
    legend.fontName = fonts()["arabic" if arabic else "regular"]  # Amiri has Latin letters too
    legend.fontSize = 7
    legend.dy = legend.dx = 6
    legend.deltay = 9
    legend.columnMaximum = 30
    legend.colorNamePairs = [(colors.HexColor(f"#{c}"), _label(name)) for c, name in reversed(pairs)]
    return legend


def _cells(values: list[object]) -> list[Paragraph]:
    """Table cells: numbers right-aligned (money with two decimals), text shaped if Arabic."""
    st = styles()
    out = []
    for value in values:
        if isinstance(value, Decimal):
            out.append(Paragraph(fmt(value), st["num"]))
        elif isinstance(value, int):
            out.append(Paragraph(str(value), st["num"]))
        else:
            out.append(Paragraph("" if value is None else text(str(value)), st["cell"]))
    return out


def _head(titles: list[str]) -> list[Paragraph]:
    return [Paragraph(t, styles()["head"]) for t in titles]


def _facility_table(c: Comparison) -> Table:
    flagged = {o.facility_uid for o in c.outliers}
    rows = [_head(["Facility", "Facility type", "Governorate", "Floor m²", "Beds", f"Total {c.currency}", "Per m²",
                   "Per bed", "Flags"])]
    counts = {uid: sum(1 for o in c.outliers if o.facility_uid == uid) for uid in flagged}
    for f in c.facilities:
        rows.append(_cells([f.name, f.facility_type, f.governorate, f.floor_area, f.beds, f.total, f.per_m2, f.per_bed,
                            counts.get(f.uid)]))
    widths = [170, 140, 70, 60, 35, 90, 70, 70, 35]
    table = Table(rows, colWidths=widths, repeatRows=1)
    style = table_style()
    style += [("BACKGROUND", (8, n), (8, n), FLAG) for n, f in enumerate(c.facilities, start=1) if f.uid in flagged]
    table.setStyle(TableStyle(style))
    return table


def _group_table(groups: list[Group]) -> Table:
    rows = [_head(["Group", "Facilities", "Total", "Median total", "Min per m²", "Median per m²", "Max per m²",
                   "Median per bed"])]
    for g in groups:
        rows.append(_cells([g.name, len(g.facilities), g.total, g.median_total, g.min_per_m2, g.median_per_m2,
                            g.max_per_m2, g.median_per_bed]))
    table = Table(rows, colWidths=[170, 50, 100, 90, 80, 80, 80, 90], repeatRows=1)
    table.setStyle(TableStyle(table_style()))
    return table


def _outlier_table(c: Comparison) -> Table | Paragraph:
    if not c.outliers:
        return Paragraph("No outliers at these thresholds.", styles()["body"])
    rows = [_head(["Facility", "Trade", "Per m²", "Median", "Ratio", "Why"])]
    for o in c.outliers:
        rows.append(_cells([o.facility, o.trade, o.per_m2, o.median, o.ratio, o.reason]))
    table = Table(rows, colWidths=[120, 110, 60, 60, 35, 385], repeatRows=1)
    table.setStyle(TableStyle(table_style()))
    return table
