"""Fixtures of the reliability suite: every test prices with the small test library."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.states import MINILIB


@pytest.fixture(scope="module", autouse=True)
def _minilib() -> Iterator[Path]:
    """Module-wide (module fixtures such as a prepared .boq price with it too), undone after the module."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BOQ_RATES_DIR", str(MINILIB))
        yield MINILIB


def long_mode(request: pytest.FixtureRequest, env: str) -> bool:
    """Whether a long test runs: `-m slow` selected it, or its environment variable is set."""
    import os

    marks = str(request.config.getoption("markexpr", ""))
    return env in os.environ or ("slow" in marks and "not slow" not in marks)
