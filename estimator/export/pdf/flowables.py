"""Flowables for the text pages: paragraphs in either direction and the signature block.

English text goes through reportlab's Paragraph (justified, hyphen-free) with user text escaped,
so a description such as `<b> & co` prints as written instead of being read as markup. Arabic
text goes through `RtlParagraph`: shaped, wrapped in logical order, each line reordered and set
flush right (or centred), splitting across pages line by line.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from estimator.export.pdf import fonts
from estimator.export.pdf.grid import PAD_X, Lines, Pen
from estimator.export.pdf.layout import AR_SCALE
from estimator.export.pdf.textlines import is_arabic, wrap_rtl

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "justify": TA_JUSTIFY}


class RtlParagraph(Flowable):  # type: ignore[misc]  # reportlab ships no type information
    def __init__(self, text: str, size: float, bold: bool = False, align: str = "right",
                 space_before: float = 0, space_after: float = 0, bullet: bool = False) -> None:
        super().__init__()
        self.text = text
        self.size = size * AR_SCALE
        self.font = fonts.ARABIC_BOLD if bold else fonts.ARABIC
        self.leading = self.size * fonts.LEADING[self.font]
        self.align = align
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self.bullet = bullet  # a bullet hangs in the right margin, the text is indented
        self.indent = 12.0 if bullet else 0.0
        self._lines: list[str] | None = None
        self._width = 0.0
        self._fixed = False  # a piece of a split paragraph keeps its lines

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self._lines is None or (avail_width != self._width and not self._fixed):
            self._lines = wrap_rtl(self.text, self.font, self.size, avail_width - self.indent)
            self._width = avail_width
        self.width = avail_width
        self.height = len(self._lines) * self.leading
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        self.wrap(avail_width, avail_height)
        assert self._lines is not None
        n = int(avail_height // self.leading)
        if n <= 0 or n >= len(self._lines):
            return []
        first, rest = copy.copy(self), copy.copy(self)
        first._lines, rest._lines = self._lines[:n], self._lines[n:]
        first.spaceAfter = rest.spaceBefore = 0
        first._fixed = rest._fixed = True
        rest.bullet = False
        return [first, rest]

    def draw(self) -> None:
        pen = Pen(self.canv)
        right = self.width - self.indent
        for i, text in enumerate(self._lines or []):
            baseline = self.height - i * self.leading - self.size * fonts.BASELINE[self.font]
            pen.put(0, right, baseline, text, self.font, self.size, "center" if self.align == "center" else "right")
            if self.bullet and i == 0:
                pen.put(0, self.width - 2, baseline, "•", fonts.SANS, self.size * 0.8, "right")
        pen.finish()


def paragraph(text: str, size: float = 9.5, bold: bool = False, align: str = "justify",
              space_before: float = 0, space_after: float = 5, bullet: bool = False) -> Flowable:
    """A paragraph in the direction its text needs; English text is escaped for Paragraph markup."""
    if is_arabic(text):
        ar_align = "center" if align == "center" else "right"
        return RtlParagraph(text, size, bold, ar_align, space_before, space_after, bullet)
    style = ParagraphStyle(
        f"p{size}{bold}{align}{bullet}", fontName=fonts.SANS_BOLD if bold else fonts.SANS, fontSize=size,
        leading=size * 1.35, alignment=_ALIGN.get(align, TA_JUSTIFY), spaceBefore=space_before,
        spaceAfter=space_after, leftIndent=12 if bullet else 0, bulletIndent=2,
    )
    return Paragraph(escape(text), style, bulletText="•" if bullet else None)


class SignatureBlock(Flowable):  # type: ignore[misc]  # reportlab ships no type information
    """Lines to sign on and a stamp box: each row is one or two labels (English left, Arabic right)."""

    ROW = 30.0
    STAMP_W = 150.0

    def __init__(self, rows: Sequence[tuple[Lines, ...]], stamp: tuple[Lines, ...], rtl: bool) -> None:
        super().__init__()
        self.rows = rows
        self.stamp = stamp
        self.rtl = rtl
        self.spaceBefore = 18

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = max(len(self.rows) * self.ROW, 130.0)
        return self.width, self.height

    def draw(self) -> None:
        canvas, pen = self.canv, Pen(self.canv)
        lines_w = self.width - self.STAMP_W - 20
        x0 = self.STAMP_W + 20 if self.rtl else 0.0
        canvas.setLineWidth(0.5)
        for i, labels in enumerate(self.rows):
            base = self.height - (i + 1) * self.ROW + 6
            canvas.setDash(0.8, 1.8)
            canvas.line(x0, base - 3, x0 + lines_w, base - 3)
            canvas.setDash()
            for part in labels:
                pen.put(x0, x0 + lines_w, base + 2, part.lines[0], part.font, part.size, part.align)
        sx = 0.0 if self.rtl else self.width - self.STAMP_W
        canvas.setDash(2, 2)
        canvas.rect(sx, self.height - 130, self.STAMP_W, 126, stroke=1, fill=0)
        canvas.setDash()
        y = self.height - 14
        for part in self.stamp:
            pen.put(sx + PAD_X, sx + self.STAMP_W - PAD_X, y, part.lines[0], part.font, part.size, "center")
            y -= part.leading
        pen.finish()
