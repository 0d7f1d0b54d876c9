"""Measuring and wrapping text into lines, Latin and Arabic alike.

Arabic is shaped first (`arabic_reshaper`: each letter in its joined form, as presentation-form
code points the font has glyphs for), then wrapped in *logical* order by the measured width of the
shaped glyphs, and only then is each line reordered for display (`bidi.get_display`, right-to-left
base direction). Reordering a whole paragraph before wrapping would put its last words on the first
line; reordering per line keeps the reading order of a wrapped description right.
"""

from __future__ import annotations

import re

from arabic_reshaper import ArabicReshaper
from bidi import get_display
from reportlab.pdfbase.pdfmetrics import stringWidth

# Harakat (short-vowel marks) are dropped: without OpenType positioning they would sit on the
# wrong letter. Only the ligatures every Arabic font has (lam-alef, Allah) are formed.
_RESHAPER = ArabicReshaper(configuration={"delete_harakat": True, "support_ligatures": True})
_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}


def width(text: str, font: str, size: float) -> float:
    """Width of `text` in points, cached per word (descriptions repeat the same words a lot)."""
    cache = _WIDTHS.setdefault((font, size), {})
    value = cache.get(text)
    if value is None:
        value = cache[text] = stringWidth(text, font, size)
    return value


_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def is_arabic(text: str) -> bool:
    """Whether `text` has Arabic letters (and so needs the Arabic font and right-to-left order)."""
    return _ARABIC.search(text) is not None


def shape(text: str) -> str:
    """Joined letter forms in logical order."""
    return str(_RESHAPER.reshape(text))


def visual(line: str) -> str:
    """One line of shaped text reordered for drawing left to right (right-to-left base)."""
    return str(get_display(line, base_dir="R"))


def wrap(text: str, font: str, size: float, limit: float) -> list[str]:
    """Greedy word wrap of `text` (already shaped, if Arabic) into lines no wider than `limit`.

    Explicit line breaks are kept; a word wider than the whole line is broken between letters.
    """
    lines: list[str] = []
    space = width(" ", font, size)
    for paragraph in text.splitlines():
        current: list[str] = []
        used = 0.0
        for word in paragraph.split():
            w = width(word, font, size)
            if w > limit:
                pieces = _break_word(word, font, size, limit)
                if current:
                    lines.append(" ".join(current))
                lines.extend(pieces[:-1])
                current, used = [pieces[-1]], width(pieces[-1], font, size)
                continue
            if current and used + space + w <= limit:
                current.append(word)
                used += space + w
            elif current:
                lines.append(" ".join(current))
                current, used = [word], w
            else:
                current, used = [word], w
        if current:
            lines.append(" ".join(current))
    return lines


def _break_word(word: str, font: str, size: float, limit: float) -> list[str]:
    pieces: list[str] = []
    start = 0
    for end in range(1, len(word) + 1):
        if end - start > 1 and stringWidth(word[start:end], font, size) > limit:
            pieces.append(word[start:end - 1])
            start = end - 1
    pieces.append(word[start:])
    return pieces


def wrap_rtl(text: str, font: str, size: float, limit: float) -> list[str]:
    """Arabic (or mixed) text as display lines: shape, wrap in logical order, reorder each line."""
    return [visual(line) for line in wrap(shape(text), font, size, limit)]


def one_line(text: str, rtl: bool) -> str:
    """A single label line ready to draw: shaped and reordered when it is right-to-left."""
    return visual(shape(text)) if rtl else text
