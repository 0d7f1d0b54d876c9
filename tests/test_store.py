"""The .boq file: round trip, incremental saves, versions, foreign files and locking."""

import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from estimator.errors import FileLocked, ProjectFileError
from estimator.model import Bill, Facility, Item, Programme
from estimator.pricing import price
from estimator.schema_check import expected, read_schema
from estimator.store import APPLICATION_ID, DEFINITION, SCHEMA, SCHEMA_VERSION, Project, ddl, load


def _programme() -> Programme:
    prog = Programme("Store test", reference="T-1", organisation="Org")
    fac = Facility("Harim General Hospital", "Idlib", "Harim", "hospital", Decimal("4200.5"), 60, "east wing damaged")
    fac.bills.append(Bill("Plastering", "لياسة", [
        Item("Internal plaster", Decimal("120.5"), "m2", "1.1", "لياسة داخلية", rate=Decimal("6.35"), notes="n"),
        Item("Tyrolean", Decimal("40"), "m2", "1.2", rate=Decimal("1500"), rate_currency="TRY", provisional=True),
    ]))
    prog.facilities.append(fac)
    prog.set_fx("TRY", Decimal("42.35"), __import__("datetime").date(2026, 11, 1))
    return prog


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "p.boq"
    prog = _programme()
    Project.create(path, prog).close()
    back = load(path)
    assert back == prog
    assert price(back).to_json() == price(prog).to_json()


def test_sample_round_trip(sample_programme: Programme, tmp_path: Path) -> None:
    path = tmp_path / "s.boq"
    Project.create(path, sample_programme).close()
    assert price(load(path)).to_json() == price(sample_programme).to_json()


def test_incremental_save_writes_only_changes_and_deletes(tmp_path: Path) -> None:
    path = tmp_path / "p.boq"
    with Project.create(path, _programme()) as project:
        bill = project.programme.facilities[0].bills[0]
        bill.items[0].quantity = Decimal("99")
        del bill.items[1]
        bill.items.append(Item("New", Decimal("1"), "nr", rate=Decimal("5")))
        project.programme.facilities.append(Facility("Second", bills=[Bill("B", items=[Item("x", Decimal(2), "m", rate=Decimal(1))])]))
        project.save()
        changes_before = project._conn.total_changes
        project.save()  # nothing changed: nothing written
        assert project._conn.total_changes == changes_before
        expected = project.programme
    back = load(path)
    assert back == expected
    # removing a whole facility removes its bills and items too (children deleted before parents)
    with Project.open(path) as project:
        project.programme.facilities.pop(0)
        project.save()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM items").fetchone()[0] == 1


def test_not_a_project_file(tmp_path: Path) -> None:
    bad = tmp_path / "notes.boq"
    bad.write_text("hello")
    with pytest.raises(ProjectFileError, match="not a BoQ Estimator project"):
        Project.open(bad)
    foreign = tmp_path / "foreign.boq"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(ProjectFileError, match="SQLite database but not a BoQ Estimator"):
        load(foreign)
    with pytest.raises(ProjectFileError, match="no such file"):
        load(tmp_path / "missing.boq")


def test_newer_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.boq"
    Project.create(path, _programme()).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(ProjectFileError, match="newer BoQ Estimator"):
        Project.open(path)


def test_version_1_file_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.boq"
    v1 = ddl("sqlite", version=1)  # the schema of format 1, generated from the one definition
    with sqlite3.connect(path) as conn:
        conn.executescript(v1)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("PRAGMA user_version = 1")
        conn.execute("INSERT INTO meta VALUES ('name', 'Old programme'), ('currency', 'USD')")
        conn.execute("INSERT INTO facilities (uid, pos, name) VALUES ('f1', 0, 'Old clinic')")
        conn.execute("INSERT INTO bills VALUES ('b1', 'f1', 0, 'Works', '')")
        conn.execute("INSERT INTO items (uid, bill_uid, pos, description, quantity, unit, rate) VALUES ('i1','b1',0,'Paint','10','m2','3.5')")
    with pytest.raises(ProjectFileError, match="older file format 1"):
        load(path)  # read-only cannot upgrade
    with Project.open(path) as project:
        assert project.programme.facilities[0].district == "" and project.programme.facilities[0].beds is None
    assert price(load(path)).to_json()["grand_total"] == "35.00"


def test_second_writer_is_locked_out_but_readers_work(tmp_path: Path) -> None:
    path = tmp_path / "p.boq"
    Project.create(path, _programme()).close()
    with Project.open(path):
        with pytest.raises(FileLocked, match="open in another window"):
            Project.open(path)
        assert load(path).name == "Store test"
        # another process is refused too
        code = f"from estimator.store import Project\nProject.open({str(path)!r})"
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert run.returncode != 0 and "FileLocked" in run.stderr
    Project.open(path).close()  # released


def test_create_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "p.boq"
    Project.create(path, _programme()).close()
    with pytest.raises(ProjectFileError, match="already exists"):
        Project.create(path, _programme())
    assert not list(tmp_path.glob(".*tmp"))


def test_save_as_moves_the_lock(tmp_path: Path) -> None:
    with Project.create(tmp_path / "a.boq", _programme()) as project:
        project.save_as(tmp_path / "b.boq")
        project.programme.name = "Renamed"
        project.save()
        Project.open(tmp_path / "a.boq").close()  # a.boq is free again
        with pytest.raises(FileLocked):
            Project.open(tmp_path / "b.boq")
    assert load(tmp_path / "b.boq").name == "Renamed"
    assert load(tmp_path / "a.boq").name == "Store test"


def test_rows_stored_out_of_order_read_in_their_positions(tmp_path: Path) -> None:
    """Rows are read in storage order and sorted by position only where a save left them out of order."""
    prog = _programme()
    prog.facilities[0].bills.append(Bill("Second", items=[Item(f"row {k}", Decimal(k + 1), "m2") for k in range(6)]))
    path = tmp_path / "p.boq"
    Project.create(path, prog).close()
    with sqlite3.connect(path) as conn:  # reverse the positions (the rows stay where they are stored)
        conn.execute("UPDATE items SET pos = 5 - pos WHERE bill_uid = ?", (prog.facilities[0].bills[1].uid,))
        conn.execute("UPDATE bills SET pos = 1 - pos")
    bills = load(path).facilities[0].bills
    assert [b.name for b in bills] == ["Second", "Plastering"]
    assert [i.description for i in bills[0].items] == [f"row {k}" for k in reversed(range(6))]
    assert [i.description for i in bills[1].items] == ["Internal plaster", "Tyrolean"]


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_every_older_format_migrates_to_exactly_todays_schema(tmp_path: Path, version: int) -> None:
    """`ddl(version=N)` and `MIGRATIONS` come from one definition: each old format opens and upgrades."""
    path = tmp_path / f"v{version}.boq"
    with sqlite3.connect(path) as conn:
        conn.executescript(ddl("sqlite", version=version))
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("INSERT INTO meta VALUES ('name', 'Old'), ('currency', 'USD')")
    with pytest.raises(ProjectFileError, match=f"older file format {version}"):
        load(path)
    Project.open(path).close()
    conn = sqlite3.connect(path)
    try:
        assert read_schema(conn) == expected(SCHEMA)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        conn.close()
    assert load(path).name == "Old"


def test_the_schema_is_generated_for_other_databases() -> None:
    """One definition, any dialect: PostgreSQL gets the same tables, keys and defaults in its types."""
    pg = ddl("postgresql")
    for table in DEFINITION:
        assert f"CREATE TABLE {table.name} (" in pg
    assert "snapshots (hash TEXT PRIMARY KEY, data BYTEA NOT NULL)" in pg
    assert "PRIMARY KEY (currency, date)" in pg and "REFERENCES bills(uid)" in pg
    assert ddl("sqlite") == SCHEMA
