"""Starting the app: a FILE, --sample, the last programme, or on first start the sample copy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from estimator import paths
from estimator.store import Project, load
from ui import app
from ui.settings import AppSettings

ROOT = Path(__file__).parents[2]
# Runs the real entry point in its own process (app.exec() and quitting are process-wide), with a
# timer that reports what the window shows and closes it.
LOOK_AND_CLOSE = textwrap.dedent("""
    import json, sys
    from ui.qt import QApplication, QSettings, QTimer
    qapp = QApplication([])
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[1])

    def look() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if w.isVisible() and hasattr(w, "totals")]
        print(json.dumps({"titles": [w.windowTitle() for w in windows],
                          "grand": [w.totals.grand.text() for w in windows]}), flush=True)
        for w in windows:
            w.close()
        qapp.quit()

    QTimer.singleShot(1500, look)
    from ui.app import main
    sys.exit(main(sys.argv[2:]))
""")


def run_app(tmp_path: Path, *args: str) -> tuple[int, dict[str, list[str]]]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BOQ_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-c", LOOK_AND_CLOSE, str(tmp_path / "settings"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    return done.returncode, json.loads(lines[-1]) if lines else {}


def test_first_start_copies_the_sample_then_reopens_the_last_file(sample_file: Path) -> None:
    settings = AppSettings()
    first = app.start_path(None, False, settings)
    assert first == paths.user_data_dir() / "sample.boq" and first.exists()
    assert len(load(first).facilities) >= 14
    settings.add_recent(Path("/nonexistent/gone.boq"))
    settings.add_recent(sample_file)
    settings.add_recent(Path("/nonexistent/also-gone.boq"))
    assert app.start_path(None, False, settings) == sample_file.resolve()
    assert app.start_path(None, True, settings) == first
    assert app.start_path(Path("given.boq"), True, settings) == Path("given.boq")


def test_boq_estimator_sample_opens_the_sample_window(tmp_path: Path) -> None:
    code, seen = run_app(tmp_path, "--sample")
    assert code == 0
    assert len(seen["titles"]) == 1 and str(tmp_path / "data" / "sample.boq") in seen["titles"][0]
    sample = load(tmp_path / "data" / "sample.boq")
    from estimator.money import fmt
    from estimator.pricing import price

    assert seen["grand"] == [f"Grand total {fmt(price(sample).grand_total)} USD"]


def test_boq_estimator_file_opens_that_file(tmp_path: Path, sample_programme: object) -> None:
    path = tmp_path / "mine.boq"
    Project.create(path, sample_programme).close()  # type: ignore[arg-type]
    code, seen = run_app(tmp_path, str(path))
    assert code == 0 and str(path) in seen["titles"][0]
