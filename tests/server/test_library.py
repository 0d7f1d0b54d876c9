"""The shared rate library on the server: push, pull, merge by row, and who changed what and when."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from estimator.errors import UserError
from estimator.rates.library import load_library
from estimator.server import library
from estimator.server.connect import PermissionRefused, ServerError
from tests.conftest import MINILIB


def _set_price(folder: Path, code: str, price: str) -> None:
    path = folder / "resources.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        cells = line.split(",")
        if cells[0] == code:
            cells[5] = price
            lines[i] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_push_pull_merge_and_history(accounts: dict[str, str], tmp_path: Path) -> None:
    alice, bob = tmp_path / "alice", tmp_path / "bob"
    shutil.copytree(MINILIB, alice)
    first = library.push(alice, accounts["alice"])
    assert first.added > 0 and first.changed == first.deleted == 0
    library.pull(accounts["bob"], bob)
    assert load_library(bob).book == load_library(MINILIB).book  # the same library, row for row

    _set_price(bob, "L-LAB", "19.00")
    assert library.push(bob, accounts["bob"]).changed == 1
    history = library.history(accounts["alice"], "L-LAB")
    assert history[0].who == "bob" and history[0].action == "changed"
    assert ("price", "17.50", "19.00") in history[0].fields
    assert "bob" in str(history[0]) and "17.50 -> 19.00" in str(history[0])

    _set_price(alice, "L-LAB", "18.00")  # alice's copy predates bob's change: a conflict
    _set_price(alice, "L-MASON", "1300.00")  # and a change nobody else made
    with pytest.raises(ServerError, match="L-LAB"):
        library.push(alice, accounts["alice"])
    library.pull(accounts["alice"], tmp_path / "check")
    assert load_library(tmp_path / "check").book.resources["L-MASON"].price == load_library(MINILIB).book.resources["L-MASON"].price
    library.push(alice, accounts["alice"], {"L-LAB": "theirs"})
    library.pull(accounts["bob"], bob)
    book = load_library(bob).book
    assert str(book.resources["L-LAB"].price) == "19.00" and str(book.resources["L-MASON"].price) == "1300.00"
    assert [c.who for c in library.history(accounts["bob"], "L-MASON")][:1] == ["alice"]


def test_viewer_cannot_change_the_library(accounts: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    shutil.copytree(MINILIB, folder)
    with pytest.raises(PermissionRefused):
        library.push(folder, accounts["vera"])
    library.push(folder, accounts["alice"])
    library.pull(accounts["vera"], tmp_path / "mine")  # reading is allowed


def test_pull_does_not_overwrite_another_library(accounts: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    shutil.copytree(MINILIB, folder)
    library.push(folder, accounts["alice"])
    other = tmp_path / "other"
    shutil.copytree(MINILIB, other)
    with pytest.raises(UserError, match="not pulled from a server"):
        library.pull(accounts["alice"], other)


def test_a_broken_library_is_not_pushed(accounts: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    shutil.copytree(MINILIB, folder)
    _set_price(folder, "L-LAB", "cheap")
    with pytest.raises(UserError, match=r"L-LAB|price"):
        library.push(folder, accounts["alice"])
