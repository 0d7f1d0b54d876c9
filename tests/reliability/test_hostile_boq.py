"""Hostile `.boq` files (issue 12): SQL that would run inside the program, foreign objects, wrong types,
orphans, oversize or deeply nested values, odd file kinds. Each is built here with sqlite3 from a real
project file; opening it (read-only and for writing) must refuse with a message naming the file and the
object, never run it, never hang, and leave the file byte for byte as it was.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from estimator.errors import FileLocked, ProjectFileError
from estimator.store import SCHEMA_VERSION, Project, _connect, load
from tests.reliability.states import MINILIB, ROOT, item_count, make_programme, state

pytestmark = pytest.mark.timeout(120)


def _project(tmp_path: Path, name: str = "hostile.boq") -> Path:
    path = tmp_path / name
    Project.create(path, make_programme(2, 10)).close()
    return path


def _tamper(path: Path, script: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.executescript(script)
    conn.commit()
    conn.close()


def _refused(path: Path, match: str) -> None:
    """Both ways of opening refuse, naming the file, and neither changes a byte (damage is one line; numbers
    out of range are the limits' list, one line each)."""
    before = path.read_bytes()
    for opening in (lambda: load(path), lambda: Project.open(path).close()):
        with pytest.raises(ProjectFileError, match=match) as caught:
            opening()
        assert str(path) in str(caught.value)
        assert "\n" not in str(caught.value) or "out of range" in str(caught.value)
        assert path.read_bytes() == before
    assert not Path(f"{path}-journal").exists()


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BOQ_RATES_DIR": str(MINILIB), "BOQ_DATA_DIR": str(tmp_path / "u")}
    return subprocess.run([sys.executable, "-m", "estimator", *args], env=env, capture_output=True, text=True, timeout=90)


RECURSIVE_ITEMS = """
ALTER TABLE items RENAME TO items_kept;
CREATE VIEW items AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r)
  SELECT 'u' || n AS uid, (SELECT uid FROM bills LIMIT 1) AS bill_uid, n AS pos, '' AS ref, 'x' AS description,
  '' AS description_ar, '1' AS quantity, 'm2' AS unit, '' AS rate_code, '1' AS rate, '' AS rate_currency,
  '' AS rate_unit, 0 AS provisional, '' AS notes FROM r;
"""


def _rewrite_items_sql(old: str, new: str) -> str:
    """Edit the stored CREATE TABLE text (as a crafted file would), keeping the table's data."""
    return (f"PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = replace(sql, '{old}', '{new}') "
            "WHERE name = 'items'; PRAGMA writable_schema = OFF;")


@pytest.mark.parametrize(
    ("script", "match"),
    [
        ("CREATE TRIGGER wipe AFTER UPDATE ON meta BEGIN DELETE FROM items; END;", "trigger 'wipe'"),
        ("CREATE TRIGGER grow BEFORE INSERT ON items BEGIN SELECT 1; END;", "trigger 'grow'"),
        ("CREATE VIEW totals AS SELECT count(*) FROM items;", "view 'totals'"),
        (RECURSIVE_ITEMS, "view 'items'|table 'items_kept'"),
        ("CREATE TABLE extra (x);", "table 'extra' that BoQ Estimator does not make"),
        ("ALTER TABLE items ADD COLUMN evil TEXT;", "table 'items' that differs .*unexpected 'evil TEXT'"),
        ("ALTER TABLE items DROP COLUMN notes;", "table 'items' that differs .*missing \"notes"),
        ("CREATE INDEX slow ON items (length(description));", "index 'slow'"),
        ("CREATE VIRTUAL TABLE search USING fts5(body);", "virtual table 'search'"),
        ("ANALYZE;", "table 'sqlite_stat1'"),
        (_rewrite_items_sql("notes TEXT NOT NULL DEFAULT ''''", "notes TEXT NOT NULL DEFAULT (randomblob(1e9))"),
         "table 'items' that differs"),
        (_rewrite_items_sql("ref TEXT NOT NULL DEFAULT ''''", "ref TEXT NOT NULL DEFAULT '''' CHECK (ref <> 1)"),
         "table 'items' that differs"),
        (_rewrite_items_sql("CREATE TABLE items", 'CREATE TABLE "items"'), "table 'items' defined differently"),
    ],
    ids=["trigger-on-save", "trigger-on-insert", "view", "recursive-view-as-items", "extra-table", "extra-column",
         "missing-column", "expression-index", "virtual-table", "analyze-stats", "expression-default", "check",
         "quoted-name"],
)
def test_sql_and_foreign_objects_inside_a_boq_are_refused(tmp_path: Path, script: str, match: str) -> None:
    path = _project(tmp_path)
    _tamper(path, script)
    _refused(path, match)


def test_the_trigger_of_the_issue_no_longer_deletes_every_item_on_markup(tmp_path: Path) -> None:
    path = _project(tmp_path)
    items = item_count(load(path))
    _tamper(path, "CREATE TRIGGER wipe AFTER UPDATE ON meta BEGIN DELETE FROM items; END;")
    done = _cli(tmp_path, "markup", str(path), "--tax", "5")
    assert done.returncode == 1 and "trigger 'wipe'" in done.stderr and "Traceback" not in done.stderr, done.stderr
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM items").fetchone()[0] == items


def test_the_recursive_view_of_the_issue_no_longer_hangs_price(tmp_path: Path) -> None:
    path = _project(tmp_path)
    _tamper(path, RECURSIVE_ITEMS)
    done = _cli(tmp_path, "price", str(path))  # the subprocess timeout fails the test if it hangs
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "view 'items'" in done.stderr or "table 'items_kept'" in done.stderr, done.stderr


def test_connections_are_defensive_even_before_the_schema_check(tmp_path: Path) -> None:
    """Defence in depth: on our own connection a trigger does not fire and a view cannot be read."""
    path = _project(tmp_path)
    items = item_count(load(path))
    _tamper(path, "CREATE TRIGGER wipe AFTER UPDATE ON meta BEGIN DELETE FROM items; END;"
                  "CREATE VIEW v AS SELECT 1;")
    conn = _connect(path, readonly=False)
    try:
        conn.execute("UPDATE meta SET value = value WHERE key = 'name'")
        assert conn.execute("SELECT count(*) FROM items").fetchone()[0] == items
        with pytest.raises(sqlite3.Error, match="view"):
            conn.execute("SELECT * FROM v").fetchall()
        with pytest.raises(sqlite3.Error):  # SQLITE_DBCONFIG_DEFENSIVE: no writing to the schema
            conn.execute("PRAGMA writable_schema = ON")
            conn.execute("UPDATE sqlite_schema SET sql = '' WHERE name = 'v'")
    finally:
        conn.close()


def _older_format(path: Path, extra: str = "") -> None:
    """Turn a current file into format 2 (no Arabic facility names, typed measurements or revisions), plus `extra`."""
    _tamper(path, "DROP TABLE revisions; DROP TABLE snapshots; DROP TABLE contract_lines; DROP TABLE contract_log; "
                  "ALTER TABLE items DROP COLUMN kind; ALTER TABLE items DROP COLUMN measurement; ALTER TABLE facilities DROP COLUMN name_ar; "
                  f"PRAGMA user_version = 2; {extra}")


def test_an_older_file_with_a_trigger_is_refused_before_migrating(tmp_path: Path) -> None:
    assert SCHEMA_VERSION >= 3
    path = _project(tmp_path)
    _older_format(path, "CREATE TRIGGER t AFTER UPDATE ON meta BEGIN DELETE FROM items; END;")
    before = path.read_bytes()
    with pytest.raises(ProjectFileError, match="trigger 't'"):
        Project.open(path)
    assert path.read_bytes() == before


def test_an_older_file_with_an_extra_column_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    path = _project(tmp_path)
    _older_format(path, "ALTER TABLE bills ADD COLUMN evil TEXT;")
    before = path.read_bytes()
    with pytest.raises(ProjectFileError, match=r"table 'bills' that differs .*'evil TEXT'"):
        Project.open(path)
    assert path.read_bytes() == before


def test_a_genuine_older_file_still_migrates(tmp_path: Path) -> None:
    path = _project(tmp_path)
    expected = item_count(load(path))
    _older_format(path)
    with Project.open(path) as project:
        assert item_count(project.programme) == expected
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


@pytest.mark.parametrize(
    ("sql", "match"),
    [
        ("UPDATE items SET description = x'414243' WHERE rowid = 1", "table items, uid .*column description holds blob"),
        ("UPDATE items SET pos = 'first' WHERE rowid = 1", "table items, uid .*column pos holds text"),
        ("UPDATE items SET provisional = 7 WHERE rowid = 1", "table items, uid .*provisional IN \\(0, 1\\)"),
        ("UPDATE items SET provisional = 'yes' WHERE rowid = 1", "column provisional holds text"),
        ("UPDATE facilities SET beds = 'many' WHERE rowid = 1", "table facilities, uid .*column beds holds text"),
        ("UPDATE facilities SET beds = 1e300 WHERE rowid = 1", "column beds holds real"),
        ("UPDATE facilities SET beds = -5 WHERE rowid = 1", "beds >= 0"),
        ("UPDATE meta SET value = x'00' WHERE key = 'name'", "table meta, key 'name': column value holds blob"),
        ("UPDATE rates SET data = x'7b7d' WHERE rowid = 1", "table rates, code .*column data holds blob"),
        ("UPDATE fx SET rate = '0'", "exchange rate for [A-Z]{3}: 0 must be greater than zero"),
        ("UPDATE fx SET rate = '-3'", "exchange rate for [A-Z]{3}: -3 must be greater than zero"),
        ("UPDATE items SET bill_uid = 'nowhere' WHERE rowid = 1", "rows belong to bill 'nowhere', which is not in the file"),
        ("UPDATE bills SET facility_uid = 'gone' WHERE rowid = 1", "rows belong to facility 'gone'"),
    ],
)
def test_values_of_the_wrong_type_or_without_a_parent_are_refused(tmp_path: Path, sql: str, match: str) -> None:
    """Before: beds as text or a huge real crashed `boq compare` with a TypeError, a zero exchange rate with
    DivisionByZero; provisional 7 or 'yes' counted as provisional; orphan items vanished from every total."""
    path = _project(tmp_path)
    _tamper(path, sql)
    _refused(path, match)


def test_numbers_stored_as_numbers_in_text_columns_read_exactly(tmp_path: Path) -> None:
    """A TEXT column turns a number into its text, so `quantity = 2.5` reads as Decimal('2.5'), not a float."""
    path = _project(tmp_path)
    _tamper(path, "UPDATE items SET quantity = 2.5, rate = 7 WHERE rowid = 1")
    from decimal import Decimal

    quantities = {it.quantity for f in load(path).facilities for b in f.bills for it in b.items}
    assert Decimal("2.5") in quantities and all(isinstance(q, Decimal) for q in quantities)


@pytest.mark.parametrize("table", ["rates", "resources"])
def test_deeply_nested_json_is_refused_naming_table_and_code(tmp_path: Path, table: str) -> None:
    """Before: RecursionError (a traceback) from json.loads."""
    path = _project(tmp_path)
    with sqlite3.connect(path) as conn:
        code = conn.execute(f"SELECT code FROM {table} LIMIT 1").fetchone()[0]
        conn.execute(f"UPDATE {table} SET data = ? WHERE code = ?", ("[" * 200_000 + "]" * 200_000, code))
    _refused(path, f"table {table} {code!r}|{table} {code!r}: its data is nested more than")


def test_the_nesting_scan_is_linear_on_unclosed_escaped_strings(tmp_path: Path) -> None:
    """Found merging: one quote and then `\\"` repeated (every quote opens a string that never closes) made the
    scan's regular expression restart at every quote: 30 s for 40 KB, quadratic; now one pass."""
    path = _project(tmp_path)
    with sqlite3.connect(path) as conn:
        code = conn.execute("SELECT code FROM rates LIMIT 1").fetchone()[0]
        conn.execute("UPDATE rates SET data = ? WHERE code = ?", ("[" * 20 + '"' + '\\"' * 200_000, code))
    with pytest.raises(ProjectFileError, match=r"damaged|not a valid"):
        load(path)


def test_nesting_inside_json_strings_is_not_counted(tmp_path: Path) -> None:
    path = _project(tmp_path)
    with Project.open(path) as project:
        code = next(iter(project.programme.rates.rates))
        rate = project.programme.rates.rates[code]
        from dataclasses import replace

        project.programme.rates.rates[code] = replace(rate, description="[[[[[[[[[[{{{{{{{{{{ brackets")
        project.save()
    assert load(path).rates.rates[code].description.startswith("[[[[")


def test_huge_text_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = _project(tmp_path)
    _tamper(path, "UPDATE meta SET value = (SELECT group_concat('x', '') FROM (WITH RECURSIVE r(n) AS "
                  "(SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 1200000) SELECT n FROM r)) WHERE key = 'notes'")
    _refused(path, "holds a text larger than 1,000,000 bytes")


def test_a_fifo_named_boq_is_refused_without_hanging(tmp_path: Path) -> None:
    path = tmp_path / "pipe.boq"
    os.mkfifo(path)
    result: list[BaseException] = []

    def opening() -> None:
        try:
            load(path)
        except ProjectFileError as exc:
            result.append(exc)

    worker = threading.Thread(target=opening)
    worker.start()
    worker.join(20)
    assert not worker.is_alive(), "opening a FIFO hung"
    assert "not a regular file" in str(result[0])


def test_two_names_of_one_file_share_its_lock(tmp_path: Path) -> None:
    """Before: a symbolic link had its own lock, so two windows could both write the same file."""
    path = _project(tmp_path)
    link = tmp_path / "link.boq"
    link.symlink_to(path)
    with Project.open(path), pytest.raises(FileLocked):
        Project.open(link)
    assert state(load(link)) == state(load(path))


def test_wal_mode_or_a_wal_file_beside_it_is_refused(tmp_path: Path) -> None:
    """SQLite applies a -wal file beside a database whoever wrote it; we never use WAL."""
    path = _project(tmp_path)
    wal = Path(f"{path}-wal")
    wal.write_bytes(b"\x37\x7f\x06\x82" + bytes(60))
    _refused(path, "WAL journal mode .*hostile.boq-wal")
    assert wal.read_bytes()[:4] == b"\x37\x7f\x06\x82"
    wal.unlink()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    _refused(path, "WAL journal mode")


def test_a_wrong_page_size_in_the_header_is_refused(tmp_path: Path) -> None:
    path = _project(tmp_path)
    data = bytearray(path.read_bytes())
    data[16:18] = (3000).to_bytes(2, "big")
    path.write_bytes(bytes(data))
    _refused(path, "damaged|not a valid project|not an SQLite")


def test_saving_a_text_over_the_limit_says_so_and_keeps_the_file(tmp_path: Path) -> None:
    path = _project(tmp_path)
    before = path.read_bytes()
    with Project.open(path) as project:
        project.programme.notes = "x" * 1_100_000
        with pytest.raises(ProjectFileError, match="a text is longer than 1,000,000 bytes; shorten it"):
            project.save()
        project.programme.notes = "short again"
        project.save()
    assert load(path).notes == "short again" and path.read_bytes() != before
