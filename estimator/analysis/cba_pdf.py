"""The comparative bid analysis as a PDF for the committee to sign (`boq bids ... --pdf OUT.pdf --lang en|ar|both`).

Landscape A4: the tender, the estimate basis and the rules; the opening record; the compliance
matrix; per lot its ranking, arithmetic corrections and abnormal rates (the first `LISTED` of each
bidder: the workbook report lists them all); the recommendation with the difference to the
estimate per lot and its explanation; and the committee's signature block. The rows are
`cba_tables`' (the workbook prints the same). Arabic pages read right to left: columns in reverse
order, text set flush right by the tender pack's right-to-left paragraph (shaped, wrapped in
logical order). Every page carries "Page x of y" in the report's language. Written atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from estimator import limits
from estimator.analysis import cba_tables as t
from estimator.analysis.lots import CBA
from estimator.analysis.pdfbits import GRID, HEAD
from estimator.atomic import atomic_output
from estimator.export.pdf import fonts
from estimator.export.pdf.document import canvas_class
from estimator.export.pdf.flowables import RtlParagraph
from estimator.export.pdf.textlines import is_arabic

PAGE = landscape(A4)
MARGIN = 32
WIDTH = PAGE[0] - 2 * MARGIN
LISTED = 15  # corrections and abnormal rates per bidder and lot in the PDF
CELL = 7.5
WIDE = 60  # characters: a column's share of the width grows with its text up to this


def write_cba_pdf(cba: CBA, path: Path, lang: str = "en") -> None:
    fonts.register()
    w = t.Words(lang)
    story: list[Any] = [paragraph(w("title"), 16, True, _align(w)), Spacer(1, 6)]
    for label, value in t.heading(cba, w):
        story.append(paragraph(f"{label}: {value}", 9, False, _align(w)))
    if not cba.records_given:
        story.append(paragraph(w("not_recorded"), 9, True, _align(w)))
    story += _section(t.opening(cba, w), w)
    story += _section(t.compliance(cba, w), w)
    for lot in cba.lots:
        story.append(CondPageBreak(160))
        story.append(paragraph(t.ranking(lot, w).title, 12, True, _align(w), space_before=10))
        story.append(paragraph(f"{w('estimate')}: {t.show(lot.estimate)} {cba.currency}", 9, False, _align(w)))
        story += _section(t.ranking(lot, w), w, heading=False)
        for table in (t.corrections(lot, w, LISTED), t.abnormal(lot, cba, w, LISTED)):
            if table.rows:
                story += _section(table, w, size=10)
    story.append(PageBreak())
    story += _section(t.recommendation(cba, w), w, total=True)
    if cba.explanation:
        story.append(paragraph(w("explanation"), 10, True, _align(w), space_before=8))
        story += [paragraph(line, 8.5, False, _align(w)) for line in cba.explanation]
    signatures = t.committee(cba, w)
    story.append(KeepTogether(_section(signatures, w, tall=True)))
    title = f"{w('title')}: {cba.programme}"
    with atomic_output(path) as tmp:
        doc = SimpleDocTemplate(str(tmp), pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                                bottomMargin=MARGIN + 8, title=limits.xml_text(title), author="BoQ Estimator")
        doc.build(story, canvasmaker=_canvas(w, f"{cba.reference or cba.programme} - {w('title')}"))


def paragraph(text: str, size: float, bold: bool = False, align: str = "left", space_before: float = 0,
              space_after: float = 0) -> Any:
    """Text flush `align` (left or right): Arabic through the tender pack's right-to-left paragraph."""
    text = limits.clean(text)
    if is_arabic(text):
        return RtlParagraph(text, size, bold, "right", space_before, space_after)
    style = ParagraphStyle(f"cba{size}{bold}{align}", fontName=fonts.SANS_BOLD if bold else fonts.SANS, fontSize=size,
                           leading=size * 1.3, alignment=TA_RIGHT if align == "right" else TA_LEFT,
                           spaceBefore=space_before, spaceAfter=space_after)
    return Paragraph(escape(text), style)


def _align(w: t.Words) -> str:
    return "right" if w.rtl else "left"


def _section(table: t.Table, w: t.Words, heading: bool = True, size: float = 11, total: bool = False,
             tall: bool = False) -> list[Any]:
    out: list[Any] = []
    if heading:
        out.append(paragraph(table.title, size, True, _align(w), space_before=10, space_after=3))
    if not table.rows:
        out.append(paragraph(w("none"), 8.5, False, _align(w)))
        return out
    out.append(_grid(table, w, total, tall))
    return out


def _grid(table: t.Table, w: t.Words, total: bool, tall: bool) -> Table:
    texts = [[t.show(v) for v in row] for row in table.rows]
    weights = []
    for col, head in enumerate(table.header):
        longest = max([min(len(head), 16)] + [len(r[col]) for r in texts[:200]])
        weights.append(min(WIDE, max(6, longest)))
    widths = [WIDTH * x / sum(weights) for x in weights]
    money = set(table.money)

    def cell(text: str, col: int, bold: bool = False) -> Any:
        # figures flush right in either direction; text flush with the reading direction
        return paragraph(text, CELL, bold, "right" if col in money or w.rtl else "left")

    rows = [[cell(h, c, True) for c, h in enumerate(table.header)]]
    for n, row in enumerate(texts):
        bold = total and n == len(texts) - 1
        rows.append([cell(text, c, bold) for c, text in enumerate(row)])
    if w.rtl:  # right to left: the first column on the right
        rows = [list(reversed(r)) for r in rows]
        widths = list(reversed(widths))
    style = [("GRID", (0, 0), (-1, -1), 0.4, GRID), ("BACKGROUND", (0, 0), (-1, 0), HEAD),
             ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 2),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    heights = [None] + [34.0] * len(texts) if tall else None
    grid = Table(rows, colWidths=widths, rowHeights=heights, repeatRows=1, hAlign="RIGHT" if w.rtl else "LEFT")
    grid.setStyle(TableStyle(style))
    return grid


def _canvas(w: t.Words, footer: str) -> type[Canvas]:
    from estimator.analysis.pdfbits import shaped

    def decorate(canvas: Canvas, number: int, total: int) -> None:
        width, _ = canvas._pagesize
        canvas.setFillColor(colors.HexColor("#555555"))
        font, drawn = shaped(footer[:120])
        page_font, page = shaped(w("page", page=number, pages=total))
        canvas.setFont(font, 7.5)
        if w.rtl:
            canvas.drawRightString(width - MARGIN, 18, drawn)
            canvas.setFont(page_font, 7.5)
            canvas.drawString(MARGIN, 18, page)
        else:
            canvas.drawString(MARGIN, 18, drawn)
            canvas.setFont(page_font, 7.5)
            canvas.drawRightString(width - MARGIN, 18, page)

    return canvas_class(decorate)
