"""Getting around: Find (Ctrl+F) and jumping to a hit, F1 help and About, panes by keyboard,
tooltips with the full text, facility and bill properties, duplicates."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from estimator.cell_input import Col
from estimator.store import load
from ui.dialogs import RecordingDialogs
from ui.qt import QApplication, QKeySequence, Qt, Role


def test_ctrl_f_finds_descriptions_codes_and_arabic_and_jumps_to_the_item(qtbot: QtBot, window: Any) -> None:
    nav = window.nav
    assert nav.find_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    assert nav.find_dock.toggleViewAction() in window.menuBar().actions()[2].menu().actions(), "View › Find"
    nav.find_action.trigger()
    assert nav.find_dock.isVisible() and nav.find_panel.search.hasFocus()
    programme = window.doc.programme
    target_fac = programme.facilities[5]
    wanted = ("ceramic", "tiling")
    target_bill = next(b for b in target_fac.bills if any(all(w in i.description.lower() for w in wanted) for i in b.items))
    target = next(i for i in target_bill.items if all(w in i.description.lower() for w in wanted))
    qtbot.keyClicks(nav.find_panel.search, "ceramic tile")
    qtbot.waitUntil(lambda: nav.find_panel.hits != [])
    hits = nav.find_panel.hits
    assert target.uid in [h.item_uid for h in hits]
    assert nav.find_panel.count.text() == f"{len(hits)} found"
    row = next(r for r, h in enumerate(hits) if h.item_uid == target.uid)
    qtbot.keyClick(nav.find_panel.search, Qt.Key.Key_Down)  # Down goes from the search box to the hits
    assert nav.find_panel.results.currentRow() == 0
    nav.find_panel.results.setCurrentCell(row, 0)
    qtbot.keyClick(nav.find_panel.results, Qt.Key.Key_Return)
    assert window.boq_model.bill is target_bill
    assert window.boq_model.item(window.table.currentIndex().row()) is target
    assert window.tree_model.node(window.tree.currentIndex()) is target_bill
    nav.find_panel.search.setText(target.description_ar.split()[0])
    assert target.uid in [h.item_uid for h in nav.find_panel.run()], "Arabic descriptions are searched"
    nav.find_panel.search.setText(target.rate_code)
    assert target.uid in [h.item_uid for h in nav.find_panel.run()], "rate codes are searched"
    assert nav.find_panel.results.item(0, 1).toolTip() == nav.find_panel.results.item(0, 1).text()


def test_f1_opens_the_user_guide_and_about_says_the_version(qtbot: QtBot, window: Any, dialogs: RecordingDialogs) -> None:
    from estimator import __version__

    assert QKeySequence("F1") in window.nav.help_action.shortcuts()
    window.activateWindow()
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_F1)  # the key itself: an ambiguous shortcut would do nothing
    help_window = window.nav.help_window
    assert help_window is not None and help_window.isVisible()
    text = help_window.browser.toPlainText()
    assert "Programme tree" in text and "Rate library" in text, "the README's guide for users"
    assert "pyproject" not in text and "Development" not in text, "not the developers' sections"
    window.nav.about_action.trigger()
    title, message = dialogs.last("info")
    assert title == "About BoQ Estimator" and __version__ in message
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_F6)
    assert QApplication.focusWidget() is window.table, "F6 goes to the next pane"
    help_window.close()


def test_f6_and_tab_reach_every_pane(qtbot: QtBot, window: Any) -> None:
    window.activateWindow()
    window.nav.find_action.trigger()
    window.tree.setFocus()
    visited = []
    for _ in range(len(window.nav.panes())):
        visited.append(window.nav.cycle_panes(1))
    panel = window.library_panel
    wanted = [window.table, panel.search, panel.table, panel.buildup_view, window.nav.find_panel.search,
              window.nav.find_panel.results, window.tree]
    assert visited == wanted
    assert window.nav.cycle_panes(-1) is window.nav.find_panel.results
    assert window.nav.next_pane.shortcut() == QKeySequence("F6")
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not panel.table, "Tab leaves the rate list"


def test_tree_tooltips_show_the_whole_name(window: Any) -> None:
    model = window.tree_model
    facility = window.doc.programme.facilities[0]
    bill = facility.bills[1]
    bill_tip = model.data(model.bill_index(bill.uid), Role.TOOLTIP)
    assert bill_tip.splitlines()[0] == bill.name and bill.name_ar in bill_tip
    fac_tip = model.data(model.facility_index(facility.uid), Role.TOOLTIP)
    assert fac_tip.splitlines()[0] == facility.name and facility.governorate in fac_tip
    buildup = window.library_panel.buildup
    window.library_panel.show_buildup("PL-010", window.library, "library")
    assert buildup.data(buildup.index(0, 1), Role.TOOLTIP) == buildup.rows[0][1]


def test_facility_properties_are_edited_and_undone(qtbot: QtBot, window: Any) -> None:
    facility = window.doc.programme.facilities[2]
    before = (facility.name_ar, facility.facility_type, facility.governorate, facility.district, facility.floor_area,
              facility.beds)
    window.tree.setCurrentIndex(window.tree_model.facility_index(facility.uid))
    dialog = window.nodes.edit_properties()
    qtbot.addWidget(dialog)
    dialog.fields["floor_area"].setText("twelve")
    dialog.accept()
    assert dialog.isVisible() and "floor area" in dialog.message.text(), "a mistake is said in the dialog"
    dialog.fields["name_ar"].setText("مركز تجريبي")
    dialog.kind.setCurrentText("dialysis unit")
    dialog.fields["governorate"].setText("Hama")
    dialog.fields["district"].setText("Salamiyah")
    dialog.fields["floor_area"].setText("1 250.5")
    dialog.fields["beds"].setText("12")
    dialog.accept()
    assert (facility.name_ar, facility.facility_type, facility.governorate, facility.district, facility.floor_area,
            facility.beds) == ("مركز تجريبي", "dialysis unit", "Hama", "Salamiyah", Decimal("1250.5"), 12)
    assert "dialysis unit, Hama" in window.bill_title.text()
    assert window.doc.undo_stack.count() == 1, "one undo step for the whole dialog"
    assert window.doc.save_now()
    saved = next(f for f in load(window.doc.path).facilities if f.uid == facility.uid)
    assert (saved.floor_area, saved.beds, saved.name_ar) == (Decimal("1250.5"), 12, "مركز تجريبي")
    window.undo_action.trigger()
    assert (facility.name_ar, facility.facility_type, facility.governorate, facility.district, facility.floor_area,
            facility.beds) == before


def test_bill_arabic_name_is_edited_and_undone(qtbot: QtBot, window: Any) -> None:
    bill = window.doc.programme.facilities[0].bills[2]
    old = bill.name_ar
    window.tree.setCurrentIndex(window.tree_model.bill_index(bill.uid))
    dialog = window.nodes.edit_properties()
    qtbot.addWidget(dialog)
    assert dialog.kind is None and set(dialog.fields) == {"name", "name_ar"}
    dialog.fields["name_ar"].setText("خرسانة مسلحة")
    dialog.accept()
    assert bill.name_ar == "خرسانة مسلحة"
    assert "خرسانة مسلحة" in window.tree_model.data(window.tree_model.bill_index(bill.uid), Role.TOOLTIP)
    window.undo_action.trigger()
    assert bill.name_ar == old


@pytest.mark.parametrize("what", ["facility", "bill"])
def test_duplicate_a_facility_or_bill_and_undo(qtbot: QtBot, window: Any, what: str) -> None:
    from pytestqt.modeltest import ModelTester

    doc, model = window.doc, window.tree_model
    facility = doc.programme.facilities[1]
    original = facility if what == "facility" else facility.bills[3]
    index = model.facility_index(facility.uid) if what == "facility" else model.bill_index(original.uid)
    window.tree.setCurrentIndex(index)
    total = doc.live.grand_total
    n_fac, n_bills = len(doc.programme.facilities), len(facility.bills)
    ModelTester(None).check(model)
    window.nodes.duplicate.trigger()
    copy = window.tree_model.node(window.tree.currentIndex())
    assert copy is not original and copy.name == f"{original.name} (copy)"
    if what == "facility":
        assert doc.programme.facilities[2] is copy and len(doc.programme.facilities) == n_fac + 1
        assert doc.live.facility_total(copy.uid) == doc.live.facility_total(original.uid)
    else:
        assert facility.bills[-1] is copy and [i.ref for i in copy.items][:1] == [f"{n_bills + 1}.1"]
        assert doc.live.bill_total(copy.uid) == doc.live.bill_total(original.uid)
    assert doc.live.grand_total > total
    window.table.setCurrentIndex(window.boq_model.index(0, Col.QTY))
    window.boq_model.setData(window.boq_model.index(0, Col.QTY), "999")
    first = (original if what == "bill" else original.bills[0]).items[0]
    assert first.quantity != Decimal("999"), "the copy shares nothing with the original"
    assert doc.save_now()
    assert any(f.name == copy.name for f in load(doc.path).facilities) or what == "bill"
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert len(doc.programme.facilities) == n_fac and len(facility.bills) == n_bills
    assert doc.live.grand_total == total


def test_cut_descriptions_in_the_boq_table_show_in_full_as_tooltips(qtbot: QtBot, window: Any) -> None:
    from ui.qt import QEvent, QHelpEvent, QToolTip

    window.resize(1366, 740)
    window.table.setColumnWidth(Col.DESC, 120)
    tips = window.nav.tips[1]
    row = max(range(window.boq_model.rowCount()), key=lambda r: len(window.boq_model.item(r).description))
    index = window.boq_model.index(row, Col.DESC)
    full = window.boq_model.item(row).description
    assert tips.tip_for(index) == full
    assert tips.tip_for(window.boq_model.index(row, Col.REF)) is None, "a text that fits needs no tooltip"
    assert tips.tip_for(window.boq_model.index(row, Col.AMOUNT)) is None, "the model's own tooltip wins"
    window.table.scrollTo(index)
    point = window.table.visualRect(index).center()
    event = QHelpEvent(QEvent.Type.ToolTip, point, window.table.viewport().mapToGlobal(point))
    QApplication.sendEvent(window.table.viewport(), event)
    assert QToolTip.text() == full
    QToolTip.hideText()
