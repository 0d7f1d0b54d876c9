"""Word matching for searches: every word of a query must appear, as written or by its stem.

`tile` and `ceramic tile` find "Ceramic tiling"; `doors` finds "door"; Arabic words are matched
without their article and common suffixes (`البلاط` and `بلاطات` find "بلاط"), with alef, teh
marbuta and alef maksura forms unified and diacritics ignored. Stemming is deliberately light (a
few suffix rules, no dictionary) and applies to the query only: a query word matches a text
that contains it, or that has a word beginning with its stem (after an Arabic article or
conjunction). So `plast` still finds "plastering" while it is being typed, and a search over
thousands of rates or items costs about what a plain substring scan does.

`Haystack.of(*texts)` prepares a text once; `Query.of(text).matches(haystack)` tests it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_TASHKEEL = re.compile("[\u064b-\u0652\u0640]")  # harakat and tatweel
_ARABIC = re.compile("[\u0600-\u06ff]")
_FORMS = (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ة", "ه"), ("ى", "ي"))  # str.replace: str.translate is 30x slower
_EN_SUFFIXES = ("ations", "ation", "ings", "ing", "ers", "ies", "ied", "es", "ed", "er", "s", "e", "y")
_AR_PREFIXES = ("وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و")
_AR_SUFFIXES = ("ات", "ون", "ين", "ان", "يه", "ه", "ي")
_AR_WORD_START = "(?:" + "|".join(_AR_PREFIXES) + ")?"


def normalise(text: str) -> str:
    """Case-folded, Arabic letter forms unified and diacritics dropped."""
    text = text.casefold()
    if _ARABIC.search(text) is None:
        return text
    text = _TASHKEEL.sub("", text)
    for form, letter in _FORMS:
        text = text.replace(form, letter)
    return text


@functools.lru_cache(maxsize=4096)
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


@functools.lru_cache(maxsize=4096)
def _word_start(word: str) -> re.Pattern[str]:
    """A text word beginning with the stem of `word` (after an Arabic article or conjunction)."""
    root = re.escape(stem(word))
    return re.compile(rf"\b{_AR_WORD_START}{root}" if _ARABIC.search(word) else rf"\b{root}")


@dataclass(frozen=True, slots=True)
class Haystack:
    """A text prepared for matching (normalised once)."""

    text: str

    @classmethod
    def of(cls, *parts: str) -> Haystack:
        return cls(normalise(" ".join(p for p in parts if p)))


@dataclass(frozen=True, slots=True)
class Query:
    """A search: each word must be in the haystack, as written or as a word beginning with its stem."""

    terms: tuple[tuple[str, str, re.Pattern[str]], ...]  # (word, its stem, where a text word begins with it)

    @classmethod
    def of(cls, text: str) -> Query:
        return cls(tuple((w, stem(w), _word_start(w)) for w in normalise(text).split()))

    def __bool__(self) -> bool:
        return bool(self.terms)

    def matches(self, hay: Haystack) -> bool:
        text = hay.text  # substring tests first: they are far cheaper than the regular expression
        return all(word in text or (root in text and start.search(text) is not None) for word, root, start in self.terms)
