"""`boq` starts light: the parser imports no command's engine, and a command imports only what it uses.

Properties, not timings (timings are in benchmarks/bench_start.py): a fresh interpreter runs the
command and reports which heavy libraries ended up in `sys.modules`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("reportlab", "openpyxl", "PySide6", "pint", "numpy", "psycopg", "keyring")

PROBE = """
import contextlib, io, json, sys
from estimator.cli.main import main
out = io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
    try:
        code = main(sys.argv[2:])
    except SystemExit as exc:  # --help
        code = exc.code
heavy = sorted({name.split(".")[0] for name in sys.modules} & set(sys.argv.pop(1).split(",")))
print(json.dumps({"code": code, "heavy": heavy, "out": out.getvalue()}))
"""


def _probe(*args: str | Path) -> dict[str, object]:
    run = subprocess.run([sys.executable, "-c", PROBE, ",".join(HEAVY), *map(str, args)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    return dict(json.loads(run.stdout))


COMMANDS = [[], ["new"], ["demo"], ["fx"], ["markup"], ["import"], ["price"], ["units"], ["rates"], ["rates", "list"],
            ["rates", "show"], ["rates", "search"], ["rates", "check"], ["rates", "import"], ["reprice"], ["export"],
            ["compare"], ["bids"], ["server"], ["server", "init"], ["push"], ["pull"], ["rates", "push"]]


@pytest.mark.parametrize("command", [[], ["export"], ["bids"], ["push"]], ids=lambda c: " ".join(c) or "boq")
def test_help_imports_no_heavy_library(command: list[str]) -> None:
    found = _probe(*command, "--help")
    assert found["code"] == 0
    assert found["heavy"] == [], f"`boq {' '.join(command)} --help` imported {found['heavy']}"
    assert "usage: boq" in str(found["out"])


def test_every_command_still_has_its_full_help() -> None:
    """The parsers are all registered up front: `boq --help` lists every command with its help line,
    and each command's own --help has its description and options (nothing became a stub)."""
    top = str(_probe("--help")["out"])
    for name in ("new", "demo", "fx", "markup", "import", "price", "units", "rates", "reprice", "export", "compare",
                 "bids"):
        assert f"    {name} " in top or f"    {name}\n" in top, name
    assert "create an empty programme file" in top and "evaluate returned bids" in top
    texts = {" ".join(c): str(_probe(*c, "--help")["out"]) for c in COMMANDS[1:]}
    assert "--unpriced" in texts["export"] and "Files are written atomically" in texts["export"]
    assert "--threshold" in texts["bids"] and "prevails" in texts["bids"]
    assert "--dry-run" in texts["reprice"] and "--into" in texts["rates import"]
    assert all(text.startswith("usage: boq") and "options:" in text for text in texts.values())


def test_price_of_a_programme_imports_no_heavy_library(sample_file: Path) -> None:
    found = _probe("price", sample_file)
    assert found["code"] == 0
    assert "Grand total" in str(found["out"])
    assert found["heavy"] == []
