"""The undo adapter: a QUndoCommand that only runs an `estimator.edits` edit or its inverse.

It is given the document's `apply` and where to report a failure, not the document itself, so
`ui.document` (which pushes commands) and this module do not import each other.
"""

from __future__ import annotations

from collections.abc import Callable

from estimator.edits import Edit, merged
from estimator.errors import UserError, localized
from ui.qt import QT_TRANSLATE_NOOP, QCoreApplication, QUndoCommand

MERGE_ID = 1
# the engine's own edit labels (estimator.edits), shown in Edit › Undo/Redo in the window's language;
# labels made in ui/ are translated where they are made
ENGINE_LABELS = (QT_TRANSLATE_NOOP("Edits", "Edit"), QT_TRANSLATE_NOOP("Edits", "Edit cell"),
                 QT_TRANSLATE_NOOP("Edits", "Renumber"), QT_TRANSLATE_NOOP("Edits", "Insert rows"),
                 QT_TRANSLATE_NOOP("Edits", "Delete rows"), QT_TRANSLATE_NOOP("Edits", "Move rows"),
                 QT_TRANSLATE_NOOP("Edits", "Add facility"), QT_TRANSLATE_NOOP("Edits", "Delete facility"),
                 QT_TRANSLATE_NOOP("Edits", "Add bill"), QT_TRANSLATE_NOOP("Edits", "Delete bill"),
                 QT_TRANSLATE_NOOP("Edits", "Add rates"), QT_TRANSLATE_NOOP("Edits", "Import work list"),
                 QT_TRANSLATE_NOOP("Edits", "Programme settings"), QT_TRANSLATE_NOOP("Edits", "Rename"))


class EditCommand(QUndoCommand):
    def __init__(self, apply: Callable[[Edit], object], failed: Callable[[str], object], edit: Edit,
                 merge_key: object = None, applied: bool = False) -> None:
        super().__init__(QCoreApplication.translate("Edits", edit.label))
        self.apply, self.failed, self.edit, self.merge_key = apply, failed, edit, merge_key
        self._skip_redo = applied  # `Document.push` applied it already; QUndoStack.push calls redo() once more

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._run(self.edit)

    def undo(self) -> None:
        self._run(self.edit.inverse())

    def _run(self, edit: Edit) -> None:
        """An exception must not cross back into Qt: a failed undo/redo is rolled back, reported and dropped."""
        try:
            self.apply(edit)
        except UserError as exc:
            self.setObsolete(True)  # the stack drops this command: the programme is as it was before the attempt
            self.failed(localized(exc))

    def id(self) -> int:
        return MERGE_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Consecutive typing in the same cell becomes one undo step."""
        if not isinstance(other, EditCommand) or other.merge_key != self.merge_key:
            return False
        self.edit = merged(self.edit, other.edit)
        self.setText(other.text())
        return True
