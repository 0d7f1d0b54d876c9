"""Analysis from the employer's side: comparing facilities and evaluating returned bids.

- `compare`: per facility its total, per-trade totals, cost per m² of floor and per bed, medians
  by governorate and by facility type, and outliers flagged with the reason in words.
- `trades`: which trade an item belongs to (the rate library's trade, else its bill's).
- `bidread` reads a returned tender workbook without trusting it; `bids` evaluates the returned
  bids against the engineer's estimate (anomalies, corrected totals, ranking, rate flags).
- `report_xlsx`, `report_pdf`, `bids_xlsx`: the report files, with native Excel charts and
  reportlab charts; `charts` holds the chart data shared by the reports and the window.

Every figure is a Decimal from `estimator.pricing`; floats appear only where a chart is drawn.
"""
