"""The Rates menu: edit a library rate into the user library; re-price the programme from the library.

Editing (`ui.rate_dialog`, `estimator.rates.user`) writes the user's own library and reloads
the library panel; the programme is unchanged until it is re-priced. Re-pricing is
`estimator.rates.reprice`: the dry-run report (the lines `boq reprice --dry-run` prints) is
shown first; on Yes the programme's rate snapshot is replaced by the library's current rates as
one undoable edit.
"""

from __future__ import annotations

from estimator import edits
from estimator.money import fmt
from estimator.rates import current_library
from estimator.rates.reprice import fresh_snapshot, missing_notes, report_lines, reprice
from estimator.rates.user import save_user_rate
from ui.qt import QMenuBar, QObject, Qt
from ui.rate_dialog import RateDialog
from ui.shell import Shell

SHOWN_LINES = 30


class LibraryActions(QObject):
    def __init__(self, window: Shell, bar: QMenuBar) -> None:
        super().__init__(window)
        self.window = window
        self.menu = bar.addMenu("&Rates")
        self.edit = window._action(self.menu, "&Edit library rate…", self.edit_rate)
        self.reprice = window._action(self.menu, "&Re-price programme from the library…", self.reprice_programme)
        window.library_panel.table.addAction(self.edit)
        window.library_panel.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.dialog: RateDialog | None = None

    def edit_rate(self) -> RateDialog | None:
        """Edit the rate selected in the library panel; Save writes it into the user library."""
        w, panel = self.window, self.window.library_panel
        codes = panel.selected_codes() if panel.table.selectionModel() is not None else []
        if not codes:
            w.show_status("Select a rate in the rate library first")
            return None
        dialog = RateDialog(w.library.rate(codes[0]), w)
        self.dialog = dialog

        def accepted() -> None:
            if dialog.result_rate is None:
                return
            with w.dialogs.reporting("Edit library rate"):
                folder = save_user_rate(dialog.result_rate, w.library)
                self.reload_library(dialog.result_rate.code)
                w.show_status(f"Saved {dialog.result_rate.code} in your library ({folder}); "
                              "Rates › Re-price uses it in this programme")

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def reload_library(self, code: str = "") -> None:
        """Read the library again (bundled + user) into the window, and select `code` in the panel."""
        w, panel = self.window, self.window.library_panel
        w.library = panel.book = current_library().book
        if w.doc is not None:
            w.doc.library = w.library
            panel.bind(w.doc)
        if code:
            panel.search.setText(code)
            row = next((r for r, rate in enumerate(panel.rates()) if rate.code == code), -1)
            if row >= 0:
                panel.table.selectRow(row)

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
