"""A programme on the server opened like a `.boq` file: the same `programme`, `save()` and `close()`.

`save()` pushes what changed since it was opened, merged item by item (`estimator.server.sync`): another
engineer's changes to other items stay; the same item changed by both is refused with the conflict
listed, and nothing is written. It carries the programme only: commands that read or append tender
revisions, baselines or contract entries open the server programme through `locations.open_read` and
`locations.open_file` (a checked-out copy with its records, appended back by `estimator.server.records`).
"""

from __future__ import annotations

from estimator.errors import ProjectFileError
from estimator.messages import Message
from estimator.model import Programme
from estimator.server import ServerLocation
from estimator.server.connect import connect, redacted
from estimator.server.sync import Base, pull_state, push_programme


class ServerProject:
    def __init__(self, location: ServerLocation, readonly: bool = False) -> None:
        self.path = ServerLocation(f"{redacted(location.url)}#{location.name}")  # for messages: no password
        self._url, self._name, self._readonly = location.url, location.name, readonly
        self._conn = connect(location.url)
        try:
            state = pull_state(self._url, self._name, self._conn)
        except BaseException:
            self._conn.close()
            raise
        self.programme: Programme = state.programme
        self._base: Base = state.base()
        self._version = state.version
        self.repaired = False

    @property
    def readonly(self) -> bool:
        return self._readonly

    def save(self) -> None:
        if self._readonly:
            raise ProjectFileError(self.path, "is open read-only")
        result = push_programme(self._url, self._name, self.programme, self._base, conn=self._conn,
                                base_version=self._version)
        self.programme, self._base, self._version = result.state.programme, result.state.base(), result.state.version

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> ServerProject:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def create(location: ServerLocation, programme: Programme, overwrite: bool = False) -> None:
    """A new programme on the server (`boq new`/`demo` given URL#NAME)."""
    from estimator.server.connect import ServerError, server_errors
    from estimator.server.sync import programme_id

    with connect(location.url) as conn:
        with server_errors(Message("doing_create", where=f"{redacted(location.url)}#{location.name}")):
            exists = programme_id(conn, location.name) is not None
            conn.rollback()
        if exists and not overwrite:
            raise ServerError(f"{redacted(location.url)}#{location.name} already exists on the server; choose another "
                              "name, or push a file into it with `boq push`")
        if exists:
            state = pull_state(location.url, location.name, conn)
            push_programme(location.url, location.name, programme, state.base(), take={"*": "mine"}, conn=conn)
        else:
            push_programme(location.url, location.name, programme, None, conn=conn)
