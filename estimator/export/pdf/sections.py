"""The text pages of the pack: cover, the template sections and the form of bid.

Section templates are read, filled and parsed by `texts`; here each block becomes a flowable in
the direction of its language. In a bilingual pack each section is printed in English and then in
Arabic, each starting on a new page.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from reportlab.lib.colors import Color
from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

from estimator.export.pdf import texts
from estimator.export.pdf.flowables import SignatureBlock, paragraph
from estimator.export.pdf.layout import FRAME_W, line
from estimator.export.pdf.voice import Voice
from estimator.export.pdf.words import amount_in_words
from estimator.model import Programme
from estimator.money import ZERO, fmt
from estimator.pricing import Estimate

RED = Color(0.7, 0.05, 0.05)
HEAD = Color(0.88, 0.90, 0.93)
RULE = Color(0.55, 0.55, 0.55)


def _table(rows: list[list[Any]], widths: list[float], header: bool, rtl: bool) -> Table:
    if rtl:
        rows = [list(reversed(r)) for r in rows]
        widths = list(reversed(widths))
    style = [("GRID", (0, 0), (-1, -1), 0.4, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), HEAD))
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, style=TableStyle(style), hAlign="CENTER")
    table.spaceBefore, table.spaceAfter = 4, 8
    return table


def _write() -> Spacer:
    """An empty cell of the form of bid: room to write an amount in words."""
    return Spacer(1, 22)


def _cell(value: str, size: float = 9, bold: bool = False, align: str = "left") -> Any:
    if not value.strip():
        return Spacer(1, 16)  # an empty cell is room to write in
    return paragraph(value, size, bold, align=align, space_after=0)


def _pct(value: Decimal) -> str:
    """A percentage as written: `5`, `0.1`, `12.5`."""
    return format(value.normalize(), "f")


def _keep(text: str) -> str:
    """`text` with each "%" kept on the line of its number (a narrow cell would wrap "10 %")."""
    return text.replace(" %", "\u00a0%")


def slug(name: str) -> str:
    """A trade's specification file name: `Plastering and Tyrolean finish` -> `plastering-and-tyrolean-finish`."""
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split()) or "general"


class Sections:
    def __init__(self, programme: Programme, voice: Voice, values: dict[str, dict[str, str]], priced: bool,
                 estimate: Estimate | None = None, facts: frozenset[str] = frozenset()) -> None:
        self.programme = programme
        self.voice = voice
        self.values = values
        self.priced = priced
        self.estimate = estimate
        self.facts = facts

    def cover(self) -> list[Any]:
        voice, prog = self.voice, self.programme
        story: list[Any] = [Spacer(1, 36)]
        for code in voice.codes:  # a bilingual cover names the programme in both languages
            if code == voice.codes[0] or prog.display_organisation(code) != prog.organisation:
                story.append(_cell(prog.display_organisation(code), 13, True, "center"))
        story.append(Spacer(1, 28))
        for code in voice.codes:
            if code == voice.codes[0] or prog.display_name(code) != prog.name:
                story.append(paragraph(prog.display_name(code), 20, True, "center", space_after=14))
        kind = "engineers_estimate" if self.priced else "tender_documents"
        story += [paragraph(text, 16, True, "center", space_after=4) for text in voice.say(kind)]
        story += [paragraph(text, 11, False, "center", space_after=2) for text in voice.say("subtitle")]
        story.append(Spacer(1, 18))
        code = voice.codes[0]
        facts = [("reference", "reference"), ("revision", "revision"), ("issue_date", "issue_date"),
                 ("deadline", "deadline"), ("currency", "currency_name"), ("validity", "validity_days")]
        rows = []
        for key, value_key in facts:
            value = self.values[code][value_key]
            if key == "validity":
                value = voice.labels[code].get("validity_value", days=value)
            if key == "currency":
                value = f"{value} ({prog.currency})"
            labels = [_cell(t, 9.5, True, "left") for t in voice.say(key)]
            rows.append([labels[0], _cell(value, 9.5), labels[1]] if len(labels) == 2 else [labels[0], _cell(value, 9.5)])
        widths = [FRAME_W * 0.3, FRAME_W * 0.4, FRAME_W * 0.3] if len(voice.codes) == 2 else [FRAME_W * 0.35, FRAME_W * 0.45]
        story.append(_table(rows, widths, False, voice.rtl))
        if self.priced:
            box = Table([[[paragraph(t, 12, True, "center", space_after=2) for t in voice.say("confidential")]]],
                        colWidths=[FRAME_W * 0.8],
                        style=TableStyle([("BOX", (0, 0), (-1, -1), 1.5, RED), ("TOPPADDING", (0, 0), (-1, -1), 8),
                                          ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
            box.spaceBefore = 14
            story.append(box)
        story.append(Spacer(1, 16))
        story += [paragraph(t, 12, True, "left", space_after=4) for t in voice.say("lots_heading")]
        story.append(self.lots())
        return story

    def lots(self) -> Table:
        voice = self.voice
        header = [[_cell(t, 8.5, True, "center") for t in voice.say(k)] for k in ("lot_no", "facility", "governorate",
                                                                                  "facility_type")]
        code = voice.codes[-1]
        govs = voice.labels[code].table("governorates") if voice.rtl else {}
        types = voice.labels[code].table("facility_types") if voice.rtl else {}
        rows: list[list[Any]] = [header]  # a cell may hold a list of flowables
        for n, fac in enumerate(self.programme.facilities, start=1):
            rows.append([_cell(str(n), 8.5, align="center"), _cell(fac.display_name("ar") if voice.rtl else fac.name, 8.5),
                         _cell(govs.get(fac.governorate, fac.governorate), 8.5),
                         _cell(types.get(fac.facility_type, fac.facility_type), 8.5)])
        return _table(rows, [FRAME_W * f for f in (0.08, 0.46, 0.18, 0.28)], True, voice.rtl)

    def section(self, name: str) -> list[Any]:
        story: list[Any] = []
        for code in self.voice.codes:
            story.append(PageBreak())
            story.extend(self.render(texts.section(name, code, self.values[code], self.facts), code))
        return story

    def render(self, blocks: list[texts.Block], code: str) -> list[Any]:
        out: list[Any] = []
        align = "right" if code == "ar" else "left"
        for block in blocks:
            if block.kind == "title":
                out.append(paragraph(block.text, 15, True, align, space_after=10))
            elif block.kind == "heading":
                out.append(paragraph(block.text, 10.5, True, align, space_before=6, space_after=3))
            elif block.kind == "para":
                out.append(paragraph(block.text, 9.5))
            elif block.kind == "bullet":
                out.append(paragraph(block.text, 9.5, bullet=True, space_after=3))
            elif block.kind == "table":
                out.append(self._text_table(block, code))
            elif block.kind == "lots":
                out.append(self.lots())
            elif block.kind == "signature":
                out.append(self.signature(code))
            elif block.kind == "bid_lots":
                out.append(self.bid_lots(code))
            elif block.kind == "particulars":
                out.append(self.particulars(code))
            elif block.kind == "submission":
                out.append(self.submission(code))
            elif block.kind == "drawings":
                out.append(self.drawings(code))
            elif block.kind == "security_lots":
                out.append(self.security_lots(code))
            elif block.kind == "specifications":
                out.extend(self.specifications(code))
            elif block.kind == "pagebreak":
                out.append(PageBreak())
        return out

    def _text_table(self, block: texts.Block, code: str) -> Table:
        columns = max(len(r) for r in block.rows)
        rows = [[_cell(c, 9, block.header and i == 0) for c in r] + [_cell("")] * (columns - len(r))
                for i, r in enumerate(block.rows)]
        # each column as wide as its longest text asks, within bounds (an empty column is room to write in)
        longest = [max(len(r[c]) if c < len(r) else 0 for r in block.rows) for c in range(columns)]
        weights = [max(12, min(45, n)) if n else 40 for n in longest]
        widths = [FRAME_W * w / sum(weights) for w in weights]
        return _table(rows, widths, block.header, code == "ar")

    def signature(self, code: str) -> SignatureBlock:
        labels = self.voice.labels[code]
        keys = ("bidder_name", "signatory", "signature", "date")
        align = "right" if code == "ar" else "left"
        rows = [(line(labels.get(k) + ":", 9, align=align),) for k in keys]
        return SignatureBlock(rows, (line(labels.get("stamp"), 9, align="center"),), code == "ar")

    # ---- the tables of the forms and particulars (one language each: a bilingual pack prints each
    # section in English, then in Arabic)

    def _head(self, code: str, *keys: str, size: float = 8.5) -> list[Any]:
        words = self.voice.labels[code]
        return [_cell(words.get(k, currency=self.programme.currency), size, True, "center") for k in keys]

    def _lot_name(self, n: int, code: str) -> str:
        facility = self.programme.facilities[n - 1]
        return facility.display_name(code)

    def bid_lots(self, code: str) -> Table:
        """The form of bid's price table: one row per lot, then the total of the lots bid for."""
        words = self.voice.labels[code]
        rows: list[list[Any]] = [self._head(code, "lot_no", "lot_name", "bid_figures", "bid_words")]
        for n, _ in enumerate(self.programme.facilities, start=1):
            rows.append([_cell(str(n), 8.5, align="center"), _cell(self._lot_name(n, code), 8.5), _write(), _write()])
        label = _cell(words.get("lots_bid_total"), 8.5, True)
        # the label spans the first two columns; a span shows its first cell, which is at the right when mirrored
        rows.append(["", label, _write(), _write()] if code == "ar" else [label, "", _write(), _write()])
        table = _table(rows, [FRAME_W * f for f in (0.07, 0.33, 0.22, 0.38)], True, code == "ar")
        last = len(rows) - 1
        span = ((2, last), (3, last)) if code == "ar" else ((0, last), (1, last))
        table.setStyle(TableStyle([("SPAN", *span)]))
        return table

    def particulars(self, code: str) -> Table:
        """Per lot: completion period, liquidated damages, defects liability, retention, advance, bid security."""
        words = self.voice.labels[code]
        rows: list[list[Any]] = [self._head(code, "lot_no", "lot_name", "completion_days", "liquidated_damages",
                                            "defects_days", "retention_percent", "advance_percent", "bid_security", size=7)]
        for n, facility in enumerate(self.programme.facilities, start=1):
            p = self.programme.lot_particulars(facility)
            damages = (words.get("damages_value", amount=fmt(p.liquidated_damages or ZERO),
                                 cap=_pct(p.liquidated_damages_cap or ZERO)) if p.liquidated_damages else words.get("none"))
            rows.append([_cell(str(n), 8, align="center"), _cell(facility.display_name(code), 8),
                         _cell(str(p.completion_days), 8, align="center"), _cell(_keep(damages), 8, align="center"),
                         _cell(str(p.defects_liability_days), 8, align="center"),
                         _cell(_keep(words.get("retention_value", percent=_pct(p.retention or ZERO),
                                               cap=_pct(p.retention_cap or ZERO))), 8, align="center"),
                         _cell(_keep(f"{_pct(p.advance or ZERO)} %"), 8, align="center"),
                         _cell(fmt(p.bid_security or ZERO) if p.bid_security else words.get("none"), 8, align="center")])
        widths = [0.06, 0.19, 0.12, 0.17, 0.09, 0.14, 0.09, 0.14]
        return _table(rows, [FRAME_W * f for f in widths], True, code == "ar")

    def security_lots(self, code: str) -> Table:
        """The bid security form's amounts: the fixed amount of each lot, in figures and in words."""
        rows: list[list[Any]] = [self._head(code, "lot_no", "lot_name", "security_figures", "security_words")]
        for n, facility in enumerate(self.programme.facilities, start=1):
            amount = self.programme.lot_particulars(facility).bid_security or ZERO
            rows.append([_cell(str(n), 8.5, align="center"), _cell(facility.display_name(code), 8.5),
                         _cell(fmt(amount), 8.5, align="right"),
                         _cell(amount_in_words(amount, self.programme.currency, code), 8)])
        return _table(rows, [FRAME_W * f for f in (0.07, 0.33, 0.18, 0.42)], True, code == "ar")

    def submission(self, code: str) -> Table:
        """The submission arrangements: only those the programme sets, and the envelopes."""
        words = self.voice.labels[code]
        t = self.programme.particulars
        values = self.values[code]
        rows: list[tuple[str, str]] = []
        address = (t.submission_address_ar or t.submission_address) if code == "ar" else t.submission_address
        if address:
            rows.append((words.get("submit_address"), address))
        if t.submission_email:
            rows.append((words.get("submit_email"), words.get("submit_email_value", email=t.submission_email)))
        if not rows:
            rows.append((words.get("submit_address"), words.get("submit_default", organisation=values["organisation"])))
        rows.append((words.get("envelopes"), words.get("two_envelopes_value" if t.two_envelopes else "one_envelope_value")))
        rows.append((words.get("deadline"), words.get("deadline_value", date=values["deadline"])))
        rows.append((words.get("clarification_deadline"), values["clarification_deadline"]))
        if t.site_visit is not None:
            rows.append((words.get("site_visit"), values["site_visit_date"]))
        table_rows = [[_cell(a, 9, True), _cell(b, 9)] for a, b in rows]
        return _table(table_rows, [FRAME_W * 0.3, FRAME_W * 0.7], False, code == "ar")

    def drawings(self, code: str) -> Any:
        words = self.voice.labels[code]
        drawings = self.programme.particulars.drawings
        if not drawings:
            return paragraph(words.get("no_drawings"), 9.5)
        rows: list[list[Any]] = [self._head(code, "change_no", "drawing_number", "drawing_title", "drawing_revision")]
        rows += [[_cell(str(n), 8.5, align="center"), _cell(d.number, 8.5), _cell(d.title, 8.5),
                  _cell(d.revision or "-", 8.5, align="center")] for n, d in enumerate(drawings, start=1)]
        return _table(rows, [FRAME_W * f for f in (0.07, 0.2, 0.58, 0.15)], True, code == "ar")

    def trades(self) -> list[str]:
        """The trades of the pack, in the order they first appear (`estimator.analysis.trades`)."""
        from estimator.analysis.trades import TradeMap

        if self.estimate is None:
            return []
        mapper = TradeMap(self.programme)
        seen: dict[str, None] = {}
        for ft in self.estimate.facilities:
            for bt in ft.bills:
                for trade in mapper.bill_trades(bt):
                    seen.setdefault(trade, None)
        return list(seen)

    def specifications(self, code: str) -> list[Any]:
        """The specification of every trade in the pack (templates/tender/<lang>/specifications/<trade>.md)."""
        words = self.voice.labels[code]
        out: list[Any] = []
        align = "right" if code == "ar" else "left"
        for n, trade in enumerate(self.trades(), start=1):
            blocks = texts.specification(slug(trade), code, self.values[code])
            if blocks is None:
                name = words.table("trades").get(trade, trade)
                out.append(paragraph(f"{n}. {name}", 10.5, True, align, space_before=6, space_after=3))
                out.append(paragraph(words.get("no_specification"), 9.5))
                continue
            if blocks and blocks[0].kind in ("title", "heading"):
                blocks[0] = texts.Block("heading", f"{n}. {blocks[0].text}")
            out.extend(self.render(blocks, code))
        return out

