"""Command start: `boq --help` and `boq price` as a user runs them, each a fresh interpreter.

Every figure is a whole process (interpreter start, imports, work, exit), run `--repeat` times
like hyperfine does: the best wall time is the figure (the least the machine can do it in; on a
shared machine the others add waiting), and the CPU seconds (user + system, from `wait4`) of that
run are noted, with the median wall time. Floors: `python -c pass` (the interpreter alone) for
`--help`, and `python -c "import argparse, sqlite3, decimal"` (what any command that reads a
.boq needs) for `price`.
Run: python -m benchmarks.bench_start [--facilities 10 --items 100 --repeat 20]
     python -X importtime -m estimator --help 2>&1 | sort -t'|' -k2 -n | tail   # where the time goes
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Result, table

PASS = [sys.executable, "-c", "pass"]
IMPORTS = [sys.executable, "-c", "import argparse, sqlite3, decimal"]
BOQ = [sys.executable, "-m", "estimator"]


def _env(cache: Path) -> dict[str, str]:
    """As installed: pip compiles every module to bytecode at install time, so the runs use a bytecode
    cache (in a temporary folder) even where PYTHONDONTWRITEBYTECODE is set for development."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def timed(cmd: list[str], repeat: int, env: dict[str, str]) -> tuple[float, float, float, float]:
    """(best wall s, median wall s, CPU s of the best run, peak MB) of `repeat` runs of `cmd`, after one
    run that fills the bytecode cache."""
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    runs: list[tuple[float, float, float]] = []
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in (0, 1):  # `boq price` exits 1 when an item cannot be priced
            raise RuntimeError(f"{' '.join(cmd)} exited with {proc.returncode}")
        runs.append((wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024))
    best = min(runs)
    return best[0], statistics.median(r[0] for r in runs), best[1], max(r[2] for r in runs)


def _result(name: str, size: str, cmd: list[str], floor_name: str, floor_cmd: list[str], repeat: int,
            env: dict[str, str]) -> Result:
    best, median, cpu, peak = timed(cmd, repeat, env)
    floor, floor_median, floor_cpu, _ = timed(floor_cmd, repeat, env)
    note = (f"median {median:.3f} s, CPU {cpu:.3f} s; floor median {floor_median:.3f} s, CPU {floor_cpu:.3f} s "
            f"({repeat} runs each)")
    return Result(name, size, best, peak, floor_name, floor, note)


def run(facilities: int, items: int, repeat: int = 20) -> list[Result]:
    from estimator.store import Project
    from estimator.synthetic import generate

    folder = Path(tempfile.mkdtemp(prefix="boq-bench-start-"))
    boq = folder / "p.boq"
    Project.create(boq, generate(facilities, items, seed=1)).close()
    size = f"{facilities} x {items}"
    env = _env(folder / "pycache")
    results = [
        _result("boq --help", "-", [*BOQ, "--help"], "python -c pass", PASS, repeat, env),
        _result("boq price", size, [*BOQ, "price", str(boq)], "python -c 'import argparse, sqlite3, decimal'",
                IMPORTS, max(3, repeat // 4) if facilities * items > 10_000 else repeat, env),
    ]
    shutil.rmtree(folder)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facilities", type=int, default=10)
    parser.add_argument("--items", type=int, default=100, help="items per facility")
    parser.add_argument("--repeat", type=int, default=20, help="runs of each command (the best counts)")
    args = parser.parse_args()
    results = run(args.facilities, args.items, args.repeat)
    print(table(results))
    for r in results:
        print(f"{r.name}, {r.size}: {r.note}")


if __name__ == "__main__":
    main()
