"""Core operations: open a .boq file, import a work list, re-price, each next to its floor.

- open: `estimator.store.Project.open` (locked, parsed into the model, as the window opens a file)
  and `estimator.store.load` (read-only, as `boq price` and the exports do) vs raw `sqlite3`
  reading every row of the same file into tuples.
- import: `boq import` of a CSV work list (parse, validate, convert units, build the model) vs the
  `csv` module reading the same file into lists.
- re-price: `reprice` against the library (old and new pricing of every item, snapshot swap) vs the
  NumPy multiply-and-sum of the same quantities and rates.
Run: python -m benchmarks.bench_core [--facilities 80 --items 300]
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.common import Result, cpu_timed, measure, table

HEADER = [
    "Facility",
    "Governorate",
    "Section",
    "Code",
    "Description",
    "Description (Arabic)",
    "Quantity",
    "Unit",
    "Rate",
    "Rate unit",
    "Currency",
]


def _worklist(facilities: int, items: int, folder: Path) -> Path:
    from estimator.synthetic import generate

    prog = generate(facilities, items, seed=2)
    path = folder / "worklist.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for fac in prog.facilities:
            for bill in fac.bills:
                for it in bill.items:
                    out.writerow(
                        [
                            fac.name,
                            fac.governorate,
                            bill.name,
                            it.rate_code,
                            it.description,
                            it.description_ar,
                            str(it.quantity),
                            it.unit,
                            "" if it.rate is None else str(it.rate),
                            it.rate_unit,
                            it.rate_currency,
                        ]
                    )
    return path


def run(facilities: int, items: int) -> list[Result]:
    from estimator.pricing import price
    from estimator.rates import current_library
    from estimator.reprice import reprice
    from estimator.sample import new_programme
    from estimator.store import Project, load
    from estimator.synthetic import generate
    from estimator.worklist import import_worklist

    size = f"{facilities} x {items}"
    folder = Path(tempfile.mkdtemp(prefix="boq-bench-"))
    boq = folder / "p.boq"
    Project.create(boq, generate(facilities, items, seed=1)).close()
    wl = _worklist(facilities, items, folder)
    results = []

    def open_project(_: Any) -> None:
        Project.open(boq).close()

    def raw_sqlite(_: Any) -> None:
        with sqlite3.connect(boq) as conn:
            for table_name in ("meta", "fx", "facilities", "bills", "items", "resources", "rates"):
                conn.execute(f"SELECT * FROM {table_name}").fetchall()

    open_work, open_cpu = cpu_timed(open_project)
    floor_work, floor_cpu = cpu_timed(raw_sqlite)
    sec, peak = measure(lambda: None, open_work)
    floor, _ = measure(lambda: None, floor_work)
    results.append(Result("open .boq", size, sec, peak, "raw sqlite3 read of all rows", floor,
                          note=f"CPU seconds {open_cpu.value:.3f} vs {floor_cpu.value:.3f}"))

    load_work, load_cpu = cpu_timed(lambda _: load(boq))
    sec, peak = measure(lambda: None, load_work)
    results.append(Result("open .boq read-only (price, export)", size, sec, peak, "raw sqlite3 read of all rows", floor,
                          note=f"CPU seconds {load_cpu.value:.3f} vs {floor_cpu.value:.3f}"))

    def do_import(state: Any) -> None:
        import_worklist(new_programme("bench"), wl, state)

    def raw_csv(_: Any) -> None:
        with wl.open(encoding="utf-8", newline="") as fh:
            list(csv.reader(fh))

    sec, peak = measure(lambda: current_library().book, do_import)
    floor, _ = measure(lambda: None, raw_csv)
    results.append(Result("import work list (CSV)", size, sec, peak, "csv.reader of the same file", floor))

    def numpy_floor() -> Any:
        import numpy as np

        est = price(generate(facilities, items, seed=1))
        lines = [ln for f in est.facilities for b in f.bills for ln in b.lines]
        return np.array([float(ln.quantity) for ln in lines]), np.array([float(ln.rate) for ln in lines])

    sec, peak = measure(
        lambda: (generate(facilities, items, seed=1), current_library().book), lambda s: reprice(s[0], s[1], apply=True)
    )
    floor, _ = measure(numpy_floor, lambda qr: float((qr[0] * qr[1]).sum()))
    results.append(Result("re-price against library", size, sec, peak, "numpy multiply-and-sum", floor))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--facilities", type=int, default=80)
    parser.add_argument("--items", type=int, default=300)
    args = parser.parse_args()
    results = run(args.facilities, args.items)
    print(table(results))
    for r in results:
        if r.note:
            print(f"{r.name}, {r.size}: {r.note}")


if __name__ == "__main__":
    main()
