"""Amounts in words, English and Arabic, for the General Summary and the form of bid.

Words prevail over figures when a bid is corrected, so these must be exactly the printed total:
the integer part and the cents of the Decimal are spelled, nothing is rounded here (the amount is
already a printed, rounded figure).

Arabic follows the usual rules for counted nouns: 1 and 2 after the noun or as the dual
(دولار واحد، دولاران), 3-10 with the plural (ثلاثة دولارات), 11-99 with the accusative singular
(أحد عشر دولاراً), hundreds and round thousands with the genitive singular (مائة دولار); numbers
3-10 take the opposite gender of the noun (ثلاثة دولارات، ثلاث ليرات). Thousands, millions and
billions are masculine nouns counted by the same rules (ثلاثة آلاف، أحد عشر ألفاً).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = ("", "thousand", "million", "billion", "trillion")


@dataclass(frozen=True, slots=True)
class Noun:
    """A counted noun in its Arabic forms: singular, dual, plural, accusative singular."""

    singular: str
    dual: str
    plural: str
    accusative: str
    feminine: bool = False


# currency code -> (English unit singular, plural, subunit singular, plural)
CURRENCY_EN = {
    "USD": ("US dollar", "US dollars", "cent", "cents"),
    "EUR": ("euro", "euros", "cent", "cents"),
    "TRY": ("Turkish lira", "Turkish lira", "kuruş", "kuruş"),
    "SYP": ("Syrian pound", "Syrian pounds", "piastre", "piastres"),
}
CURRENCY_AR = {
    "USD": (Noun("دولار أمريكي", "دولاران أمريكيان", "دولارات أمريكية", "دولاراً أمريكياً"),
            Noun("سنت", "سنتان", "سنتات", "سنتاً")),
    "EUR": (Noun("يورو", "يوروان", "يوروات", "يورو"), Noun("سنت", "سنتان", "سنتات", "سنتاً")),
    "TRY": (Noun("ليرة تركية", "ليرتان تركيتان", "ليرات تركية", "ليرة تركية", True),
            Noun("قرش", "قرشان", "قروش", "قرشاً")),
    "SYP": (Noun("ليرة سورية", "ليرتان سوريتان", "ليرات سورية", "ليرة سورية", True),
            Noun("قرش", "قرشان", "قروش", "قرشاً")),
}


def _split(amount: Decimal) -> tuple[bool, int, int]:
    cents = int(abs(amount) * 100)
    return amount < 0, cents // 100, cents % 100


def number_en(n: int) -> str:
    if n == 0:
        return "zero"
    groups: list[str] = []
    scale = 0
    while n:
        n, group = divmod(n, 1000)
        if group:
            groups.append(f"{_hundreds_en(group)} {_SCALES[scale]}".strip())
        scale += 1
    return " ".join(reversed(groups))


def _hundreds_en(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    parts = [f"{_ONES[hundreds]} hundred"] if hundreds else []
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        parts.append(f"{_TENS[tens]}-{_ONES[ones]}" if ones else _TENS[tens])
    elif rest:
        parts.append(_ONES[rest])
    return " ".join(parts)


def amount_en(amount: Decimal, currency: str) -> str:
    """`Twelve thousand three hundred forty-five US dollars and sixty cents`."""
    negative, units, cents = _split(amount)
    one, many, sub_one, sub_many = CURRENCY_EN.get(currency, (currency, currency, "cent", "cents"))
    text = f"{number_en(units)} {one if units == 1 else many}"
    if cents:
        text += f" and {number_en(cents)} {sub_one if cents == 1 else sub_many}"
    text = ("minus " if negative else "") + text
    return text[0].upper() + text[1:]


_AR_ONES_M = ("", "واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة", "عشرة")
_AR_ONES_F = ("", "واحدة", "اثنتان", "ثلاث", "أربع", "خمس", "ست", "سبع", "ثماني", "تسع", "عشر")
_AR_TENS = ("", "عشرة", "عشرون", "ثلاثون", "أربعون", "خمسون", "ستون", "سبعون", "ثمانون", "تسعون")
_AR_HUNDREDS = ("", "مائة", "مائتان", "ثلاثمائة", "أربعمائة", "خمسمائة", "ستمائة", "سبعمائة", "ثمانمائة",
                "تسعمائة")
_AR_SCALES = (
    Noun("ألف", "ألفان", "آلاف", "ألفاً"),
    Noun("مليون", "مليونان", "ملايين", "مليوناً"),
    Noun("مليار", "ملياران", "مليارات", "ملياراً"),
    Noun("تريليون", "تريليونان", "تريليونات", "تريليوناً"),
)


def _group_ar(n: int, feminine: bool) -> str:
    """1..999 as counted before a noun of the given gender."""
    hundreds, rest = divmod(n, 100)
    parts = [_AR_HUNDREDS[hundreds]] if hundreds else []
    ones = _AR_ONES_F if feminine else _AR_ONES_M
    if 1 <= rest <= 10:
        parts.append(ones[rest])
    elif rest == 11:
        parts.append("إحدى عشرة" if feminine else "أحد عشر")
    elif rest == 12:
        parts.append("اثنتا عشرة" if feminine else "اثنا عشر")
    elif rest < 20 and rest:
        parts.append(f"{ones[rest - 10]} {'عشرة' if feminine else 'عشر'}")
    elif rest:
        tens, unit = divmod(rest, 10)
        first = "إحدى" if feminine and unit == 1 else ones[unit]
        parts.append(f"{first} و{_AR_TENS[tens]}" if unit else _AR_TENS[tens])
    return " و".join(parts)


def counted_ar(n: int, noun: Noun) -> str:
    """`n` followed (or replaced) by the noun in the form Arabic grammar asks for."""
    if n == 1:
        return f"{noun.singular} {'واحدة' if noun.feminine else 'واحد'}"
    if n == 2:
        return noun.dual
    rest = n % 100
    if n <= 10 or 3 <= rest <= 10:
        # 3-10 take the plural; the number takes the opposite gender of the noun's singular
        return f"{_number_ar(n, noun.feminine)} {noun.plural}"
    if 11 <= rest <= 99:
        return f"{_number_ar(n, noun.feminine)} {noun.accusative}"
    return f"{_number_ar(n, noun.feminine)} {noun.singular}"


def _number_ar(n: int, feminine: bool) -> str:
    """The number words alone (no noun), with scale words counted by the same rules.

    A scale word that ends the number stands in construct with the noun that follows:
    أحد عشر ألف دولار (not ألفاً)، مليونا دولار (not مليونان).
    """
    parts: list[str] = []
    for scale in range(len(_AR_SCALES), 0, -1):
        size = 1000**scale
        group, n = divmod(n, size)
        if group:
            noun = _AR_SCALES[scale - 1]
            if n == 0:
                noun = Noun(noun.singular, noun.dual.removesuffix("ن"), noun.plural, noun.singular)
            parts.append(counted_ar(group, noun).removesuffix(" واحد"))
    if n:
        parts.append(_group_ar(n, feminine))
    return " و".join(parts) if parts else "صفر"


def amount_ar(amount: Decimal, currency: str) -> str:
    """`فقط ... لا غير`, the form used on bids and invoices."""
    negative, units, cents = _split(amount)
    unit_noun, cent_noun = CURRENCY_AR.get(currency, (Noun(currency, currency, currency, currency),
                                                      Noun("سنت", "سنتان", "سنتات", "سنتاً")))
    parts = []
    if units or not cents:
        parts.append(counted_ar(units, unit_noun) if units else f"صفر {unit_noun.singular}")
    if cents:
        parts.append(counted_ar(cents, cent_noun))
    text = " و".join(parts)
    return f"فقط {'سالب ' if negative else ''}{text} لا غير"


def amount_in_words(amount: Decimal, currency: str, lang: str) -> str:
    return amount_ar(amount, currency) if lang == "ar" else amount_en(amount, currency)
