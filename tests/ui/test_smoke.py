"""`boq-estimator --smoke-test`: opens the sample (or FILE), reports the first paint and exits cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from estimator.money import fmt
from estimator.pricing import price
from estimator.store import Project, load

ROOT = Path(__file__).parents[2]


def smoke(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BOQ_DATA_DIR": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    return subprocess.run([sys.executable, "-m", "ui.app", "--smoke-test", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_smoke_test_opens_the_sample_paints_and_exits(tmp_path: Path) -> None:
    done = smoke(tmp_path)
    assert done.returncode == 0, done.stderr
    [line] = [ln for ln in done.stdout.splitlines() if ln.startswith("smoke test: first paint after ")]
    sample = load(tmp_path / "data" / "sample.boq")
    assert str(tmp_path / "data" / "sample.boq") in line
    assert line.endswith(f"Grand total {fmt(price(sample).grand_total)} USD")
    assert float(line.split("after ")[1].split(" s;")[0]) > 0


def test_smoke_test_opens_the_file_given(tmp_path: Path, sample_programme: object) -> None:
    path = tmp_path / "mine.boq"
    Project.create(path, sample_programme).close()  # type: ignore[arg-type]
    done = smoke(tmp_path, str(path))
    assert done.returncode == 0, done.stderr
    assert f"; {path} " in done.stdout or f"— {path} —" in done.stdout
    assert not (tmp_path / "data" / "sample.boq").exists()

