"""Connecting to the server: the URL, the password from the OS keyring, errors as messages.

The password is never stored in plain text by this program: it comes from the URL as typed (not
recommended), libpq's own sources (PGPASSWORD, ~/.pgpass), or the OS keyring, where
`boq server password URL` (or the window's prompt) puts it under the service name `boq-estimator`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from estimator.errors import UserError
from estimator.messages import Message

if TYPE_CHECKING:
    import psycopg

KEYRING_SERVICE = "boq-estimator"
CONNECT_TIMEOUT = 10  # seconds; a server that does not answer is reported, not waited for
STATEMENT_TIMEOUT_MS = 120_000  # no statement of ours runs that long; a stuck one is cancelled


class ServerError(UserError):
    """The server refused or failed; the message says what to do."""


class PermissionRefused(ServerError):
    """The server's roles or row-level security refused a write."""


def keyring_user(url: str) -> str:
    """The keyring entry for `url`: user@host:port/database (one password per server account)."""
    parts = urlsplit(url)
    user = parts.username or ""
    host = parts.hostname or "localhost"
    port = parts.port or 5432
    return f"{user}@{host}:{port}{parts.path or '/'}"


def keyring_password(url: str) -> str | None:
    """The stored password for `url`, or None (no keyring on this machine counts as none)."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:  # pragma: no cover - keyring is a dependency; a stripped install still connects
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, keyring_user(url))
    except KeyringError:
        return None


def store_password(url: str, password: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, keyring_user(url), password)
    except KeyringError as exc:
        raise ServerError(f"the password could not be stored in the system keyring ({exc}); "
                          "use ~/.pgpass or the PGPASSWORD variable instead") from exc


_SESSION: dict[str, str] = {}  # passwords typed into the window and not kept in the keyring: memory only


def remember_for_session(url: str, password: str) -> None:
    """Use `password` for `url` until the program ends (never written anywhere)."""
    _SESSION[keyring_user(url)] = password


def connect(url: str, autocommit: bool = False) -> psycopg.Connection[Any]:
    """An open connection to `url`; a wrong address, password or database is a clear message."""
    import psycopg

    kwargs: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT, "autocommit": autocommit,
                              "application_name": "boq-estimator",
                              "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"}
    if urlsplit(url).password is None and (password := _SESSION.get(keyring_user(url)) or keyring_password(url)):
        kwargs["password"] = password
    try:
        return psycopg.connect(url, **kwargs)
    except psycopg.OperationalError as exc:
        text = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        hint = ""
        if "password" in text:
            hint = "; store the password with `boq server password URL` (kept in the system keyring)"
        elif "does not exist" in text:
            hint = "; create the database (createdb) and run `boq server init URL`"
        elif "Connection refused" in text or "No such file" in text or "timeout" in text:
            hint = "; is the server running and the address right?"
        raise ServerError(Message("server_connect", url=redacted(url), text=text, hint=hint)) from None
    except psycopg.ProgrammingError as exc:  # a malformed URL
        raise ServerError(Message("server_bad_url", url=redacted(url), text=str(exc))) from None


def redacted(url: str) -> str:
    """`url` without a password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


@contextlib.contextmanager
def server_errors(what: str | Message) -> Iterator[None]:
    """Turn the server's refusals into messages (a viewer writing, a missing schema, a lost connection);
    `what` the server was doing (`Message("doing_...")`, so that it reads in the user's language)."""
    import psycopg
    from psycopg import errors

    try:
        yield
    except errors.InsufficientPrivilege as exc:
        raise PermissionRefused(Message("server_refused", what=what, text=_first_line(exc))) from None
    except errors.UndefinedTable as exc:
        raise ServerError(Message("server_no_schema", what=what, text=_first_line(exc))) from None
    except errors.QueryCanceled as exc:
        raise ServerError(Message("server_cancelled", what=what, text=_first_line(exc))) from None
    except psycopg.OperationalError as exc:
        raise ServerError(Message("server_lost", what=what, text=_first_line(exc))) from None


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
