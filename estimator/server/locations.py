"""Where a programme lives: a `.boq` file, or a programme on a shared server (`postgresql://host/db#NAME`).

The one place the command line (and anything else) opens what the user named: every command that takes
FILE takes a server programme too, including those that read or append frozen records (tender
revisions, baselines, contract entries: `open_read`, `open_file`). The server code (and psycopg) is
imported only when one is named.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
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
    """Open a programme read-only with its frozen records (export, bids, tender list/diff, variance, contracts).

    A server programme is checked out with its revisions and contract entries to a private temporary
    file (removed when the program ends), so every reader works on it as on a file.
    """
    from estimator.store import Project

    if (loc := _server(source)) is None:
        return Project.open(source, readonly=True)
    import atexit
    import shutil

    path = _checkout(loc)
    atexit.register(shutil.rmtree, path.parent, True)
    return Project.open(path, readonly=True)


def _checkout(loc: ServerLocation) -> Path:
    """The server programme and its records in a new private temporary `.boq`."""
    import re
    import tempfile

    from estimator.server.sync import pull_to_file

    folder = Path(tempfile.mkdtemp(prefix="boq-server-"))
    path = folder / (re.sub(r"[^A-Za-z0-9._ -]+", "_", loc.name)[:80].strip() or "programme")
    path = path.with_name(path.name + ".boq")
    try:
        pull_to_file(loc.url, loc.name, path)
    except BaseException:
        import shutil

        shutil.rmtree(folder, True)
        raise
    return path


class RecordsCheckout:
    """A server programme opened to append frozen records: a private checked-out copy while the command works
    on it as on a file; on success the records it added are appended to the server in one transaction
    (refused, with nothing written, if someone appended the same revision name or entry meanwhile); on
    failure nothing is. The programme's own rows are not sent: these commands do not change them."""

    def __init__(self, loc: ServerLocation) -> None:
        from estimator.store import Project

        self.location = loc
        self.path = _checkout(loc)
        try:
            self.project = Project.open(self.path)
        except BaseException:
            self._remove()
            raise

    def __enter__(self) -> Project:
        return self.project

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        from estimator.server.records import exchange, lot_names

        try:
            if kind is None:
                exchange(self.project.connection, self.location.url, self.location.name, pull=False,
                         lots=lot_names(self.project.programme))
        finally:
            self.project.close()
            self._remove()

    def _remove(self) -> None:
        import shutil

        shutil.rmtree(self.path.parent, True)


def open_file(source: Path | str, what: str) -> AbstractContextManager[Project]:
    """Open a programme to append frozen records to (`what`: "a tender revision", "a contract", ...): a `.boq`
    file locked, or a server programme through a checked-out copy (`RecordsCheckout`)."""
    from estimator.store import Project

    if (loc := _server(source)) is not None:
        return RecordsCheckout(loc)
    return Project.open(source)
