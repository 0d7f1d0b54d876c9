"""The payment certificate as a PDF, in English, Arabic or both (`boq contract certificate --pdf`).

Landscape A4: the title and the contract's particulars; one row per item (contract quantity, rate,
previous, this period and cumulative quantity, value to date and this period's value); the summary
(gross value, materials on site, retention with its cap, advance recovery, previous certificates,
amount due) and the amount due in words; the signature blocks of the supervising engineer, the
contractor and the employer; "Page x of y". Texts are in templates/contracts/certificate.toml. In
Arabic the columns run right to left; in both languages every heading carries the two. Arabic is
shaped and ordered by `analysis.pdfbits` (the fonts of the analysis reports). The figures are the
certificate's own, printed with `money.fmt`: what is printed is what is summed. Written atomically.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from estimator import paths
from estimator.analysis.pdfbits import HEAD, fonts, numbered_canvas, shaped, table_style, text
from estimator.atomic import atomic_output
from estimator.contracts.model import Certificate, Terms
from estimator.model import Programme
from estimator.money import ZERO, fmt, percent_of
from estimator.units import label as unit_label

PAGE = landscape(A4)
MARGIN = 30
WIDTH = PAGE[0] - 2 * MARGIN
# item, description, unit, contract qty, rate, previous, this period, cumulative, value to date, this period value
WIDTHS = (38, 248, 40, 60, 60, 62, 62, 78, 67, 67)
CHUNK = 200  # item rows per table (see `items_table`)
ITEM_KEYS = ("item", "description", "unit", "contract_qty", "rate", "previous_qty", "this_qty", "cumulative_qty",
             "value_to_date", "this_value")


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, str]]:
    with (paths.templates_dir() / "contracts" / "certificate.toml").open("rb") as fh:
        data = tomllib.load(fh)
    return {code: {str(k): str(v) for k, v in data[code].items()} for code in ("en", "ar")}


@lru_cache(maxsize=64)
def _style(size: float, bold: bool, right: bool) -> ParagraphStyle:
    f = fonts()
    return ParagraphStyle(f"c{size}{bold}{right}", fontName=f["bold" if bold else "regular"], fontSize=size,
                          leading=size * 1.3, alignment=TA_RIGHT if right else TA_LEFT)


def _para(value: str, size: float = 7.5, bold: bool = False, right: bool = False) -> Paragraph:
    return Paragraph(text(value), _style(size, bold, right))


class Words:
    """The certificate's texts in its language(s)."""

    def __init__(self, lang: str) -> None:
        self.codes = ("en", "ar") if lang == "both" else (lang,)
        self.rtl = self.codes == ("ar",)

    def say(self, key: str, **values: str) -> list[str]:
        return [labels()[code][key].format(**values) for code in self.codes]

    def cell(self, key: str, size: float = 7.5, bold: bool = False, number: bool = False,
             values: dict[str, str] | None = None) -> list[Any]:
        return [_para(t, size, bold, right=code == "ar" or number)
                for code, t in zip(self.codes, self.say(key, **(values or {})), strict=True)]

    def line(self, key: str, width: float, size: float = 7.5, bold: bool = False) -> Any:
        """The label in one line: in both languages, English on the left and Arabic on the right."""
        cells = self.cell(key, size, bold)
        if len(cells) == 1:
            return cells[0]
        table = Table([cells], colWidths=[width / 2] * 2)
        table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                   ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        return table

    def row(self, cells: list[Any]) -> list[Any]:
        return cells[::-1] if self.rtl else cells


def write_certificate_pdf(cert: Certificate, terms: Terms, programme: Programme, path: Path, lang: str = "both",
                          draft: bool = False) -> None:
    if lang not in ("en", "ar", "both"):
        raise ValueError(f"language {lang!r}")
    story = build_story(cert, terms, programme, Words(lang), draft)
    title = " / ".join(Words(lang).say(cert.kind, number=str(cert.number)))
    first = labels()["en" if lang == "both" else lang][cert.kind].format(number=cert.number)
    footer = f"{programme.reference or programme.name} - {cert.lot_name} - {first}"
    with atomic_output(path) as tmp:
        doc = SimpleDocTemplate(str(tmp), pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN - 6,
                                bottomMargin=MARGIN + 4, title=title, author=programme.organisation)
        doc.build(story, canvasmaker=numbered_canvas(footer))


def build_story(c: Certificate, terms: Terms, programme: Programme, w: Words, draft: bool) -> list[Any]:
    titles = [_para(t, 14, True, right=code == "ar") for code, t in
              zip(w.codes, w.say(c.kind, number=str(c.number)), strict=True)]
    if draft:
        titles = [[t, _para(d, 11, True, right=code == "ar")]
                  for t, code, d in zip(titles, w.codes, w.say("draft"), strict=True)]
    head = Table([titles], colWidths=[WIDTH / len(titles)] * len(titles))  # both languages on one line
    head.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    story: list[Any] = [head, Spacer(1, 6)]
    facility = next((f for f in programme.facilities if f.uid == c.lot), None)
    lot_name = c.lot_name if facility is None or w.codes != ("ar",) else facility.display_name("ar")
    info = [("programme", programme.name), ("reference", programme.reference or "-"), ("lot", lot_name),
            ("contractor", c.contractor), ("period", str(c.period)), ("date", c.date.isoformat()),
            ("currency", c.currency)]
    pairs = [info[i:i + 2] for i in range(0, len(info), 2)]
    rows = []
    for pair in pairs:
        cells: list[Any] = []
        for key, value in pair:
            cells += [w.cell(key, bold=True), _para(value, 8, right=w.rtl)]
        rows.append(w.row(cells + [""] * (4 - len(cells))))
    table = Table(rows, colWidths=w.row([120.0, 271.0, 120.0, 271.0]))
    shade = (1, 3) if w.rtl else (0, 2)
    table.setStyle(TableStyle([*table_style(0), *(("BACKGROUND", (col, 0), (col, -1), HEAD) for col in shade)]))
    story += [table, Spacer(1, 8), *items_table(c, w), Spacer(1, 8), KeepTogether([summary_table(c, w, terms)]),
              Spacer(1, 6)]
    from estimator.export.pdf.words import amount_in_words

    words = [_para(f"{labels()[code]['in_words']}: {amount_in_words(abs(c.amount_due), c.currency, code)}", 8,
                   right=code == "ar") for code in w.codes]
    line = Table([words], colWidths=[WIDTH / len(words)] * len(words))
    line.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    story += [line, Spacer(1, 6), signatures(w)]
    return story


def items_table(c: Certificate, w: Words) -> list[Table]:
    """One row per item. Only the descriptions are paragraphs (they wrap): a 12,000-item
    certificate has 120,000 cells, and plain strings are drawn many times faster than paragraphs."""
    header = w.row([w.cell(key, 7, True, number=n >= 3) for n, key in enumerate(ITEM_KEYS)])
    rows: list[list[Any]] = [header]
    for ln in c.lines:
        description = []
        if "en" in w.codes or not ln.description_ar:
            description.append(_para(ln.description, 7))
        if "ar" in w.codes and ln.description_ar:
            description.append(_para(ln.description_ar, 7, right=True))
        unit = shaped(unit_label(ln.unit, "ar"))[1] if w.rtl else unit_label(ln.unit)  # both: the symbol, m²
        cumulative = fmt(ln.cumulative_quantity, 3) + ("" if ln.percent is None else f" ({ln.percent.normalize():f} %)")
        numbers = [fmt(ln.contract_quantity, 3), fmt(ln.rate), fmt(ln.previous_quantity, 3), fmt(ln.this_quantity, 3),
                   cumulative, fmt(ln.cumulative_value), fmt(ln.this_value)]
        rows.append(w.row([ln.ref, description, unit, *numbers]))
    total = sum((ln.this_value for ln in c.lines), ZERO)
    rows.append(w.row(["", w.cell("gross_to_date", 7, True)] + [""] * 6 + [fmt(c.gross_to_date), fmt(total)]))
    # reportlab splits a long table page by page, measuring the rows left each time (quadratic): tables of
    # CHUNK rows keep a 12,000-item certificate linear; each repeats the header on the pages it spans
    tables = []
    for start in range(1, len(rows), CHUNK):
        part = [header, *rows[start:start + CHUNK]]
        table = Table(part, colWidths=w.row(list(WIDTHS)), repeatRows=1)
        numeric = (0, 6) if w.rtl else (3, 9)
        table.setStyle(TableStyle([*table_style(1), ("FONT", (0, 1), (-1, -1), fonts()["regular"], 7),
                                   ("ALIGN", (numeric[0], 1), (numeric[1], -1), "RIGHT"),
                                   *([("FONT", (7, 1), (7, -1), fonts()["arabic"], 8)] if w.rtl else []),
                                   ("ALIGN", (-1 if w.rtl else 0, 1), (-1 if w.rtl else 0, -1),
                                    "RIGHT" if w.rtl else "LEFT")]))
        tables.append(table)
    tables[-1].setStyle(TableStyle([("FONT", (0, -1), (-1, -1), fonts()["bold"], 7)]))
    return tables


def summary_table(c: Certificate, w: Words, terms: Terms) -> Table:
    cap = labels()[w.codes[0]]["no_cap"] if terms.retention_cap is None else \
        fmt(percent_of(c.contract_sum, terms.retention_cap))
    lines: list[tuple[str, Any, dict[str, str], bool]] = [
        ("contract_sum", c.contract_sum, {}, False),
        ("revised_sum", c.revised_sum, {}, False),
        ("gross_to_date", c.gross_to_date, {}, True),
        ("materials", c.materials_on_site, {}, False),
        ("valuation", c.valuation, {}, True),
        ("retention", -c.retention, {"retention": str(terms.retention), "cap": cap}, False),
        ("advance_recovery", -c.advance_recovery, {"advance": fmt(c.advance)}, False),
        ("net_to_date", c.net_to_date, {}, True),
        ("previous", -c.previous_certified, {}, False),
        ("amount_due", c.amount_due, {}, True),
    ]
    # in both languages the two labels stand side by side, so the summary stays one line a row
    rows = [w.row([*w.cell(key, 8, bold, values=values), _para(f"{fmt(value)} {c.currency}", 8, bold, True)])
            for key, value, values, bold in lines]
    widths = [300.0, 300.0, 130.0] if len(w.codes) == 2 else [430.0, 130.0]
    table = Table(rows, colWidths=w.row(widths), hAlign="LEFT" if w.rtl else "RIGHT")
    table.setStyle(TableStyle([*table_style(0), ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), HEAD)]))
    return table


def signatures(w: Words) -> Table:
    keys = ("engineer", "contractor", "employer")
    inner = WIDTH / 3 - 16
    cells = [[w.line(key, inner, 8, True), Spacer(1, 22), w.line("signature", inner, 6.5)] for key in keys]
    table = Table([w.row(cells)], colWidths=[WIDTH / 3] * 3)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEABOVE", (0, 0), (-1, 0), 0.4, HEAD)]))
    return table
