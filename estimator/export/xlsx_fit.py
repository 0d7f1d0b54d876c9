"""Row heights for wrapped text, estimated from the text and the column width.

A spreadsheet file stores row heights; LibreOffice shows a row at the default height when the file
gives none, which cuts a wrapped description to its first line. So each row whose text wraps gets a
height from a greedy word wrap with a conservative number of characters per line (better a little
white space than a hidden word). Widths are in Excel's units (the width of a "0" in the 11-pt
default font); proportional text fits about 1.13 characters per unit in LibreOffice (Carlito, metric-
compatible with Excel's Calibri), a little less in bold; the factors below keep a small margin.
"""

from __future__ import annotations

import re

LINE = 15.0  # points per line of 11-pt text, the default row height
PER_UNIT = 1.1
PER_UNIT_ARABIC = 1.05
PER_UNIT_BOLD = 1.05


_ARABIC = re.compile("[\u0600-\u06ff]")
_LEAST = min(PER_UNIT, PER_UNIT_ARABIC, PER_UNIT_BOLD)


def lines(text: str, width: float, bold: bool = False) -> int:
    """Number of lines `text` wraps to in a column `width` units wide."""
    if len(text) <= width * _LEAST and "\n" not in text:  # most cells: one line, decided cheaply
        return 1
    factor = PER_UNIT_ARABIC if _ARABIC.search(text) else PER_UNIT_BOLD if bold else PER_UNIT
    per_line = max(1, int(width * factor))
    if len(text) <= per_line and "\n" not in text:
        return 1
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        used = 0
        for word in paragraph.split():
            size = len(word)
            if used and used + 1 + size > per_line:
                count += 1
                used = 0
            used += size + (1 if used else 0)
            while used > per_line:  # a word longer than the line breaks anywhere
                count += 1
                used -= per_line
    return count


def height(*cells: tuple[str | None, float, bool]) -> float | None:
    """Row height for cells (text, column width, bold); None when one line is enough."""
    most = 1
    for text, width, bold in cells:
        if text:
            most = max(most, lines(text, width, bold))
    return None if most == 1 else most * LINE
