"""Other views opened from the main window: the facility comparison (and bid evaluation when present)."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from ui.qt import Qt


def test_compare_view_opens_on_the_live_estimate_and_leads_back_to_a_facility(qtbot: QtBot, window: Any) -> None:
    view = window.open_compare()
    assert view is not None and view.comparison is not None
    assert len(view.comparison.facilities) == len(window.doc.programme.facilities)
    target = window.doc.programme.facilities[3]
    view.facilityActivated.emit(target.uid)
    node = window.tree_model.node(window.tree.currentIndex())
    assert node is target
    assert window.boq_model.facility is target and window.totals.facility.text().startswith(target.name)
    for side in window.side_windows:
        side.close()


def test_bid_evaluation_opens_on_the_saved_programme(qtbot: QtBot, window: Any) -> None:
    from ui.qt import QWidget

    view = window.open_bids()
    assert isinstance(view, QWidget) and view.isVisible()
    assert view.programme is not window.doc.programme  # a copy read from the file: evaluation runs off the GUI thread
    assert [f.uid for f in view.programme.facilities] == [f.uid for f in window.doc.programme.facilities]
    for side in window.side_windows:
        side.close()


def test_compare_view_refreshes_and_exports_excel_and_pdf(qtbot: Any, window: Any, dialogs: Any, tmp_path: Any) -> None:
    import subprocess
    from decimal import Decimal

    import openpyxl

    from estimator.cell_input import Col

    view = window.open_compare()
    facility = window.doc.programme.facilities[0]
    before = next(f.total for f in view.comparison.facilities if f.uid == facility.uid)
    window.tree.setCurrentIndex(window.tree_model.bill_index(facility.bills[0].uid))
    item = facility.bills[0].items[0]
    window.boq_model.setData(window.boq_model.index(0, Col.QTY), str(item.quantity + 10))
    assert next(f.total for f in view.comparison.facilities if f.uid == facility.uid) == before, "until refreshed"
    qtbot.mouseClick(view.refresh_button, Qt.MouseButton.LeftButton)
    after = next(f.total for f in view.comparison.facilities if f.uid == facility.uid)
    assert after > before and after == window.doc.live.facility_total(facility.uid)

    xlsx, pdf = tmp_path / "cmp.xlsx", tmp_path / "cmp.pdf"
    dialogs.answers[:] = [xlsx, False]
    qtbot.mouseClick(view.xlsx_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.written == xlsx, timeout=60000)
    assert dialogs.last("save_file")[0] == "Export comparison" and "Wrote" in view.status.text()
    book = openpyxl.load_workbook(xlsx, read_only=True)
    cells = [c for row in book[book.sheetnames[1]].iter_rows(values_only=True) for c in row]
    assert facility.name in cells and any(isinstance(c, (int, float)) and Decimal(str(c)) == after for c in cells)
    book.close()
    dialogs.answers[:] = [pdf, True]
    qtbot.mouseClick(view.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.written == pdf, timeout=60000)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert facility.name in text
    assert dialogs.last("show_path") == (pdf, False), "Open it? Yes opens the report"
    for side in window.side_windows:
        side.close()


def test_compare_view_never_writes_a_report_over_the_programme(qtbot: Any, window: Any, dialogs: Any) -> None:
    """Found merging: the window's comparison export had no output guard: a name that is the open .boq
    under another name (a link) or a file of another kind was replaced by the report."""
    import os

    view = window.open_compare()
    before = window.doc.path.read_bytes()
    linked = window.doc.path.with_name("linked.xlsx")
    os.link(window.doc.path, linked)
    assert view.export("xlsx", linked) is None
    assert "input" in dialogs.last("error")[1] or "open" in dialogs.last("error")[1]
    notes = window.doc.path.with_name("notes.pdf")
    notes.write_text("minutes of the site visit")
    assert view.export("pdf", notes) is None and "text file" in dialogs.last("error")[1]
    assert window.doc.path.read_bytes() == before and notes.read_text() == "minutes of the site visit"
    for side in window.side_windows:
        side.close()
