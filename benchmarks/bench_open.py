"""Opening a .boq in CPU seconds: `store.load` (read-only: `boq price`, exports) and `Project.open` (the window).

Writes `estimator.synthetic.generate(F, I, seed=1)` once (or uses `--file`), then prints the least
user+system seconds of `--repeat` runs of each in this process. Runs on any checkout of the
program, so before and after a change compare on the same file, back to back:

    python -m benchmarks.bench_open --facilities 320 --items 300 --file /tmp/p320.boq
    (cd OTHER-CHECKOUT && PYTHONPATH=. python -m benchmarks.bench_open --facilities 320 --file /tmp/p320.boq)
"""

from __future__ import annotations

import argparse
import resource
import tempfile
from pathlib import Path


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facilities", type=int, default=80)
    parser.add_argument("--items", type=int, default=300, help="items per facility")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--file", type=Path, help="the .boq to open (written first if it does not exist)")
    args = parser.parse_args()
    from estimator.store import Project, load

    path = args.file or Path(tempfile.mkdtemp(prefix="boq-bench-open-")) / "p.boq"
    if not path.exists():
        from estimator.synthetic import generate

        Project.create(path, generate(args.facilities, args.items, seed=1)).close()
    for name, work in (("open read-only (store.load)", lambda: load(path)),
                       ("open for writing (Project.open)", lambda: Project.open(path).close())):
        best = float("inf")
        for _ in range(args.repeat):
            start = _cpu()
            work()
            best = min(best, _cpu() - start)
        print(f"{name}, {args.facilities} x {args.items}: {best:.3f} s CPU (least of {args.repeat})")


if __name__ == "__main__":
    main()
