"""Analysis from the employer's side: comparing facilities and evaluating returned bids.

Facility comparison
- `trades`: which trade an item belongs to (the rate library's trade, else its bill's name).
- `compare`: per facility its total, per-trade totals, cost per m² of floor and per bed, medians
  by governorate and by facility type, outliers flagged with the reason in words.
- `charts` (chart data shared by the reports and the window), `report_xlsx` (native Excel charts),
  `report_pdf` (reportlab charts), with `sheet` and `pdfbits` as their small helpers.

Bid evaluation
- `xlsxscan` + `sheetxml`: a returned workbook's cells, formula and cached value together, read
  in one pass without trusting the file.
- `bidread`: the tender layout (`estimator.export.xlsx_layout`) read back into item rows, added
  rows and totals; `bidcheck`: the row-by-row checks and corrections; `bidassess`: one bid (or
  several, in worker processes) assessed against the tender; `bids`: the evaluation and ranking;
  `bids_json` and `bids_xlsx`: `boq bids --json` and `--report`.

Every figure is a Decimal from `estimator.pricing`; floats appear only where a chart is drawn.
"""
