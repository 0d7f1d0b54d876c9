"""The window in Arabic: every menu, action, widget and dialog speaks Arabic, right to left.

The walk opens the main window on the sample programme with the Arabic translation installed (as
`boq-estimator --lang ar` does), opens every dialog and side window the menus open (not modally:
each is shown and walked as it stands), and reads every text a user can see: window titles, menu
and action texts, labels, buttons, placeholders, tooltips, tab and column titles, combo box items,
chart titles and axes, the status bar and what the dialog service was asked to show. A text fails
if an English word is left once the programme's own data (names, descriptions, rate codes, units,
trades) and an allow-list (file names, codes, product names, `boq` commands) are taken out.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from estimator.errors import ValidationFailed
from estimator.facility_templates import load_templates
from estimator.rates import current_library
from estimator.units import label
from estimator.worklist import import_worklist
from ui import language
from ui.bidi import select_row
from ui.dialogs import ProblemsDialog, RecordingDialogs
from ui.qt import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QChartView,
    QComboBox,
    QCoreApplication,
    QDockWidget,
    QEvent,
    QGroupBox,
    QGuiApplication,
    QLabel,
    QLineEdit,
    QLocale,
    QMainWindow,
    QMenu,
    QSpinBox,
    Qt,
    QTabWidget,
    QWidget,
)

ALLOWED = [re.compile(p) for p in (
    r"BoQ Estimator", r"\bExcel\b", r"\bLibreOffice\b", r"\bPDF\b", r"\bPython\b", r"\bQt\b", r"\bGPL\b", r"\bISO\b",
    r"\bSQLite\b", r"\bUSD\b|\bTRY\b|\bSYP\b|\bEUR\b",
    r"`[^`]*`",  # a command to type: `boq rates check`
    r"[^\s«»()]+\.(boq|xlsx|xlsm|pdf|csv|md|ini)\b",  # file names
    r"\*?\.[a-z]{2,4}\b",  # file filters and extensions: (*.xlsx), .boq
    r"(/[\w.\-]+)+/?",  # paths
    r"\bYYYY-MM-DD\b",  # how to type a date
    r"\b(Ctrl|Alt|Shift|F\d+)\b",  # shortcuts
    r"\b[A-Z]{2,3}-\d{2,3}\b",  # rate codes
    r"\bRev \d+\b",  # revision names (data)
    r"\bEnglish\b",  # Settings › Language names each language in itself
    r"\b(Code|Rate)\b(?=\))",  # the work list's column names, quoted in Arabic sentences: (Code) ... (Rate)
    r"\b(ltr|rtl|dir)\b",  # markup
)]
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def _data_texts(window: object) -> list[str]:
    """What the programme and the library hold: names and descriptions are data, in the language typed."""
    doc = window.doc  # type: ignore[attr-defined]
    p = doc.programme
    texts = [p.name, p.reference, p.organisation, p.currency, str(doc.path), doc.path.name, doc.path.stem]
    for f in p.facilities:
        texts += [f.name, f.governorate, f.district, f.facility_type]
        for b in f.bills:
            texts += [b.name, re.sub(r"^\d+\s*", "", b.name)]  # the comparison's trades are bill names
            for i in b.items:
                texts += [i.description, i.unit, label(i.unit), i.rate_code, i.notes, i.measurement]
    for book in (p.rates, window.library):  # type: ignore[attr-defined]
        for r in book.rates.values():
            texts += [r.code, r.description, r.trade, r.unit, label(r.unit), r.source]
            texts += [ln.component + " " + ln.note for ln in r.lines] + [ln.note for ln in r.lines]
        for res in book.resources.values():
            texts += [res.code, res.description, res.unit, label(res.unit), res.source, res.place]
    texts += [m.name for m in doc.live.markups]
    texts += _strings(load_templates(book=window.library).templates)  # type: ignore[attr-defined]  # library content
    texts += ["Facility 1", "1 Preliminaries", "nr", "m²", "m2", "m³", "LS", "ls", "item", "set", "day", "kg", "kWp"]
    return sorted({t for t in texts if t and len(t) > 1}, key=len, reverse=True)


def _strings(value: object) -> list[str]:
    """Every text inside `value` (dataclasses, lists, dicts): the facility templates are data files, like the rates."""
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in _strings(getattr(value, f.name))]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def untranslated(text: str, data: list[str]) -> list[str]:
    """The English words left in `text` once data and allowed names are taken out."""
    text = re.sub(r"<[^>]+>", " ", text).replace("&", "")  # markup, mnemonics
    for pattern in ALLOWED:
        text = pattern.sub(" ", text)
    for value in data:
        text = text.replace(value, " ")
    return ENGLISH_WORD.findall(text)


def _texts_of(widget: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every text `widget` and its children show."""
    widgets = [widget, *widget.findChildren(QWidget)]
    for w in widgets:
        name = f"{type(w).__name__} {w.objectName()}".strip()
        if w.isWindow() or isinstance(w, QDockWidget):
            yield f"{name} title", w.windowTitle()
        if w.toolTip():
            yield f"{name} tooltip", w.toolTip()
        if isinstance(w, QLabel | QAbstractButton):
            yield name, w.text()
        elif isinstance(w, QLineEdit):
            yield f"{name} placeholder", w.placeholderText()
        elif isinstance(w, QGroupBox):
            yield name, w.title()
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                yield f"{name} item {i}", w.itemText(i)
        elif isinstance(w, QSpinBox):
            yield f"{name} suffix", w.suffix()
        elif isinstance(w, QTabWidget):
            for i in range(w.count()):
                yield f"{name} tab {i}", w.tabText(i)
        elif isinstance(w, QMenu):
            yield f"{name} title", w.title()
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            for section in range(model.columnCount()):
                yield f"{name} column {section}", str(model.headerData(section, Qt.Orientation.Horizontal) or "")
        elif isinstance(w, QChartView):
            chart = w.chart()
            yield f"{name} chart title", chart.title()
            for axis in chart.axes():
                yield f"{name} axis", axis.titleText()
        for action in w.actions():
            yield f"{name} action", action.text()
            if action.toolTip() != action.text().replace("&", "").replace("…", "..."):
                yield f"{name} action tooltip", action.toolTip()
            if action.menu() is not None:
                yield f"{name} submenu", action.menu().title()
                for sub in action.menu().actions():
                    yield f"{name} submenu action", sub.text()


@pytest.fixture
def arabic(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    font, locale = qapp.font(), QLocale()
    monkeypatch.setenv("BOQ_LANG", "en")  # language.apply sets it; monkeypatch puts the old value back
    language.apply(qapp, "ar")
    yield
    language.apply(qapp, "en")
    qapp.setFont(font)
    QLocale.setDefault(locale)


@pytest.fixture
def arabic_window(arabic: None, qtbot: QtBot, sample_file: Path, dialogs: RecordingDialogs) -> Iterator[object]:
    from ui.main_window import MainWindow
    from ui.settings import AppSettings

    win = MainWindow(AppSettings(), dialogs)
    qtbot.addWidget(win)
    assert win.files.open_path(sample_file), dialogs.calls
    win.show()
    qtbot.waitExposed(win)
    yield win
    for w in QApplication.topLevelWidgets():
        if w is not win and w.isVisible():
            w.close()
    win.close()
    win.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _open_everything(win: object, qtbot: QtBot, tmp_path: Path) -> list[QWidget]:
    """Every dialog and side window the menus open, shown (not modal), plus a problems dialog."""
    w: object = win
    panel = w.library_panel  # type: ignore[attr-defined]
    panel.search.setText("TL-010")
    qtbot.waitUntil(lambda: panel.table.model().rowCount() == 1)
    select_row(panel.table, 0)  # QTableView.selectRow does nothing right to left (ui.bidi.select_row)
    assert panel.selected_codes() == ["TL-010"], (panel.rates()[:2], panel.table.selectionModel().selectedIndexes())
    rate_dialog = w.library_actions.edit_rate()  # type: ignore[attr-defined]
    opened: list[QWidget | None] = [
        rate_dialog,
        w.files.export(),  # type: ignore[attr-defined]
        w.files.edit_settings(),  # type: ignore[attr-defined]
        w.issue_revision(),  # type: ignore[attr-defined]
        w.new_from_template(),  # type: ignore[attr-defined]
        w.restore_backup(),  # type: ignore[attr-defined]
        w.open_compare(),  # type: ignore[attr-defined]
        w.open_bids(),  # type: ignore[attr-defined]
    ]
    w.tree.setCurrentIndex(w.tree_model.index(0, 0))  # type: ignore[attr-defined]
    opened.append(w.nodes.edit_properties())  # type: ignore[attr-defined]
    w.nav.show_find()  # type: ignore[attr-defined]
    w.nav.find_panel.search.setText("concrete")  # type: ignore[attr-defined]
    w.nav.show_about()  # type: ignore[attr-defined]
    w.nav.show_help()  # type: ignore[attr-defined]
    opened.append(w.nav.help_window)  # type: ignore[attr-defined]
    bad = tmp_path / "bad-list.csv"
    bad.write_text("Facility,Section,Description,Quantity,Unit,Code\nClinic,Works,Wall,-3,furlong,\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        import_worklist(w.doc.programme, bad, current_library().book)  # type: ignore[attr-defined]
    problems = ProblemsDialog(QCoreApplication.translate("FileActions", "Import work list"),
                              failed.value.in_language().splitlines()[0], failed.value.problems, w)  # type: ignore[arg-type]
    problems.show()
    opened.append(problems)
    assert None not in opened, [n for n, x in enumerate(opened) if x is None]
    for widget in opened:
        assert widget is not None
        if not widget.isVisible():
            widget.show()
    qtbot.wait(50)
    return [x for x in opened if x is not None]


def test_every_text_of_the_window_and_its_dialogs_is_arabic(arabic_window: object, qtbot: QtBot, tmp_path: Path,
                                                            dialogs: RecordingDialogs) -> None:
    win = arabic_window
    assert QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    _open_everything(win, qtbot, tmp_path)
    win.show_status(win.tr("All changes saved"))  # type: ignore[attr-defined]
    data = _data_texts(win)
    found: list[str] = []
    seen = 0
    windows = [x for x in QApplication.topLevelWidgets() if x.isVisible()]
    assert len(windows) >= 10, [type(x).__name__ for x in windows]
    for top in windows:
        for where, text in _texts_of(top):
            seen += 1
            if top.objectName() == "" and isinstance(top, QMainWindow) and "TextBrowser" in where:
                continue
            words = untranslated(text, data)
            if words:
                found.append(f"{type(top).__name__} › {where}: {text!r} {words}")
    for kind, args in dialogs.calls:  # what the dialog service was asked to say (About, errors, questions)
        for text in args:
            if isinstance(text, str):
                seen += 1
                if untranslated(text, data):
                    found.append(f"dialog service {kind}: {text!r} {untranslated(text, data)}")
    assert seen > 500
    assert found == [], "\n".join(found)


def test_the_walker_finds_english(arabic_window: object) -> None:
    """The check can fail: an English label added without tr() is caught, data and allowed names are not."""
    data = _data_texts(arabic_window)
    assert untranslated("Grand total", data) == ["Grand", "total"]
    assert untranslated("المجموع الكلي 1,470,533.28 USD", data) == []
    assert untranslated("رمز السعر «PR-010» غير موجود؛ `boq rates search TEXT`", data) == []
    facility = arabic_window.doc.programme.facilities[0].name  # type: ignore[attr-defined]
    assert untranslated(f"حذف {facility}", data) == []


def test_arabic_layout_digits_and_font(arabic_window: object, qapp: QApplication) -> None:
    win = arabic_window
    # right to left: the programme tree docked on the right, the BoQ's first column (Item) on the right
    assert win.isRightToLeft()  # type: ignore[attr-defined]
    assert win.dockWidgetArea(win.tree_dock) == Qt.DockWidgetArea.RightDockWidgetArea  # type: ignore[attr-defined]
    table = win.table  # type: ignore[attr-defined]
    first = table.horizontalHeader().sectionViewportPosition(0)
    last = table.horizontalHeader().sectionViewportPosition(table.model().columnCount() - 1)
    assert first > last
    assert table.model().headerData(0, Qt.Orientation.Horizontal) == "البند"
    # Western digits: Qt's own number formatting (row numbers, spin boxes) as in the amounts
    assert QLocale().toString(1234567) in ("1,234,567", "1234567")
    assert QLocale().zeroDigit() == "0"
    assert re.fullmatch(r"المجموع الكلي [\d,]+\.\d\d USD", win.totals.grand.text())  # type: ignore[attr-defined]
    # a font with Arabic glyphs is in the window's font families
    families = qapp.font().families()
    assert any(f in ("Amiri", *language.GOOD_ARABIC) or f.startswith(language.GOOD_ARABIC) for f in families), families


def test_english_data_reads_left_to_right_in_the_mirrored_views(arabic_window: object) -> None:
    from ui.bidi import BidiDelegate, direction_of
    from ui.qt import QStyleOptionViewItem

    win = arabic_window
    tree = win.tree  # type: ignore[attr-defined]
    assert isinstance(tree.itemDelegate(), BidiDelegate)
    bill = win.tree_model.index(0, 0, win.tree_model.index(0, 0))  # type: ignore[attr-defined]
    option = QStyleOptionViewItem()
    option.initFrom(tree)
    tree.itemDelegate().initStyleOption(option, bill)
    assert direction_of(option.text) == Qt.LayoutDirection.LeftToRight  # "1 Preliminaries", not "Preliminaries 1"
    assert option.direction == Qt.LayoutDirection.LeftToRight
    assert option.displayAlignment & Qt.AlignmentFlag.AlignAbsolute


def test_settings_language_is_stored_and_offers_a_restart(arabic_window: object, dialogs: RecordingDialogs) -> None:
    from ui.settings import AppSettings

    win = arabic_window
    restarted: list[bool] = []
    win.language.restart = lambda: restarted.append(True)  # type: ignore[attr-defined]
    assert win.language.actions["ar"].isChecked()  # type: ignore[attr-defined]
    dialogs.answers.append(False)
    win.language.actions["en"].trigger()  # type: ignore[attr-defined]
    assert AppSettings().q.value("language") == "en"
    title, text = dialogs.last("question")
    assert title == "اللغة" and "English" in text and restarted == []
    assert language.chosen(None, AppSettings().q) == "en"
    assert language.chosen("ar", AppSettings().q) == "ar"  # --lang wins over the stored choice


def test_engine_messages_in_the_window_are_arabic(arabic_window: object, dialogs: RecordingDialogs, tmp_path: Path,
                                                  qtbot: QtBot) -> None:
    win = arabic_window
    bad = tmp_path / "list.csv"
    bad.write_text("Facility,Section,Description,Quantity,Unit\nClinic,Works,Wall,twelve,m2\n", encoding="utf-8")
    dialogs.answers.append(str(bad))
    before = len(win.doc.programme.facilities)  # type: ignore[attr-defined]
    win.files.import_worklist()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "problems" in dialogs.kinds(), timeout=20000)  # the import runs on the thread pool
    title, message, problems = dialogs.last("problems")
    assert title == "استيراد قائمة الأعمال"
    assert message == "قائمة الأعمال list.csv: عدد المشكلات 2، ولم يُغيَّر شيء"
    assert [p.what() for p in problems] == ["الكمية: «twelve» ليس رقماً صحيحاً؛ اكتب رقماً بسيطاً مثل 1234.5",
                                           "ليس للبند رمز من مكتبة الأسعار (Code) ولا سعر (Rate)؛ أعطه أحدهما"]
    assert len(win.doc.programme.facilities) == before  # type: ignore[attr-defined]  # nothing was imported


def test_a_mistyped_cell_is_explained_in_arabic(arabic_window: object) -> None:
    from estimator.cell_input import Col

    win = arabic_window
    model = win.boq_model  # type: ignore[attr-defined]
    index = model.index(0, Col.QTY)
    assert model.setData(index, "twelve")
    message = win.statusBar().currentMessage()  # type: ignore[attr-defined]
    assert "الكمية: «twelve» ليست رقماً؛ اكتب مثلاً 12.5" in message, message
    assert model.data(index, Qt.ItemDataRole.ToolTipRole).startswith("لم يُقبل: الكمية: «twelve» ليست رقماً")


def _start(tmp_path: Path, *args: str, **env: str) -> str:
    """`boq-estimator --smoke-test` as a user starts it, on a fresh profile; its grand-total line."""
    import os
    import subprocess
    import sys

    full = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LANGUAGE", "LANG", "BOQ_LANG")}
    full.update(QT_QPA_PLATFORM="offscreen", BOQ_DATA_DIR=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
                **env)
    run = subprocess.run([sys.executable, "-m", "ui.app", *args, "--smoke-test"], capture_output=True, text=True,
                         env=full, timeout=120)
    assert run.returncode == 0, run.stderr
    return next(ln for ln in run.stdout.splitlines() if ln.startswith("smoke test"))


def test_first_start_follows_the_system_then_the_stored_choice_then_lang(tmp_path: Path) -> None:
    assert "المجموع الكلي" in _start(tmp_path, LANG="ar_SY.UTF-8")
    assert "Grand total" in _start(tmp_path / "gb", LANG="en_GB.UTF-8")
    config = tmp_path / "config" / "BoQ Estimator" / "boq-estimator.ini"
    assert not config.exists() or "language" not in config.read_text(encoding="utf-8")  # nothing stored by a start
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[General]\nlanguage=en\n", encoding="utf-8")  # as Settings › Language › English stores it
    assert "Grand total" in _start(tmp_path, LANG="ar_SY.UTF-8")
    assert "المجموع الكلي" in _start(tmp_path, "--lang", "ar", LANG="en_GB.UTF-8")
