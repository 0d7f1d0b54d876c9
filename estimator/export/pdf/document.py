"""The document: one frame per A4 page, and the header and footer of every page.

"Page x of y" needs y, the page count, which is only known at the end. Rather than laying the
whole pack out twice, the canvas keeps each finished page and draws the headers and footers when
the document is saved, when y is known (one layout pass).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from estimator.export import Progress
from estimator.export.pdf import fonts
from estimator.export.pdf.grid import Pen
from estimator.export.pdf.layout import AR_SCALE, FRAME_H, FRAME_W, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PAGE_H, PAGE_W, line
from estimator.export.pdf.textlines import is_arabic, width
from estimator.export.pdf.voice import Voice
from estimator.model import Programme

RED = Color(0.7, 0.05, 0.05)
GREY = Color(0.35, 0.35, 0.35)


class Decorations:
    """Header (programme, reference, revision, currency) and footer (reference, Page x of y)."""

    def __init__(self, programme: Programme, voice: Voice, priced: bool) -> None:
        self.voice = voice
        ref = programme.reference or "-"
        self.left_head = programme.display_name("ar" if voice.rtl else "en")
        self.right_head = voice.labels[voice.codes[0]].get("header_ref", reference=ref, revision=programme.revision,
                                                           currency=programme.currency)
        self.refs = voice.say("footer_ref", reference=ref)
        self.confidential = voice.say("confidential") if priced else []

    def __call__(self, canvas: Canvas, page: int, pages: int) -> None:
        pen = Pen(canvas)
        top = PAGE_H - MARGIN_TOP + 14
        x0, x1 = MARGIN_X, PAGE_W - MARGIN_X
        canvas.saveState()
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.5)
        canvas.line(x0, top - 4, x1, top - 4)
        canvas.line(x0, MARGIN_BOTTOM - 10, x1, MARGIN_BOTTOM - 10)
        rtl = self.voice.rtl
        half = (x1 - x0) / 2 - 10
        head = line(_fit(self.left_head, half), 7.5, align="right" if rtl else "left")
        pen.put(x0, x1, top, head.lines[0], head.font, head.size, head.align)
        tail = line(self.right_head, 7.5, align="left" if rtl else "right")
        pen.put(x0, x1, top, tail.lines[0], tail.font, tail.size, tail.align)
        numbers = self.voice.say("page", page=page, pages=pages)
        bottom = MARGIN_BOTTOM - 21
        for code, ref, number in zip(self.voice.codes, self.refs, numbers, strict=True):
            start, end = ("right", "left") if code == "ar" else ("left", "right")
            if self.voice.lang == "both":  # English at the left, Arabic at the right
                text = f"{ref}  ·  {number}" if code == "en" else f"{number}  ·  {ref}"
                part = line(text, 7.5, align=start)
                pen.put(x0, x1, bottom, part.lines[0], part.font, part.size, part.align)
                continue
            for value, align in ((ref, start), (number, end)):
                part = line(value, 7.5, align=align)
                pen.put(x0, x1, bottom, part.lines[0], part.font, part.size, part.align)
        pen.finish()
        if self.confidential:  # priced packs: on every page, in each language of the pack
            canvas.setFillColor(RED)
            pen = Pen(canvas)
            n = len(self.confidential)
            for i, value in enumerate(self.confidential):
                part = line(value, 7, bold=True, align="center")
                centre = x0 + (x1 - x0) * (i + 1) / (n + 1)
                pen.put(centre - 150, centre + 150, bottom - 10, part.lines[0], part.font, part.size, "center")
            pen.finish()
        canvas.restoreState()


def _fit(text: str, limit: float) -> str:
    """`text` cut with an ellipsis to fit `limit` points in the header font."""
    font, size = (fonts.ARABIC, 7.5 * AR_SCALE) if is_arabic(text) else (fonts.SANS, 7.5)
    if width(text, font, size) <= limit:
        return text
    while text and width(text + "...", font, size) > limit:
        text = text[:-1]
    return text.rstrip() + "..."


def canvas_class(decorate: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    class PackCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type information
        """Keeps finished pages until save(), then adds headers and footers with the page count."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            self.finish(1, len(self._pages))

        def finish(self, first: int, total: int) -> None:
            """Headers and footers on the kept pages, numbered from `first` of `total`; write the file.
            (`save` for a whole pack; a part of a pack drawn in a worker numbers from its place in it.)"""
            for number, state in enumerate(self._pages, start=first):
                self.__dict__.update(state)
                decorate(self, number, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return PackCanvas


class PackDocument(BaseDocTemplate):  # type: ignore[misc]  # reportlab ships no type information
    def __init__(self, path: Path, title: str, author: str, progress: Progress | None, lots: int, hold: bool = False) -> None:
        super().__init__(str(path), pagesize=(PAGE_W, PAGE_H), leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                         topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=title, author=author,
                         creator="BoQ Estimator", invariant=1)
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_W, FRAME_H, leftPadding=0, rightPadding=0, topPadding=0,
                      bottomPadding=0, id="body")
        self.addPageTemplates([PageTemplate("page", [frame])])
        self.progress = progress
        self.lots = lots
        self._doSave = 0 if hold else 1  # hold: pages are kept in `self.canv` until its `finish(first, total)`

    def afterFlowable(self, flowable: Any) -> None:  # reportlab's name
        mark = getattr(flowable, "progress_mark", None)
        if mark is not None and self.progress is not None:
            self.progress(mark, self.lots)
