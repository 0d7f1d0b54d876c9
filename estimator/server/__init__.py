"""A shared PostgreSQL server for programmes and the rate library (`boq server`, `push`, `pull`).

The `.boq` file stays the offline default. A team adds one PostgreSQL database: programmes are
pushed to it and pulled from it item by item (`estimator.server.sync`), edited live from the window
by change (`estimator.server.livecopy`: rows sent and fetched by version, `changes`; others' rows as
the window's edits, `incoming`; `estimator.server.live` for scripts), and the shared rate library lives
there with its history (`estimator.server.library`). Tender revisions, baselines and contract entries
are appended to it and copied from it (`estimator.server.records`). Roles and row-level security are the
server's (`estimator.server.schema`).

This module is imported by the command line's parser, so it uses only the standard library:
psycopg is imported when a server is actually used.
"""

from __future__ import annotations

import argparse
from pathlib import Path

SCHEMES = ("postgresql://", "postgres://")


def is_server(text: object) -> bool:
    """True for a server address (`postgresql://...`), False for a file name."""
    return isinstance(text, str) and text.lower().startswith(SCHEMES)


class ServerLocation(str):
    """`postgresql://user@host/db#NAME`: the programme NAME on a server (a `str`, so it prints as typed)."""

    __slots__ = ()

    @property
    def url(self) -> str:
        return self.partition("#")[0]

    @property
    def name(self) -> str:
        return self.partition("#")[2]


def location(text: str) -> Path | ServerLocation:
    """argparse type of every FILE argument: a .boq path, or a programme on a server (`URL#NAME`)."""
    if not is_server(text):
        return Path(text)
    loc = ServerLocation(text)
    if not loc.name:
        raise argparse.ArgumentTypeError(
            f"{text!r} names a server but no programme; add #NAME (e.g. postgresql://host/boq#idlib-2024)")
    return loc


def server_url(text: str) -> str:
    """argparse type of a URL argument: a server address without a programme name."""
    if not is_server(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a server address; write postgresql://USER@HOST/DATABASE")
    if "#" in text:
        raise argparse.ArgumentTypeError(f"{text!r}: give the programme name separately, not after #")
    return text
