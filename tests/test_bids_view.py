"""The bid evaluation view: a real widget offscreen, bids added through the dialog service, the
evaluation run on the thread pool by clicking Evaluate, results read from the models."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from estimator.analysis.evalfile import read_evaluation
from tests.test_bid_lots import EVAL, _bids, expected_lot, lots_tender  # noqa: F401  (lots_tender is a fixture)
from tests.test_bids import Bidder, Tender, tender  # noqa: F401  (tender is a fixture)
from ui.bids_view import BidsView
from ui.dialogs import RecordingDialogs
from ui.qt import QDropEvent, QMimeData, QPointF, Qt, QUrl

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_evaluate_in_the_window(qtbot: QtBot, qtmodeltester: ModelTester, lots_tender: Tender,  # noqa: F811
                                tmp_path: Path) -> None:
    """Several workbooks added at once (the dialog's multi-select) and by drag and drop, an evaluation
    CSV dropped on the view and edited, then a tab per lot with its ranking, and the CBA exported."""
    bidders, paths = _bids(lots_tender, tmp_path)
    other = tmp_path / "notes.xlsx"
    openpyxl.Workbook().save(other)
    dialogs = RecordingDialogs(answers=[[str(paths[0]), str(paths[1])]])
    view = BidsView(lots_tender.programme, dialogs)
    qtbot.addWidget(view)
    view.show()
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    assert dialogs.kinds() == ["open_files"] and view.paths == paths[:2]
    # drag and drop: the third bid, a stray workbook, and the evaluation file
    evaluation = tmp_path / "eval.csv"
    evaluation.write_text(EVAL, encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in (paths[2], other, evaluation, tmp_path / "readme.txt")])
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    view.dropEvent(drop)
    assert view.paths == [*paths, other] and "4 bid(s)" in view.files.text()
    table = view.evaluation_table
    qtmodeltester.check(table)
    assert table.rowCount() == 3 and table.data(table.index(2, 6)) == "fail"
    # the committee changes its mind in the table: Cedar passes the technical check after all
    assert table.setData(table.index(2, 6), "pass")
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.cba is not None, timeout=60_000)
    cba = view.cba
    assert cba is not None
    for model in (view.bidders, view.recommendation, view.items, view.refused, *view.lot_rankings, *view.lot_anomalies):
        qtmodeltester.check(model)
    # a tab per lot, each with its own ranking
    assert view.tabs.count() == view.FIXED_TABS + 5
    assert [view.tabs.tabText(view.FIXED_TABS + n) for n in range(5)] == ["Lot 1 (3)", "Lot 2 (3)", "Lot 3 (3)",
                                                                          "Lot 4 (2)", "Lot 5 (2)"]
    lot4 = view.lot_rankings[3]
    assert [lot4.data(lot4.index(r, 1)) for r in range(lot4.rowCount())] == ["Cedar Builders", "Bina Co."]
    total = lot4.data(lot4.index(0, 4), Qt.ItemDataRole.EditRole)
    assert Decimal(total) == expected_lot(lots_tender, bidders["c"], 4)
    lot2 = view.lot_rankings[1]
    assert lot2.data(lot2.index(2, 1)) == "Cedar Builders" and lot2.data(lot2.index(2, 7)) == "non-compliant"
    # the anomalies of lot 1's first bid: the provisional sum it altered
    assert view.lot_anomalies[0].data(view.lot_anomalies[0].index(0, 0)) == "fixed sum altered"
    assert view.refused.rowCount() == 1 and "no '_tender' sheet" in view.status.text()
    rec = view.recommendation
    assert [rec.data(rec.index(r, 3)) for r in range(rec.rowCount())] == ["Al-Noor Contracting"] * 3 + ["Cedar Builders"] * 2
    # a mistake in the table is said by row and column, and nothing runs
    table.setData(table.index(0, 2), "lots")
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    assert "row 2, column 'security_amount'" in view.status.text() and not view.job.running  # type: ignore[union-attr]
    table.setData(table.index(0, 2), "3000")
    # save the evaluation and the CBA (PDF, in Arabic) through the dialog service
    saved, pdf = tmp_path / "saved.csv", tmp_path / "cba.pdf"
    dialogs.answers += [str(saved), str(pdf)]
    qtbot.mouseClick(view.save_evaluation_button, Qt.MouseButton.LeftButton)
    assert [r.bidder for r in read_evaluation(saved)] == ["al noor contracting", "Bina Co", "Cedar Builders"]
    view.lang.setCurrentIndex(1)
    view.committee.setText("Rania Haddad, chair; Omar Sayed, engineer")
    qtbot.mouseClick(view.report_button, Qt.MouseButton.LeftButton)
    assert pdf.exists() and dialogs.last("info") == ("Save the comparative bid analysis", f"Wrote {pdf}")
    assert view.cba is not None and view.cba.committee == [("Rania Haddad", "chair"), ("Omar Sayed", "engineer")]


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
    qtbot.waitUntil(lambda: view.cba is not None, timeout=60_000)
    ev = view.evaluation
    assert ev is not None and sorted(b.company for b in ev.bids) == sorted(HOSTILE_NAMES)
    labels = view.findChildren(QLabel)
    shown = [label for label in labels if label.text()]
    assert any("<i>bid0<i>.xlsx" in label.text() for label in shown)  # the file names, as written
    assert any(HOSTILE_NAMES[0] in label.text() or ev.bids[0].company in label.text() for label in shown)
    for label in labels:  # every label that shows text from files renders it literally
        if any(mark in label.text() for mark in ("<b", "<span", "<img", "<table")):
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    ranking = [view.lot_rankings[0].index(r, 1).data() for r in range(view.lot_rankings[0].rowCount())]
    assert sorted(ranking) == sorted(HOSTILE_NAMES)  # table cells are plain text
    assert sorted(view.bidders.index(r, 0).data() for r in range(view.bidders.rowCount())) == sorted(HOSTILE_NAMES)
    # tooltips and message boxes: a rich-text renderer given them shows the characters, not markup
    doc = QTextDocument()
    for name in HOSTILE_NAMES:
        doc.setHtml(plain_tooltip(name) or "")
        assert doc.toPlainText() == name
        box = message_box(None, QMessageBox.Icon.Warning, "t", name)
        assert box.textFormat() == Qt.TextFormat.PlainText and box.text() == name
        box.deleteLater()
