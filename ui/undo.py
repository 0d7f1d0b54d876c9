"""The undo adapter: a QUndoCommand that only runs an `estimator.edits` edit or its inverse."""

from __future__ import annotations

from typing import TYPE_CHECKING

from estimator.edits import Edit, merged
from ui.qt import QUndoCommand

if TYPE_CHECKING:
    from ui.document import Document

MERGE_ID = 1


class EditCommand(QUndoCommand):
    def __init__(self, document: Document, edit: Edit, merge_key: object = None) -> None:
        super().__init__(edit.label)
        self.document, self.edit, self.merge_key = document, edit, merge_key

    def redo(self) -> None:
        self.document.apply(self.edit)

    def undo(self) -> None:
        self.document.apply(self.edit.inverse())

    def id(self) -> int:
        return MERGE_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Consecutive typing in the same cell becomes one undo step."""
        if not isinstance(other, EditCommand) or other.merge_key != self.merge_key:
            return False
        self.edit = merged(self.edit, other.edit)
        self.setText(other.text())
        return True
