"""A throwaway PostgreSQL cluster for tests: initdb + pg_ctl from the distribution's package, listening
on a Unix socket in a temporary folder only (no TCP), removed at the end.

As root (CI, the dev machines) the server runs as the `postgres` system user through `runuser`, since
PostgreSQL refuses to run as root; otherwise as the current user.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote


def binaries() -> Path | None:
    """The folder with initdb and pg_ctl, or None when PostgreSQL is not installed."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(folder, "initdb").exists() and Path(folder, "pg_ctl").exists():
            return Path(folder)
    return None


class Cluster:
    """One running cluster; `database()` makes a fresh database and returns its URL."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="boq-pg-"))
        self.data, self.socket = self.root / "data", self.root / "sock"
        self.socket.mkdir()
        self.as_root = os.geteuid() == 0
        self.superuser = "postgres" if self.as_root else os.environ.get("USER", "postgres")
        self._names = itertools.count(1)
        if self.as_root:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.socket, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", self.superuser, "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        hba = self.data / "pg_hba.conf"
        # one account that must give a password (tests of the keyring); everyone else is trusted locally
        hba.write_text("local all keyuser scram-sha-256\nlocal all all trust\n")
        self._run("pg_ctl", "-D", str(self.data), "-w", "-t", "60", "-l", str(self.root / "log"), "-o",
                  f"-c listen_addresses='' -c unix_socket_directories='{self.socket}' -c fsync=off "
                  "-c max_connections=60 -c shared_buffers=32MB", "start")

    def _run(self, program: str, *args: str) -> None:
        cmd = [str(self.bindir / program), *args]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120, cwd=self.root)

    def url(self, database: str = "postgres", user: str | None = None) -> str:
        return f"postgresql://{quote(user or self.superuser)}@{quote(str(self.socket), safe='')}/{database}"

    def database(self) -> str:
        """A new empty database (owned by the superuser); its URL."""
        import psycopg

        name = f"boq_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
