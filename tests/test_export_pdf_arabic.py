"""Arabic in the PDF tender pack, read back glyph by glyph with pdfplumber: letters joined (Arabic
presentation forms), right to left, wrapped lines in reading order, tables mirrored, the Arabic
font embedded, and the figures still adding up."""

from __future__ import annotations

import copy
import re
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from estimator.export.pdf import write_pdf
from estimator.export.pdf.layout import MARGIN_X, boq_columns
from estimator.export.pdf.textlines import shape, visual
from estimator.model import Item, Programme
from estimator.pricing import price

WORDS = ("أعمال", "توريد", "تركيب", "إزالة", "لياسة", "تبليط", "دهان", "بيتون", "مسلح", "شبكة", "مياه", "لوحة",
         "كهرباء", "عزل", "سطح", "جدران", "أبواب", "نوافذ", "حديد", "زجاج", "رخام", "خزان", "مضخة", "أنابيب")
LONG = " ".join(WORDS * 2)  # 48 distinct-in-order words: several lines in the description column
PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
UNSHAPED = re.compile("[\u0621-\u064a]")
NUMBER = re.compile(r"^[\d,]+\.\d\d$")


def seen(word: str) -> str:
    """How a purely Arabic word reads back from the page: shaped, in visual (left-to-right) order."""
    return shape(word)[::-1]


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory, _sample: Programme) -> Iterator[tuple[Programme, Any]]:
    programme = copy.deepcopy(_sample)
    programme.facilities = programme.facilities[:1]
    bill = programme.facilities[0].bills[1]
    first = bill.items[0]
    bill.items.insert(1, Item("Long item", Decimal("12.5"), first.unit, ref="2.99", description_ar=LONG,
                              rate_code=first.rate_code))
    bill.items.insert(2, Item("Brackets", Decimal("1"), first.unit, ref="2.98", description_ar="جسر (بيتون مسلح)",
                              rate_code=first.rate_code))
    out = tmp_path_factory.mktemp("arabic") / "ar.pdf"
    write_pdf(programme, out, lang="ar")
    pdf = pdfplumber.open(out)
    yield programme, pdf
    pdf.close()


def boq_pages(pdf: Any) -> list[Any]:
    """The pages titled "صفحة جدول الكميات b/p" (BoQ page b/p)."""
    title = visual(shape("صفحة جدول الكميات"))
    return [p for p in pdf.pages if title in p.extract_text()]


def test_arabic_is_shaped_into_joined_letter_forms(arabic: tuple[Programme, Any]) -> None:
    _, pdf = arabic
    for page in [pdf.pages[0], pdf.pages[2], *boq_pages(pdf)[:2]]:
        text = page.extract_text()
        assert len(PRESENTATION.findall(text)) > 50
        assert not UNSHAPED.search(text), "every Arabic letter is printed in its joined form"
    fonts = {c["fontname"] for c in boq_pages(pdf)[0].chars if PRESENTATION.match(c["text"])}
    assert fonts and all("Amiri" in f for f in fonts)  # the embedded Arabic font
    listing = subprocess.run(["pdffonts", str(pdf.stream.name)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Amiri-Regular\s+TrueType\s+\S+\s+yes", listing)


def test_words_read_right_to_left(arabic: tuple[Programme, Any]) -> None:
    _, pdf = arabic
    page = boq_pages(pdf)[0]
    shaped = shape("الكمية")
    chars = [c for c in page.chars if c["top"] < 200 and c["text"] in shaped]
    first = next(c for c in chars if c["text"] == shaped[0])  # alef, the first letter read
    last = next(c for c in chars if c["text"] == shaped[-1])  # teh marbuta, the last
    assert first["x0"] > last["x0"]


def test_brackets_face_the_right_way(arabic: tuple[Programme, Any]) -> None:
    _, pdf = arabic
    page = next(p for p in boq_pages(pdf) if any(w["text"] == "2.98" for w in p.extract_words()))
    top = next(w["top"] for w in page.extract_words() if w["text"] == "2.98")
    line = sorted((c for c in page.chars if abs(c["top"] - top) < 4 and c["text"] in "()"), key=lambda c: c["x0"])
    assert [c["text"] for c in line] == ["(", ")"]  # reads (بيتون مسلح) جسر on the page, not )...(


def test_table_columns_are_mirrored(arabic: tuple[Programme, Any]) -> None:
    _, pdf = arabic
    words = {w["text"]: w["x0"] for w in boq_pages(pdf)[0].extract_words() if w["top"] < 200}
    order = [words[seen(w)] for w in ("البند", "الأعمال", "الوحدة", "الكمية", "المبلغ")]
    assert order == sorted(order, reverse=True), "Item at the right, Amount at the left"


def test_wrapped_description_keeps_its_reading_order(arabic: tuple[Programme, Any]) -> None:
    _, pdf = arabic
    page = next(p for p in boq_pages(pdf) if any(w["text"] == "2.99" for w in p.extract_words()))
    x0, x1 = boq_columns("ar").span("desc", "desc")
    words = [w for w in page.extract_words() if x0 + MARGIN_X <= (w["x0"] + w["x1"]) / 2 <= x1 + MARGIN_X]
    start = next(w["top"] for w in page.extract_words() if w["text"] == "2.99")
    end = next(w["top"] for w in page.extract_words() if w["text"] == "2.98")  # the next row
    lines: dict[float, list[dict[str, Any]]] = {}
    for w in words:
        if start - 2 <= w["top"] < end - 2:
            lines.setdefault(round(w["top"]), []).append(w)
    assert len(lines) >= 3, "the long description wraps"
    read = []
    for top in sorted(lines):  # top line first; each line read from the right
        read += [w["text"][::-1] for w in sorted(lines[top], key=lambda w: -w["x0"])]
    assert read == [shape(w) for w in LONG.split()]


def test_arabic_pages_still_add_up(arabic: tuple[Programme, Any]) -> None:
    programme, pdf = arabic
    x0, x1 = boq_columns("ar").span("amount", "amount")
    bills = price(programme).facilities[0].bills
    collection = seen("خلاصة")
    checked = 0
    title = seen("الكميات")  # "صفحة جدول الكميات b/p": a short bill shares its page with the next bill
    for page in boq_pages(pdf):
        words = page.extract_words()
        starts = sorted(w["top"] for w in words if w["text"] == title)
        stops = sorted(w["top"] for w in words if w["text"] == collection)
        for start in starts:
            stop = min((t for t in stops if t > start), default=10_000)
            figures = [Decimal(w["text"].replace(",", "")) for w in words
                       if NUMBER.match(w["text"]) and start < w["top"] < stop
                       and x0 + MARGIN_X <= w["x0"] and w["x1"] <= x1 + MARGIN_X + 1]
            *amounts, carried = figures
            assert carried == sum(amounts, Decimal(0))
            checked += 1
    assert checked >= len(bills)


def test_bilingual_pack_has_both_languages_left_to_right(tmp_path: Path, sample_programme: Programme) -> None:
    programme = copy.deepcopy(sample_programme)
    programme.facilities = programme.facilities[:1]
    out = tmp_path / "both.pdf"
    write_pdf(programme, out, lang="both", priced=False)
    with pdfplumber.open(out) as pdf:
        page = boq_pages(pdf)[0]
        words = {w["text"]: w["x0"] for w in page.extract_words() if w["top"] < 200}
        assert words["Item"] < words["Description"] < words[seen("الأعمال")] < words["Amount"]
        item = programme.facilities[0].bills[0].items[0]
        text = page.extract_text()
        assert item.description.split()[0] in text
        assert seen(item.description_ar.split()[0]) in text
        footer = " ".join(w["text"] for w in page.extract_words() if w["top"] > 780)
        assert re.search(r"Page \d+ of \d+", footer) and seen("صفحة") in footer
