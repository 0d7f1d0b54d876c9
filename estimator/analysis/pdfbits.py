"""Shared pieces of the analysis PDF reports: fonts, Arabic text, styles and "Page x of y".

Fonts: the bundled Noto Sans (Latin, ², ³) and Amiri (Arabic) from templates/fonts, then the
system's Noto or DejaVu fonts, reportlab's Helvetica last.
Arabic text (a facility named in Arabic) is shaped and reordered for display, because reportlab
draws glyphs left to right as given.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from estimator import limits, paths
from estimator.export.pdf.document import canvas_class

SYSTEM_FONT_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/truetype/dejavu"),
                    Path("C:/Windows/Fonts"), Path("/Library/Fonts"))
CANDIDATES = {
    "regular": ("NotoSans-Regular.ttf", "DejaVuSans.ttf", "arial.ttf"),
    "bold": ("NotoSans-Bold.ttf", "DejaVuSans-Bold.ttf", "arialbd.ttf"),
    "arabic": ("Amiri-Regular.ttf", "NotoNaskhArabic-Regular.ttf", "DejaVuSans.ttf", "arial.ttf"),
}
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
GRID = colors.HexColor("#B0B7C3")
HEAD = colors.HexColor("#DDE4EE")
FLAG = colors.HexColor("#FCE4D6")


def _find(name: str) -> Path | None:
    for folder in (paths.templates_dir() / "fonts", *SYSTEM_FONT_DIRS):
        if (folder / name).is_file():
            return folder / name
    return None


@lru_cache(maxsize=1)
def fonts() -> dict[str, str]:
    """Registered font names for `regular`, `bold` and `arabic` text."""
    names = {"regular": "Helvetica", "bold": "Helvetica-Bold", "arabic": "Helvetica"}
    for role, files in CANDIDATES.items():
        for file in files:
            path = _find(file)
            if path is None:
                continue
            name = f"boq-{role}"
            try:
                pdfmetrics.registerFont(TTFont(name, str(path)))
            except Exception:  # a damaged or unsupported font file: try the next one
                continue
            names[role] = name
            break
    return names


def shaped(value: str) -> tuple[str, str]:
    """(font name, text as drawn) for `value`: cleaned (`limits.clean`: the bidi algorithm stops on
    control characters), Arabic shaped and put in visual order."""
    value = limits.clean(value)
    if not _ARABIC.search(value):
        return fonts()["regular"], value
    import arabic_reshaper
    from bidi.algorithm import get_display

    return fonts()["arabic"], str(get_display(arabic_reshaper.reshape(value)))


def text(value: str) -> str:
    """Paragraph markup for `value`: cleaned, escaped, Arabic shaped right-to-left in the Arabic font."""
    font, drawn = shaped(value)
    if font == fonts()["regular"]:
        return escape(drawn)
    return f'<font name="{font}">{escape(drawn)}</font>'


def styles() -> dict[str, ParagraphStyle]:
    f = fonts()
    return {
        "title": ParagraphStyle("title", fontName=f["bold"], fontSize=16, leading=20, spaceAfter=6),
        "h2": ParagraphStyle("h2", fontName=f["bold"], fontSize=12, leading=15, spaceBefore=10, spaceAfter=4),
        "body": ParagraphStyle("body", fontName=f["regular"], fontSize=9, leading=12),
        "cell": ParagraphStyle("cell", fontName=f["regular"], fontSize=7.5, leading=9),
        "num": ParagraphStyle("num", fontName=f["regular"], fontSize=7.5, leading=9, alignment=2),
        "head": ParagraphStyle("head", fontName=f["bold"], fontSize=7.5, leading=9),
    }


def table_style(header_rows: int = 1) -> list[tuple[Any, ...]]:
    return [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]


def numbered_canvas(footer: str) -> type[Canvas]:
    """A canvas class that writes `footer` and "Page x of y" at the foot of every page."""

    def decorate(canvas: Canvas, number: int, total: int) -> None:
        width, _ = canvas._pagesize
        font, drawn = shaped(footer[:150])
        canvas.setFont(font, 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(36, 20, drawn)
        canvas.setFont(fonts()["regular"], 7.5)
        canvas.drawRightString(width - 36, 20, f"Page {number} of {total}")

    return canvas_class(decorate)
