"""Fixtures of the reliability suite: every test prices with the small test library."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.states import MINILIB


@pytest.fixture(autouse=True)
def _minilib(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BOQ_RATES_DIR", str(MINILIB))
    return MINILIB
