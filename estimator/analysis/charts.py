"""Chart data shared by the Excel report, the PDF report and the window.

The figures stay Decimal here; each drawing back end turns them into floats only to draw.
Large programmes are drawn in pages of facilities so that bars and labels stay readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from estimator.analysis.compare import Comparison

# A fixed, colour-blind-friendly cycle (Okabe-Ito, then Tableau) so a trade has the same colour
# in the window, the workbook and the PDF.
PALETTE = (
    "E69F00", "56B4E9", "009E73", "F0E442", "0072B2", "D55E00", "CC79A7", "000000",
    "4E79A7", "F28E2B", "E15759", "76B7B2", "59A14F", "EDC948", "B07AA1", "FF9DA7",
    "9C755F", "BAB0AC", "1B9E77", "7570B3", "66A61E", "A6761D",
)


def colour(index: int) -> str:
    """Hex RGB (no '#') of series `index`."""
    return PALETTE[index % len(PALETTE)]


@dataclass(frozen=True, slots=True)
class StackedTotals:
    """Totals per facility stacked by trade: `values[t][f]` is trade t of facility f."""

    facilities: list[str]
    trades: list[str]
    values: list[list[Decimal]]


@dataclass(frozen=True, slots=True)
class PerM2ByType:
    """Cost per m² by facility type: min, median and max of the facilities with a floor area."""

    types: list[str]
    minimum: list[Decimal]
    median: list[Decimal]
    maximum: list[Decimal]


def stacked_totals(comparison: Comparison) -> StackedTotals:
    names = [f.name for f in comparison.facilities]
    values = [[f.trades.get(t, Decimal(0)) for f in comparison.facilities] for t in comparison.trades]
    return StackedTotals(names, list(comparison.trades), values)


def per_m2_by_type(comparison: Comparison) -> PerM2ByType:
    groups = [g for g in comparison.by_type if g.median_per_m2 is not None]
    return PerM2ByType(
        [g.name for g in groups],
        [g.min_per_m2 or Decimal(0) for g in groups],
        [g.median_per_m2 or Decimal(0) for g in groups],
        [g.max_per_m2 or Decimal(0) for g in groups],
    )


def pages(count: int, size: int) -> list[range]:
    """Split `count` facilities into consecutive pages of at most `size`."""
    return [range(start, min(start + size, count)) for start in range(0, count, size)] or [range(0)]
