"""The embedded fonts: Noto Sans for Latin text and figures, Amiri for Arabic (SIL OFL 1.1).

The font files live in `templates/fonts/` with their licences; they are registered with reportlab
once per process and embedded (subset) in every PDF, so the pack prints the same on any computer.
Amiri also has Latin letters and digits, so an Arabic line with `C25` or `20 mm` in it needs no
second font.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from estimator import paths
from estimator.errors import UserError

SANS = "BoqSans"
SANS_BOLD = "BoqSans-Bold"
ARABIC = "BoqArabic"
ARABIC_BOLD = "BoqArabic-Bold"

FILES = {
    SANS: "NotoSans-Regular.ttf",
    SANS_BOLD: "NotoSans-Bold.ttf",
    ARABIC: "Amiri-Regular.ttf",
    ARABIC_BOLD: "Amiri-Bold.ttf",
}

# Distance from the top of a line box to the baseline, as a fraction of the font size; Amiri's
# tall ascenders and stacked dots need a little more room than Noto Sans.
BASELINE = {SANS: 0.86, SANS_BOLD: 0.86, ARABIC: 0.92, ARABIC_BOLD: 0.92}
# Line spacing as a multiple of the font size.
LEADING = {SANS: 1.22, SANS_BOLD: 1.22, ARABIC: 1.32, ARABIC_BOLD: 1.32}


@lru_cache(maxsize=1)
def register() -> None:
    """Register the four fonts with reportlab (once per process)."""
    folder = paths.templates_dir() / "fonts"
    for name, filename in FILES.items():
        path = folder / filename
        if not path.is_file():
            raise UserError(f"font file {path} is missing; the PDF needs it (reinstall BoQ Estimator)")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=SANS_BOLD, italic=SANS, boldItalic=SANS_BOLD)
    pdfmetrics.registerFontFamily(ARABIC, normal=ARABIC, bold=ARABIC_BOLD, italic=ARABIC, boldItalic=ARABIC_BOLD)
