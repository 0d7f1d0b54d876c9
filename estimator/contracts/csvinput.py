"""Variation and measurement files: CSV (UTF-8) or XLSX from outside, read without trusting them.

The file is read through `estimator.readers` (encoding, line length, zip bombs, formulas) with a
tighter bound on size and rows; the first non-empty row is the header, matched without regard to case
and spaces; each later row becomes {column: text}. Problems name the file, the row and the column.
"""

from __future__ import annotations

from pathlib import Path

from estimator.errors import Problem, ValidationFailed
from estimator.readers import UnreadableFile, read_rows

MAX_BYTES = 32 * 1024 * 1024  # a measurement of a 24,000-item contract is about 1 MB
MAX_ROWS = 100_000
MAX_CELL = 2_000  # characters of one cell


def read_table(path: Path, required: tuple[str, ...], optional: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) for each data row; refused as a whole with every problem listed."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        raise UnreadableFile(path, "no such file") from None
    if size > MAX_BYTES:
        raise UnreadableFile(path, f"is {size // 1_000_000} MB; a variation or measurement is never that large")
    known = required + optional
    header: dict[int, str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[Problem] = []
    for number, cells in read_rows(path):
        texts = ["" if c is None else str(c).strip() for c in cells]
        if not any(texts):
            continue
        if header is None:
            header = {}
            for col, name in enumerate(texts):
                key = " ".join(name.casefold().replace("_", " ").split())
                if key in known:
                    if key in header.values():
                        problems.append(Problem(path.name, f"column {name!r} appears twice", number))
                    header[col] = key
            missing = [name for name in required if name not in header.values()]
            if missing:
                raise ValidationFailed(path.name, [Problem(path.name, f"the header has no column {m!r} (columns: "
                                                   f"{', '.join(known)})", number) for m in missing])
            continue
        if len(rows) >= MAX_ROWS:
            raise UnreadableFile(path, f"has more than {MAX_ROWS:,} rows; split it")
        row = {}
        for col, key in header.items():
            text = texts[col] if col < len(texts) else ""
            if len(text) > MAX_CELL:
                problems.append(Problem(path.name, f"is longer than {MAX_CELL:,} characters", number, key))
                text = ""
            row[key] = text
        rows.append((number, row))
    if header is None:
        raise UnreadableFile(path, f"is empty; it needs a header row with the columns {', '.join(required)}")
    if problems:
        raise ValidationFailed(path.name, problems)
    return rows
