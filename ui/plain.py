"""Text from files is shown as plain text, never as rich text.

Qt guesses: a QLabel, a QMessageBox or a tooltip whose text looks like HTML (`Qt::mightBeRichText`)
is rendered as HTML. A bidder's company name, a facility or rate description from an e-mailed
.boq, a file name or an error message quoting a cell could then hide text, draw a fake figure in
large type or load an image. Every widget that shows such text goes through this module:

- `plain(label)` makes a label plain text (and returns it), `plain_label(text)` makes one;
- `plain_tooltip(text)` is a tooltip that shows `text` literally (escaped inside `<qt>`, as a
  tooltip cannot be told its format);
- `message_box(...)` is a message box whose text is plain.
"""

from __future__ import annotations

from html import escape
from typing import overload

from ui.qt import QLabel, QMessageBox, Qt, QWidget


def plain(label: QLabel) -> QLabel:
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    plain(label).setText(text)
    return label


@overload
def plain_tooltip(text: str) -> str: ...
@overload
def plain_tooltip(text: None) -> None: ...
def plain_tooltip(text: str | None) -> str | None:
    """A tooltip showing `text` as written (line breaks kept); None stays None (no tooltip)."""
    if not text:
        return text
    return "<qt>" + escape(text).replace("\n", "<br>") + "</qt>"


def message_box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
                buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
                default: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton) -> QMessageBox:
    """A message box whose text is plain; call `.exec()` on it."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if default != QMessageBox.StandardButton.NoButton:
        box.setDefaultButton(default)
    return box
