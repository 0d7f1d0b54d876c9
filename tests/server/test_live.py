"""Live editing through `LiveProgramme`: checked edits, notices of other engineers' commits, refresh."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from estimator.model import Item
from estimator.server import locations
from estimator.server.live import EditRefused, LiveProgramme
from estimator.synthetic import generate


def test_edits_notices_and_refresh(accounts: dict[str, str], tmp_path: Path) -> None:
    locations.create(f"{accounts['alice']}#p", generate(2, 12, seed=3))
    a, b = LiveProgramme(accounts["alice"], "p"), LiveProgramme(accounts["bob"], "p")
    try:
        uid = next(iter(a.items))
        assert not b.poll(0)
        version = a.edit_item(uid, quantity=Decimal("12.5"), notes="measured again")
        assert version > b.item_version(uid)
        assert b.poll(5)  # announced on commit
        seen = b.refresh()
        assert seen.changed == {uid} and not seen.reloaded
        assert b.items[uid].quantity == Decimal("12.5") and b.items[uid].notes == "measured again"
        assert b.item_version(uid) == version

        a.edit_item(uid, quantity=Decimal("13"))
        with pytest.raises(EditRefused) as caught:  # b has not seen a's second edit
            b.edit_item(uid, quantity=Decimal("14"))
        assert caught.value.theirs is not None and caught.value.theirs.quantity == Decimal("13")
        assert caught.value.by == "alice" and "theirs 13, yours 14" in str(caught.value)
        b.adopt(caught.value)
        b.edit_item(uid, quantity=Decimal("14"))  # now based on what is there
        assert locations.load(f"{accounts['vera']}#p").facilities[0].items()[0].quantity == Decimal("14")

        # a structural change elsewhere (a new item, a deleted one) is taken in place, not by re-reading
        new = Item("new", Decimal("1"), "nr", rate=Decimal("2"))
        with locations.open_project(f"{accounts['alice']}#p") as project:
            bill = project.programme.facilities[1].bills[0]
            gone = bill.items.pop(0).uid
            bill.items.append(new)
            project.save()
        assert a.poll(5)
        seen = a.refresh()
        assert not seen.reloaded and new.uid in seen.changed and seen.removed == {gone}
        assert a.items[new.uid].description == "new" and gone not in a.items
        assert [it.uid for it in a.programme.facilities[1].bills[0].items] == \
            [it.uid for it in locations.load(f"{accounts['vera']}#p").facilities[1].bills[0].items]
    finally:
        a.close()
        b.close()
