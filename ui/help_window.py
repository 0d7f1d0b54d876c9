"""Help (F1): the user guide from the README, rendered in the window; and About.

The guide is the README's sections for users (from "## The desktop app" to the developers'
sections that begin with "## Layout"), read from the bundled copy, so it is the same text as on
the project page.
"""

from __future__ import annotations

import platform
from pathlib import Path

from estimator import __version__, paths
from ui.qt import QCoreApplication, QMainWindow, QTextBrowser, QWidget, qt_version

FIRST = "## The desktop app"
FOR_DEVELOPERS = ("## Layout", "## Libraries, and why", "## Development", "## Reliability")


def readme_path() -> Path:
    return paths.data_root() / "README.md"


def user_guide(text: str) -> str:
    """The README from "## The desktop app" on, without the developers' sections and without the
    pictures (full-size screenshots of the window the reader already has open)."""
    kept: list[str] = ["# BoQ Estimator — user guide", ""]
    skipping = True
    for line in text.splitlines():
        if line.startswith("## "):
            skipping = line.startswith(FOR_DEVELOPERS) or (skipping and not line.startswith(FIRST))
        if not skipping and not line.startswith("!["):
            kept.append(line)
    return "\n".join(kept).strip() + "\n"


class HelpWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("BoQ Estimator — user guide"))
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        path = readme_path()
        try:
            text = user_guide(path.read_text(encoding="utf-8"))
        except OSError as exc:
            text = f"# User guide\n\nThe guide could not be read from {path}: {exc.strerror or exc}.\n"
        self.browser.setSearchPaths([str(path.parent)])
        self.browser.setMarkdown(text)
        self.setCentralWidget(self.browser)


def about_text() -> str:
    return QCoreApplication.translate(
        "HelpWindow", "BoQ Estimator {version}\n\nCost estimates, bills of quantities and tender documents for "
        "health-facility programmes, in English and Arabic, in USD, TRY and SYP.\n\n"
        "Python {python}, Qt {qt}.\n"
        "Free software under the GPL (3.0 or later). Prices in the bundled library are indicative, "
        "dated and local: check them before you use them.").format(version=__version__, python=platform.python_version(),
                                                                    qt=qt_version())
