"""Reading tables that come from outside (work lists, returned bids) without trusting them.

- CSV must be UTF-8 (Excel's "CSV UTF-8"); other encodings are refused with what to do.
- XLSX is checked as a zip before openpyxl sees it: entry count, total uncompressed size and
  compression ratio are bounded (zip bombs), and openpyxl parses XML through defusedxml
  (entity expansion). Formulas are never evaluated: cells are read as stored values.
- Legacy `.xls` and password-protected workbooks (both OLE containers) are refused by name.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import defusedxml  # noqa: F401  (openpyxl uses it for all XML parsing when it is installed)

from estimator.errors import UserError

MAX_ENTRIES = 10_000
MAX_UNCOMPRESSED = 512 * 1024 * 1024
MAX_RATIO = 200
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

Cells = list[Any]


class UnreadableFile(UserError):
    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(f"{path.name}: {message}")


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


def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[tuple[int, Cells]]:
    import openpyxl  # imported here: start-up of commands that never read xlsx stays fast

    check_xlsx(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise UnreadableFile(path, f"cannot be read as a workbook ({type(exc).__name__}: {exc})") from None
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise UnreadableFile(path, f"has no sheet {sheet!r}")
        ws = wb[sheet] if sheet else wb.worksheets[0]
        for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    finally:
        wb.close()
