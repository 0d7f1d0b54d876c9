"""Frozen revisions: file size with 10 revisions, opening time, issuing and loading a revision.

Ten tender revisions are issued from one programme, each after an addendum's worth of edits
(quantities changed in 3 lots, one item deleted and one added), and, for the worst case, a second
file where every revision changes a quantity in every lot (no lot's snapshot can be shared).
- size: the .boq file with 10 revisions divided by the same file with none (target: under 4x);
- open: `Project.open` of the file with 10 revisions (revisions are not read when opening;
  target: under 0.5 s at 80 x 300), next to opening the file without revisions;
- issue: `revisions.issue` (snapshot, self-check by restoring it, one transaction);
- load: `revisions.load` of the first revision (what `boq export --revision` and `boq bids` do).
Run: python -m benchmarks.bench_revisions [--facilities 80 --items 300]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchmarks.common import Result, measure, table


def _edit(programme: Any, n: int, every_lot: bool) -> None:
    from estimator.model import Item

    lots = programme.facilities if every_lot else [programme.facilities[(n * 7 + k) % len(programme.facilities)]
                                                   for k in range(3)]
    for fac in lots:
        fac.bills[0].items[0].quantity += Decimal(n)
    bill = programme.facilities[n % len(programme.facilities)].bills[-1]
    if len(bill.items) > 1:
        bill.items.pop(0)
    bill.items.append(Item(f"Addendum {n} item", Decimal("10"), "m2", rate=Decimal("25"), rate_currency="USD"))


def build(folder: Path, facilities: int, items: int, revisions_count: int, every_lot: bool) -> Path:
    from estimator import revisions
    from estimator.store import Project
    from estimator.synthetic import generate

    path = folder / f"p-{revisions_count}-{'all' if every_lot else 'some'}.boq"
    Project.create(path, generate(facilities, items, seed=1)).close()
    with Project.open(path) as project:
        for n in range(revisions_count):
            if n:
                _edit(project.programme, n, every_lot)
                project.save()
            revisions.issue(project, f"Rev {n}")
    return path


def _cpu(work: Any, repeat: int = 3) -> float:
    """Best-of-`repeat` CPU seconds of `work()` in this process: less disturbed than wall time on a busy machine."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def run(facilities: int, items: int) -> list[Result]:
    from estimator import revisions
    from estimator.store import Project

    size = f"{facilities} x {items}"
    folder = Path(tempfile.mkdtemp(prefix="boq-bench-rev-"))
    plain = build(folder, facilities, items, 0, False)
    ten = build(folder, facilities, items, 10, False)
    every = build(folder, facilities, items, 10, True)
    mb = {name: path.stat().st_size / 1024 / 1024 for name, path in (("none", plain), ("some", ten), ("all", every))}
    results = [
        Result(f"file with 10 revisions (3 lots/addendum): {mb['some']:.2f} MB = {mb['some'] / mb['none']:.2f}x "
               f"of {mb['none']:.2f} MB", size, 0.0, 0.0),
        Result(f"file with 10 revisions (every lot each time): {mb['all']:.2f} MB = {mb['all'] / mb['none']:.2f}x",
               size, 0.0, 0.0),
    ]
    sec, peak = measure(lambda: None, lambda _: Project.open(ten).close())
    floor, _ = measure(lambda: None, lambda _: Project.open(plain).close())
    cpu, cpu_floor = _cpu(lambda: Project.open(ten).close()), _cpu(lambda: Project.open(plain).close())
    results.append(Result(f"open .boq with 10 revisions (CPU {cpu:.3f} s; without: {cpu_floor:.3f} s)", size, sec, peak,
                          "open .boq without revisions", floor))

    counter = iter(range(1000))

    def setup_issue() -> Any:
        return Project.open(ten)

    sec, peak = measure(setup_issue, lambda project: revisions.issue(project, f"Bench {next(counter)}"))
    results.append(Result("issue a revision", size, sec, peak))

    def setup_load() -> Any:
        return Project.open(ten, readonly=True)

    sec, peak = measure(setup_load, lambda project: revisions.load(project, "Rev 0"))
    floor, _ = measure(lambda: None, lambda _: Project.open(plain, readonly=True).close())
    results.append(Result("load revision Rev 0", size, sec, peak, "open .boq (the working state)", floor))
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facilities", type=int, default=80)
    parser.add_argument("--items", type=int, default=300)
    args = parser.parse_args()
    print(table(run(args.facilities, args.items)))
