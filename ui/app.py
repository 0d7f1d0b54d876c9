"""`boq-estimator [FILE]`: start the window.

With FILE, open it. With `--sample`, open the user's copy of the bundled sample programme (made on
first use). With neither, open the last programme used, or on the very first start the sample
copy, so a new user sees a real estimate at once.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from estimator import __version__, paths
from estimator.errors import localized
from estimator.sample import load_sample
from estimator.store import Project
from ui import language
from ui.main_window import MainWindow
from ui.plain import message_box
from ui.qt import QApplication, QCoreApplication, QMessageBox
from ui.settings import APPLICATION, ORGANISATION, AppSettings


def sample_path() -> Path:
    """The user's own copy of the sample programme, written on first use."""
    path = paths.user_data_dir() / "sample.boq"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        Project.create(path, load_sample()).close()
    return path


def start_path(file: Path | None, sample: bool, settings: AppSettings) -> Path:
    if file is not None:
        return file
    if not sample:
        for recent in settings.recent_files():
            if recent.exists():
                return recent
    return sample_path()


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """A bug must not take the window (and the work) down: report it and carry on."""
    text = "".join(traceback.format_exception(kind, exc, tb))
    sys.stderr.write(text)
    message_box(None, QMessageBox.Icon.Critical, QCoreApplication.translate("App", "Unexpected error"),
                QCoreApplication.translate("App", "Something went wrong inside BoQ Estimator (a bug, not your "
                                                  "mistake):\n\n{exc}\n\nEvery completed edit is already saved. Please "
                                                  "report this with the details below.\n\n").format(exc=exc)
                + text[-2000:]).exec()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="boq-estimator", description="BoQ Estimator: the desktop window.")
    parser.add_argument("file", nargs="?", type=Path, help="the .boq programme to open")
    parser.add_argument("--sample", action="store_true", help="open (and on first use create) the sample programme")
    parser.add_argument("--smoke-test", action="store_true",
                        help="open FILE (default: the sample), print the seconds to the first paint and quit")
    parser.add_argument("--lang", choices=["en", "ar"],
                        help="the window's language for this start (default: Settings › Language, else the system's)")
    parser.add_argument("--version", action="version", version=f"boq-estimator {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    args = build_parser().parse_args(argv)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("BoQ Estimator")
    sys.excepthook = _excepthook
    settings = AppSettings()
    language.apply(app, language.chosen(args.lang, settings.q))
    window = MainWindow(settings)
    try:
        path = start_path(args.file, args.sample or args.smoke_test, settings)
    except Exception as exc:  # the sample could not be written: say so, and let the user open a file
        window.dialogs.error(QCoreApplication.translate("App", "Cannot create the sample programme"), localized(exc))
        path = None
    if path is None or not window.files.open_path(path):
        if args.file is not None:
            return 1
        try:
            fallback = sample_path()
        except Exception as exc:
            window.dialogs.error(QCoreApplication.translate("App", "Cannot create the sample programme"), localized(exc))
            return 1
        if path == fallback or not window.files.open_path(fallback):
            return 1
    if args.smoke_test:
        from ui.smoke import QuitAfterFirstPaint

        QuitAfterFirstPaint(window, started)
    window.show()
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
