"""Pricing: the whole programme through `estimator.pricing.price`, against a NumPy floor.

The floor multiplies and sums the same quantities and rates as float64 arrays (no units, no
rounding, no Decimal): the least any pricing of these numbers can cost.
Run: python -m benchmarks.bench_pricing [--items 100000]
"""

from __future__ import annotations

import argparse
from typing import Any

from benchmarks.common import Result, measure, table


def _programme(facilities: int, items: int) -> Any:
    from estimator.synthetic import generate

    return generate(facilities, items, seed=1)


def run(facilities: int, items: int) -> list[Result]:
    import numpy as np

    from estimator.pricing import price

    size = f"{facilities} x {items}"

    def floor_setup() -> Any:
        est = price(_programme(facilities, items))
        lines = [ln for f in est.facilities for b in f.bills for ln in b.lines]
        return np.array([float(ln.quantity) for ln in lines]), np.array([float(ln.rate) for ln in lines])

    seconds, peak = measure(lambda: _programme(facilities, items), price)
    floor, _ = measure(floor_setup, lambda qr: float((qr[0] * qr[1]).sum()))
    return [Result("price programme", size, seconds, peak, "numpy multiply-and-sum", floor)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--facilities", type=int, default=100)
    parser.add_argument("--items", type=int, default=1000, help="items per facility")
    args = parser.parse_args()
    print(table(run(args.facilities, args.items)))


if __name__ == "__main__":
    main()
