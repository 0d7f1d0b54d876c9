"""The words of the Excel BoQ in English and Arabic, read from the same files as the PDF's.

`text(key, lang)` gives one cell's text: English, Arabic, or for a bilingual workbook ("both") the
English line above the Arabic line. `pair(key, lang)` gives the texts of a row that has an English
and an Arabic description column: (English, Arabic) when bilingual, else (text, None).

The words live in `templates/tender/<lang>/labels.toml` (templates/README.md): the column titles,
totals, signature and markup names are the PDF's own labels (`SHARED`, `[markups]`), so the two
documents say the same thing; the words only the workbook uses are in its `[workbook]` table.
"""

from __future__ import annotations

from estimator.errors import UserError
from estimator.export.labels import Labels, labels

# workbook key -> the label of labels.toml it shares with the PDF tender pack
SHARED = {
    "item": "item", "description": "description", "unit": "unit", "quantity": "quantity", "rate": "rate",
    "amount": "amount", "revision": "revision", "date": "date", "bid_date": "date", "facility": "facility",
    "summary_sheet": "general_summary", "subtotal": "subtotal", "grand_total": "grand_total",
}
MARKUPS = ("Contingency", "Overheads & profit", "Tax")  # markup names, translated by labels.toml [markups]


def _word(words: Labels, key: str) -> str:
    if key in MARKUPS:
        return words.table("markups").get(key, key)
    if key in SHARED:
        return words.get(SHARED[key])
    value = words.table("workbook").get(key)
    if value is None:
        raise UserError(f"{words.path}: workbook label {key!r} is missing; add `{key} = \"...\"` under [workbook]")
    return value


def has(key: str) -> bool:
    """Whether `key` is a word of the workbook (markup names from elsewhere are printed as they are)."""
    return key in MARKUPS or key in SHARED or key in labels("en").table("workbook")


def words(key: str) -> tuple[str, str]:
    """(English, Arabic) of `key`."""
    return _word(labels("en"), key), _word(labels("ar"), key)


Value = str | tuple[str, str]  # a placeholder's value, or its (English, Arabic) values


def _fill(template: str, values: dict[str, Value], arabic: bool) -> str:
    if not values:
        return template
    return template.format(**{k: v if isinstance(v, str) else v[arabic] for k, v in values.items()})


def text(key: str, lang: str, **values: Value) -> str:
    english, arabic = words(key)
    if lang == "en":
        return _fill(english, values, False)
    if lang == "ar":
        return _fill(arabic, values, True)
    return f"{_fill(english, values, False)}\n{_fill(arabic, values, True)}"


def pair(key: str, lang: str, **values: Value) -> tuple[str, str | None]:
    english, arabic = words(key)
    if lang == "both":
        return _fill(english, values, False), _fill(arabic, values, True)
    return text(key, lang, **values), None
