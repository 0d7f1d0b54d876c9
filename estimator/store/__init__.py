"""The `.boq` project file: one SQLite database per programme, small enough to e-mail.

- `schema`: the tables and columns, defined once and backend-neutral; the SQLite DDL, the
  migrations from older formats and the column lists are generated from it (`ddl("sqlite")`).
- `rows`: the programme as table rows and back, column by column by name.
- `delta`: what a save writes: the rows an edit touched (`estimator.edits.Change`) or, as the safe
  fallback, every row that differs from what the file holds.
- `project`: `Project`, an open file with its lock (each save one transaction, writing only changed rows),
  `write_new` (a whole new file, atomically) and `load` (read-only, no lock).
"""

from __future__ import annotations

from estimator.store.project import (
    COMPANIONS,
    SQLITE_MAGIC,
    Project,
    _connect,
    _sqlite_errors,
    load,
    write_new,
)
from estimator.store.rows import read as _read
from estimator.store.rows import rows as _rows
from estimator.store.schema import (
    APPLICATION_ID,
    DEFINITION,
    MIGRATIONS,
    REVISION_SCHEMA,
    REVISION_TABLES,
    SCHEMA,
    SCHEMA_VERSION,
    TABLES,
    ddl,
)

__all__ = [
    "APPLICATION_ID", "COMPANIONS", "DEFINITION", "MIGRATIONS", "REVISION_SCHEMA", "REVISION_TABLES", "SCHEMA",
    "SCHEMA_VERSION", "SQLITE_MAGIC", "TABLES", "Project", "_connect", "_read", "_rows", "_sqlite_errors", "ddl",
    "load", "write_new",
]
