"""Rows of a money table (BoQ page, collection, summaries): measured once, drawn straight on the canvas.

A row is a list of spans, each covering one or more columns by key; the same rows are drawn left
to right for English and mirrored for Arabic (`Columns(rtl=True)` puts the first key at the right).
Text arrives already wrapped (and, for Arabic, shaped and reordered), so a row's height is known
before any page is laid out: pagination is a running sum, drawing is one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth

from estimator.export.pdf.fonts import BASELINE, LEADING

PAD_X = 3.0
PAD_Y = 2.6
GRID = Color(0, 0, 0)
RULE = Color(0.72, 0.72, 0.72)
HEAD_FILL = Color(0.88, 0.90, 0.93)
TOTAL_FILL = Color(0.95, 0.95, 0.95)
BLANK_DROP = 8.5  # distance from a cell's top to its line to write on
BLANK_STEP = 14.0  # between the lines of a taller blank cell


@dataclass(frozen=True, slots=True)
class Lines:
    """Display lines in one font, aligned left, right or centre within their cell."""

    lines: tuple[str, ...]
    font: str
    size: float
    align: str = "left"

    @property
    def leading(self) -> float:
        return self.size * LEADING[self.font]

    @property
    def height(self) -> float:
        return len(self.lines) * self.leading


@dataclass(frozen=True, slots=True)
class Cell:
    parts: tuple[Lines, ...] = ()
    blank: bool = False  # unpriced: a dotted line to write a figure on

    @property
    def height(self) -> float:
        return sum(p.height for p in self.parts)


@dataclass(frozen=True, slots=True)
class Span:
    first: str
    last: str
    cell: Cell


@dataclass(slots=True)
class Row:
    spans: list[Span]
    amount: Decimal | None = None  # the figure this row adds to its page total (BoQ items)
    style: str = "body"  # body | head | total | grand
    min_lines: int = 1
    fixed: bool = False  # its amount is a fixed sum's (printed in a tender copy too)
    height: float = field(init=False)

    def __post_init__(self) -> None:
        tallest = max((s.cell.height for s in self.spans), default=0.0)
        one = max((s.cell.parts[0].leading for s in self.spans if s.cell.parts), default=10.0)
        self.height = max(tallest, one * self.min_lines) + 2 * PAD_Y

    def split(self, limit: float) -> tuple[Row, Row]:
        """Cut a row taller than a page: the figures stay on the first piece, text continues."""
        room = limit - 2 * PAD_Y
        head: list[Span] = []
        tail: list[Span] = []
        for span in self.spans:
            keep: list[Lines] = []
            rest: list[Lines] = []
            used = 0.0
            for part in span.cell.parts:
                n = max(0, min(len(part.lines), int((room - used) // part.leading)))
                if n:
                    keep.append(Lines(part.lines[:n], part.font, part.size, part.align))
                    used += n * part.leading
                if n < len(part.lines):
                    rest.append(Lines(part.lines[n:], part.font, part.size, part.align))
            head.append(Span(span.first, span.last, Cell(tuple(keep), span.cell.blank)))
            tail.append(Span(span.first, span.last, Cell(tuple(rest))))
        return Row(head, self.amount, self.style, fixed=self.fixed), Row(tail, None, self.style, fixed=self.fixed)


class Columns:
    """Column keys and widths; x positions are mirrored for right-to-left tables."""

    def __init__(self, widths: list[tuple[str, float]], left: float, rtl: bool) -> None:
        self.keys = [k for k, _ in widths]
        self.width = sum(w for _, w in widths)
        self.left = left
        self._pos: dict[str, tuple[float, float]] = {}
        x = left + self.width if rtl else left
        for key, w in widths:
            if rtl:
                self._pos[key] = (x - w, x)
                x -= w
            else:
                self._pos[key] = (x, x + w)
                x += w

    def span(self, first: str, last: str) -> tuple[float, float]:
        a, b = self._pos[first], self._pos[last]
        return min(a[0], b[0]), max(a[1], b[1])


class Pen:
    """Draws many strings through one PDF text object (much cheaper than one per string)."""

    def __init__(self, canvas: Any) -> None:
        self.canvas = canvas
        self.text = canvas.beginText()
        self.font: tuple[str, float] | None = None

    def put(self, x0: float, x1: float, baseline: float, line: str, font: str, size: float, align: str) -> None:
        avail = x1 - x0
        w = stringWidth(line, font, size)
        if w > avail + 0.01:  # a figure or title wider than its room shrinks rather than overflows
            size = size * avail / w
            w = avail
        if self.font != (font, size):
            self.text.setFont(font, size)
            self.font = (font, size)
        x = x0 if align == "left" else x1 - w if align == "right" else (x0 + x1 - w) / 2
        self.text.setTextOrigin(x, baseline)
        self.text._textOut(line)  # textOut would measure the string again to move a cursor we never use

    def finish(self) -> None:
        self.canvas.drawText(self.text)


def draw_rows(canvas: Any, pen: Pen, cols: Columns, rows: list[Row], top: float) -> float:
    """Draw `rows` from `top` down; returns the y of the bottom edge.

    Shading and rules are collected first and drawn with one call per colour: a BoQ page has a
    few hundred of them and each change of colour or width is a PDF operator of its own."""
    y = top
    fills: dict[str, list[tuple[float, float]]] = {"head": [], "total": []}
    light: list[tuple[float, float, float, float]] = []
    dark: list[tuple[float, float, float, float]] = []
    dotted: list[tuple[float, float, float, float]] = []  # lines to write on
    for row in rows:
        bottom = y - row.height
        if row.style != "body":
            fills["head" if row.style == "head" else "total"].append((bottom, row.height))
        (light if row.style == "body" else dark).append((cols.left, bottom, cols.left + cols.width, bottom))
        edges: set[float] = set()
        for span in row.spans:
            x0, x1 = cols.span(span.first, span.last)
            edges.update((x0, x1))
            _draw_cell(pen, span.cell, x0 + PAD_X, x1 - PAD_X, y - PAD_Y, bottom + PAD_Y, dotted)
        dark.extend((x, y, x, bottom) for x in edges)
        y = bottom
    for style, colour in (("head", HEAD_FILL), ("total", TOTAL_FILL)):
        if fills[style]:
            canvas.setFillColor(colour)
            for bottom, height in fills[style]:
                canvas.rect(cols.left, bottom, cols.width, height, stroke=0, fill=1)
    canvas.setFillColor(GRID)
    canvas.setLineWidth(0.4)
    canvas.setStrokeColor(RULE)
    canvas.lines(light)
    canvas.setStrokeColor(GRID)
    canvas.lines(dark)
    canvas.setLineWidth(0.8)
    canvas.rect(cols.left, y, cols.width, top - y, stroke=1, fill=0)
    if dotted:
        canvas.saveState()
        canvas.setDash(0.6, 1.6)
        canvas.setLineWidth(0.5)
        canvas.lines(dotted)
        canvas.restoreState()
    return y


def _draw_cell(pen: Pen, cell: Cell, x0: float, x1: float, top: float, bottom: float,
               dotted: list[tuple[float, float, float, float]]) -> None:
    y = top
    for part in cell.parts:
        for line in part.lines:
            pen.put(x0, x1, y - part.size * BASELINE[part.font], line, part.font, part.size, part.align)
            y -= part.leading
    if cell.blank:  # as many lines to write on as the row has room for
        baseline = top - BLANK_DROP
        while baseline >= bottom - 1:
            dotted.append((x0 + 2, baseline, x1, baseline))
            baseline -= BLANK_STEP
