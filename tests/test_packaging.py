"""A non-editable install (a built wheel) finds its rates/ and templates/ and runs."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp)],
                   check=True, capture_output=True)
    [wheel] = tmp.glob("boq_estimator-*.whl")
    site = tmp / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    return site


def _run(site: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "BOQ_DATA_DIR": str(tmp_path / "data")}
    env.pop("BOQ_RATES_DIR", None)
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)


def test_wheel_carries_data_and_runs_the_demo(installed: Path, tmp_path: Path) -> None:
    probe = _run(installed, tmp_path, "-c",
                 "import estimator, estimator.paths as p; print(estimator.__file__); print(p.rates_dir()); print(p.templates_dir())")
    assert probe.returncode == 0, probe.stderr
    module, rates, templates = probe.stdout.split()
    assert module.startswith(str(installed)) and rates.startswith(str(installed)) and templates.startswith(str(installed))
    assert (Path(rates) / "rates.csv").exists() and (Path(rates) / "sample" / "worklist.csv").exists()
    assert Path(templates).is_dir()
    demo = _run(installed, tmp_path, "-m", "estimator", "demo", "x.boq")
    assert demo.returncode == 0, demo.stderr
    priced = _run(installed, tmp_path, "-m", "estimator", "price", "x.boq", "--json")
    assert priced.returncode == 0 and len(json.loads(priced.stdout)["facilities"]) >= 15


def test_wheel_carries_the_arabic_translation_and_the_window_starts_in_arabic(installed: Path, tmp_path: Path) -> None:
    shipped = installed / "ui" / "i18n" / "boq_ar.qm"
    assert shipped.read_bytes() == (ROOT / "ui" / "i18n" / "boq_ar.qm").read_bytes()
    env = {"QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    window = subprocess.run([sys.executable, "-c", "import sys; from ui.app import main; sys.exit(main(sys.argv[1:]))",
                             "--lang", "ar", "--smoke-test"], capture_output=True, text=True, timeout=120,
                            env={**os.environ, **env, "PYTHONPATH": str(installed), "BOQ_DATA_DIR": str(tmp_path / "data")},
                            cwd=tmp_path)
    assert window.returncode == 0, window.stderr
    assert "المجموع الكلي" in window.stdout  # the totals bar, translated from the shipped .qm
