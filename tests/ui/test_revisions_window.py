"""Revisions in the window: File › Issue tender revision…, the export dialog's revision picker and the
bid evaluation against the revision a bid was issued from."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from estimator import edits, revisions
from tests.test_revisions import fill_bid, tender_values
from ui.bids_view import BidsView
from ui.qt import QDate, Qt
from ui.revision_actions import IssueRevisionDialog


def issue(qtbot: QtBot, window: Any, name: str | None = None) -> IssueRevisionDialog:
    dialog = window.issue_revision()
    qtbot.addWidget(dialog)
    if name is not None:
        dialog.name.setText(name)
    dialog.date.setDate(QDate(2026, 11, 1))
    calls = len(window.dialogs.calls)
    dialog.issue()
    qtbot.waitUntil(lambda: dialog.issued is not None or len(window.dialogs.calls) > calls, timeout=60_000)
    return dialog


def export(qtbot: QtBot, window: Any, out: Path, revision: str | None) -> None:
    dialog = window.files.export()
    qtbot.addWidget(dialog)
    dialog.unpriced.setChecked(True)
    dialog.revision.setCurrentIndex(dialog.revision.findData(revision))
    dialog.path.setText(str(out))
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.exported, timeout=120000):
        pass


def test_issue_export_a_revision_and_evaluate_bids_in_the_window(qtbot: QtBot, window: Any, tmp_path: Path) -> None:
    first = issue(qtbot, window)
    assert first.issued is not None and first.issued.name == "Rev 0" and first.result() == first.DialogCode.Accepted
    assert window.dialogs.calls == []
    r0 = tmp_path / "rev0.xlsx"
    export(qtbot, window, r0, None)
    assert tender_values(r0)["revision"] == "Rev 0"

    doc = window.doc
    bill = doc.programme.facilities[0].bills[0]
    item = bill.items[0]
    doc.push(edits.SetField(bill.uid, item.uid, "quantity", item.quantity, item.quantity + Decimal(2)))
    again = issue(qtbot, window, "Rev 0")  # a name is issued once
    assert again.issued is None and "already issued" in window.dialogs.calls[-1][1][1]
    second = issue(qtbot, window)
    assert second.issued is not None and second.issued.name == "Rev 1"
    assert revisions.next_name(revisions.revisions(doc.project)) == "Rev 2"

    out = tmp_path / "rev0-again.xlsx"
    export(qtbot, window, out, "Rev 0")
    assert tender_values(out)["fingerprint"] == tender_values(r0)["fingerprint"]
    draft = tmp_path / "draft.xlsx"
    doc.push(edits.SetField(bill.uid, item.uid, "quantity", item.quantity, item.quantity + Decimal(1)))
    export(qtbot, window, draft, None)
    assert tender_values(draft)["revision"] == "Draft"

    fill_bid(r0, tmp_path / "bid.xlsx")
    view = window.open_bids()
    assert isinstance(view, BidsView)
    view.add_bids([tmp_path / "bid.xlsx"])
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.evaluation is not None, timeout=60_000)
    assert view.evaluation is not None and len(view.evaluation.bids) == 1 and view.evaluation.refused == []
    assert "SUPERSEDED by 'Rev 1'" in view.revision_note.text() and "'Rev 0'" in view.revision_note.text()


def test_a_workbook_of_no_revision_is_refused_in_the_window(qtbot: QtBot, window: Any, tmp_path: Path) -> None:
    draft = tmp_path / "draft.xlsx"
    export(qtbot, window, draft, None)
    issue(qtbot, window)
    doc = window.doc
    bill = doc.programme.facilities[0].bills[0]
    item = bill.items[0]
    doc.push(edits.SetField(bill.uid, item.uid, "quantity", item.quantity, item.quantity + Decimal(1)))
    stale = tmp_path / "stale.xlsx"
    export(qtbot, window, stale, None)  # a draft after Rev 0, never issued
    fill_bid(stale, tmp_path / "bid.xlsx")
    view = window.open_bids()
    view.add_bids([tmp_path / "bid.xlsx"])
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.outcome is not None, timeout=60_000)
    assert view.evaluation is None and "matches no issued revision" in view.status.text()
    assert view.refused.rowCount() == 1


def test_an_edit_while_issuing_stores_nothing(qtbot: QtBot, window: Any) -> None:
    dialog = window.issue_revision()
    qtbot.addWidget(dialog)
    dialog.issue()  # the snapshot is made on the thread pool ...
    doc = window.doc
    bill = doc.programme.facilities[0].bills[0]
    item = bill.items[0]
    doc.push(edits.SetField(bill.uid, item.uid, "quantity", item.quantity, item.quantity + Decimal(1)))  # ... meanwhile
    qtbot.waitUntil(lambda: bool(window.dialogs.calls), timeout=60_000)
    assert "changed while the revision was being made" in window.dialogs.calls[-1][1][1]
    assert dialog.issued is None and revisions.revisions(doc.project) == []
    dialog.issue()
    qtbot.waitUntil(lambda: dialog.issued is not None, timeout=60_000)
    assert [r.name for r in revisions.revisions(doc.project)] == ["Rev 0"]
