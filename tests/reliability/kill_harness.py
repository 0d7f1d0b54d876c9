"""Power cuts on demand: run an operation in a child process, SIGKILL it, check what is left on disk.

A `Scenario` is one operation (save an edit, create a file, save as, `boq import`, `boq reprice`,
`boq export`) on files in its own folder. `calibrate()` runs it once to the end and records the
state after it; each kill then restores the folder and kills a fresh child in one of three ways:

- `kill_random`: after a random delay counted from the child's `READY` (uniform over the time the
  operation took in calibration), so kills land inside the operation, not in start-up;
- `kill_step`: `BOQ_KILL_AT=k` makes the child kill itself at its k-th write step (`killpoints.py`:
  each SQL statement, each commit, fsync, rename, unlink, zip write);
- `kill_syscall`: strace (when available) delivers SIGKILL on entry to the k-th `pwrite64`,
  `fdatasync`, `fsync` or `unlink` touching the `.boq` file or its journal, i.e. inside SQLite's
  commit: between writing the journal, syncing it, writing pages and deleting the journal.

`verify()` then asserts: every export output is absent or complete (same content as the
calibration run's); the `.boq` opens, read-only first (as `boq price` would; with a hot journal
it must refuse and change nothing) and then for writing (which repairs a hot journal), and holds
exactly the state before or after the operation; files that must not change did not. It returns what it saw, including temporary
files left behind, which are only ever hidden `.NAME.*.tmp` / `.NAME.*.part` files.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import Any

import pytest

from estimator.journal import CutOffSave, is_hot, journal_of
from estimator.store import Project, load
from tests.reliability.states import MINILIB, ROOT, State, small_edit, state

SYSCALLS = ("pwrite64", "fdatasync", "fsync", "unlink")
TEMP = re.compile(r"^\..+\.(tmp|part)$")


def strace_works() -> bool:
    if shutil.which("strace") is None:
        return False
    probe = subprocess.run(["strace", "-f", "-qq", "-o", os.devnull, "true"], capture_output=True, timeout=30)
    return probe.returncode == 0


@dataclass
class Outcome:
    how: str  # random, step k, syscall name k
    killed: bool
    boq: str  # before | after | absent | n/a
    hot_journal: bool = False
    leftovers: list[str] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)  # name -> absent | complete


@dataclass
class Scenario:
    name: str
    folder: Path
    argv: list[str]
    boq: Path | None = None  # the project file whose state is checked
    env: dict[str, str] = field(default_factory=dict)
    outputs: tuple[Path, ...] = ()  # exports: absent or complete after a kill
    read_output: Callable[[Path], Any] | None = None
    untouched: tuple[Path, ...] = ()  # files the operation must never change
    before: State | None = None  # None: `boq` does not exist before the operation
    after: State | None = None
    elapsed: float = 0.0
    steps: int = 0
    syscalls: Counter[str] = field(default_factory=Counter)
    reference: dict[Path, Any] = field(default_factory=dict)
    _pristine: dict[Path, bytes] = field(default_factory=dict)
    _expected_files: set[str] = field(default_factory=set)

    def snapshot(self) -> None:
        """Remember the folder as it is now: this is the state before the operation."""
        self._pristine = {p: p.read_bytes() for p in self.folder.iterdir() if p.is_file()}
        self._expected_files = {p.name for p in self._pristine} | {o.name for o in self.outputs}
        if self.boq is not None:
            self._expected_files |= {self.boq.name, self.boq.name + ".lock"}
            self.before = state(load(self.boq)) if self.boq.exists() else None

    def reset(self) -> None:
        for p in self.folder.iterdir():
            if p.is_file() and p not in self._pristine and not p.name.endswith(".lock"):
                p.unlink()
        for p, data in self._pristine.items():
            p.write_bytes(data)

    def command(self, prefix: tuple[str, ...] = ()) -> list[str]:
        return [*prefix, sys.executable, "-m", "tests.reliability.child", *self.argv]

    def environment(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(PYTHONPATH=str(ROOT), PYTHONHASHSEED="0", BOQ_RATES_DIR=str(MINILIB),
                   BOQ_DATA_DIR=str(self.folder.parent / "userdata"), QT_QPA_PLATFORM="offscreen")
        env.pop("BOQ_KILL_AT", None)
        env.update(self.env)
        env.update(extra)
        return env


def calibrate(sc: Scenario, use_strace: bool) -> None:
    """Run the operation to the end once: its duration, its steps, its syscalls and the state after."""
    sc.snapshot()
    done = subprocess.run(sc.command(), env=sc.environment(), capture_output=True, text=True, timeout=300, cwd=sc.folder)
    assert done.returncode == 0, f"{sc.name}: calibration run failed\n{done.stdout}\n{done.stderr}"
    _, elapsed, steps = done.stdout.strip().splitlines()[-1].split()
    sc.elapsed, sc.steps = float(elapsed), int(steps)
    if sc.boq is not None:
        sc.after = state(load(sc.boq))
    sc.reference = {out: sc.read_output(out) for out in sc.outputs if sc.read_output}
    sc.reset()
    if use_strace and sc.boq is not None:
        log = sc.folder.parent / f"{sc.name}.strace"
        subprocess.run(sc.command(_strace(sc, "trace", log)), env=sc.environment(), capture_output=True, timeout=300,
                       cwd=sc.folder, check=True)
        sc.syscalls = Counter(m.group(1) for m in re.finditer(r"^\d+\s+(\w+)\(", log.read_text(), re.M))
        log.unlink()
        sc.reset()


def _strace(sc: Scenario, mode: str, log: Path | None = None, syscall: str = "", k: int = 0) -> tuple[str, ...]:
    assert sc.boq is not None
    boq = sc.boq.resolve()
    args = ["strace", "-f", "-qq", "-o", str(log or os.devnull), "-P", str(boq), "-P", f"{boq}-journal",
            "-e", f"trace={','.join(SYSCALLS)}"]
    if mode == "inject":
        args += ["-e", f"inject={syscall}:signal=SIGKILL:when={k}"]
    return tuple(args)


def _run_killed(sc: Scenario, how: str, cmd: list[str], env: dict[str, str], delay: float | None = None) -> Outcome:
    child = subprocess.Popen(cmd, env=env, cwd=sc.folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    first = child.stdout.readline()
    if first.strip() != "READY":
        out, err = child.communicate(timeout=60)
        raise AssertionError(f"{sc.name} {how}: child failed before READY\n{first}{out}\n{err}")
    if delay is not None:
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
    out, err = child.communicate(timeout=300)
    killed = child.returncode in (-signal.SIGKILL, 128 + signal.SIGKILL) and "DONE" not in out
    if child.returncode not in (0, -signal.SIGKILL, 128 + signal.SIGKILL):
        raise AssertionError(f"{sc.name} {how}: child exited {child.returncode}\n{out}\n{err}")
    return verify(sc, how, killed)


def kill_random(sc: Scenario, rng: Random) -> Outcome:
    delay = rng.uniform(0, sc.elapsed)
    return _run_killed(sc, f"random {delay * 1000:.1f} ms", sc.command(), sc.environment(), delay)


def kill_step(sc: Scenario, k: int) -> Outcome:
    return _run_killed(sc, f"step {k}/{sc.steps}", sc.command(), sc.environment(BOQ_KILL_AT=str(k)))


def kill_syscall(sc: Scenario, syscall: str, k: int) -> Outcome:
    prefix = _strace(sc, "inject", syscall=syscall, k=k)
    return _run_killed(sc, f"{syscall} {k}/{sc.syscalls[syscall]}", sc.command(prefix), sc.environment())


def verify(sc: Scenario, how: str, killed: bool) -> Outcome:
    """Check the folder after a kill, then restore it for the next round."""
    outcome = Outcome(how, killed, "n/a")
    names = {p.name for p in sc.folder.iterdir()}
    outcome.leftovers = sorted(n for n in names if TEMP.match(n))
    if sc.boq is not None:
        outcome.hot_journal = (sc.folder / f"{sc.boq.name}-journal").exists()
    journal = {f"{sc.boq.name}-journal"} if sc.boq is not None else set()
    strange = names - sc._expected_files - set(outcome.leftovers) - journal
    assert not strange, f"{sc.name} {how}: unexpected files {sorted(strange)}"
    for out in sc.outputs:
        if out.exists():
            assert sc.read_output is not None
            assert sc.read_output(out) == sc.reference[out], f"{sc.name} {how}: {out.name} exists but is not complete"
            outcome.outputs[out.name] = "complete"
        else:
            outcome.outputs[out.name] = "absent"
    for path in sc.untouched:
        assert path.read_bytes() == sc._pristine[path], f"{sc.name} {how}: {path.name} was changed"
    if sc.boq is not None:
        if not sc.boq.exists():
            assert sc.before is None, f"{sc.name} {how}: {sc.boq.name} disappeared"
            outcome.boq = "absent"
        else:
            hot = is_hot(sc.boq)
            if hot:  # `boq price` after the power cut refuses, and changes nothing; the window repairs
                pair = (sc.boq.read_bytes(), journal_of(sc.boq).read_bytes())
                with pytest.raises(CutOffSave):
                    load(sc.boq)
                assert (sc.boq.read_bytes(), journal_of(sc.boq).read_bytes()) == pair, f"{sc.name} {how}: a reader wrote"
            else:
                seen = state(load(sc.boq))  # read-only first, as `boq price` after the power cut
            with Project.open(sc.boq) as project:
                assert project.repaired == hot
                if hot:
                    seen = state(project.programme)
                assert state(project.programme) == seen
                small_edit(project.programme, 1)  # and it can be saved again
                project.save()
                edited = state(project.programme)
            assert state(load(sc.boq)) == edited
            assert not (sc.folder / f"{sc.boq.name}-journal").exists()
            if seen == sc.before:
                outcome.boq = "before"
            elif seen == sc.after:
                outcome.boq = "after"
            else:
                raise AssertionError(f"{sc.name} {how}: {sc.boq.name} holds neither the state before nor after")
    sc.reset()
    return outcome


def plan(sc: Scenario, rounds: int, rng: Random, use_strace: bool) -> list[Callable[[], Outcome]]:
    """`rounds` kills spread over the three methods: steps and syscalls evenly spaced, the rest random.

    The first syscall kill is always on the journal's deletion: the database pages are all written
    but the commit is not final, so the next reader must find a hot journal and roll it back.
    """
    kills: list[Callable[[], Outcome]] = []
    # the last steps (around COMMIT, the rename) always; the others evenly spaced
    last = {sc.steps - 1, sc.steps} if rounds >= 6 else {sc.steps}
    steps = sorted(set(_spread(sc.steps, max(0, rounds // 3 - len(last)))) | {k for k in last if k > 0})
    for k in steps:
        kills.append(lambda k=k: kill_step(sc, k))
    if use_strace and sc.syscalls:
        points = [(name, k) for name in SYSCALLS for k in range(1, sc.syscalls[name] + 1)]
        if ("unlink", 1) in points:
            points.remove(("unlink", 1))
            points.insert(0, ("unlink", 1))
        chosen = [points[0]] + [points[i] for i in _spread(len(points) - 1, max(0, rounds // 3 - 1))]
        for name, k in chosen:
            kills.append(lambda name=name, k=k: kill_syscall(sc, name, k))
    while len(kills) < rounds:
        kills.append(lambda: kill_random(sc, rng))
    return kills


def _spread(total: int, count: int) -> list[int]:
    """`count` distinct numbers from 1..total, evenly spaced inside it (all of them if count >= total)."""
    if count >= total:
        return list(range(1, total + 1))
    return sorted({max(1, round((i + 1) * total / (count + 1))) for i in range(count)})


def summary(name: str, outcomes: list[Outcome]) -> str:
    kinds = Counter(o.boq for o in outcomes if o.killed)
    outs = Counter(f"{n}:{v}" for o in outcomes if o.killed for n, v in o.outputs.items())
    left = sum(len(o.leftovers) for o in outcomes)
    hot = sum(o.hot_journal for o in outcomes)
    killed = sum(o.killed for o in outcomes)
    return (f"{name}: {killed} kills of {len(outcomes)} runs; .boq {dict(kinds)}; outputs {dict(outs)}; "
            f"journal files found {hot}; temporary files left {left}")
