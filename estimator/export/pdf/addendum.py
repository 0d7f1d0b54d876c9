"""The addendum: what changed between two issued tender revisions, as a bilingual document.

    write_addendum(diff, number, path)

Contents: the addendum text in English and then in Arabic (`templates/tender/*/06-addendum.md`:
reference, number, date, the revision amended and the one now in force, "all other terms
unchanged", the signature block); the schedule of changes once, with bilingual headings, one row
per change of `estimator.revision_diff`; then the replacement BoQ pages (unpriced, with their
collections) of every bill that changed, numbered as in the later revision. It is made of the
tender pack's own pieces (sections, BoQ pages, header and footer with "Page x of y"), so it looks
like the pack it amends. The effect on the engineer's estimate is not printed: bidders do not see
the estimate (`boq tender diff` shows it to the engineer). Written atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.platypus import PageBreak

from estimator.atomic import atomic_output
from estimator.errors import UserError
from estimator.export.pdf import fonts, texts
from estimator.export.pdf.boq import BoqBuilder
from estimator.export.pdf.document import Decorations, PackDocument, canvas_class
from estimator.export.pdf.flowables import paragraph
from estimator.export.pdf.layout import FRAME_W, langs
from estimator.export.pdf.sections import Sections, _cell, _table
from estimator.export.pdf.voice import Voice
from estimator.revision_diff import Change, Diff

TEMPLATE = "06-addendum.md"
LANG = "both"
_KIND_LABELS = {"added": "change_added", "omitted": "change_omitted", "quantity": "change_quantity",
                "unit": "change_unit", "description": "change_description_kind", "lot moved": "change_lot_moved",
                "item type": "change_item_type", "fixed sum": "change_fixed_sum"}
_WIDTHS = (0.065, 0.22, 0.295, 0.14, 0.14, 0.14)


def write_addendum(diff: Diff, number: int, path: Path | str) -> None:
    if not diff.changes:
        raise UserError(f"revisions {diff.before.revision!r} and {diff.after.revision!r} do not differ in the bill of "
                        "quantities; there is nothing for an addendum to say")
    fonts.register()
    voice = Voice(LANG, {code: texts.labels(code) for code in langs(LANG)})
    story = build_story(diff, number, voice)
    after = diff.after
    with atomic_output(path) as tmp:
        doc = PackDocument(tmp, f"{after.name} - addendum {number}", after.organisation, None, 0)
        doc.build(story, canvasmaker=canvas_class(Decorations(after, voice, False)))


def build_story(diff: Diff, number: int, voice: Voice) -> list[Any]:
    before, after = diff.before, diff.after
    values = {}
    for code in voice.codes:
        words = voice.labels[code]
        values[code] = texts.placeholders(after, code, words) | {
            "number": str(number), "from_revision": before.revision, "from_date": words.date(before.issue_date)}
    sections = Sections(after, voice, values, priced=False)
    story: list[Any] = []
    for code in voice.codes:
        if story:
            story.append(PageBreak())
        story.extend(sections.render(texts.section(TEMPLATE, code, values[code]), code))
    story.append(PageBreak())
    story += [paragraph(t, 13, True, "left" if code == "en" else "right", space_after=4)
              for code, t in zip(voice.codes, voice.say("changes_heading"), strict=True)]
    story.append(changes_table(diff.changes, voice))
    story += [paragraph(t, 13, True, "left" if code == "en" else "right", space_before=10, space_after=4)
              for code, t in zip(voice.codes, voice.say("replacement_heading"), strict=True)]
    story += [paragraph(t, 9.5, False, "left" if code == "en" else "right")
              for code, t in zip(voice.codes, voice.say("replacement_note"), strict=True)]
    story.append(PageBreak())
    boq = BoqBuilder(diff.estimate_after, voice, priced=False)
    wanted = set(diff.changed_bills)
    for lot, ft in enumerate(diff.estimate_after.facilities, start=1):
        for bill_no, bt in enumerate(ft.bills, start=1):
            if bt.bill.uid in wanted:
                story.extend(boq.bill_section(lot, ft.facility, bill_no, bt))
    return story


def _both(voice: Voice, key: str, size: float = 8, bold: bool = False) -> list[Any]:
    return [_cell(t, size, bold, "right" if code == "ar" else "left")
            for code, t in zip(voice.codes, voice.say(key), strict=True)]


def changes_table(changes: list[Change], voice: Voice) -> Any:
    """One row per change; headings and the kind of change in both languages."""
    header = [_both(voice, key, 8, True) for key in ("change_no", "change_where", "change_description",
                                                      "change_kind", "change_was", "change_now")]
    rows: list[list[Any]] = [header]
    for n, c in enumerate(changes, start=1):
        where = " / ".join(part for part in (c.lot, c.bill, c.ref) if part)
        description = [_cell(c.description, 8)] + ([_cell(c.description_ar, 8, align="right")] if c.description_ar else [])
        rows.append([_cell(str(n), 8), _cell(where, 8), description, _both(voice, _KIND_LABELS[c.kind]),
                     _cell(c.old, 8), _cell(c.new, 8)])
    return _table(rows, [FRAME_W * w for w in _WIDTHS], True, False)
