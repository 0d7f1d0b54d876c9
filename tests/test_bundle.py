"""The frozen application folder (scripts/bundle.sh, packaging/boq-estimator.spec) works like the installed package.

Uses dist/boq-estimator/ when it was built from this commit (its BUILT_FROM file names the commit);
with BOQ_BUNDLE=1 builds it first (about a minute; `.ci/run` does this on every run).
Otherwise the tests are skipped, saying so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from estimator.money import fmt

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "boq-estimator"
EXE = ".exe" if sys.platform == "win32" else ""


def _head() -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def bundle() -> Path:
    stamp = BUNDLE / "BUILT_FROM"
    current = stamp.exists() and stamp.read_text().strip() == _head()
    if not current and os.environ.get("BOQ_BUNDLE") == "1":
        built = subprocess.run(["bash", str(ROOT / "scripts" / "bundle.sh")], cwd=ROOT, capture_output=True, text=True,
                               timeout=1800)
        assert built.returncode == 0, f"scripts/bundle.sh failed:\n{built.stderr[-3000:]}"
        current = stamp.exists() and stamp.read_text().strip() == _head()
    if not current:
        pytest.skip("no frozen build of this commit in dist/boq-estimator/ (BUILT_FROM): run `bash scripts/bundle.sh`, "
                    "or set BOQ_BUNDLE=1 to build it in the test (about a minute)")
    return BUNDLE


def _env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "BOQ_DATA_DIR": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "QT_QPA_PLATFORM": "offscreen"}
    for name in ("BOQ_RATES_DIR", "PYTHONPATH"):  # the frozen build must use what it carries
        env.pop(name, None)
    return env


def frozen(bundle: Path, tmp_path: Path, name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bundle / f"{name}{EXE}"), *args], capture_output=True, text=True, env=_env(tmp_path),
                          cwd=tmp_path, timeout=300)


def installed(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "estimator", *args], capture_output=True, text=True, env=_env(tmp_path),
                          cwd=tmp_path, timeout=300)


def _cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(path, read_only=True)
    return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
def test_the_folder_carries_its_data_and_no_unused_qt(bundle: Path) -> None:
    data = next(bundle.rglob("estimator/_data"))
    assert (data / "rates" / "rates.csv").is_file() and (data / "rates" / "sample" / "worklist.csv").is_file()
    assert (data / "templates" / "fonts" / "Amiri-Regular.ttf").is_file()
    assert (data / "templates" / "tender" / "tender.toml").is_file()
    names = [p.name.lower() for p in bundle.rglob("*")]
    for unused in ("webengine", "qt6qml", "qt6quick", "3dcore", "multimedia", "virtualkeyboard"):
        assert not [n for n in names if unused in n], unused
    assert [n for n in names if "qt6charts" in n or n.startswith("qtcharts")]


@pytest.mark.slow
def test_bundled_boq_gives_the_totals_of_the_installed_package(bundle: Path, tmp_path: Path) -> None:
    help_ = frozen(bundle, tmp_path, "boq", "--help")
    assert help_.returncode == 0 and "boq demo sample.boq" in help_.stdout
    demo = frozen(bundle, tmp_path, "boq", "demo", "frozen.boq")
    assert demo.returncode == 0, demo.stderr
    reference = installed(tmp_path, "demo", "installed.boq")
    assert reference.returncode == 0, reference.stderr
    assert demo.stdout.replace("frozen.boq", "X") == reference.stdout.replace("installed.boq", "X")

    priced = frozen(bundle, tmp_path, "boq", "price", "frozen.boq", "--json")
    assert priced.returncode == 0, priced.stderr
    expected = json.loads(installed(tmp_path, "price", "installed.boq", "--json").stdout)
    assert json.loads(priced.stdout) == expected and len(expected["facilities"]) >= 15

    # Each build prices the other's file too: the programme the frozen build wrote is the same programme.
    cross = json.loads(installed(tmp_path, "price", "frozen.boq", "--json").stdout)
    assert cross == expected

    done = frozen(bundle, tmp_path, "boq", "export", "frozen.boq", "--pdf", "f.pdf", "--xlsx", "f.xlsx")
    assert done.returncode == 0, done.stderr
    # The same programme through both builds (item ids differ between two demo runs).
    ref = installed(tmp_path, "export", "frozen.boq", "--pdf", "i.pdf", "--xlsx", "i.xlsx")
    assert ref.returncode == 0, ref.stderr
    assert _cells(tmp_path / "f.xlsx") == _cells(tmp_path / "i.xlsx")
    frozen_text, installed_text = _pdf_text(tmp_path / "f.pdf"), _pdf_text(tmp_path / "i.pdf")
    assert frozen_text == installed_text
    assert fmt(Decimal(expected["grand_total"])) in frozen_text


@pytest.mark.slow
def test_bundled_window_starts_offscreen_and_exits_cleanly(bundle: Path, tmp_path: Path) -> None:
    done = frozen(bundle, tmp_path, "boq-estimator", "--smoke-test")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    [line] = [ln for ln in done.stdout.splitlines() if ln.startswith("smoke test: first paint after ")]
    sample = tmp_path / "data" / "sample.boq"
    expected = json.loads(installed(tmp_path, "price", str(sample), "--json").stdout)
    assert str(sample) in line and line.endswith(f"Grand total {fmt(Decimal(expected['grand_total']))} USD")


def test_installer_script_is_per_user_and_names_files_that_exist() -> None:
    iss = (ROOT / "packaging" / "windows" / "boq-estimator.iss").read_text(encoding="utf-8")
    assert "PrivilegesRequired=lowest" in iss
    registry = [ln for ln in iss.splitlines() if ln.startswith("Root: ")]
    assert registry and all(ln.startswith("Root: HKCU;") for ln in registry)  # nothing that needs admin rights
    assert any(r'Subkey: "Software\Classes\.boq"' in ln for ln in registry)
    assert 'MessagesFile: "compiler:Default.isl"' in iss and 'MessagesFile: "compiler:Languages\\Arabic.isl"' in iss
    assert (ROOT / "packaging" / "boq-estimator.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"  # an .ico
    for script in ("boq_cli.py", "boq_window.py"):
        assert script in (ROOT / "packaging" / "boq-estimator.spec").read_text(encoding="utf-8")
        assert (ROOT / "packaging" / script).is_file()
    assert "pyinstaller" in (ROOT / "pyproject.toml").read_text(encoding="utf-8").split("[project.optional-dependencies]")[1]


@pytest.mark.slow
def test_bundled_window_speaks_arabic(bundle: Path, tmp_path: Path) -> None:
    """The translation (ui/i18n/boq_ar.qm) and Qt's own Arabic are in the folder; --lang ar uses them."""
    [qm] = [p for p in bundle.rglob("boq_ar.qm") if p.parent.name == "i18n"]
    assert qm.read_bytes() == (ROOT / "ui" / "i18n" / "boq_ar.qm").read_bytes()
    assert [p for p in bundle.rglob("qtbase_ar.qm")], "Qt's own Arabic (standard buttons, file dialogs)"
    done = frozen(bundle, tmp_path, "boq-estimator", "--lang", "ar", "--smoke-test")
    assert done.returncode == 0, done.stderr
    [line] = [ln for ln in done.stdout.splitlines() if ln.startswith("smoke test: first paint after ")]
    assert "المجموع الكلي" in line
