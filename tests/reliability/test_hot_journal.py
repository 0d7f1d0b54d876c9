"""A save cut off by a crash leaves a hot journal (issue 12: "readers must not write").

The crash is made for real without strace: a child process writes a transaction larger than its page
cache, so SQLite spills pages into the file, and dies before COMMIT. `boq price`-style readers must refuse
and change nothing; a writer repairs it, safely: only a journal of this very file, with a copy of both
files kept until the result is checked, and both put back when the check fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from estimator.errors import ProjectFileError
from estimator.journal import CutOffSave, is_hot, journal_of
from estimator.store import Project, load
from tests.reliability.states import make_programme, state

CRASH = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 2")  # the transaction's pages spill into the file before COMMIT
conn.execute("BEGIN")
conn.execute("PRAGMA user_version = 3")  # page 1 changes too, as in every real save
conn.execute("UPDATE items SET description = description || ' (half-saved)'")
os._exit(9)  # the crash: no COMMIT, no ROLLBACK
"""


def _crashed(tmp_path: Path) -> tuple[Path, object]:
    path = tmp_path / "cut.boq"
    Project.create(path, make_programme(3, 400)).close()  # big enough for the transaction to spill
    before = state(load(path))
    subprocess.run([sys.executable, "-c", CRASH, str(path)], check=False, timeout=60)
    assert is_hot(path), "the crash must leave a hot journal"
    return path, before


def _pair(path: Path) -> tuple[bytes, bytes]:
    return path.read_bytes(), journal_of(path).read_bytes()


def test_readers_refuse_and_change_nothing_then_a_writer_repairs(tmp_path: Path) -> None:
    path, before = _crashed(tmp_path)
    pair = _pair(path)
    with pytest.raises(CutOffSave, match="a save to it was cut off"):
        load(path)
    assert _pair(path) == pair, "a reader wrote to the file or its journal"
    with Project.open(path) as project:
        assert project.repaired
        assert state(project.programme) == before
    assert not journal_of(path).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cut.boq", "cut.boq.lock"], "the kept copies are removed"


def test_a_repair_that_fails_its_check_puts_both_files_back(tmp_path: Path) -> None:
    """A journal that claims the file had 2 pages: rolling it back truncates the file, the integrity check
    fails, and the file and journal are restored byte for byte; nothing is lost, nothing is left."""
    path, _ = _crashed(tmp_path)
    journal = journal_of(path)
    data = bytearray(journal.read_bytes())
    data[8:12] = (0).to_bytes(4, "big")  # no page records
    data[12:16] = (2).to_bytes(4, "big")  # "the file had 2 pages"
    journal.write_bytes(bytes(data))
    pair = _pair(path)
    with pytest.raises(ProjectFileError, match=r"undoing it failed .*put back exactly as they were") as caught:
        Project.open(path)
    assert "\n" not in str(caught.value)
    assert _pair(path) == pair
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cut.boq", "cut.boq-journal", "cut.boq.lock"]


def test_a_journal_of_another_copy_is_not_applied(tmp_path: Path) -> None:
    """Without strace (see test_recovery.py for the commit-time case): the file beside the journal is an
    older copy, saved fewer times, so its change counter is not the journal's."""
    path, _ = _crashed(tmp_path)
    older = tmp_path / "older.boq"
    Project.create(older, make_programme(3, 400)).close()
    with Project.open(older) as project:  # a different history: other saves, other counter
        for k in range(1, 4):
            project.programme.name = f"v{k}"
            project.save()
    os.replace(older, path)
    pair = _pair(path)
    for opening in (lambda: load(path), lambda: Project.open(path).close()):
        with pytest.raises(ProjectFileError):
            opening()
        assert _pair(path) == pair
    with pytest.raises(ProjectFileError, match="another copy of this file"):
        Project.open(path)
