"""Writing the sheets of the Excel BoQ: a facility's bills and the General Summary.

The layout is the contract in `estimator.export.xlsx_layout`; the figures are those of
`estimator.pricing` (printed quantity, printed rate), with the amounts and totals as formulas that
follow the same rule, so a spreadsheet recalculating the file gets the estimate to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from estimator import limits, units
from estimator.export.xlsx_layout import COLUMNS, FIRST_ROW, HEADER_ROW, UID_HEADER, letters
from estimator.export.xlsx_stream import Formula, SheetStream, Spec
from estimator.export.xlsx_styles import WRAPPING
from estimator.export.xlsx_text import has, pair, text
from estimator.model import PC_ATTENDANCE, Facility, Programme
from estimator.pricing import BillTotal, Estimate, FacilityTotal, is_fixed

# column key -> width in characters, per language
WIDTHS = {
    "en": {"item": 11, "description": 60, "unit": 8, "quantity": 12, "rate": 14, "amount": 16, "uid": 18},
    "ar": {"item": 16, "description": 56, "unit": 8, "quantity": 12, "rate": 15, "amount": 16, "uid": 18},
    "both": {"item": 15, "description": 44, "description_ar": 44, "unit": 11, "quantity": 12, "rate": 15,
             "amount": 16, "uid": 18},
}
SUMMARY_WIDTHS = {"en": (13, 62, 10, 18), "ar": (16, 60, 10, 18), "both": (15, 62, 14, 18)}  # No. | lot | % | amount
TALL = 42.0  # row height (points) for a signature or a stamp
HEADER_HEIGHT = 20.0  # column headers: room for bold Arabic, whose marks reach above the line


@dataclass(slots=True)
class Context:
    programme: Programme
    estimate: Estimate
    lang: str
    priced: bool
    fast: bool = True

    @property
    def currency(self) -> str:
        return self.estimate.currency

    def cached(self, value: Decimal) -> Decimal:
        """What a formula comes to in this copy: the estimate's figure. A tender copy's estimate is
        `pricing.tender_view`: the fixed sums only, as no rate is filled in yet."""
        return value


def _escape(value: str, limit: int = 80) -> str:
    """Text for a page header or footer: `&` is a code there, and the whole is at most 255 chars."""
    value = " ".join(limits.xml_text(value).split())
    return (value[: limit - 1] + "…" if len(value) > limit else value).replace("&", "&&")


def _page_texts(ctx: Context) -> tuple[str, str, str]:
    """The document kind (page header), "Page x of y" and the signature request (page footer).

    Arabic in a header stays plain text: LibreOffice ignores bidi embedding marks there, and a
    trailing blank line or colon would land on the wrong side of an Arabic phrase, so there is none.
    """
    key = "priced_kind" if ctx.priced else "tender_kind"
    kind, page, sign = (text(k, "en") for k in (key, "page", "sign_every_page"))
    kind_ar, page_ar, sign_ar = (text(k, "ar") for k in (key, "page", "sign_every_page"))
    if ctx.lang == "ar":
        return kind_ar, page_ar, sign_ar
    if ctx.lang == "both":
        return f"{kind} / {kind_ar}", page, f"{sign} ________ / {sign_ar}"
    return kind, page, f"{sign} ________"


def setup_sheet(ws: Any, ctx: Context, widths: Sequence[float], hidden: Sequence[int], footer_name: str) -> None:
    """Views, columns and print settings; must run before the first row is written."""
    ws.sheet_view.rightToLeft = ctx.lang == "ar"
    ws.freeze_panes = f"A{FIRST_ROW}"
    for index, width in enumerate(widths, start=1):
        dim = ws.column_dimensions[_letter(index)]
        dim.width = width
        dim.hidden = index in hidden
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.orientation = "landscape" if ctx.lang == "both" else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.75, bottom=0.75, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    kind, page, sign = _page_texts(ctx)
    near, far = ("right", "left") if ctx.lang == "ar" else ("left", "right")
    hf = ws.HeaderFooter
    getattr(hf.oddHeader, near).text = _escape(ctx.programme.reference, 60)
    getattr(hf.oddHeader, far).text = _escape(kind, 100)
    getattr(hf.oddFooter, near).text = _escape(footer_name, 60)
    hf.oddFooter.center.text = page
    if not ctx.priced:
        getattr(hf.oddFooter, far).text = _escape(sign, 100)


def _letter(index: int) -> str:
    return str(get_column_letter(index))


def header_block(s: SheetStream, ctx: Context, width: int, labels: tuple[int, int], last: tuple[str, str]) -> None:
    """Rows 1-4: programme, tender reference | currency, revision | date, and `last` (label key, value).

    `labels` are the two columns holding labels; each value is in the column after its label.
    """
    p, lang = ctx.programme, ctx.lang
    label1, label2 = labels

    def row(*cells: tuple[int, str, str]) -> None:
        specs: list[Spec] = [None] * width
        for index, key, value in cells:
            specs[index - 1] = (text(key, lang), "BoQ Label")
            specs[index] = (value, "BoQ Value")
        s.append(specs)

    s.append([(in_lang(p.name, p.name_ar, lang), "BoQ Title")])
    row((label1, "reference", p.reference), (label2, "currency", ctx.currency))
    row((label1, "revision", p.revision), (label2, "date", p.issue_date.isoformat()))
    if ctx.priced:  # an engineer's estimate says so on the sheet itself, not only in the page header
        specs: list[Spec] = [None] * width
        specs[label1 - 1], specs[label1] = (text(last[0], lang), "BoQ Label"), (last[1], "BoQ Value")
        specs[label2 - 1] = (text("priced_kind", lang), "BoQ Label")
        s.append(specs)
    else:
        row((label1, last[0], last[1]))


def in_lang(name: str, name_ar: str, lang: str) -> str:
    """A programme's or organisation's name in the workbook's language (both: "English / Arabic")."""
    if lang == "ar":
        return name_ar or name
    return f"{name} / {name_ar}" if lang == "both" and name_ar and name_ar != name else name


def unit_label(unit: str, lang: str) -> str:
    if lang != "both":
        return units.label(unit, lang)
    en, ar = units.label(unit, "en"), units.label(unit, "ar")
    return en if en == ar else f"{en} / {ar}"


def bidder_block(s: SheetStream, width: int, label_col: int, input_cols: tuple[int, int], lang: str) -> None:
    """Company, date, signature and stamp: unlocked input cells merged across `input_cols`."""
    s.append([])
    first, last = input_cols
    section: list[Spec] = [None] * (label_col - 1) + [(None, "BoQ Section")] * (width - label_col + 1)
    section[label_col - 1] = (text("bidder", lang), "BoQ Section")
    s.append(section)
    for key, height in (("company", None), ("bid_date", None), ("signature", TALL), ("stamp", TALL)):
        specs: list[Spec] = [None] * width
        specs[label_col - 1] = (text(key, lang), "BoQ Label")
        for col in range(first, last + 1):
            specs[col - 1] = (None, "BoQ Input Text")
        row = s.append(specs, height=height)
        s.ws.merged_cells.add(f"{_letter(first)}{row}:{_letter(last)}{row}")


def protect(ws: Any) -> None:
    """Lock every cell but the input cells; no password (it guards against slips, not against intent)."""
    ws.protection.sheet = True
    ws.protection.formatRows = False  # allowed: bidders may make rows taller to read
    ws.protection.formatColumns = True  # not allowed: keeps the uid column hidden


def rate_validation(ws: Any, ranges: list[str], ctx: Context) -> None:
    """Rate cells accept a decimal >= 0 (or nothing), with an input message saying so."""
    if not ranges:
        return
    lang = ctx.lang  # titles hold at most 32 characters, messages 255
    dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                        showInputMessage=True, showErrorMessage=True, errorStyle="stop",
                        promptTitle=text("prompt_title", lang).replace("\n", " / ")[:32],
                        prompt=limits.xml_text(text("prompt", lang, currency=ctx.currency))[:255],
                        errorTitle=text("error_title", lang).replace("\n", " / ")[:32],
                        error=text("error", lang)[:255])
    dv.sqref = MultiCellRange(" ".join(ranges))
    ws.data_validations.append(dv)


def facility_name(facility: Facility, lang: str) -> str:
    """The facility as a sheet names it: Arabic sheets use its Arabic name, bilingual ones both."""
    if lang == "both" and facility.name_ar:
        return f"{facility.name} / {facility.name_ar}"
    return facility.display_name("ar" if lang == "ar" else "en")


def write_facility(ws: Any, ctx: Context, ft: FacilityTotal) -> str:
    """One facility sheet; returns the coordinate of its total cell (e.g. `F187`)."""
    lang, keys = ctx.lang, COLUMNS[ctx.lang]
    col = {k: i for i, k in enumerate(keys)}  # 0-based positions in a row
    let = letters(lang)
    width = len(keys)
    f = ft.facility
    where = ", ".join(x for x in (f.governorate, f.district) if x)
    widths = [WIDTHS[lang][k] for k in keys]
    setup_sheet(ws, ctx, widths, [col["uid"] + 1], f.name)
    s = SheetStream(ws, widths, WRAPPING, fast=ctx.fast)
    header_block(s, ctx, width, (1, col["quantity"] + 1),
                 ("facility", f"{facility_name(f, lang)} ({where})" if where else facility_name(f, lang)))
    s.append([(text(k, lang, currency=ctx.currency), "BoQ Header") if k != "uid" else (UID_HEADER, "BoQ Hidden")
              for k in keys], least=HEADER_HEIGHT)
    rate_ranges: list[str] = []
    bill_totals: list[tuple[BillTotal, str]] = []
    for number, bt in enumerate(ft.bills, start=1):
        bill_totals.append((bt, _bill(s, ctx, bt, number, col, let, rate_ranges)))
    # summary of bills and the facility total
    s.append(_text_row(col, width, "BoQ Section", pair("bills_summary", lang, facility=f.name)))
    first = s.row + 1
    for number, (bt, cell) in enumerate(bill_totals, start=1):
        specs = _text_row(col, width, "BoQ Text", _names(bt, lang))
        specs[col["item"]] = (number, "BoQ Ref")
        specs[col["amount"]] = (Formula(f"={cell}", ctx.cached(bt.total)), "BoQ Number")
        s.append(specs)
    specs = _text_row(col, width, "BoQ Total Label", pair("facility_total", lang, facility=f.name))
    amount = let["amount"]
    total = Formula(f"=SUM({amount}{first}:{amount}{s.row})", ctx.cached(ft.total)) if bill_totals else 0
    specs[col["amount"]] = (total, "BoQ Grand Total")
    total_row = s.append(specs)
    if not ctx.priced:
        label = col["description"] + 1
        bidder_block(s, width - 1, label, (label + 1, col["amount"] + 1), lang)
        protect(ws)
        rate_validation(ws, rate_ranges, ctx)
    return f"{amount}{total_row}"


def _names(bt: BillTotal, lang: str) -> tuple[str, str | None]:
    name, name_ar = bt.bill.name, bt.bill.name_ar or bt.bill.name
    if lang == "both":
        return name, name_ar
    return (name_ar if lang == "ar" else name), None


def _text_row(col: dict[str, int], width: int, style: str, texts: tuple[str, str | None]) -> list[Spec]:
    """A row styled `style` across the visible columns, with `texts` in the description column(s)."""
    specs: list[Spec] = [(None, style)] * (width - 1) + [None]
    specs[col["description"]] = (texts[0], style)
    if texts[1] is not None:
        specs[col["description_ar"]] = (texts[1], "BoQ Arabic" if style == "BoQ Text" else style)
    return specs


def _bill(s: SheetStream, ctx: Context, bt: BillTotal, number: int, col: dict[str, int], let: dict[str, str],
          rate_ranges: list[str]) -> str:
    """A bill's section row, item rows and total row; returns the total cell."""
    lang, width = ctx.lang, len(col)
    s.append(_text_row(col, width, "BoQ Section", _names(bt, lang)))
    qty, rate, amount = let["quantity"], let["rate"], let["amount"]
    i_item, i_desc, i_unit, i_qty, i_rate, i_amount, i_uid = (
        col[k] for k in ("item", "description", "unit", "quantity", "rate", "amount", "uid"))
    i_ar = col.get("description_ar")
    first = s.row + 1
    open_from: int | None = None  # first row of the current run of rate cells bidders fill in
    for ln in bt.lines:
        item = ln.item
        r = s.row + 1
        fixed = is_fixed(item)
        if ctx.priced or fixed:
            rate_spec: Spec = (float(ln.rate), "BoQ Number" if ctx.priced else "BoQ Fixed")
            if open_from is not None:
                rate_ranges.append(f"{rate}{open_from}:{rate}{r - 1}")
                open_from = None
        else:
            rate_spec = (None, "BoQ Input")
            open_from = r if open_from is None else open_from
        per = "/100" if item.kind == PC_ATTENDANCE else ""
        specs: list[Spec] = [None] * width
        specs[i_item] = (item.ref, "BoQ Ref")
        if lang == "ar" and item.description_ar:
            specs[i_desc] = (item.description_ar, "BoQ Arabic")
        else:
            specs[i_desc] = (item.description, "BoQ Text")
        if i_ar is not None:
            specs[i_ar] = (item.description_ar, "BoQ Arabic")
        specs[i_unit] = (unit_label(ln.unit, lang), "BoQ Unit")
        specs[i_qty] = (float(ln.quantity), "BoQ Number")
        specs[i_rate] = rate_spec
        specs[i_amount] = (Formula(f"=ROUND({qty}{r}*{rate}{r}{per},2)", ctx.cached(ln.amount)), "BoQ Number")
        specs[i_uid] = (item.uid, "")
        s.append(specs)
    last = s.row
    if open_from is not None and not ctx.priced:
        rate_ranges.append(f"{rate}{open_from}:{rate}{last}")
    specs = _text_row(col, width, "BoQ Total Label", pair("bill_total", lang, bill=_names_pair(bt, number)))
    bill_total = Formula(f"=SUM({amount}{first}:{amount}{last})", ctx.cached(bt.total)) if last >= first else 0
    specs[i_amount] = (bill_total, "BoQ Total")
    total_row = s.append(specs)
    s.append([])
    return f"{amount}{total_row}"


def _names_pair(bt: BillTotal, number: int) -> tuple[str, str]:
    return bt.bill.name, bt.bill.name_ar or text("bill_number", "ar", number=str(number))


def write_summary(ws: Any, ctx: Context, sheets: list[tuple[FacilityTotal, str, str]]) -> None:
    """The General Summary: `sheets` is (facility total, sheet name, total cell) per facility."""
    lang, p = ctx.lang, ctx.programme
    widths = SUMMARY_WIDTHS[lang]
    setup_sheet(ws, ctx, widths, (), text("summary_sheet", lang).replace("\n", " / "))
    s = SheetStream(ws, widths, WRAPPING, fast=ctx.fast)
    header_block(s, ctx, 4, (1, 3), ("organisation", in_lang(p.organisation, p.organisation_ar, lang)))
    s.append([(text(k, lang, currency=ctx.currency), "BoQ Header") for k in ("no", "lot", "percent", "amount")],
             least=HEADER_HEIGHT)
    first = s.row + 1
    for number, (ft, sheet, cell) in enumerate(sheets, start=1):
        s.append([(number, "BoQ Ref"), (facility_name(ft.facility, lang), "BoQ Text"), (None, "BoQ Text"),
                  (Formula(f"={quote_sheetname(sheet)}!{cell}", ctx.cached(ft.total)), "BoQ Number")])
    est = ctx.estimate
    subtotal = Formula(f"=SUM(D{first}:D{s.row})", ctx.cached(est.subtotal)) if sheets else 0
    sub = s.append([(None, "BoQ Total Label"), (text("subtotal", lang), "BoQ Total Label"), (None, "BoQ Total Label"),
                    (subtotal, "BoQ Total")])
    markup_rows = []
    for m in est.markups:
        r = s.row + 1  # the percent is in its own cell, C, so the formula shows what it applies
        markup_rows.append(s.append([(None, "BoQ Text"), (text(m.name, lang) if has(m.name) else m.name, "BoQ Text"),
                                     (float(m.percent), "BoQ Percent"),
                                     (Formula(f"=ROUND(D{sub}*C{r}/100,2)", ctx.cached(m.amount)), "BoQ Number")]))
    grand = f"=D{sub}+SUM(D{markup_rows[0]}:D{markup_rows[-1]})" if markup_rows else f"=D{sub}"
    s.append([(None, "BoQ Total Label"), (text("grand_total", lang), "BoQ Total Label"), (None, "BoQ Total Label"),
              (Formula(grand, ctx.cached(est.grand_total)), "BoQ Grand Total")])
    if not ctx.priced:
        bidder_block(s, 4, 2, (3, 4), lang)
        protect(ws)
