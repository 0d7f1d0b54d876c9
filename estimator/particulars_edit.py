"""Undoable edits of the tender particulars (`estimator.particulars`): the programme's defaults and
one lot's overrides. The window's settings and facility properties dialogs push these."""

from __future__ import annotations

from dataclasses import dataclass

from estimator.edits import Change, Edit, StaleEdit, find_facility, group
from estimator.model import Programme
from estimator.particulars import LotParticulars, TenderParticulars, check, check_lot


@dataclass(frozen=True, slots=True)
class SetParticulars(Edit):
    """The programme's particulars (every lot's defaults and the programme-wide terms)."""

    old: TenderParticulars
    new: TenderParticulars
    label: str = "Tender particulars"

    def apply(self, programme: Programme) -> Change:
        if programme.particulars != self.old:
            raise StaleEdit("the programme's particulars are not the ones this edit replaces")
        programme.particulars = check(self.new)
        return Change()  # no price changes: particulars are contract terms, not quantities or rates

    def inverse(self) -> SetParticulars:
        return SetParticulars(self.new, self.old, self.label)


@dataclass(frozen=True, slots=True)
class SetLotParticulars(Edit):
    """A lot's overrides; an empty `LotParticulars` means the lot follows the programme's defaults."""

    facility_uid: str
    old: LotParticulars
    new: LotParticulars
    label: str = "Lot particulars"

    def apply(self, programme: Programme) -> Change:
        find_facility(programme, self.facility_uid)
        if programme.lot_overrides.get(self.facility_uid, LotParticulars()) != self.old:
            raise StaleEdit(f"the particulars of lot {self.facility_uid} are not the ones this edit replaces")
        if self.new.is_empty():
            programme.lot_overrides.pop(self.facility_uid, None)
        else:
            programme.lot_overrides[self.facility_uid] = check_lot(self.new)
        return Change()

    def inverse(self) -> SetLotParticulars:
        return SetLotParticulars(self.facility_uid, self.new, self.old, self.label)


def set_particulars(programme: Programme, new: TenderParticulars) -> SetParticulars | None:
    """The edit to `new` programme particulars, or None if nothing changes."""
    return None if new == programme.particulars else SetParticulars(programme.particulars, new)


def set_lot_particulars(programme: Programme, facility_uid: str, new: LotParticulars) -> SetLotParticulars | None:
    """The edit to `new` overrides of a lot, or None if nothing changes."""
    old = programme.lot_overrides.get(facility_uid, LotParticulars())
    return None if new == old else SetLotParticulars(facility_uid, old, new)


__all__ = ["SetLotParticulars", "SetParticulars", "group", "set_lot_particulars", "set_particulars"]
