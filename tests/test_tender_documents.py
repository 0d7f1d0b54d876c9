"""The documents of the tender pack (issue 16), read back from the real files: the PDF with pdftotext
(English) and pdfplumber (Arabic, shaped and right to left), the workbook with openpyxl.

Forms (one form-of-bid row per lot, each form in English and Arabic), the per-lot particulars and
submission arrangements, the preamble's clauses matching what is measured, specifications only for
the trades in the pack, estimating notes never printed, "Confidential" on the engineer's estimate
only, readable unique sheet tabs, and one source of words for both exports.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pdfplumber
import pytest

from estimator import particulars as P
from estimator.cli.main import main
from estimator.errors import UserError
from estimator.export.pack_facts import CONDITIONS, facts, measured
from estimator.export.pdf import texts, write_pdf
from estimator.export.pdf.sections import slug
from estimator.export.pdf.textlines import shape, visual
from estimator.export.xlsx import write_xlsx
from estimator.export.xlsx_layout import MAX_SHEET_NAME
from estimator.export.xlsx_text import text as xlsx_word
from estimator.model import Bill, Facility, Item, Programme
from estimator.rates import current_library
from estimator.store import Project, load

FORMS_EN = ("Form of bid", "Bid submission form", "Bid security form (bank guarantee)",
            "Declaration of eligibility and ethics", "Bidder's qualification form", "Site-visit certificate")
FORMS_AR = ("نموذج العرض", "نموذج تقديم العرض", "نموذج تأمين العرض (كفالة مصرفية)", "إقرار الأهلية والنزاهة",
            "نموذج تأهيل مقدم العرض", "شهادة زيارة الموقع")
NOTE = "supplier quote Z9Q7"  # an estimating note: must never reach a tender document


def pdf_pages(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return out.replace("\u00a0", " ").split("\f")[:-1]


def arabic_pages(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def seen(phrase: str) -> str:
    """An Arabic phrase as pdfplumber reads it back: shaped, in visual order."""
    return visual(shape(phrase))


def item(description: str, quantity: str, unit: str, rate: str = "10", **kw: object) -> Item:
    return Item(description, Decimal(quantity), unit, rate=Decimal(rate), rate_currency="USD", **kw)  # type: ignore[arg-type]


def small_programme(*bills: Bill) -> Programme:
    p = Programme("Clinics 2026", reference="T-16", organisation="Health NGO", issue_date=dt.date(2026, 11, 1))
    p.facilities = [Facility("Clinic A", bills=list(bills))]
    return p


@pytest.fixture(scope="module")
def sample(_sample: Programme) -> Programme:
    """The sample with particulars, submission arrangements, drawings, Arabic names and estimating notes."""
    p = copy.deepcopy(_sample)
    p.particulars = P.TenderParticulars(
        lot=dataclasses.replace(P.DEFAULT_LOT, bid_security=Decimal("1500"), liquidated_damages=Decimal("150")),
        max_lots_per_bidder=3, submission_address="NGO office, Sarmada", submission_email="tenders@example.org",
        site_visit=dt.date(2026, 11, 10), drawings=(P.Drawing("A-101", "Ground floor plan", "B"),))
    p.lot_overrides = {p.facilities[0].uid: P.LotParticulars(bid_security=Decimal("4000"), completion_days=180)}
    p.name_ar = "برنامج إعادة التأهيل"
    p.organisation_ar = "المنظمة الصحية"
    p.notes = NOTE
    for f in p.facilities:
        f.notes = NOTE
        for b in f.bills:
            for i in b.items:
                i.notes = NOTE
    return p


@pytest.fixture(scope="module")
def packs(sample: Programme, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("packs")
    out = {}
    for name, priced, lang in (("tender_en", False, "en"), ("tender_ar", False, "ar"), ("estimate_en", True, "en")):
        out[name] = folder / f"{name}.pdf"
        write_pdf(sample, out[name], priced=priced, lang=lang, workers=0)
    for name, priced in (("book_tender", False), ("book_estimate", True)):
        out[name] = folder / f"{name}.xlsx"
        write_xlsx(sample, out[name], priced=priced, lang="both")
    return out


def test_form_of_bid_has_one_row_per_lot_and_the_total(packs: dict[str, Path], sample: Programme) -> None:
    pages = pdf_pages(packs["tender_en"])
    start = next(i for i, t in enumerate(pages) if re.search(r"^\s*Form of bid\s*$", t, re.MULTILINE))
    text = "\n".join(pages[start:start + 3])
    table = text[text.index("Bid price in words"):text.index("Total of the lots bid for")]
    numbers = [int(m.group(1)) for m in re.finditer(r"^\s{0,6}(\d{1,3})\s{2,}\S", table, re.MULTILINE)]
    assert numbers == list(range(1, len(sample.facilities) + 1))
    for facility in sample.facilities:
        assert facility.name.split(" (")[0] in re.sub(r"\s+", " ", table)


def test_arabic_form_of_bid_names_every_lot_in_arabic(packs: dict[str, Path], sample: Programme) -> None:
    pages = arabic_pages(packs["tender_ar"])
    start = next(i for i, t in enumerate(pages) if seen("قيمة العرض كتابةً") in t)
    text = "\n".join(pages[start:start + 2])
    assert seen("مجموع الحصص المتقدَّم لها") in text
    for facility in sample.facilities[:5]:
        first_word = facility.name_ar.split()[0]
        assert seen(first_word) in text, facility.name_ar


def test_every_form_is_in_the_tender_in_english_and_arabic(packs: dict[str, Path]) -> None:
    english = "\n".join(pdf_pages(packs["tender_en"]))
    for title in FORMS_EN:
        assert re.search(rf"^\s*{re.escape(title)}\s*$", english, re.MULTILINE), title
    arabic = "\n".join(arabic_pages(packs["tender_ar"]))
    for title in FORMS_AR:
        assert seen(title) in arabic, title
    for phrase in ("counter-terrorism", "Conflict of interest", "Similar works completed", "Key staff proposed",
                   "Equipment available"):
        assert phrase in english, phrase
    for phrase in ("مكافحة الإرهاب", "تضارب المصالح", "الكوادر الرئيسية المقترحة"):
        assert seen(phrase) in arabic, phrase


def test_bid_security_is_a_fixed_amount_per_lot(packs: dict[str, Path]) -> None:
    text = "\n".join(pdf_pages(packs["tender_en"]))
    form = text[text.index("Bid security form (bank guarantee)"):]
    assert re.search(r"^\s*1\s+Al-Qaniya Hospital\s+4,000\.00\s+Four thousand US dollars", form, re.MULTILINE)
    assert re.search(r"^\s*2\s+Harbnush Health Centre\s+1,500\.00\s+One thousand five hundred US dollars", form,
                     re.MULTILINE)
    assert "% of the bid price" not in text


def test_particulars_and_submission_arrangements_are_printed(packs: dict[str, Path]) -> None:
    text = "\n".join(pdf_pages(packs["tender_en"]))
    sheet = text[text.index("Particulars of each lot"):text.index("Evaluation criteria\n")]
    assert re.search(r"^\s*1\s+Al-Qaniya Hospital\s+180\s+150\.00 \(max\. 10\s?%\)\s+365\s+5\s?% \(max\. 5\s?%\)\s+0\s?%\s+4,000\.00",
                     sheet, re.MULTILINE)
    assert re.search(r"^\s*2\s+Harbnush Health\s+120\s+150\.00.*1,500\.00$", sheet, re.MULTILINE)
    for phrase in ("NGO office, Sarmada", "tenders@example.org", "Two sealed envelopes", "10 November 2026",
                   "A-101", "Ground floor plan"):
        assert phrase in text, phrase
    evaluation = text[text.index("Evaluation criteria\n"):text.index("Conditions of contract")]
    assert "No bidder is awarded more than 3 lot(s)" in evaluation
    assert "left unpriced is not substantially responsive and is rejected" in evaluation
    assert "more than 20 % below the engineer's estimate" in evaluation
    assert "highest rate of the other" not in evaluation  # the rule not chosen is not printed


def test_estimating_notes_never_print(packs: dict[str, Path]) -> None:
    for name in ("tender_en", "estimate_en"):
        assert "Z9Q7" not in "\n".join(pdf_pages(packs[name])), name
    for name in ("book_tender", "book_estimate"):
        wb = openpyxl.load_workbook(packs[name])
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                assert not any("Z9Q7" in str(v) for v in row if v is not None), (name, ws.title)


def test_confidential_on_the_estimate_only_and_no_bidder_strips_there(packs: dict[str, Path]) -> None:
    estimate = pdf_pages(packs["estimate_en"])
    assert all("Confidential - engineer's estimate" in page for page in estimate)
    assert not any("Bidder's signature" in page or "Name of bidder" in page for page in estimate)
    tender = pdf_pages(packs["tender_en"])
    assert not any("Confidential" in page for page in tender)
    assert sum("Bidder's signature" in page for page in tender) > 20  # every BoQ, collection and summary page

    def words(path: Path) -> tuple[str, str]:
        wb = openpyxl.load_workbook(path)
        cells = " ".join(str(v) for ws in wb.worksheets if ws.title != "_tender"
                         for row in ws.iter_rows(values_only=True) for v in row if v is not None)
        headers = " ".join(f"{ws.oddHeader.right.text} {ws.oddFooter.right.text}" for ws in wb.worksheets)
        return cells, headers

    cells, headers = words(packs["book_estimate"])
    assert "Confidential - engineer's estimate" in cells and "Confidential" in headers
    assert "Bidder's signature" not in headers and xlsx_word("bidder", "en") not in cells
    cells, headers = words(packs["book_tender"])
    assert "Confidential" not in cells and "Confidential" not in headers


def test_sheet_tabs_carry_the_lot_number_and_are_unique(tmp_path: Path) -> None:
    long = "Women and Family Health Centre with a very long name"
    p = small_programme()
    p.facilities = [Facility(f"{long} ({town})", bills=[Bill("Works", items=[item("Paint", "1", "m2")])])
                    for town in ("Ariha", "Sharran", "Ariha")] + [Facility("Bad: name/with*chars?[x]",
                                                                           bills=[Bill("W", items=[item("P", "1", "m2")])])]
    path = tmp_path / "tabs.xlsx"
    write_xlsx(p, path, priced=False, lang="en")
    tabs = [n for n in openpyxl.load_workbook(path).sheetnames if n not in ("General Summary", "_tender")]
    assert len(tabs) == len({t.casefold() for t in tabs}) == 4
    for n, tab in enumerate(tabs, start=1):
        assert tab.startswith(f"Lot {n} ") and len(tab) <= MAX_SHEET_NAME and "(2)" not in tab
        assert not set(tab) & set("[]:*?/\\")


def test_workbook_words_are_the_pdf_labels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for lang in ("en", "ar"):
        assert xlsx_word("subtotal", lang) == texts.labels(lang).get("subtotal")
        assert xlsx_word("Contingency", lang) == (texts.labels(lang).table("markups").get("Contingency", "Contingency"))
    folder = tmp_path / "templates" / "tender" / "en"  # a user's own labels.toml changes both exports
    folder.mkdir(parents=True)
    bundled = (Path(texts.find("tender/en/labels.toml"))).read_text(encoding="utf-8")
    (folder / "labels.toml").write_text(bundled.replace('subtotal = "Subtotal of all lots"', 'subtotal = "Sum of lots"'),
                                        encoding="utf-8")
    monkeypatch.setenv("BOQ_DATA_DIR", str(tmp_path))
    assert xlsx_word("subtotal", "en") == "Sum of lots" == texts.labels("en").get("subtotal")


PREAMBLE_START, PREAMBLE_END = "Preamble to the bill of quantities", "\n  Totals\n"


def preamble(p: Programme, tmp_path: Path) -> str:
    path = tmp_path / "p.pdf"
    write_pdf(p, path, priced=False, lang="en", workers=0)
    text = "\n".join(pdf_pages(path))
    start = text.index(PREAMBLE_START)
    return re.sub(r"\s+", " ", text[start:text.index("Totals", start)])


def test_preamble_clauses_follow_what_is_measured(tmp_path: Path) -> None:
    plain = small_programme(Bill("Painting", items=[item("Emulsion paint to walls", "120", "m2")]))
    text = preamble(plain, tmp_path)
    assert "principles of measurement of the RICS New Rules of Measurement (NRM2)" in text  # the method is named
    assert "measured by the area of the finished surface" in text
    for absent in ("Excavation is measured separately", "Reinforcement is measured separately",
                   "the reinforcement is included in the rate", "Windows and glazing measured by m²",
                   "Demolition and removal include", "provisional quantity", "Provisional sums are"):
        assert absent not in text, absent

    full = small_programme(
        Bill("Demolition", items=[item("Demolition of damaged blockwork walls", "20", "m2"),
                                  item("Loading and removal of debris to an approved dump", "8", "m3")]),
        Bill("Earthworks", items=[item("Excavation in ordinary soil by machine", "30", "m3")]),
        Bill("Concrete", items=[item("Concrete C25 in columns (concrete only)", "5", "m3"),
                                item("Reinforcement steel bars, bent and fixed", "600", "kg")]),
        Bill("Windows", items=[item("Aluminium sliding window with 6 mm glass", "12", "m2", provisional=True)]),
        Bill("Sums", items=[item("Repairs to the generator", "1", "ls", kind="provisional sum")]))
    text = preamble(full, tmp_path)
    for present in ("Excavation is measured separately", "Reinforcement is measured separately by the calculated weight",
                    "Windows and glazing measured by m² are measured by the area of the opening",
                    "Demolition and removal include", "is measured separately by volume",
                    "Items marked \"provisional quantity\"", "Provisional sums are fixed amounts"):
        assert present in text, present
    assert "the reinforcement is included in the rate" not in text  # no concrete item includes it
    assert "include the disposal of the debris" not in text  # debris is an item of its own here


def test_measured_facts_read_english_and_arabic() -> None:
    found = measured([Item("", Decimal(1), "m3", description_ar="حفريات في تربة عادية بالآلة"),
                      Item("RC column complete (concrete, 120 kg/m3 steel, formwork)", Decimal(1), "m3"),
                      Item("uPVC window, double glazed", Decimal(2), "nr")])
    assert {"excavation", "concrete", "reinforcement_in_concrete", "windows_by_number"} <= found
    assert not found & {"reinforcement_by_weight", "windows_by_area", "demolition"}
    assert facts(small_programme()) <= CONDITIONS


def test_specifications_only_for_the_trades_in_the_pack(tmp_path: Path) -> None:
    book = current_library().book
    paint = next(code for code, rate in book.rates.items() if rate.trade == "Painting")
    p = small_programme(Bill("Painting", items=[Item("Emulsion paint", Decimal(50), "m2", rate_code=paint)]))
    p.rates = book
    path = tmp_path / "spec.pdf"
    write_pdf(p, path, priced=False, lang="en", workers=0)
    text = "\n".join(pdf_pages(path))
    specs = text[text.index("Technical specifications"):text.index("\nDrawings\n")]
    assert "1. Painting" in specs and "washable acrylic emulsion" in specs
    assert "Reinforced concrete" not in specs and "Excavation" not in specs


def test_every_trade_of_the_library_has_a_specification_in_both_languages() -> None:
    trades = {rate.trade for rate in current_library().book.rates.values()}
    for trade in trades:
        for lang in ("en", "ar"):
            blocks = texts.specification(slug(trade), lang, {})
            assert blocks and blocks[0].kind == "heading", (trade, lang)
        assert trade in texts.labels("ar").table("trades"), trade


def test_unknown_condition_names_file_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "templates" / "tender" / "en"
    folder.mkdir(parents=True)
    (folder / "04-preamble.md").write_text("# Preamble\n\n[[if excavation]] - fine\n[[if exacavation]] - typo\n",
                                           encoding="utf-8")
    monkeypatch.setenv("BOQ_DATA_DIR", str(tmp_path))
    with pytest.raises(UserError, match=r"04-preamble\.md, line 4: unknown condition \[\[if exacavation\]\]"):
        texts.section("04-preamble.md", "en", {})
    (folder / "04-preamble.md").write_text("# Preamble\n\n[[if excavation]] - fine\n[[if not excavation]] - not\n"
                                           "[[if excavation]] [[if concrete]] - both\n", encoding="utf-8")
    blocks = texts.section("04-preamble.md", "en", {}, frozenset({"excavation"}))
    assert [b.text for b in blocks] == ["Preamble", "fine"]


def test_short_bills_share_a_page_with_the_next(packs: dict[str, Path], sample: Programme) -> None:
    pages = pdf_pages(packs["tender_en"])
    shared = [re.findall(r"BoQ page (\d+)/(\d+)", page) for page in pages]
    shared = [ids for ids in shared if len(ids) > 1]
    assert shared, "no page carries two bills"
    bills = sample.facilities[0].bills
    first = next(ids for ids in shared)
    assert len(bills[int(first[0][0]) - 1].items) <= 3


def test_cli_sets_submission_arrangements_drawings_and_arabic_names(sample_file: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tender-info", str(sample_file), "--set", "submission_email=bids@ngo.org", "--set", "site_visit=2026-11-12",
                 "--set", "two_envelopes=no", "--set", "name_ar=برنامج", "--drawing", "A-101|Ground floor plan|B",
                 "--drawing", "A-101|Ground floor plan|C"]) == 0
    p = load(sample_file)
    assert p.particulars.submission_email == "bids@ngo.org" and p.particulars.site_visit == dt.date(2026, 11, 12)
    assert not p.particulars.two_envelopes and p.name_ar == "برنامج"
    assert p.particulars.drawings == (P.Drawing("A-101", "Ground floor plan", "C"),)  # same number: replaced
    capsys.readouterr()
    assert main(["tender-info", str(sample_file), "--set", "site_visit=12/11/2026"]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert main(["tender-info", str(sample_file), "--set", "colour=red"]) == 1
    assert "name_ar" in capsys.readouterr().err
    with Project.open(sample_file, readonly=True) as project:
        assert project.programme.particulars.site_visit == dt.date(2026, 11, 12)  # nothing changed by the mistakes


def test_check_flags_descriptions_that_read_like_estimating_notes(_sample: Programme) -> None:
    from estimator.check import ESTIMATING_NOTE, check

    assert not [f for f in check(_sample) if f.kind == ESTIMATING_NOTE]  # the sample keeps its notes in notes
    p = small_programme(Bill("Coolers", items=[item("Water cooler, 3 taps (supplier quote)", "2", "nr"),
                                               item("Water cooler", "2", "nr", description_ar="براد مياه حسب عرض المورد"),
                                               item("Water cooler", "2", "nr", notes="supplier quote")]))
    found = [f for f in check(p) if f.kind == ESTIMATING_NOTE]
    assert [f.item_uid for f in found] == [i.uid for i in p.facilities[0].bills[0].items[:2]]
    assert "move it to the notes" in found[0].message
