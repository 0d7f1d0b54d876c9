"""Two windows, one file: a second writer is refused with a clear message, readers still work, and
concurrent attempts never corrupt the file. Every test uses real, separate processes."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from estimator.errors import FileLocked
from estimator.pricing import price
from estimator.store import Project, load
from tests.reliability.states import ROOT, item_count, make_programme, small_edit, state


def _env(tmp_path: Path) -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT), "BOQ_DATA_DIR": str(tmp_path / "userdata")}


def _child(tmp_path: Path, *args: str, stdin: int | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "tests.reliability.child", *args], env=_env(tmp_path), text=True,
                            stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@contextmanager
def _held(tmp_path: Path, path: Path) -> Iterator[None]:
    """Another process (another window) has `path` open for writing while the block runs."""
    holder = _child(tmp_path, "hold", str(path), stdin=subprocess.PIPE)
    assert holder.stdout is not None and holder.stdin is not None
    assert holder.stdout.readline().strip() == "READY"
    assert holder.stdout.readline().strip() == "LOCKED"
    try:
        yield
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    assert holder.returncode == 0, holder.stderr.read() if holder.stderr else ""


def _boq(tmp_path: Path) -> Path:
    path = tmp_path / "two windows.boq"
    Project.create(path, make_programme(2, 20)).close()
    return path


def test_second_writer_gets_file_locked_and_readers_still_work(tmp_path: Path) -> None:
    path = _boq(tmp_path)
    before = state(load(path))
    with _held(tmp_path, path):
        second = _child(tmp_path, "try-open", str(path))
        out, err = second.communicate(timeout=60)
        assert second.returncode == 1, err
        assert f"FileLocked: {path}: is open in another window or command; close it there first" in out
        with pytest.raises(FileLocked, match="open in another window"):
            Project.open(path)
        # reading needs no lock: price, export and compare still work
        assert state(load(path)) == before
        cli = subprocess.run([sys.executable, "-m", "estimator", "price", str(path), "--json"], env=_env(tmp_path),
                             capture_output=True, text=True, timeout=120)
        assert cli.returncode == 0, cli.stderr
        assert '"grand_total"' in cli.stdout
        cli = subprocess.run([sys.executable, "-m", "estimator", "markup", str(path), "--tax", "5"], env=_env(tmp_path),
                             capture_output=True, text=True, timeout=120)
        assert cli.returncode == 1
        assert cli.stderr.strip().splitlines() == [f"boq markup: {path}: is open in another window or command; close it there first"]
    # once the first window closes, the second may write
    with Project.open(path) as project:
        small_edit(project.programme, 3)
        project.save()
    assert item_count(load(path)) == item_count(make_programme(2, 20)) + 1


def test_two_windows_in_one_process_are_refused_too(tmp_path: Path) -> None:
    path = _boq(tmp_path)
    with Project.open(path), pytest.raises(FileLocked):
        Project.open(path)


def test_overwriting_a_file_open_in_another_window_is_refused(tmp_path: Path) -> None:
    """`boq demo --force FILE` / Save As onto FILE must not replace a file another window is editing:
    that window would go on saving into the replaced (deleted) file and lose everything."""
    path = _boq(tmp_path)
    before = state(load(path))
    with _held(tmp_path, path):
        with pytest.raises(FileLocked):
            Project.create(path, make_programme(1, 5, seed=9), overwrite=True)
        with Project.open(_other(tmp_path)) as other, pytest.raises(FileLocked):
            other.save_as(path)
        assert state(load(path)) == before


def _other(tmp_path: Path) -> Path:
    other = tmp_path / "other.boq"
    Project.create(other, make_programme(1, 5, seed=8)).close()
    return other


def test_concurrent_writers_never_corrupt_the_file(tmp_path: Path) -> None:
    """Eight processes start at once and each tries to open, edit and save. Each either saves its whole
    edit or is refused with FileLocked; the file stays consistent and holds exactly the saved edits."""
    path = _boq(tmp_path)
    start = item_count(load(path))
    children = {k: _child(tmp_path, "edit-save", str(path), str(k)) for k in range(1, 9)}
    saved, refused = [], []
    for k, child in children.items():
        out, err = child.communicate(timeout=120)
        assert child.returncode in (0, 1), err
        assert "Traceback" not in err
        if "SAVED" in out:
            saved.append(k)
        else:
            assert "FileLocked:" in out, out
            refused.append(k)
    assert saved, "at least one writer must get through"
    final = load(path)
    assert item_count(final) == start + len(saved)
    descriptions = {it.description for f in final.facilities for b in f.bills for it in b.items}
    assert {f"Session item {k}" for k in saved} <= descriptions
    assert not {f"Session item {k}" for k in refused} & descriptions
    assert price(final).grand_total > 0
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    print(f"\nconcurrent writers: {len(saved)} saved, {len(refused)} refused")


def test_reader_during_a_slow_save_sees_before_or_after(tmp_path: Path) -> None:
    """A reader (another window's `boq price`) racing a writer's saves never sees half a save."""
    path = _boq(tmp_path)
    expected = [make_programme(2, 20)]
    for k in range(1, 6):
        prog = make_programme(2, 20)
        for j in range(1, k + 1):
            small_edit(prog, j)
        expected.append(prog)
    allowed = [state(p) for p in expected]
    writer = _child(tmp_path, "session", str(path), "5")
    seen = 0
    while writer.poll() is None:
        assert state(load(path)) in allowed
        seen += 1
    assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
    assert state(load(path)) == allowed[-1]
    assert seen > 0
