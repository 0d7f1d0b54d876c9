"""A certificate as JSON and as a workbook whose formulas give the certificate's own figures.

JSON: `{"lot", "period", "currency", "gross_to_date", "retention", "advance_recovery",
"previous_certified", "amount_due", "items": [...]}` and the other figures, as decimal strings.

Workbook: sheet Certificate, one row per item with the contract quantity, rate, previous and
cumulative quantity typed in, and formulas for this period's quantity, the value to date
(`ROUND(quantity x rate, 2)`, or `ROUND(ROUND(qty x rate, 2) x % / 100, 2)` for a lump sum measured as
% complete) and this period's value; then the summary: gross (SUM), materials, valuation, retention
(`MIN` of the % and the cap), advance recovery (`ROUND(advance x MIN(MAX(...), 0), 1)`), net,
previous certificates and the amount due. A spreadsheet recalculating it gets the certificate's
figures to the cent (tests/test_contracts_exports.py recalculates it with LibreOffice). User text is
written as text. Written atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from estimator.contracts.model import Certificate, Ledger


def _s(value: Any) -> str:
    return f"{value:.2f}"


def certificate_json(c: Certificate) -> dict[str, Any]:
    return {"lot": c.lot_name, "period": c.period, "currency": c.currency, "kind": c.kind, "number": c.number,
            "date": c.date.isoformat(), "issued": c.issued, "contractor": c.contractor,
            "contract_sum": _s(c.contract_sum), "revised_sum": _s(c.revised_sum), "gross_to_date": _s(c.gross_to_date),
            "materials_on_site": _s(c.materials_on_site), "valuation": _s(c.valuation), "retention": _s(c.retention),
            "advance": _s(c.advance), "advance_recovery": _s(c.advance_recovery), "net_to_date": _s(c.net_to_date),
            "previous_certified": _s(c.previous_certified), "amount_due": _s(c.amount_due),
            "items": [{"ref": ln.ref, "description": ln.description, "unit": ln.unit,
                       "contract_quantity": str(ln.contract_quantity), "rate": _s(ln.rate),
                       "previous_quantity": str(ln.previous_quantity), "this_quantity": str(ln.this_quantity),
                       "cumulative_quantity": str(ln.cumulative_quantity),
                       "percent": None if ln.percent is None else str(ln.percent),
                       "previous_value": _s(ln.previous_value), "this_value": _s(ln.this_value),
                       "cumulative_value": _s(ln.cumulative_value)} for ln in c.lines]}


HEADERS = ["Item", "Description", "Unit", "Contract qty", "Rate", "Previous qty", "This period qty", "Cumulative qty",
           "% complete", "Previous value", "Value to date", "This period value"]
QTY = "#,##0.000"


def write_certificate_xlsx(c: Certificate, ledger: Ledger, path: Path) -> None:
    from openpyxl import Workbook

    from estimator.analysis import sheet
    from estimator.atomic import atomic_output
    from estimator.units import label

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Certificate"
    title = {"interim": "Interim payment certificate", "final": "Final certificate (final account)",
             "release": "Retention release certificate"}[c.kind]
    t = ledger.contract.terms
    row = sheet.title_block(ws, f"{title} no. {c.number}: {c.lot_name}", [
        f"Contractor {c.contractor}; period {c.period}; date {c.date.isoformat()}; amounts in {c.currency}"
        + ("" if c.issued else "; DRAFT, not issued"),
        f"Retention {t.retention} % (cap {t.retention_cap if t.retention_cap is not None else '-'} % of the contract "
        f"sum); advance {t.advance} % recovered from {t.advance_from} % to {t.advance_until} % of the contract sum"])
    sheet.header(ws, row, HEADERS)
    first = row + 1
    for r, ln in enumerate(c.lines, start=first):
        for col, value in enumerate([ln.ref, ln.description, label(ln.unit)], start=1):
            sheet.put(ws, r, col, value)
        sheet.put(ws, r, 4, ln.contract_quantity, QTY)
        sheet.put(ws, r, 5, ln.rate, sheet.MONEY)
        sheet.put(ws, r, 6, ln.previous_quantity, QTY)
        ws.cell(row=r, column=7, value=f"=H{r}-F{r}").number_format = QTY
        if ln.percent is None:
            sheet.put(ws, r, 8, ln.cumulative_quantity, QTY)
            value = f"=ROUND(H{r}*E{r},2)"
        else:
            ws.cell(row=r, column=8, value=f"=ROUND(D{r}*I{r}/100,3)").number_format = QTY
            sheet.put(ws, r, 9, ln.percent, "0.00")
            value = f"=ROUND(ROUND(D{r}*E{r},2)*I{r}/100,2)"
        sheet.put(ws, r, 10, ln.previous_value, sheet.MONEY)
        ws.cell(row=r, column=11, value=value).number_format = sheet.MONEY
        ws.cell(row=r, column=12, value=f"=K{r}-J{r}").number_format = sheet.MONEY
    last = first + len(c.lines) - 1
    s = last + 2
    retention = f"MIN(ROUND(C{s + 4}*{t.retention}/100,2),{_cap(t.retention_cap, f'C{s}')})"
    if c.kind == "final":
        retention = f"ROUND({retention}/2,2)"
    elif c.kind == "release":
        retention = "0"
    span = t.advance_until - t.advance_from
    recovered = "1" if c.kind != "interim" else (
        f"MIN(MAX((C{s + 2}/C{s}*100-{t.advance_from})/{span},0),1)" if span > 0 else
        f"IF(C{s + 2}/C{s}*100>={t.advance_until},1,0)")
    rows: list[tuple[str, object]] = [
        ("Contract sum", c.contract_sum),
        ("Revised contract sum (approved variations)", c.revised_sum),
        ("Gross value of work to date", f"=SUM(K{first}:K{last})" if c.lines else 0),
        ("Materials on site", c.materials_on_site),
        ("Valuation", f"=C{s + 2}+C{s + 3}"),
        ("Less retention held", f"={retention}"),
        ("Advance payment", f"=ROUND(C{s}*{t.advance}/100,2)"),
        ("Less advance recovered to date", f"=ROUND(C{s + 6}*{recovered},2)"),
        ("Net to date", f"=C{s + 4}-C{s + 5}-C{s + 7}"),
        ("Less previous certificates", c.previous_certified),
        ("Amount due this certificate", f"=C{s + 8}-C{s + 9}"),
    ]
    for n, (text, figure) in enumerate(rows):
        sheet.put(ws, s + n, 2, text, bold=n in (2, 10))
        if isinstance(figure, str):
            ws.cell(row=s + n, column=3, value=figure).number_format = sheet.MONEY
        else:
            sheet.put(ws, s + n, 3, figure, sheet.MONEY)
    sheet.widths(ws, [8, 46, 7, 13, 12, 13, 13, 13, 10, 15, 15, 15])
    sheet.landscape(ws)
    with atomic_output(path) as tmp:
        wb.save(tmp)


def _cap(cap: object, contract_sum_cell: str) -> str:
    return "9.99E+307" if cap is None else f"ROUND({contract_sum_cell}*{cap}/100,2)"
