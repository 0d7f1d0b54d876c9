"""`boq server init|list|grant|password`, `boq push`, `boq pull`: working as a team on a PostgreSQL server.

Also `boq rates push|pull|history` (registered by `estimator.cli.rates`). psycopg is imported only when
one of these runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from estimator.errors import UserError
from estimator.server import server_url

TAKE_HELP = ("settle conflicts: `--take mine ID...` keeps your version of those rows, `--take theirs ID...` the "
             "server's; `--take mine` or `--take theirs` alone settles all; may be repeated")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    server = sub.add_parser(
        "server",
        help="set up and look after a shared PostgreSQL server",
        description="A team shares programmes and the rate library on one PostgreSQL database. URL is "
        "postgresql://USER@HOST[:PORT]/DATABASE. The password comes from the system keyring "
        "(`boq server password URL`), ~/.pgpass or PGPASSWORD; it is never stored in plain text.",
    )
    ssub = server.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    p = ssub.add_parser("init", help="create the tables, roles and security on an empty database",
                        description="Create the BoQ Estimator schema, the roles boq_estimator (edits programmes, "
                        "freezes baselines, records contracts), boq_procurement (issues tender revisions, records "
                        "contracts) and boq_viewer (reads), their GRANTs and row-level security. Run it "
                        "as the database owner with CREATEROLE (or a superuser). On a database set up by an "
                        "older version it upgrades the tables; on an up-to-date one it does nothing.")
    p.add_argument("url", type=server_url, metavar="URL")
    p.set_defaults(func=cmd_init)
    p = ssub.add_parser("list", help="list the programmes on the server",
                        description="List the programmes with their version, item count, creator and last change.")
    p.add_argument("url", type=server_url, metavar="URL")
    p.set_defaults(func=cmd_list)
    p = ssub.add_parser("grant", help="give an account the estimator, procurement or viewer role",
                        description="Give USER one role (and take the other two away). The server enforces "
                        "it: a viewer's or procurement officer's write to a programme is refused, an estimator's "
                        "tender revision and a procurement officer's baseline too, and nobody changes or deletes "
                        "an issued revision or a recorded contract entry.")
    p.add_argument("url", type=server_url, metavar="URL")
    p.add_argument("user")
    p.add_argument("role", choices=("estimator", "procurement", "viewer"))
    p.add_argument("--create", action="store_true", help="create the login account first (set its password "
                   "with ALTER ROLE ... PASSWORD in psql)")
    p.set_defaults(func=cmd_grant)
    p = ssub.add_parser("password", help="store your password for URL in the system keyring",
                        description="Ask for the password of the account in URL and keep it in the system "
                        "keyring (Windows Credential Manager, macOS Keychain, Secret Service).")
    p.add_argument("url", type=server_url, metavar="URL")
    p.set_defaults(func=cmd_password)

    p = sub.add_parser(
        "push",
        help="upload a programme to the server, merging item by item",
        description="Upload FILE to the server as NAME (default: the file's name without .boq). A file pulled "
        "from the server is merged item by item: your changes and other engineers' changes to other "
        "items are both kept; an item changed on both sides is a conflict, listed with both values, "
        "and nothing is written until each is settled with --take. Afterwards FILE holds the merged "
        "programme. Tender revisions, baselines and contract entries go with it: those the server lacks are "
        "appended (a revision name or entry number the server holds with other content is refused, naming "
        "who made it), and the server's are copied into FILE.",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("url", type=server_url, metavar="URL")
    p.add_argument("--as", dest="name", metavar="NAME", help="the programme's name on the server")
    p.add_argument("--take", nargs="+", action="append", metavar="mine|theirs ID", help=TAKE_HELP)
    p.set_defaults(func=cmd_push)

    p = sub.add_parser(
        "pull",
        help="check a programme out of the server into a .boq file",
        description="Write the server's programme NAME, with its tender revisions, baselines and contract "
        "entries, to FILE for offline work; `boq push FILE URL --as NAME` merges it back.",
    )
    p.add_argument("url", type=server_url, metavar="URL")
    p.add_argument("name", metavar="NAME")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists (its unpushed changes are lost)")
    p.set_defaults(func=cmd_pull)


def register_rates(rsub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`boq rates push|pull|history` (under `boq rates`)."""
    p = rsub.add_parser("push", help="upload a rate library folder to the server's shared library",
                        description="Check FOLDER (same CSV files as rates/) and merge it into the server's "
                        "shared rate library: rows changed here are written, rows deleted here are deleted; a "
                        "row someone else changed since your pull is a conflict (settle with --take). Every "
                        "change is recorded with who and when (`boq rates history`). Programmes keep their "
                        "own snapshot of rates until repriced.")
    p.add_argument("folder", type=Path)
    p.add_argument("url", type=server_url, metavar="URL")
    p.add_argument("--take", nargs="+", action="append", metavar="mine|theirs CODE", help=TAKE_HELP)
    p.set_defaults(func=cmd_rates_push)
    p = rsub.add_parser("pull", help="write the server's shared rate library to a folder",
                        description="Write the server's library as CSV files into FOLDER (point BOQ_RATES_DIR at "
                        "it, or import it with `boq rates import`).")
    p.add_argument("url", type=server_url, metavar="URL")
    p.add_argument("folder", type=Path)
    p.add_argument("--force", action="store_true", help="write into a folder holding another library")
    p.set_defaults(func=cmd_rates_pull)
    p = rsub.add_parser("history", help="who changed which rate on the server, and when",
                        description="List the changes to the server's rate library, newest first, with the "
                        "account that made each and the fields changed.")
    p.add_argument("url", type=server_url, metavar="URL")
    p.add_argument("code", nargs="?", help="only this rate or resource code")
    p.add_argument("--limit", type=int, default=200)
    p.set_defaults(func=cmd_rates_history)


def cmd_init(args: argparse.Namespace) -> int:
    from estimator.server import admin

    print(admin.init(args.url))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from estimator.server import admin

    listed = admin.programmes(args.url)
    if not listed:
        print("no programmes on the server yet; upload one with `boq push FILE URL`")
    for p in listed:
        print(f"{p.name:<40} version {p.version:>6}  {p.items:>6} items  by {p.created_by}  changed {p.changed:%Y-%m-%d %H:%M}")
    return 0


def cmd_grant(args: argparse.Namespace) -> int:
    from estimator.server import admin

    print(admin.grant(args.url, args.user, args.role, args.create))
    return 0


def cmd_password(args: argparse.Namespace) -> int:
    import getpass

    from estimator.server.connect import connect, keyring_user, store_password

    password = getpass.getpass(f"password for {keyring_user(args.url)}: ")
    store_password(args.url, password)
    connect(args.url).close()  # proves it
    print(f"stored in the system keyring (service boq-estimator, {keyring_user(args.url)}); the connection works")
    return 0


def cmd_push(args: argparse.Namespace) -> int:
    from estimator.server.sync import parse_take, push_file

    name = args.name or args.file.stem
    result = push_file(args.file, args.url, name, parse_take(args.take))
    m = result.merge
    if result.created:
        print(f"uploaded {args.file} as {name!r} (version {result.state.version})")
        return 0
    for conflict, side in m.resolved:
        print(f"  took {side}: {conflict.describe()}")
    print(f"pushed {args.file} to {name!r}: {m.changes()} row(s) written, {len(m.resolved)} conflict(s) settled; "
          f"server version {result.state.version}; {args.file} now holds the merged programme")
    return 0


def cmd_pull(args: argparse.Namespace) -> int:
    from estimator.outputs import guard_output
    from estimator.server.sync import pull_to_file

    guard_output(args.file, "boq", force=args.force, force_hint="--force")
    if args.file.exists() and not args.force:
        raise UserError(f"{args.file} already exists; choose another name, or add --force to replace it "
                        "(changes in it that were not pushed are lost)")
    state = pull_to_file(args.url, args.name, args.file, overwrite=args.force)
    print(f"wrote {args.file}: {args.name!r} at server version {state.version}, "
          f"{state.programme.item_count()} items; push it back with `boq push {args.file} URL --as {args.name!r}`")
    return 0


def cmd_rates_push(args: argparse.Namespace) -> int:
    from estimator.server import library
    from estimator.server.sync import parse_take

    r = library.push(args.folder, args.url, parse_take(args.take))
    print(f"rate library pushed: {r.added} added, {r.changed} changed, {r.deleted} deleted")
    return 0


def cmd_rates_pull(args: argparse.Namespace) -> int:
    from estimator.server import library

    n = library.pull(args.url, args.folder, overwrite=args.force)
    print(f"wrote {n} rows of the shared rate library to {args.folder}")
    return 0


def cmd_rates_history(args: argparse.Namespace) -> int:
    from estimator.server import library

    changes = library.history(args.url, args.code, args.limit)
    if not changes:
        print("no changes recorded" + (f" for {args.code}" if args.code else ""))
    for change in changes:
        print(change)
    return 0
