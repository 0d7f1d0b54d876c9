"""Other views opened from the main window: the facility comparison (and bid evaluation when present)."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot


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
