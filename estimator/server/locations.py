"""Where a programme lives: a `.boq` file, or a programme on a shared server (`postgresql://host/db#NAME`).

The one place the command line (and anything else) opens what the user named: every command that takes
FILE takes a server programme too. The server code (and psycopg) is imported only when one is named.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from estimator.server import ServerLocation, is_server

if TYPE_CHECKING:
    from estimator.model import Programme
    from estimator.server.remote import ServerProject
    from estimator.store import Project


def _server(source: Path | str) -> ServerLocation | None:
    return ServerLocation(source) if is_server(source) else None


def load(source: Path | str) -> Programme:
    """Read a programme (for price, export, compare, check): a file without locking it, or the server's copy."""
    if (loc := _server(source)) is not None:
        from estimator.server.sync import pull_state

        return pull_state(loc.url, loc.name).programme
    from estimator.store import load as load_file

    return load_file(source)


def open_project(source: Path | str, readonly: bool = False) -> Project | ServerProject:
    """Open a programme to change it: the file locked, or the server's copy (saved by merging item by item)."""
    if (loc := _server(source)) is not None:
        from estimator.server.remote import ServerProject

        return ServerProject(loc, readonly)
    from estimator.store import Project

    return Project.open(source, readonly=readonly)


def create(source: Path | str, programme: Programme, overwrite: bool = False) -> None:
    """Write a new programme to a file, or to the server under a new name."""
    if (loc := _server(source)) is not None:
        from estimator.server.remote import create as create_remote

        create_remote(loc, programme, overwrite)
        return
    from estimator.store import Project

    Project.create(source, programme, overwrite=overwrite).close()


def open_read(source: Path | str) -> Project:
    """Open a programme read-only with its frozen revisions (export, bids, tender list/diff, variance).

    A server programme has no revisions yet: it is checked out to a temporary file (removed when the
    program ends), so every reader works on it as on a file.
    """
    from estimator.store import Project

    if (loc := _server(source)) is None:
        return Project.open(source, readonly=True)
    import atexit
    import shutil
    import tempfile

    from estimator.server.sync import pull_state

    folder = Path(tempfile.mkdtemp(prefix="boq-server-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "programme.boq"
    Project.create(path, pull_state(loc.url, loc.name).programme).close()
    return Project.open(path, readonly=True)


def open_file(source: Path | str, what: str) -> Project:
    """Open a `.boq` file to write frozen revisions into (`what`: "a tender revision", ...); not a server."""
    from estimator.errors import UserError
    from estimator.store import Project

    if _server(source) is not None:
        raise UserError(f"{what} is kept in the .boq file; the server does not hold revisions yet: check a copy "
                        "out with `boq pull URL NAME FILE` and issue it there")
    return Project.open(source)
