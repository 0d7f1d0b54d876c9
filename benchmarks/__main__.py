"""Run every benchmark module at the sizes of the performance issue and print one table.

    python -m benchmarks                      # 10 x 100, 80 x 300 and 320 x 300
    python -m benchmarks --sizes 80x300       # one size
    python -m benchmarks --only core,xlsx     # some modules
    python -m benchmarks --markdown out.md    # also write the table

Each module `benchmarks/bench_<name>.py` has `run(facilities, items) -> list[Result]`; every
figure is measured in a fresh process next to its floor (the raw library doing the same work).
"""

from __future__ import annotations

import argparse
import importlib
import platform
import sys
import time
from pathlib import Path

from benchmarks.common import Result, table

MODULES = ("pricing", "core", "save", "rates", "xlsx", "pdf", "analysis", "ui")
SIZES = ("10x100", "80x300", "320x300")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(SIZES), help="comma-separated FACILITIESxITEMS")
    parser.add_argument("--only", default=",".join(MODULES), help="comma-separated module names")
    parser.add_argument("--markdown", type=Path, help="write the table to this file too")
    args = parser.parse_args()
    results: list[Result] = []
    for name in args.only.split(","):
        try:
            module = importlib.import_module(f"benchmarks.bench_{name}")
        except ModuleNotFoundError as exc:
            print(f"skipping {name}: {exc}", file=sys.stderr)
            continue
        for size in args.sizes.split(","):
            facilities, items = (int(x) for x in size.split("x"))
            start = time.perf_counter()
            try:
                found = module.run(facilities, items)
            except Exception as exc:  # one broken benchmark must not hide the others
                print(f"{name} {size}: failed: {exc}", file=sys.stderr)
                continue
            results.extend(found)
            print(f"{name} {size}: {time.perf_counter() - start:.1f} s", file=sys.stderr)
    text = f"Machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, " \
           f"{platform.system()}\n\n{table(results)}\n"
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
