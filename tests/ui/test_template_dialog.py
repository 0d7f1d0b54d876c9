"""Edit › New facility from template…: parameters, a live preview priced by the engine, one undoable edit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pytestqt.qtbot import QtBot

from estimator.money import fmt
from estimator.pricing import price
from estimator.store import load
from estimator.template_build import build_facility, preview


def test_new_facility_from_template_previews_adds_and_undoes(qtbot: QtBot, window: Any) -> None:
    from ui.qt import QComboBox, QDialogButtonBox, QLineEdit

    before = [f.name for f in window.doc.programme.facilities]
    window.template_action.trigger()
    dialog = window.template_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.template.setCurrentIndex(dialog.template.findData("dialysis-unit"))
    assert set(dialog.fields) == {"chairs", "area"}
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)

    chairs = dialog.fields["chairs"]
    assert isinstance(chairs, QLineEdit)
    qtbot.keyClicks(dialog.name, "Dialysis unit, Sarmada")
    chairs.setText("2")  # below the minimum: said in the dialog, OK disabled
    assert "outside 4 to 40" in dialog.problem.text() and not ok.isEnabled()
    chairs.setText("12")
    dialog.fields["area"].setText("340")
    dialog.governorate.setCurrentText("Idlib")
    assert dialog.problem.text() == "" and ok.isEnabled()

    # the preview is the engine's: same items and the same total, in the programme's currency
    programme = window.doc.programme
    built = build_facility(dialog.current, {"chairs": "12", "area": "340"}, window.library, "Dialysis unit, Sarmada")
    expected = preview(programme, built.facility, window.library)
    assert dialog.table.rowCount() == len(built.facility.items())
    assert f"Total {fmt(expected.total)} USD" in dialog.total.text() and "per m²" in dialog.total.text()
    assert dialog.table.item(0, 1).text() == built.facility.items()[0].rate_code

    dialog.accept()
    added = window.doc.programme.facilities[-1]
    assert added.name == "Dialysis unit, Sarmada" and added.facility_type == "dialysis unit"
    assert (added.floor_area, added.beds, added.governorate) == (Decimal(340), 12, "Idlib")
    assert price(window.doc.programme).facilities[-1].total == expected.total
    assert window.tree_model.node(window.tree.currentIndex()) is added
    window.doc.save_now()
    assert load(window.doc.path).facilities[-1].name == "Dialysis unit, Sarmada"

    window.undo_action.trigger()  # one step takes out the facility and the rates it brought
    assert [f.name for f in window.doc.programme.facilities] == before
    assert "DL-010" not in window.doc.programme.rates
    window.redo_action.trigger()
    assert window.doc.programme.facilities[-1].name == "Dialysis unit, Sarmada"

    # a choice parameter is a list; an existing name is refused before OK
    window.template_action.trigger()
    dialog = window.template_dialog
    dialog.template.setCurrentIndex(dialog.template.findData("phc-rehabilitation"))
    damage = dialog.fields["damage"]
    assert isinstance(damage, QComboBox) and [damage.itemText(i) for i in range(damage.count())] == ["light", "moderate", "heavy"]
    totals = []
    for level in range(3):
        damage.setCurrentIndex(level)
        totals.append(dialog.total.text())
    assert len(set(totals)) == 3
    dialog.name.setText("Dialysis unit, Sarmada")
    assert "already has a facility" in dialog.problem.text()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dialog.reject()
