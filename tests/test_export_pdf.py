"""The PDF tender pack, written by the real `boq export` and read back with poppler's pdftotext.

Every check works on what is printed: each BoQ row against `estimator.pricing`, each page total
against the amounts on its page, each collection against its pages, each summary against
`boq price --json`, every description, and "Page x of y" on every page.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from defusedxml import ElementTree

from estimator.export.pdf.layout import MARGIN_X, boq_columns, list_columns
from estimator.model import FIXED_SUMS, Programme
from estimator.money import fmt
from estimator.pricing import Estimate, price
from estimator.store import Project

NS = "{http://www.w3.org/1999/xhtml}"
NUMBER = re.compile(r"^-?[\d,]+\.\d\d$")


@dataclass(frozen=True)
class Word:
    x0: float
    y0: float
    x1: float
    text: str

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Line:
    y: float
    words: list[Word] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def within(self, span: tuple[float, float]) -> list[Word]:
        return [w for w in self.words if span[0] + MARGIN_X <= w.centre <= span[1] + MARGIN_X]


def read_pages(pdf: Path) -> list[list[Line]]:
    """Each page as lines of words (top to bottom, left to right), from `pdftotext -bbox`."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    pages = []
    for page in ElementTree.fromstring(out).iter(f"{NS}page"):
        words = sorted((Word(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), w.text or "")
                        for w in page.iter(f"{NS}word")), key=lambda w: (w.y0, w.x0))
        lines: list[Line] = []
        for word in words:
            if not lines or word.y0 - lines[-1].y > 2.0:
                lines.append(Line(word.y0))
            lines[-1].words.append(word)
        for line in lines:
            line.words.sort(key=lambda w: w.x0)
        pages.append(lines)
    return pages


def money(word: Word) -> Decimal:
    assert NUMBER.match(word.text), f"not a printed amount: {word.text!r}"
    return Decimal(word.text.replace(",", ""))


def squash(text: str) -> str:
    return re.sub(r"[\s•]+", "", text)  # bullets sit a little lower than their line


def run_boq(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-m", "estimator", *args], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


@dataclass
class Pack:
    programme: Programme
    estimate: Estimate
    json: dict[str, object]
    pages: list[list[Line]]
    tender: list[list[Line]]  # the unpriced pack


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory, _sample: Programme) -> Pack:
    folder = tmp_path_factory.mktemp("pdfpack")
    programme = copy.deepcopy(_sample)
    boq = folder / "sample.boq"
    Project.create(boq, programme).close()
    env = {**os.environ, "BOQ_DATA_DIR": str(folder / "userdata")}
    run_boq("export", str(boq), "--pdf", str(folder / "estimate.pdf"), env=env)
    run_boq("export", str(boq), "--pdf", str(folder / "tender.pdf"), "--unpriced", env=env)
    totals = json.loads(run_boq("price", str(boq), "--json", env=env))
    return Pack(programme, price(programme), totals, read_pages(folder / "estimate.pdf"), read_pages(folder / "tender.pdf"))


BOQ = {k: boq_columns("en").span(k, k) for k in ("ref", "desc", "unit", "qty", "rate", "amount")}
LIST = {k: list_columns("en").span(k, k) for k in ("ref", "desc", "amount")}
PAGE_ID = re.compile(r"BoQ page (\d+)/(\d+)$")


@dataclass
class Sheet:
    """What one BoQ page says: its lot, bill and page, its rows and its carried total."""

    lot: int
    bill: int
    page: int
    rows: list[tuple[str, str, Decimal, Decimal, Decimal]] = field(default_factory=list)  # ref, desc, qty, rate, amt
    carried: Decimal | None = None


def boq_sheets(pages: list[list[Line]]) -> list[Sheet]:
    """Every BoQ page (a short bill shares its page with the next: one sheet per "BoQ page" title);
    a description that runs over a page is joined to its row on the page before."""
    sheets: list[Sheet] = []
    lot = 0
    desc: list[str] = []
    for lines in pages:
        sheet: Sheet | None = None
        holder: Sheet | None = None
        reading = False
        for line in lines:
            if m := re.match(r"Lot (\d+):", line.text):
                lot = int(m.group(1))
            if found := PAGE_ID.search(line.text):
                sheet = Sheet(lot, int(found.group(1)), int(found.group(2)))
                # a continuation at the top of the page belongs to the last row of the bill so far
                holder = next((s for s in reversed(sheets) if s.rows), sheet) if sheet.page > 1 else sheet
                reading = False
                continue
            if sheet is None or holder is None:
                continue
            if line.text.startswith("Item Description"):
                reading = True
                continue
            if not reading:
                continue
            if line.text.startswith("Page total carried to collection"):
                sheet.carried = money(line.within(BOQ["amount"])[0])
                sheets.append(sheet)
                sheet = None
                continue
            ref = line.within(BOQ["ref"])
            if ref and re.match(r"^\d+\.\d+$", ref[0].text):
                desc = []
                sheet.rows.append((ref[0].text, "", money(line.within(BOQ["qty"])[0]),
                                   money(line.within(BOQ["rate"])[0]), money(line.within(BOQ["amount"])[0])))
                holder = sheet
            desc.extend(w.text for w in line.within(BOQ["desc"]))
            if holder.rows:
                r = holder.rows[-1]
                holder.rows[-1] = (r[0], " ".join(desc), r[2], r[3], r[4])
    return sheets


def list_block(lines: list[Line], title: re.Pattern[str]) -> list[list[Line]]:
    """The lines of each list (collection, summary) whose title matches, up to its closing total."""
    blocks = []
    current: list[Line] | None = None
    for line in lines:
        if title.match(line.text):
            current = []
            blocks.append(current)
        elif current is not None:
            current.append(line)
    return blocks


def test_boq_rows_print_exactly_the_pricing_figures(pack: Pack) -> None:
    sheets = boq_sheets(pack.pages)
    printed = [row for s in sheets for row in s.rows]
    expected = [ln for f in pack.estimate.facilities for b in f.bills for ln in b.lines]
    assert len(printed) == len(expected) == pack.programme.item_count()
    for (ref, desc, qty, rate, amount), ln in zip(printed, expected, strict=True):
        assert (ref, qty, rate, amount) == (ln.item.ref, ln.quantity, ln.rate, ln.amount)
        assert squash(desc) == squash(ln.item.description), ref  # every description, whole, in its row


def test_every_page_total_is_the_sum_of_its_amounts(pack: Pack) -> None:
    sheets = boq_sheets(pack.pages)
    assert sheets
    for sheet in sheets:
        assert sheet.carried == sum((r[4] for r in sheet.rows), Decimal(0)), (sheet.lot, sheet.bill, sheet.page)


def test_collections_list_the_pages_and_equal_the_bill_totals(pack: Pack) -> None:
    carried: dict[tuple[int, int, int], Decimal] = {}
    for s in boq_sheets(pack.pages):
        assert s.carried is not None
        carried[(s.lot, s.bill, s.page)] = s.carried
    lot = 0
    seen = set()
    for lines in pack.pages:
        if lines and (m := re.match(r"Lot (\d+):", lines[1].text if len(lines) > 1 else "")):
            lot = int(m.group(1))
        for block in list_block(lines, re.compile(r"Collection of bill (\d+)")):
            for line in block:
                if m := re.match(r"(\d+)/(\d+) Total of page", line.text):
                    key = (lot, int(m.group(1)), int(m.group(2)))
                    assert money(line.within(LIST["amount"])[0]) == carried[key], key
                    seen.add(key)
                if m := re.match(r"Total of bill (\d+) carried to lot summary", line.text):
                    bill = pack.estimate.facilities[lot - 1].bills[int(m.group(1)) - 1]
                    assert money(line.within(LIST["amount"])[0]) == bill.total
                    pages = sum((v for (lt, b, _), v in carried.items() if (lt, b) == (lot, int(m.group(1)))), Decimal(0))
                    assert pages == bill.total
                    break
    assert seen == set(carried), "every BoQ page appears in its bill's collection"


def test_lot_summaries_and_general_summary_equal_boq_price_json(pack: Pack) -> None:
    facilities = pack.json["facilities"]
    assert isinstance(facilities, list)
    lot_totals: dict[int, Decimal] = {}
    bill_totals: dict[int, list[Decimal]] = defaultdict(list)
    general: dict[str, Decimal] = {}
    lots: list[Decimal] = []
    for lines in pack.pages:
        for block in list_block(lines, re.compile(r"Summary of lot (\d+)")):
            for line in block:
                if (m := re.match(r"Total of lot (\d+) carried to General Summary", line.text)):
                    lot_totals[int(m.group(1))] = money(line.within(LIST["amount"])[0])
                    break
                ref = line.within(LIST["ref"])
                if ref and ref[0].text.isdigit():
                    bill_totals[len(lot_totals) + 1].append(money(line.within(LIST["amount"])[0]))
        for block in list_block(lines, re.compile(r"General Summary$")):
            for line in block:
                amount = line.within(LIST["amount"])
                if re.match(r"Lot \d+ ", line.text):
                    lots.append(money(amount[0]))
                elif amount and NUMBER.match(amount[0].text):
                    general[" ".join(w.text for w in line.words if w not in amount)] = money(amount[0])
    assert [str(lot_totals[i + 1]) for i in range(len(facilities))] == [f["total"] for f in facilities]
    assert [[str(t) for t in bill_totals[i + 1]] for i in range(len(facilities))] == \
           [[b["total"] for b in f["bills"]] for f in facilities]
    assert [str(t) for t in lots] == [f["total"] for f in facilities]
    assert str(general.pop("Subtotal of all lots")) == pack.json["subtotal"]
    assert str(general.pop("Grand total")) == pack.json["grand_total"]
    markups = pack.json["markups"]
    assert isinstance(markups, list)
    assert {k: str(v) for k, v in general.items()} == \
           {f"{m['name']} ({m['percent']} % of subtotal)": m["amount"] for m in markups}


def test_grand_total_in_words(pack: Pack) -> None:
    from estimator.export.pdf.words import amount_en

    text = " ".join(line.text for lines in pack.pages for line in lines)
    words = amount_en(pack.estimate.grand_total, "USD")
    assert words.startswith("One million six hundred")  # the sample's grand total is 1.66 million
    assert squash(f"Grand total in words: {words}") in squash(text)


def test_every_page_is_numbered_and_carries_the_reference(pack: Pack) -> None:
    for pages in (pack.pages, pack.tender):
        total = len(pages)
        for number, lines in enumerate(pages, start=1):
            footer = " ".join(line.text for line in lines[-3:])
            assert f"Page {number} of {total}" in footer
            assert f"Ref. {pack.programme.reference}" in footer
            assert f"Ref. {pack.programme.reference}" in lines[0].text  # the header too


def test_contents_are_in_order(pack: Pack) -> None:
    firsts = [" ".join(line.text for line in lines[1:3]) for lines in pack.pages]

    def first(pattern: str) -> int:
        return next(i for i, text in enumerate(firsts) if re.search(pattern, text))

    order = [first(p) for p in (r"Invitation to bid", r"Instructions to bidders", r"Bid data sheet",
                                r"Evaluation criteria", r"Conditions of contract", r"Technical specifications",
                                r"Drawings", r"Preamble to the bill", r"Lot 1: .*Bill 1:", r"Summary of lot 1:",
                                r"Lot 2: .*Bill 1:", r"General Summary")]
    assert order == sorted(order)
    assert not any("Form of bid" in text for text in firsts)  # the engineer's estimate is nobody's bid
    tender = [" ".join(line.text for line in lines[1:3]) for lines in pack.tender]
    forms = [next(i for i, text in enumerate(tender) if re.search(p, text))
             for p in (r"General Summary", r"Form of bid", r"Bid submission form", r"Bid security form",
                       r"Declaration of eligibility and ethics", r"Bidder's qualification form", r"Site-visit certificate")]
    assert forms == sorted(forms) and forms[-1] >= len(tender) - 2
    cover = " ".join(line.text for line in pack.pages[0])
    for text in ("Engineer's estimate", "Confidential - engineer's estimate", pack.programme.reference,
                 "1 November 2026", "22 November 2026", "US dollars (USD)"):
        assert squash(text) in squash(cover)
    for facility in pack.programme.facilities:  # the list of lots (long names wrap in their cell)
        assert set(facility.name.split()) <= set(cover.split()), facility.name
    tender_cover = " ".join(line.text for line in pack.tender[0])
    assert "Tender documents" in tender_cover and "Confidential" not in tender_cover


def test_instructions_state_the_correction_rules_and_currency(pack: Pack) -> None:
    text = squash(" ".join(line.text for lines in pack.pages[1:8] for line in lines))
    for phrase in ("the unit rate prevails and the amount is corrected", "the amount in words prevails",
                   "All rates and amounts shall be in US dollars (USD) only", "Bid currency",
                   f"{pack.programme.validity_days} days after the deadline"):
        assert squash(phrase) in text, phrase


def test_unpriced_pack_leaves_rates_and_amounts_blank(pack: Pack) -> None:
    """Bidders price everything but the provisional and prime cost sums, printed with their amounts;
    a total is printed only when it is made of such sums alone (a bill of provisional sums)."""
    rows = fixed = 0
    for lines in pack.tender:
        if not any(PAGE_ID.search(line.text) for line in lines[:4]):
            continue
        only_fixed = True
        for line in lines[3:-3]:
            ref = line.within(BOQ["ref"])
            if ref and re.match(r"^\d+\.\d+$", ref[0].text):
                rows += 1
                assert NUMBER.match(line.within(BOQ["qty"])[0].text)
                if re.search(r"(Provisional|Prime cost) sum for", line.text):  # the sample's fixed sums
                    fixed += 1
                    rate, amount = line.within(BOQ["rate"]), line.within(BOQ["amount"])
                    assert rate and amount and rate[0].text == amount[0].text, line.text  # 1 LS at its amount
                    continue
                only_fixed = False
                assert not line.within(BOQ["rate"]) and not line.within(BOQ["amount"]), line.text
            if line.text.startswith("Page total carried"):
                assert bool(line.within(BOQ["amount"])) == only_fixed, line.text
                only_fixed = True  # a short bill shares its page with the next: each grid has its own total
    assert rows == pack.programme.item_count()
    assert fixed == sum(1 for f in pack.programme.facilities for i in f.items() if i.kind in FIXED_SUMS)
    known = {fmt(bt.total) for ft in pack.estimate.facilities for bt in ft.bills
             if all(ln.item.kind in FIXED_SUMS for ln in bt.lines)}
    summary = [line for lines in pack.tender for line in lines]
    printed = {ln.words[-1].text for ln in summary if NUMBER.match(ln.words[-1].text)
               and ln.words[-1].centre > LIST["amount"][0] + MARGIN_X and "Total" in ln.text}
    assert printed and printed <= known, "only totals of fixed sums are printed in the tender version"
    assert not any("Contingency" in ln.text for ln in summary)  # the employer's, never the bidder's
