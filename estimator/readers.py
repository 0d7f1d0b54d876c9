"""Reading tables that come from outside (work lists, returned bids) without trusting them.

- CSV must be UTF-8 (Excel's "CSV UTF-8"); other encodings are refused with what to do.
- XLSX is checked as a zip before openpyxl sees it: entry count, total uncompressed size and
  compression ratio (of the whole and of each part) are bounded (zip bombs), and openpyxl parses
  XML through defusedxml (entity expansion); a workbook is not read if openpyxl would not use it.
  Formulas are never evaluated and links never followed: cells are read as the values Excel saved,
  and a formula that has no saved value is returned as `FormulaWithoutValue` so the caller can say so.
- Whatever openpyxl raises while reading a damaged workbook becomes `UnreadableFile` naming the row.
- Legacy `.xls` and password-protected workbooks (both OLE containers) are refused by name.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import defusedxml  # noqa: F401  (openpyxl uses it for all XML parsing when it is installed)
from defusedxml import DefusedXmlException

from estimator.errors import UserError

MAX_ENTRIES = 10_000
MAX_UNCOMPRESSED = 512 * 1024 * 1024
MAX_RATIO = 200  # real sheets compress 5-20x; deflate's limit is ~1000x
RATIO_FLOOR = 1024 * 1024  # parts smaller than this may compress better (they cannot hurt)
MAX_CSV_BYTES = 256 * 1024 * 1024  # a 200,000-row work list is about 30 MB
MAX_LINE = 1_000_000  # characters in one line of a CSV file (a row of 1,000 cells of 1,000 characters)
MAX_SHEET_ROWS = 1_048_576  # the last row of an Excel or LibreOffice sheet
_BREAK = re.compile(r"\r\n?|\n")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")  # a <f> element in sheet XML, with or without a prefix
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

Cells = list[Any]


class UnreadableFile(UserError):
    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(f"{path.name}: {message}")


@dataclass(frozen=True, slots=True)
class FormulaWithoutValue:
    """A cell whose formula was never calculated, so the file holds no value for it."""

    formula: str

    def __str__(self) -> str:
        return self.formula


def check_xlsx(path: Path) -> None:
    """Refuse files that are not plain xlsx zips of sane size."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == OLE_MAGIC:
        raise UnreadableFile(
            path,
            "is a legacy .xls workbook or a password-protected workbook; "
            "remove the password and save it as .xlsx (Excel Workbook)",
        )
    if not head.startswith(ZIP_MAGIC):
        raise UnreadableFile(path, "is not an .xlsx workbook (save it as .xlsx or CSV UTF-8)")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ENTRIES:
                raise UnreadableFile(path, f"holds {len(infos)} files; refused as a possible zip bomb")
            for i in infos:
                if i.file_size > RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                    raise UnreadableFile(path, f"part {i.filename} unpacks to {i.file_size // 1_000_000} MB "
                                               f"({i.file_size // max(i.compress_size, 1)}x its size); refused as a "
                                               "possible zip bomb")
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO:
                raise UnreadableFile(
                    path, f"unpacks to {total // 1_000_000} MB ({total // packed}x its size); refused as a possible zip bomb"
                )
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(path, f"is damaged ({exc}); save it again from Excel") from exc


def read_rows(path: Path, sheet: str | None = None) -> Iterator[tuple[int, Cells]]:
    """(row number as the user sees it, cell values) for each row of a CSV or XLSX file."""
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile(path, "no such file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        yield from _xlsx_rows(path, sheet)
    elif suffix == ".xls":
        raise UnreadableFile(path, "legacy .xls workbooks are not read; save it as .xlsx or CSV UTF-8")
    elif suffix in (".csv", ".txt", ".tsv"):
        yield from _csv_rows(path)
    else:
        raise UnreadableFile(path, f"unknown file type {suffix!r}; use .csv (UTF-8) or .xlsx")


def _csv_rows(path: Path) -> Iterator[tuple[int, Cells]]:
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise UnreadableFile(path, f"is {size // 1_000_000} MB; a work list is never that large (split it)")
    raw = path.read_bytes()
    if raw.startswith(OLE_MAGIC) or raw.startswith(ZIP_MAGIC):
        raise UnreadableFile(path, "is a workbook, not CSV text; rename it to .xlsx or export it as CSV UTF-8")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UnreadableFile(path, f"line {line} is not UTF-8 text; in Excel use Save As > 'CSV UTF-8'") from None
    if "\x00" in text:
        raise UnreadableFile(path, "contains NUL bytes; it is not a text CSV file")
    _check_lines(path, text)
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for cells in reader:
            yield reader.line_num, list(cells)
    except csv.Error as exc:
        raise UnreadableFile(path, f"line {reader.line_num}: {exc}") from None


def _check_lines(path: Path, text: str) -> None:
    """Refuse a line so long that splitting it would allocate millions of cells (one pass, no copies)."""
    start, line = 0, 1
    for match in _BREAK.finditer(text):
        if match.start() - start > MAX_LINE:
            break
        start, line = match.end(), line + 1
    else:
        if len(text) - start <= MAX_LINE:
            return
    raise UnreadableFile(path, f"line {line} is longer than {MAX_LINE:,} characters; a work list row is never that "
                               "long (is a line break or a closing quote missing?)")


def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[tuple[int, Cells]]:
    import openpyxl  # imported here: start-up of commands that never read xlsx stays fast

    if not openpyxl.DEFUSEDXML:  # e.g. OPENPYXL_DEFUSEDXML=False in the environment
        raise UnreadableFile(path, "is not read: openpyxl is not using defusedxml, so the workbook's XML cannot be "
                                   "parsed safely (unset OPENPYXL_DEFUSEDXML)")
    check_xlsx(path)
    wb = _open_workbook(path, data_only=True)
    formulas_wb = None
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise UnreadableFile(path, f"has no sheet {sheet!r}")
        ws = wb[sheet] if sheet else wb.worksheets[0]
        ws.reset_dimensions()  # a wrong <dimension> in the file made openpyxl drop rows and columns silently
        rows = ws.iter_rows(values_only=True)
        formulas: Iterator[tuple[Any, ...]] | None = None
        if _has_formulas(path, ws):
            formulas_wb = _open_workbook(path, data_only=False)
            formulas_ws = formulas_wb[ws.title]
            formulas_ws.reset_dimensions()
            formulas = formulas_ws.iter_rows(values_only=True)
        number = 0
        while True:
            number += 1
            try:
                cells = next(rows, None)
                raw = next(formulas, None) if formulas is not None else None
            except Exception as exc:  # openpyxl, zipfile and XML parsers raise many types
                raise UnreadableFile(path, f"row {number} cannot be read ({_why(exc)}); save it again from Excel") from None
            if cells is None:
                return
            if number > MAX_SHEET_ROWS:  # openpyxl yields an empty row for every row number skipped
                raise UnreadableFile(path, f"has a row beyond row {MAX_SHEET_ROWS:,}, the last a spreadsheet has; "
                                           "the file is damaged or was not written by a spreadsheet program")
            values = list(cells)
            if raw is not None:
                for i, (value, formula) in enumerate(zip(values, raw, strict=False)):
                    if value is None and formula is not None:
                        values[i] = FormulaWithoutValue(str(getattr(formula, "text", formula)))
            yield number, values
    finally:
        wb.close()
        if formulas_wb is not None:
            formulas_wb.close()


def _open_workbook(path: Path, data_only: bool) -> Any:
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only, keep_links=False)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise UnreadableFile(path, f"cannot be read as a workbook ({_why(exc)})") from None


def _why(exc: BaseException) -> str:
    """One line saying what went wrong, naming an entity-expansion attempt as such."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            break
        if isinstance(seen, DefusedXmlException):
            return "it declares XML entities, which workbooks never need; refused as a possible entity-expansion attack"
        seen = seen.__cause__ or seen.__context__
    first = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def _has_formulas(path: Path, ws: Any) -> bool:
    """Whether the sheet's XML holds any formula (a fast scan, so sheets without any are read once)."""
    name = getattr(ws, "_worksheet_path", None)
    if not isinstance(name, str):
        return True
    try:
        with zipfile.ZipFile(path) as zf, zf.open(name) as fh:
            tail = b""
            while chunk := fh.read(1 << 20):
                if _FORMULA.search(tail + chunk):
                    return True
                tail = chunk[-16:]
    except Exception:  # a damaged part is reported by the real read
        return True
    return False
