"""The `boq` command line end to end, as a user runs it (real processes, real files)."""

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.test_worklist import HEADER, MIXED


def boq(*args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "estimator", *map(str, args)], capture_output=True, text=True,
                          env=full_env, cwd=cwd, timeout=120)


def test_demo_then_price_json(tmp_path: Path) -> None:
    path = tmp_path / "x.boq"
    run = boq("demo", path)
    assert run.returncode == 0, run.stderr
    run = boq("price", path, "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["currency"] == "USD"
    assert len(data["facilities"]) >= 15
    subtotal = Decimal(0)
    for fac in data["facilities"]:
        assert fac["bills"], fac["name"]
        assert all(Decimal(b["total"]) > 0 for b in fac["bills"]), fac["name"]
        assert Decimal(fac["total"]) == sum(Decimal(b["total"]) for b in fac["bills"])
        subtotal += Decimal(fac["total"])
    assert Decimal(data["subtotal"]) == subtotal
    assert Decimal(data["grand_total"]) == subtotal + sum(Decimal(m["amount"]) for m in data["markups"])
    assert all(len(v.split(".")[1]) == 2 for v in (data["subtotal"], data["grand_total"]))
    table = boq("price", path)
    assert table.returncode == 0 and "Grand total" in table.stdout


def test_new_fx_import_markup_price(minilib: Path, tmp_path: Path) -> None:
    path, wl = tmp_path / "p.boq", tmp_path / "wl.csv"
    wl.write_text(MIXED.format(header=HEADER), encoding="utf-8")
    assert boq("new", path, "--name", "Clinics").returncode == 0
    run = boq("fx", path, "TRY", "42.35", "--date", "2026-11-01")
    assert run.returncode == 0, run.stderr
    run = boq("import", path, wl)
    assert run.returncode == 0 and "imported 9 items" in run.stdout, run.stderr
    assert boq("markup", path, "--contingency", "5", "--tax", "2.5").returncode == 0
    data = json.loads(boq("price", path, "--json").stdout)
    sub = Decimal(data["subtotal"])
    assert [m["amount"] for m in data["markups"]] == [f"{(sub * Decimal('0.05')).quantize(Decimal('0.01'), 'ROUND_HALF_UP')}",
                                                        f"{(sub * Decimal('0.025')).quantize(Decimal('0.01'), 'ROUND_HALF_UP')}"]
    # re-pricing at a new exchange rate is explicit and reported
    run = boq("fx", path, "TRY", "50", "--date", "2026-12-01")
    assert "grand total" in run.stdout
    assert json.loads(boq("price", path, "--json").stdout)["grand_total"] != data["grand_total"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["price", "missing.boq"], "no such file"),
        (["price", "notes.txt"], "not a BoQ Estimator project"),
        (["fx", "p.boq", "TRY", "abc"], "exchange rate for TRY: 'abc' is not a valid number"),
        (["fx", "p.boq", "TRY", "-3"], "must be greater than zero"),
        (["fx", "p.boq", "TRY", "40", "--date", "23/11/2026"], "write YYYY-MM-DD"),
        (["markup", "p.boq", "--tax", "150"], "between 0 and 100"),
        (["import", "p.boq", "bad.csv"], "bad.csv, row 3, column 'Unit'"),
        (["import", "p.boq", "nothing.csv"], "no such file"),
        (["new", "p.boq"], "already exists"),
        (["new", "q.boq", "--currency", "dollars"], "three-letter ISO code"),
        (["rates", "show", "NO-SUCH"], "'NO-SUCH' is not in the programme or the rate library"),
        (["export", "p.boq"], "--xlsx OUT.xlsx or --pdf OUT.pdf"),
    ],
)
def test_user_errors_are_one_clear_line(minilib: Path, tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "notes.txt").write_text("not a project")
    (tmp_path / "bad.csv").write_text(f"{HEADER}\nH,,,,S,PL-010,ok,,10,m2,,,\nH,,,,S,RC-020,slab,,10,m2,,,\n", encoding="utf-8")
    assert boq("new", "p.boq", cwd=tmp_path).returncode == 0
    run = boq(*args, cwd=tmp_path)
    assert run.returncode == 1
    assert message in run.stderr
    assert "Traceback" not in run.stderr and run.stderr.startswith(f"boq {args[0]}: ")


def test_help_texts_name_every_command() -> None:
    run = boq("--help")
    assert run.returncode == 0
    for command in ("new", "demo", "fx", "import", "markup", "price", "export", "rates", "reprice", "units"):
        assert command in run.stdout


def test_units_lists_spellings() -> None:
    run = boq("units")
    assert "sqm" in run.stdout and "m²" in run.stdout and "lm" in run.stdout
