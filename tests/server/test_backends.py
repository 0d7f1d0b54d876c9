"""The store's behaviour on both back ends: a `.boq` file (SQLite) and a programme on PostgreSQL.

Each test runs twice, through the same entry points the command line uses (`estimator.server.locations`):
round trips keep everything, saves write only what changed (deletions included), numbers and Arabic
text come back exactly, and a damaged row is refused naming its table, row and column.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from estimator.errors import ProjectFileError
from estimator.model import Bill, Facility, Item, Programme
from estimator.pricing import price
from estimator.server import locations
from estimator.synthetic import generate


def _programme() -> Programme:
    prog = Programme("Store test", reference="T-1", organisation="Org")
    fac = Facility("Harim General Hospital", "Idlib", "Harim", "hospital", Decimal("4200.5"), 60, "east wing damaged",
                   name_ar="مشفى حارم العام")
    fac.bills.append(Bill("Plastering", "لياسة", [
        Item("Internal plaster", Decimal("120.50"), "m2", "1.1", "لياسة داخلية", rate=Decimal("6.35"), notes="n",
             measurement="2*(30+30.25)"),
        Item("Tyrolean", Decimal("40"), "m2", "1.2", rate=Decimal("1500"), rate_currency="TRY", provisional=True),
        Item("Electrical works", Decimal("1"), "item", "1.3", rate=Decimal("2500"), kind="provisional sum"),
    ]))
    prog.facilities.append(fac)
    prog.set_fx("TRY", Decimal("42.35"), dt.date(2026, 11, 1))
    return prog


@pytest.fixture(params=["sqlite", "postgresql"])
def where(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "p.boq")
    url = request.getfixturevalue("server")
    return f"{url}#programme"


def test_round_trip_keeps_everything(where: str) -> None:
    prog = _programme()
    locations.create(where, prog)
    back = locations.load(where)
    assert back == prog
    assert back.facilities[0].bills[0].items[0].quantity.as_tuple() == Decimal("120.50").as_tuple()  # exact text
    assert price(back).to_json() == price(prog).to_json()


def test_sample_round_trip(where: str, sample_programme: Programme) -> None:
    locations.create(where, sample_programme)
    assert locations.load(where) == sample_programme


def test_large_programme_round_trip(where: str) -> None:
    prog = generate(8, 150, seed=3)
    locations.create(where, prog)
    assert price(locations.load(where)).to_json() == price(prog).to_json()


def test_saves_write_changes_and_deletions(where: str) -> None:
    locations.create(where, _programme())
    with locations.open_project(where) as project:
        prog = project.programme
        bill = prog.facilities[0].bills[0]
        bill.items[0].quantity = Decimal("99")
        del bill.items[1]
        bill.items.append(Item("New", Decimal("1"), "nr", rate=Decimal("5")))
        prog.facilities.append(Facility("Second", bills=[Bill("B", items=[Item("x", Decimal(2), "m", rate=Decimal(1))])]))
        prog.markups.contingency = Decimal("7.5")
        prog.set_fx("SYP", Decimal("13000"), dt.date(2026, 12, 1))
        project.save()
        project.save()  # nothing changed: nothing to write
        expected = project.programme
    assert locations.load(where) == expected
    with locations.open_project(where) as project:  # a whole facility goes with its bills and items
        project.programme.facilities.pop(0)
        project.save()
    back = locations.load(where)
    assert [f.name for f in back.facilities] == ["Second"]
    assert back.item_count() == 1


def test_read_only_refuses_to_save(where: str) -> None:
    locations.create(where, _programme())
    with locations.open_project(where, readonly=True) as project:
        project.programme.name = "changed"
        with pytest.raises(ProjectFileError, match="read-only"):
            project.save()
    assert locations.load(where).name == "Store test"


def test_create_refuses_to_overwrite(where: str) -> None:
    locations.create(where, _programme())
    with pytest.raises(ProjectFileError if "://" not in where else Exception, match="already exists"):
        locations.create(where, Programme("other"))
    assert locations.load(where).name == "Store test"


def test_damaged_row_is_refused_naming_table_row_and_column(where: str) -> None:
    prog = _programme()
    locations.create(where, prog)
    uid = prog.facilities[0].bills[0].items[0].uid
    if "://" in where:
        import psycopg

        url, name = where.split("#")
        with psycopg.connect(url) as conn:  # as the owner, bypassing the client (what a hand edit could do)
            pid = conn.execute("SELECT id FROM boq.programmes WHERE name = %s", (name,)).fetchone()[0]
            conn.execute("SELECT boq.begin_change(%s)", (pid,))
            conn.execute("UPDATE boq.items SET quantity = '1e400' WHERE programme_id = %s AND uid = %s", (pid, uid))
    else:
        import sqlite3

        with sqlite3.connect(where) as conn:
            conn.execute("UPDATE items SET quantity = '1e400' WHERE uid = ?", (uid,))
    with pytest.raises(ProjectFileError) as caught:
        locations.load(where)
    assert "items" in str(caught.value) and uid in str(caught.value) and "quantity" in str(caught.value)


def test_server_tables_follow_the_one_schema_definition(server: str) -> None:
    import psycopg

    from estimator.store.schema import DEFINITION, DIALECTS

    with psycopg.connect(server) as conn:
        found = {(t, c): (ty.upper(), null == "YES") for t, c, ty, null in conn.execute(
            "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
            "WHERE table_schema = 'boq'")}
    for table in DEFINITION:  # the programme's tables and the append-only records alike
        assert ((table.name, "version") in found) == table.saved
        assert ((table.name, "created_by") in found) != table.saved
        for column in table.columns:
            assert found[(table.name, column.name)] == (DIALECTS["postgresql"][column.type], column.null), column


def test_init_upgrades_an_older_server(pg_cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A server set up at format 5 (no item kind) gains the column from the store's definition."""
    import psycopg

    from estimator.server import admin, schema
    from estimator.store.schema import DEFINITION, SCHEMA_VERSION

    url = pg_cluster.database()
    admin.init(url)
    later = [(t.name, c.name) for t in DEFINITION if t.saved for c in t.columns if c.since > 5]
    assert ("items", "kind") in later
    with psycopg.connect(url) as conn:  # what a format-5 server looked like (server schema 1: no records)
        for table, column in later:
            conn.execute(f"ALTER TABLE boq.{table} DROP COLUMN {column}")
        for t in reversed(schema.record_tables()):
            conn.execute(f"DROP TABLE boq.{t.name}")
        conn.execute("DROP FUNCTION boq.record_stamp(), boq.append_only(), boq.announce_records()")
        conn.execute("UPDATE boq.server_info SET value = '5' WHERE key = 'file_format'")
        conn.execute("UPDATE boq.server_info SET value = '1' WHERE key = 'server_schema'")
    message = admin.init(url)
    assert "upgraded" in message and f"from format 5 (server schema 1) to {SCHEMA_VERSION}" in message
    assert "already set up" in admin.init(url)
    prog = _programme()
    locations.create(f"{url}#p", prog)
    assert locations.load(f"{url}#p") == prog  # provisional sum kind kept
    # the record tables came in at format 5 (revisions) and 7 (contracts), one path: as a new server's
    fresh = pg_cluster.database()
    admin.init(fresh)
    shape = ("SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns "
             "WHERE table_schema = 'boq' ORDER BY table_name, column_name")
    with psycopg.connect(url) as old, psycopg.connect(fresh) as new:
        assert old.execute(shape).fetchall() == new.execute(shape).fetchall()


def test_an_oversize_value_on_the_server_is_refused_by_name(server: str) -> None:
    import psycopg

    locations.create(f"{server}#p", _programme())
    with psycopg.connect(server) as conn:  # as the owner, outside the program
        pid = conn.execute("SELECT id FROM boq.programmes WHERE name = 'p'").fetchone()[0]  # type: ignore[index]
        conn.execute("SELECT boq.begin_change(%s)", (pid,))
        conn.execute("UPDATE boq.items SET notes = repeat('x', 2000000) WHERE programme_id = %s", (pid,))
    with pytest.raises(ProjectFileError, match="larger than"):
        locations.load(f"{server}#p")
