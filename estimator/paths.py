"""Where the bundled data lives, in a source checkout and in an installed wheel.

The wheel carries `rates/` and `templates/` inside the package as `estimator/_data/` (see
pyproject.toml); a source checkout has them beside `estimator/`. User data (the user rate library,
the app's sample copy) lives in the platform's user data folder, overridable with BOQ_DATA_DIR.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

_PACKAGE = Path(__file__).resolve().parent


def data_root() -> Path:
    installed = _PACKAGE / "_data"
    return installed if installed.is_dir() else _PACKAGE.parent


def rates_dir() -> Path:
    """The bundled rate library, or BOQ_RATES_DIR (tests and alternative libraries)."""
    override = os.environ.get("BOQ_RATES_DIR")
    return Path(override) if override else data_root() / "rates"


def templates_dir() -> Path:
    return data_root() / "templates"


def sample_dir() -> Path:
    return data_root() / "rates" / "sample"


def user_data_dir() -> Path:
    override = os.environ.get("BOQ_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir("boq-estimator", appauthor=False))


def user_rates_dir() -> Path:
    return user_data_dir() / "rates"
