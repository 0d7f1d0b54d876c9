"""The text pages of the pack: cover, the template sections and the form of bid.

Section templates are read, filled and parsed by `texts`; here each block becomes a flowable in
the direction of its language. In a bilingual pack each section is printed in English and then in
Arabic, each starting on a new page.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import Color
from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

from estimator.export.pdf import texts
from estimator.export.pdf.flowables import SignatureBlock, paragraph
from estimator.export.pdf.layout import FRAME_W, line
from estimator.export.pdf.voice import Voice
from estimator.model import Programme

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


def _cell(value: str, size: float = 9, bold: bool = False, align: str = "left") -> Any:
    if not value.strip():
        return Spacer(1, 16)  # an empty cell is room to write in
    return paragraph(value, size, bold, align=align, space_after=0)


class Sections:
    def __init__(self, programme: Programme, voice: Voice, values: dict[str, dict[str, str]], priced: bool) -> None:
        self.programme = programme
        self.voice = voice
        self.values = values
        self.priced = priced

    def cover(self) -> list[Any]:
        voice, prog = self.voice, self.programme
        story: list[Any] = [Spacer(1, 36), _cell(prog.organisation, 13, True, "center"), Spacer(1, 28),
                            paragraph(prog.name, 20, True, "center", space_after=14)]
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
            story.extend(self.render(texts.section(name, code, self.values[code]), code))
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
            elif block.kind == "pagebreak":
                out.append(PageBreak())
        return out

    def _text_table(self, block: texts.Block, code: str) -> Table:
        columns = max(len(r) for r in block.rows)
        rows = [[_cell(c, 9, block.header and i == 0) for c in r] + [_cell("")] * (columns - len(r))
                for i, r in enumerate(block.rows)]
        widths = [FRAME_W * 0.34] + [FRAME_W * 0.66 / (columns - 1)] * (columns - 1) if columns > 1 else [FRAME_W]
        return _table(rows, widths, block.header, code == "ar")

    def signature(self, code: str) -> SignatureBlock:
        labels = self.voice.labels[code]
        keys = ("bidder_name", "signatory", "signature", "date")
        align = "right" if code == "ar" else "left"
        rows = [(line(labels.get(k) + ":", 9, align=align),) for k in keys]
        return SignatureBlock(rows, (line(labels.get("stamp"), 9, align="center"),), code == "ar")
