"""Tender particulars and item kinds: defaults, per-lot overrides, ranges, and the .boq round trip."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from estimator import particulars
from estimator.model import PC_SUM, PROVISIONAL_SUM, Bill, Facility, Item, Programme
from estimator.particulars import InvalidParticular, LotParticulars, TenderParticulars
from estimator.store import Project, load


def _programme() -> Programme:
    lot = Facility("Al-Qaniya PHC", bills=[Bill("Provisional sums", items=[
        Item("Repairs to the generator, on instruction", Decimal(1), "sum", rate=Decimal("2500"), kind=PROVISIONAL_SUM),
        Item("Medical gas outlets (nominated supplier)", Decimal(1), "sum", rate=Decimal("4000"), kind=PC_SUM),
    ])])
    other = Facility("Darkush hospital")
    prog = Programme("Particulars", facilities=[lot, other])
    prog.particulars = TenderParticulars(lot=particulars.DEFAULT_LOT.merged(LotParticulars(retention=Decimal("10"))),
                                         max_lots_per_bidder=2)
    prog.lot_overrides[lot.uid] = LotParticulars(completion_days=90, bid_security=Decimal("1500"))
    return prog


def test_a_lot_takes_the_programme_defaults_and_its_own_overrides() -> None:
    prog = _programme()
    first, second = (prog.lot_particulars(f) for f in prog.facilities)
    assert (first.completion_days, first.bid_security, first.retention) == (90, Decimal("1500"), Decimal("10"))
    assert (second.completion_days, second.bid_security, second.retention) == (120, Decimal("0"), Decimal("10"))


def test_particulars_and_kinds_survive_the_file(tmp_path: Path) -> None:
    path = tmp_path / "p.boq"
    prog = _programme()
    Project.create(path, prog).close()
    back = load(path)
    assert back.particulars == prog.particulars and back.lot_overrides == prog.lot_overrides
    assert [i.kind for i in back.facilities[0].items()] == [PROVISIONAL_SUM, PC_SUM]
    with Project.open(path) as project:  # back to defaults: the meta rows go
        project.programme.particulars = TenderParticulars()
        project.programme.lot_overrides.clear()
        project.save()
    with sqlite3.connect(path) as conn:
        keys = {k for (k,) in conn.execute("SELECT key FROM meta")}
    assert not keys & {particulars.META_KEY, particulars.LOT_META_KEY}


@pytest.mark.parametrize(("values", "message"), [
    ({"retention": "150"}, "retention is 150 %"),
    ({"bid_security": "-5"}, "bid security is -5"),
    ({"completion_days": "ninety"}, "not a whole number of days"),
    ({"retainage": "5"}, "unknown particular 'retainage'"),
])
def test_a_bad_particular_names_the_field(values: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidParticular, match=message):
        particulars.parse_lot(values, "lot 2")


def test_a_file_with_an_unknown_item_kind_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.boq"
    Project.create(path, _programme()).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE items SET kind = 'free money'")
    with pytest.raises(Exception, match="items"):
        load(path)
