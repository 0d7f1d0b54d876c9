"""Numbers in a .boq file are read exactly as they were written, and anything else is refused.

Opening reads every stored number with `money.from_stored` (the `str(Decimal)` text, nothing
else) instead of the user-text parser: a hostile or damaged file gives a message naming the table,
row and column, never a number the file did not hold (`1,5` is not 1.5, `١٢` is not 12).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from estimator.errors import InvalidNumber, ProjectFileError
from estimator.model import Programme
from estimator.money import LIMIT, from_stored
from estimator.store import load


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-LIMIT + 1, max_value=LIMIT - 1, places=None))
def test_every_stored_decimal_reads_back_exactly(value: Decimal) -> None:
    back = from_stored(str(value))
    assert back == value
    assert str(back) == str(value) or (value.is_zero() and back.is_zero() and not back.is_signed())


@pytest.mark.parametrize("text", ["1,5", "1.234,5", " 7", "7 ", "+7", "07", ".5", "5.", "1e3", "1_000", "١٢", "۱۲",
                                  "NaN", "-NaN", "sNaN", "Infinity", "-Infinity", "1E+999", "1E+15", "", "seven"])
def test_non_canonical_or_non_finite_text_is_refused(text: str) -> None:
    with pytest.raises(InvalidNumber, match="not a valid number"):
        from_stored(text, "items row x, column quantity")


@pytest.mark.parametrize("value", [7, 7.5, b"7", None, Decimal("7")])
def test_only_text_is_a_stored_number(value: object) -> None:
    with pytest.raises(InvalidNumber):
        from_stored(value)


def _programme_file(tmp_path: Path, sample_file: Path) -> tuple[Path, str]:
    path = tmp_path / "hostile.boq"
    path.write_bytes(sample_file.read_bytes())
    with sqlite3.connect(path) as conn:
        uid = conn.execute("SELECT uid FROM items ORDER BY uid LIMIT 1").fetchone()[0]
    return path, uid


@pytest.mark.parametrize(("column", "value"), [("quantity", "1,5"), ("quantity", "١٢"), ("quantity", "NaN"),
                                               ("quantity", " 12"), ("rate", "Infinity"), ("rate", "1e999"),
                                               ("quantity", b"\x00\x01")])
def test_hostile_item_value_names_its_table_row_and_column(tmp_path: Path, sample_file: Path, column: str,
                                                            value: object) -> None:
    path, uid = _programme_file(tmp_path, sample_file)
    with sqlite3.connect(path) as conn:
        conn.execute(f"UPDATE items SET {column} = ? WHERE uid = ?", (value, uid))
    with pytest.raises(ProjectFileError) as caught:
        load(path)
    message = str(caught.value)
    assert "table items" in message and repr(uid) in message and f"column {column}" in message, message
    # and as a user sees it: one message, no traceback, nothing changed
    run = subprocess.run([sys.executable, "-m", "estimator", "price", str(path)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert f"column {column}" in run.stderr and str(path) in run.stderr


def test_hostile_rate_library_value_is_refused(tmp_path: Path, sample_file: Path) -> None:
    path, _ = _programme_file(tmp_path, sample_file)
    with sqlite3.connect(path) as conn:
        code, data = conn.execute("SELECT code, data FROM resources ORDER BY code LIMIT 1").fetchone()
        conn.execute("UPDATE resources SET data = ? WHERE code = ?", (data.replace('"price": "', '"price": "1,'), code))
    with pytest.raises(ProjectFileError, match=f"table resources, row '{code}', column price"):
        load(path)


def test_stored_values_read_back_identical(sample_programme: Programme, sample_file: Path) -> None:
    """Every number of the sample survives a write and a read with the same text (scale included)."""
    after = load(sample_file)
    pairs = [(a.quantity, b.quantity) for fa, fb in zip(sample_programme.facilities, after.facilities, strict=True)
             for ba, bb in zip(fa.bills, fb.bills, strict=True) for a, b in zip(ba.items, bb.items, strict=True)]
    pairs += [(a.rate, b.rate) for fa, fb in zip(sample_programme.facilities, after.facilities, strict=True)
              for ba, bb in zip(fa.bills, fb.bills, strict=True) for a, b in zip(ba.items, bb.items, strict=True)
              if a.rate is not None]
    pairs += [(a.price, after.rates.resources[code].price) for code, a in sample_programme.rates.resources.items()]
    assert len(pairs) > 100 and all(str(a) == str(b) for a, b in pairs)
