"""Units as engineers type them, turned into canonical strings and exact conversion factors.

The model stores units as short canonical strings (`m2`, `t`, `nr`, `ls`, ...). What an engineer
types (`sqm`, `cu.m`, `No.`, `l.s.`, `lm`, `م2`) is mapped onto those by an explicit alias table,
never by Pint's own parser: Pint reads `lm` as lumen, `pc` as parsec and `cu.m` as something odd.
Pint is used only to derive the factor between two canonical units, cached per pair, so pricing
a line costs a dictionary look-up rather than a Quantity.
"""

from __future__ import annotations

import json
import re
from decimal import Context, Decimal
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from estimator.errors import IncompatibleUnits, UnknownUnit

if TYPE_CHECKING:
    import pint

FACTOR_TABLE = "unit_factors.json"

# canonical unit -> Pint expression (definitions in construction_units.txt)
PINT_EXPR: dict[str, str] = {
    "mm": "millimeter",
    "cm": "centimeter",
    "m": "meter",
    "km": "kilometer",
    "ft": "foot",
    "m2": "meter**2",
    "ft2": "foot**2",
    "m3": "meter**3",
    "ft3": "foot**3",
    "l": "liter",
    "kg": "kilogram",
    "t": "metric_ton",
    "W": "watt",
    "kW": "kilowatt",
    "kWp": "kilowatt_peak",
    "hour": "hour",
    "day": "workday",
    "nr": "nr",
    "set": "set_",
    "item": "item_",
    "ls": "lump_sum",
}

LABELS = {"m2": "m²", "m3": "m³", "ft2": "ft²", "ft3": "ft³", "ls": "LS"}
LABELS_AR = {
    "m": "م.ط",
    "m2": "م²",
    "m3": "م³",
    "kg": "كغ",
    "t": "طن",
    "l": "ليتر",
    "nr": "عدد",
    "set": "طقم",
    "item": "بند",
    "ls": "مقطوع",
    "day": "يوم",
    "hour": "ساعة",
}

# Compact spelling (lower case, no spaces, dots, dashes or underscores, superscripts as digits)
# -> canonical unit. Ambiguous spellings are deliberately absent: `ml` (millilitre or metre
# linear?), `mt` (metric ton or metre?), `pc` alone is accepted as a piece, never a parsec.
_ALIASES: dict[str, tuple[str, ...]] = {
    "mm": ("mm", "millimetre", "millimeter", "millimetres", "millimeters", "مم"),
    "cm": ("cm", "centimetre", "centimeter", "centimetres", "centimeters", "سم"),
    "m": (
        "m",
        "metre",
        "meter",
        "metres",
        "meters",
        "mtr",
        "mtrs",
        "lm",
        "rm",
        "lin m",
        "run m",
        "runningmetre",
        "runningmeter",
        "linearmetre",
        "linearmeter",
        "م",
        "مط",
        "مترطولي",
        "متر",
    ),
    "km": ("km", "kilometre", "kilometer", "كم"),
    "ft": ("ft", "foot", "feet", "lft", "rft"),
    "m2": ("m2", "sqm", "sqmt", "sqmtr", "msq", "squaremetre", "squaremeter", "squaremetres", "squaremeters", "م2", "مترمربع"),
    "ft2": ("ft2", "sqft", "sf", "squarefoot", "squarefeet"),
    "m3": ("m3", "cum", "cbm", "cumt", "cubicmetre", "cubicmeter", "cubicmetres", "cubicmeters", "م3", "مترمكعب"),
    "ft3": ("ft3", "cft", "cuft", "cubicfoot", "cubicfeet"),
    "l": ("l", "lt", "ltr", "ltrs", "litre", "liter", "litres", "liters", "لتر", "ليتر"),
    "kg": ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramme", "كغ", "كغم", "كيلو"),
    "t": ("t", "ton", "tons", "tonne", "tonnes", "طن"),
    "W": ("w", "watt", "watts", "واط"),
    "kW": ("kw", "kilowatt", "kilowatts", "كيلوواط"),
    "kWp": ("kwp", "kilowattpeak"),
    "hour": ("h", "hr", "hrs", "hour", "hours", "ساعة"),
    "day": ("day", "days", "manday", "mandays", "workday", "workdays", "يوم", "يومية"),
    "nr": (
        "nr",
        "nrs",
        "no",
        "nos",
        "number",
        "numbers",
        "each",
        "ea",
        "pcs",
        "pc",
        "piece",
        "pieces",
        "unit",
        "units",
        "عدد",
        "قطعة",
    ),
    "set": ("set", "sets", "طقم"),
    "item": ("item", "items", "بند"),
    "ls": ("ls", "lumpsum", "مقطوع", "مقطوعية"),
}
ALIASES: dict[str, str] = {alias: canon for canon, names in _ALIASES.items() for alias in names}
_STRIP = re.compile(r"[\s.\-_/()]+")
_SUPERSCRIPTS = str.maketrans({"²": "2", "³": "3", "^": None})
_FACTOR_CONTEXT = Context(prec=15)


# What the table says, compacted the way `parse_unit` compacts what users type (`lin m` -> `linm`).
_COMPACT: dict[str, str] = {_STRIP.sub("", alias): canon for alias, canon in ALIASES.items()}


def parse_unit(text: str) -> str:
    """Canonical unit for what a user typed; UnknownUnit names the text otherwise."""
    if not isinstance(text, str):  # checked before the cache, which cannot hash every cell value
        raise UnknownUnit(str(text))
    return _parse_unit(text)


@lru_cache(maxsize=4096)
def _parse_unit(text: str) -> str:
    """Cached: work lists repeat the same few units on thousands of rows."""
    compact = _STRIP.sub("", text.strip().lower().translate(_SUPERSCRIPTS))
    if compact in _COMPACT:
        return _COMPACT[compact]
    # `sq.m`, `cu.m`, `sq ft` written with the prefix as a word
    for prefix, suffix in (("sq", "2"), ("cu", "3"), ("square", "2"), ("cubic", "3")):
        rest = compact.removeprefix(prefix)
        if rest != compact and rest in ("m", "ft") and rest + suffix in _COMPACT:
            return _COMPACT[rest + suffix]
    raise UnknownUnit(text)


def label(unit: str, lang: str = "en") -> str:
    """Printable form of a canonical unit: `m²`, `LS`, or the Arabic abbreviation."""
    if lang == "ar":
        return LABELS_AR.get(unit, LABELS.get(unit, unit))
    return LABELS.get(unit, unit)


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    import pint  # imported here: loading Pint and its registry costs ~0.75 s at start-up

    reg = pint.UnitRegistry(non_int_type=Decimal, cache_folder=None)
    reg.load_definitions(str(files("estimator").joinpath("construction_units.txt")))
    return reg


def pint_factor(unit: str, billing_unit: str) -> Decimal | None:
    """Pint's derivation of the factor between two canonical units; None if they cannot convert."""
    import pint

    try:
        magnitude = registry().Quantity(Decimal(1), PINT_EXPR[unit]).to(PINT_EXPR[billing_unit]).magnitude
    except pint.DimensionalityError:
        return None
    # Pint's Decimal arithmetic leaves tails like 0.0929030399999...; 15 digits is exact here.
    return _FACTOR_CONTEXT.plus(Decimal(magnitude)).normalize()


@lru_cache(maxsize=1)
def _table() -> dict[str, str | None]:
    """Every pair of canonical units, derived by Pint once and shipped (see `write_table`)."""
    table: dict[str, str | None] = json.loads(files("estimator").joinpath(FACTOR_TABLE).read_text(encoding="utf-8"))
    return table


def write_table() -> None:
    """Regenerate estimator/unit_factors.json from Pint: `python -m estimator.units`."""
    table = {}
    for a in PINT_EXPR:
        for b in PINT_EXPR:
            value = pint_factor(a, b)
            table[f"{a}>{b}"] = None if value is None else str(value)
    Path(str(files("estimator").joinpath(FACTOR_TABLE))).write_text(json.dumps(table, indent=0) + "\n", encoding="utf-8")


@cache
def factor(unit: str, billing_unit: str) -> Decimal:
    """Exact factor that turns a quantity in `unit` into `billing_unit` (canonical strings).

    Raises IncompatibleUnits when the two measure different things (m2 against m3, nr against ls).
    The factors come from the table Pint derived (tests check it still matches Pint), so start-up
    does not pay for loading Pint; a pair missing from the table is asked of Pint directly.
    """
    if unit == billing_unit:
        return Decimal(1)
    if unit not in PINT_EXPR or billing_unit not in PINT_EXPR:
        raise UnknownUnit(unit if unit not in PINT_EXPR else billing_unit)
    key = f"{unit}>{billing_unit}"
    table = _table()
    text = table.get(key)
    value = Decimal(text) if text is not None else (None if key in table else pint_factor(unit, billing_unit))
    if value is None:
        raise IncompatibleUnits(unit, billing_unit)
    return value


def compatible(unit: str, billing_unit: str) -> bool:
    try:
        factor(unit, billing_unit)
    except IncompatibleUnits:
        return False
    return True


if __name__ == "__main__":
    write_table()
