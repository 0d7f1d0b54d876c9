"""The layout of the Excel BoQ workbook: the contract a returned (priced) copy is read against.

`estimator.export.xlsx.write_xlsx` writes it; `boq bids` reads returned copies with
`read_tender(rows of _tender)` and the uid column. Bidders may insert, delete, reorder or re-sort
rows: match items by uid, never by row number or description. Keep this contract stable (and
FORMAT's version in step with it): returned copies of tenders issued today are read tomorrow.

Sheets, in order
    1. The General Summary ("الملخص العام" with --lang ar), columns A No. | B facility | C % |
       D amount, the same four header rows and the column headers on row 5 (HEADER_ROW): one row
       per facility whose amount is a formula referencing that facility sheet's total cell, the
       subtotal `=SUM(...)`, one row per markup (percent in C, `=ROUND(subtotal*C/100,2)` in D) and
       the grand total; in a tender copy then the bidder block: label in B (`xlsx_text.text(
       "company", lang)`, ...), the bidder's entry in C (merged C:D, unlocked).
    2. One sheet per facility, in programme order, named by `sheet_names` (the full name is in the
       sheet's header block).
    3. `_tender`, hidden and protected: the facts below, in cells a program can read.

Facility sheet rows
    1      programme name            (rows 1-4 are the header block)
    2      tender reference | currency
    3      revision | date of issue
    4      facility, with governorate and district
    5      column headers: printed on every page, panes frozen below (HEADER_ROW)
    6...   per bill: a section row (bill name), the item rows, the bill total row `=SUM(amounts)`,
           an empty row; then the summary of bills (one row per bill, `=<bill total cell>`) and the
           facility total `=SUM(...)` (its cell is listed in `_tender`); then, in a tender (unpriced)
           copy, the bidder block (company, date, signature, stamp: label in the description
           column, the entry merged across the columns up to the amount, unlocked).

Facility sheet columns (COLUMNS; the letters are also written to `_tender`)
    en, ar   A item ref | B description | C unit | D quantity | E rate | F amount | G uid
    both     A item ref | B description | C description (Arabic) | D unit | E quantity | F rate
             | G amount | H uid
    The uid column is hidden. On an item row it holds `Item.uid`; on the column header row it reads
    "uid"; on every other row it is empty. Quantity and rate are numbers (2 decimals); amount is
    `=ROUND(<quantity cell>*<rate cell>,2)`, or `=ROUND(<quantity cell>*<rate cell>/100,2)` on a profit
    and attendance row (`Item.kind`: its quantity is the prime cost sum, its rate a percentage). In a
    tender copy the rate cells are empty, unlocked and validated (a decimal >= 0), except on the rows of
    provisional and prime cost sums (`model.FIXED_SUMS`): there the rate cell holds the employer's
    amount, locked, in the style "BoQ Fixed" (grey, italic), so every total includes it; a reader knows
    these rows by the item's kind in the programme (the uid), not by the cell. Everything else is locked
    by sheet protection without a password. Every formula carries its result as the cached value (the
    estimate's figure; in a tender copy that of `pricing.tender_view`: the fixed sums, 0 elsewhere).
    The General Summary of a tender copy has only the markups bidders add (`pricing.bidders_markups`:
    the tax, when the programme's particulars say bidders charge it), never the contingency or overheads.

`_tender` sheet
    From row 1, column A a key and column B its value, until the first empty row:
        format         FORMAT ("boq-tender/1")
        reference, programme, organisation, currency, revision, issue_date (YYYY-MM-DD),
        lang (en|ar|both), priced (yes|no)
        fingerprint    `fingerprint(programme, estimate)`: SHA-256 of what was tendered (item uids,
                       refs, descriptions, printed quantities and units), not of the rates
        summary_sheet  the General Summary sheet's name
        col_<key>      the column letter of each key of COLUMNS[lang] (col_rate = "E", ...)
    then an empty row, a header row (FACILITY_HEADER) and one row per facility sheet:
        sheet name | facility uid | facility name | total cell (e.g. "F187") | number of items
    The workbook's custom document properties repeat "BoQ format", "BoQ tender reference" and
    "BoQ fingerprint".
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from estimator import limits
from estimator.model import Facility, Programme
from estimator.money import plain
from estimator.pricing import Estimate

FORMAT = "boq-tender/1"
TENDER_SHEET = "_tender"
HEADER_ROW = 5
FIRST_ROW = HEADER_ROW + 1
UID_HEADER = "uid"
FACILITY_HEADER = ("sheet", "facility_uid", "facility", "total_cell", "items")
_BASE = ("item", "description", "unit", "quantity", "rate", "amount", "uid")
COLUMNS: dict[str, tuple[str, ...]] = {
    "en": _BASE,
    "ar": _BASE,
    "both": ("item", "description", "description_ar", "unit", "quantity", "rate", "amount", "uid"),
}
MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]+")
_RESERVED = {"history", TENDER_SHEET}  # Excel reserves "History"


def letters(lang: str) -> dict[str, str]:
    """Column letter of each column key for a workbook in `lang`."""
    return {key: get_column_letter(i) for i, key in enumerate(COLUMNS[lang], start=1)}


def lot_sheet_names(facilities: Sequence[Facility], lang: str, taken: Iterable[str] = ()) -> list[str]:
    """The tabs of the facility sheets: the lot number and the facility's name (`Lot 3 Harim General
    Hospital`, labels.toml `[workbook] sheet`), cut to Excel's 31 characters; the number keeps them
    unique, so two facilities whose names start alike do not become "... (2)"."""
    from estimator.export.xlsx_text import words

    template = words("sheet")[lang == "ar"]
    code = "ar" if lang == "ar" else "en"
    return sheet_names([template.format(n=n, name=f.display_name(code)) for n, f in enumerate(facilities, start=1)],
                       taken)


def sheet_names(names: Iterable[str], taken: Iterable[str] = ()) -> list[str]:
    """Valid, unique sheet names for facilities called `names`, avoiding `taken` (case-insensitive).

    Excel allows at most 31 characters and none of []:*?/\\ , no leading or trailing apostrophe,
    and compares names without regard to case. Duplicates get " (2)", " (3)", ...
    """
    used = {t.casefold() for t in taken} | _RESERVED
    result: list[str] = []
    for position, name in enumerate(names, start=1):
        base = " ".join(_BAD_SHEET_CHARS.sub(" ", limits.xml_text(name)).split()).strip("'").strip()
        base = _shorten(base, MAX_SHEET_NAME) or f"Facility {position}"
        candidate, n = base, 1
        while candidate.casefold() in used:
            n += 1
            suffix = f" ({n})"
            candidate = _shorten(base, MAX_SHEET_NAME - len(suffix)) + suffix
        used.add(candidate.casefold())
        result.append(candidate)
    return result


def _shorten(name: str, limit: int) -> str:
    """`name` cut to `limit` characters, at a word boundary when that keeps most of it."""
    if len(name) <= limit:
        return name
    cut = name[:limit]
    space = cut.rfind(" ")
    if name[limit] != " " and space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" -,.;(")


def fingerprint(programme: Programme, estimate: Estimate) -> str:
    """SHA-256 (hex) of what a tender asks bidders to price, in order; rates do not enter it."""
    content: list[Any] = [FORMAT, programme.reference, estimate.currency]
    for ft in estimate.facilities:
        content.append(["facility", ft.facility.uid, ft.facility.name])
        for bt in ft.bills:
            content.append(["bill", bt.bill.uid, bt.bill.name])
            content.extend([ln.item.uid, ln.item.ref, ln.item.description, ln.item.description_ar,
                            plain(ln.quantity), ln.unit] for ln in bt.lines)
    blob = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


@dataclass(frozen=True, slots=True)
class FacilitySheet:
    sheet: str
    facility_uid: str
    facility: str
    total_cell: str
    items: int


@dataclass(slots=True)
class TenderInfo:
    """What `_tender` says about a workbook (see the module docstring)."""

    values: dict[str, str]
    facilities: list[FacilitySheet] = field(default_factory=list)

    @property
    def columns(self) -> dict[str, str]:
        return {k.removeprefix("col_"): v for k, v in self.values.items() if k.startswith("col_")}


def read_tender(rows: Iterable[Sequence[object]]) -> TenderInfo | None:
    """Parse the rows of a `_tender` sheet (e.g. `wb["_tender"].iter_rows(values_only=True)`).

    None if the rows do not start with this format's key and version (not written by us, or by a
    version with another layout).
    """
    it = iter(rows)
    values: dict[str, str] = {}
    for row in it:
        # the key/value block ends at an empty row, or at the facility table's header (a reader that
        # skips empty rows does not see the separator)
        if not row or row[0] in (None, "") or str(row[0]) == FACILITY_HEADER[0]:
            break
        values[str(row[0])] = "" if len(row) < 2 or row[1] is None else str(row[1])
    if values.get("format") != FORMAT:
        return None
    info = TenderInfo(values)
    for row in it:
        cells = [("" if c is None else str(c)) for c in row[: len(FACILITY_HEADER)]]
        if not any(cells) or tuple(cells) == FACILITY_HEADER:
            continue
        cells += [""] * (len(FACILITY_HEADER) - len(cells))
        items = int(cells[4]) if cells[4].isdigit() else 0
        info.facilities.append(FacilitySheet(cells[0], cells[1], cells[2], cells[3], items))
    return info
