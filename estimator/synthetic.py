"""Synthetic programmes for benchmarks and scale tests, reproducible by seed.

`generate(80, 300, seed=1)` gives 80 facilities x 300 items priced from the current rate library,
with units measured in other units than billed (ft2, kg, cm, cum), own rates in TRY and SYP, and
Arabic descriptions, so every code path of pricing and export is exercised.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from estimator.model import FACILITY_TYPES, Facility, Item, Markups, Programme, renumber
from estimator.rates import current_library

GOVERNORATES = ("Idlib", "Aleppo", "Hama", "Homs")
# measured unit for a billing unit, so that conversion happens on some lines
MEASURED = {"m2": ("m2", "ft2"), "t": ("t", "kg"), "m": ("m", "cm"), "m3": ("m3",), "kg": ("kg", "t")}
ARABIC = ("أعمال", "توريد وتركيب", "إزالة", "لياسة", "تبليط", "دهان", "بيتون مسلح", "شبكة مياه", "لوحة كهرباء")


def generate(facilities: int, items: int, seed: int = 1) -> Programme:
    rng = random.Random(seed)
    lib = current_library()
    codes = sorted(lib.book.rates)
    prog = Programme(
        name=f"Synthetic programme {facilities} x {items} (seed {seed})",
        reference=f"SYN-{seed}",
        organisation="Benchmark",
        issue_date=dt.date(2026, 11, 1),
        markups=Markups(Decimal("5"), Decimal("0"), Decimal("0")),
    )
    prog.set_fx("TRY", Decimal("42.35"), dt.date(2026, 11, 1))
    prog.set_fx("SYP", Decimal("110"), dt.date(2026, 11, 1))
    prog.rates = lib.book.closure(codes)
    per_bill = max(1, items // 10)
    for f in range(facilities):
        fac = Facility(
            f"Facility {f + 1:03d}",
            GOVERNORATES[f % 4],
            f"District {f % 7 + 1}",
            FACILITY_TYPES[f % 5],
            Decimal(rng.randrange(300, 8000)),
            rng.choice([None, 20, 40, 80]),
        )
        for i in range(items):
            bill = fac.bill(f"{i // per_bill + 1} Trade {i // per_bill + 1}")
            words = " ".join(rng.choice(ARABIC) for _ in range(rng.randrange(2, 9)))
            qty = Decimal(rng.randrange(1, 500_000)) / 100
            if rng.random() < 0.1:
                currency = rng.choice(("TRY", "SYP", "USD"))
                bill.items.append(
                    Item(
                        f"Own-rate item {i + 1} of facility {f + 1}",
                        qty,
                        "m2",
                        description_ar=words,
                        rate=Decimal(rng.randrange(100, 900_000)) / 100,
                        rate_currency=currency,
                        rate_unit="m2",
                    )
                )
                continue
            code = rng.choice(codes)
            unit = rng.choice(MEASURED.get(prog.rates.rates[code].unit, (prog.rates.rates[code].unit,)))
            desc = f"{prog.rates.rates[code].description}, location {rng.randrange(1, 99)} (item {i + 1})"
            bill.items.append(Item(desc, qty, unit, description_ar=words, rate_code=code))
        renumber(fac)
        prog.facilities.append(fac)
    return prog
