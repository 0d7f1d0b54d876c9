"""Parser, dispatch and the one place where a user's mistake becomes a message instead of a traceback.

Starting light: `boq --help` and every `boq COMMAND` build the whole parser, so each command
module's top level imports only the standard library, `estimator.errors` and `estimator.money`.
Everything else (the store, pricing, the rate library, openpyxl, reportlab, ...) is imported
inside the command function that uses it, so a command pays only for its own work and `--help`
for none (tests/test_cli_start.py checks it; benchmarks/bench_start.py times it). To add a command:

    def register(sub):                       # in estimator/cli/<group>.py, listed in COMMAND_MODULES
        p = sub.add_parser("name", help="one line for `boq --help`", description="the whole story")
        p.add_argument("file", type=Path)
        p.set_defaults(func=cmd_name)

    def cmd_name(args: argparse.Namespace) -> int:
        from estimator.store import load     # the engine, imported when the command runs

        ...

Types used only in annotations are imported under `if TYPE_CHECKING:`.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from estimator import __version__
from estimator.atomic import is_disk_full
from estimator.errors import UserError, localized
from estimator.messages import LANGUAGES

# Each module has `register(subparsers)`; its commands set `func` to a callable taking the args.
COMMAND_MODULES = (
    "estimator.cli.project",
    "estimator.cli.rates",
    "estimator.cli.export",
    "estimator.cli.analysis",
    "estimator.cli.check",
    "estimator.cli.tender",
    "estimator.cli.variance",
    "estimator.cli.template",
    "estimator.cli.contract",
    "estimator.cli.server",
    "estimator.cli.particulars",
    "estimator.cli.tender_info",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="boq",
        description="BoQ Estimator: build, price and export bills of quantities for health-facility programmes.",
        epilog="Start with `boq demo sample.boq && boq price sample.boq`. `boq COMMAND --help` explains a command.",
    )
    parser.add_argument("--version", action="version", version=f"boq-estimator {__version__}")
    # dest is not `lang`: a command's own --lang (export, check) is the documents' language
    parser.add_argument("--lang", choices=LANGUAGES, dest="messages_lang",
                        help="language of error messages: en (default) or ar; the BOQ_LANG environment variable too")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _quiet_disk_full(unraisable: sys.UnraisableHookArgs) -> None:
    """A writer's file object closed by the garbage collector after the disk filled up (openpyxl leaves its
    zip open on an error) fails again in its destructor; the user has had the one message already."""
    if not is_disk_full(unraisable.exc_value or Exception()):
        sys.__unraisablehook__(unraisable)


def main(argv: Sequence[str] | None = None) -> int:
    sys.unraisablehook = _quiet_disk_full
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.messages_lang:
        os.environ["BOQ_LANG"] = args.messages_lang  # estimator.messages reads it where a message is shown
    try:
        result = args.func(args)
    except UserError as exc:
        print(f"boq {args.command}: {localized(exc)}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `boq price | head`
        sys.stderr.close()
        return 0
    except OSError as exc:  # disk full, permission denied, a folder that does not exist
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"boq {args.command}: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"boq {args.command}: interrupted; nothing was written", file=sys.stderr)
        return 130
    return int(result or 0)
