"""Rows of a programme as the store defines them, and a programme built back from rows.

The one place where the server code meets the `.boq` store's row mapping (`estimator.store.rows`,
by field name from the one schema definition): rows are what the store writes (same tables, columns
and order), and a programme is read back from rows by the store's own reader (through an in-memory
SQLite database), so the server applies exactly the file's checks and limits to what it loads.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from estimator.model import Programme
from estimator.schema_check import harden

Row = tuple[Any, ...]
Key = tuple[Any, ...]


def tables() -> dict[str, tuple[tuple[str, ...], int]]:
    """table -> (columns, number of key columns), as in the `.boq` file."""
    from estimator import store

    return dict(store.TABLES)


def programme_rows(programme: Programme) -> dict[str, dict[Key, Row]]:
    """Every table's rows for `programme`, keyed by their key columns (values as the file stores them)."""
    from estimator.store.rows import rows

    return rows(programme)  # numbers are Decimals: compared by their text (`digest`), sent as text (`plain`)


def plain(row: Row) -> Row:
    """A row as the file stores it: numbers as their exact text, bools as 0/1 (for sending to the server)."""
    return tuple(str(v) if v.__class__ is Decimal else int(v) if v.__class__ is bool else v for v in row)


def programme_from_rows(rows: Mapping[str, Iterable[Row]], where: str) -> Programme:
    """A programme from table rows, checked as a `.boq` file's rows are (a bad row is a ProjectFileError)."""
    from estimator import programme_limits, store

    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        harden(conn)  # the file's limits: a value over 1 MB is refused as it would be in a file
        conn.executescript(store.SCHEMA)
        conn.execute("BEGIN")
        with store._sqlite_errors(where):  # type: ignore[arg-type]  # a name for messages, not a file
            for table, (cols, _nkey) in store.TABLES.items():
                conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                                 rows.get(table, ()))
            programme = store._read(conn)
        conn.execute("COMMIT")
    except sqlite3.IntegrityError as exc:
        from estimator.errors import ProjectFileError

        raise ProjectFileError(where, f"holds rows that break the programme's structure ({exc})") from None
    finally:
        conn.close()
    programme_limits.check_loaded(programme, where)  # type: ignore[arg-type]
    return programme


def digest(row: Row | None, skip: int | None) -> str:
    """A short fingerprint of a row's content (without its position `skip`); '' for no row."""
    if row is None:
        return ""
    text = "\x1f".join("\x00" if v is None else str(v) for i, v in enumerate(row) if i != skip)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def pos_index(table: str) -> int | None:
    cols = tables()[table][0]
    return cols.index("pos") if "pos" in cols else None
