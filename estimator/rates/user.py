"""Saving an edited rate into the user's own library (the CSV files in `paths.user_rates_dir()`).

The user library is merged over the bundled one (`current_library`), so a rate saved here
replaces the bundled rate of the same code for this user, and `rates/` stays as shipped. The
files are written to a scratch folder first and loaded back (`load_library`): a rate the loader
would refuse is reported (`ValidationFailed`, naming file, row and column) and nothing changes;
otherwise each file is replaced atomically. A programme keeps its own snapshot: re-price it
(`boq reprice`, Rates menu) to use the edited rate.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from estimator import paths
from estimator.atomic import atomic_output
from estimator.errors import UserError, ValidationFailed
from estimator.money import normalize_currency, to_decimal
from estimator.rates.book import Rate, RateBook
from estimator.rates.library import BUILDUP_COLUMNS, RATE_COLUMNS, load_library


def _read(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8-sig") as f:
        return [dict(row) for row in csv.DictReader(f)]


def _write(path: Path, columns: tuple[str, ...], rows: Iterable[dict[str, str]]) -> None:
    with atomic_output(path) as tmp, tmp.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def rate_row(rate: Rate) -> dict[str, str]:
    return {
        "code": rate.code, "trade": rate.trade, "description": rate.description, "description_ar": rate.description_ar,
        "unit": rate.unit, "overheads_pct": f"{rate.overheads_pct:f}",
        "quoted_price": "" if rate.quoted_price is None else f"{rate.quoted_price:f}",
        "quoted_currency": rate.quoted_currency, "quoted_date": rate.quoted_date.isoformat() if rate.quoted_date else "",
        "source": rate.source,
    }


def save_user_rate(rate: Rate, base: RateBook, folder: Path | None = None) -> Path:
    """Write `rate` and its build-up lines into the user library over `base` (the bundled book)."""
    folder = folder or paths.user_rates_dir()
    rates = [r for r in _read(folder / "rates.csv") if r.get("code") != rate.code] + [rate_row(rate)]
    lines = [r for r in _read(folder / "buildups.csv") if r.get("rate") != rate.code]
    lines += [{"rate": rate.code, "component": ln.component, "coefficient": f"{ln.coefficient:f}",
               "waste_pct": f"{ln.waste_pct:f}", "note": ln.note} for ln in rate.lines]
    with tempfile.TemporaryDirectory(prefix="boq-user-rates-") as scratch:
        trial = Path(scratch)
        for name in ("resources.csv", "exchange_rates.csv"):
            if (folder / name).exists():
                shutil.copyfile(folder / name, trial / name)
        _write(trial / "rates.csv", RATE_COLUMNS, rates)
        _write(trial / "buildups.csv", BUILDUP_COLUMNS, lines)
        problems = load_library(trial, origin="user", base=base).problems
        if problems:
            raise ValidationFailed(f"rate {rate.code} for the user library {folder}", problems)
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / "buildups.csv", BUILDUP_COLUMNS, lines)
    _write(folder / "rates.csv", RATE_COLUMNS, rates)
    return folder


def edited_rate(rate: Rate, texts: dict[str, str], lines: list[tuple[str, str]] | None = None) -> Rate:
    """`rate` with what a user typed: descriptions, overheads %, a quoted price (for a quoted rate)
    and, for a built-up rate, each line's (coefficient, waste %) in order. Marked as the user's."""
    def number(key: str, what: str) -> Decimal:
        return number_of(texts.get(key, "").strip() or "0", what)

    description = texts.get("description", rate.description).strip()
    if not description:
        raise UserError("description: a rate needs a description")
    changes: dict[str, object] = {
        "description": description,
        "description_ar": texts.get("description_ar", rate.description_ar).strip(),
        "overheads_pct": number("overheads_pct", "overheads %"),
        "origin": "user",
    }
    if rate.is_quoted:
        changes["quoted_price"] = number("quoted_price", "quoted price")
        changes["quoted_currency"] = normalize_currency(texts.get("quoted_currency", rate.quoted_currency))
        changes["quoted_date"] = dt.date.today()
        changes["source"] = texts.get("source", rate.source).strip() or "user's own price"
    if lines is not None:
        if len(lines) != len(rate.lines):
            raise UserError(f"rate {rate.code}: expected {len(rate.lines)} build-up lines, got {len(lines)}")
        changes["lines"] = tuple(
            replace(line, coefficient=number_of(coef, f"coefficient of {line.component}"),
                    waste_pct=number_of(waste or "0", f"waste % of {line.component}"))
            for line, (coef, waste) in zip(rate.lines, lines, strict=True))
    return replace(rate, **changes)  # type: ignore[arg-type]  # the keys are Rate's fields


def number_of(text: str, what: str) -> Decimal:
    value = to_decimal(text.strip(), what)
    if value < 0:
        raise UserError(f"{what}: {text!r} cannot be negative")
    return value
