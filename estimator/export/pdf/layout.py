"""Page geometry, type sizes and the column sets of the money tables, per language.

A4 portrait. English tables read left to right (Item | Description | Unit | Quantity | Rate |
Amount); Arabic tables are mirrored (Item at the right); bilingual tables carry an Arabic
description column beside the English one. Figures use Western digits in every language (the
common practice in printed tenders in the region) and Noto Sans, so columns of figures line up.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from estimator.export.pdf import fonts
from estimator.export.pdf.grid import PAD_X, Columns, Lines
from estimator.export.pdf.textlines import is_arabic, one_line, wrap, wrap_rtl

PAGE_W: float = A4[0]
PAGE_H: float = A4[1]
MARGIN_X: float = 15 * mm
MARGIN_TOP: float = 20 * mm
MARGIN_BOTTOM: float = 17 * mm
FRAME_W = PAGE_W - 2 * MARGIN_X
FRAME_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
LEFT = 0.0  # tables are drawn in the coordinates of the frame

SIZE = 7.8  # table text, Latin
AR_SCALE = 1.2  # Amiri looks smaller than Noto Sans at the same size
TITLE = 11.0
SUBTITLE = 9.5
SIGNATURE_H = 46.0  # the signature and stamp strip under every BoQ page
TITLE_GAP = 6.0

BOQ_KEYS = ("ref", "desc", "desc_ar", "unit", "qty", "rate", "amount")


def boq_columns(lang: str) -> Columns:
    """Item | Description [| Arabic description] | Unit | Quantity | Rate | Amount."""
    fixed: dict[str, float]
    if lang == "both":
        fixed = {"ref": 30, "desc_ar": 140, "unit": 30, "qty": 54, "rate": 54, "amount": 70}
    else:
        fixed = {"ref": 34, "unit": 36, "qty": 60, "rate": 60, "amount": 76}
    keys = [k for k in BOQ_KEYS if k in fixed or k == "desc"]
    fixed["desc"] = FRAME_W - sum(fixed.values())
    return Columns([(k, fixed[k]) for k in keys], LEFT, rtl=lang == "ar")


def list_columns(lang: str) -> Columns:
    """Ref | Description | Amount: collections and summaries."""
    widths = [("ref", 62.0), ("desc", FRAME_W - 62.0 - 96.0), ("amount", 96.0)]
    return Columns(widths, LEFT, rtl=lang == "ar")


def langs(lang: str) -> tuple[str, ...]:
    return ("en", "ar") if lang == "both" else (lang,)


def text(value: str, width: float, size: float = SIZE, bold: bool = False, align: str | None = None) -> Lines:
    """`value` wrapped to `width`: Arabic shaped and right-to-left in Amiri, anything else in Noto Sans."""
    if is_arabic(value):
        font = fonts.ARABIC_BOLD if bold else fonts.ARABIC
        ar_size = size * AR_SCALE
        return Lines(tuple(wrap_rtl(value, font, ar_size, width)), font, ar_size, align or "right")
    font = fonts.SANS_BOLD if bold else fonts.SANS
    return Lines(tuple(wrap(value, font, size, width)), font, size, align or "left")


def line(value: str, size: float = SIZE, bold: bool = False, align: str | None = None) -> Lines:
    """One unwrapped line (figures, short labels)."""
    rtl = is_arabic(value)
    if rtl:
        font = fonts.ARABIC_BOLD if bold else fonts.ARABIC
        return Lines((one_line(value, True),), font, size * AR_SCALE, align or "right")
    return Lines((value,), fonts.SANS_BOLD if bold else fonts.SANS, size, align or "left")


def cell_width(cols: Columns, first: str, last: str | None = None) -> float:
    x0, x1 = cols.span(first, last or first)
    return x1 - x0 - 2 * PAD_X
