"""Parser, dispatch and the one place where a user's mistake becomes a message instead of a traceback."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from estimator import __version__
from estimator.errors import UserError

# Each module has `register(subparsers)`; its commands set `func` to a callable taking the args.
COMMAND_MODULES = (
    "estimator.cli.project",
    "estimator.cli.rates",
    "estimator.cli.export",
    "estimator.cli.analysis",
    "estimator.cli.template",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="boq",
        description="BoQ Estimator: build, price and export bills of quantities for health-facility programmes.",
        epilog="Start with `boq demo sample.boq && boq price sample.boq`. `boq COMMAND --help` explains a command.",
    )
    parser.add_argument("--version", action="version", version=f"boq-estimator {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args.func(args)
    except UserError as exc:
        print(f"boq {args.command}: {exc}", file=sys.stderr)
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
