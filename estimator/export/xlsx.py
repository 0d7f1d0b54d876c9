"""The Excel BoQ: a priced estimate for engineers, or the tender copy bidders fill in and return.

`write_xlsx(programme, path, priced=True, lang="en", progress=None)` writes a General Summary, one
sheet per facility with its bills, and a hidden `_tender` sheet; the layout (what `boq bids` reads
back) is documented in `estimator.export.xlsx_layout`. Amounts and totals are formulas that follow
the pricing rule, on top of quantities and rates written exactly as `estimator.pricing` prints them,
so Excel or LibreOffice recalculating the file arrives at `boq price` to the cent.

The workbook is streamed (openpyxl write-only mode) to a temporary file beside `path` and renamed
into place only when complete (`estimator.atomic`): a failed or cancelled export leaves nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.workbook.protection import WorkbookProtection

from estimator import limits, programme_limits
from estimator.atomic import atomic_output
from estimator.errors import UserError
from estimator.export import LANGS, Progress
from estimator.export.xlsx_layout import FACILITY_HEADER, FORMAT, TENDER_SHEET, fingerprint, letters, lot_sheet_names
from estimator.export.xlsx_sheets import Context, write_facility, write_summary
from estimator.export.xlsx_stream import SheetStream, discard
from estimator.export.xlsx_styles import add_styles
from estimator.export.xlsx_text import text
from estimator.model import Programme
from estimator.pricing import Estimate, FacilityTotal, price, tender_copy


def write_xlsx(programme: Programme, path: Path | str, *, priced: bool = True, lang: str = "en",
               progress: Progress | None = None) -> None:
    """Write the BoQ workbook to `path` atomically.

    `progress(done, total)` is called before the first facility sheet (0), after each one, and once
    the file is complete (total = facilities + 1); it may raise `Cancelled`.
    A priced export of a programme with pricing problems (a missing rate, incompatible units, ...)
    is refused with all of them listed: the estimate would not add up.
    """
    if lang not in LANGS:
        raise UserError(f"language {lang!r}: choose one of {', '.join(LANGS)}")
    programme = programme_limits.for_export(programme)
    estimate = price(programme)
    if priced and estimate.problems:
        count = len(estimate.problems)
        listed = "\n".join(f"  {p}" for p in estimate.problems[:50])
        more = f"\n  ... and {count - 50} more" if count > 50 else ""
        raise UserError(f"cannot write a priced workbook: {count} item{'s' if count != 1 else ''} cannot be priced "
                        f"(fix {'it' if count == 1 else 'them'}, or export the unpriced tender, --unpriced):\n{listed}{more}")
    if not priced:
        estimate = tender_copy(programme, estimate)
    total = len(estimate.facilities) + 1
    report = progress or (lambda done, total: None)
    report(0, total)
    with atomic_output(path) as tmp:
        wb = build(programme, estimate, priced=priced, lang=lang, progress=lambda done: report(done, total))
        try:
            wb.save(tmp)
        finally:
            discard(wb)
        report(total, total)  # still inside: a cancel here leaves nothing either


def build(programme: Programme, estimate: Estimate, *, priced: bool, lang: str,
          progress: Callable[[int], None] | None = None, fast: bool = True) -> Workbook:
    """The streamed workbook, ready to save; its sheets are already written to temporary files."""
    wb = Workbook(write_only=True)
    try:
        _fill(wb, programme, estimate, priced, lang, progress, fast)
    except BaseException:
        discard(wb)
        raise
    return wb


def _fill(wb: Workbook, programme: Programme, estimate: Estimate, priced: bool, lang: str,
          progress: Callable[[int], None] | None, fast: bool) -> None:
    add_styles(wb, lang)
    ctx = Context(programme, estimate, lang, priced, fast)
    summary_name = text("summary_sheet", "ar" if lang == "ar" else "en")
    summary = wb.create_sheet(summary_name)
    names = lot_sheet_names([ft.facility for ft in estimate.facilities], lang, taken=[summary_name])
    written: list[tuple[FacilityTotal, str, str]] = []
    for done, (ft, name) in enumerate(zip(estimate.facilities, names, strict=True), start=1):
        written.append((ft, name, write_facility(wb.create_sheet(name), ctx, ft)))
        if progress is not None:
            progress(done)
    write_summary(summary, ctx, written)
    print_fingerprint = fingerprint(programme, estimate)
    _tender_sheet(wb.create_sheet(TENDER_SHEET), ctx, summary_name, written, print_fingerprint)
    _properties(wb, ctx, print_fingerprint)


def _tender_sheet(ws: Any, ctx: Context, summary: str, written: list[tuple[FacilityTotal, str, str]],
                  digest: str) -> None:
    p = ctx.programme
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 40
    rows: list[list[Any]] = [
        ["format", FORMAT], ["reference", p.reference], ["programme", p.name], ["organisation", p.organisation],
        ["currency", ctx.currency], ["revision", p.revision], ["issue_date", p.issue_date.isoformat()],
        ["lang", ctx.lang], ["priced", "yes" if ctx.priced else "no"], ["fingerprint", digest],
        ["summary_sheet", summary],
    ]
    rows += [[f"col_{key}", letter] for key, letter in letters(ctx.lang).items()]
    rows += [[], list(FACILITY_HEADER)]
    rows += [[name, ft.facility.uid, ft.facility.name, cell, sum(len(b.lines) for b in ft.bills)]
             for ft, name, cell in written]
    stream = SheetStream(ws, fast=ctx.fast)  # names like "=x" stay text here too
    for row in rows:
        stream.append([(value, "") for value in row])


def _properties(wb: Workbook, ctx: Context, digest: str) -> None:
    p, xml = ctx.programme, limits.xml_text  # the programme is clean (`for_export`); this keeps it so here
    wb.properties.title = xml(p.name)
    wb.properties.subject = text("priced_kind" if ctx.priced else "tender_kind", "en")
    wb.properties.creator = xml(p.organisation) or "BoQ Estimator"
    wb.properties.keywords = xml(p.reference)
    wb.properties.identifier = xml(p.reference)
    for name, value in (("BoQ format", FORMAT), ("BoQ tender reference", xml(p.reference)), ("BoQ fingerprint", digest)):
        wb.custom_doc_props.append(StringProperty(name=name, value=value))
    if not ctx.priced:
        wb.security = WorkbookProtection(lockStructure=True)  # no password; keeps `_tender` hidden
