"""Exports of a priced programme: Excel workbooks (xlsx) and the PDF tender pack (pdf).

Every exporter takes the same arguments and prints the figures of `estimator.pricing`:
    write_xxx(programme, path, *, priced=True, lang="en", progress=None)
`progress(done, total)` is called as work advances; it may raise `Cancelled` to stop, and the
output is written atomically (`estimator.atomic`), so a cancelled or failed export leaves nothing.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]
LANGS = ("en", "ar", "both")
