"""Runs inside a private mount namespace on a small tmpfs (see test_disk_full.py): fills the disk for real,
then runs the real commands and the real save path, and prints what it saw as JSON.

`python -m tests.reliability.diskfull FOLDER SCENARIO`
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.reliability.states import MINILIB, ROOT, make_programme, small_edit, state


def fill(folder: Path) -> Path:
    """Take every free byte of the file system with one file; returns it (delete it to free the space)."""
    filler = folder / "filler.bin"
    with filler.open("wb", buffering=0) as fh:
        for size in (1 << 20, 1 << 12, 1):
            try:
                while True:
                    fh.write(b"\0" * size)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
    return filler


def listing(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in sorted(folder.iterdir()) if p.name != "filler.bin"}


def boq(*args: str, library: bool = False) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BOQ_RATES_DIR": str(MINILIB)}
    if library:  # the sample is priced from the bundled library
        del env["BOQ_RATES_DIR"]
    done = subprocess.run([sys.executable, "-m", "estimator", *args], env=env, capture_output=True, text=True, timeout=300)
    return {"rc": done.returncode, "stderr": done.stderr, "stdout": done.stdout}


def main(folder: Path, scenario: str) -> dict[str, Any]:
    from estimator.errors import UserError
    from estimator.store import Project, load

    os.environ["BOQ_RATES_DIR"] = str(MINILIB)
    seen: dict[str, Any] = {}
    if scenario in ("new", "demo"):
        fill(folder)
        before = listing(folder)
        seen["cli"] = boq(scenario, str(folder / "x.boq"), library=scenario == "demo")
        seen["debris"] = sorted(set(listing(folder)) - set(before))
    elif scenario == "save":
        path = folder / "x.boq"
        Project.create(path, make_programme(2, 40)).close()
        original, expected = path.read_bytes(), state(load(path))
        filler = fill(folder)
        seen["cli"] = boq("markup", str(path), "--tax", "7")
        seen["cli_unchanged"] = path.read_bytes() == original and state(load(path)) == expected
        seen["cli_debris"] = sorted(set(listing(folder)) - {"x.boq", "x.boq.lock"})
        project = Project.open(path)  # the window's save path: Project.save after an edit
        small_edit(project.programme, 3)
        edited = state(project.programme)
        try:
            project.save()
            seen["save"] = "saved"
        except UserError as exc:
            seen["save"] = str(exc)
        seen["save_unchanged"] = path.read_bytes() == original
        filler.unlink()  # the user frees some space; the next save writes the edit
        project.save()
        project.close()
        seen["after_freeing"] = state(load(path)) == edited
    elif scenario == "export":
        path = folder / "x.boq"
        Project.create(path, make_programme(2, 40)).close()
        fill(folder)
        before = listing(folder)
        seen["cli"] = boq("export", str(path), "--xlsx", str(folder / "out.xlsx"), "--pdf", str(folder / "out.pdf"))
        seen["debris"] = sorted(set(listing(folder)) - set(before))
    return seen


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), sys.argv[2])))
