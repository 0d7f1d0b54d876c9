"""The Rates menu: re-price the programme from the library, after showing what would change.

Re-pricing is `estimator.rates.reprice`: the dry-run report (the lines `boq reprice --dry-run`
prints) is shown first; on Yes the programme's rate snapshot is replaced by the library's
current rates as one undoable edit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from estimator import edits
from estimator.money import fmt
from estimator.rates.reprice import fresh_snapshot, missing_notes, report_lines, reprice
from ui.qt import QMenuBar, QObject

if TYPE_CHECKING:
    from ui.main_window import MainWindow

SHOWN_LINES = 30


class LibraryActions(QObject):
    def __init__(self, window: MainWindow, bar: QMenuBar) -> None:
        super().__init__(window)
        self.window = window
        self.menu = bar.addMenu("&Rates")
        self.reprice = window._action(self.menu, "&Re-price programme from the library…", self.reprice_programme)

    def reprice_programme(self) -> bool:
        """Show the dry-run report, then re-price on Yes; True if the programme was re-priced."""
        w, doc = self.window, self.window.doc
        if doc is None:
            return False
        report = reprice(doc.programme, w.library, apply=False)
        lines = report_lines(report, dry_run=True) + missing_notes(report)
        if len(lines) > SHOWN_LINES:
            lines = [*lines[: SHOWN_LINES - 2], f"… and {len(lines) - SHOWN_LINES + 1} more lines", lines[-1]]
        text = "\n".join(lines)
        if not report.rates:
            w.dialogs.info("Re-price from the library", text)
            return False
        if not w.dialogs.question("Re-price from the library",
                                  f"{text}\n\nRe-price the programme with the library's current rates? "
                                  "Edit > Undo takes it back."):
            return False
        programme = doc.programme
        new = edits.Contents(tuple(programme.facilities), fresh_snapshot(programme, w.library))
        with w.dialogs.reporting("Re-price from the library"):
            doc.push(edits.ReplaceContents(edits.Contents.of(programme), new, "Re-price from the library"))
            w.show_status(f"Re-priced from the library: grand total {fmt(report.old_total)} -> "
                          f"{fmt(report.new_total)} {report.currency} (Undo takes it back)")
            return True
        return False
