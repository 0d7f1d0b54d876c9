"""Another engineer's committed edits on a server programme, as the window tests make them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from estimator.server.live import LiveProgramme


def sets_quantity(url: str, name: str, quantity: Decimal, uid: str = "", other_than: str = "") -> str:
    """Another engineer (`url`'s account) sets `quantity` on item `uid` of programme `name` (default:
    its first item that is not `other_than`) and commits it at once; returns the item's uid."""
    live = LiveProgramme(url, name)
    try:
        uid = uid or next(u for u in live.items if u != other_than)
        live.edit_item(uid, quantity=quantity)
    finally:
        live.close()
    return uid


def shows(window: Any, uid: str, quantity: Decimal) -> bool:
    """Whether the programme in `window` holds `quantity` on item `uid`."""
    return any(it.uid == uid and it.quantity == quantity for f in window.doc.programme.facilities for it in f.items())
