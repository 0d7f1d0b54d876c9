"""Nothing typed or deleted is lost without a word: settling input before closing, backups before deleting.

`settle_input` commits an editor still open (as Enter would) and, if input that was not accepted
(red) remains, asks through the dialog service before it is dropped. `backup` saves the programme
and copies the file into its rolling backups (`estimator.backups`) before a destructive action.
"""

from __future__ import annotations

from estimator import backups
from estimator.errors import UserError
from estimator.money import fmt
from ui.qt import QAbstractItemDelegate, QAbstractItemView, QCoreApplication
from ui.shell import Shell


def commit_open_editor(view: QAbstractItemView) -> None:
    """Commit and close the editor open in `view`, as if Enter had been pressed (without moving)."""
    if view.state() != QAbstractItemView.State.EditingState:
        return
    editor = view.indexWidget(view.currentIndex())
    if editor is not None:
        view.commitData(editor)
        view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)


def settle_input(window: Shell, action: str) -> bool:
    """True when it is fine to go on (close the window or open another programme)."""
    for view in (window.table, window.tree):
        commit_open_editor(view)
    model = window.boq_model
    pending = model.open_pending() if model is not None else {}
    if model is None or not pending:
        return True
    count = len(pending)
    (uid, col), (text, problem) = next(iter(pending.items()))
    them = QCoreApplication.translate("Safekeeping", "them") if count != 1 else QCoreApplication.translate("Safekeeping", "it")
    return window.dialogs.question(
        QCoreApplication.translate("Safekeeping", "{action}: input not accepted").format(action=action),
        QCoreApplication.translate("Safekeeping", "{count} cell{arg1} input that was not accepted (red), e.g. {arg2}: "
                                                  "{text!r} ({problem}).\n\n{action} anyway and discard {them}? Choose No "
                                                  "to go back and fix {them}.").format(
                                                      count=count, arg1='s hold' if count != 1 else ' holds',
                                                      arg2=model.describe_cell(uid, col), text=text, problem=problem,
                                                      action=action, them=them))


def backup(window: Shell, reason: str) -> bool:
    """Back up the programme file as it is now (saved first); False, after saying why, if that failed."""
    doc = window.doc
    if doc is None or doc.readonly:
        return True
    if not doc.save_now():
        window.dialogs.error(QCoreApplication.translate("Safekeeping", "Backup"),
                             QCoreApplication.translate("Safekeeping",
                                                        "the programme could not be saved, so it was not backed up: {save_error}")
                             .format(save_error=doc.save_error))
        return False
    try:
        backups.make_backup(doc.path, reason, len(doc.programme.facilities), doc.programme.item_count(),
                            f"{fmt(doc.live.grand_total)} {doc.programme.currency}")
    except (UserError, OSError) as exc:
        window.dialogs.report(QCoreApplication.translate("Safekeeping", "Backup"), exc)
        return False
    return True
