"""`boq server`, `push`, `pull`, `rates push|pull|history` and server programmes as FILE, as a user runs them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from estimator.cli import main
from estimator.store import Project, load
from estimator.synthetic import generate
from tests.conftest import MINILIB


def _run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_team_session(accounts: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    alice, bob, vera = accounts["alice"], accounts["bob"], accounts["vera"]
    code, out, _ = _run(capsys, "demo", tmp_path / "demo.boq")
    assert code == 0
    code, out, err = _run(capsys, "push", tmp_path / "demo.boq", alice, "--as", "Idlib 2024")
    assert code == 0 and "uploaded" in out, err
    code, out, _ = _run(capsys, "server", "list", vera)
    assert "Idlib 2024" in out and f"{load(tmp_path / 'demo.boq').item_count()} items" in out

    # every command that reads FILE reads the server's programme: the same figures as from the file
    code, from_file, _ = _run(capsys, "price", tmp_path / "demo.boq", "--json")
    code, out, _ = _run(capsys, "price", f"{vera}#Idlib 2024", "--json")
    assert code == 0 and out == from_file and "grand_total" in out
    code, out, _ = _run(capsys, "price", f"{vera}#Idlib 2024")
    assert code == 0 and "Grand total" in out
    code, out, _ = _run(capsys, "export", f"{vera}#Idlib 2024", "--xlsx", tmp_path / "o.xlsx")
    assert code == 0 and (tmp_path / "o.xlsx").stat().st_size > 0
    code, out, _ = _run(capsys, "check", f"{vera}#Idlib 2024")
    assert code in (0, 1) and "Traceback" not in out
    # and every command that changes it saves to the server
    code, out, err = _run(capsys, "markup", f"{alice}#Idlib 2024", "--contingency", "7")
    assert code == 0, err
    code, out, _ = _run(capsys, "price", f"{vera}#Idlib 2024")
    assert "Contingency 7 %" in out
    code, _, err = _run(capsys, "markup", f"{vera}#Idlib 2024", "--contingency", "9")
    assert code == 1 and "refused" in err and "Traceback" not in err
    code, _, err = _run(capsys, "tender", "issue", f"{alice}#Idlib 2024", "--name", "Rev 0")
    assert code == 1 and "tender revisions are issued by procurement accounts" in err  # alice is an estimator

    # two engineers offline, the same item changed by both
    a, b = tmp_path / "a.boq", tmp_path / "b.boq"
    assert _run(capsys, "pull", alice, "Idlib 2024", a)[0] == 0
    assert _run(capsys, "pull", bob, "Idlib 2024", b)[0] == 0
    for path, qty in ((a, "111"), (b, "222")):
        with Project.open(path) as project:
            project.programme.facilities[0].bills[0].items[0].quantity = __import__("decimal").Decimal(qty)
            project.save()
    uid = load(a).facilities[0].bills[0].items[0].uid
    assert _run(capsys, "push", a, alice, "--as", "Idlib 2024")[0] == 0
    code, out, err = _run(capsys, "push", b, bob, "--as", "Idlib 2024")
    assert code == 1 and uid in err and "mine 222, theirs 111" in err and "server: alice" in err and "--take" in err
    code, out, err = _run(capsys, "push", b, bob, "--as", "Idlib 2024", "--take", "mine", uid)
    assert code == 0 and "took mine" in out, err
    code, out, _ = _run(capsys, "pull", vera, "Idlib 2024", tmp_path / "check.boq")
    assert load(tmp_path / "check.boq").facilities[0].bills[0].items[0].quantity == 222
    code, _, err = _run(capsys, "pull", vera, "Idlib 2024", tmp_path / "check.boq")
    assert code == 1 and "--force" in err  # an existing file is not overwritten silently

    # the shared rate library
    lib = tmp_path / "lib"
    shutil.copytree(MINILIB, lib)
    code, out, err = _run(capsys, "rates", "push", lib, alice)
    assert code == 0 and "added" in out, err
    code, out, _ = _run(capsys, "rates", "pull", bob, tmp_path / "bob-lib")
    assert code == 0 and (tmp_path / "bob-lib" / "rates.csv").exists()
    code, out, _ = _run(capsys, "rates", "history", vera)
    assert "alice" in out and "added" in out


def test_messages_not_tracebacks(server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.boq"
    Project.create(path, generate(1, 5)).close()
    code, _, err = _run(capsys, "price", f"{server}#nothing-here")
    assert code == 1 and "no programme of that name" in err
    missing = server.rsplit("/", 1)[0] + "/no_such_database"
    code, _, err = _run(capsys, "push", path, missing)
    assert code == 1 and "cannot connect" in err and "does not exist" in err
    empty = server.rsplit("/", 1)[0] + "/postgres"  # a database without `boq server init`
    code, _, err = _run(capsys, "push", path, empty)
    assert code == 1 and "boq server init" in err
    with pytest.raises(SystemExit):
        main(["price", server])  # a server without #NAME
    assert "#NAME" in capsys.readouterr().err
    code, out, _ = _run(capsys, "server", "init", server)
    assert code == 0 and "already set up" in out


def test_every_command_that_takes_a_programme_takes_a_server_programme() -> None:
    """Each FILE argument of a programme (positional `file`, `--file`, `--into`) goes through
    `estimator.server.location`, so `postgresql://...#NAME` works wherever a .boq does (push and pull take a file)."""
    import argparse

    from estimator.cli.main import build_parser
    from estimator.server import location

    def walk(parser: argparse.ArgumentParser, path: str) -> list[tuple[str, argparse.Action]]:
        found = []
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found += walk(sub, f"{path} {name}")
            elif action.dest in ("file", "into") and path not in ("boq push", "boq pull"):
                found.append((path, action))
        return found

    arguments = walk(build_parser(), "boq")
    assert len(arguments) > 20
    assert [p for p, a in arguments if a.type is not location] == []


def test_the_servers_refusals_in_arabic(accounts: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """`boq --lang ar` (and the Arabic window, which renders the same messages): what the server refused
    and what it was doing read in Arabic; English stays as it was."""
    alice, vera = accounts["alice"], accounts["vera"]
    monkeypatch.setenv("BOQ_LANG", "en")  # `--lang ar` sets it for the process: put back after the test
    assert _run(capsys, "demo", tmp_path / "demo.boq")[0] == 0
    assert _run(capsys, "push", tmp_path / "demo.boq", alice, "--as", "Arabic")[0] == 0
    code, _, err = _run(capsys, "--lang", "ar", "markup", f"{vera}#Arabic", "--contingency", "9")
    assert code == 1 and "رفض الخادم ذلك" in err and "الرفع إلى" in err  # refused, while pushing to ...
    assert "the server refused it" not in err and "pushing to" not in err
    monkeypatch.setenv("BOQ_LANG", "en")
    code, _, err = _run(capsys, "markup", f"{vera}#Arabic", "--contingency", "9")
    assert code == 1 and "pushing to " in err and "the server refused it (permission denied" in err
    nowhere = alice.replace("/boq", "/no_such_database").rsplit("/", 1)[0] + "/no_such_database"
    code, _, err = _run(capsys, "--lang", "ar", "price", f"{nowhere}#Arabic")
    assert code == 1 and "تعذّر الاتصال بـ" in err and "boq server init URL" in err and "Traceback" not in err
