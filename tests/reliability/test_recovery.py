"""Recovery: after a crash in the middle of an editing session, reopening gives the last completed save.

The window saves after every edit (`Project.save()` is incremental and transactional), so "the
last completed edit" is the last save that returned. A child process opens a programme, makes N
small edits with a save after each and is killed; the file must then hold exactly the state after
save k, where k is the last save that returned (or k + 1 when the kill landed after the commit but
before the child could say so).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from random import Random

import pytest

from estimator.pricing import price
from estimator.store import Project, load
from tests.reliability import kill_harness as kh
from tests.reliability.states import MINILIB, ROOT, State, make_programme, small_edit, state

EDITS = 25


def _states() -> list[State]:
    prog = make_programme(2, 20)
    result = [state(prog)]
    for k in range(1, EDITS + 1):
        small_edit(prog, k)
        result.append(state(prog))
    return result


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "BOQ_RATES_DIR": str(MINILIB), "BOQ_DATA_DIR": str(tmp_path / "u"), **extra}


def _boq(tmp_path: Path) -> Path:
    path = tmp_path / "session.boq"
    Project.create(path, make_programme(2, 20)).close()
    return path


def _reopened(path: Path) -> State:
    """The state after reopening as the window does (for writing: a save cut off mid-commit is undone)."""
    with Project.open(path) as project:
        return state(project.programme)


def _session(tmp_path: Path, path: Path, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "tests.reliability.child", "session", str(path), str(EDITS)],
                            env=_env(tmp_path, **extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("k", [1, 7, EDITS - 1])
def test_kill_right_after_a_save_keeps_exactly_that_save(tmp_path: Path, k: int) -> None:
    path = _boq(tmp_path)
    child = _session(tmp_path, path, BOQ_KILL_AFTER_SAVE=str(k))
    out, err = child.communicate(timeout=120)
    assert child.returncode == -signal.SIGKILL, err
    assert f"SAVED {k - 1}" in out or k == 1
    assert f"SAVED {k}" not in out
    with Project.open(path) as project:  # the window reopening the file
        assert state(project.programme) == _states()[k]


@pytest.mark.parametrize("seed", range(3))
def test_kill_at_a_random_moment_keeps_the_last_completed_save(tmp_path: Path, seed: int) -> None:
    path = _boq(tmp_path)
    expected = _states()
    rng = Random(seed)
    child = _session(tmp_path, path)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "READY"
    time.sleep(rng.uniform(0.02, 0.4))
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate(timeout=60)
    saved = [int(line.split()[1]) for line in out.splitlines() if line.startswith("SAVED")]
    last = saved[-1] if saved else 0
    got = _reopened(path)
    assert got in (expected[last], expected[min(last + 1, EDITS)]), f"last save reported: {last}"


def _cut_inside_the_commit(tmp_path: Path, path: Path) -> None:
    """Kill a save with every page written but the journal not yet deleted (strace kills it at the unlink)."""
    boq = str(path.resolve())
    strace = ["strace", "-f", "-qq", "-o", os.devnull, "-P", boq, "-P", f"{boq}-journal", "-e", "trace=unlink",
              "-e", "inject=unlink:signal=SIGKILL:when=1"]
    cut = subprocess.run([*strace, sys.executable, "-m", "tests.reliability.child", "save-edit", boq, "3"],
                         env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert cut.returncode in (-signal.SIGKILL, 128 + signal.SIGKILL), cut.stderr
    assert Path(f"{boq}-journal").stat().st_size > 0, "the kill must leave a hot journal"


def _boq_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "estimator", *args], env=_env(tmp_path), capture_output=True,
                          text=True, timeout=120)


@pytest.mark.skipif(not kh.strace_works(), reason="needs strace to stop the process inside SQLite's commit")
def test_cli_reader_refuses_a_cut_off_save_and_recover_repairs_it(tmp_path: Path) -> None:
    """Killed with every page written but the journal not yet deleted: the save did not happen. `boq price`
    reads only, so it refuses and changes neither file; `boq recover` undoes the save; price shows the old totals."""
    path = _boq(tmp_path)
    before = price(load(path)).to_json()
    _cut_inside_the_commit(tmp_path, path)
    journal = Path(f"{path}-journal")
    pair = (path.read_bytes(), journal.read_bytes())
    shown = _boq_cli(tmp_path, "price", str(path), "--json")
    assert shown.returncode == 1 and "Traceback" not in shown.stderr
    assert "a save to it was cut off" in shown.stderr and f"boq recover {path}" in shown.stderr
    assert (path.read_bytes(), journal.read_bytes()) == pair, "a reader changed the file or its journal"
    repaired = _boq_cli(tmp_path, "recover", str(path))
    assert repaired.returncode == 0 and "was undone" in repaired.stdout, repaired.stderr
    assert not journal.exists() and not list(tmp_path.glob(".*before-repair*"))
    shown = _boq_cli(tmp_path, "price", str(path), "--json")
    assert shown.returncode == 0, shown.stderr
    assert '"grand_total": "' + before["grand_total"] + '"' in shown.stdout  # type: ignore[operator]
    assert _boq_cli(tmp_path, "recover", str(path)).stdout.strip().endswith("nothing to repair")


@pytest.mark.skipif(not kh.strace_works(), reason="needs strace to stop the process inside SQLite's commit")
def test_a_journal_beside_an_older_copy_restored_under_the_same_name_is_never_applied(tmp_path: Path) -> None:
    """The issue's case: a save is cut off, the user restores an older copy under the same name. Rolling the
    journal into that copy corrupted it; now readers refuse, and a writer sees that the journal is not this
    file's and refuses too: the copy stays byte for byte as restored."""
    path = _boq(tmp_path)
    older = tmp_path / "older.boq"
    older.write_bytes(path.read_bytes())
    older_state = state(load(older))
    with Project.open(path) as project:  # the file moves on: more saves after the copy was taken
        for k in range(1, 4):
            small_edit(project.programme, k)
            project.save()
    _cut_inside_the_commit(tmp_path, path)
    path.write_bytes(older.read_bytes())  # restored from the backup, under the same name
    journal = Path(f"{path}-journal")
    pair = (path.read_bytes(), journal.read_bytes())
    for args in (("price", str(path)), ("export", str(path), "--xlsx", str(tmp_path / "o.xlsx")),
                 ("recover", str(path)), ("markup", str(path), "--tax", "5")):
        done = _boq_cli(tmp_path, *args)
        assert done.returncode == 1 and "Traceback" not in done.stderr, (args, done.stderr)
        assert (path.read_bytes(), journal.read_bytes()) == pair, f"{args[0]} changed the file or its journal"
    assert "another copy of this file" in done.stderr and "nothing was changed" in done.stderr
    journal.rename(tmp_path / "aside-journal")  # what the message says to do
    assert state(load(path)) == older_state


def _window_states(count: int) -> list[State]:
    from tests.reliability.states import session_target

    prog = make_programme(2, 20)
    result = [state(prog)]
    for k in range(1, count + 1):
        _, item = session_target(prog, k)
        item.quantity += k
        result.append(state(prog))
    return result


@pytest.mark.parametrize("seed", range(2))
def test_window_killed_mid_session_reopens_at_the_last_completed_edit(tmp_path: Path, seed: int) -> None:
    """The real window Document (Qt undo stack, save from the event loop after each edit), killed."""
    path = _boq(tmp_path)
    expected = _window_states(60)
    child = subprocess.Popen([sys.executable, "-m", "tests.reliability.child", "window-session", str(path), "60"],
                             env=_env(tmp_path, QT_QPA_PLATFORM="offscreen"), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "READY"
    first = child.stdout.readline()  # the window is up and has saved its first edit
    assert first.startswith("SAVED"), first
    time.sleep(Random(seed).uniform(0.0, 0.3))
    child.send_signal(signal.SIGKILL)
    out, err = child.communicate(timeout=60)
    saved = [int(line.split()[1]) for line in (first + out).splitlines() if line.startswith("SAVED")]
    last = saved[-1]
    assert child.returncode == -signal.SIGKILL or last == 60, err
    got = _reopened(path)
    assert got in (expected[last], expected[min(last + 1, 60)]), f"last completed save: {last}"
