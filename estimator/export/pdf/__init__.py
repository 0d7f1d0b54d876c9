"""The PDF tender pack: cover, tender texts, the BoQ per lot and bill, summaries, form of bid.

    write_pdf(programme, path, priced=True, lang="en", progress=None, workers=None)

Contents in order: cover; invitation to bid; instructions to bidders; bid data sheet; preamble and
method of measurement (the editable texts in templates/tender/); for every lot (facility) each
bill's BoQ pages, each ending with its page total carried to the bill's collection page, the
collection, and the lot summary; the General Summary (lots, subtotal, markups, grand total, total
in words); in a tender copy then the returnable forms (form of bid with one row per lot, bid
submission form, bid security form, declaration of eligibility and ethics, qualification form,
site-visit certificate). The front sections also hold the evaluation criteria, the conditions of
contract, the specification of each trade in the pack and the drawings list (docs/tender-pack.md).
Every page carries the tender reference and "Page x of y"; in a tender copy every BoQ, collection
and summary page carries a strip for the bidder's signature and stamp, while the engineer's
estimate (priced) says "Confidential" on every page and has no bidder's strips or forms.

Figures are those of `estimator.pricing` (Line.quantity, .rate, .amount, BillTotal.total, ...);
page totals are exact sums of the printed amounts. The file is written atomically. A large pack
is drawn by worker processes, a run of lots each, and joined (`parallel`, `join`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from estimator import programme_limits
from estimator.atomic import atomic_output
from estimator.errors import UserError
from estimator.export import LANGS, Progress
from estimator.export.pdf import fonts, parallel, texts
from estimator.export.pdf.boq import BoqBuilder
from estimator.export.pdf.document import Decorations, PackDocument, canvas_class
from estimator.export.pdf.layout import langs
from estimator.export.pdf.sections import Sections
from estimator.export.pdf.voice import Voice
from estimator.model import Programme
from estimator.pricing import Estimate, price, tender_copy

__all__ = ["write_pdf"]


def write_pdf(programme: Programme, path: Path | str, *, priced: bool = True, lang: str = "en",
              progress: Progress | None = None, workers: int | None = None) -> None:
    """Write the tender pack to `path`; `priced=False` leaves rates and amounts for bidders.

    `progress(done, total)` is called with the number of lots (facilities) drawn so far, and once
    more when the file is complete; it may raise `Cancelled`, and then nothing is written.
    `workers`: processes drawing the lots (`parallel`); default one per CPU for a large pack and
    none (everything in this process) for a small one; 0 draws everything in this process.
    """
    if lang not in LANGS:
        raise UserError(f"language {lang!r}: choose one of {', '.join(LANGS)}")
    programme = programme_limits.for_export(programme)
    estimate = price(programme)
    _check(programme, estimate, priced)
    if not priced:
        estimate = tender_copy(programme, estimate)
    lots = len(estimate.facilities)
    if progress is not None:
        progress(0, lots)
    fonts.register()
    count = parallel.plan_workers(programme, workers)
    if count:
        parallel.write_parallel(programme, estimate, path, priced=priced, lang=lang, progress=progress, workers=count,
                                front_and_tail=front_and_tail, lot_story=lot_story)
        if progress is not None:
            progress(lots, lots)
        return
    voice = Voice(lang, {code: texts.labels(code) for code in langs(lang)})
    story = build_story(programme, estimate, voice, priced)  # reads every template before writing
    with atomic_output(path) as tmp:
        doc = PackDocument(tmp, programme.name, programme.organisation, progress, lots)
        doc.build(story, canvasmaker=canvas_class(Decorations(programme, voice, priced)))
    if progress is not None:
        progress(lots, lots)


def _check(programme: Programme, estimate: Estimate, priced: bool) -> None:
    if not programme.item_count():
        raise UserError("the programme has no items; import a work list before exporting a tender pack")
    if priced and estimate.problems:
        shown = "\n  ".join(estimate.problems[:30])
        more = f"\n  ... and {len(estimate.problems) - 30} more" if len(estimate.problems) > 30 else ""
        raise UserError(f"cannot print a priced estimate: {len(estimate.problems)} item(s) cannot be priced "
                        f"(fix them, or export --unpriced):\n  {shown}{more}")


def build_story(programme: Programme, estimate: Estimate, voice: Voice, priced: bool) -> list[Any]:
    """Every flowable of the pack, in order."""
    front, tail = front_and_tail(programme, estimate, voice, priced)
    return [*front, *lot_story(estimate, voice, priced), *tail]


def front_and_tail(programme: Programme, estimate: Estimate, voice: Voice, priced: bool) -> tuple[list[Any], list[Any]]:
    """The flowables before the lots (cover and tender texts) and after them (General Summary, form of bid)."""
    from estimator.export.pack_facts import facts

    values = {code: texts.placeholders(programme, code, voice.labels[code]) for code in voice.codes}
    sections = Sections(programme, voice, values, priced, estimate, facts(programme))
    front: list[Any] = sections.cover()
    for name in texts.SECTIONS:
        front.extend(sections.section(name))
    tail: list[Any] = [*BoqBuilder(estimate, voice, priced).general_summary()]
    if not priced:  # the returnable forms are the bidders'; the engineer's estimate is nobody's bid
        for name in texts.FORMS:
            tail.extend(sections.section(name))
    return front, tail


def lot_story(estimate: Estimate, voice: Voice, priced: bool, first_lot: int = 1) -> list[Any]:
    """The pages of every lot of `estimate`, numbered from `first_lot`: one TablePage per page."""
    boq = BoqBuilder(estimate, voice, priced)
    story: list[Any] = []
    for lot, facility in enumerate(estimate.facilities, start=first_lot):
        story.extend(boq.facility_pages(lot, facility))
    return story
