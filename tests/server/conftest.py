"""A throwaway PostgreSQL cluster (tests/support/postgres.py) and a fresh, initialised database per test."""

from __future__ import annotations

import os
import pwd
from collections.abc import Iterator

import pytest

from tests.support.postgres import Cluster, binaries


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    bindir = binaries()
    missing = None
    if bindir is None:
        missing = "PostgreSQL is not installed (no initdb/pg_ctl); `apt-get install postgresql` (scripts/bootstrap.sh does)"
    elif os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            missing = "running as root but there is no `postgres` system user to run the server as"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the server tests: {missing}")
        pytest.skip(missing)
    assert bindir is not None
    cluster = Cluster(bindir)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def server(pg_cluster: Cluster) -> str:
    """The URL of a new database set up with `boq server init` (as the cluster's superuser)."""
    from estimator.server import admin

    url = pg_cluster.database()
    admin.init(url)
    return url


@pytest.fixture
def accounts(pg_cluster: Cluster, server: str) -> dict[str, str]:
    """Login accounts alice and bob (estimators), pat (procurement), vera (viewer): role -> URL as that account."""
    import psycopg

    from estimator.server import admin

    urls = {}
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        for user in ("alice", "bob", "pat", "vera"):
            if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (user,)).fetchone():
                conn.execute(f"CREATE ROLE {user} LOGIN")
    database = server.rsplit("/", 1)[1]
    for user, role in (("alice", "estimator"), ("bob", "estimator"), ("pat", "procurement"), ("vera", "viewer")):
        admin.grant(server, user, role)
        urls[user] = pg_cluster.url(database, user)
    return urls
