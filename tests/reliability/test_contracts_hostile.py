"""The contract tables under power cuts and in hostile files.

Kill: `boq contract measure`, `vary` and `certificate` run in a child process that is SIGKILLed at
write steps (`killpoints`: each SQL statement, commit, fsync, rename, unlink; every one of them with
BOQ_KILL_ALL=1) and at random moments; afterwards the file opens (a cut-off save repaired by the writer) and its contract entries
are exactly those before or those after the command: never half an entry (a log row without its
lines), never a changed one.

Fuzz: a file holding a whole contract (award, variation, three measured periods, certificates) with
bytes flipped, truncated, or rows rewritten by SQL as another program could: opening and reading the
contract gives the contract or a `ProjectFileError` naming the file, never another exception.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
from pathlib import Path
from random import Random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from estimator.cli.main import main
from estimator.contracts import storage
from estimator.contracts.certificate import compute
from estimator.errors import ProjectFileError, UserError
from estimator.store import Project
from tests.reliability import kill_harness as kh
from tests.support.contracts import Example, make, write_csv

Rows = tuple[tuple[Any, ...], ...]


def _entries(path: Path) -> tuple[Rows, Rows]:
    """The contract rows of `path` (opened for writing: a cut-off save is repaired first), without timestamps."""
    with Project.open(path) as project:
        conn = project.connection
        log = tuple(conn.execute("SELECT seq, lot, kind, period, name, date, data FROM contract_log ORDER BY seq"))
        lines = tuple(conn.execute("SELECT entry, pos, item, data FROM contract_lines ORDER BY entry, pos"))
    return log, lines


def _build(folder: Path, example: Example, periods: int) -> Path:
    """The example awarded, VO-1 recorded, `periods` periods measured, each certified but the last."""
    boq = folder / "programme.boq"
    boq.write_bytes(example.boq.read_bytes())
    assert main(["contract", "award", str(boq), "--lot", "1", "--bid", str(example.bid), "--date", "2027-02-01"]) == 0
    vo = write_csv(folder / "vo1.csv", [["action", "item", "quantity", "description", "unit", "rate"],
                                        ["change", "1.3", "340", "", "", ""],
                                        ["add", "V1.1", "12", "Steel handrail = ramp", "m", "45.60"]])
    assert main(["contract", "vary", str(boq), str(vo), "--lot", "1", "--name", "VO-1", "--date", "2027-02-10"]) == 0
    quantities = [("60", "25.5", "120.4"), ("100", "30", "200"), ("100", "40", "330")]
    for period in range(1, periods + 1):
        q = quantities[period - 1]
        m = write_csv(folder / f"m{period}.csv", [["item", "quantity", "percent"], ["1.1", q[0], ""], ["1.2", q[1], ""],
                                                   ["1.3", q[2], ""], ["1.4", "", str(30 * period)]])
        assert main(["contract", "measure", str(boq), "--lot", "1", "--period", str(period), str(m)]) == 0
        if period < periods:
            assert main(["contract", "certificate", str(boq), "--lot", "1", "--period", str(period)]) == 0
    return boq


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Example:
    return make(tmp_path_factory.mktemp("contracts"))


class Data(bytes):
    def __repr__(self) -> str:  # hypothesis prints the arguments of a failing example
        return f"<{len(self)} bytes>"


@pytest.fixture(scope="module")
def contract_file(example: Example, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("full")
    return Data(_build(folder, example, 3).read_bytes())


# ---- power cuts ------------------------------------------------------------------------------------


def _scenario(folder: Path, example: Example, op: str) -> kh.Scenario:
    boq = _build(folder, example, 2)
    if op == "measure":
        m = write_csv(folder / "m3.csv", [["item", "quantity"], ["1.1", "100"], ["1.2", "40"], ["1.3", "330"],
                                          ["V1.1", "6"]])
        argv = ["cli", "contract", "measure", str(boq), "--lot", "1", "--period", "3", str(m)]
    elif op == "vary":
        v = write_csv(folder / "vo2.csv", [["action", "item", "quantity"], ["change", "1.1", "130"], ["omit", "1.4", ""]])
        argv = ["cli", "contract", "vary", str(boq), str(v), "--lot", "1", "--name", "VO-2"]
    else:
        argv = ["cli", "contract", "certificate", str(boq), "--lot", "1", "--period", "2", "--materials", "250"]
    return kh.Scenario(op, folder, argv, boq=boq)


@pytest.mark.parametrize("op", ["measure", "vary", "certificate"])
def test_a_kill_leaves_the_contract_before_or_after(example: Example, tmp_path: Path, op: str) -> None:
    sc = _scenario(tmp_path, example, op)
    sc.snapshot()
    before = _entries(sc.boq)  # type: ignore[arg-type]
    sc.reset()
    done = subprocess.run(sc.command(), env=sc.environment(), capture_output=True, text=True, timeout=300, cwd=sc.folder)
    assert done.returncode == 0, done.stderr
    steps = int(done.stdout.strip().splitlines()[-1].split()[2])
    elapsed = float(done.stdout.strip().splitlines()[-1].split()[1])
    after = _entries(sc.boq)  # type: ignore[arg-type]
    assert after != before and len(after[0]) == len(before[0]) + 1
    sc.reset()
    rng = Random(op)
    seen: dict[str, int] = {"before": 0, "after": 0}
    if os.environ.get("BOQ_KILL_ALL"):  # every write step (about 150 a command: 5 minutes for the three)
        chosen = set(range(1, steps + 1))
    else:  # the last steps (the entry's inserts, COMMIT, the journal's deletion) and a few spread before them
        chosen = set(range(max(1, steps - 7), steps + 1)) | set(range(1, steps, max(1, steps // 5)))
    plan = [("step", k) for k in sorted(chosen)] + [("random", 0)] * 3
    for how, k in plan:
        env = sc.environment(BOQ_KILL_AT=str(k)) if how == "step" else sc.environment()
        child = subprocess.Popen(sc.command(), env=env, cwd=sc.folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "READY"
        if how == "random":
            import time

            time.sleep(rng.uniform(0, elapsed))
            child.kill()
        child.communicate(timeout=300)
        assert child.returncode in (0, -9), f"{op} {how} {k}: exit {child.returncode}"
        found = _entries(sc.boq)  # type: ignore[arg-type]
        assert found in (before, after), f"{op} killed at {how} {k}: the contract is neither as before nor as after"
        seen["before" if found == before else "after"] += 1
        with Project.open(sc.boq) as project:  # and it reads as a contract
            ledger = storage.ledger(project, project.programme.facilities[0].uid)
            assert ledger is not None
        sc.reset()
    print(f"\n{op}: {len(plan)} kills ({steps} steps): {seen}")
    assert seen["before"] >= 1 and seen["after"] >= 1


# ---- hostile files -----------------------------------------------------------------------------------


def _read(path: Path) -> str:
    """'ok' if the contract opens and certifies, 'refused' if it is refused with ProjectFileError naming the file."""
    try:
        with Project.open(path) as project:
            for facility in project.programme.facilities:
                ledger = storage.ledger(project, facility.uid)
                if ledger is not None and ledger.periods():
                    with contextlib.suppress(UserError):
                        compute(ledger, max(ledger.periods()) + 1, ledger.contract.date)
    except ProjectFileError as exc:
        assert str(path) in str(exc) and "Traceback" not in str(exc)
        return "refused"
    return "ok"


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 10**7), st.integers(0, 255)), min_size=1, max_size=12))
def test_flipped_bytes(contract_file: bytes, tmp_path_factory: pytest.TempPathFactory,
                       flips: list[tuple[int, int]]) -> None:
    data = bytearray(contract_file)
    for offset, value in flips:
        data[offset % len(data)] = value
    path = tmp_path_factory.mktemp("flip") / "flipped.boq"
    path.write_bytes(bytes(data))
    _read(path)


@FUZZ
@given(st.integers(0, 10**7))
def test_truncated(contract_file: bytes, tmp_path_factory: pytest.TempPathFactory, cut: int) -> None:
    path = tmp_path_factory.mktemp("cut") / "cut.boq"
    path.write_bytes(contract_file[: cut % (len(contract_file) + 1)])
    _read(path)


_JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20) |
                            st.sampled_from(["NaN", "1e999", "-0", "1,5", " 7", "12.50", "100", "-5", "2027-13-45"]),
                            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner,
                                                                                         max_size=4), max_leaves=12)
_KEYS = ["quantity", "percent", "rate", "ref", "description", "unit", "action", "status", "value", "retention",
         "advance", "terms", "gross_to_date", "amount_due", "contract_quantity", "cumulative_value", "rate_source"]


@FUZZ
@given(st.sampled_from(["contract_log", "contract_lines"]), st.integers(0, 40), st.sampled_from(_KEYS), _JSON_VALUES)
def test_rewritten_values(contract_file: bytes, tmp_path_factory: pytest.TempPathFactory, table: str, row: int,
                          key: str, value: object) -> None:
    """Another program rewrites one JSON field of one row: the contract reads, or is refused by name."""
    import json

    path = tmp_path_factory.mktemp("json") / "rewritten.boq"
    path.write_bytes(contract_file)
    with sqlite3.connect(path) as conn:
        rows = conn.execute(f"SELECT rowid, data FROM {table}").fetchall()
        rowid, data = rows[row % len(rows)]
        content = json.loads(data)
        content[key] = value
        conn.execute(f"UPDATE {table} SET data = ? WHERE rowid = ?", (json.dumps(content), rowid))
    _read(path)


@pytest.mark.parametrize(("sql", "match"), [
    ("UPDATE contract_log SET kind = 'payment' WHERE seq = 2", "entry 2 is not an entry this program writes"),
    ("UPDATE contract_log SET data = x'7b7d' WHERE seq = 1", "entry 1"),
    ("UPDATE contract_log SET period = 'three' WHERE kind = 'measurement'", "is not an entry this program writes"),
    ("UPDATE contract_log SET date = '2027-02-30' WHERE seq = 1", "damaged"),
    ("UPDATE contract_log SET data = '[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]' WHERE seq = 1", "nested more than"),
    ("UPDATE contract_lines SET data = json_set(data, '$.quantity', 'NaN') WHERE entry = 1 AND pos = 0",
     "'NaN' is not a valid number"),
    ("UPDATE contract_lines SET data = json_set(data, '$.rate', '1e999') WHERE entry = 1 AND pos = 0", "1e999"),
    ("UPDATE contract_lines SET data = json_set(data, '$.percent', '150') WHERE data LIKE '%percent%'", "above 100"),
    ("UPDATE contract_lines SET item = x'00' WHERE entry = 1 AND pos = 0", "damaged line"),
    ("INSERT INTO contract_log (lot, kind, period, name, date, created, data) SELECT lot, 'award', 0, 'x', date, created, "
     "data FROM contract_log WHERE seq = 1", "awarded twice"),
    ("UPDATE contract_log SET kind = 'approval' WHERE kind = 'measurement'", "approves a variation that is not pending"),
    ("DELETE FROM contract_log WHERE seq = 1", "recorded before the award"),
])
def test_tampered_rows_are_refused_by_name(contract_file: bytes, tmp_path: Path, sql: str, match: str) -> None:
    path = tmp_path / "tampered.boq"
    path.write_bytes(contract_file)
    with sqlite3.connect(path) as conn:
        conn.execute(sql)
    with Project.open(path) as project, pytest.raises(ProjectFileError) as caught:
        storage.ledger(project, project.programme.facilities[0].uid)
    assert match in str(caught.value) and str(path) in str(caught.value)
    assert main(["contract", "certificate", str(path), "--lot", "1", "--period", "3", "--draft"]) == 1


def test_save_as_and_a_format_6_file(contract_file: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Save As keeps the contracts; a format 6 file (before contracts) is migrated when opened for writing."""
    path = tmp_path / "full.boq"
    path.write_bytes(contract_file)
    with Project.open(path) as project:
        project.save_as(tmp_path / "copy.boq")
    assert _entries(tmp_path / "copy.boq") == _entries(path)
    old = tmp_path / "old.boq"
    old.write_bytes(contract_file)
    with sqlite3.connect(old) as conn:
        conn.execute("DROP TABLE contract_lines")
        conn.execute("DROP TABLE contract_log")
        conn.execute("PRAGMA user_version = 6")
    assert main(["contract", "list", str(old)]) == 1
    assert "older file format 6" in capsys.readouterr().err
    with Project.open(old) as project:
        assert storage.awarded_lots(project) == []
    assert main(["contract", "list", str(old)]) == 0
