"""The `.boq` schema, defined once: tables and columns (type, default, key, since which format).

Everything else is generated from `DEFINITION`: the SQLite DDL (`SCHEMA`, `ddl("sqlite")`), the
DDL of any older format (`ddl("sqlite", version=3)`, for tests of migration), the migrations
(`MIGRATIONS`: a format adds columns and tables, each marked with the format that added it), the
column lists the store reads and writes (`TABLES`) and the schema check's expected shape
(`estimator.schema_check` builds an in-memory database from `SCHEMA`).

Types are backend-neutral (`Text`, `Integer`, `Decimal` stored as its exact text, `Json`, `Blob`);
`DIALECTS` maps them to a database's names, so another backend (PostgreSQL) generates its DDL from
the same definition with `ddl("postgresql")`. Column order in SQL is free: the program names every
column it reads or writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from estimator.store.contract_tables import CONTRACT_TABLES, SINCE

APPLICATION_ID = 0x424F5145  # "BOQE"
SCHEMA_VERSION = 7
TEXT, INTEGER, DECIMAL, JSON, BLOB = "text", "integer", "decimal", "json", "blob"

# backend-neutral type -> the dialect's column type
DIALECTS: dict[str, dict[str, str]] = {
    # SQLite: a Decimal is its exact `str()` text (`money.from_stored` reads it back), JSON is text
    "sqlite": {TEXT: "TEXT", INTEGER: "INTEGER", DECIMAL: "TEXT", JSON: "TEXT", BLOB: "BLOB"},
    # PostgreSQL: the same texts (a NUMERIC would lose `1.50` vs `1.5`, which the file keeps)
    "postgresql": {TEXT: "TEXT", INTEGER: "BIGINT", DECIMAL: "TEXT", JSON: "TEXT", BLOB: "BYTEA"},
}


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str = TEXT  # one of TEXT, INTEGER, DECIMAL, JSON, BLOB
    null: bool = False  # may hold NULL (an optional value)
    default: str | int | None = None  # the value of rows written before the column existed
    references: str = ""  # "table(column)": the parent row must exist
    since: int = 1  # the file format that added the column

    def sql(self, dialect: str, key: bool = False) -> str:
        """`name TYPE [PRIMARY KEY] [NOT NULL] [REFERENCES ..] [DEFAULT ..]` in `dialect`."""
        parts = [self.name, DIALECTS[dialect][self.type]]
        if key:
            parts.append("PRIMARY KEY")
        elif not self.null:
            parts.append("NOT NULL")
        if self.references:
            parts.append(f"REFERENCES {self.references}")
        if self.default is not None:
            parts.append("DEFAULT " + (repr(self.default) if isinstance(self.default, str) else str(self.default)))
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # the primary key, its columns first in `columns`
    saved: bool = True  # rewritten by `Project.save` (False: append-only, owned by `estimator.revisions`)
    since: int = 1

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def sql(self, dialect: str, version: int = SCHEMA_VERSION) -> str:
        """`CREATE TABLE` of the table as format `version` has it."""
        single = self.key[0] if len(self.key) == 1 else ""
        parts = [c.sql(dialect, key=c.name == single) for c in self.columns if c.since <= version]
        if not single:
            parts.append(f"PRIMARY KEY ({', '.join(self.key)})")
        return f"CREATE TABLE {self.name} ({', '.join(parts)})"


def _text(name: str, since: int = 1) -> Column:
    """An optional text: empty when not given."""
    return Column(name, TEXT, default="", since=since)


DEFINITION: tuple[Table, ...] = (
    Table("meta", (Column("key"), Column("value")), ("key",)),
    Table("fx", (Column("currency"), Column("date"), Column("rate")), ("currency", "date")),
    Table("facilities", (
        Column("uid"), Column("pos", INTEGER), Column("name"),
        _text("governorate"), _text("district", since=2), _text("facility_type"),
        Column("floor_area", DECIMAL, null=True), Column("beds", INTEGER, null=True, since=2),
        _text("notes"), _text("name_ar", since=3),
    ), ("uid",)),
    Table("bills", (
        Column("uid"), Column("facility_uid", references="facilities(uid)"), Column("pos", INTEGER),
        Column("name"), _text("name_ar"),
    ), ("uid",)),
    Table("items", (
        Column("uid"), Column("bill_uid", references="bills(uid)"), Column("pos", INTEGER),
        _text("ref"), Column("description"), _text("description_ar"),
        Column("quantity", DECIMAL), Column("unit"), _text("rate_code"), Column("rate", DECIMAL, null=True),
        _text("rate_currency"), _text("rate_unit"), Column("provisional", INTEGER, default=0),
        _text("notes", since=2),
        _text("measurement", since=4),  # a quantity typed as arithmetic (`2*(4.5+3.2)`), as typed
        _text("kind", since=6),  # provisional sum, prime cost sum, daywork (`Item.kind`)
    ), ("uid",)),
    Table("resources", (Column("code"), Column("data", JSON)), ("code",)),
    Table("rates", (Column("code"), Column("data", JSON)), ("code",)),
    # Frozen revisions (tender revisions and estimate baselines; `estimator.revisions`), format 5.
    # Append-only: a revision row is inserted once and never updated or deleted; `snapshots` holds
    # zlib-compressed canonical JSON, one blob per facility, settings and rate book, keyed by the
    # SHA-256 of its text, so revisions share what did not change. `Project.save()` never touches
    # them, and opening a file does not read them (they are loaded when asked for).
    Table("revisions", (
        Column("kind"), Column("name"), Column("seq", INTEGER), Column("date"), Column("created"),
        Column("manifest", JSON), Column("fingerprint"), Column("items", INTEGER), Column("total", DECIMAL),
        Column("currency"),
    ), ("kind", "name"), saved=False, since=5),
    Table("snapshots", (Column("hash"), Column("data", BLOB)), ("hash",), saved=False, since=5),
    # Contracts after award (format 7, append-only like the revisions; `store/contract_tables.py`)
    *(Table(name, tuple(Column(c, t, references=r) for c, t, r in columns), key, saved=False, since=SINCE)
      for name, columns, key in CONTRACT_TABLES),
)
BY_NAME = {t.name: t for t in DEFINITION}

# value checks beyond the declared types (in SQL for the small tables; items in `rows.read`)
EXTRA_CHECKS: dict[str, tuple[str, ...]] = {
    "items": ("provisional IN (0, 1)",),
    "facilities": ("(beds IS NULL OR beds >= 0)",),
}


def ddl(dialect: str = "sqlite", version: int = SCHEMA_VERSION, saved: bool | None = None) -> str:
    """The `CREATE TABLE` statements of format `version` (`saved`: only the tables `save` writes, or only the others)."""
    return "".join(f"{t.sql(dialect, version)};\n" for t in DEFINITION
                   if t.since <= version and (saved is None or t.saved == saved))


def migration(step: int, dialect: str = "sqlite") -> list[str]:
    """The statements that take a file of format `step` to format `step + 1`."""
    new = step + 1
    sql = [t.sql(dialect, new) for t in DEFINITION if t.since == new]
    sql += [f"ALTER TABLE {t.name} ADD COLUMN {c.sql(dialect)}" for t in DEFINITION if t.since < new
            for c in t.columns if c.since == new]
    return sql


# table -> (columns, number of leading key columns), for the tables `Project.save` writes
TABLES: dict[str, tuple[tuple[str, ...], int]] = {t.name: (t.names, len(t.key)) for t in DEFINITION if t.saved}
REVISION_TABLES = tuple(t.name for t in DEFINITION if not t.saved)
REVISION_SCHEMA = ddl(saved=False)
SCHEMA = ddl(saved=True) + REVISION_SCHEMA
# Migrations from format N to N+1. Format 1 (0.1.0 previews) had no district, beds or item notes;
# 2 no Arabic facility names; 3 no measurement; 4 no revisions; 5 no item kind; 6 no contracts.
MIGRATIONS: dict[int, list[str]] = {step: migration(step) for step in range(1, SCHEMA_VERSION)}
