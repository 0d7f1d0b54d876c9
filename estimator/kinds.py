"""What an item is in a tender (`Item.kind`), by name: the words work lists, the window and the
command line use for it, in English and Arabic, and the one parser of those words.

The kinds themselves and what they mean are in `estimator.model` (MEASURED, PROVISIONAL_SUM,
PC_SUM, PC_ATTENDANCE, DAYWORK); how each is priced is in `estimator.pricing`.
"""

from __future__ import annotations

from estimator.errors import UserError
from estimator.messages import Message
from estimator.model import DAYWORK, ITEM_KINDS, MEASURED, PC_ATTENDANCE, PC_SUM, PROVISIONAL_SUM

# kind -> (English label, Arabic label), as a work list's "Item type" column or the window shows it
LABELS: dict[str, tuple[str, str]] = {
    MEASURED: ("measured", "أعمال مقاسة"),
    PROVISIONAL_SUM: ("provisional sum", "مبلغ احتياطي"),
    PC_SUM: ("PC sum", "مبلغ تكلفة أولية"),
    PC_ATTENDANCE: ("profit and attendance", "ربح وإشراف"),
    DAYWORK: ("daywork", "أعمال يومية"),
}

# short marks beside a row number in the window
MARKS: dict[str, str] = {MEASURED: "", PROVISIONAL_SUM: "PS", PC_SUM: "PC", PC_ATTENDANCE: "P&A", DAYWORK: "DW"}

# other spellings found in work lists (compared case-insensitively, spaces collapsed)
_ALIASES: dict[str, str] = {
    "": MEASURED, "measured work": MEASURED, "m": MEASURED, "مقاس": MEASURED,
    "ps": PROVISIONAL_SUM, "provisional": PROVISIONAL_SUM, "p.s.": PROVISIONAL_SUM, "مبلغ احتياطي": PROVISIONAL_SUM,
    "pc": PC_SUM, "p.c. sum": PC_SUM, "prime cost": PC_SUM, "prime cost sum": PC_SUM, "pc sum": PC_SUM,
    "attendance": PC_ATTENDANCE, "p&a": PC_ATTENDANCE, "profit & attendance": PC_ATTENDANCE,
    "dayworks": DAYWORK, "dw": DAYWORK, "day work": DAYWORK, "day works": DAYWORK, "أعمال يومية": DAYWORK,
}


def label(kind: str, lang: str = "en") -> str:
    en, ar = LABELS.get(kind, (kind, kind))
    return ar if lang == "ar" else en


def parse_kind(text: str) -> str:
    """The kind a word names (`PS`, `provisional sum`, `daywork`, `مبلغ احتياطي`, ...), else UserError."""
    key = " ".join(str(text).casefold().split())
    if key in ITEM_KINDS:
        return key
    for kind, names in LABELS.items():
        if key in (names[0].casefold(), names[1]):
            return kind
    if key in _ALIASES:
        return _ALIASES[key]
    choices = ", ".join(en for en, _ in LABELS.values())
    raise UserError(Message("unknown_item_type", text=text, choices=choices))
