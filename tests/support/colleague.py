"""Windows on a server programme, and another engineer's committed edits to it, as the window tests
make them."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from estimator.server.live import LiveProgramme
from ui.dialogs import RecordingDialogs
from ui.qt import QApplication, QEvent


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


def window(qtbot: Any, url: str, name: str) -> tuple[Any, RecordingDialogs]:
    """A main window (its dialogs recorded) with server programme `name` opened as `url`'s account."""
    from ui.main_window import MainWindow
    from ui.settings import AppSettings

    dialogs = RecordingDialogs()
    win = MainWindow(AppSettings(), dialogs)
    qtbot.addWidget(win)
    assert win.server.open(url, name), dialogs.calls
    return win, dialogs


def close(windows: Iterable[tuple[Any, RecordingDialogs]]) -> None:
    """Close `windows` and delete them now (their server links stop with them)."""
    for win, _dialogs in windows:
        win.close()
        win.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
