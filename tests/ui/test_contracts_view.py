"""The Contracts views as a user meets them: a real widget offscreen over a real .boq, the engine's figures."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from estimator.store import Project
from tests.support.contracts import make, write_csv
from ui.contracts_view import ContractsView, ProgrammeContractsView
from ui.dialogs import RecordingDialogs
from ui.qt import Qt


@pytest.fixture
def project(tmp_path: Path) -> Project:
    example = make(tmp_path)
    opened = Project.open(example.boq)
    opened.bid = example.bid  # type: ignore[attr-defined]
    yield opened  # type: ignore[misc]
    opened.close()


def test_award_measure_vary_certify_and_export(qtbot: QtBot, qtmodeltester: ModelTester, project: Project,
                                               dialogs: RecordingDialogs, tmp_path: Path) -> None:
    view = ContractsView(project, dialogs)
    qtbot.addWidget(view)
    assert not view.measure_button.isEnabled() and view.award_button.isEnabled()
    dialogs.answers.append(project.bid)  # type: ignore[attr-defined]
    qtbot.mouseClick(view.award_button, Qt.MouseButton.LeftButton)
    assert view.ledger is not None and view.ledger.contract.sum == Decimal("12000.00")
    assert view.items.rowCount() == 4 and view.items.data(view.items.index(1, 5)) == "7,410.00"
    assert not view.award_button.isEnabled() and view.measure_button.isEnabled()
    # beyond the contract quantity: refused in a dialog naming the item, nothing recorded
    too_much = write_csv(tmp_path / "m.csv", [["item", "quantity"], ["1.3", "310"]])
    assert view.measure(too_much) is None
    assert any("above the contract quantity 300.00" in str(p) for p in dialogs.last("problems")[2])
    view.variation_name.setText("VO-1")
    vo = write_csv(tmp_path / "vo.csv", [["action", "item", "quantity"], ["change", "1.3", "340"]])
    assert view.vary(vo) == Decimal("350.00")
    assert view.variations.rowCount() == 1 and view.variations.data(view.variations.index(0, 3)) == "approved"
    view.period.setValue(1)
    assert view.measure(write_csv(tmp_path / "m1.csv", [["item", "quantity"], ["1.1", "60"], ["1.3", "310"]])) == 2
    view.materials.setText("100")
    cert = view.certify()
    # 60 x 12.50 + 310 x 8.75 = 750.00 + 2,712.50 = 3,462.50; + 100.00 materials = 3,562.50;
    # retention 356.25 (cap 600.00); recovery 20 % x 3,462.50 = 692.50; due 3,562.50 - 356.25 - 692.50 = 2,513.75
    assert cert is not None and cert.amount_due == Decimal("2513.75")
    assert view.certificates.rowCount() == 1 and view.certificates.data(view.certificates.index(0, 7)) == "2,513.75"
    assert view.periods.data(view.periods.index(0, 1)) == "28.04"  # 3,462.50 / 12,350.00 (with VO-1) = 28.04 %
    for model in (view.items, view.variations, view.periods, view.certificates):
        qtmodeltester.check(model)
    pdf = view.export("pdf", tmp_path / "ipc.pdf")
    assert pdf is not None
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "2,513.75" in text
    assert view.export("xlsx", tmp_path / "ipc.xlsx") is not None
    assert view.export("pdf", project.path) is None  # the open programme is never written over
    assert "is an input" in dialogs.last("error")[1]

    overview = ProgrammeContractsView(project)
    qtbot.addWidget(overview)
    qtmodeltester.check(overview.lots)
    assert overview.lots.rowCount() == 1 and overview.lots.data(overview.lots.index(0, 5)) == "3,462.50"
    assert overview.series_names() == ["Harim Health Centre"]
