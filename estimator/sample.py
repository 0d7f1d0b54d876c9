"""The bundled, illustrative sample programme (`rates/sample/`), built through the real importer."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

from estimator import paths
from estimator.errors import UserError
from estimator.model import Markups, Programme
from estimator.money import normalize_currency, to_decimal
from estimator.particulars import edit_tender, parse_drawing, parse_lot, with_info
from estimator.rates import current_library
from estimator.worklist import import_worklist


def new_programme(name: str, currency: str = "USD") -> Programme:
    """An empty programme with the library's default exchange rates, re-based on `currency`."""
    currency = normalize_currency(currency)
    programme = Programme(name=name, currency="USD")
    fx = current_library().fx_per_usd
    if currency not in fx:
        raise UserError(
            f"currency {currency}: the rate library has no exchange rate for it; "
            f"create the programme in USD and add rates with `boq fx`"
        )
    for code, (per_usd, date) in fx.items():
        if code != "USD":
            programme.set_fx(code, per_usd, date)
    programme.rebase(currency)  # exact (estimator.settings)
    return programme


def load_sample(folder: Path | None = None) -> Programme:
    folder = folder or paths.sample_dir()
    meta = tomllib.loads((folder / "programme.toml").read_text(encoding="utf-8"))
    programme = new_programme(meta["name"], meta.get("currency", "USD"))
    programme.reference = meta.get("reference", "")
    programme.organisation = meta.get("organisation", "")
    programme.name_ar = meta.get("name_ar", "")
    programme.organisation_ar = meta.get("organisation_ar", "")
    programme.validity_days = int(meta.get("validity_days", 90))
    programme.notes = meta.get("note", meta.get("notes", ""))
    if "issue_date" in meta:
        programme.issue_date = dt.date.fromisoformat(str(meta["issue_date"]))
    markups = meta.get("markups", {})
    programme.markups = Markups(*(to_decimal(str(markups.get(k, "0"))) for k in ("contingency", "overheads", "tax")))
    for entry in meta.get("exchange_rates", []):
        programme.set_fx(
            normalize_currency(entry["currency"]), to_decimal(str(entry["rate"])), dt.date.fromisoformat(str(entry["date"]))
        )
    import_worklist(programme, folder / "worklist.csv", current_library().book)
    _particulars(programme, meta)
    return programme


def _particulars(programme: Programme, meta: dict[str, Any]) -> None:
    """`[particulars]` (the programme's, every lot's default) and `[lots."Facility name"]` (a lot's own)."""
    given = meta.get("particulars", {})
    programme.particulars = edit_tender(programme.particulars, {k: str(v) for k, v in given.items()})
    for key, value in meta.get("submission", {}).items():  # `boq tender-info --set KEY=VALUE`
        programme.particulars = with_info(programme.particulars, key, str(value))
    drawings = tuple(parse_drawing(f"{d.get('number', '')}|{d.get('title', '')}|{d.get('revision', '')}")
                     for d in meta.get("drawings", []))
    programme.particulars = dataclasses.replace(programme.particulars, drawings=drawings)
    by_name = {f.name: f for f in programme.facilities}
    for name, values in meta.get("lots", {}).items():
        if name not in by_name:
            raise UserError(f"programme.toml: [lots.{name!r}]: the work list has no facility of that name")
        programme.lot_overrides[by_name[name].uid] = parse_lot({k: str(v) for k, v in values.items()}, f"lot {name}")
