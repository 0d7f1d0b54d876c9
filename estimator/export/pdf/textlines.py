"""Measuring and wrapping text into lines, Latin and Arabic alike.

Arabic is shaped first (`arabic_reshaper`: each letter in its joined form, as presentation-form
code points the font has glyphs for), then wrapped in *logical* order by the measured width of the
shaped glyphs, and only then is each line reordered for display (`bidi.get_display`, right-to-left
base direction). Reordering a whole paragraph before wrapping would put its last words on the first
line; reordering per line keeps the reading order of a wrapped description right.
"""

from __future__ import annotations

import re
from functools import lru_cache

from arabic_reshaper import ArabicReshaper
from bidi import get_display
from bidi.mirror import MIRRORED
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


_LEVEL = re.compile(r"Level\(\s*(\d+)")
_MIRRORED = re.compile("[" + re.escape("".join(MIRRORED)) + "]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def is_arabic(text: str) -> bool:
    """Whether `text` has Arabic letters (and so needs the Arabic font and right-to-left order)."""
    return _ARABIC.search(text) is not None


def shape(text: str) -> str:
    """Joined letter forms in logical order.

    Letters join only within a word, so words are shaped one at a time through a cache: a BoQ
    repeats the same few hundred words thousands of times, and the reshaper is slow per call.
    """
    return " ".join([_shape_word(word) for word in text.split(" ")])


@lru_cache(maxsize=65536)
def _shape_word(word: str) -> str:
    return str(_RESHAPER.reshape(word)) if is_arabic(word) else word


def visual(line: str) -> str:
    """One line of shaped text reordered for drawing left to right (right-to-left base)."""
    if _MIRRORED.search(line):
        mirrored = _mirrored(line)
        if mirrored is not None:
            return mirrored
    return str(get_display(line, base_dir="R"))


def _mirrored(line: str) -> str | None:
    """The line reordered with right-to-left brackets mirrored, `(بيتون) كامل` not `)بيتون( كامل`.

    python-bidi's reordering (the Unicode algorithm, in Rust) does not mirror brackets; it does give
    the resolved embedding level of every byte when asked for its debug output. With those levels
    the line is reordered here (rule L2: reverse runs from the highest level down to the lowest odd
    level) and the characters at odd (right-to-left) levels are mirrored (rule L4). None if the
    levels cannot be read, and the caller falls back to the unmirrored order.
    """
    debug = str(get_display(line, base_dir="R", debug=True))
    section = debug.partition("levels:")[2].partition("paragraphs:")[0]
    by_byte = [int(n) for n in _LEVEL.findall(section)]
    if len(by_byte) != len(line.encode("utf-8")):
        return None
    levels, offset = [], 0
    for ch in line:
        levels.append(by_byte[offset])
        offset += len(ch.encode("utf-8"))
    order = list(range(len(line)))
    odd = [lv for lv in levels if lv % 2]
    for level in range(max(levels), min(odd, default=max(levels) + 1) - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] < level:
                i += 1
                continue
            j = i
            while j < len(order) and levels[order[j]] >= level:
                j += 1
            order[i:j] = order[i:j][::-1]
            i = j
    return "".join(MIRRORED.get(line[k], line[k]) if levels[k] % 2 else line[k] for k in order)


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
