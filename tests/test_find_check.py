"""Searching (stems, several words, Arabic), find in a programme, the pre-export check, duplicates."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from estimator.check import EMPTY, NO_ARABIC, UNPRICED, ZERO_QUANTITY, check, summary
from estimator.duplicate import copy_bill, copy_facility, copy_name
from estimator.find import find
from estimator.model import Bill, Facility, Item, Programme
from estimator.rates import current_library
from estimator.sample import new_programme
from estimator.store import Project
from estimator.textmatch import Haystack, Query, stem


def codes(text: str) -> set[str]:
    return {r.code for r in current_library().book.search(text)}


def test_search_matches_word_stems_and_several_words() -> None:
    tiling = {"TL-010", "TL-020", "TL-030"}
    assert tiling <= codes("tile"), "tile finds tiling"
    assert tiling <= codes("tiles")
    assert {"TL-010", "TL-020"} <= codes("ceramic tile") and "TL-030" not in codes("ceramic tile")
    assert codes("plast") and codes("plast") == codes("plast")  # a word being typed still finds by substring
    assert "TL-010" in codes("TL-010")
    assert codes("ceramic no-such-word") == set()


def test_search_arabic_without_article_and_plural() -> None:
    assert "TL-010" in codes("سيراميك الجدران"), "the article is not part of the word"
    assert "DM-040" in codes("بلاطات")
    assert stem("الجدران") == stem("جدران") and Query.of("الجدران").matches(Haystack.of("بالجدران"))
    assert Query.of("مدرسة").matches(Haystack.of("المدرسه"))  # teh marbuta and heh are one letter here


def test_boq_rates_search_agrees_with_the_window() -> None:
    run = subprocess.run([sys.executable, "-m", "estimator", "rates", "search", "ceramic", "tile"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "TL-010" in run.stdout and "TL-030" not in run.stdout


def _programme() -> Programme:
    p = new_programme("Test")
    p.rates = current_library().book.closure(["TL-010"])
    bill = Bill("7 Tiling", "أعمال البلاط", [
        Item("Ceramic wall tiling", Decimal("12"), "m2", "7.1", "تبليط جدران", rate_code="TL-010"),
        Item("Unpriced thing", Decimal("3"), "m2", "7.2"),
        Item("Nothing measured", Decimal("0"), "m2", "7.3", "لا شيء", rate_code="TL-010"),
    ])
    p.facilities = [Facility("Harim Hospital", "Idlib", name_ar="مشفى حارم", bills=[bill, Bill("8 Empty")]),
                    Facility("Bare centre")]
    return p


def test_find_descriptions_codes_and_arabic() -> None:
    p = _programme()
    item = p.facilities[0].bills[0].items[0]
    assert [h.item_uid for h in find(p, "ceramic tile")] == [item.uid]
    assert item.uid in [h.item_uid for h in find(p, "TL-010")]
    assert item.uid in [h.item_uid for h in find(p, "جدران")]
    hit = find(p, "harim")[0]
    assert (hit.facility_uid, hit.bill_uid, hit.item_uid) == (p.facilities[0].uid, "", "")
    assert find(p, "   ") == [] and find(p, "zzzz") == []
    assert find(p, "tiling")[0].where.startswith("Harim Hospital › 7 Tiling")


def test_check_lists_what_to_fix_and_arabic_fallbacks() -> None:
    p = _programme()
    english = check(p, "en")
    assert [(f.kind, f.where) for f in english] == [
        (UNPRICED, "Harim Hospital › 7 Tiling › 7.2"),
        (ZERO_QUANTITY, "Harim Hospital › 7 Tiling › 7.3"),
        (EMPTY, "Harim Hospital › 8 Empty"),
        (EMPTY, "Bare centre"),
    ]
    arabic = [(f.kind, f.where) for f in check(p, "ar") if f.kind == NO_ARABIC]
    assert arabic == [
        (NO_ARABIC, "Harim Hospital › 7 Tiling › 7.2"),
        (NO_ARABIC, "Harim Hospital › 8 Empty"),
        (NO_ARABIC, "Bare centre"),
    ]
    assert summary(english) == "1 unpriced, 1 zero quantity, 2 empty"
    assert summary([]) == "nothing to check"


def test_boq_check_prints_the_list(tmp_path: Path) -> None:
    path = tmp_path / "t.boq"
    Project.create(path, _programme()).close()
    run = subprocess.run([sys.executable, "-m", "estimator", "check", str(path), "--lang", "ar"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1, run.stderr
    assert "unpriced: Harim Hospital › 7 Tiling › 7.2" in run.stdout
    assert "no Arabic: Bare centre: facility name has no Arabic" in run.stdout
    assert run.stdout.strip().endswith("1 unpriced, 1 zero quantity, 2 empty, 3 no Arabic")


def test_duplicates_share_nothing() -> None:
    p = _programme()
    fac = p.facilities[0]
    twin = copy_facility(fac)
    assert twin.name == "Harim Hospital (copy)" and twin.name_ar == fac.name_ar and twin.uid != fac.uid
    assert [b.name for b in twin.bills] == [b.name for b in fac.bills]
    ours, theirs = twin.bills[0].items, fac.bills[0].items
    assert [i.description for i in ours] == [i.description for i in theirs]
    assert not {i.uid for i in ours} & {i.uid for i in theirs}
    ours[0].quantity = Decimal("99")
    assert theirs[0].quantity == Decimal("12")
    bill = copy_bill(fac.bills[0], "9 Tiling (copy)", number=9)
    assert [i.ref for i in bill.items] == ["9.1", "9.2", "9.3"]
    assert copy_name("A", {"A", "A (copy)"}) == "A (copy 2)"
