"""A full disk, for real: a small tmpfs mounted in a private mount namespace (`unshare -rm`), filled to
the last byte, then the real commands and the real save path (tests/reliability/diskfull.py).

Before (issue 12): `boq new` and `boq demo` ended in a traceback, and a save said the file "may be
damaged". Now each says the disk is full, names the file, keeps it as it was and leaves no debris.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.states import MINILIB, ROOT

pytestmark = pytest.mark.timeout(600)


def _tmpfs_works(folder: Path) -> bool:
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", f'mount -t tmpfs -o size=64k tmpfs "{folder}"'],
                           capture_output=True, timeout=30)
    return probe.returncode == 0


def _run(tmp_path: Path, scenario: str, size: str = "4m") -> dict[str, Any]:
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _tmpfs_works(disk):
        pytest.skip("cannot mount a small tmpfs here (needs user and mount namespaces)")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BOQ_RATES_DIR": str(MINILIB), "BOQ_DATA_DIR": str(tmp_path / "u")}
    done = subprocess.run(["unshare", "-rm", "sh", "-c", 'mount -t tmpfs -o size="$1" tmpfs "$0" && '
                           'exec "$2" -m tests.reliability.diskfull "$0" "$3"', str(disk), size, sys.executable, scenario],
                          env=env, capture_output=True, text=True, timeout=540)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _one_line(cli: dict[str, Any], command: str, name: str) -> str:
    assert cli["rc"] == 1, cli
    assert "Traceback" not in cli["stderr"], cli["stderr"]
    lines = cli["stderr"].strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"boq {command}: ") and name in lines[0], lines
    assert "the disk is full" in lines[0], lines
    return str(lines[0])


@pytest.mark.parametrize("command", ["new", "demo"])
def test_new_and_demo_on_a_full_disk_say_so_and_leave_nothing(tmp_path: Path, command: str) -> None:
    seen = _run(tmp_path, command)
    line = _one_line(seen["cli"], command, "x.boq")
    assert "nothing was written" in line
    assert seen["debris"] == [], "no temporary, lock or half-written file may stay"


def test_a_save_on_a_full_disk_says_so_keeps_the_file_and_loses_nothing(tmp_path: Path) -> None:
    seen = _run(tmp_path, "save")
    line = _one_line(seen["cli"], "markup", "x.boq")
    assert "may be damaged" not in line and "is as it was" in line
    assert seen["cli_unchanged"] and seen["cli_debris"] == []
    assert "the disk is full" in seen["save"] and "the changes were not saved" in seen["save"], seen["save"]
    assert seen["save_unchanged"]
    assert seen["after_freeing"], "once space is freed the next save writes the edit that failed"


def test_an_export_on_a_full_disk_says_so_and_leaves_no_part_file(tmp_path: Path) -> None:
    seen = _run(tmp_path, "export")
    line = _one_line(seen["cli"], "export", "out.xlsx")
    assert "nothing was written" in line
    assert seen["debris"] == []
