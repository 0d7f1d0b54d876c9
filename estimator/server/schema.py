"""The server's schema, generated from the `.boq` file's schema, and its roles and row-level security.

One schema definition: the tables, columns, types, defaults and keys of a programme are those of
`estimator.store.schema.DEFINITION`, written out in its PostgreSQL dialect here, so a column added to
the `.boq` format is a column on the server, and `boq server init` adds it to an older server (each
column carries the format that added it). Each table gains
`programme_id` (many programmes share a database), `version` (the programme's change counter when the
row was last written), `changed_by` and `changed_at`. Numbers stay exact text, as in the file.

Every write goes through `boq.begin_change(programme)`: it bumps the programme's version (which
serialises writers of one programme), stamps each written row with it (a trigger refuses a write
that did not call it), keeps a tombstone of each deleted row, and notifies listeners on commit.

Frozen records (the file's append-only tables, `REVISION_TABLES`: `revisions`, `snapshots`,
`contract_log`, `contract_lines`) are generated from the same definition, with `programme_id`,
`created_by` (the login, set by the server) and `created_at` instead of a version. They are append-only
on the server: no role is granted UPDATE or DELETE, and a trigger refuses both even to the owner (a
whole programme's deletion cascades). `estimator.server.records` moves them between a file and the
server; an insert announces itself on `boq_changes` (with `"records": true`), so open windows sync.

Roles (cluster-wide, created by `boq server init`), enforced by GRANTs and row-level security on the
server, not by the client (a viewer's write is refused by PostgreSQL):
- `boq_estimator` edits programmes and the rate library, freezes estimate baselines (revisions of kind
  `baseline`) and records contract entries (measurements and certificates are site engineers' work);
- `boq_procurement` reads programmes, issues tender revisions (kind `tender`) and records contract
  entries (award, variations, measurements, certificates);
- `boq_viewer` (managers) reads everything and writes nothing.
Snapshots (the revisions' content) may be inserted by both writers of revisions. A facility locked by
one estimator (`boq.facility_locks`) cannot be written by another (a row-level security policy).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from estimator.store.schema import Column, Table

# 1: programmes, rate library; 2: the frozen records (revisions, snapshots, contracts)
SERVER_SCHEMA_VERSION = 2
ROLES = {"estimator": "boq_estimator", "procurement": "boq_procurement", "viewer": "boq_viewer"}
READERS = ", ".join(ROLES.values())
# revisions.kind -> the role that may insert it (`estimator.revisions.TENDER`, `BASELINE`)
REVISION_WRITERS = {"tender": "boq_procurement", "baseline": "boq_estimator"}
RECORD_WRITERS = "boq_procurement, boq_estimator"  # snapshots and contract entries


def programme_tables() -> tuple[Table, ...]:
    """The programme's tables as the `.boq` schema defines them (the revision tables stay in files)."""
    from estimator.store.schema import DEFINITION

    return tuple(t for t in DEFINITION if t.saved)


def record_tables() -> tuple[Table, ...]:
    """The append-only tables of frozen revisions and contracts, as the `.boq` schema defines them."""
    from estimator.store.schema import DEFINITION

    return tuple(t for t in DEFINITION if not t.saved)


def file_format() -> int:
    from estimator.store.schema import SCHEMA_VERSION

    return SCHEMA_VERSION


def references(t: Table) -> list[tuple[str, str, str]]:
    """(column, parent table, parent column) of each reference in the definition."""
    out = []
    for c in t.columns:
        if c.references:
            parent, _, rest = c.references.partition("(")
            out.append((c.name, parent.strip(), rest.rstrip(")").strip()))
    return out


def _column_ddl(c: Column) -> str:
    """The column in PostgreSQL: the definition's type and default (references are per programme, below)."""
    from dataclasses import replace

    return replace(c, references="").sql("postgresql")


def table_ddl(t: Table) -> list[str]:
    cols = ["programme_id bigint NOT NULL REFERENCES boq.programmes(id) ON DELETE CASCADE"]
    cols += [_column_ddl(c) for c in t.columns]
    cols += ["version bigint NOT NULL", "changed_by text NOT NULL DEFAULT current_user",
             "changed_at timestamptz NOT NULL DEFAULT now()",
             f"PRIMARY KEY (programme_id, {', '.join(t.key)})"]
    cols += [f"FOREIGN KEY (programme_id, {col}) REFERENCES boq.{parent} (programme_id, {pcol}) "
             "ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED" for col, parent, pcol in references(t)]
    keys = ", ".join(f"'{k}'" for k in t.key)
    return [
        f"CREATE TABLE boq.{t.name} ({', '.join(cols)})",
        f"CREATE INDEX ON boq.{t.name} (programme_id, version)",
        f"CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON boq.{t.name} FOR EACH ROW EXECUTE FUNCTION boq.stamp()",
        f"CREATE TRIGGER tombstone AFTER DELETE ON boq.{t.name} FOR EACH ROW EXECUTE FUNCTION boq.tombstone({keys})",
        *_security(t),
    ]


def record_ddl(t: Table, version: int) -> list[str]:
    """An append-only table as format `version` has it, with its triggers and security."""
    cols = ["programme_id bigint NOT NULL REFERENCES boq.programmes(id) ON DELETE CASCADE"]
    cols += [_column_ddl(c) for c in t.columns if c.since <= version]
    cols += ["created_by text NOT NULL DEFAULT session_user", "created_at timestamptz NOT NULL DEFAULT now()",
             f"PRIMARY KEY (programme_id, {', '.join(t.key)})"]
    cols += [f"FOREIGN KEY (programme_id, {col}) REFERENCES boq.{parent} (programme_id, {pcol}) "
             "ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED" for col, parent, pcol in references(t)]
    out = [
        f"CREATE TABLE boq.{t.name} ({', '.join(cols)})",
        f"CREATE TRIGGER stamp BEFORE INSERT ON boq.{t.name} FOR EACH ROW EXECUTE FUNCTION boq.record_stamp()",
        f"CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON boq.{t.name} FOR EACH ROW "
        "EXECUTE FUNCTION boq.append_only()",
        f"CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON boq.{t.name} FOR EACH STATEMENT "
        "EXECUTE FUNCTION boq.append_only()",
        f"ALTER TABLE boq.{t.name} ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY read ON boq.{t.name} FOR SELECT TO {READERS} USING (true)",
        f"GRANT SELECT ON boq.{t.name} TO {READERS}",
        f"GRANT INSERT ON boq.{t.name} TO {RECORD_WRITERS}",
    ]
    if t.name == "revisions":  # a name is issued once per kind, whatever its case (as `revisions.clean_name`)
        out.append("CREATE UNIQUE INDEX revisions_name ON boq.revisions (programme_id, kind, lower(name))")
        out += [f"CREATE POLICY issue_{kind} ON boq.revisions FOR INSERT TO {role} WITH CHECK (kind = '{kind}')"
                for kind, role in REVISION_WRITERS.items()]
    else:
        out.append(f"CREATE POLICY record ON boq.{t.name} FOR INSERT TO {RECORD_WRITERS} WITH CHECK (true)")
    if t.name in ("revisions", "contract_log"):  # open windows hear of a new revision or contract entry
        out.append(f"CREATE TRIGGER announce AFTER INSERT ON boq.{t.name} REFERENCING NEW TABLE AS added "
                   "FOR EACH STATEMENT EXECUTE FUNCTION boq.announce_records()")
    return out


RECORD_SQL = [
    """CREATE FUNCTION boq.record_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.created_by := session_user;  -- the account that logged in, whatever the client says
            NEW.created_at := now();
            RETURN NEW;
        END $$""",
    """CREATE FUNCTION boq.append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM boq.programmes WHERE id = OLD.programme_id) THEN
                RETURN OLD;  -- the whole programme is being deleted (cascade)
            END IF;
            RAISE EXCEPTION 'boq.%: issued revisions and recorded contract entries are never changed or deleted',
                TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
        END $$""",
    """CREATE FUNCTION boq.announce_records() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE r record;
        BEGIN
            FOR r IN SELECT DISTINCT a.programme_id AS pid, p.version FROM added a
                     JOIN boq.programmes p ON p.id = a.programme_id LOOP
                PERFORM pg_notify('boq_changes', json_build_object('programme', r.pid, 'version', r.version,
                                  'by', session_user, 'records', true)::text);
            END LOOP;
            RETURN NULL;
        END $$""",
]


def _unlocked(t: Table) -> str:
    """The row-level security condition: the row's facility is not locked by someone else."""
    other = "l.locked_by <> current_user"
    if t.name == "facilities":
        return (f"NOT EXISTS (SELECT 1 FROM boq.facility_locks l WHERE l.programme_id = facilities.programme_id "
                f"AND l.facility_uid = facilities.uid AND {other})")
    if t.name == "bills":
        return (f"NOT EXISTS (SELECT 1 FROM boq.facility_locks l WHERE l.programme_id = bills.programme_id "
                f"AND l.facility_uid = bills.facility_uid AND {other})")
    if t.name == "items":
        return ("NOT EXISTS (SELECT 1 FROM boq.facility_locks l JOIN boq.bills b ON b.programme_id = l.programme_id "
                "AND b.facility_uid = l.facility_uid WHERE b.programme_id = items.programme_id AND b.uid = items.bill_uid "
                f"AND {other})")
    return "true"


def _security(t: Table) -> list[str]:
    cond = _unlocked(t)
    return [
        f"ALTER TABLE boq.{t.name} ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY read ON boq.{t.name} FOR SELECT TO {READERS} USING (true)",
        f"CREATE POLICY write ON boq.{t.name} FOR ALL TO boq_estimator USING ({cond}) WITH CHECK ({cond})",
        f"GRANT SELECT ON boq.{t.name} TO {READERS}",
        f"GRANT INSERT, UPDATE, DELETE ON boq.{t.name} TO boq_estimator",
    ]


ROLES_SQL = [
    f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role} NOLOGIN; "
    "END IF; END $$"
    for role in ROLES.values()
]

BASE_SQL = [
    "CREATE SCHEMA boq",
    "REVOKE ALL ON SCHEMA boq FROM PUBLIC",
    f"GRANT USAGE ON SCHEMA boq TO {READERS}",
    "CREATE TABLE boq.server_info (key text PRIMARY KEY, value text NOT NULL)",
    f"GRANT SELECT ON boq.server_info TO {READERS}",
    """CREATE TABLE boq.programmes (id bigserial PRIMARY KEY, name text NOT NULL UNIQUE,
        version bigint NOT NULL DEFAULT 0, created_by text NOT NULL DEFAULT current_user,
        created_at timestamptz NOT NULL DEFAULT now(), CHECK (name <> '' AND length(name) <= 200))""",
    """CREATE TABLE boq.deleted (programme_id bigint NOT NULL REFERENCES boq.programmes(id) ON DELETE CASCADE,
        tbl text NOT NULL, key jsonb NOT NULL, version bigint NOT NULL,
        changed_by text NOT NULL DEFAULT current_user, changed_at timestamptz NOT NULL DEFAULT now())""",
    "CREATE INDEX ON boq.deleted (programme_id, version)",
    """CREATE TABLE boq.facility_locks (programme_id bigint NOT NULL REFERENCES boq.programmes(id) ON DELETE CASCADE,
        facility_uid text NOT NULL, locked_by text NOT NULL DEFAULT current_user,
        locked_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (programme_id, facility_uid))""",
    # the shared rate library: one row per CSV row (file, key), with its history
    """CREATE TABLE boq.library (file text NOT NULL, key text NOT NULL, data jsonb NOT NULL, pos bigint NOT NULL,
        changed_by text NOT NULL DEFAULT current_user, changed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (file, key))""",
    """CREATE TABLE boq.library_history (id bigserial PRIMARY KEY, file text NOT NULL, key text NOT NULL,
        action text NOT NULL, old jsonb, new jsonb, changed_by text NOT NULL, changed_at timestamptz NOT NULL)""",
    # Each write to a programme calls this first: the version bump locks the programme row, so writers of
    # one programme are serialised; the triggers stamp rows with the version; listeners hear on commit.
    """CREATE FUNCTION boq.begin_change(pid bigint) RETURNS bigint LANGUAGE plpgsql AS $$
        DECLARE v bigint;
        BEGIN
            UPDATE boq.programmes SET version = version + 1 WHERE id = pid RETURNING version INTO v;
            IF v IS NULL THEN RAISE EXCEPTION 'programme % does not exist', pid USING ERRCODE = 'no_data_found'; END IF;
            PERFORM set_config('boq.version', v::text, true), set_config('boq.programme', pid::text, true);
            PERFORM pg_notify('boq_changes', json_build_object('programme', pid, 'version', v, 'by', current_user)::text);
            RETURN v;
        END $$""",
    """CREATE FUNCTION boq.stamp() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF coalesce(current_setting('boq.programme', true), '') <> NEW.programme_id::text THEN
                RAISE EXCEPTION 'a write to programme % without boq.begin_change()', NEW.programme_id
                    USING ERRCODE = 'object_not_in_prerequisite_state';
            END IF;
            NEW.version := current_setting('boq.version')::bigint;
            NEW.changed_by := current_user;
            NEW.changed_at := now();
            RETURN NEW;
        END $$""",
    """CREATE FUNCTION boq.tombstone() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
        DECLARE k jsonb := '[]'; i int;
        BEGIN
            IF coalesce(current_setting('boq.programme', true), '') <> OLD.programme_id::text THEN
                RETURN OLD;  -- the whole programme is being deleted (cascade)
            END IF;
            FOR i IN 0 .. TG_NARGS - 1 LOOP k := k || jsonb_build_array(to_jsonb(OLD) -> TG_ARGV[i]); END LOOP;
            INSERT INTO boq.deleted (programme_id, tbl, key, version, changed_by)
                VALUES (OLD.programme_id, TG_TABLE_NAME, k, current_setting('boq.version')::bigint, session_user);
            RETURN OLD;
        END $$""",
    """CREATE FUNCTION boq.library_log() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                INSERT INTO boq.library_history (file, key, action, old, new, changed_by, changed_at)
                    VALUES (OLD.file, OLD.key, 'deleted', OLD.data, NULL, session_user, now());
                RETURN OLD;
            END IF;
            NEW.changed_by := session_user;  -- the account that logged in (this function runs as its owner)
            NEW.changed_at := now();
            IF TG_OP = 'UPDATE' AND NEW.data IS NOT DISTINCT FROM OLD.data THEN RETURN NEW; END IF;
            INSERT INTO boq.library_history (file, key, action, old, new, changed_by, changed_at)
                VALUES (NEW.file, NEW.key, CASE TG_OP WHEN 'INSERT' THEN 'added' ELSE 'changed' END,
                        CASE TG_OP WHEN 'UPDATE' THEN OLD.data END, NEW.data, session_user, now());
            RETURN NEW;
        END $$""",
    "CREATE TRIGGER log BEFORE INSERT OR UPDATE OR DELETE ON boq.library FOR EACH ROW EXECUTE FUNCTION boq.library_log()",
    # roles and row-level security of the tables that are not a programme's rows
    "ALTER TABLE boq.programmes ENABLE ROW LEVEL SECURITY",
    f"CREATE POLICY read ON boq.programmes FOR SELECT TO {READERS} USING (true)",
    "CREATE POLICY write ON boq.programmes FOR ALL TO boq_estimator USING (true) WITH CHECK (true)",
    f"GRANT SELECT ON boq.programmes, boq.deleted, boq.facility_locks, boq.library, boq.library_history TO {READERS}",
    "GRANT INSERT, UPDATE ON boq.programmes TO boq_estimator",
    "GRANT USAGE ON SEQUENCE boq.programmes_id_seq TO boq_estimator",
    "ALTER TABLE boq.facility_locks ENABLE ROW LEVEL SECURITY",
    f"CREATE POLICY read ON boq.facility_locks FOR SELECT TO {READERS} USING (true)",
    "CREATE POLICY take ON boq.facility_locks FOR INSERT TO boq_estimator WITH CHECK (locked_by = current_user)",
    "CREATE POLICY release ON boq.facility_locks FOR DELETE TO boq_estimator USING (locked_by = current_user)",
    "GRANT INSERT, DELETE ON boq.facility_locks TO boq_estimator",
    "ALTER TABLE boq.library ENABLE ROW LEVEL SECURITY",
    f"CREATE POLICY read ON boq.library FOR SELECT TO {READERS} USING (true)",
    "CREATE POLICY write ON boq.library FOR ALL TO boq_estimator USING (true) WITH CHECK (true)",
    "GRANT INSERT, UPDATE, DELETE ON boq.library TO boq_estimator",
    "ALTER TABLE boq.deleted ENABLE ROW LEVEL SECURITY",
    f"CREATE POLICY read ON boq.deleted FOR SELECT TO {READERS} USING (true)",
    "ALTER TABLE boq.library_history ENABLE ROW LEVEL SECURITY",
    f"CREATE POLICY read ON boq.library_history FOR SELECT TO {READERS} USING (true)",
    "REVOKE ALL ON FUNCTION boq.begin_change(bigint), boq.tombstone(), boq.library_log() FROM PUBLIC",
    f"GRANT EXECUTE ON FUNCTION boq.begin_change(bigint) TO {READERS}",
]


def create_statements() -> list[str]:
    """Everything `boq server init` runs on an empty database, in order."""
    statements = [*BASE_SQL, *RECORD_SQL]
    for t in programme_tables():
        statements += table_ddl(t)
    for t in record_tables():
        statements += record_ddl(t, file_format())
    statements.append(f"INSERT INTO boq.server_info VALUES ('server_schema', '{SERVER_SCHEMA_VERSION}'), "
                      f"('file_format', '{file_format()}')")
    return statements


def upgrade_statements(from_format: int, from_schema: int = SERVER_SCHEMA_VERSION) -> list[str]:
    """What takes a server of file format `from_format` and server schema `from_schema` to today's: the
    server's own steps (schema 2 adds the record tables as that format has them), then the store's
    migrations for every server table (the columns and tables each format added)."""
    statements = []
    if from_schema < 2:
        statements += RECORD_SQL
        for t in record_tables():
            if t.since <= from_format:
                statements += record_ddl(t, from_format)
    for step in range(from_format, file_format()):
        new = step + 1
        for t in programme_tables():
            if t.since == new:
                statements += table_ddl(t)
            elif t.since < new:
                statements += [f"ALTER TABLE boq.{t.name} ADD COLUMN {_column_ddl(c)}" for c in t.columns if c.since == new]
        for t in record_tables():
            if t.since == new:
                statements += record_ddl(t, new)
            elif t.since < new:
                statements += [f"ALTER TABLE boq.{t.name} ADD COLUMN {_column_ddl(c)}" for c in t.columns if c.since == new]
    statements.append(f"UPDATE boq.server_info SET value = '{file_format()}' WHERE key = 'file_format'")
    statements.append(f"INSERT INTO boq.server_info VALUES ('server_schema', '{SERVER_SCHEMA_VERSION}') "
                      "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value")
    return statements
