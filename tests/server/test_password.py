"""The password comes from the system keyring (or the window's prompt, kept in memory), never from a file
of ours: an account that must give a password (scram-sha-256 in the test cluster's pg_hba.conf)."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from keyring.backend import KeyringBackend

from estimator.server import connect as connect_module
from estimator.server.connect import ServerError, connect, keyring_user, remember_for_session, store_password


class MemoryKeyring(KeyringBackend):
    """A keyring backend in memory (the test stands in for Windows Credential Manager or the Secret Service)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    import keyring

    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring  # type: ignore[misc]
    keyring.set_keyring(previous)


def test_the_password_comes_from_the_keyring(pg_cluster, server: str, memory_keyring: MemoryKeyring,  # type: ignore[no-untyped-def]
                                             tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))
    monkeypatch.setattr(connect_module, "_SESSION", {})
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'keyuser'").fetchone():
            conn.execute("CREATE ROLE keyuser LOGIN")
        conn.execute("ALTER ROLE keyuser PASSWORD 's3cret-Idlib'")
    url = pg_cluster.url(server.rsplit("/", 1)[1], "keyuser")
    with pytest.raises(ServerError, match="boq server password"):
        connect(url)  # no password anywhere: the message says how to give one
    store_password(url, "s3cret-Idlib")
    assert memory_keyring.entries == {("boq-estimator", keyring_user(url)): "s3cret-Idlib"}
    connect(url).close()
    memory_keyring.entries.clear()
    remember_for_session(url, "s3cret-Idlib")  # typed in the window, not kept
    connect(url).close()
    assert memory_keyring.entries == {}
    assert not list(tmp_path.iterdir())  # nothing written to a file
