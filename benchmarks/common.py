"""Measuring one operation: wall time and peak memory, each run in a fresh forked process.

A fresh process per measurement keeps one benchmark's caches and memory out of the next, and lets
the peak resident set size (ru_maxrss) of just that operation be read. `setup` runs in the child
before the clock starts (e.g. generating the programme); `work` is what is timed.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Result:
    name: str
    size: str
    seconds: float
    peak_mb: float
    floor: str = ""
    floor_seconds: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return None if not self.floor_seconds else self.seconds / self.floor_seconds


def _child(setup: Callable[[], Any], work: Callable[[Any], Any], repeat: int, conn: Any) -> None:
    try:
        state = setup()
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            work(state)
            best = min(best, time.perf_counter() - start)
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        conn.send((best, peak_kb / 1024, None))
    except BaseException as exc:  # report, don't hang the parent
        conn.send((0.0, 0.0, f"{type(exc).__name__}: {exc}"))


def measure(setup: Callable[[], Any], work: Callable[[Any], Any], repeat: int = 3) -> tuple[float, float]:
    """Best-of-`repeat` seconds of `work(setup())` and the child's peak RSS in MB."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(setup, work, repeat, child))
    proc.start()
    seconds, peak, error = parent.recv()
    proc.join()
    if error:
        raise RuntimeError(error)
    return seconds, peak


def _cpu(children: bool) -> float:
    if not children:
        return time.process_time()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + usage.ru_utime + usage.ru_stime


def cpu_timed(work: Callable[[Any], None], children: bool = False) -> tuple[Callable[[Any], None], Any]:
    """`work` that also keeps its least CPU time in shared memory (read after the forked child ends):
    on a busy machine CPU seconds compare the two sides more fairly than wall-clock seconds.
    `children`: add the CPU time of the processes `work` started and waited for (workers)."""
    best = mp.get_context("fork").Value("d", float("inf"))

    def timed(state: Any) -> None:
        start = _cpu(children)
        work(state)
        best.value = min(best.value, _cpu(children) - start)

    return timed, best


def table(results: list[Result]) -> str:
    lines = ["| benchmark | size | seconds | peak MB | floor | floor s | ratio |", "|---|---|---:|---:|---|---:|---:|"]
    for r in results:
        ratio = f"{r.ratio:.2f}x" if r.ratio else ""
        floor_s = f"{r.floor_seconds:.3f}" if r.floor_seconds is not None else ""
        lines.append(f"| {r.name} | {r.size} | {r.seconds:.3f} | {r.peak_mb:.0f} | {r.floor} | {floor_s} | {ratio} |")
    return "\n".join(lines)
