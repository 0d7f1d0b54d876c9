"""File › Open from server… in the real window (offscreen): edits go to the server as they are made,
another engineer's changes appear within seconds, and an edit to an item changed meanwhile is refused
with the other value shown."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from estimator.cell_input import Col
from estimator.model import Programme
from estimator.server import locations
from estimator.server.live import LiveProgramme
from tests.support import colleague
from tests.ui.conftest import OFFSCREEN_LIMITS
from tests.ui.test_editing import open_bill, type_into
from ui.dialogs import RecordingDialogs
from ui.qt import QSettings

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_LIMITS)  # what the offscreen platform cannot do


@pytest.fixture(autouse=True)
def _settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path_factory.mktemp("qsettings")))


@pytest.fixture
def live_window(qtbot: QtBot, accounts: dict[str, str], sample_programme: Programme) -> Iterator[tuple[Any, RecordingDialogs]]:
    locations.create(f"{accounts['alice']}#live", sample_programme)
    win, dialogs = colleague.window(qtbot, accounts["alice"], "live")
    win.show()
    qtbot.waitExposed(win)
    yield win, dialogs
    colleague.close([(win, dialogs)])


def _server_quantity(url: str, uid: str) -> Decimal:
    return next(it.quantity for f in locations.load(f"{url}#live").facilities for it in f.items() if it.uid == uid)


def test_edits_go_to_the_server_and_others_changes_come_in(qtbot: QtBot, live_window: tuple[Any, RecordingDialogs],
                                                           accounts: dict[str, str]) -> None:
    window, dialogs = live_window
    assert "live" in window.windowTitle() and Path(str(window.doc.path)).exists()
    assert window.settings.q.value("server/url") == accounts["alice"]  # remembered (without a password)
    bill, _model, row = open_bill(window)
    uid = bill.items[row].uid
    type_into(qtbot, window, row, Col.QTY, "123.45")
    qtbot.waitUntil(lambda: _server_quantity(accounts["bob"], uid) == Decimal("123.45"), timeout=15000)

    other = colleague.sets_quantity(accounts["bob"], "live", Decimal("77"), other_than=uid)
    qtbot.waitUntil(lambda: colleague.shows(window, other, Decimal("77")), timeout=15000)  # within a few seconds, without the user doing anything
    assert not [c for c in dialogs.calls if c[0] in ("error", "question")]


def test_an_edit_to_an_item_changed_meanwhile_is_refused_with_their_value(
        qtbot: QtBot, live_window: tuple[Any, RecordingDialogs], accounts: dict[str, str]) -> None:
    window, dialogs = live_window
    window.server.link.timer.stop()  # bob's commit lands before the window hears of it
    bill, _model, row = open_bill(window)
    uid = bill.items[row].uid
    colleague.sets_quantity(accounts["bob"], "live", Decimal("88"), uid)
    dialogs.answers.append(True)  # take theirs
    type_into(qtbot, window, row, Col.QTY, "99")
    qtbot.waitUntil(lambda: "question" in dialogs.kinds(), timeout=15000)
    title, message = dialogs.last("question")
    assert "refused" in title and "bob" in message and "mine 99" in message and "theirs 88" in message
    qtbot.waitUntil(lambda: colleague.shows(window, uid, Decimal("88")), timeout=15000)
    assert _server_quantity(accounts["alice"], uid) == Decimal("88")  # nothing was overwritten


def test_locking_a_facility_from_the_window(qtbot: QtBot, live_window: tuple[Any, RecordingDialogs],
                                            accounts: dict[str, str]) -> None:
    from estimator.server.live import FacilityLocked

    window, dialogs = live_window
    bill, _model, _row = open_bill(window)
    facility = next(f for f in window.doc.programme.facilities if bill in f.bills)
    window.tree.setCurrentIndex(window.tree_model.bill_index(bill.uid))
    window.server.toggle_lock()
    assert f"{facility.name} is locked for you" in window.statusBar().currentMessage()
    bob = LiveProgramme(accounts["bob"], "live")
    try:
        uid = bill.items[0].uid
        with pytest.raises(FacilityLocked, match="locked by alice"):
            bob.edit_item(uid, quantity=Decimal("5"))
        window.server.toggle_lock()  # unlock
        assert "unlocked" in window.statusBar().currentMessage()
        bob.edit_item(uid, quantity=Decimal("5"))
    finally:
        bob.close()
    assert not [c for c in dialogs.calls if c[0] == "error"]


def test_the_open_from_server_dialog_lists_and_remembers(qtbot: QtBot, accounts: dict[str, str],
                                                         sample_programme: Programme) -> None:
    from ui.server_actions import OpenFromServerDialog
    from ui.settings import AppSettings

    locations.create(f"{accounts['alice']}#Idlib 2024", sample_programme)
    settings = AppSettings()
    settings.q.setValue("server/url", accounts["vera"])
    settings.q.setValue("server/name", "Idlib 2024")
    dialog = OpenFromServerDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.url.text() == accounts["vera"] and dialog.name.currentText() == "Idlib 2024"
    dialog.list_programmes()
    assert [dialog.name.itemText(i) for i in range(dialog.name.count())] == ["Idlib 2024"]
    assert dialog.message.text() == "Programmes on the server: 1"
    dialog.url.setText(accounts["vera"].rsplit("/", 1)[0] + "/no_such_db")
    dialog.list_programmes()
    assert "cannot connect" in dialog.message.text()  # a message, not a traceback


def test_a_viewer_gets_a_read_only_window_that_follows_the_server(qtbot: QtBot, accounts: dict[str, str],
                                                                  sample_programme: Programme) -> None:
    locations.create(f"{accounts['alice']}#live", sample_programme)
    win, dialogs = colleague.window(qtbot, accounts["vera"], "live")
    try:
        assert win.doc.readonly and "read-only" in win.statusBar().currentMessage()
        uid = colleague.sets_quantity(accounts["alice"], "live", Decimal("66"))
        qtbot.waitUntil(lambda: colleague.shows(win, uid, Decimal("66")), timeout=15000)
        assert win.doc.readonly
        assert not [c for c in dialogs.calls if c[0] in ("error", "question")]
    finally:
        win.close()


def test_a_lost_listening_connection_is_opened_again_and_what_was_missed_comes_in(
        qtbot: QtBot, live_window: tuple[Any, RecordingDialogs], accounts: dict[str, str], pg_cluster: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A network cut or a server restart ends the connection that hears other engineers' commits: the
    window opens another one in the background (never freezing on a server out of reach) and reads in
    what was committed while nobody listened."""
    import psycopg

    import ui.server_actions

    monkeypatch.setattr(ui.server_actions, "RECONNECT_S", 0.0)
    window, dialogs = live_window
    link = window.server.link
    lost = link.listener
    with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:  # the server ends the listening session
        admin.execute("SELECT pg_terminate_backend(%s)", (lost._conn.info.backend_pid,))
    uid = colleague.sets_quantity(accounts["bob"], "live", Decimal("4321"))  # committed while the window cannot hear it
    qtbot.waitUntil(lambda: colleague.shows(window, uid, Decimal("4321")), timeout=20000)
    assert link.listener is not lost  # listening again on a new connection
    assert not [c for c in dialogs.calls if c[0] in ("error", "question")]
