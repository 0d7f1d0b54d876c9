"""The comparison view as a user meets it: a real widget, sorted by clicks, bars clicked."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from estimator.model import Programme
from tests.test_compare import hospitals
from ui.compare_view import UID_ROLE, CompareView
from ui.qt import QPoint, QPointF, Qt

# The offscreen platform plugin warns once when a window is shown; it says nothing about our code.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_models_pass_the_model_tester(qtbot: QtBot, qtmodeltester: ModelTester, sample_programme: Programme) -> None:
    view = CompareView()
    qtbot.addWidget(view)
    view.set_programme(sample_programme)
    for model in (view.facilities, view.outliers, view.by_type, view.by_governorate):
        qtmodeltester.check(model)
    assert view.facilities.rowCount() == len(sample_programme.facilities)
    assert view.facilities.columnCount() == 9 + len(view.comparison.trades)  # type: ignore[union-attr]


def test_table_shows_figures_sorts_by_value_and_explains_flags(qtbot: QtBot) -> None:
    view = CompareView()
    qtbot.addWidget(view)
    view.set_programme(hospitals())
    model = view.facilities
    h4 = model.index(3, 6)  # per m² of H4
    assert model.data(h4) == "17.00" and model.data(h4, Qt.ItemDataRole.EditRole) == "17.00"
    assert model.data(model.index(3, 5)) == "1,700.00"
    assert model.data(h4, Qt.ItemDataRole.TextAlignmentRole) & int(Qt.AlignmentFlag.AlignRight)
    painting = 9 + view.comparison.trades.index("Painting")  # type: ignore[union-attr]
    assert "Painting costs 7.00 USD per m²" in model.data(model.index(3, painting), Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(3, painting), Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(model.index(0, painting), Qt.ItemDataRole.BackgroundRole) is None
    # a click on the "Total" header sorts by the Decimal value, descending on the second click
    header = view.table.horizontalHeader()
    view.show()
    qtbot.waitExposed(view)
    x = header.sectionViewportPosition(5) + header.sectionSize(5) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    assert model.data(model.index(0, 0)) == "H4"
    totals = [Decimal(model.data(model.index(r, 5), Qt.ItemDataRole.EditRole)) for r in range(model.rowCount())]
    assert totals == sorted(totals, reverse=True)
    # beds: unknown values sort last whatever the order
    view.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)
    assert [model.data(model.index(r, 4)) for r in range(5)] == ["10", "20", "", "", ""]


def test_thresholds_edited_in_the_view(qtbot: QtBot) -> None:
    view = CompareView()
    qtbot.addWidget(view)
    view.set_programme(hospitals())
    assert view.outliers.rowCount() == 1 and view.tabs.tabText(2) == "Outliers (1)"
    view.high.setText("4")
    view.high.editingFinished.emit()
    assert view.outliers.rowCount() == 0 and view.tabs.tabText(2) == "Outliers (0)"
    view.low.setText("lots")
    view.low.editingFinished.emit()
    assert "low threshold: 'lots' is not a valid number" in view.status.text()
    assert view.outliers.rowCount() == 0  # the last good comparison stays


def test_activating_a_row_or_clicking_a_bar_opens_the_facility(qtbot: QtBot) -> None:
    prog = hospitals()
    view = CompareView()
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.set_programme(prog)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.facilityActivated, timeout=1000) as blocker:
        view.table.activated.emit(view.facilities.index(2, 0))
    assert blocker.args == [prog.facilities[2].uid]
    assert view.outliers.data(view.outliers.index(0, 0), UID_ROLE) == prog.facilities[3].uid
    # a real mouse click in the middle of H4's bar in the stacked chart
    view.tabs.setCurrentIndex(0)
    chart_view = view.stacked_view
    chart = chart_view.chart()
    series = chart.series()[0]
    qtbot.wait(50)
    scene_point = chart.mapToScene(chart.mapToPosition(_point(3, 850), series))
    target = chart_view.mapFromScene(scene_point)
    with qtbot.waitSignal(view.facilityActivated, timeout=1000) as blocker:
        qtbot.mouseClick(chart_view.viewport(), Qt.MouseButton.LeftButton, pos=target)
    assert blocker.args == [prog.facilities[3].uid]


def _point(x: float, y: float) -> QPointF:
    return QPointF(x, y)
