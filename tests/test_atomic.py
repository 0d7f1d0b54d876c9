"""Atomic output: all or nothing under the name, and no debris from earlier interrupted writes."""

import os
import stat
from pathlib import Path

import pytest

from estimator.atomic import atomic_output


def test_success_replaces_and_failure_leaves_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "boq.xlsx"
    out.write_text("old")
    with pytest.raises(RuntimeError), atomic_output(out) as tmp:
        tmp.write_text("half")
        raise RuntimeError("disk full")
    assert out.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["boq.xlsx"]
    with atomic_output(out) as tmp:
        tmp.write_text("new")
    assert out.read_text() == "new" and sorted(p.name for p in tmp_path.iterdir()) == ["boq.xlsx"]


def test_leftovers_of_a_killed_write_are_removed_next_time(tmp_path: Path) -> None:
    killed = tmp_path / ".boq.k3j9x_2a.xlsx.part"  # what mkstemp names a write that was killed
    unrelated = tmp_path / ".boq.notes.xlsx.part"  # not mkstemp's pattern: not ours to delete
    killed.write_text("partial")
    unrelated.write_text("keep")
    with atomic_output(tmp_path / "boq.xlsx") as tmp:
        tmp.write_text("complete")
    assert not killed.exists() and unrelated.exists()


def test_new_files_get_normal_permissions(tmp_path: Path) -> None:
    with atomic_output(tmp_path / "a.pdf") as tmp:
        tmp.write_text("x")
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE((tmp_path / "a.pdf").stat().st_mode) == 0o666 & ~umask
