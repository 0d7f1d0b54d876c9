"""Pagination and the full-page flowable of the money tables.

`paginate` fills pages with already-measured rows (a running sum of heights, one pass), keeping
groups of rows together and cutting a row taller than a whole page. `TablePage` is one finished
page of one or more grids (a bill's last BoQ page may carry its collection too), each with title
lines, the column header (repeated on every page), the rows and the closing rows (page total
carried to collection, carried forward, totals), and the bidder's signature and stamp strip.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from estimator.export.pdf.grid import PAD_X, Columns, Lines, Pen, Row, draw_rows
from estimator.export.pdf.layout import FRAME_H, FRAME_W, SIGNATURE_H, TITLE_GAP


def paginate(units: Sequence[list[Row]], capacity: float) -> list[list[Row]]:
    """Rows per page. A unit (one row, or rows that belong together) starts a new page when it
    does not fit; a single row taller than a whole page is cut, its text continuing overleaf."""
    pages: list[list[Row]] = []
    current: list[Row] = []
    used = 0.0
    for unit in units:
        if current and used + sum(r.height for r in unit) > capacity:
            pages.append(current)
            current, used = [], 0.0
        for row in unit:
            pending: Row | None = row
            while pending is not None:
                if used + pending.height <= capacity:
                    current.append(pending)
                    used += pending.height
                    pending = None
                elif current:
                    pages.append(current)
                    current, used = [], 0.0
                else:
                    piece, pending = pending.split(capacity)
                    if piece.height > capacity or not any(s.cell.parts for s in piece.spans):
                        raise RuntimeError(f"page too small for one line of text ({capacity:.0f} pt)")
                    pages.append([piece])
    if current or not pages:
        pages.append(current)
    return pages


@dataclass(frozen=True, slots=True)
class Strip:
    """Labels of the signature and stamp strip: one tuple of Lines per box, in reading order."""

    boxes: tuple[tuple[Lines, ...], ...]
    rtl: bool
    fractions: tuple[float, ...] = (0.3, 0.3, 0.16, 0.24)


def title_height(title: Sequence[Sequence[Lines]]) -> float:
    return sum(max(p.leading for p in row) for row in title) + (TITLE_GAP if title else 0.0)


@dataclass(slots=True)
class Grid:
    """A titled table on a page: the title lines, then the rows (header row first)."""

    title: Sequence[Sequence[Lines]]
    cols: Columns
    rows: list[Row]

    @property
    def height(self) -> float:
        return title_height(self.title) + sum(r.height for r in self.rows)


GRID_GAP = 16.0


class TablePage(Flowable):  # type: ignore[misc]  # reportlab ships no type information
    """One page of money tables; it always fills the frame, so the next page starts fresh."""

    def __init__(self, grids: list[Grid], strip: Strip | None = None) -> None:
        super().__init__()
        self.grids = grids
        self.strip = strip
        self.progress_mark: int | None = None  # set on the last page of a facility

    def used(self) -> float:
        return float(sum(g.height for g in self.grids)) + GRID_GAP * (len(self.grids) - 1)

    def room(self) -> float:
        """Height left for another grid under the ones already on the page."""
        return FRAME_H - (SIGNATURE_H if self.strip else 0.0) - self.used() - GRID_GAP

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return FRAME_W, FRAME_H

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        return []

    def draw(self) -> None:
        canvas = self.canv
        pen = Pen(canvas)
        y = FRAME_H
        for grid in self.grids:
            for row in grid.title:
                for part, (x0, x1) in zip(row, _share(row), strict=True):
                    pen.put(x0, x1, y - part.size * 0.9, part.lines[0], part.font, part.size, part.align)
                y -= max(p.leading for p in row)
            if grid.title:
                y -= TITLE_GAP
            y = draw_rows(canvas, pen, grid.cols, grid.rows, y) - GRID_GAP
        if self.strip:
            _draw_strip(canvas, pen, self.strip)
        pen.finish()


def _share(row: Sequence[Lines]) -> list[tuple[float, float]]:
    """Room for each line of a title row: the whole width, unless a line at the left and one at
    the right would overlap; then the longer one gives way."""
    whole = [(0.0, FRAME_W)] * len(row)
    if len(row) != 2:
        return whole
    widths = [stringWidth(p.lines[0], p.font, p.size) for p in row]
    gap = 12.0
    if sum(widths) + gap <= FRAME_W:
        return whole
    longer = 0 if widths[0] >= widths[1] else 1
    room = FRAME_W - widths[1 - longer] - gap
    out = list(whole)
    out[longer] = (0.0, room) if row[longer].align == "left" else (FRAME_W - room, FRAME_W)
    return out


def _draw_strip(canvas: Any, pen: Pen, strip: Strip) -> None:
    height = SIGNATURE_H - 8
    canvas.setLineWidth(0.6)
    canvas.rect(0, 0, FRAME_W, height, stroke=1, fill=0)
    x = FRAME_W if strip.rtl else 0.0
    for labels, fraction in zip(strip.boxes, strip.fractions, strict=True):
        w = FRAME_W * fraction
        x0, x1 = (x - w, x) if strip.rtl else (x, x + w)
        canvas.line(x0, 0, x0, height)
        y = height - 2
        for part in labels:
            for text in part.lines:
                pen.put(x0 + PAD_X, x1 - PAD_X, y - part.size * 0.9, text, part.font, part.size, part.align)
                y -= part.leading
        x = x0 if strip.rtl else x1
