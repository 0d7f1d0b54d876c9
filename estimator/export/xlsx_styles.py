"""The cell styles of the Excel BoQ, as named styles created once per workbook.

Named styles show up in Excel's and LibreOffice's style lists ("BoQ Input" is the cell a bidder
fills in), and a cell takes one by name, so no style object is built per cell. Every style is locked
(the spreadsheet default) except the input styles, which sheet protection leaves editable.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.workbook import Workbook

from estimator.export.xlsx_fit import BOLD, HEADER

MONEY = "#,##0.00"
PERCENT = '0.00"%"'  # the cell holds 5 for 5 %, as the markup formula divides by 100
INPUT_FILL = "FFF2CC"  # light yellow: "type here"
HEADER_FILL = "1F3864"
FIXED_FILL = "E7E6E6"  # light grey: "fixed by the employer"
SECTION_FILL = "D9E1F2"

_thin = Side(style="thin", color="A6A6A6")
_medium = Side(style="medium", color="1F3864")
_grid = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_top = Alignment(vertical="top")
_unlocked = Protection(locked=False)


def _style(name: str, **kw: object) -> NamedStyle:
    return NamedStyle(name=name, **kw)


def named_styles(lang: str) -> list[NamedStyle]:
    """All styles; `lang` decides the reading order of description cells."""
    rtl = 2 if lang == "ar" else 0  # 0 = by context, 2 = right to left
    return [
        # an Arabic sheet's first column is on the right: the title must run leftwards from there
        _style("BoQ Title", font=Font(bold=True, size=14),
               alignment=Alignment(horizontal="right" if rtl else "left", vertical="center")),
        _style("BoQ Label", font=Font(bold=True, color="1F3864"), alignment=Alignment(vertical="top", wrap_text=True)),
        _style("BoQ Value", alignment=Alignment(horizontal="left" if not rtl else "right", vertical="top")),
        _style("BoQ Header", font=Font(bold=True, color="FFFFFF"), fill=PatternFill("solid", fgColor=HEADER_FILL),
               border=_grid, alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
        _style("BoQ Section", font=Font(bold=True), fill=PatternFill("solid", fgColor=SECTION_FILL), border=_grid,
               alignment=Alignment(vertical="top", wrap_text=True, readingOrder=rtl)),
        _style("BoQ Ref", border=_grid, alignment=Alignment(horizontal="center", vertical="top")),
        # Text in either script: its first strong letter sets the direction (readingOrder 0), so an
        # English name in an Arabic sheet keeps its brackets where they belong.
        # (right-aligned in an Arabic sheet, where the right edge is where a line starts).
        _style("BoQ Text", border=_grid,
               alignment=Alignment(horizontal="right" if rtl else None, vertical="top", wrap_text=True)),
        _style("BoQ Arabic", border=_grid, alignment=Alignment(vertical="top", wrap_text=True, readingOrder=2)),
        _style("BoQ Unit", border=_grid, alignment=Alignment(horizontal="center", vertical="top", wrap_text=True)),
        _style("BoQ Number", border=_grid, number_format=MONEY, alignment=_top),
        _style("BoQ Input", border=_grid, number_format=MONEY, alignment=_top, protection=_unlocked,
               fill=PatternFill("solid", fgColor=INPUT_FILL), font=Font(color="1F3864", bold=True)),
        # a fixed sum's amount in a tender copy: written by the employer, locked, not for bidders to price
        _style("BoQ Fixed", border=_grid, number_format=MONEY, alignment=_top, fill=PatternFill("solid", fgColor=FIXED_FILL),
               font=Font(italic=True)),
        _style("BoQ Percent", border=_grid, number_format=PERCENT, alignment=_top),
        _style("BoQ Total Label", font=Font(bold=True), border=Border(top=_medium, bottom=_thin),
               alignment=Alignment(vertical="top", wrap_text=True, readingOrder=rtl)),
        _style("BoQ Total", font=Font(bold=True), number_format=MONEY, border=Border(top=_medium, bottom=_medium),
               alignment=_top),
        _style("BoQ Grand Total", font=Font(bold=True, size=12), number_format=MONEY, alignment=_top,
               border=Border(top=_medium, bottom=Side(style="double", color="1F3864"))),
        _style("BoQ Input Text", border=_grid, protection=_unlocked, fill=PatternFill("solid", fgColor=INPUT_FILL),
               alignment=Alignment(vertical="top", wrap_text=True, readingOrder=rtl)),
        _style("BoQ Hidden", font=Font(color="808080", size=8)),
    ]


# styles that wrap text -> how densely their text sets (estimator.export.xlsx_fit, for row heights)
WRAPPING = {"BoQ Label": BOLD, "BoQ Header": HEADER, "BoQ Section": BOLD, "BoQ Total Label": BOLD,
            "BoQ Text": 1.0, "BoQ Arabic": 1.0, "BoQ Unit": 1.0, "BoQ Input Text": 1.0}


def add_styles(wb: Workbook, lang: str) -> None:
    for style in named_styles(lang):
        wb.add_named_style(style)
