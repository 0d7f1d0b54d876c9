"""Two windows (alice and bob, each with a working copy) on one programme of a real PostgreSQL cluster:
a colleague's changes are applied in place (the undo history, the selection and the bill shown stay),
an undo that meets a colleague's change is refused with their value shown, a bill deleted under the
user's eyes goes, and settings changed remotely come in."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from estimator import edits
from estimator.cell_input import Col
from estimator.model import Item, Programme
from estimator.server import locations
from tests.support import colleague
from tests.ui.conftest import OFFSCREEN_LIMITS
from tests.ui.test_editing import open_bill, type_into
from ui.dialogs import RecordingDialogs
from ui.qt import QSettings

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_LIMITS)  # what the offscreen platform cannot do
WAIT = 15000  # ms: a poll is every 1.5 s; the machine may be loaded


@pytest.fixture(autouse=True)
def _settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path_factory.mktemp("qsettings")))


Window = tuple[Any, RecordingDialogs]


@pytest.fixture
def windows(qtbot: QtBot, accounts: dict[str, str], sample_programme: Programme) -> Iterator[tuple[Window, Window]]:
    locations.create(f"{accounts['alice']}#live", sample_programme)
    made = [colleague.window(qtbot, accounts[user], "live") for user in ("alice", "bob")]
    for win, _dialogs in made:
        win.show()
        qtbot.waitExposed(win)
    yield made[0], made[1]
    colleague.close(made)


def _typed_and_heard(qtbot: QtBot, a: Any, b: Any, quantity: str) -> tuple[Any, int, str, Decimal]:
    """Alice (`a`) types `quantity` in the first row of her first bill, and bob's window (`b`) shows it:
    the bill, the row, the item's uid and its quantity before."""
    bill, _model, row = open_bill(a)
    uid, before = bill.items[row].uid, bill.items[row].quantity
    type_into(qtbot, a, row, Col.QTY, quantity)
    qtbot.waitUntil(lambda: colleague.shows(b, uid, Decimal(quantity)), timeout=WAIT)
    return bill, row, uid, before


def _item(window: Any, uid: str) -> Item | None:
    return next((it for f in window.doc.programme.facilities for it in f.items() if it.uid == uid), None)


def _on_server(url: str, uid: str) -> Item | None:
    return next((it for f in locations.load(f"{url}#live").facilities for it in f.items() if it.uid == uid), None)


def _bill_of(window: Any, bill_uid: str) -> tuple[Any, Any]:
    return next((f, b) for f in window.doc.programme.facilities for b in f.bills if b.uid == bill_uid)


def _errors(dialogs: RecordingDialogs) -> list[Any]:
    return [c for c in dialogs.calls if c[0] == "error"]


def test_a_colleagues_edits_come_in_without_losing_undo_selection_or_bill(
        qtbot: QtBot, qtmodeltester: Any, windows: tuple[Window, Window], accounts: dict[str, str]) -> None:
    (a, a_dialogs), (b, b_dialogs) = windows
    bill, model, row = open_bill(a)
    doc = a.doc
    mine = bill.items[row].uid
    original = bill.items[row].quantity
    type_into(qtbot, a, row, Col.QTY, "11")
    qtbot.waitUntil(lambda: _on_server(accounts["bob"], mine).quantity == Decimal("11"), timeout=WAIT)  # type: ignore[union-attr]
    other_row = next(r for r in range(len(bill.items)) if r != row)
    a.table.setCurrentIndex(model.index(other_row, Col.DESC))
    scrolled = a.table.verticalScrollBar().value()

    # bob changes another item of the bill alice is looking at, and adds a row to it
    qtbot.waitUntil(lambda: colleague.shows(b, mine, Decimal("11")), timeout=WAIT)
    _facility, b_bill = _bill_of(b, bill.uid)
    theirs = b_bill.items[other_row]
    b.doc.push(edits.set_fields(b_bill, theirs, {"quantity": Decimal("77")}))
    added = Item("Handrail for the ramp (added by bob)", Decimal("12"), "m", rate=Decimal("40"))
    b.doc.push(edits.InsertItems(b_bill.uid, len(b_bill.items), (added,)))
    rows_before = model.rowCount()

    qtbot.waitUntil(lambda: _item(a, added.uid) is not None and _item(a, theirs.uid).quantity == Decimal("77"),  # type: ignore[union-attr]
                    timeout=WAIT)
    assert a.doc is doc, "the document was not re-opened"
    assert a.boq_model is model and model.bill is bill and model.rowCount() == rows_before + 1
    assert a.table.currentIndex().row() == other_row and a.table.verticalScrollBar().value() == scrolled
    assert doc.undo_stack.count() == 1 and doc.undo_stack.canUndo()
    assert "came in" in a.statusBar().currentMessage() and "bob" in a.statusBar().currentMessage()
    assert doc.live.line(theirs.uid).amount is not None  # priced like any edit
    qtmodeltester.check(model)

    # alice's undo is still hers: it undoes her edit (on the server too), not bob's
    a.undo()
    qtbot.waitUntil(lambda: _on_server(accounts["bob"], mine).quantity == original, timeout=WAIT)  # type: ignore[union-attr]
    assert _item(a, mine).quantity == original  # type: ignore[union-attr]
    assert _on_server(accounts["bob"], theirs.uid).quantity == Decimal("77")  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: _item(b, mine).quantity == _item(a, mine).quantity, timeout=WAIT)  # type: ignore[union-attr]
    assert not _errors(a_dialogs) and not _errors(b_dialogs)
    assert not [c for c in a_dialogs.calls + b_dialogs.calls if c[0] == "question"]


def test_undoing_an_edit_to_an_item_a_colleague_changed_since_is_refused_with_their_value(
        qtbot: QtBot, windows: tuple[Window, Window], accounts: dict[str, str]) -> None:
    (a, a_dialogs), (b, _b_dialogs) = windows
    bill, row, uid, original = _typed_and_heard(qtbot, a, b, "5")
    _f, b_bill = _bill_of(b, bill.uid)
    b.doc.push(edits.set_fields(b_bill, _item(b, uid), {"quantity": Decimal("7")}))  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: colleague.shows(a, uid, Decimal("7")), timeout=WAIT)

    a_dialogs.answers.append(True)  # keep theirs
    a.undo()
    qtbot.waitUntil(lambda: "question" in a_dialogs.kinds(), timeout=WAIT)
    title, message = a_dialogs.last("question")
    assert title == "Undo refused" and "theirs 7 (bob" in message and f"yours {original}" in message
    assert _item(a, uid).quantity == Decimal("7") and _on_server(accounts["alice"], uid).quantity == Decimal("7")  # type: ignore[union-attr]
    assert not a.doc.undo_stack.canUndo(), "the refused step is dropped"

    # the same, answered "write mine": the value before my edit goes to the server as a new edit
    type_into(qtbot, a, row, Col.QTY, "6")
    qtbot.waitUntil(lambda: colleague.shows(b, uid, Decimal("6")), timeout=WAIT)
    b.doc.push(edits.set_fields(b_bill, _item(b, uid), {"quantity": Decimal("8")}))  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: colleague.shows(a, uid, Decimal("8")), timeout=WAIT)
    a_dialogs.answers.append(False)
    a.undo()
    qtbot.waitUntil(lambda: _on_server(accounts["alice"], uid).quantity == Decimal("7"), timeout=WAIT)  # type: ignore[union-attr]
    assert _item(a, uid).quantity == Decimal("7")  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: colleague.shows(b, uid, Decimal("7")), timeout=WAIT)
    assert not _errors(a_dialogs)


def test_an_undo_before_the_colleagues_change_is_heard_is_refused_by_the_server(
        qtbot: QtBot, windows: tuple[Window, Window], accounts: dict[str, str]) -> None:
    (a, a_dialogs), (b, _b_dialogs) = windows
    bill, _row, uid, _original = _typed_and_heard(qtbot, a, b, "5")
    a.server.link.timer.stop()  # bob's commit lands before alice's window hears of it
    _f, b_bill = _bill_of(b, bill.uid)
    b.doc.push(edits.set_fields(b_bill, _item(b, uid), {"quantity": Decimal("9")}))  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: _on_server(accounts["alice"], uid).quantity == Decimal("9"), timeout=WAIT)  # type: ignore[union-attr]
    a_dialogs.answers.append(True)  # take theirs
    a.undo()  # applied here, refused by the version check on the server
    qtbot.waitUntil(lambda: "question" in a_dialogs.kinds(), timeout=WAIT)
    title, message = a_dialogs.last("question")
    assert "refused" in title and "bob" in message and "theirs 9" in message
    qtbot.waitUntil(lambda: colleague.shows(a, uid, Decimal("9")), timeout=WAIT)
    assert _on_server(accounts["alice"], uid).quantity == Decimal("9")  # type: ignore[union-attr]


def test_a_bill_deleted_by_a_colleague_goes_and_an_undo_into_it_is_dropped(
        qtbot: QtBot, windows: tuple[Window, Window], accounts: dict[str, str]) -> None:
    (a, a_dialogs), (b, _b_dialogs) = windows
    bill, _row, uid, _original = _typed_and_heard(qtbot, a, b, "3")
    facility, b_bill = _bill_of(b, bill.uid)
    b.doc.push(edits.RemoveBill(facility.uid, facility.bills.index(b_bill), b_bill))
    qtbot.waitUntil(lambda: _item(a, uid) is None, timeout=WAIT)
    assert not a.tree_model.bill_index(bill.uid).isValid()
    assert a.boq_model.bill is None or a.boq_model.bill.uid != bill.uid  # the tree moved to a neighbour
    assert a.doc.undo_stack.count() == 1  # alice's history is still there

    a.undo()
    qtbot.waitUntil(lambda: "deleted on the server" in a.statusBar().currentMessage(), timeout=WAIT)
    assert not a.doc.undo_stack.canUndo() and not _errors(a_dialogs)
    assert _on_server(accounts["alice"], uid) is None


def test_settings_and_facilities_changed_by_a_colleague_come_in(
        qtbot: QtBot, windows: tuple[Window, Window], accounts: dict[str, str]) -> None:
    from estimator.pricing import price

    (a, a_dialogs), (b, _b_dialogs) = windows
    bill, model, _row = open_bill(a)
    doc = a.doc
    old = edits.Settings.of(b.doc.programme)
    new = edits.Settings(**{**{f: getattr(old, f) for f in old.__dataclass_fields__}, "contingency": Decimal("12.5"),
                            "name": "Idlib 2025 (revised)"})
    b.doc.push(edits.SetSettings(old, new))
    facility = b.doc.programme.facilities[-1]
    b.doc.push(edits.Rename(facility.uid, "name", facility.name, "Al-Qaniya Hospital (phase 2)"))
    qtbot.waitUntil(lambda: doc.programme.markups.contingency == Decimal("12.5")
                    and doc.programme.facilities[-1].name == "Al-Qaniya Hospital (phase 2)", timeout=WAIT)
    assert a.doc is doc and model.bill is bill and a.boq_model is model
    assert "Idlib 2025 (revised)" in a.windowTitle()  # renamed by the colleague: the title follows
    assert doc.live.grand_total == price(locations.load(f"{accounts['vera']}#live")).grand_total
    index = a.tree_model.facility_index(facility.uid)
    assert index.data() == "Al-Qaniya Hospital (phase 2)"
    assert not _errors(a_dialogs)


def test_facilities_added_and_deleted_by_a_colleague_appear_and_go_in_the_tree(
        qtbot: QtBot, qtmodeltester: Any, windows: tuple[Window, Window]) -> None:
    from estimator.model import Bill, Facility

    (a, a_dialogs), (b, _b_dialogs) = windows
    bill, _model, row = open_bill(a)
    type_into(qtbot, a, row, Col.QTY, "4")
    shown = next(f for f in a.doc.programme.facilities if bill in f.bills)
    rows = a.tree_model.rowCount()
    new = Facility("Health centre in Kherbet Al-Joz", governorate="Idlib",
                   bills=[Bill("1 Preliminaries", items=[Item("Site office", Decimal("1"), "ls", rate=Decimal("650"))])])
    b.doc.push(edits.InsertFacility(len(b.doc.programme.facilities), new))
    qtbot.waitUntil(lambda: a.tree_model.rowCount() == rows + 1, timeout=WAIT)
    assert a.tree_model.facility_index(new.uid).data() == "Health centre in Kherbet Al-Joz"
    assert a.doc.live.facility_total(new.uid) == Decimal("650.00")
    qtmodeltester.check(a.tree_model)

    b_shown = next(f for f in b.doc.programme.facilities if f.uid == shown.uid)
    b.doc.push(edits.RemoveFacility(b.doc.programme.facilities.index(b_shown), b_shown))
    qtbot.waitUntil(lambda: a.tree_model.rowCount() == rows, timeout=WAIT)
    assert not a.tree_model.facility_index(shown.uid).isValid()
    assert a.boq_model.bill is None or a.boq_model.bill.uid != bill.uid
    assert a.doc.undo_stack.count() == 1 and not _errors(a_dialogs)
    qtmodeltester.check(a.tree_model)


def test_a_procurement_window_follows_in_place_and_keeps_its_working_copy_in_step(
        qtbot: QtBot, accounts: dict[str, str], sample_programme: Programme) -> None:
    import sqlite3

    locations.create(f"{accounts['alice']}#live", sample_programme)
    win, dialogs = colleague.window(qtbot, accounts["pat"], "live")
    try:
        doc = win.doc
        assert doc is not None and doc.readonly and not doc.project.readonly  # the programme read-only, the file writable (records)
        uid = colleague.sets_quantity(accounts["alice"], "live", Decimal("41.5"))
        qtbot.waitUntil(lambda: colleague.shows(win, uid, Decimal("41.5")), timeout=WAIT)
        assert win.doc is doc  # in place
        with sqlite3.connect(doc.path) as conn:  # the working copy's file follows (its records build on it)
            assert conn.execute("SELECT quantity FROM items WHERE uid = ?", (uid,)).fetchone()[0] == "41.5"
        assert not [c for c in dialogs.calls if c[0] in ("error", "question")]
    finally:
        win.close()
