"""LibreOffice headless for tests: recalculate a workbook as a real spreadsheet engine would, or render it.

Every call starts `soffice` with its own throw-away user profile (`-env:UserInstallation=file:///...`),
so tests running in parallel (pytest -n 2) never share or lock a profile. The profile is seeded to
recalculate every formula when a file is loaded (Tools > Options > Calc > Formula > "Recalculation on
File Load: Always", for Excel and ODF files), so cached values a file may carry (Excel writes them, a
bidder's copy has them) never stand in for a real calculation.

    recalculate(src, outdir) -> xlsx path   the file loaded, recalculated and saved again as xlsx
    computed(src, outdir) -> {sheet: [[value, ...], ...]}   the recalculated values, via openpyxl
    convert(src, "pdf", outdir) -> path     any conversion LibreOffice offers (pdf, csv, ods, ...)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

TIMEOUT = 300  # seconds; a cold start with a new profile takes a few seconds, a big workbook longer

# 0 = always recalculate on load, 1 = never, 2 = ask
_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str:
    """Path of the soffice binary; fails the test (not skip) when LibreOffice is missing."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.fail("LibreOffice (soffice) is not installed: install libreoffice-calc-nogui, "
                    "or deselect these tests with -m 'not libreoffice'")
    return found


def convert(src: Path, target: str, outdir: Path) -> Path:
    """`soffice --convert-to target` of `src` into `outdir`; returns the file written."""
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
        cmd = [soffice(), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", target, "--outdir", str(outdir), str(src)]
        env = {**os.environ, "SAL_USE_VCLPLUGIN": "svp"}
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, env=env, check=False)
    out = outdir / f"{src.stem}.{target.split(':')[0]}"
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"LibreOffice could not convert {src} to {target} (exit {done.returncode}):\n"
                           f"{done.stdout}\n{done.stderr}")
    return out


def recalculate(src: Path, outdir: Path) -> Path:
    """`src` loaded by LibreOffice, every formula recalculated, saved as xlsx in `outdir`."""
    if src.parent.resolve() == outdir.resolve():
        raise ValueError("write the recalculated copy to another folder than the source")
    return convert(src, "xlsx:Calc MS Excel 2007 XML", outdir)


def computed(src: Path, outdir: Path) -> dict[str, list[list[Any]]]:
    """The values LibreOffice computed for every cell of every sheet of `src`, row by row."""
    wb = openpyxl.load_workbook(recalculate(src, outdir), data_only=True)
    try:
        return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()
