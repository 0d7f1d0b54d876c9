"""The window's language: English or Arabic, chosen once at start and applied before any window exists.

Which one: `boq-estimator --lang ar|en`, else Settings › Language (stored in QSettings), else the
system's locale (Arabic if the user's UI language is Arabic). Applying Arabic installs our
translation (ui/i18n/boq_ar.qm, compiled by scripts/translations.py) and Qt's own (standard buttons,
file dialogs), lays the window out right to left, and makes sure the figures stay Western digits
(as the printed documents have them) and that Arabic has a font to draw with. Changing the language
takes effect at the next start (every text is set once, when its widget is made).
"""

from __future__ import annotations

import functools
import os
import sys
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from estimator import paths
from ui.qt import (
    QAction,
    QActionGroup,
    QApplication,
    QComboBox,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QLibraryInfo,
    QLocale,
    QMenuBar,
    QObject,
    QProcess,
    QSettings,
    Qt,
    QTranslator,
)

if TYPE_CHECKING:
    from ui.shell import Shell

LANGUAGES = ("en", "ar")
NAMES = {"en": "English", "ar": "العربية"}  # each in its own language
I18N = Path(__file__).resolve().parent / "i18n"
BUNDLED_FONTS = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "Amiri-Regular.ttf", "Amiri-Bold.ttf")
GOOD_ARABIC = ("Segoe UI", "Tahoma", "Arial", "Noto Sans Arabic", "Noto Naskh Arabic", "Noto Kufi Arabic", "Amiri",
               "Cairo", "Droid Arabic", "Geeza Pro", "SF Arabic", "Dubai", "Sakkal Majalla", "Simplified Arabic",
               "Traditional Arabic", "IBM Plex Sans Arabic", "Vazirmatn", "Scheherazade")
_installed: list[QTranslator] = []  # Qt keeps only a pointer: the translators must outlive the window
_current = ["en"]
_system_locale: list[QLocale] = []  # the default before Arabic changed it, to put back for English


def document_word(table: str, value: str) -> str:
    """`value` (a markup, governorate or facility type name) as the Arabic documents print it
    (templates/tender/ar/labels.toml), in Arabic mode; unchanged in English or when not listed."""
    if current() != "ar" or not value:
        return value
    return _document_words().get(table, {}).get(value, value)


@functools.cache
def _document_words() -> dict[str, dict[str, str]]:
    try:
        with (paths.templates_dir() / "tender" / "ar" / "labels.toml").open("rb") as f:
            values = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError):
        return {}  # the documents' own check reports a broken file; the window shows the names as stored
    return {k: {str(a): str(b) for a, b in v.items()} for k, v in values.items() if isinstance(v, dict)}


def system_language() -> str:
    """"ar" if the user's preferred UI language is Arabic, else "en"."""
    for name in QLocale.system().uiLanguages():
        return "ar" if name.lower().startswith("ar") else "en"
    return "en"


def chosen(requested: str | None, settings: QSettings) -> str:
    """The language to start in: --lang, then the stored choice, then the system's."""
    if requested in LANGUAGES:
        return requested
    stored = str(settings.value("language", "") or "")
    return stored if stored in LANGUAGES else system_language()


def store(settings: QSettings, lang: str) -> None:
    settings.setValue("language", lang)


def current() -> str:
    """The language applied to this process ("en" until `apply` installed another)."""
    return _current[0]


def apply(app: QApplication, lang: str) -> None:
    """Install `lang` into the running application (before the main window is made)."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    _current[0] = lang
    os.environ["BOQ_LANG"] = lang  # engine messages (estimator.messages) follow the window
    if not _system_locale:
        _system_locale.append(QLocale())
    if lang != "ar":
        QGuiApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        QLocale.setDefault(_system_locale[0])
        return
    for name, folder in (("boq_ar", str(I18N)), ("qtbase_ar", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _installed.append(translator)
    QGuiApplication.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    QLocale.setDefault(western_digits_locale())
    ensure_arabic_font(app)


def western_digits_locale() -> QLocale:
    """Arabic (Syria) if Qt gives it Western digits, else English: numbers Qt formats itself (row
    numbers, spin boxes) must look like the amounts, which estimator.money prints with 0-9."""
    arabic = QLocale(QLocale.Language.Arabic, QLocale.Country.Syria)
    if arabic.zeroDigit() == "0":
        return arabic
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def ensure_arabic_font(app: QApplication) -> str:
    """Give Arabic text a font made for it. A system with one (Windows' Segoe UI and Tahoma, Noto
    Arabic on Linux...) keeps its own; otherwise the bundled Noto Sans (Latin) and Amiri (Arabic) from
    templates/fonts are registered and become the window's font, Latin first, Arabic as its fallback
    (DejaVu Sans, Linux's usual default, has only rudimentary Arabic). Returns the Arabic family used."""
    installed = QFontDatabase.families(QFontDatabase.WritingSystem.Arabic)
    good = next((f for f in installed if f.startswith(GOOD_ARABIC)), None)
    font = QFont(app.font())
    if good is not None:
        if good not in font.families():
            font.setFamilies([*font.families(), good])
            app.setFont(font)
        return good
    families = []
    for name in BUNDLED_FONTS:
        font_file = paths.templates_dir() / "fonts" / name
        if font_file.exists():
            ids = QFontDatabase.addApplicationFont(str(font_file))
            families += [f for f in QFontDatabase.applicationFontFamilies(ids) if f not in families]
    if "Amiri" not in families:
        return font.family()  # not bundled (a trimmed install): Qt's own fallback has to do
    font.setFamilies(families)
    app.setFont(font)
    return "Amiri"


class LanguageMenu(QObject):
    """Settings › Language: English or العربية (each named in its own language, so a user who cannot
    read the current one still finds theirs). The choice is stored; the window asks to restart."""

    def __init__(self, window: Shell, bar: QMenuBar) -> None:
        super().__init__(window)
        self.window = window
        self.menu = bar.addMenu(self.tr("&Settings"))
        self.language_menu = self.menu.addMenu(self.tr("&Language"))
        self.group = QActionGroup(self)
        self.actions: dict[str, QAction] = {}
        for lang in LANGUAGES:
            action = self.language_menu.addAction(NAMES[lang])
            action.setCheckable(True)
            action.setChecked(lang == current())
            action.triggered.connect(lambda _=False, lang=lang: self.choose(lang))
            self.group.addAction(action)
            self.actions[lang] = action
        self.restart: Callable[[], object] = restart_application

    def choose(self, lang: str) -> None:
        store(self.window.settings.q, lang)
        self.window.settings.sync()
        if lang == current():
            return
        if self.window.dialogs.question(self.tr("Language"), self.tr(
                "The window will speak {language} from the next start. Restart now? Every edit is already saved.")
                .format(language=NAMES[lang])) and self.window.close():
            self.restart()


def restart_application() -> bool:
    """Start the window again as it was started (without a --lang that would override the new choice)."""
    args, skip = [], False
    for arg in sys.argv[1:]:
        if skip:
            skip = False
        elif arg == "--lang":
            skip = True
        elif not arg.startswith("--lang="):
            args.append(arg)
    if getattr(sys, "frozen", False):
        return QProcess.startDetached(sys.executable, args)[0]
    return QProcess.startDetached(sys.executable, ["-m", "ui.app", *args])[0]


def add_choices(box: QComboBox, table: str, values: Iterable[str]) -> None:
    """Items showing each value as the Arabic documents print it (in Arabic mode), with the value itself
    (what is stored, and what the documents translate) as the item's data."""
    for value in values:
        box.addItem(document_word(table, value), value)


def show_choice(box: QComboBox, value: str) -> None:
    index = box.findData(value)
    if index >= 0:
        box.setCurrentIndex(index)
    else:
        box.setCurrentText(value)


def chosen_value(box: QComboBox) -> str:
    """The stored value of the item shown, or the text typed into an editable box."""
    index = box.findText(box.currentText())
    data = box.itemData(index) if index >= 0 else None
    return str(data) if isinstance(data, str) else box.currentText()
