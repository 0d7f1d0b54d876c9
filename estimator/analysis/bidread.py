"""Reading a returned (priced) tender workbook into rows, without trusting or evaluating it.

The layout is the contract of `estimator.export.xlsx_layout`: the hidden `_tender` sheet says
which tender the workbook belongs to and where each column is; item rows carry the item's uid in
a hidden column, so rows are matched by identity, whatever the bidder inserted, deleted or sorted.
Every cell is kept with its formula and the value Excel cached (`estimator.analysis.xlsxscan`).

A workbook that cannot be read as a tender copy (not ours, `_tender` removed, the engineer's
priced estimate, columns moved) is refused with `NotATenderCopy`, naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from estimator.analysis.xlsxscan import Cell, Row, UnsafeXml, Workbook
from estimator.errors import UserError
from estimator.export.xlsx_layout import HEADER_ROW, TENDER_SHEET, UID_HEADER, TenderInfo, read_tender
from estimator.export.xlsx_text import text
from estimator.readers import UnreadableFile

SUMMARY_COLUMNS = {"A", "B", "C", "D"}
HEADER_SEARCH_ROWS = 60  # the column header row is looked for this far down (rows may be inserted above)


class NotATenderCopy(UserError):
    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(f"{path.name}: {message}")


@dataclass(slots=True)
class BidRow:
    """A row of a facility sheet: an item (uid set), a row the bidder added (uid ""), or a total."""

    sheet: str
    row: int
    uid: str
    cells: Row  # column letter -> cell, as read
    columns: dict[str, str]  # column key (description, unit, quantity, rate, amount, ...) -> letter

    def cell(self, key: str) -> Cell | None:
        letter = self.columns.get(key)
        return self.cells.get(letter) if letter else None


@dataclass(slots=True)
class Returned:
    path: Path
    info: TenderInfo
    lang: str
    columns: dict[str, str]  # column key -> letter
    items: list[BidRow] = field(default_factory=list)
    added: list[BidRow] = field(default_factory=list)
    totals: list[BidRow] = field(default_factory=list)  # rows without uid whose amount cell holds something
    summary: list[tuple[int, Row]] = field(default_factory=list)  # General Summary rows below its header
    missing_sheets: list[str] = field(default_factory=list)
    company: str = ""

    @property
    def name(self) -> str:
        return self.path.name

    def summary_amount(self, label_key: str) -> tuple[int, Cell] | None:
        """The amount cell of the General Summary row labelled `label_key` (subtotal, grand_total)."""
        label = text(label_key, self.lang)
        for number, row in self.summary:
            if _text(row.get("B")) == label and "D" in row:
                return number, row["D"]
        return None


def read_returned(path: Path) -> Returned:
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile(path, "no such file")
    try:
        with Workbook(path) as wb:
            return _read(path, wb)
    except UnsafeXml as exc:
        raise UnreadableFile(path, f"cannot be read safely: {exc}") from None


def _read(path: Path, wb: Workbook) -> Returned:
    if TENDER_SHEET not in wb.sheets:
        if wb.custom_properties().get("BoQ format"):
            raise NotATenderCopy(path, f"its hidden {TENDER_SHEET!r} sheet was removed, so its items cannot be "
                                       "matched; ask the bidder to price the workbook as issued")
        raise NotATenderCopy(path, "is not a tender workbook written by BoQ Estimator (it has no "
                                   f"{TENDER_SHEET!r} sheet); bids must be priced in the issued tender workbook")
    info = read_tender(_dense(wb, TENDER_SHEET, None))
    if info is None:
        raise NotATenderCopy(path, f"its {TENDER_SHEET!r} sheet is not in a format this version reads")
    if info.values.get("priced") == "yes":
        raise NotATenderCopy(path, "is the engineer's priced estimate, not a tender copy returned by a bidder")
    lang = info.values.get("lang", "en")
    columns = info.columns
    if lang not in ("en", "ar", "both") or not {"uid", "quantity", "rate", "amount"} <= set(columns):
        raise NotATenderCopy(path, f"its {TENDER_SHEET!r} sheet does not say where the columns are")
    returned = Returned(path, info, lang, columns)
    for sheet in info.facilities:
        if sheet.sheet not in wb.sheets:
            returned.missing_sheets.append(sheet.sheet)
            continue
        _facility_rows(path, wb, sheet.sheet, returned)
    summary = info.values.get("summary_sheet", "")
    if summary in wb.sheets:
        returned.summary = [(n, row) for n, row in wb.rows(summary, SUMMARY_COLUMNS) if n > HEADER_ROW]
        company = text("company", lang)
        for _, row in returned.summary:
            if _text(row.get("B")) == company:
                returned.company = _text(row.get("C"))
    return returned


def _facility_rows(path: Path, wb: Workbook, sheet: str, returned: Returned) -> None:
    columns = returned.columns
    uid_col, qty_col, rate_col, amount_col = (columns[k] for k in ("uid", "quantity", "rate", "amount"))
    header = 0
    for number, row in wb.rows(sheet):
        if not header:
            if _text(row.get(uid_col)) == UID_HEADER:
                header = number
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
        elif _filled(row.get(qty_col)) or _filled(row.get(rate_col)):
            returned.added.append(BidRow(sheet, number, uid, row, columns))
        elif _filled(row.get(amount_col)):
            returned.totals.append(BidRow(sheet, number, uid, row, columns))
    if not header:
        raise NotATenderCopy(path, f"sheet {sheet!r} has no item identity column header; it is not a tender sheet")


def _dense(wb: Workbook, sheet: str, columns: set[str] | None) -> list[list[object]]:
    """The rows of a small sheet as lists from column A, with empty rows where the file has none
    (a spreadsheet saving the file drops empty rows; `read_tender` needs them as separators)."""
    rows: list[list[object]] = []
    for number, row in wb.rows(sheet, columns):
        while len(rows) < number - 1:
            rows.append([])
        width = max((_column_index(col) for col in row), default=0)
        values: list[object] = [None] * width
        for col, cell in row.items():
            values[_column_index(col) - 1] = cell.value
        rows.append(values)
    return rows


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index


def _text(cell: Cell | None) -> str:
    if cell is None or cell.value is None:
        return ""
    return str(cell.value).strip()


def _filled(cell: Cell | None) -> bool:
    return cell is not None and (cell.formula is not None or (cell.value is not None and str(cell.value).strip() != ""))
