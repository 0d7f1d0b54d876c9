"""Trust nothing in a `.boq` but its data: SQLite's defensive settings and an exact schema check.

A `.boq` arrives by e-mail. SQL inside it (triggers, views, expression defaults or indexes,
virtual tables) would run with the program's rights during reads and saves, so

- every connection is made defensive (`harden`) before any statement reads the file: no triggers,
  no views, an untrusted schema (no functions with side effects in it), shadow tables read-only,
  and every cell's size checked against its page;
- the schema is compared, object by object, with the one the program itself creates: a fresh
  in-memory database built from `SCHEMA` (so new tables and columns are covered the day they are
  added). An older file must hold a subset of it (checked before migrating) and, once migrated,
  exactly it. Column order is free (the program names every column); nothing else is.
"""

from __future__ import annotations

import json
import re
import sqlite3
from functools import lru_cache
from typing import Any

from estimator.errors import ProjectFileError

MAX_JSON_DEPTH = 8  # rates and resources are at most three levels deep
MAX_VALUE_BYTES = 1_000_000  # no text the program writes comes near (a cell holds 32,767 characters)

# one object of the schema: (type, table it belongs to, head, sorted parts, tail); parts are the
# comma-separated column and constraint definitions of a table, whitespace-normalised
Shape = tuple[str, str, str, tuple[str, ...], str]

_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|\s+|[(),]|[^'"`\[\s(),]+|.""", re.S)


def harden(conn: sqlite3.Connection) -> None:
    """SQLite's defensive settings; call before the first statement that reads the file."""
    conn.setconfig(sqlite3.SQLITE_DBCONFIG_DEFENSIVE, True)
    conn.setconfig(sqlite3.SQLITE_DBCONFIG_ENABLE_TRIGGER, False)
    conn.setconfig(sqlite3.SQLITE_DBCONFIG_ENABLE_VIEW, False)
    conn.setconfig(sqlite3.SQLITE_DBCONFIG_TRUSTED_SCHEMA, False)
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA cell_size_check = ON")


def shape(sql: str | None, kind: str, table: str) -> Shape:
    """`sql` split into head, parts between the outer parentheses (sorted) and tail."""
    if sql is None:  # an index SQLite makes for a PRIMARY KEY or UNIQUE constraint
        return (kind, table, "", (), "")
    head: list[str] = []
    parts: list[str] = []
    tail: list[str] = []
    current: list[str] = []
    depth = 0
    for token in _TOKEN.findall(sql):
        if token.isspace():
            token = " "
        if depth == 0 and not parts and token != "(":
            (tail if current or parts else head).append(token)
            continue
        if token == "(":
            depth += 1
            if depth == 1:
                continue
        elif token == ")":
            depth -= 1
            if depth == 0:
                parts.append("".join(current).strip())
                current = []
                continue
        elif token == "," and depth == 1:
            parts.append("".join(current).strip())
            current = []
            continue
        if depth == 0:
            tail.append(token)
        else:
            current.append(token)
    if kind == "table":  # the program names every column, so their order is free; an index's is not
        parts.sort()
    return (kind, table, "".join(head).strip(), tuple(parts), "".join(tail).strip())


def read_schema(conn: sqlite3.Connection) -> dict[str, Shape]:
    """Every object of the file's schema by name; also checks that no two share a root page."""
    schema: dict[str, Shape] = {}
    roots: set[int] = set()
    for kind, name, table, root, sql in conn.execute("SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema"):
        schema[str(name)] = shape(sql if sql is None else str(sql), str(kind), str(table))
        if kind in ("table", "index") and isinstance(root, int) and root > 0:
            if root in roots:
                raise ValueError(f"two objects share page {root}")
            roots.add(root)
    return schema


@lru_cache(maxsize=4)
def expected(schema_sql: str) -> dict[str, Shape]:
    """The schema the program makes, read back from a fresh in-memory database."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(schema_sql)
        return read_schema(conn)
    finally:
        conn.close()


def _what(name: str, found: Shape) -> str:
    kind = found[0]
    if kind == "table" and found[2].upper().startswith("CREATE VIRTUAL"):
        kind = "virtual table"
    return f"{kind} {name!r}"


def verify(conn: sqlite3.Connection, path: object, schema_sql: str, subset: bool = False) -> None:
    """Refuse the file unless its schema is exactly the program's (`subset`: part of it, for migrating)."""
    want = expected(schema_sql)
    try:
        have = read_schema(conn)
    except ValueError as exc:
        raise ProjectFileError(path, f"is damaged ({exc}); open a backup copy") from exc
    problem = ""
    for name, found in have.items():
        model = want.get(name)
        if model is None or model[:3] != found[:3] or model[4] != found[4]:
            problem = f"has a {_what(name, found)} that BoQ Estimator does not make" if model is None or \
                model[0] != found[0] else f"has a {_what(name, found)} defined differently from BoQ Estimator's"
            break
        extra = sorted(set(found[3]) - set(model[3]))
        missing = sorted(set(model[3]) - set(found[3]))
        if extra or (missing and not subset) or len(found[3]) != len(set(found[3])):
            what = f"unexpected {extra[0]!r}" if extra else f"missing {missing[0]!r}" if missing else "a repeated column"
            problem = f"has a {_what(name, found)} that differs from BoQ Estimator's ({what})"
            break
    else:
        if not subset:
            absent = [name for name in want if name not in have]
            if absent:
                problem = f"lacks the {want[absent[0]][0]} {absent[0]!r} of a BoQ Estimator file"
    if problem:
        raise ProjectFileError(path, f"{problem}; it was not opened, as it may have been changed by another "
                                     "program or crafted to do harm; open a backup copy, or ask the sender for the file again")


@lru_cache(maxsize=32)
def columns(schema_sql: str, table: str) -> tuple[tuple[str, str, bool], ...]:
    """(name, SQLite type the values must have, may be NULL) of each column of `table` in the program's schema."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(schema_sql)
        return tuple((str(name), str(decl).lower(), not notnull)
                     for _cid, name, decl, notnull, _default, _pk in conn.execute(f"PRAGMA table_info({table})"))
    finally:
        conn.close()


@lru_cache(maxsize=32)
def well_typed(schema_sql: str, table: str, extra: tuple[str, ...] = ()) -> str:
    """An SQL expression true for a row of `table` whose every value has its declared type (and meets `extra`).

    A TEXT column can still hold a BLOB and an INTEGER column a text or a real; a crafted file can
    even hold NULL where the schema says NOT NULL. Read as an extra column of the query that reads
    the rows, it costs little more than the read itself.
    """
    conds = [f"({name} IS NULL OR typeof({name}) = '{kind}')" if nullable else f"typeof({name}) = '{kind}'"
             for name, kind, nullable in columns(schema_sql, table)]
    return "(" + " AND ".join(conds + list(extra)) + ")"


def badly_typed(conn: sqlite3.Connection, schema_sql: str, table: str, key: str, value: object,
                extra: tuple[str, ...] = ()) -> str:
    """What is wrong with the row of `table` whose `key` is `value` (one that failed `well_typed`)."""
    cols = columns(schema_sql, table)
    found = conn.execute(f"SELECT {', '.join(f'typeof({n})' for n, _k, _x in cols)} FROM {table} WHERE {key} = ?",
                         (value,)).fetchone() or ()
    where = f"table {table}, {key} {value!r}"
    for (name, kind, nullable), got in zip(cols, found, strict=False):
        if got != kind and not (nullable and got == "null"):
            return f"{where}: column {name} holds {got} where BoQ Estimator writes {kind}"
    return f"{where}: a value is out of range ({' and '.join(extra)} does not hold)"


# an unclosed string takes the rest of the text (the optional closing quote), so the scan stays linear
_JSON_TOKENS = re.compile(r'"(?:[^"\\]++|\\.)*+"?|[\[\]{}]')


def bounded_json(data: object, table: str, code: object) -> Any:
    """The JSON in a `data` column, its nesting bounded before parsing (its size is by MAX_VALUE_BYTES)."""
    if not isinstance(data, str):
        raise ValueError(f"{table} {code!r}: its data is not text")
    if data.count("[") + data.count("{") > MAX_JSON_DEPTH:  # only long build-ups need the scan
        depth = 0
        for token in _JSON_TOKENS.findall(data):
            if token in ("[", "{"):
                depth += 1
                if depth > MAX_JSON_DEPTH:
                    raise ValueError(f"{table} {code!r}: its data is nested more than {MAX_JSON_DEPTH} levels deep")
            elif token in ("]", "}"):
                depth -= 1
    return json.loads(data)
