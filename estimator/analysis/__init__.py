"""Analysis from the employer's side: comparing facilities and evaluating returned bids.

Facility comparison
- `trades`: which trade an item belongs to (the rate library's trade, else its bill's name).
- `compare`: per facility its total, per-trade totals, cost per m² of floor and per bed, medians
  by governorate and by facility type, outliers flagged with the reason in words.
- `charts` (chart data shared by the reports and the window), `report_xlsx` (native Excel charts),
  `report_pdf` (reportlab charts), with `sheet` and `pdfbits` as their small helpers.

Bid evaluation
- `cells` (the cell types both readers share), `sheetxml` (one sheet's XML) and `xlsxscan` (the
  package): a returned workbook's cells, formula and cached value together, in one pass.
- `bidread`: the tender layout (`estimator.export.xlsx_layout`) read back into item rows, added
  rows and totals; `bidcheck`: the row-by-row checks and corrections; `bidresult`: what reading
  one workbook gives, and `difference`, the one owner of the bid-vs-estimate difference;
  `bidassess`: one bid (or several, in worker processes) assessed against the tender; `bids`: the
  workbooks evaluated against the tender; `bidrevisions`: each against the revision it answers.
- `lots`: the evaluation per lot (bidders by company name, per-lot status, corrected lot totals,
  ranking, abnormal bids), with `evalfile` (the committee's opening record and compliance checks)
  and `award` (the recommendation within a maximum of lots per bidder); `corrected_rates` gives a
  bidder's evaluated rates for its contract.
- The comparative bid analysis: `cba_tables` (its tables in words of one language,
  `templates/cba/`), `cba_xlsx`, `cba_pdf` and `bids_json` (`boq bids --report/--pdf/--json`).

Every figure is a Decimal from `estimator.pricing`; floats appear only where a chart is drawn.
"""
