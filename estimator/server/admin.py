"""`boq server init` (schema, roles, security; upgrades an older server schema), `list`, `grant`, `password`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from estimator.messages import Message
from estimator.server import schema
from estimator.server.connect import ServerError, connect, redacted, server_errors


def init(url: str) -> str:
    """Create (or upgrade) the schema on the database at `url`; what was done, for the user."""
    from psycopg import errors

    with connect(url) as conn, server_errors(Message("doing_init", url=redacted(url))):
        exists = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = 'boq'").fetchone()
        try:
            if exists:
                info = dict(conn.execute("SELECT key, value FROM boq.server_info").fetchall())
                have = int(info.get("file_format", "0"))
                have_schema = int(info.get("server_schema", "1"))
                if have > schema.file_format() or have_schema > schema.SERVER_SCHEMA_VERSION:
                    raise ServerError(f"{redacted(url)} was set up by a newer BoQ Estimator (format {have}, server "
                                      f"schema {have_schema}; this version knows {schema.file_format()} and "
                                      f"{schema.SERVER_SCHEMA_VERSION}); update the program")
                if have == schema.file_format() and have_schema == schema.SERVER_SCHEMA_VERSION:
                    conn.rollback()
                    return f"{redacted(url)} is already set up (format {have}); nothing to do"
                for statement in schema.upgrade_statements(have, have_schema):
                    conn.execute(statement)  # generated from our own definitions, no user text
                conn.commit()
                return (f"{redacted(url)}: upgraded the server's tables from format {have} (server schema "
                        f"{have_schema}) to {schema.file_format()} (server schema {schema.SERVER_SCHEMA_VERSION})")
            for statement in [*schema.ROLES_SQL, *schema.create_statements()]:
                conn.execute(statement)
            conn.commit()
        except errors.InsufficientPrivilege as exc:
            conn.rollback()
            raise ServerError(f"{redacted(url)}: setting up needs an account that may create schemas and roles "
                              f"(the database owner with CREATEROLE, or a superuser): {str(exc).splitlines()[0]}") from None
    roles = ", ".join(schema.ROLES.values())
    return (f"{redacted(url)}: created the BoQ Estimator schema (format {schema.file_format()}) and the roles {roles}; "
            "give each engineer one: `boq server grant URL USER estimator|procurement|viewer`")


def grant(url: str, user: str, role: str, create: bool = False) -> str:
    """Give `user` one of the roles (revoking the others); `create` makes the login role first."""
    from psycopg import sql

    if role not in schema.ROLES:
        raise ServerError(f"role {role!r}: choose estimator, procurement or viewer")
    with connect(url) as conn, server_errors(Message("doing_grant", role=role, user=user)):
        if create and not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (user,)).fetchone():
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(user)))
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (user,)).fetchone():
            raise ServerError(f"no account {user!r} on the server; create it (createuser, or --create)")
        for other in schema.ROLES.values():
            conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(other), sql.Identifier(user)))
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(schema.ROLES[role]), sql.Identifier(user)))
        conn.commit()
    return f"{user} is now {role} ({schema.ROLES[role]})"


@dataclass(frozen=True, slots=True)
class Listed:
    name: str
    version: int
    items: int
    created_by: str
    changed: Any


def programmes(url: str) -> list[Listed]:
    with connect(url) as conn, server_errors(Message("doing_list", url=redacted(url))):
        rows = conn.execute(
            "SELECT p.name, p.version, (SELECT count(*) FROM boq.items i WHERE i.programme_id = p.id), p.created_by,"
            " greatest(p.created_at, (SELECT max(changed_at) FROM boq.items i WHERE i.programme_id = p.id))"
            " FROM boq.programmes p ORDER BY p.name").fetchall()
    return [Listed(str(n), int(v), int(c), str(b), t) for n, v, c, b, t in rows]
