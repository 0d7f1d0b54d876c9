"""The rate library: loading `rates/`, and searching a generated 5,000-rate library.

- load: `load_library(rates/)` (CSV parse, validation, build-ups) vs `csv.reader` of the same files.
- search: `RateBook.search` for an English and an Arabic phrase over 5,000 rates (goal < 10 ms), vs
  a bare substring scan of one precomputed string per rate.
- find: `estimator.find.find` (Ctrl+F in the window) over a generated 80 x 300 programme, vs a bare
  case-folded substring scan of the item descriptions.
Run: python -m benchmarks.bench_rates [--rates 5000]
"""

from __future__ import annotations

import argparse
import csv
import time
from dataclasses import replace
from typing import Any

from benchmarks.common import Result, measure, table

QUERIES = ("internal plaster walls", "لياسة داخلية")


def big_book(count: int) -> Any:
    """The bundled library's rates repeated with new codes up to `count` rates."""
    from estimator.rates import current_library
    from estimator.rates.book import RateBook

    base = current_library().book
    rates = list(base.rates.values())
    book = RateBook(dict(base.resources), {})
    for n in range(count):
        rate = rates[n % len(rates)]
        code = f"{rate.code}-{n:05d}"
        book.rates[code] = replace(rate, code=code, description=f"{rate.description} (variant {n})")
    return book


def _search_time(book: Any) -> float:
    """Best of 20 for both queries (ms-scale work: `measure`'s fork costs more than the search)."""
    book.search("warm-up")
    best = float("inf")
    for _ in range(20):
        start = time.perf_counter()
        for q in QUERIES:
            book.search(q)
        best = min(best, (time.perf_counter() - start) / len(QUERIES))
    return best


def _floor_time(book: Any) -> float:
    hay = [f"{r.code} {r.description} {r.description_ar} {r.trade}".casefold() for r in book.rates.values()]
    best = float("inf")
    for _ in range(20):
        start = time.perf_counter()
        for q in QUERIES:
            words = q.casefold().split()
            [h for h in hay if all(w in h for w in words)]
        best = min(best, (time.perf_counter() - start) / len(QUERIES))
    return best


def _find_times() -> tuple[float, float]:
    """Best of 5 for both queries: find(), and a bare scan of the descriptions."""
    from estimator.find import find
    from estimator.synthetic import generate

    programme = generate(80, 300)
    items = [i for f in programme.facilities for b in f.bills for i in b.items]
    best, floor = float("inf"), float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for q in QUERIES:
            find(programme, q)
        best = min(best, (time.perf_counter() - start) / len(QUERIES))
        start = time.perf_counter()
        for q in QUERIES:
            words = q.casefold().split()
            [i for i in items if all(w in f"{i.description} {i.description_ar}".casefold() for w in words)]
        floor = min(floor, (time.perf_counter() - start) / len(QUERIES))
    return best, floor


def run(facilities: int, items: int, rates: int = 5000) -> list[Result]:
    from estimator import paths
    from estimator.rates import load_library

    folder = paths.rates_dir()

    def raw_csv(_: Any) -> None:
        for name in ("resources.csv", "rates.csv", "buildups.csv", "exchange_rates.csv"):
            with (folder / name).open(encoding="utf-8", newline="") as fh:
                list(csv.reader(fh))

    load_s, peak = measure(lambda: None, lambda _: load_library(folder))
    floor_s, _ = measure(lambda: None, raw_csv)
    book = big_book(rates)
    find_s, find_floor = _find_times()
    return [
        Result("find in a programme (en, ar)", "80 x 300", find_s, 0.0, "bare substring scan of descriptions", find_floor),
        Result("load rates/ library", f"{len(load_library(folder).book.rates)} rates", load_s, peak,
               "csv.reader of the same files", floor_s),
        Result("search rates (en, ar)", f"{rates} rates", _search_time(book), 0.0, "bare substring scan", _floor_time(book)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rates", type=int, default=5000)
    args = parser.parse_args()
    print(table(run(0, 0, args.rates)))


if __name__ == "__main__":
    main()
