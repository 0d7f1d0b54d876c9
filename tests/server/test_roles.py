"""Roles are the server's: a viewer or procurement officer cannot write, whatever the client does; a facility
locked by one estimator cannot be written by another (row-level security); every write is versioned."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from psycopg import errors

from estimator.server import locations
from estimator.server.connect import PermissionRefused
from estimator.server.live import FacilityLocked, LiveProgramme
from estimator.server.sync import pull_to_file, push_file
from estimator.store import Project
from estimator.synthetic import generate


@pytest.fixture
def shared(accounts: dict[str, str], tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "p.boq"
    Project.create(path, generate(2, 20, seed=2)).close()
    push_file(path, accounts["alice"], "shared")
    return accounts


@pytest.mark.parametrize("user", ["vera", "pat"])
def test_reader_roles_read_but_the_server_refuses_their_writes(shared: dict[str, str], user: str, tmp_path: Path) -> None:
    url = shared[user]
    assert locations.load(f"{url}#shared").item_count() == 40  # reading is allowed (2 facilities x 20 items)
    copy = tmp_path / "copy.boq"
    pull_to_file(url, "shared", copy)
    with Project.open(copy) as project:
        project.programme.facilities[0].bills[0].items[0].quantity = Decimal("5")
        project.save()
    with pytest.raises(PermissionRefused, match="refused"):
        push_file(copy, url, "shared")
    with pytest.raises(PermissionRefused):
        push_file(copy, url, "another")  # nor create a programme
    live = LiveProgramme(url, "shared")
    try:
        uid = live.programme.facilities[0].bills[0].items[0].uid
        with pytest.raises(PermissionRefused):
            live.edit_item(uid, quantity=Decimal("6"))
    finally:
        live.close()
    # not the client's doing: plain SQL as that account is refused by PostgreSQL itself
    with psycopg.connect(url) as conn:
        pid = conn.execute("SELECT id FROM boq.programmes WHERE name = 'shared'").fetchone()[0]  # type: ignore[index]
        for statement in ("SELECT boq.begin_change(%s)", "UPDATE boq.items SET quantity = '1' WHERE programme_id = %s",
                          "DELETE FROM boq.items WHERE programme_id = %s", "UPDATE boq.programmes SET name = 'x' WHERE id = %s",
                          "INSERT INTO boq.library (file, key, data, pos) SELECT 'rates.csv', 'X', '{}', %s"):
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(statement, (pid,))
            conn.rollback()
    assert locations.load(f"{shared['alice']}#shared").facilities[0].bills[0].items[0].quantity != Decimal("5")


def test_a_write_without_a_version_is_refused(shared: dict[str, str]) -> None:
    with psycopg.connect(shared["alice"]) as conn, pytest.raises(errors.ObjectNotInPrerequisiteState):
        conn.execute("UPDATE boq.items SET quantity = '1'")


def test_a_locked_facility_is_written_only_by_its_holder(shared: dict[str, str], tmp_path: Path) -> None:
    alice, bob = LiveProgramme(shared["alice"], "shared"), LiveProgramme(shared["bob"], "shared")
    try:
        fac = alice.programme.facilities[0]
        uid = fac.items()[0].uid
        alice.lock_facility(fac.uid)
        assert bob.locks() == {fac.uid: "alice"}
        with pytest.raises(FacilityLocked, match="locked by alice"):
            bob.edit_item(uid, quantity=Decimal("7"))
        with pytest.raises(FacilityLocked):
            bob.lock_facility(fac.uid)
        other = alice.programme.facilities[1].items()[0].uid
        bob.edit_item(other, quantity=Decimal("8"))  # other facilities stay open to bob
        alice.edit_item(uid, quantity=Decimal("9"))
        # bob's offline copy cannot push into the locked facility either
        copy = tmp_path / "bob.boq"
        pull_to_file(shared["bob"], "shared", copy)
        with Project.open(copy) as project:
            project.programme.facilities[0].items()[1].quantity = Decimal("10")
            project.save()
        with pytest.raises(PermissionRefused, match="locked"):
            push_file(copy, shared["bob"], "shared")
        alice.unlock_facility(fac.uid)
        push_file(copy, shared["bob"], "shared")
        assert locations.load(f"{shared['alice']}#shared").facilities[0].items()[1].quantity == Decimal("10")
    finally:
        alice.close()
        bob.close()


def test_setup_as_in_the_readme_by_a_database_owner_with_createrole(pg_cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`createuser --createrole boqadmin; createdb --owner boqadmin boq; boq server init; boq server grant`."""
    from estimator.cli import main

    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'boqadmin'").fetchone():
            conn.execute("CREATE ROLE boqadmin LOGIN CREATEROLE")
        conn.execute("CREATE DATABASE readme_setup OWNER boqadmin")
    admin = pg_cluster.url("readme_setup", "boqadmin")
    assert main(["server", "init", admin]) == 0
    assert main(["server", "grant", admin, "amal", "estimator", "--create"]) == 0
    assert main(["server", "grant", admin, "director", "viewer", "--create"]) == 0
    path = tmp_path / "p.boq"
    Project.create(path, generate(1, 5)).close()
    amal, director = pg_cluster.url("readme_setup", "amal"), pg_cluster.url("readme_setup", "director")
    assert main(["push", str(path), amal, "--as", "Idlib"]) == 0
    assert main(["price", f"{director}#Idlib"]) == 0
    assert main(["push", str(path), director, "--as", "Other"]) == 1  # a viewer cannot create one
    assert main(["server", "grant", admin, "director", "estimator"]) == 0  # roles change; the old one goes
    assert main(["push", str(path), director, "--as", "Other"]) == 0
