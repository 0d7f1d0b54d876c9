"""Reading a returned (priced) tender workbook into rows, without trusting or evaluating it.

The layout is the contract of `estimator.export.xlsx_layout`, and what the evaluation relies on
(which sheets, which columns hold rates, amounts and identities, which summary rows hold the totals)
comes from the programme (`estimator.analysis.bidlayout.issued_tender`), never from the workbook: the
hidden `_tender` sheet only says which tender and which of the three layouts it is, and anything
else it says that disagrees with the programme is noted. Item rows carry the item's uid in a hidden
column, so rows are matched by identity, whatever the bidder inserted, deleted or sorted. Every cell
is kept with its formula, the value Excel cached and its style (`estimator.analysis.xlsxscan`).

What the bidder sees and prints must be what is evaluated: hidden rows, columns and sheets holding
values, cells outside the layout's columns, number formats or fonts that show something other than
the value (`bidvisible`), merged cells over item rows, conditional formats, formulas reaching outside
the workbook, macros, links and embedded objects are noted (`Returned.notes`) for the evaluator.

A workbook that cannot be read as a tender copy (not ours, `_tender` removed, the engineer's
priced estimate, columns moved) is refused with `NotATenderCopy`, naming the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from estimator.analysis.bidlayout import IssuedTender, Layout
from estimator.analysis.bidvisible import Visibility
from estimator.analysis.sheetlane import Lane, LaneRow, lane
from estimator.analysis.xlsxscan import Cell, Row, SheetMeta, UnsafeXml, Workbook, column_index
from estimator.errors import UserError
from estimator.export.xlsx_layout import HEADER_ROW, TENDER_SHEET, UID_HEADER, TenderInfo, read_tender
from estimator.export.xlsx_text import text
from estimator.money import LIMIT
from estimator.readers import UnreadableFile

HEADER_SEARCH_ROWS = 60  # the column header row is looked for this far down (rows may be inserted above)
TENDER_COLUMNS = {"A", "B", "C", "D", "E"}  # all `read_tender` reads
LISTED = 10  # cells named in one note; the rest are counted
CHECK_EVERY = 4096  # rows between two calls of the cancel check
# parts of a package that run, fetch or overlay something when the workbook is opened
ACTIVE_PARTS = {
    "xl/vbaProject.bin": "macros (VBA)",
    "xl/externalLinks/": "links to other workbooks",
    "xl/connections.xml": "data connections",
    "xl/embeddings/": "embedded objects",
    "xl/activeX/": "ActiveX controls",
    "xl/drawings/": "drawings, shapes or pictures that can cover cells",
    "customXml/": "",  # harmless
}


class Note(NamedTuple):
    """Something the reader found that the evaluator must be told (an anomaly of the bid)."""

    kind: str
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""


class NotATenderCopy(UserError):
    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(f"{path.name}: {message}")


class BidRow:
    """A row of a facility sheet: an item (uid set), a row the bidder added (uid ""), or a total.

    An item row read in one look (`lane`, `estimator.analysis.sheetlane`) has its cells read only
    when something asks for them (`cells`): most rows of a bid are checked on the lane's figures."""

    __slots__ = ("_cells", "columns", "lane", "row", "sheet", "uid")

    def __init__(self, sheet: str, row: int, uid: str, cells: Row | None, columns: dict[str, str],
                 lane: LaneRow | None = None) -> None:
        self.sheet, self.row, self.uid, self.columns, self.lane = sheet, row, uid, columns, lane
        self._cells = cells  # column letter -> cell, as read (None until asked for, for a lane row)

    @property
    def cells(self) -> Row:
        if self._cells is None:
            assert self.lane is not None, "a row without cells"
            self._cells = self.lane.cells()
        return self._cells

    def cell(self, key: str) -> Cell | None:
        letter = self.columns.get(key)
        return self.cells.get(letter) if letter else None


@dataclass(slots=True)
class Returned:
    path: Path
    info: TenderInfo
    layout: Layout
    items: list[BidRow] = field(default_factory=list)
    added: list[BidRow] = field(default_factory=list)
    totals: list[BidRow] = field(default_factory=list)  # rows without uid whose amount cell holds something
    summary: list[tuple[int, Row]] = field(default_factory=list)  # General Summary rows below its header
    missing_sheets: list[str] = field(default_factory=list)
    company: str = ""  # the bidder block's company name: the General Summary's, else a lot sheet's
    sheet_companies: dict[str, str] = field(default_factory=dict)  # sheet -> company name in its bidder block
    notes: list[Note] = field(default_factory=list)

    @property
    def name(self) -> str:
        return printable(self.path.name)

    @property
    def lang(self) -> str:
        return self.layout.lang

    @property
    def columns(self) -> dict[str, str]:
        return self.layout.columns

    @property
    def layout_lane(self) -> Lane:
        """The item rows of this layout as the one-look reader matches them (`sheetlane`)."""
        return lane(tuple(self.layout.columns.items()))

    @property
    def facility_sheets(self) -> dict[str, str]:
        """Facility uid -> sheet name, as issued."""
        return {s.facility_uid: s.sheet for s in self.layout.sheets}

    def note(self, kind: str, message: str, sheet: str = "", row: int | None = None, column: str = "") -> None:
        self.notes.append(Note(kind, printable(message), sheet, row, column))

    def summary_amount(self, label_key: str) -> tuple[int, Cell] | None:
        """The amount cell of the General Summary row labelled `label_key` (subtotal, grand_total),
        at the row the issued layout puts it; a label found elsewhere, or more than once, is noted."""
        label = text(label_key, self.lang)
        rows = [(number, row) for number, row in self.summary if _text(row.get("B")) == label]
        expected = self.layout.summary_rows.get(label_key)
        sheet = self.layout.summary_sheet
        at = [(n, row) for n, row in rows if n == expected]
        if len(rows) > 1:
            self.note("layout changed", f"{label!r} appears {len(rows)} times in the General Summary (rows "
                      f"{', '.join(str(n) for n, _ in rows[:LISTED])}); row {expected} is the one issued", sheet)
        elif rows and not at:
            self.note("layout changed", f"{label!r} is in row {rows[0][0]} of the General Summary, issued in row "
                      f"{expected}: rows were inserted or deleted", sheet, rows[0][0])
        found = at or rows
        if not found or "D" not in found[0][1]:
            return None
        return found[0][0], found[0][1]["D"]


Checkpoint = Callable[[], None]  # called now and then while reading; raises `Cancelled` to stop


def read_returned(path: Path, issued: IssuedTender, checkpoint: Checkpoint | None = None) -> Returned:
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile(path, "no such file")
    try:
        with Workbook(path) as wb:
            return _read(path, wb, issued, checkpoint or (lambda: None))
    except UnsafeXml as exc:
        raise UnreadableFile(path, f"cannot be read safely: {exc}") from None


def _read(path: Path, wb: Workbook, issued: IssuedTender, checkpoint: Checkpoint) -> Returned:
    if TENDER_SHEET not in wb.sheets:
        if wb.custom_properties().get("BoQ format"):
            raise NotATenderCopy(path, f"its hidden {TENDER_SHEET!r} sheet was removed, so its items cannot be "
                                       "matched; ask the bidder to price the workbook as issued")
        raise NotATenderCopy(path, "is not a tender workbook written by BoQ Estimator (it has no "
                                   f"{TENDER_SHEET!r} sheet); bids must be priced in the issued tender workbook")
    info = read_tender(_compact(wb, TENDER_SHEET))
    if info is None:
        raise NotATenderCopy(path, f"its {TENDER_SHEET!r} sheet is not in a format this version reads")
    if info.values.get("priced") == "yes":
        raise NotATenderCopy(path, "is the engineer's priced estimate, not a tender copy returned by a bidder")
    layout = issued.layout(info.values.get("lang", "en"))
    if layout is None:
        raise NotATenderCopy(path, f"its {TENDER_SHEET!r} sheet names a language this tender was not issued in")
    returned = Returned(path, info, layout)
    _compare_tender_sheet(returned)
    _package(wb, returned)
    visibility = Visibility(wb.cell_formats())
    company_label = text("company", layout.lang)  # the bidder block's label, as the tender printed it
    for sheet in layout.sheets:
        if sheet.sheet not in wb.sheets:
            returned.missing_sheets.append(sheet.sheet)
            continue
        checkpoint()
        _facility_rows(path, wb, sheet.sheet, returned, visibility, company_label, checkpoint)
    if layout.summary_sheet in wb.sheets:
        meta = SheetMeta()
        returned.summary = [(n, row) for n, row in wb.rows(layout.summary_sheet, None, meta) if n > HEADER_ROW]
        figures = {n for n, row in returned.summary if "D" in row}  # facility, subtotal, markup and total rows
        _sheet_notes(returned, layout.summary_sheet, meta, returned.summary, {"A", "B", "C", "D"}, figures)
        for number, row in returned.summary:
            if _text(row.get("B")) == company_label:
                returned.company = printable(_text(row.get("C")))[:200]
            amount = row.get("D")
            if amount is not None and (problem := visibility.problem(amount)):
                returned.note("hidden content", f"cell D{number} {problem}", layout.summary_sheet, number, "D")
    else:
        returned.missing_sheets.append(layout.summary_sheet)
    if not returned.company:
        returned.company = next((name for name in returned.sheet_companies.values() if name), "")
    return returned


def _compare_tender_sheet(returned: Returned) -> None:
    """What `_tender` says beyond the tender's identity, against the programme: noted when it differs."""
    values, layout = returned.info.values, returned.layout
    said = returned.info.columns
    if said != layout.columns:
        moved = ", ".join(f"{k} {said.get(k, '-')} (issued {v})" for k, v in layout.columns.items() if said.get(k) != v)
        returned.note("tender sheet edited", f"the hidden {TENDER_SHEET!r} sheet was edited: it names other columns "
                      f"({moved or 'columns that are not in the tender'}); the issued columns are read", TENDER_SHEET)
    sheets = [(f.sheet, f.facility_uid) for f in returned.info.facilities]
    if sheets != [(s.sheet, s.facility_uid) for s in layout.sheets] or values.get("summary_sheet") != layout.summary_sheet:
        returned.note("tender sheet edited", f"the hidden {TENDER_SHEET!r} sheet was edited: it lists other sheets "
                      "than the tender issued; the issued sheets are read", TENDER_SHEET)


def _package(wb: Workbook, returned: Returned) -> None:
    """Macros, links, connections, embedded objects and drawings; sheets hidden or added."""
    names = wb.zip.namelist()
    for prefix, what in ACTIVE_PARTS.items():
        if what and any(n.startswith(prefix) for n in names):
            returned.note("active content", f"the workbook holds {what} ({prefix}); do not open it in Excel with "
                          "editing or content enabled before checking it")
    for name, formula in wb.defined_names:
        if _reaches_outside(formula):
            returned.note("active content", f"the defined name {name[:40]!r} reaches outside the workbook: {formula[:80]}")
    issued = {s.sheet for s in returned.layout.sheets} | {returned.layout.summary_sheet}
    for sheet, state in wb.states.items():
        if sheet in issued and state != "visible":
            returned.note("hidden content", f"sheet {sheet!r} is hidden ({state}): what is evaluated is not what is "
                          "shown", sheet)
        elif sheet not in issued and sheet != TENDER_SHEET:
            returned.note("hidden content" if state != "visible" else "layout changed",
                          f"sheet {sheet!r} is not in the tender{' and is hidden' if state != 'visible' else ''}; "
                          "it is not evaluated", sheet)


def _reaches_outside(formula: str) -> bool:
    from estimator.analysis.sheetxml import OUTSIDE

    return OUTSIDE.search(formula) is not None


def _facility_rows(path: Path, wb: Workbook, sheet: str, returned: Returned, visibility: Visibility, company_label: str,
                   checkpoint: Checkpoint) -> None:
    columns = returned.columns
    uid_col, qty_col, rate_col, amount_col = (columns[k] for k in ("uid", "quantity", "rate", "amount"))
    allowed = returned.layout.letters
    watched = (qty_col, rate_col, amount_col)
    clean = visibility.clean()
    desc_col = columns["description"]
    company_col = _next_letter(desc_col)  # the bidder block: label in the description column, entry beside it
    header = 0
    meta = SheetMeta()
    outside: list[tuple[int, Row]] = []  # rows with cells beyond the layout's columns
    item_rows: set[int] = set()
    lane = returned.layout_lane
    for count, (number, read) in enumerate(wb.item_rows(sheet, lane, meta), start=1):
        if count % CHECK_EVERY == 0:
            checkpoint()
        if isinstance(read, LaneRow):
            if header and _shown(read, clean):  # an item row in the plain form, its figures visible
                returned.items.append(BidRow(sheet, number, read.uid, None, columns, read))
                item_rows.add(number)
                continue
            row = read.cells()  # above the header, or a format to look at: as any row
        else:
            row = read
        if not row.keys() <= allowed:
            outside.append((number, row))
        if not header:
            if _text(row.get(uid_col)) == UID_HEADER:
                header = number
                _headers(returned, sheet, number, row)
            elif number > HEADER_SEARCH_ROWS or any(_text(c) == UID_HEADER for c in row.values()):
                moved = next((col for col, c in row.items() if _text(c) == UID_HEADER), "")
                where = f"is now in column {moved}" if moved else "cannot be found"
                raise NotATenderCopy(path, f"sheet {sheet!r}: columns were inserted, deleted or moved (the hidden "
                                           f"item identity column {where}, it was {uid_col}); the rows cannot be "
                                           "read reliably, so the bid is not evaluated")
            continue
        uid = _text(row.get(uid_col))
        if uid:
            returned.items.append(BidRow(sheet, number, uid, row, columns))
            item_rows.add(number)
            for col in watched:
                cell = row.get(col)
                if cell is None:
                    continue
                if _plainly_shown(cell.style, cell.value, col == rate_col and cell.formula is None, clean):
                    continue
                if problem := visibility.problem(cell, col == rate_col and cell.formula is None):
                    returned.note("hidden content", f"cell {col}{number} {problem}", sheet, number, col)
        elif _filled(row.get(qty_col)) or _filled(row.get(rate_col)):
            returned.added.append(BidRow(sheet, number, uid, row, columns))
        elif _filled(row.get(amount_col)):
            returned.totals.append(BidRow(sheet, number, uid, row, columns))
        elif desc_col in row and _text(row[desc_col]) == company_label:
            returned.sheet_companies[sheet] = printable(_text(row.get(company_col)))[:200]
    if not header:
        raise NotATenderCopy(path, f"sheet {sheet!r} has no item identity column header; it is not a tender sheet")
    _sheet_notes(returned, sheet, meta, outside, allowed, item_rows)


def _shown(lane: LaneRow, clean: dict[bytes, Decimal | None]) -> bool:
    """Whether a lane row's quantity, rate (typed: the lane takes no formula there) and amount show
    what they hold, as `_facility_rows` checks each cell otherwise (`_plainly_shown`; for a quantity
    and an amount that is their style's being in `clean`, looked up here: 24,000 rows a bid)."""
    quantity, rate, amount = lane.styles
    return quantity in clean and amount in clean and _plainly_shown(rate, lane.rate, True, clean)


def _plainly_shown(style: bytes, value: object, typed_rate: bool, clean: dict[bytes, Decimal | None]) -> bool:
    """Whether a cell shows what it holds with no closer look (`Visibility.problem`): its style shows
    any value, and a typed rate has no more decimals than the style shows."""
    if style not in clean:
        return False
    scale = clean[style]
    return not typed_rate or scale is None or type(value) is not Decimal or not -LIMIT < value < LIMIT \
        or not (value * scale) % 1


def _next_letter(letter: str) -> str:
    index, out = column_index(letter) + 1, ""
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _headers(returned: Returned, sheet: str, number: int, row: Row) -> None:
    for col, expected in returned.layout.headers.items():
        now = _text(row.get(col))
        if " ".join(now.split()) != " ".join(expected.split()):
            returned.note("layout changed", f"the header of column {col} reads {now[:60]!r}, issued {expected!r}",
                          sheet, number, col)


def _sheet_notes(returned: Returned, sheet: str, meta: SheetMeta, outside: list[tuple[int, Row]],
                 allowed: set[str] | frozenset[str], item_rows: set[int]) -> None:
    """Hidden rows and columns holding values, cells beyond the layout (`allowed` columns), merges over
    the rows holding evaluated figures (`item_rows`), outside formulas."""
    uid_col = returned.columns["uid"]
    stray = [f"{col}{n}" for n, row in outside for col, c in row.items()
             if col not in allowed and (c.formula is not None or c.value not in (None, ""))]
    if stray:
        hidden = [ref for ref in stray if meta.column_hidden(column_index(ref.rstrip("0123456789")))]
        returned.note("hidden content" if hidden else "layout changed",
                      f"{len(stray)} cell(s) hold values outside the tender's columns ({_listed(stray)})"
                      + (f", {len(hidden)} of them in hidden columns" if hidden else "") + "; they are not evaluated",
                      sheet, None, stray[0].rstrip("0123456789"))
    for col in sorted(allowed - {uid_col}):
        if meta.column_hidden(column_index(col)):
            returned.note("hidden content", f"column {col} is hidden: what is evaluated is not what is shown", sheet,
                          None, col)
    hidden_items = sorted(item_rows & meta.hidden_rows)
    if hidden_items:
        returned.note("hidden content", f"{len(hidden_items)} row(s) holding evaluated figures are hidden or too "
                      f"low to read (rows {_listed([str(n) for n in hidden_items])}): what is evaluated is not what is "
                      "printed",
                      sheet, hidden_items[0])
    for ref in meta.merged:
        rows = _rows_of(ref)
        if rows is not None and any(r in item_rows for r in range(rows[0], rows[1] + 1)):
            returned.note("hidden content", f"cells {ref} are merged over an item row: a merged range shows only "
                          "its first cell", sheet, rows[0])
    if meta.conditional:
        returned.note("hidden content", "the sheet has conditional formats, which can change what a cell shows; "
                      "check it in the spreadsheet", sheet)
    for ref, formula in meta.outside[:LISTED]:
        returned.note("formula reaches outside", f"cell {ref} holds the formula {formula[:80]}, which reaches outside the "
                      "workbook (DDE, a link or a web function); do not open the file in Excel with content enabled",
                      sheet, _row_of(ref), ref.rstrip("0123456789"))
    if len(meta.outside) > LISTED:
        returned.note("formula reaches outside", f"{len(meta.outside) - LISTED} more such formulas", sheet)
    for problem in meta.problems[:LISTED]:
        returned.note("damaged cell", f"the sheet holds {problem}", sheet)
    if len(meta.problems) > LISTED:
        returned.note("damaged cell", f"{len(meta.problems) - LISTED} more damaged cells", sheet)


def _listed(refs: list[str]) -> str:
    return ", ".join(refs[:LISTED]) + (f" and {len(refs) - LISTED} more" if len(refs) > LISTED else "")


def _row_of(ref: str) -> int | None:
    digits = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return int(digits) if digits.isdigit() else None


def _rows_of(ref: str) -> tuple[int, int] | None:
    first, _, last = ref.partition(":")
    a, b = _row_of(first), _row_of(last or first)
    return (min(a, b), max(a, b)) if a is not None and b is not None else None


def _compact(wb: Workbook, sheet: str) -> list[list[object]]:
    """The rows of `_tender` as lists from column A, one empty row where the file skips rows (a
    spreadsheet saving the file drops empty rows; `read_tender` needs one as a separator). Only
    columns A-E are read, so neither a far row number nor a far column makes anything large."""
    rows: list[list[object]] = []
    last = 0
    for number, row in wb.rows(sheet, TENDER_COLUMNS):
        if number > last + 1:
            rows.append([])
        last = number
        values: list[object] = [None] * len(TENDER_COLUMNS)
        for col, cell in row.items():
            values[column_index(col) - 1] = cell.value
        rows.append(values)
    return rows


# control characters (C0, DEL, C1: a terminal reads ESC and CSI as commands) and the bidi controls
# that reorder what follows them on the line (U+202E would print "total 1,234" backwards)
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` without control characters and bidi overrides: safe to print in a terminal, a window
    or a report beside figures."""
    return _UNPRINTABLE.sub("", text)


def _text(cell: Cell | None) -> str:
    if cell is None or cell.value is None:
        return ""
    return str(cell.value).strip()


def _filled(cell: Cell | None) -> bool:
    return cell is not None and (cell.formula is not None or (cell.value is not None and str(cell.value).strip() != ""))
