"""Excel export: `write_xlsx` of a generated programme, against openpyxl's write-only floor.

The export is timed whole, as a user waits for it: pricing, every sheet with its styles, print
settings, protection and validation, the zip, the fsync and the rename. The floor writes the very
same cells (read back from the exported file: every value and formula of every sheet, and an
empty string where the file has an empty styled cell) with openpyxl's write-only `ws.append` and
nothing else: no styles, no pricing, no settings. The export beats it because it writes each
row's XML itself (see estimator/export/xlsx_stream.py) instead of one ElementTree element per cell.
Run: python -m benchmarks.bench_xlsx [--facilities 80 --items 300]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.common import Result, measure, table

VARIANTS = (("priced, en", True, "en"), ("unpriced tender, en", False, "en"), ("priced, both", True, "both"))


def _programme(facilities: int, items: int) -> Any:
    from estimator.synthetic import generate

    return generate(facilities, items, seed=1)


def _cells(path: Path) -> list[tuple[str, list[list[Any]]]]:
    """Every sheet's rows of values and formulas, as the export wrote them. A cell the file has
    without a value (a styled empty cell: a rate to fill in, a bordered blank) becomes "", so the
    floor writes a cell element there too; a cell the file does not have stays None (no element)."""
    from openpyxl import load_workbook
    from openpyxl.cell.read_only import EmptyCell

    wb = load_workbook(path, read_only=True)
    try:
        return [(ws.title, [[None if isinstance(c, EmptyCell) else "" if c.value is None else c.value for c in row]
                            for row in ws.iter_rows()]) for ws in wb.worksheets]
    finally:
        wb.close()


def _floor(sheets: list[tuple[str, list[list[Any]]]], out: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(out)


def run(facilities: int, items: int, variants: tuple[tuple[str, bool, str], ...] | None = None) -> list[Result]:
    """Each variant next to its floor; above the issue's 80 x 300 only the priced English export."""
    from estimator.export.xlsx import write_xlsx

    if variants is None:
        variants = VARIANTS if facilities * items <= 80 * 300 else VARIANTS[:1]
    size = f"{facilities} x {items}"
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-xlsx-") as folder:
        out = Path(folder) / "export.xlsx"
        floor_out = Path(folder) / "floor.xlsx"
        for name, priced, lang in variants:

            def export(programme: Any, priced: bool = priced, lang: str = lang) -> None:
                write_xlsx(programme, out, priced=priced, lang=lang)

            def floor_setup(priced: bool = priced, lang: str = lang) -> Any:
                write_xlsx(_programme(facilities, items), out, priced=priced, lang=lang)
                return _cells(out)

            seconds, peak = measure(lambda: _programme(facilities, items), export)
            floor, _ = measure(floor_setup, lambda sheets: _floor(sheets, floor_out))
            note = f"{out.stat().st_size / 1e6:.1f} MB file"
            results.append(Result(f"xlsx export ({name})", size, seconds, peak, "openpyxl write-only, same cells",
                                  floor, note))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--facilities", type=int, default=80)
    parser.add_argument("--items", type=int, default=300, help="items per facility")
    args = parser.parse_args()
    print(table(run(args.facilities, args.items)))


if __name__ == "__main__":
    main()
