"""The Rates menu: edit a library rate into the user library; re-price the programme from the library.

Editing (`ui.rate_dialog`, `estimator.rates.user`) writes the user's own library and reloads
the library panel; the programme is unchanged until it is re-priced. Re-pricing is
`estimator.reprice`: the dry-run report (the lines `boq reprice --dry-run` prints) is
shown first; on Yes the programme's rate snapshot is replaced by the library's current rates as
one undoable edit.
"""

from __future__ import annotations

from estimator import edits
from estimator.money import fmt
from estimator.rates import current_library
from estimator.rates.user import save_user_rate
from estimator.reprice import fresh_snapshot, missing_notes, report_lines, reprice
from ui.bidi import select_row
from ui.qt import QCoreApplication, QMenuBar, QObject, Qt
from ui.rate_dialog import RateDialog
from ui.shell import Shell

SHOWN_LINES = 30


class LibraryActions(QObject):
    def __init__(self, window: Shell, bar: QMenuBar) -> None:
        super().__init__(window)
        self.window = window
        self.menu = bar.addMenu(self.tr("&Rates"))
        self.edit = window._action(self.menu, self.tr("&Edit library rate…"), self.edit_rate)
        self.reprice = window._action(self.menu, self.tr("&Re-price programme from the library…"), self.reprice_programme)
        window.library_panel.table.addAction(self.edit)
        window.library_panel.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.dialog: RateDialog | None = None

    def edit_rate(self) -> RateDialog | None:
        """Edit the rate selected in the library panel; Save writes it into the user library."""
        w, panel = self.window, self.window.library_panel
        codes = panel.selected_codes() if panel.table.selectionModel() is not None else []
        if not codes:
            w.show_status(self.tr("Select a rate in the rate library first"))
            return None
        dialog = RateDialog(w.library.rate(codes[0]), w)
        self.dialog = dialog

        def accepted() -> None:
            if dialog.result_rate is None:
                return
            with w.dialogs.reporting(QCoreApplication.translate("LibraryActions", "Edit library rate")):
                folder = save_user_rate(dialog.result_rate, w.library)
                self.reload_library(dialog.result_rate.code)
                w.show_status(QCoreApplication.translate("LibraryActions", "Saved {code} in your library ({folder}); Rates "
                                                                           "› Re-price uses it in this programme")
                              .format(code=dialog.result_rate.code, folder=folder))

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
                select_row(panel.table, row)

    def reprice_programme(self) -> bool:
        """Show the dry-run report, then re-price on Yes; True if the programme was re-priced."""
        w, doc = self.window, self.window.doc
        if doc is None:
            return False
        report = reprice(doc.programme, w.library, apply=False)
        lines = report_lines(report, dry_run=True) + missing_notes(report)
        if len(lines) > SHOWN_LINES:
            more = self.tr("… and {count} more lines").format(count=len(lines) - SHOWN_LINES + 1)
            lines = [*lines[: SHOWN_LINES - 2], more, lines[-1]]
        text = "\n".join(lines)
        if not report.rates:
            w.dialogs.info(self.tr("Re-price from the library"), text)
            return False
        if not w.dialogs.question(self.tr("Re-price from the library"),
                                  self.tr("{text}\n\nRe-price the programme with the library's current rates? Edit > Undo "
                                          "takes it back.").format(text=text)):
            return False
        programme = doc.programme
        new = edits.Contents(tuple(programme.facilities), fresh_snapshot(programme, w.library))
        with w.dialogs.reporting(self.tr("Re-price from the library")):
            doc.push(edits.ReplaceContents(edits.Contents.of(programme), new, self.tr("Re-price from the library")))
            w.show_status(self.tr("Re-priced from the library: grand total {old_total} -> {new_total} {currency} (Undo "
                                  "takes it back)")
                          .format(old_total=fmt(report.old_total), new_total=fmt(report.new_total), currency=report.currency))
            return True
        return False
