"""Laptop screens and long work: the window at 1366 x 768, side windows on the screen, the export
dialog that never blocks the window, and file dialogs that start where the user keeps files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from estimator import edits, paths
from ui.dialogs import RecordingDialogs
from ui.qt import QApplication, QGuiApplication, Qt


def _all_markups(window: Any) -> None:
    doc = window.doc
    old = edits.Settings.of(doc.programme)
    new = edits.Settings(old.name, old.currency, old.reference, old.organisation, old.revision, old.issue_date,
                         old.validity_days, old.exchange_rates, Decimal("10"), Decimal("12.5"), Decimal("5"))
    doc.push(edits.SetSettings(old, new))


def test_at_1366_the_tree_keeps_its_room_and_can_be_widened(qtbot: QtBot, window: Any) -> None:
    _all_markups(window)
    assert window.totals.markups.isVisible() and "Tax 5 %" in window.totals.markups.text()
    assert window.minimumSizeHint().width() < 800, "the totals bar must not force the window wider than a laptop"
    window.resize(1366, 740)
    window.resizeDocks([window.tree_dock], [560], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: window.tree_dock.width() >= 540)
    assert window.centralWidget().width() >= 400
    assert window.totals.height() <= 90, "the totals wrap onto a few lines, not a column"


def test_compare_and_bid_windows_fit_the_screen(qtbot: QtBot, window: Any) -> None:
    screen = QGuiApplication.primaryScreen().availableGeometry()
    window.open_compare()
    window.open_bids()
    for side in window.side_windows:
        assert side.width() <= screen.width() and side.height() <= screen.height()
        assert side.minimumSizeHint().width() <= 1366 and side.minimumSizeHint().height() <= 768
        side.close()


def test_export_dialog_does_not_block_the_window_and_enter_does_not_cancel(qtbot: QtBot, window: Any,
                                                                           tmp_path: Path) -> None:
    dialog = window.files.export()
    qtbot.addWidget(dialog)
    assert not dialog.isModal() and dialog.windowModality() == Qt.WindowModality.NonModal
    assert QApplication.activeModalWidget() is None, "the window stays usable while the dialog is open"
    out = tmp_path / "while-working.xlsx"
    dialog.path.setText(str(out))
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)  # Enter in the form exports
    assert dialog.job is not None and dialog.job.running
    dialog.close_button.setFocus()
    qtbot.keyClick(dialog.close_button, Qt.Key.Key_Return)  # Enter while it runs does not cancel it
    with qtbot.waitSignal(dialog.exported, timeout=120000):
        pass
    assert out.exists() and "Wrote" in dialog.message.text()
    for button in (dialog.browse, dialog.open_button, dialog.folder_button, dialog.close_button):
        assert not button.autoDefault(), f"Enter on {button.text()} would press it instead of Export"


def test_after_an_export_open_file_and_show_in_folder(qtbot: QtBot, window: Any, dialogs: RecordingDialogs,
                                                      tmp_path: Path) -> None:
    dialog = window.files.export()
    qtbot.addWidget(dialog)
    assert not dialog.open_button.isEnabled() and not dialog.folder_button.isEnabled()
    out = tmp_path / "done.xlsx"
    dialog.path.setText(str(out))
    with qtbot.waitSignal(dialog.exported, timeout=120000):
        qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.folder_button, Qt.MouseButton.LeftButton)
    assert [args for kind, args in dialogs.calls if kind == "show_path"] == [(out, False), (out, True)]


def test_file_dialogs_never_start_in_the_hidden_data_folder(qtbot: QtBot, window: Any, dialogs: RecordingDialogs) -> None:
    from ui.app import sample_path
    from ui.settings import documents_folder

    hidden = paths.user_data_dir().resolve()
    assert window.files.open_path(sample_path())  # the sample copy lives in the data folder
    window.files.open_file()  # cancelled: the recording service answers None
    window.files.import_worklist()
    window.files.save_as()
    bids = window.open_bids()
    bids.ask_for_bids()
    bids.cba = object()  # as if evaluated: the report's file is asked for
    bids.save_report()
    folders = [Path(args[2]) for kind, args in dialogs.calls if kind in ("open_file", "open_files")]
    folders += [Path(args[2]).parent for kind, args in dialogs.calls if kind == "save_file"]
    assert len(folders) == 5 and all(f == documents_folder() for f in folders), folders
    for side in window.side_windows:
        side.close()
    dialog = window.files.export()
    qtbot.addWidget(dialog)
    suggested = Path(dialog.path.text())
    assert suggested.parent == documents_folder() and not suggested.resolve().is_relative_to(hidden)
    dialog.close()


def test_the_export_dialog_lists_the_pre_export_check_and_goes_to_a_finding(qtbot: QtBot, window: Any) -> None:
    facility = window.doc.programme.facilities[1]
    window.tree.setCurrentIndex(window.tree_model.facility_index(facility.uid))
    window.nodes.new_bill()  # an empty bill, with no Arabic name
    QApplication.processEvents()
    empty = facility.bills[-1]
    window.tree.setCurrentIndex(window.tree_model.facility_index(window.doc.programme.facilities[0].uid))
    dialog = window.files.export()
    qtbot.addWidget(dialog)
    checks = dialog.checks
    assert [(f.kind, f.bill_uid) for f in checks.findings] == [("empty", empty.uid)]
    assert "1 empty" in checks.summary.text() and checks.table.rowCount() == 1
    dialog.lang.setCurrentIndex(dialog.lang.findData("ar"))
    assert {f.kind for f in checks.findings} == {"empty", "no Arabic"}, "Arabic exports name English fallbacks"
    assert any(f.bill_uid == empty.uid and f.kind == "no Arabic" for f in checks.findings)
    row = next(r for r, f in enumerate(checks.findings) if f.kind == "empty")
    checks.table.cellDoubleClicked.emit(row, 0)
    assert window.tree_model.node(window.tree.currentIndex()) is empty
    dialog.close()
