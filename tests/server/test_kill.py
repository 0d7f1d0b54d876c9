"""A client killed in the middle of a push: the server keeps the state from before or after it, never a
mix (PostgreSQL rolls back the transaction of a connection that dies)."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from estimator.server import locations
from estimator.server.sync import pull_to_file, push_file
from estimator.store import Project
from estimator.synthetic import generate


def _quantities(where: str) -> dict[str, Decimal]:
    return {it.uid: it.quantity for f in locations.load(where).facilities for it in f.items()}


def _writing(url: str) -> bool:
    """Whether a `boq` client is inside a transaction that has written rows."""
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'boq-estimator' "
                            "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()").fetchone()[0] > 0  # type: ignore[index]


@pytest.fixture
def pushing(server: str, tmp_path: Path) -> tuple[str, Path, dict[str, Decimal], dict[str, Decimal]]:
    """A programme on the server and a pulled copy with every quantity changed (a long push)."""
    origin, copy = tmp_path / "origin.boq", tmp_path / "copy.boq"
    Project.create(origin, generate(20, 300, seed=4)).close()
    push_file(origin, server, "big")
    pull_to_file(server, "big", copy)
    with Project.open(copy) as project:
        for f in project.programme.facilities:
            for it in f.items():
                it.quantity += Decimal("1.5")
        project.save()
        after = {it.uid: it.quantity for f in project.programme.facilities for it in f.items()}
    before = _quantities(f"{server}#big")
    return server, copy, before, after


def _push(copy: Path, url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "estimator", "push", str(copy), url, "--as", "big"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_client_killed_mid_transaction_leaves_the_state_before(pushing: tuple[str, Path, dict, dict]) -> None:  # type: ignore[type-arg]
    url, copy, before, _after = pushing
    proc = _push(copy, url)
    deadline = time.monotonic() + 120
    while not _writing(url):
        assert proc.poll() is None, "the push ended before it was caught writing"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    time.sleep(0.5)  # the server notices the closed connection and rolls back
    assert _quantities(f"{url}#big") == before


def test_clients_killed_at_random_moments_leave_before_or_after(pushing: tuple[str, Path, dict, dict]) -> None:  # type: ignore[type-arg]
    url, copy, before, after = pushing
    rng = random.Random(7)
    seen = set()
    for _ in range(4):
        proc = _push(copy, url)
        time.sleep(rng.uniform(0.5, 4.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        time.sleep(0.5)
        state = _quantities(f"{url}#big")
        assert state in (before, after), "a killed push left a mix of old and new quantities"
        seen.add("after" if state == after else "before")
        if state == after:
            break
    proc = _push(copy, url)  # and a push left alone finishes the job
    assert proc.wait(timeout=300) == 0
    assert _quantities(f"{url}#big") == after
