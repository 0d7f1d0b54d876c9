"""Damaged and foreign `.boq` files: truncated, random bytes, flipped bytes, wrong schema, foreign or newer.

Opening one gives ProjectFileError with a message naming the file (never another exception), or,
when the damage missed everything that matters, the programme exactly as it was. The command line
answers with exit code 1 and one line, never a traceback.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from estimator.errors import ProjectFileError
from estimator.pricing import price
from estimator.store import APPLICATION_ID, SCHEMA, SCHEMA_VERSION, Project, load
from tests.reliability.states import ROOT, State, apply_edit, make_programme, small_edit, state

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, State]:
    """A file saved several times (deletions and insertions), so its pages are not in creation order."""
    path = tmp_path_factory.mktemp("boq") / "edited.boq"
    Project.create(path, make_programme(3, 60)).close()
    for seed in (1, 2, 4, 5):
        with Project.open(path) as project:
            apply_edit(project.programme, seed)
            project.save()
    return path.read_bytes(), state(load(path))


def _open_or_refuse(path: Path) -> State | None:
    """The state if the file opens, None if it is refused with ProjectFileError naming it."""
    try:
        seen = state(load(path))
    except ProjectFileError as exc:
        assert str(path) in str(exc) and "\n" not in str(exc)
        return None
    with Project.open(path) as project:  # what opens read-only opens for writing, and saves
        assert state(project.programme) == seen
        small_edit(project.programme, 2)
        project.save()
    return seen


@FUZZ
@given(st.integers(0, 10**7))
def test_truncated_files(edited: tuple[bytes, State], tmp_path_factory: pytest.TempPathFactory, cut: int) -> None:
    data, expected = edited
    path = tmp_path_factory.mktemp("cut") / "cut.boq"
    path.write_bytes(data[: cut % (len(data) + 1)])
    seen = _open_or_refuse(path)
    assert seen is None or seen == expected, "a truncated file must not open with different contents"


def test_truncation_at_every_page_boundary(edited: tuple[bytes, State], tmp_path: Path) -> None:
    data, expected = edited
    opened = 0
    for cut in range(0, len(data), 4096):
        path = tmp_path / f"cut{cut}.boq"
        path.write_bytes(data[:cut])
        seen = _open_or_refuse(path)
        assert seen is None or seen == expected
        opened += seen is not None
    print(f"\n{len(data) // 4096} truncations: {opened} opened intact, the rest refused")


@FUZZ
@given(st.binary(max_size=5000), st.booleans())
def test_random_bytes(tmp_path_factory: pytest.TempPathFactory, blob: bytes, with_magic: bool) -> None:
    path = tmp_path_factory.mktemp("bytes") / "random.boq"
    path.write_bytes((b"SQLite format 3\x00" if with_magic else b"") + blob)
    assert _open_or_refuse(path) is None


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.integers(100, 10**7), st.integers(0, 255)), min_size=1, max_size=20))
def test_flipped_bytes(edited: tuple[bytes, State], tmp_path_factory: pytest.TempPathFactory, flips: list[tuple[int, int]]) -> None:
    """SQLite has no checksums, so a flipped byte inside a text may read as a different text; what
    matters is that nothing but ProjectFileError (naming the file) comes out, and that what opens
    prices (every total the sum of its parts) and saves a file that reads back the same."""
    data = bytearray(edited[0])
    for offset, value in flips:
        data[offset % len(data)] = value
    folder = tmp_path_factory.mktemp("flip")
    path = folder / "flipped.boq"
    path.write_bytes(bytes(data))
    try:
        programme = load(path)
    except ProjectFileError as exc:
        assert str(exc).startswith(f"{path}: ") and "Traceback" not in str(exc)
        return
    estimate = price(programme)
    assert estimate.subtotal == sum((f.total for f in estimate.facilities), Decimal(0))
    assert estimate.grand_total == estimate.subtotal + sum((m.amount for m in estimate.markups), Decimal(0))
    Project.create(folder / "saved.boq", programme).close()
    assert state(load(folder / "saved.boq")) == state(programme)


def _db(path: Path, app_id: int = APPLICATION_ID, version: int = SCHEMA_VERSION, schema: str = SCHEMA) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(schema)
    conn.execute(f"PRAGMA application_id = {app_id}")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: _db(p, app_id=0), "is an SQLite database but not a BoQ Estimator project file"),
        (lambda p: _db(p, version=SCHEMA_VERSION + 1), "was saved by a newer BoQ Estimator"),
        (lambda p: _db(p, schema="CREATE TABLE meta (key TEXT);"), "table 'meta' that differs .* 'key TEXT'"),
        (lambda p: _db(p, schema=re.sub(r",\s*notes TEXT NOT NULL DEFAULT ''(?=, measurement)", "", SCHEMA)),
         "table 'items' that differs .*missing \"notes"),
        (lambda p: p.write_bytes(b""), "not an SQLite database"),
        (lambda p: p.write_text("Facility,Section\n"), "not an SQLite database"),
        (lambda p: p.mkdir(), "is a folder"),
    ],
)
def test_foreign_and_wrong_schema_files(tmp_path: Path, make: object, message: str) -> None:
    path = tmp_path / "foreign.boq"
    make(path)  # type: ignore[operator]
    with pytest.raises(ProjectFileError, match=message):
        load(path)
    with pytest.raises(ProjectFileError, match=message):
        Project.open(path)


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("UPDATE meta SET value = 'yesterday' WHERE key = 'issue_date'", "damaged"),
        ("UPDATE meta SET value = 'ninety' WHERE key = 'validity_days'", "damaged"),
        ("UPDATE items SET quantity = 'lots' WHERE rowid = 1", "damaged"),
        ("UPDATE rates SET data = '{\"trade\": 1' WHERE rowid = 1", "damaged"),
        ("UPDATE rates SET data = '[1, 2]' WHERE rowid = 1", "damaged"),
        ("UPDATE resources SET data = json_remove(data, '$.price') WHERE rowid = 1", "damaged"),
        ("UPDATE rates SET data = json_set(data, '$.lines', json('[[1]]')) WHERE rowid = 1", "damaged"),
        ("UPDATE fx SET rate = 'NaN'", "damaged"),
    ],
)
def test_damaged_contents(tmp_path: Path, sql: str, message: str) -> None:
    path = tmp_path / "damaged.boq"
    Project.create(path, make_programme(1, 5)).close()
    with sqlite3.connect(path) as conn:
        conn.execute(sql)
    with pytest.raises(ProjectFileError, match=message):
        load(path)


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BOQ_DATA_DIR": str(tmp_path / "u")}
    return subprocess.run([sys.executable, "-m", "estimator", *args], env=env, capture_output=True, text=True, timeout=120)


def test_command_line_on_bad_files_says_one_line(tmp_path: Path, edited: tuple[bytes, State]) -> None:
    cut = tmp_path / "cut.boq"
    cut.write_bytes(edited[0][: len(edited[0]) // 3])
    noise = tmp_path / "noise.boq"
    noise.write_bytes(os.urandom(3000))
    newer = _db(tmp_path / "newer.boq", version=SCHEMA_VERSION + 1)
    cases = [(["price", str(cut)], "is damaged or not a valid project"),
             (["price", str(noise), "--json"], "not an SQLite database"),
             (["markup", str(newer), "--tax", "5"], "was saved by a newer BoQ Estimator"),
             (["export", str(noise), "--xlsx", str(tmp_path / "out.xlsx")], "not an SQLite database"),
             (["price", str(tmp_path / "missing.boq")], "no such file")]
    for args, message in cases:
        done = _cli(tmp_path, *args)
        assert done.returncode == 1, (args, done.stderr)
        assert "Traceback" not in done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"boq {args[0]}: ") and message in lines[0], lines
    assert not (tmp_path / "out.xlsx").exists()


def test_rates_snapshot_json_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "p.boq"
    Project.create(path, make_programme(1, 5)).close()
    with sqlite3.connect(path) as conn:
        code, data = conn.execute("SELECT code, data FROM rates LIMIT 1").fetchone()
        d = json.loads(data)
        d["quoted_date"] = "someday"
        d["quoted_price"] = "5"
        conn.execute("UPDATE rates SET data = ? WHERE code = ?", (json.dumps(d), code))
    with pytest.raises(ProjectFileError, match="damaged"):
        load(path)
