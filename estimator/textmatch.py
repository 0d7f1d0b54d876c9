"""Word matching for searches: every word of a query must appear, by substring or by word stem.

`tile` and `ceramic tile` find "Ceramic tiling"; `doors` finds "door"; Arabic words are matched
without their article and common suffixes (`البلاط` finds "بلاط"), with alef, teh marbuta and
alef maksura forms unified and diacritics ignored. Stemming is deliberately light (a few suffix
rules, no dictionary): a query stem matches a text stem it begins, so `plast` still finds
"plastering" while it is being typed.

`Haystack(text)` prepares a text once (searches scan thousands of rates per keystroke);
`Query(text).matches(haystack)` tests it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_WORD = re.compile(r"[\w\u0600-\u06ff]+")
_TASHKEEL = re.compile("[\u064b-\u0652\u0640]")  # harakat and tatweel
_ARABIC = re.compile("[\u0600-\u06ff]")
_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي"})
_EN_SUFFIXES = ("ations", "ation", "ings", "ing", "ers", "ies", "ied", "es", "ed", "er", "s", "e", "y")
_AR_PREFIXES = ("وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و")
_AR_SUFFIXES = ("ات", "ون", "ين", "ان", "يه", "ه", "ي")


def normalise(text: str) -> str:
    """Case-folded, Arabic letter forms unified and diacritics dropped."""
    text = text.casefold()
    if _ARABIC.search(text) is None:
        return text
    return _TASHKEEL.sub("", text).translate(_ALEF)


@functools.lru_cache(maxsize=65536)  # the same few thousand words recur across a library
def stem(word: str) -> str:
    """A light stem of one normalised word (English or Arabic); short words are left alone."""
    if _ARABIC.search(word):
        for prefix in _AR_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                word = word[len(prefix):]
                break
        for suffix in _AR_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                return word[: -len(suffix)]
        return word
    for suffix in _EN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


@dataclass(frozen=True, slots=True)
class Haystack:
    """A text prepared for matching: its normalised form, and the stems of its words each with a
    space before it (" til ceramic wall"), so "a word begins with this stem" is one substring test."""

    text: str
    stems: str

    @classmethod
    def of(cls, *parts: str) -> Haystack:
        text = normalise(" ".join(p for p in parts if p))
        return cls(text, "".join(f" {s}" for s in sorted({stem(w) for w in _WORD.findall(text)})))


@dataclass(frozen=True, slots=True)
class Query:
    """A search: each word must be found in the haystack, as a substring or by its stem."""

    terms: tuple[tuple[str, str], ...]  # (normalised word, " " + its stem)

    @classmethod
    def of(cls, text: str) -> Query:
        return cls(tuple((w, f" {stem(w)}") for w in normalise(text).split()))

    def __bool__(self) -> bool:
        return bool(self.terms)

    def matches(self, hay: Haystack) -> bool:
        return all(word in hay.text or root in hay.stems for word, root in self.terms)
