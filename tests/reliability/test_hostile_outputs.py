"""Output paths a careless user (or a script) types (issue 12): every command that writes a file refuses to
write over the programme, over another input of the same command (by real identity: hard and symbolic
links, SQLite's files beside a .boq), over an open programme, or over a file of another kind unless
--force; replacing a file of the same kind stays allowed. Each refusal names the path and changes nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from estimator.outputs import OutputRefused, guard_output, same_file, sniff
from estimator.store import Project, load
from tests.reliability.states import MINILIB, ROOT, make_programme, state

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A programme, an xlsx and a PDF export of it, a text file: the files the tests aim at."""
    here = tmp_path_factory.mktemp("outputs")
    Project.create(here / "P.boq", make_programme(2, 8)).close()
    assert _cli(here, "export", str(here / "P.boq"), "--xlsx", str(here / "bid.xlsx"), "--unpriced",
                "--pdf", str(here / "pack.pdf")).returncode == 0
    (here / "notes.txt").write_text("site notes, not to be lost\n", encoding="utf-8")
    return here


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BOQ_RATES_DIR": str(MINILIB), "BOQ_DATA_DIR": str(cwd / "u")}
    if args[0] == "demo":  # the sample is priced from the bundled library
        del env["BOQ_RATES_DIR"]
    return subprocess.run([sys.executable, "-m", "estimator", *args], env=env, capture_output=True, text=True,
                          timeout=240, cwd=cwd)


@pytest.fixture
def work(folder: Path, tmp_path: Path) -> Iterator[Path]:
    """A fresh copy of the folder for one test."""
    for p in folder.iterdir():
        if p.is_file():
            (tmp_path / p.name).write_bytes(p.read_bytes())
    yield tmp_path


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.is_symlink()}


def _refused(work: Path, args: list[str], message: str) -> None:
    before = _snapshot(work)
    done = _cli(work, *args)
    assert done.returncode == 1, (args, done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in done.stderr, (args, done.stderr)
    assert _snapshot(work) == before, f"{args}: a file changed or appeared"


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "forced"])
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "P.boq", "--xlsx", "P.boq"], "is an input of this command"),
        (["export", "P.boq", "--pdf", "./sub/../P.boq"], "is an input of this command"),
        (["export", "P.boq", "--xlsx", "P.boq-journal"], "belongs to the programme"),
        (["export", "P.boq", "--pdf", "P.boq.lock"], "belongs to the programme"),
        (["export", "P.boq", "--xlsx", "same.xlsx", "--pdf", "same.xlsx"], "is named twice"),
        (["compare", "P.boq", "--xlsx", "P.boq"], "is an input of this command"),
        (["compare", "P.boq", "--pdf", "hard-link.pdf"], "is an input of this command"),
        (["compare", "P.boq", "--xlsx", "sym-link.xlsx"], "is an input of this command"),
        (["bids", "P.boq", "bid.xlsx", "--report", "bid.xlsx"], "is an input of this command"),
        (["bids", "P.boq", "bid.xlsx", "--report", "P.boq"], "is an input of this command"),
        (["export", "P.boq", "--xlsx", "."], "is a folder"),
    ],
)
def test_never_over_an_input_even_with_force(work: Path, args: list[str], message: str, force: list[str]) -> None:
    """Before: `boq export P.boq --xlsx P.boq` replaced the programme with a workbook (exit 0)."""
    (work / "sub").mkdir()
    os.link(work / "P.boq", work / "hard-link.pdf")
    (work / "sym-link.xlsx").symlink_to(work / "P.boq")
    _refused(work, args + force, message)
    assert load(work / "P.boq").facilities


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "P.boq", "--xlsx", "pack.pdf"], "exists and is a PDF document, not an Excel workbook (.xlsx)"),
        (["export", "P.boq", "--pdf", "bid.xlsx"], "exists and is an Excel workbook (.xlsx), not a PDF document"),
        (["export", "P.boq", "--pdf", "notes.txt"], "exists and is a text file, not a PDF document"),
        (["compare", "P.boq", "--xlsx", "notes.txt"], "exists and is a text file"),
        (["bids", "P.boq", "bid.xlsx", "--report", "pack.pdf"], "exists and is a PDF document"),
        (["export", "P.boq", "--xlsx", "other.boq"], "exists and is a BoQ programme (.boq)"),
    ],
)
def test_a_file_of_another_kind_needs_force(work: Path, args: list[str], message: str) -> None:
    Project.create(work / "other.boq", make_programme(1, 2)).close()
    _refused(work, args, message)
    assert "add --force" in _cli(work, *args).stderr
    done = _cli(work, *args, "--force")
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
    target = work / args[args.index(next(a for a in args if a.startswith("--"))) + 1]
    assert sniff(target) in ("xlsx", "pdf"), "--force replaced the file with the export"


def test_a_file_of_the_same_kind_is_replaced(work: Path) -> None:
    before = (work / "bid.xlsx").read_bytes()
    done = _cli(work, "export", "P.boq", "--xlsx", "bid.xlsx")  # priced, so a different workbook
    assert done.returncode == 0, done.stderr
    assert (work / "bid.xlsx").read_bytes() != before and sniff(work / "bid.xlsx") == "xlsx"


def test_an_open_programme_is_never_replaced(work: Path) -> None:
    Project.create(work / "open.boq", make_programme(1, 2)).close()
    with Project.open(work / "open.boq"):
        _refused(work, ["export", "P.boq", "--xlsx", "open.boq", "--force"], "is a programme open in a window")
        _refused(work, ["demo", "open.boq", "--force"], "is a programme open in a window")


@pytest.mark.parametrize("command", ["new", "demo"])
@pytest.mark.parametrize("target", ["notes.txt", "pack.pdf", "bid.xlsx"])
def test_new_and_demo_never_replace_a_file_of_another_kind(work: Path, command: str, target: str) -> None:
    for extra in ([], ["--force"] if command == "demo" else []):
        _refused(work, [command, target, *extra], "not a BoQ programme (.boq); choose another name")


def test_demo_force_still_replaces_a_closed_programme(work: Path) -> None:
    Project.create(work / "old.boq", make_programme(1, 2)).close()
    done = _cli(work, "demo", "old.boq", "--force")
    assert done.returncode == 0, done.stderr
    assert len(load(work / "old.boq").facilities) > 1


def test_replacing_a_boq_removes_the_journal_of_the_file_it_replaces(tmp_path: Path) -> None:
    """Neighbour: a journal left beside the old file would be rolled into the new one and corrupt it."""
    path = tmp_path / "x.boq"
    Project.create(path, make_programme(1, 3)).close()
    Path(f"{path}-journal").write_bytes(bytes.fromhex("d9d505f920a163d7") + bytes(600))
    Project.create(path, make_programme(2, 4), overwrite=True).close()
    assert not Path(f"{path}-journal").exists()
    assert state(load(path)) == state(make_programme(2, 4))


def test_guard_identity_cases(tmp_path: Path) -> None:
    a = tmp_path / "a.boq"
    a.write_bytes(b"x")
    assert same_file(tmp_path / "sub" / ".." / "a.boq", a)
    assert not same_file(tmp_path / "b.boq", a)
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    assert not same_file(tmp_path / "loop", a)  # a symlink loop is not an error
    os.mkfifo(tmp_path / "pipe.xlsx")
    with pytest.raises(OutputRefused, match="not a regular file"):
        guard_output(tmp_path / "pipe.xlsx", "xlsx")
    (tmp_path / "empty.pdf").write_bytes(b"")
    guard_output(tmp_path / "empty.pdf", "xlsx")  # nothing in it to lose


def _casefold_tmpfs(tmp_path: Path) -> bool:
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", f"mount -t tmpfs -o casefold tmpfs {tmp_path}"],
                           capture_output=True, timeout=30)
    return probe.returncode == 0


def test_case_blind_folders_compare_names_without_case(tmp_path: Path) -> None:
    """On a case-insensitive disk (Windows, macOS; here a casefold tmpfs) `p.BOQ` is the programme `P.boq`."""
    if not _casefold_tmpfs(tmp_path):
        pytest.skip("no case-insensitive file system can be mounted here")
    script = (
        "import sys; from pathlib import Path; from estimator.outputs import same_file;"
        "d = Path(sys.argv[1]) / 'ci'; d.mkdir(); (d / 'P.boq').write_bytes(b'x');"
        "print(same_file(d / 'p.BOQ', d / 'P.boq'), same_file(d / 'q.boq', d / 'P.boq'))"
    )
    done = subprocess.run(["unshare", "-rm", "sh", "-c", f'mount -t tmpfs -o casefold tmpfs "$0" && chattr +F "$0" && '
                           f'exec "{sys.executable}" -c "$1" "$0"', str(tmp_path), script],
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        pytest.skip(f"casefold folder not available: {done.stderr.strip()[-200:]}")
    assert done.stdout.split() == ["True", "False"]


# ---- the window: Save As, New and Export use the same guard -------------------------------------------

OFFSCREEN = ("This plugin does not support propagateSizeHints", "This plugin does not support raise",
             "This plugin does not support grabbing the keyboard")


@pytest.fixture
def window(qtbot: Any, work: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from ui.dialogs import RecordingDialogs
    from ui.main_window import MainWindow
    from ui.qt import QSettings
    from ui.settings import AppSettings

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path_factory.mktemp("ini")))
    dialogs = RecordingDialogs()
    win = MainWindow(AppSettings(), dialogs)
    qtbot.addWidget(win)
    assert win.files.open_path(work / "P.boq"), dialogs.calls
    yield win
    win.close()


@pytest.mark.qt_log_ignore(*OFFSCREEN)
@pytest.mark.parametrize(("target", "source"), [("pack.boq", "pack.pdf"), ("notes.boq", "notes.txt")])
def test_window_save_as_refuses_a_file_of_another_kind(window: Any, work: Path, target: str, source: str) -> None:
    """The dialog adds .boq to a name without it, so the victim is a file named .boq that is not a programme."""
    (work / target).write_bytes((work / source).read_bytes())
    before = _snapshot(work)
    window.dialogs.answers.append(work / target)  # the save dialog answers with a PDF / text file
    window.files.save_as()
    title, message = window.dialogs.last("error")
    assert title == "Cannot save programme" and f"{work / target}" in message and "choose another name" in message
    assert "--force" not in message
    assert window.doc.path == work / "P.boq"
    assert {k: v for k, v in _snapshot(work).items() if k in before} == before


@pytest.mark.qt_log_ignore(*OFFSCREEN)
def test_window_new_refuses_a_file_of_another_kind(window: Any, work: Path) -> None:
    (work / "report.boq").write_text("not a programme", encoding="utf-8")
    window.dialogs.answers.append(work / "report.boq")
    window.files.new_file()
    assert "is a text file, not a BoQ programme" in window.dialogs.last("error")[1]
    assert (work / "report.boq").read_text(encoding="utf-8") == "not a programme"


@pytest.mark.qt_log_ignore(*OFFSCREEN)
@pytest.mark.parametrize(("kind", "target", "message"), [
    ("pdf", "fake.pdf", "is an Excel workbook (.xlsx), not a PDF document"),
    ("xlsx", "notes.txt.xlsx", "is a text file, not an Excel workbook"),
    ("xlsx", "link.xlsx", "is an input of this command"),
])
def test_window_export_refuses_and_says_why(window: Any, work: Path, kind: str, target: str, message: str) -> None:
    (work / "notes.txt.xlsx").write_text("typed notes", encoding="utf-8")
    (work / "fake.pdf").write_bytes((work / "bid.xlsx").read_bytes())
    (work / "link.xlsx").symlink_to(work / "P.boq")
    before = _snapshot(work)
    dialog = window.files.export()
    (dialog.pdf if kind == "pdf" else dialog.xlsx).setChecked(True)
    dialog.path.setText(str(work / target))
    dialog.start()
    assert dialog.job is None, "nothing may start"
    assert message in dialog.message.text() and str(work / target) in dialog.message.text()
    assert _snapshot(work) == before
    dialog.close()


@pytest.mark.parametrize(
    "args",
    [
        ["tender", "diff", "P.boq", "Rev 0", "Rev 1", "--pdf", "P.boq"],
        ["tender", "diff", "P.boq", "Rev 0", "Rev 1", "--xlsx", "P.boq", "--force"],
        ["variance", "P.boq", "Budget", "--pdf", "P.boq", "--force"],
        ["variance", "P.boq", "Budget", "--xlsx", "P.boq"],
    ],
)
def test_the_revision_reports_never_write_over_the_programme(work: Path, args: list[str]) -> None:
    """Found merging: `boq tender diff ... --pdf P.boq` and `boq variance ... --xlsx P.boq` (added by the
    revisions work beside the guard) replaced the programme with their report."""
    for command in (["tender", "issue", "P.boq", "--name", "Rev 0"], ["baseline", "P.boq", "--name", "Budget"]):
        assert _cli(work, *command).returncode == 0
    with Project.open(work / "P.boq") as project:
        project.programme.facilities[0].bills[0].items[0].quantity += 1
        project.save()
    assert _cli(work, "tender", "issue", "P.boq", "--name", "Rev 1").returncode == 0
    _refused(work, args, "is an input of this command")
    assert load(work / "P.boq").facilities
