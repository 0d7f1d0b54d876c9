"""The totals bar under the BoQ: current facility, programme subtotal, each markup, grand total.

Each part wraps onto more lines when the window is narrow (a 1366-pixel laptop with every markup
set), so the bar never forces the table wider than the screen and the programme tree keeps room.
"""

from __future__ import annotations

from estimator.money import fmt
from ui.bidi import isolate, paragraph
from ui.document import Document
from ui.language import document_word
from ui.plain import plain_label
from ui.qt import QFrame, QHBoxLayout, QWidget


class TotalsBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc: Document | None = None
        self.facility_uid: str | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.facility = plain_label(parent=self)
        self.subtotal = plain_label(parent=self)
        self.markups = plain_label(parent=self)
        self.grand = plain_label(parent=self)
        self.grand.setObjectName("grandTotal")
        self.grand.setStyleSheet("#grandTotal { font-weight: bold; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(18)
        layout.addWidget(self.facility, 2)
        for label in (self.facility, self.subtotal, self.markups):  # the grand total stays on one line
            label.setWordWrap(True)
        layout.addWidget(self.subtotal, 1)
        layout.addWidget(self.markups, 3)
        layout.addWidget(self.grand)

    def bind(self, document: Document) -> None:
        self.doc, self.facility_uid = document, None
        document.totals_changed.connect(self.refresh)
        self.refresh()

    def set_facility(self, facility_uid: str | None) -> None:
        self.facility_uid = facility_uid
        self.refresh()

    def refresh(self) -> None:
        if self.doc is None:
            return
        live, cur = self.doc.live, self.doc.programme.currency
        facility = next((f for f in self.doc.programme.facilities if f.uid == self.facility_uid), None)
        if facility is None:
            self.facility.setText("")
        else:
            self.facility.setText(paragraph(f"{isolate(facility.name)}: {fmt(live.facility_total(facility.uid))} {cur}"))
        self.subtotal.setText(self.tr("Subtotal {subtotal}").format(subtotal=fmt(live.subtotal)))
        self.markups.setText(" · ".join(f"{document_word('markups', m.name)} {m.percent:f} %: {fmt(m.amount)}"
                                        for m in live.markups))
        self.markups.setVisible(bool(live.markups))
        self.grand.setText(self.tr("Grand total {grand_total} {cur}").format(grand_total=fmt(live.grand_total), cur=cur))
        problems = live.error_count()
        self.grand.setToolTip(self.tr("{problems} item(s) cannot be priced; they count as zero")
                              .format(problems=problems) if problems else "")
