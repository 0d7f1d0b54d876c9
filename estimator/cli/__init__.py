"""The `boq` command line: one module per group of commands, all errors handled in `main`."""

from estimator.cli.main import main

__all__ = ["main"]
