"""The bid evaluation view: a real widget offscreen, bids added through the dialog service, the
evaluation run on the thread pool by clicking Evaluate, results read from the models."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from tests.test_bids import Bidder, Tender, tender  # noqa: F401  (tender is a fixture)
from ui.bids_view import BidsView
from ui.dialogs import RecordingDialogs
from ui.qt import Qt

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_evaluate_in_the_window(qtbot: QtBot, qtmodeltester: ModelTester, tender: Tender,  # noqa: F811
                                tmp_path: Path) -> None:
    honest, sloppy = Bidder(tender, "1.02"), Bidder(tender, "0.97")
    ws, row, _ = sloppy.find(0, 0)
    ws[f"E{row}"] = None
    paths = [honest.save(tmp_path / "honest.xlsx"), sloppy.save(tmp_path / "sloppy.xlsx")]
    other = tmp_path / "notes.xlsx"
    openpyxl.Workbook().save(other)
    dialogs = RecordingDialogs(answers=[str(p) for p in (*paths, other)])
    view = BidsView(tender.programme, dialogs)
    qtbot.addWidget(view)
    view.show()
    for _ in range(3):
        qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    assert view.paths == [*paths, other] and "3 bid(s)" in view.files.text()
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.evaluation is not None, timeout=60_000)
    ev = view.evaluation
    assert ev is not None
    for model in (view.ranking, view.anomalies, view.items, view.refused):
        qtmodeltester.check(model)
    # ranking: the complete bid first, even though the sloppy one is cheaper
    assert [view.ranking.data(view.ranking.index(r, 2)) for r in range(2)] == ["honest.xlsx", "sloppy.xlsx"]
    total = view.ranking.data(view.ranking.index(0, 4), Qt.ItemDataRole.EditRole)
    assert Decimal(total) == tender.corrected_total(honest.rates)
    assert view.refused.rowCount() == 1 and "no '_tender' sheet" in view.status.text()
    # the sloppy bid's anomalies when its row is selected
    view.ranking_view.selectRow(1)
    assert view.anomalies.rowCount() == 1
    assert view.anomalies.data(view.anomalies.index(0, 0)) == "missing rate"
    assert view.tabs.tabText(0) == "Anomalies of sloppy (1)"
    # items: 2 % above and 3 % below: inside ±30 %, no shading; the engineer's rate beside the bids'
    items = view.items
    assert items.rowCount() == len(tender.lines)
    assert items.headerData(6, Qt.Orientation.Horizontal) == "1. honest"
    assert items.data(items.index(0, 6), Qt.ItemDataRole.BackgroundRole) is None
    # a narrower threshold shades the rates
    view.threshold.setText("1")
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.evaluation is not ev, timeout=60_000)
    flagged = [items.data(items.index(r, 6), Qt.ItemDataRole.BackgroundRole) for r in range(items.rowCount())]
    assert sum(f is not None for f in flagged) > len(flagged) // 2
    # save the report through the dialog service
    report = tmp_path / "report.xlsx"
    dialogs.answers.append(str(report))
    qtbot.mouseClick(view.report_button, Qt.MouseButton.LeftButton)
    assert report.exists() and dialogs.last("info") == ("Save report", f"Wrote {report}")
    assert openpyxl.load_workbook(report, read_only=True).sheetnames[0] == "Summary"


def test_a_bad_threshold_is_said_in_the_view(qtbot: QtBot, tender: Tender, tmp_path: Path) -> None:  # noqa: F811
    view = BidsView(tender.programme, RecordingDialogs())
    qtbot.addWidget(view)
    view.add_bids([Bidder(tender, "1").save(tmp_path / "b.xlsx")])
    view.threshold.setText("-5")
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    assert "greater than 0" in view.status.text() and view.evaluation is None and view.job is None


HOSTILE_NAMES = [
    '<b style="font-size:40px">ACME</b>',
    '<span style="color:white">0.00</span><span style="font-size:30px">Corrected total 1.00</span>',
    '<img src="file:///etc/passwd">Builders',
    "<table><tr><td>fake</td></tr></table>",
]


def test_text_from_a_bid_is_shown_as_plain_text(qtbot: QtBot, tender: Tender, tmp_path: Path) -> None:  # noqa: F811
    """A bidder's company name crafted as HTML must be shown as the characters it is, everywhere."""
    from PySide6.QtGui import QTextDocument  # only to render a tooltip as Qt would; the window never needs it

    from ui.plain import message_box, plain_tooltip
    from ui.qt import QLabel, QMessageBox

    paths = []
    for n, name in enumerate(HOSTILE_NAMES):
        bidder = Bidder(tender, f"1.0{n}")
        summary = bidder.wb["General Summary"]
        row = next(r for r in range(1, summary.max_row + 1) if summary[f"B{r}"].value == "Company name")
        summary[f"C{row}"] = name
        paths.append(bidder.save(tmp_path / f"<i>bid{n}<i>.xlsx"))
    view = BidsView(tender.programme, RecordingDialogs())
    qtbot.addWidget(view)
    view.add_bids(paths)
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.evaluation is not None, timeout=60_000)
    ev = view.evaluation
    assert ev is not None and sorted(b.company for b in ev.bids) == sorted(HOSTILE_NAMES)
    labels = view.findChildren(QLabel)
    shown = [label for label in labels if label.text()]
    assert any("<i>bid0<i>.xlsx" in label.text() for label in shown)  # the file names, as written
    assert any(HOSTILE_NAMES[0] in label.text() or ev.bids[0].company in label.text() for label in shown)
    for label in labels:  # every label that shows text from files renders it literally
        if any(mark in label.text() for mark in ("<b", "<span", "<img", "<table")):
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    ranking = [view.ranking.index(r, 1).data() for r in range(view.ranking.rowCount())]
    assert sorted(ranking) == sorted(HOSTILE_NAMES)  # table cells are plain text
    # tooltips and message boxes: a rich-text renderer given them shows the characters, not markup
    doc = QTextDocument()
    for name in HOSTILE_NAMES:
        doc.setHtml(plain_tooltip(name) or "")
        assert doc.toPlainText() == name
        box = message_box(None, QMessageBox.Icon.Warning, "t", name)
        assert box.textFormat() == Qt.TextFormat.PlainText and box.text() == name
        box.deleteLater()
