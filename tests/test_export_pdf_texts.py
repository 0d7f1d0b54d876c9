"""The editable texts of the tender pack (templates, labels, placeholders), amounts in words and
line wrapping."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from estimator import paths
from estimator.errors import UserError
from estimator.export.pdf import fonts, texts
from estimator.export.pdf.textlines import width, wrap
from estimator.export.pdf.words import amount_ar, amount_en, number_en
from estimator.model import Programme


@pytest.mark.parametrize(("amount", "currency", "words"), [
    ("0.50", "USD", "Zero US dollars and fifty cents"),
    ("1", "USD", "One US dollar"),
    ("21.05", "TRY", "Twenty-one Turkish lira and five kuruş"),
    ("1234567.89", "USD",
     "One million two hundred thirty-four thousand five hundred sixty-seven US dollars and eighty-nine cents"),
    ("100000000", "SYP", "One hundred million Syrian pounds"),
])
def test_amounts_in_english_words(amount: str, currency: str, words: str) -> None:
    assert amount_en(Decimal(amount), currency) == words


@pytest.mark.parametrize(("amount", "currency", "words"), [
    ("1", "USD", "فقط دولار أمريكي واحد لا غير"),
    ("2", "USD", "فقط دولاران أمريكيان لا غير"),
    ("3", "TRY", "فقط ثلاث ليرات تركية لا غير"),
    ("11", "USD", "فقط أحد عشر دولاراً أمريكياً لا غير"),
    ("11000", "USD", "فقط أحد عشر ألف دولار أمريكي لا غير"),
    ("2000000", "SYP", "فقط مليونا ليرة سورية لا غير"),
    ("1234567.89", "USD", "فقط مليون ومائتان وأربعة وثلاثون ألفاً وخمسمائة وسبعة وستون دولاراً أمريكياً "
                          "وتسعة وثمانون سنتاً لا غير"),
    ("0.05", "USD", "فقط خمسة سنتات لا غير"),
])
def test_amounts_in_arabic_words(amount: str, currency: str, words: str) -> None:
    assert amount_ar(Decimal(amount), currency) == words


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_english_number_words_read_back(n: int) -> None:
    scales = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
    units = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
             "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
    tens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    small = {w: i for i, w in enumerate(units)} | {w: 10 * i for i, w in enumerate(tens, 2)}
    total = group = 0
    for word in number_en(n).replace("-", " ").split():
        if word == "hundred":
            group *= 100
        elif word in scales:
            total, group = total + group * scales[word], 0
        else:
            group += small[word]
    assert total + group == n


def test_every_bundled_template_fills_and_parses() -> None:
    programme = Programme("P", reference="R-1", organisation="Org", issue_date=dt.date(2026, 11, 1))
    for lang in ("en", "ar"):
        words = texts.labels(lang)
        values = texts.placeholders(programme, lang, words)
        assert values["deadline"] == words.date(dt.date(2026, 11, 22))
        for name in (*texts.SECTIONS, texts.FORM_OF_BID):
            blocks = texts.section(name, lang, values)
            assert blocks[0].kind == "title", (lang, name)
            assert not any("{" in b.text or "}" in b.text for b in blocks)
        assert texts.section(texts.FORM_OF_BID, lang, values)[-1].kind == "signature"


def test_the_readme_documents_every_placeholder() -> None:
    readme = (paths.templates_dir() / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `\{(\w+)\}`", readme, flags=re.MULTILINE))
    programme = Programme("P")
    assert documented == set(texts.placeholders(programme, "en", texts.labels("en")))


def test_unknown_placeholder_names_file_line_and_placeholder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user = tmp_path / "templates" / "tender" / "ar"
    user.mkdir(parents=True)
    (user / "01-invitation.md").write_text("# دعوة\n\nالموعد {deadline}\nالمبلغ {budget}\n", encoding="utf-8")
    monkeypatch.setenv("BOQ_DATA_DIR", str(tmp_path))
    values = texts.placeholders(Programme("P"), "ar", texts.labels("ar"))
    with pytest.raises(UserError) as err:
        texts.section("01-invitation.md", "ar", values)
    message = str(err.value)
    assert str(user / "01-invitation.md") in message and "line 4" in message and "{budget}" in message
    assert "{deadline}" in message  # the known ones are listed


@pytest.mark.parametrize(("line", "problem"), [("Price {", "Single '{'"), ("{0}", "unknown placeholder {0}"),
                                               ("{reference!r}", "unknown placeholder {reference!r}"),
                                               ("{issue_date:%Y}", "unknown placeholder {issue_date:%Y}")])
def test_malformed_placeholders_are_user_errors(line: str, problem: str) -> None:
    with pytest.raises(UserError, match=re.escape(problem)):
        texts.fill(f"ok\n{line}\n", {"reference": "R", "issue_date": "D"}, "x.md")
    assert texts.fill("{{literal}} {reference}", {"reference": "R"}, "x.md") == "{literal} R"


def test_missing_label_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "templates" / "tender" / "en"
    folder.mkdir(parents=True)
    (folder / "labels.toml").write_text('item = "Item"\n', encoding="utf-8")
    monkeypatch.setenv("BOQ_DATA_DIR", str(tmp_path))
    with pytest.raises(UserError, match=r"labels\.toml: label 'amount' is missing"):
        texts.labels("en").get("amount")
    (folder / "labels.toml").write_text('item = "Item\n', encoding="utf-8")
    with pytest.raises(UserError, match=r"labels\.toml: .*line 1"):
        texts.labels("en")


def test_template_markup_subset() -> None:
    blocks = texts.parse("# Title\n\nOne\nparagraph.\n\n- a bullet\n  that continues\n\n| Clause | Data |\n|---|---|\n"
                         "| A | 1 |\n| | |\n\n[[signature]]\n<!-- a note -->\n## Heading\n")
    assert [(b.kind, b.text) for b in blocks] == [("title", "Title"), ("para", "One paragraph."),
                                                  ("bullet", "a bullet that continues"), ("table", ""),
                                                  ("signature", ""), ("heading", "Heading")]
    assert blocks[3].header and blocks[3].rows == [["Clause", "Data"], ["A", "1"], ["", ""]]


@given(st.lists(st.text(alphabet="abcdefghij klmn", min_size=1, max_size=30), min_size=1, max_size=20),
       st.floats(min_value=20, max_value=300))
def test_wrapped_lines_fit_and_keep_every_word(words: list[str], limit: float) -> None:
    fonts.register()
    text = " ".join(words)
    lines = wrap(text, fonts.SANS, 8, limit)
    assert all(width(line, fonts.SANS, 8) <= limit + 0.01 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@given(st.text(alphabet="ابتجد abc 123()[]<>.,:-/", min_size=1, max_size=40))
def test_bracket_mirroring_keeps_the_unicode_order(text: str) -> None:
    """The reordering done here for lines with brackets is python-bidi's order, brackets aside."""
    from bidi import get_display

    from estimator.export.pdf.textlines import _mirrored, shape

    line = shape(text)
    mirrored = _mirrored(line)
    assert mirrored is not None
    plain = str(get_display(line, base_dir="R"))
    same = str.maketrans("()[]<>", "||||||")
    assert mirrored.translate(same) == plain.translate(same)


def test_right_to_left_brackets_are_mirrored() -> None:
    from estimator.export.pdf.textlines import shape, visual

    assert visual(shape("كامل (بيتون)")) == "(" + shape("بيتون")[::-1] + ") " + shape("كامل")[::-1]
    assert visual(shape("الحصة 3: Hospital (Idlib)")) == "Hospital (Idlib) :3 " + shape("الحصة")[::-1]


@given(st.text(alphabet="لا أإآبتثجحخدذرزسشصضطظعغفقكمنهويىةء ًُ abc12()\n", max_size=60))
def test_shaping_word_by_word_equals_shaping_the_whole_text(text: str) -> None:
    from estimator.export.pdf.textlines import _RESHAPER, shape

    assert shape(text) == _RESHAPER.reshape(text)
