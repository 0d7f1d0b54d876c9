"""The rows of the money tables: column headers, BoQ items, list entries and totals.

Figures come straight from `estimator.pricing` and are formatted with `money.fmt`; an unpriced
pack prints a dotted line to write on instead of a rate or an amount.
"""

from __future__ import annotations

from decimal import Decimal

from estimator.export.pdf.grid import Cell, Columns, Lines, Row, Span
from estimator.export.pdf.layout import SIGNATURE_H, SIZE, boq_columns, cell_width, line, list_columns, text
from estimator.export.pdf.pages import Strip
from estimator.export.pdf.voice import Voice
from estimator.export.pdf.words import amount_in_words
from estimator.money import fmt
from estimator.pricing import Line, is_fixed
from estimator.units import label as unit_label


def bill_name(name: str, name_ar: str, number: int, code: str) -> str:
    """A bill's name in `code`, without a leading number that repeats the bill number ("3 Tiling")."""
    value = (name_ar or name) if code == "ar" else name
    head, _, rest = value.partition(" ")
    return rest if rest and head.rstrip(".:") == str(number) else value


class RowMaker:
    def __init__(self, voice: Voice, priced: bool, currency: str) -> None:
        self.voice = voice
        self.currency = currency
        self.priced = priced
        self.lang = voice.lang
        self.cols = boq_columns(self.lang)
        self.lcols = list_columns(self.lang)
        self.boq_header = self.header(self.cols, ("ref", "item"), ("desc", "description"), ("desc_ar", "description"),
                                      ("unit", "unit"), ("qty", "quantity"), ("rate", "rate"), ("amount", "amount"))
        self.list_header = self.header(self.lcols, ("ref", "ref"), ("desc", "description"), ("amount", "amount"))
        boxes = tuple(self.voice.parts(k, 120, size=6.5) for k in ("signature", "name", "date", "stamp"))
        # the bidder signs and stamps every page of a tender copy; an engineer's estimate has no bidder
        self.strip: Strip | None = None if priced else Strip(boxes, self.voice.rtl)
        self.strip_h = 0.0 if priced else SIGNATURE_H

    def header(self, cols: Columns, *titles: tuple[str, str]) -> Row:
        spans = []
        for key, label in titles:
            if key not in cols.keys:
                continue
            width = cell_width(cols, key)
            if self.lang == "both" and key in ("desc", "desc_ar"):  # one language per description column
                code = "ar" if key == "desc_ar" else "en"
                parts: tuple[Lines, ...] = (text(self.voice.words(code).get(label), width, bold=True, align="center"),)
            else:
                parts = self.voice.parts(label, width, bold=True, align_en="center", align_ar="center",
                                         fields={"currency": self.currency})
            spans.append(Span(key, key, Cell(parts)))
        return Row(spans, style="head")

    def money(self, value: Decimal, fixed: bool = False) -> Decimal | None:
        """`value` to print, or None (a line to write on) in a tender copy unless the figure is
        `fixed`: made only of provisional and prime cost sums, known before anyone prices."""
        return value if self.priced or fixed else None

    def figure(self, key: str, value: Decimal | None, bold: bool = False) -> Span:
        if value is None:
            return Span(key, key, Cell((), blank=True))
        return Span(key, key, Cell((line(fmt(value), SIZE, bold, align="right"),)))

    def total(self, cols: Columns, key: str, value: Decimal | None, style: str = "total", **fields: object) -> Row:
        """A label across every column but the amount, and the amount (blank when unpriced)."""
        align_en, align_ar = self.voice.next_to_figure()
        before = cols.keys[cols.keys.index("amount") - 1]
        parts = self.voice.parts(key, cell_width(cols, cols.keys[0], before), bold=True,
                                 align_en=align_en, align_ar=align_ar, fields=fields)
        return Row([Span(cols.keys[0], before, Cell(parts)), self.figure("amount", value, bold=True)], style=style)

    def markup(self, name: str, percent: Decimal, amount: Decimal) -> Row:
        cols = self.lcols
        align_en, align_ar = self.voice.next_to_figure()
        before = cols.keys[cols.keys.index("amount") - 1]
        parts = []
        for code in self.voice.codes:
            words = self.voice.words(code)
            value = words.get("markup", name=words.table("markups").get(name, name), percent=percent)
            parts.append(text(value, cell_width(cols, cols.keys[0], before), bold=True,
                              align=align_ar if code == "ar" else align_en))
        return Row([Span(cols.keys[0], before, Cell(tuple(parts))), self.figure("amount", self.money(amount), True)],
                   style="total")

    def in_words(self, grand_total: Decimal, currency: str) -> Row:
        """The grand total in words (a line to write it on when unpriced)."""
        cols = self.lcols
        width = cell_width(cols, cols.keys[0], cols.keys[-1])
        parts = []
        for code, head in zip(self.voice.codes, self.voice.say("in_words"), strict=True):
            value = f"{head}: {amount_in_words(grand_total, currency, code)}" if self.priced else f"{head}:"
            parts.append(text(value, width, align="right" if code == "ar" else "left"))
        return Row([Span(cols.keys[0], cols.keys[-1], Cell(tuple(parts), blank=not self.priced))],
                   min_lines=1 if self.priced else 3)

    def item(self, bill_no: int, index: int, ln: Line) -> Row:
        item, cols = ln.item, self.cols
        ref = item.ref or f"{bill_no}.{index}"
        provisional = [f" {p}" if item.provisional else "" for p in self.voice.say("provisional")]
        spans = [Span("ref", "ref", Cell((line(ref, align="right" if self.voice.rtl else "left"),)))]
        if self.lang == "both":
            spans.append(Span("desc", "desc", Cell((text(item.description + provisional[0], cell_width(cols, "desc")),))))
            ar = item.description_ar + provisional[1] if item.description_ar else ""
            spans.append(Span("desc_ar", "desc_ar", Cell((text(ar, cell_width(cols, "desc_ar")),))))
        else:
            desc = (item.description_ar or item.description) if self.lang == "ar" else item.description
            spans.append(Span("desc", "desc", Cell((text(desc + provisional[0], cell_width(cols, "desc"),
                                                         align="right" if self.voice.rtl else "left"),))))
        spans.append(Span("unit", "unit", Cell((line(unit_label(ln.unit, "ar" if self.voice.rtl else "en"),
                                                     align="center"),))))
        fixed = is_fixed(item)
        spans += [self.figure("qty", ln.quantity), self.figure("rate", self.money(ln.rate, fixed)),
                  self.figure("amount", self.money(ln.amount, fixed))]
        return Row(spans, amount=ln.amount, fixed=fixed)

    def entry(self, ref: str, desc: str, desc_ar: str = "", *, amount: Decimal, fixed: bool = False) -> list[Row]:
        """One line of a collection or summary: reference, description (both languages), amount."""
        cols = self.lcols
        parts = [text(desc, cell_width(cols, "desc"))]
        if self.lang == "both" and desc_ar and desc_ar != desc:
            parts.append(text(desc_ar, cell_width(cols, "desc")))
        ref_cell = Cell((line(ref, align="right" if self.voice.rtl else "left"),))
        return [Row([Span("ref", "ref", ref_cell), Span("desc", "desc", Cell(tuple(parts))),
                     self.figure("amount", self.money(amount, fixed))], amount=amount, fixed=fixed)]
