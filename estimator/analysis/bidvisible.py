"""Does a cell show what it holds? Number formats and fonts that make a bid print one figure and hold another.

A bidder can give a rate cell the custom number format `"100"` (it shows 100 whatever it holds),
`;;;` (it shows nothing), `0,` (it shows thousands), `0%` (a hundred times the value), a date, a
condition (`[>5]"5"`), fewer decimals than the value has, or a white or tiny font. The evaluation
uses the value; `Visibility(cell_formats).problem(cell)` says, for one cell, how what it shows
differs from what it holds (None when it shows its value), so the evaluator is told.

A number format is read section by section (positive; negative; zero; text). The positive and the
negative sections may hold only digit placeholders (`0 # ?`), a thousands separator that does not
scale, one decimal point, colours, currency or locale tags without digits, padding (`_x`, `*x`),
and literal text without digits; the zero section may be any text without digits ("-" for zero).
"""

from __future__ import annotations

import re
from decimal import Decimal

from estimator.analysis.xlsxscan import Cell, CellFormat, cell_style
from estimator.money import fmt, round_places

_COLOUR = re.compile(r"\[(?:black|blue|cyan|green|magenta|red|white|yellow|colou?r\s*\d{1,2})\]", re.IGNORECASE)
_CURRENCY = re.compile(r"\[\$[^\]\-0-9]*(?:-[0-9A-Fa-f]{1,8})?\]")  # [$USD], [$-409], [$€-2]
_PADDING = re.compile(r"[_*].")  # `_)` leaves a bracket's width; `* ` repeats a space to fill
_QUOTED = re.compile(r'"([^"]*)"|\\(.)')
_PLACEHOLDERS = re.compile(r"[#0?]+(?:,[#0?]+)*(?:\.[#0?]*)?|\.[#0?]+")
_SCALING = re.compile(r"[#0?.],+(?![#0?])")
_LITERAL_OK = re.compile(r"[^0-9A-Za-z%@\[\]]*")  # what may stand beside the digits: $ - ( ) space, symbols
INVISIBLE_SIZE = 4.0  # points: smaller type cannot be read on paper
WHITE = {"FFFFFF", "theme:0"}  # theme colour 0 is the background (white in every built-in theme)


def _section(section: str, zero: bool) -> int | bool | None:
    """Decimals a section shows (None: as many as the value has); False if it hides or alters the value."""
    s = _PADDING.sub("", _CURRENCY.sub("", _COLOUR.sub("", section)))
    literals = [a or b for a, b in _QUOTED.findall(s)]
    if any(ch.isdigit() for text in literals for ch in text):
        return False  # a literal digit: "100"
    s = _QUOTED.sub(" ", s)
    if zero:
        return 0 if _LITERAL_OK.fullmatch(_PLACEHOLDERS.sub("", s)) else False
    if _SCALING.search(s):
        return False  # a comma after the digits divides by a thousand
    found = _PLACEHOLDERS.findall(s)
    if len(found) != 1 or not _LITERAL_OK.fullmatch(_PLACEHOLDERS.sub("", s)):
        return False  # no digits (`;;;`), two numbers, %, E+, dates, conditions, `@`
    digits = found[0]
    return len(digits.split(".", 1)[1]) if "." in digits else 0


def format_shows(code: str) -> tuple[int | None, int | None] | None:
    """(decimals shown for positive, for negative values) of a number format; None if it does not
    show the value (see the module docstring). "General" and "@" show the value as it is."""
    if code.strip().lower() in ("general", "", "@"):
        return None, None
    sections = code.split(";") if '"' not in code and "\\" not in code else _split(code)
    if len(sections) > 4 or not sections[0].strip():
        return None  # `;;;`, or an empty positive section: nothing is shown
    positive = _section(sections[0], False)
    negative = _section(sections[1], False) if len(sections) > 1 and sections[1].strip() else positive
    zero_ok = len(sections) < 3 or _section(sections[2], True) is not False
    if positive is False or negative is False or not zero_ok:
        return None
    return positive, negative


def _split(code: str) -> list[str]:
    """Sections split at `;` outside quotes and escapes."""
    sections: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for ch in code:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif ch == ";" and not quoted:
            sections.append("".join(current))
            current = []
            continue
        current.append(ch)
    sections.append("".join(current))
    return sections


class Visibility:
    """Judges cells of one workbook against its cell formats (cached per style index)."""

    def __init__(self, formats: list[CellFormat]) -> None:
        self.formats = formats
        self._shows: dict[int, tuple[int | None, int | None] | None] = {}
        self._hidden_font: dict[int, str] = {}

    def clean(self) -> dict[bytes, Decimal | None]:
        """The style indexes whose cells show their values whatever they hold, each with 10 ** the
        decimals it shows of a positive value (None: all of them), for a quick check of a typed rate:
        `(value * scale) % 1` is 0 when the value has no more decimals than are shown."""
        found: dict[bytes, Decimal | None] = {}
        for i, f in enumerate(self.formats):
            shows = format_shows(f.number_format)
            if shows is not None and not _hidden_font(f):
                found[str(i).encode()] = None if shows[0] is None or shows[0] > 15 else Decimal(10) ** shows[0]
        if b"0" in found:
            found[b""] = found[b"0"]  # a cell without a style has the first format
        return found

    def problem(self, cell: Cell, decimals: bool = False) -> str | None:
        """How what `cell` shows differs from what it holds, or None. With `decimals`, a value with
        more decimals than its format shows is such a difference too (for the figures a bidder types:
        a rate of 12.345 printed as 12.35; a computed amount's hidden decimals are no news)."""
        style = cell_style(cell.style)
        if style >= len(self.formats):
            return None  # no such format: the spreadsheet shows it in General
        if style not in self._shows:
            fmt_ = self.formats[style]
            self._shows[style] = format_shows(fmt_.number_format)
            self._hidden_font[style] = _hidden_font(fmt_)
        value = cell.value
        if self._hidden_font[style] and value not in (None, ""):
            return f"{_show(value)} is written {self._hidden_font[style]}, so it cannot be seen or printed"
        if not isinstance(value, Decimal):
            return None
        shows = self._shows[style]
        if shows is None:
            code = self.formats[style].number_format
            return f"holds {_show(value)} but its number format {code!r} shows something else"
        places = shows[0] if value >= 0 else shows[1]
        if decimals and places is not None and value.as_tuple().exponent < -places:  # type: ignore[operator]
            shown = round_places(value, places)
            if shown != value:
                return f"holds {_show(value)} but shows {fmt(shown, places)} (its format has {places} decimals)"
        return None


def _hidden_font(f: CellFormat) -> str:
    if f.font_size is not None and f.font_size < INVISIBLE_SIZE:
        return f"in {f.font_size:g}-point type"
    colour = f.font_colour
    if colour and (colour == f.fill_colour or (colour in WHITE and f.fill_colour in ("", "FFFFFF", "theme:0"))):
        return "in the colour of its background"
    return ""


def _show(value: object) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:29] + "…"
