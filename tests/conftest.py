"""Shared fixtures. Each test module owns the rest of what it needs."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest

from estimator.model import Programme

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# every save told what an edit changed is checked against comparing the whole programme (estimator.store.project)
os.environ.setdefault("BOQ_CHECK_SAVES", "1")
MINILIB = Path(__file__).parent / "data" / "minilib"


@pytest.fixture(autouse=True)
def _user_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user's data folder (user rate library, settings, sample copy)."""
    monkeypatch.setenv("BOQ_DATA_DIR", str(tmp_path_factory.mktemp("userdata")))


@pytest.fixture(scope="session")
def _sample() -> Programme:
    from estimator.sample import load_sample

    return load_sample()


@pytest.fixture
def sample_programme(_sample: Programme) -> Programme:
    """The bundled sample programme (a fresh copy per test)."""
    return copy.deepcopy(_sample)


@pytest.fixture
def sample_file(tmp_path: Path, sample_programme: Programme) -> Path:
    """The sample programme written to a .boq file."""
    from estimator.store import Project

    path = tmp_path / "sample.boq"
    Project.create(path, sample_programme).close()
    return path


@pytest.fixture
def minilib(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the rate library at the small test library in tests/data/minilib."""
    monkeypatch.setenv("BOQ_RATES_DIR", str(MINILIB))
    return MINILIB
