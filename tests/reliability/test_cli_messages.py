"""The real `boq` command on bad and hostile work lists: exit code 1, a message that names the file
(and the row and column where there is one), no traceback, and the programme file untouched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from estimator.store import Project
from tests.reliability import workbooks as wb
from tests.reliability.states import MINILIB, ROOT, make_programme


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BOQ_RATES_DIR": str(MINILIB), "BOQ_DATA_DIR": str(tmp_path / "u")}
    return subprocess.run([sys.executable, "-m", "estimator", *args], env=env, capture_output=True, text=True, timeout=180)


def _arabic_cp1256(tmp_path: Path) -> Path:
    rows = wb.good_rows(3)
    rows[2][0] = "مستشفى الأمل"
    return wb.write_csv(tmp_path / "arabic.csv", rows, encoding="cp1256")


def _bomb(tmp_path: Path) -> Path:
    return wb.zip_bomb(wb.write_xlsx(tmp_path / "src.xlsx", wb.good_rows()), tmp_path / "bomb.xlsx", megabytes=150)


def _noise(tmp_path: Path) -> Path:
    path = tmp_path / "noise.xlsx"
    path.write_bytes(b"PK\x03\x04" + os.urandom(2000))
    return path


def _formula(tmp_path: Path) -> Path:
    return wb.write_xlsx(tmp_path / "formula.xlsx", wb.good_rows(), edit=lambda ws: ws.__setitem__("D3", "=A1*2"))


def _laughs(tmp_path: Path) -> Path:
    src = wb.write_xlsx(tmp_path / "src.xlsx", wb.good_rows())
    return wb.rewrite_part(src, tmp_path / "laughs.xlsx", wb.SHEET, wb.with_entities)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_arabic_cp1256, "boq import: arabic.csv: line 3 is not UTF-8 text; in Excel use Save As > 'CSV UTF-8'"),
        (_bomb, "boq import: bomb.xlsx: part xl/worksheets/sheet1.xml unpacks to 157 MB"),
        (_noise, "boq import: noise.xlsx: is damaged"),
        (_formula, "formula.xlsx, row 3, column 'Quantity': holds the formula =A1*2 but no saved value"),
        (_laughs, "refused as a possible entity-expansion attack"),
        (lambda t: wb.ole_file(t / "locked.xlsx"), "boq import: locked.xlsx: is a legacy .xls workbook or a password-protected"),
    ],
)
def test_import_refuses_with_one_clear_message(tmp_path: Path, make: object, expected: str) -> None:
    boq = tmp_path / "programme.boq"
    Project.create(boq, make_programme(1, 5)).close()
    before = boq.read_bytes()
    worklist = make(tmp_path)  # type: ignore[operator]
    done = _cli(tmp_path, "import", str(boq), str(worklist))
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr
    assert expected in done.stderr
    assert done.stderr.startswith("boq import: ")
    assert boq.read_bytes() == before
    assert not (tmp_path / "programme.boq-journal").exists()
