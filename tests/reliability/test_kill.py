"""Power cuts during saving, creating, Save As, import, re-pricing and export (see kill_harness.py).

Default run: 4 kills per operation (one at an evenly spaced write step, one inside SQLite's
commit via strace when available, the rest at random moments). Long mode, at least 200 kills:

    BOQ_KILL_ROUNDS=40 .venv/bin/python -m pytest tests/reliability/test_kill.py -m slow -s

(`-s` prints one summary line per operation: kills, before/after, journals, leftovers; with xdist,
set BOQ_KILL_REPORT=FILE to collect them in FILE.)
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from random import Random

import openpyxl
import pytest

from estimator.model import Programme
from estimator.store import Project, load
from tests.reliability import kill_harness as kh
from tests.reliability.conftest import long_mode
from tests.reliability.states import MINILIB, apply_edit, changed_edit, make_programme, state

STRACE = kh.strace_works()


def _project(path: Path, prog: Programme) -> Path:
    Project.create(path, prog).close()
    return path


def _worklist_rows(count: int) -> list[list[object]]:
    rows: list[list[object]] = [["Facility", "Section", "Description", "Quantity", "Unit", "Code", "Rate", "Currency"]]
    for i in range(count):
        facility = "Facility 1 مستشفى" if i % 3 == 0 else f"Imported centre {i // 50}"
        if i % 5 == 4:
            rows.append([facility, "Water tanks", f"Own-rate tank {i}", f"{i + 1}.5", "nr", "", "1,250.50", "TRY"])
        else:
            rows.append([facility, f"{i % 4 + 1} Trade", f"Imported item {i}", f"{i * 7 % 900 + 1}.25", "sqm", "PL-010", "", ""])
    return rows


def _xlsx_values(path: Path) -> list[list[object]]:
    wb = openpyxl.load_workbook(path, data_only=False)
    return [[list(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets]


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _save_edit(folder: Path) -> kh.Scenario:
    boq = _project(folder / "programme.boq", make_programme(3, 40, seed=1))
    return kh.Scenario("save-edit", folder, ["save-edit", str(boq), "7"], boq=boq)


def _save_changed(folder: Path) -> kh.Scenario:
    """The window's save: only the rows the edit changed (`Project.save(changed=...)`)."""
    boq = _project(folder / "programme.boq", make_programme(3, 40, seed=8))
    return kh.Scenario("save-changed", folder, ["save-changed", str(boq), "4"], boq=boq)


def _create(folder: Path) -> kh.Scenario:
    return kh.Scenario("create", folder, ["create", str(folder / "new.boq"), "3"], boq=folder / "new.boq")


def _save_as(folder: Path) -> kh.Scenario:
    src = _project(folder / "source.boq", make_programme(2, 30, seed=2))
    dst = folder / "copy.boq"
    return kh.Scenario("save-as", folder, ["save-as", str(src), str(dst), "5"], boq=dst, untouched=(src,))


def _import_csv(folder: Path) -> kh.Scenario:
    boq = _project(folder / "programme.boq", make_programme(2, 20, seed=3))
    worklist = folder / "worklist.csv"
    worklist.write_text("\n".join(",".join(f'"{c}"' for c in row) for row in _worklist_rows(300)) + "\n", encoding="utf-8")
    return kh.Scenario("import-csv", folder, ["cli", "import", str(boq), str(worklist)], boq=boq, untouched=(worklist,))


def _import_xlsx(folder: Path) -> kh.Scenario:
    boq = _project(folder / "programme.boq", make_programme(2, 20, seed=4))
    worklist = folder / "worklist.xlsx"
    wb = openpyxl.Workbook()
    for row in _worklist_rows(300):
        wb.active.append(row)
    wb.save(worklist)
    return kh.Scenario("import-xlsx", folder, ["cli", "import", str(boq), str(worklist)], boq=boq, untouched=(worklist,))


def _reprice(folder: Path) -> kh.Scenario:
    boq = _project(folder / "programme.boq", make_programme(3, 40, seed=5))
    newer = folder.parent / "newer-library"
    shutil.copytree(MINILIB, newer)
    for name, old, new in (("resources.csv", ",114,USD", ",131.40,USD"), ("rates.csv", ",1850,USD", ",1990,USD")):
        text = (newer / name).read_text(encoding="utf-8")
        assert old in text
        (newer / name).write_text(text.replace(old, new), encoding="utf-8")
    return kh.Scenario("reprice", folder, ["cli", "reprice", str(boq)], boq=boq, env={"BOQ_RATES_DIR": str(newer)})


def _export(folder: Path) -> kh.Scenario:
    boq = _project(folder / "programme.boq", make_programme(3, 40, seed=6))
    xlsx, pdf = folder / "BoQ.xlsx", folder / "Tender pack.pdf"

    def read(path: Path) -> object:
        return _xlsx_values(path) if path.suffix == ".xlsx" else _pdf_text(path)

    return kh.Scenario("export", folder, ["cli", "export", str(boq), "--xlsx", str(xlsx), "--pdf", str(pdf), "--lang", "both"],
                       boq=boq, outputs=(xlsx, pdf), read_output=read, untouched=(boq,))


SCENARIOS: dict[str, Callable[[Path], kh.Scenario]] = {
    "save-edit": _save_edit,
    "save-changed": _save_changed,
    "create": _create,
    "save-as": _save_as,
    "import-csv": _import_csv,
    "import-xlsx": _import_xlsx,
    "reprice": _reprice,
    "export": _export,
}


def _scenario(name: str, tmp_path: Path) -> kh.Scenario:
    folder = tmp_path / name
    folder.mkdir()
    sc = SCENARIOS[name](folder)
    kh.calibrate(sc, STRACE)
    assert sc.after is not None
    if sc.boq is not None and name != "export":
        assert sc.after != sc.before, "the operation must change something, or a kill proves nothing"
    return sc


def _run(name: str, tmp_path: Path, rounds: int) -> list[kh.Outcome]:
    sc = _scenario(name, tmp_path)
    rng = Random(f"{name}-{rounds}")
    outcomes = [kill() for kill in kh.plan(sc, rounds, rng, STRACE)]
    line = kh.summary(name, outcomes)
    print("\n" + line)
    if report := os.environ.get("BOQ_KILL_REPORT"):  # a file to collect the summaries in (xdist hides prints)
        with open(report, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    return outcomes


@pytest.mark.parametrize("name", SCENARIOS)
def test_kill_short(name: str, tmp_path: Path) -> None:
    outcomes = _run(name, tmp_path, 4)
    assert sum(o.killed for o in outcomes) >= 2


@pytest.mark.slow
@pytest.mark.timeout(3600)
@pytest.mark.parametrize("name", SCENARIOS)
def test_kill_long(name: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if not long_mode(request, "BOQ_KILL_ROUNDS"):
        pytest.skip("long kill loop: run with -m slow or set BOQ_KILL_ROUNDS")
    rounds = int(os.environ.get("BOQ_KILL_ROUNDS", "40"))
    outcomes = _run(name, tmp_path, rounds)
    killed = [o for o in outcomes if o.killed]
    assert len(killed) >= rounds * 0.7
    # both outcomes must actually occur, or the kills did not land inside the operation
    if name == "export":
        assert {o.outputs["BoQ.xlsx"] for o in killed} == {"absent", "complete"}
    else:
        assert {o.boq for o in killed} >= {"after"} and len({o.boq for o in killed}) >= 2


def test_edit_scenario_predicts_the_saved_state(tmp_path: Path) -> None:
    """The harness's 'after' state is what the edit means, not just whatever the child wrote."""
    sc = _scenario("save-edit", tmp_path)
    expected = make_programme(3, 40, seed=1)
    apply_edit(expected, 7)
    assert sc.after == state(expected)
    assert load(sc.folder / "programme.boq").facilities  # reset restored the file
    assert sc.before == state(make_programme(3, 40, seed=1))
    assert Decimal(0) < Decimal(sc.elapsed)


def test_changed_scenario_predicts_the_saved_state(tmp_path: Path) -> None:
    """The edit saved by its change gives the state the edit means, as a whole save would."""
    sc = _scenario("save-changed", tmp_path)
    expected = load(sc.folder / "programme.boq")
    changed_edit(expected, 4).apply(expected)
    assert sc.after == state(expected) != sc.before


def test_the_next_save_removes_what_a_cut_save_left(tmp_path: Path) -> None:
    """A kill between creating the temporary file and renaming it leaves `.NAME.xxxxxxxx.tmp`; the next
    create or Save As to that name (which holds the lock, so no live writer can own it) removes it."""
    sc = _scenario("create", tmp_path)
    cut = subprocess.run(sc.command(), env=sc.environment(BOQ_KILL_AT="2"), cwd=sc.folder, capture_output=True,
                         timeout=120)  # step 2: mkstemp has returned
    assert cut.returncode == -9
    assert len([p for p in sc.folder.iterdir() if kh.TEMP.match(p.name)]) == 1
    done = subprocess.run(sc.command(), env=sc.environment(), cwd=sc.folder, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in sc.folder.iterdir() if kh.TEMP.match(p.name)] == []
    assert state(load(sc.folder / "new.boq")) == sc.after
    other = sc.folder / ".new.boq.notours.tmp"
    other.write_text("not a leftover of ours: the name does not match mkstemp's")
    with Project.open(sc.folder / "new.boq") as project:
        project.save_as(sc.folder / "new.boq.copy")
    assert other.exists()
