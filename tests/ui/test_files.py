"""Files from the window: open (corrupt, locked, recent), new, save as, import a work list, export."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from estimator.cell_input import Col
from estimator.pricing import price
from estimator.store import Project, load
from ui.dialogs import RecordingDialogs
from ui.export_dialog import EXPORTERS, ExportDialog
from ui.qt import QMenu, Qt
from ui.settings import AppSettings


def test_opening_a_corrupt_file_shows_an_error_and_keeps_the_programme(window: Any, dialogs: RecordingDialogs,
                                                                      tmp_path: Path) -> None:
    before = window.doc
    bad = tmp_path / "broken.boq"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    assert not window.files.open_path(bad)
    kind, (title, message) = dialogs.calls[-1]
    assert kind == "error" and title == "Cannot open programme"
    assert "broken.boq" in message and "Traceback" not in message
    not_boq = tmp_path / "notes.boq"
    not_boq.write_text("hello", encoding="utf-8")
    assert not window.files.open_path(not_boq)
    assert "not a BoQ Estimator project file" in dialogs.last("error")[1]
    foreign = tmp_path / "other.boq"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    assert not window.files.open_path(foreign)
    assert "not a BoQ Estimator project file" in dialogs.last("error")[1]
    assert window.doc is before and window.doc.programme.facilities


def test_a_file_open_elsewhere_is_offered_read_only(window: Any, dialogs: RecordingDialogs, tmp_path: Path,
                                                    sample_programme: Any) -> None:
    other = tmp_path / "busy.boq"
    Project.create(other, sample_programme).close()
    with Project.open(other):  # another window holds the lock
        dialogs.answers.append(False)
        assert not window.files.open_path(other)
        assert dialogs.last("question")[0] == "File in use"
        dialogs.answers.append(True)
        assert window.files.open_path(other)
        assert window.doc.readonly and "[read-only]" in window.windowTitle()
        model = window.boq_model
        assert not model.flags(model.index(0, Col.QTY)) & Qt.ItemFlag.ItemIsEditable
        assert not window.rows.insert.isEnabled()
        window.rows.insert_row()
        assert "read-only" in window.statusBar().currentMessage()
        assert model.rowCount() == len(model.bill.items)


def test_recent_files_are_remembered(window: Any, sample_file: Path, tmp_path: Path, sample_programme: Any) -> None:
    second = tmp_path / "second.boq"
    Project.create(second, sample_programme).close()
    assert window.files.open_path(second)
    assert AppSettings().recent_files()[:2] == [second.resolve(), sample_file.resolve()]
    menu = QMenu()
    window.files.fill_recent(menu)
    assert [a.text() for a in menu.actions()][:2] == [str(second.resolve()), str(sample_file.resolve())]
    menu.actions()[1].trigger()
    assert window.doc.path == sample_file


def test_new_programme_and_save_as(qtbot: QtBot, window: Any, dialogs: RecordingDialogs, tmp_path: Path) -> None:
    dialogs.answers.append(tmp_path / "fresh")
    window.files.new_file()
    assert window.doc.path == tmp_path / "fresh.boq"
    assert [f.name for f in window.doc.programme.facilities] == ["Facility 1"]
    assert window.boq_model.bill is not None and window.boq_model.rowCount() == 0
    window.rows.add_rates([sorted(window.library.rates)[0]])
    window.rows.add_rates([sorted(window.library.rates)[1]])
    model = window.boq_model
    assert model.setData(model.index(0, Col.QTY), "4")
    qtbot.waitUntil(lambda: not window.doc.save_pending)
    saved = load(tmp_path / "fresh.boq")
    assert saved.facilities[0].bills[0].items[0].quantity == Decimal(4)
    dialogs.answers.append(tmp_path / "copy.boq")
    window.files.save_as()
    assert window.doc.path == tmp_path / "copy.boq"
    assert model.setData(model.index(1, Col.QTY), "7")
    qtbot.waitUntil(lambda: not window.doc.save_pending)
    assert load(tmp_path / "copy.boq").facilities[0].bills[0].items[1].quantity == Decimal(7)
    assert load(tmp_path / "fresh.boq").facilities[0].bills[0].items[1].quantity == Decimal(0)


def test_import_work_list_adds_facilities_and_undo_takes_it_back(qtbot: QtBot, window: Any, dialogs: RecordingDialogs,
                                                                  tmp_path: Path) -> None:
    code = next(c for c, r in sorted(window.doc.programme.rates.rates.items()) if r.unit == "m2")
    worklist = tmp_path / "wl.csv"
    worklist.write_text("Facility,Section,Description,Quantity,Unit,Code\n"
                        f"Ariha Annex,1 Plastering,Walls,120,m2,{code}\n"
                        f",,Ceilings,1200,ft2,{code}\n", encoding="utf-8")
    start, n = window.doc.live.grand_total, len(window.doc.programme.facilities)
    dialogs.answers.append(worklist)
    window.files.import_worklist()
    qtbot.waitUntil(lambda: window.files.import_job is None, timeout=20000)
    assert [k for k in dialogs.kinds() if k != "open_file"] == []
    prog = window.doc.programme
    assert len(prog.facilities) == n + 1 and prog.facilities[-1].name == "Ariha Annex"
    assert window.tree_model.rowCount() == n + 1
    assert window.doc.live.grand_total == price(prog).grand_total > start
    assert window.isEnabled()
    window.undo_action.trigger()
    assert len(window.doc.programme.facilities) == n and window.doc.live.grand_total == start


def test_import_problems_are_listed_and_nothing_changes(qtbot: QtBot, window: Any, dialogs: RecordingDialogs,
                                                        tmp_path: Path) -> None:
    worklist = tmp_path / "bad.csv"
    worklist.write_text("Facility,Section,Description,Quantity,Unit,Code\n"
                        "Ariha Annex,1 Plastering,Walls,12x,m2,NOPE-1\n"
                        "Ariha Annex,1 Plastering,Doors,3,parsecs,\n", encoding="utf-8")
    n = len(window.doc.programme.facilities)
    dialogs.answers.append(worklist)
    window.files.import_worklist()
    qtbot.waitUntil(lambda: window.files.import_job is None, timeout=20000)
    title, message, problems = dialogs.last("problems")
    assert title == "Import work list" and "bad.csv" in message
    assert {(p.row, p.column) for p in problems} >= {(2, "Quantity"), (2, "Code"), (3, "Unit")}
    assert len(window.doc.programme.facilities) == n and window.doc.undo_stack.count() == 0


@pytest.mark.parametrize(("kind", "lang"), [("xlsx", "en"), ("pdf", "both")])
def test_export_from_the_dialog_writes_the_file(qtbot: QtBot, window: Any, tmp_path: Path, kind: str, lang: str) -> None:
    dialog = window.files.export()
    qtbot.addWidget(dialog)
    (dialog.xlsx if kind == "xlsx" else dialog.pdf).setChecked(True)
    dialog.lang.setCurrentIndex(dialog.lang.findData(lang))
    out = tmp_path / f"out.{kind}"
    dialog.path.setText(str(out))
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    assert dialog.close_button.text() == "Cancel", "the window stays usable while the export runs"
    with qtbot.waitSignal(dialog.exported, timeout=120000) as done:
        pass
    assert done.args == [out] and out.stat().st_size > 1000
    assert dialog.written == out and "Wrote" in dialog.message.text()
    if kind == "xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(out, read_only=True)
        assert len(wb.sheetnames) >= len(window.doc.programme.facilities)
        wb.close()
    else:
        assert out.read_bytes().startswith(b"%PDF")


def test_export_can_be_cancelled_and_leaves_nothing(qtbot: QtBot, window: Any, tmp_path: Path) -> None:
    dialog = ExportDialog(window.doc, window.dialogs, window)
    qtbot.addWidget(dialog)
    out = tmp_path / "cancelled.xlsx"
    dialog.path.setText(str(out))
    dialog.start()
    dialog.reject()  # Cancel while running: asks the exporter to stop at its next progress step
    qtbot.waitUntil(lambda: dialog.job is not None and not dialog.job.running, timeout=60000)
    qtbot.waitUntil(lambda: "cancelled" in dialog.message.text(), timeout=5000)
    assert not out.exists() and not list(tmp_path.glob(".cancelled*"))


def test_a_missing_exporter_is_a_clear_message(qtbot: QtBot, window: Any, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(EXPORTERS, "pdf", ("estimator.export.not_written_yet", "write_pdf", "PDF (*.pdf)", "PDF"))
    dialog = ExportDialog(window.doc, window.dialogs, window)
    qtbot.addWidget(dialog)
    dialog.pdf.setChecked(True)
    dialog.start()
    assert "PDF export is not available in this build" in dialog.message.text()
    assert dialog.go.isEnabled() and dialog.job is None


def test_opening_the_open_file_again_is_a_no_op(window: Any, dialogs: RecordingDialogs, sample_file: Path) -> None:
    doc = window.doc
    assert window.files.open_path(sample_file)
    assert window.doc is doc and dialogs.calls == []


def test_window_layout_is_remembered(qtbot: QtBot, window: Any, dialogs: RecordingDialogs) -> None:
    from ui.main_window import MainWindow

    window.resize(window.width(), 561)  # the offscreen screen is 800 x 800: only the height fits on it
    window.library_dock.hide()
    window.close()
    again = MainWindow(AppSettings(), dialogs)
    qtbot.addWidget(again)
    assert again.height() == 561
    assert again.library_dock.isHidden()


def test_unpriced_export_in_arabic(qtbot: QtBot, window: Any, tmp_path: Path) -> None:
    import openpyxl

    dialog = ExportDialog(window.doc, window.dialogs, window)
    qtbot.addWidget(dialog)
    dialog.unpriced.setChecked(True)
    dialog.lang.setCurrentIndex(dialog.lang.findData("ar"))
    out = tmp_path / "tender.xlsx"
    dialog.path.setText(str(out))
    with qtbot.waitSignal(dialog.exported, timeout=120000):
        dialog.start()
    wb = openpyxl.load_workbook(out, read_only=True)
    sheet = wb[wb.sheetnames[1]]
    texts = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    wb.close()
    assert any("\u0600" <= ch <= "\u06ff" for t in texts for ch in t)
