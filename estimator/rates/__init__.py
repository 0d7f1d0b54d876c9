"""The rate library: resources, rates and build-ups (book), loading them from CSV (library),
and re-pricing a programme against the current library (reprice)."""

from __future__ import annotations

from pathlib import Path

from estimator import paths
from estimator.rates.book import Rate, RateBook, Resource
from estimator.rates.library import Library, load_library

__all__ = ["Library", "Rate", "RateBook", "Resource", "current_library", "load_library"]

_cache: dict[tuple[Path, Path, float, float], Library] = {}


def current_library() -> Library:
    """The bundled library with the user's own library (if any) merged over it.

    Cached until a file in either folder changes (by modification time of the folders' files).
    """
    bundled, user = paths.rates_dir(), paths.user_rates_dir()
    key = (bundled, user, _stamp(bundled), _stamp(user))
    if key not in _cache:
        lib = load_library(bundled)
        if (user / "rates.csv").exists():
            own = load_library(user, origin="user", base=lib.book)
            lib.book = lib.book.merged(own.book)
            lib.problems += [p.__class__(f"user library {p.source}", p.message, p.row, p.column) for p in own.problems]
            lib.unavailable |= own.unavailable
        _cache.clear()
        _cache[key] = lib
    return _cache[key]


def _stamp(folder: Path) -> float:
    if not folder.is_dir():
        return 0.0
    return max((p.stat().st_mtime for p in folder.glob("*.csv")), default=0.0)
