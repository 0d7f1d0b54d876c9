"""Row heights for wrapped text, estimated from the text and the column width.

A spreadsheet file stores row heights; LibreOffice shows a row at the default height when the file
gives none, which cuts a wrapped description to its first line. So each row whose text wraps gets a
height from a greedy word wrap with a conservative number of characters per line (better a little
white space than a hidden word). Widths are in Excel's units (the width of a "0" in the 11-pt
default font). Measured in LibreOffice renders of the sample: Latin text fits about 1.13 characters
per unit (Carlito, metric-compatible with Excel's Calibri), Arabic about 1.2, bold a little less.
"""

from __future__ import annotations

LINE = 15.0  # points per line of 11-pt text, the default row height
PER_UNIT = 1.15  # characters per unit of column width, Latin or Arabic, with a small margin
BOLD = 0.95  # density of bold text relative to regular
HEADER = 0.8  # bold, centred, padded column headers (Arabic among them) wrap earliest


def lines(text: str, width: float, density: float = 1.0) -> int:
    """Number of lines `text` wraps to in a column `width` units wide (`density`: BOLD, HEADER)."""
    per_line = max(1, int(width * PER_UNIT * density))
    if len(text) <= per_line and "\n" not in text:  # most cells: one line, decided cheaply
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
