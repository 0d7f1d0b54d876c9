"""What the issued tender expects a returned workbook to be: derived from the programme, never from the bid.

A bidder can edit every cell of the workbook, the hidden `_tender` sheet included. So the evaluation
takes nothing it relies on from the workbook: which sheets hold the items, which column holds the
rates, the amounts and the identities, which rows of the General Summary hold the totals all come
from the programme, through the exporter's own layout code (`estimator.export.xlsx_layout`). The
`_tender` sheet only identifies the tender (reference and fingerprint, which covers what was
tendered) and says which of the three layouts (en, ar, both) was issued; whatever else it says is
compared with this and any disagreement is an anomaly.

`issued_tender(programme)` is the one place that says what the issued tender expects: everything
else asks it (once frozen tender revisions exist, it returns the revision the bid answers).
"""

from __future__ import annotations

from dataclasses import dataclass

from estimator.export import LANGS
from estimator.export.xlsx_layout import COLUMNS, FIRST_ROW, HEADER_ROW, UID_HEADER, fingerprint, letters, lot_sheet_names
from estimator.export.xlsx_text import text
from estimator.model import Programme
from estimator.pricing import Estimate, bidders_markups, price


@dataclass(frozen=True, slots=True)
class ExpectedSheet:
    """A facility sheet as issued."""

    sheet: str
    facility_uid: str
    facility: str
    items: tuple[str, ...]  # item uids, in the order issued
    total_cell: str  # the facility total's cell, e.g. "F187"


@dataclass(frozen=True, slots=True)
class Layout:
    """A tender workbook in one language as the exporter writes it."""

    lang: str
    columns: dict[str, str]  # column key -> letter
    headers: dict[str, str]  # column letter -> the column header's text (row HEADER_ROW)
    summary_sheet: str
    sheets: tuple[ExpectedSheet, ...]
    summary_rows: dict[str, int]  # "subtotal", "grand_total" -> row of the General Summary

    @property
    def letters(self) -> frozenset[str]:
        return frozenset(self.columns.values())


@dataclass(frozen=True, slots=True)
class IssuedTender:
    """The tender a returned workbook answers: its identity, its estimate and its layouts."""

    reference: str
    digest: str  # `fingerprint`: what was tendered (items, quantities, units), not the rates
    estimate: Estimate
    layouts: dict[str, Layout]  # lang -> layout

    def layout(self, lang: str) -> Layout | None:
        return self.layouts.get(lang)


def issued_tender(programme: Programme, estimate: Estimate | None = None) -> IssuedTender:
    """What the tender issued from `programme` expects a returned workbook to be (see above)."""
    estimate = estimate if estimate is not None else price(programme)
    # the tender copy's General Summary has only the markups bidders add (`pricing.bidders_markups`)
    markups = len(bidders_markups(programme, estimate.subtotal))
    return IssuedTender(programme.reference, fingerprint(programme, estimate), estimate,
                        {lang: _layout(estimate, lang, markups) for lang in LANGS})


def _layout(estimate: Estimate, lang: str, markups: int) -> Layout:
    # the same steps as `estimator.export.xlsx._fill` and `xlsx_sheets.write_facility/write_summary`;
    # tests/reliability/test_hostile_bids.py checks the result against what the exporter writes
    columns = letters(lang)
    headers = {columns[k]: (UID_HEADER if k == "uid" else text(k, lang, currency=estimate.currency))
               for k in COLUMNS[lang]}
    summary = text("summary_sheet", "ar" if lang == "ar" else "en")
    names = lot_sheet_names([ft.facility for ft in estimate.facilities], lang, taken=[summary])
    sheets = []
    for ft, name in zip(estimate.facilities, names, strict=True):
        row = HEADER_ROW
        for bt in ft.bills:
            row += 1 + len(bt.lines) + 2  # section row, items, bill total, empty row
        row += 1 + len(ft.bills) + 1  # summary of bills: section row, a row per bill, the facility total
        sheets.append(ExpectedSheet(name, ft.facility.uid, ft.facility.name,
                                    tuple(ln.item.uid for bt in ft.bills for ln in bt.lines), f"{columns['amount']}{row}"))
    subtotal = FIRST_ROW + len(estimate.facilities)
    rows = {"subtotal": subtotal, "grand_total": subtotal + markups + 1}
    return Layout(lang, columns, headers, summary, tuple(sheets), rows)
