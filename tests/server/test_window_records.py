"""Tender revisions and contracts in the real window (offscreen) on a server programme: a procurement
officer's window shows the programme read-only, issues a tender revision (File › Issue tender revision)
and awards a lot from a returned bid; both reach the server, and an estimator's open window and a fresh
checkout see them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from pytestqt.qtbot import QtBot

from estimator import revisions
from estimator.contracts import storage
from estimator.server import locations
from tests.support import colleague
from tests.support.contracts import BID_RATES, bid, programme
from tests.ui.conftest import OFFSCREEN_LIMITS
from ui.dialogs import RecordingDialogs
from ui.qt import QSettings

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_LIMITS)


@pytest.fixture(autouse=True)
def _settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path_factory.mktemp("qsettings")))


@pytest.fixture
def windows(qtbot: QtBot, accounts: dict[str, str]) -> Iterator[dict[str, tuple[Any, RecordingDialogs]]]:
    """pat's (procurement) and alice's (estimator) windows on the contract example, live on the server."""
    locations.create(f"{accounts['alice']}#Harim", programme())
    out = {user: colleague.window(qtbot, accounts[user], "Harim") for user in ("pat", "alice")}
    yield out
    colleague.close(out.values())


def _server(url: str, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()


def test_procurement_issues_and_awards_in_the_window(qtbot: QtBot, windows: dict[str, tuple[Any, RecordingDialogs]],
                                                     accounts: dict[str, str], tmp_path: Path) -> None:
    pat, pat_dialogs = windows["pat"]
    alice, alice_dialogs = windows["alice"]
    assert pat.doc.readonly and not pat.doc.project.readonly  # the programme read-only, the records writable
    assert not any(a.isEnabled() for a in pat.editing_actions) and pat.issue_action.isEnabled()
    assert "read-only for your account" in pat.statusBar().currentMessage()

    dialog = pat.issue_revision()
    dialog.name.setText("Rev 0")
    dialog.issue()
    qtbot.waitUntil(lambda: dialog.issued is not None, timeout=30000)
    qtbot.waitUntil(lambda: _server(accounts["vera"], "SELECT name, created_by FROM boq.revisions") == [("Rev 0", "pat")],
                    timeout=15000)
    # alice's open window hears of it and takes it into its working copy; a fresh checkout has it too
    qtbot.waitUntil(lambda: [r.name for r in revisions.revisions(alice.doc.project)] == ["Rev 0"], timeout=15000)
    with locations.open_read(f"{accounts['vera']}#Harim") as project:
        assert [r.name for r in revisions.revisions(project)] == ["Rev 0"]

    # the returned bid, evaluated and awarded in pat's window against the server's revision
    tender = tmp_path / "tender.xlsx"
    from estimator.cli import main
    assert main(["export", f"{accounts['vera']}#Harim", "--xlsx", str(tender), "--unpriced"]) == 0
    returned = bid(tender, BID_RATES, 0, tmp_path / "bid-harim.xlsx")
    view = pat.open_contracts()
    ledger = view.award(returned)
    assert ledger is not None, pat_dialogs.calls
    assert ledger.contract.revision == "Rev 0"
    qtbot.waitUntil(lambda: _server(accounts["vera"], "SELECT kind, created_by FROM boq.contract_log")
                    == [("award", "pat")], timeout=15000)
    lot = ledger.contract.lot
    qtbot.waitUntil(lambda: storage.ledger(alice.doc.project, lot) is not None, timeout=15000)
    assert storage.ledger(alice.doc.project, lot).contract.sum == ledger.contract.sum  # type: ignore[union-attr]
    # alice edits the programme: pat's read-only window re-reads it, and its contracts view follows
    from decimal import Decimal

    uid = colleague.sets_quantity(accounts["alice"], "Harim", Decimal("321"))
    qtbot.waitUntil(lambda: colleague.shows(pat, uid, Decimal("321")), timeout=15000)
    assert view.project is pat.doc.project and view.ledger is not None and pat.doc.readonly
    # the estimator may not issue a tender revision: told so, nothing made
    other = alice.issue_revision()
    other.name.setText("Rev 1")
    other.issue()
    assert "procurement accounts" in alice_dialogs.last("error")[1]
    assert [r.name for r in revisions.revisions(alice.doc.project)] == ["Rev 0"]
    assert not [c for c in pat_dialogs.calls if c[0] in ("error", "question")]


@pytest.mark.parametrize("user", ["pat", "vera"])
def test_a_reader_reopens_its_working_copy(qtbot: QtBot, accounts: dict[str, str], user: str) -> None:
    """The second opening syncs the existing working copy: a reader, who may not write the programme, takes
    the server's as it is (no push is tried), with revisions issued meanwhile."""

    locations.create(f"{accounts['alice']}#Harim", programme())
    for issue in (False, True):
        if issue:
            assert main_issue(accounts["pat"]) == 0
        win, dialogs = colleague.window(qtbot, accounts[user], "Harim")
        try:
            assert win.server.open(accounts[user], "Harim"), dialogs.calls  # already open here: brought up to date
            assert win.doc.readonly and [r.name for r in revisions.revisions(win.doc.project)] == ["Rev 0"] * issue
            assert win.doc.project.readonly == (user == "vera")
            assert not dialogs.calls
        finally:
            win.close()


def main_issue(url: str) -> int:
    from estimator.cli import main

    return main(["tender", "issue", f"{url}#Harim", "--name", "Rev 0"])
