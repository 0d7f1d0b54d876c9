"""Facility and bill properties as a user types them: parsed, checked, turned into one edit.

`parse_facility(texts)` turns the texts of a properties form (floor area "1 250,5", beds "40")
into field values, raising a UserError that names the field; `properties_edit(target, values)`
is the one undoable edit (a `Rename` per changed field) or None when nothing changed.
"""

from __future__ import annotations

from typing import Any

from estimator.edits import BILL_FIELDS, FACILITY_FIELDS, Edit, Rename, group
from estimator.errors import UserError
from estimator.model import Bill, Facility
from estimator.money import to_decimal
from estimator.worklist import _beds as parse_beds  # the work list's rule for a number of beds

TEXT_FIELDS = ("name", "name_ar", "facility_type", "governorate", "district")


def parse_facility(texts: dict[str, str]) -> dict[str, Any]:
    """Field values from typed texts; an empty floor area or beds means "not known"."""
    values: dict[str, Any] = {k: texts[k].strip() for k in TEXT_FIELDS if k in texts}
    if "name" in values and not values["name"]:
        raise UserError("name: a facility needs a name")
    if "facility_type" in values:
        values["facility_type"] = values["facility_type"].lower()
    area = texts.get("floor_area", "").strip()
    if area:
        values["floor_area"] = to_decimal(area, "floor area")
        if values["floor_area"] <= 0:
            raise UserError(f"floor area: {area!r} must be more than zero (m²), or empty when not known")
    else:
        values["floor_area"] = None
    beds = texts.get("beds", "").strip()
    values["beds"] = parse_beds(beds) if beds else None
    return values


def properties_edit(target: Facility | Bill, values: dict[str, Any]) -> Edit | None:
    """One undoable edit setting the changed `values` of a facility or bill, or None."""
    allowed = FACILITY_FIELDS if isinstance(target, Facility) else BILL_FIELDS
    unknown = set(values) - allowed
    if unknown:
        raise UserError(f"{', '.join(sorted(unknown))}: not a property of a {type(target).__name__.lower()}")
    if "name" in values and not str(values["name"]).strip():
        raise UserError("name: a name cannot be empty")
    changes = [Rename(target.uid, k, getattr(target, k), v) for k, v in values.items() if getattr(target, k) != v]
    return group(changes, f"Properties of {target.name}")
