"""Pull a copy, push it back: changes to different items merge, the same item changed on both sides is a
conflict that is listed and settled explicitly, and nothing is silently overwritten or lost."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from estimator.model import Bill, Item
from estimator.pricing import price
from estimator.server.sync import MergeConflicts, pull_to_file, push_file
from estimator.store import Project, load
from estimator.synthetic import generate


@pytest.fixture
def team(server: str, tmp_path: Path) -> tuple[str, Path, Path]:
    """A programme on the server and two engineers' copies of it."""
    origin = tmp_path / "origin.boq"
    Project.create(origin, generate(3, 60, seed=5)).close()  # 10 bills of 6 items each
    push_file(origin, server, "idlib")
    a, b = tmp_path / "a.boq", tmp_path / "b.boq"
    pull_to_file(server, "idlib", a)
    pull_to_file(server, "idlib", b)
    return server, a, b


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    with Project.open(path) as project:
        change(project.programme)
        project.save()


def _items(path: Path) -> list[Item]:
    return [it for f in load(path).facilities for it in f.items()]


def test_changes_to_different_items_merge(team: tuple[str, Path, Path], tmp_path: Path) -> None:
    url, a, b = team
    _edit(a, lambda p: setattr(p.facilities[0].bills[0].items[0], "quantity", Decimal("111")))
    _edit(b, lambda p: setattr(p.facilities[1].bills[0].items[2], "description", "changed by b"))
    _edit(b, lambda p: p.facilities[2].bills[0].items.append(Item("added by b", Decimal("3"), "m2", rate=Decimal("7"))))
    push_file(a, url, "idlib")
    result = push_file(b, url, "idlib")
    assert not result.merge.conflicts
    fresh = tmp_path / "fresh.boq"
    pull_to_file(url, "idlib", fresh)
    merged = load(fresh)
    assert merged.facilities[0].bills[0].items[0].quantity == Decimal("111")
    assert merged.facilities[1].bills[0].items[2].description == "changed by b"
    assert merged.facilities[2].bills[0].items[-1].description == "added by b"
    assert load(b) == merged  # the pusher's file now holds the merged programme
    push_file(a, url, "idlib")  # a second push brings b's work into a's copy, and loses none of a's
    assert load(a) == merged


def test_same_item_changed_on_both_sides_is_a_listed_conflict(team: tuple[str, Path, Path], tmp_path: Path) -> None:
    url, a, b = team
    item = load(a).facilities[0].bills[0].items[1]
    _edit(a, lambda p: setattr(p.facilities[0].bills[0].items[1], "quantity", Decimal("10")))
    _edit(b, lambda p: setattr(p.facilities[0].bills[0].items[1], "quantity", Decimal("20")))
    _edit(b, lambda p: setattr(p.facilities[0].bills[0].items[3], "quantity", Decimal("30")))  # no conflict
    push_file(a, url, "idlib")
    server_before = tmp_path / "before.boq"
    pull_to_file(url, "idlib", server_before)
    with pytest.raises(MergeConflicts) as caught:
        push_file(b, url, "idlib")
    message = str(caught.value)
    assert len(caught.value.conflicts) == 1
    assert item.uid in message and "quantity: mine 20, theirs 10" in message and "nothing was written" in message
    assert "server: postgres" in message  # who changed it there
    check = tmp_path / "check.boq"
    pull_to_file(url, "idlib", check)
    assert load(check) == load(server_before)  # the refused push wrote nothing (not even the other item)
    assert _items(b)[1].quantity == Decimal("20")  # and the file keeps my change
    push_file(b, url, "idlib", take={item.uid: "theirs"})
    assert _items(b)[1].quantity == Decimal("10") and _items(b)[3].quantity == Decimal("30")
    # and the other way: my value wins when I say so
    _edit(a, lambda p: setattr(p.facilities[0].bills[0].items[1], "quantity", Decimal("11")))
    _edit(b, lambda p: setattr(p.facilities[0].bills[0].items[1], "quantity", Decimal("22")))
    push_file(a, url, "idlib")
    push_file(b, url, "idlib", take={"*": "mine"})
    pull_to_file(url, "idlib", check, overwrite=True)
    assert _items(check)[1].quantity == Decimal("22")


def test_deleted_on_one_side_changed_on_the_other_is_a_conflict(team: tuple[str, Path, Path]) -> None:
    url, a, b = team
    _edit(a, lambda p: p.facilities[0].bills[0].items.pop(0))
    _edit(b, lambda p: setattr(p.facilities[0].bills[0].items[0], "notes", "checked on site"))
    push_file(a, url, "idlib")
    with pytest.raises(MergeConflicts, match="changed here, deleted on the server"):
        push_file(b, url, "idlib")


def test_deleting_a_bill_someone_added_to_is_a_conflict(team: tuple[str, Path, Path]) -> None:
    url, a, b = team
    _edit(a, lambda p: p.facilities[1].bills[0].items.extend([Item("a's new line", Decimal("1"), "nr", rate=Decimal("9")),
                                                              Item("and another", Decimal("2"), "nr", rate=Decimal("9"))]))
    _edit(b, lambda p: p.facilities[1].bills.pop(0))
    push_file(a, url, "idlib")
    with pytest.raises(MergeConflicts, match="a's new line") as caught:
        push_file(b, url, "idlib")
    assert len(caught.value.conflicts) == 1  # one conflict: the bill
    push_file(b, url, "idlib", take={"*": "theirs"})  # keep the bill with a's line
    assert any(it.description == "a's new line" for it in _items(b))


def test_moves_merge_without_conflict(team: tuple[str, Path, Path]) -> None:
    url, a, b = team
    _edit(a, lambda p: p.facilities[0].bills[0].items.insert(0, Item("first now", Decimal("1"), "nr", rate=Decimal("1"))))
    _edit(b, lambda p: setattr(p.facilities[0].bills[0].items[4], "quantity", Decimal("4444")))
    push_file(a, url, "idlib")
    push_file(b, url, "idlib")
    items = load(b).facilities[0].bills[0].items
    assert items[0].description == "first now" and items[5].quantity == Decimal("4444")
    assert [it.uid for it in items[1:]] == [it.uid for it in load(a).facilities[0].bills[0].items[1:]]


def test_a_copy_never_pulled_conflicts_where_it_differs(server: str, tmp_path: Path) -> None:
    prog = generate(1, 5, seed=1)
    one, two = tmp_path / "one.boq", tmp_path / "two.boq"
    Project.create(one, prog).close()
    prog.facilities[0].bills[0].items[0].quantity += 1
    Project.create(two, prog).close()
    push_file(one, server, "p")
    with pytest.raises(MergeConflicts):
        push_file(two, server, "p")


def test_push_of_a_file_open_elsewhere_is_refused(team: tuple[str, Path, Path]) -> None:
    from estimator.errors import FileLocked

    url, a, _b = team
    with Project.open(a), pytest.raises(FileLocked):
        push_file(a, url, "idlib")


def test_totals_survive_push_and_pull(server: str, tmp_path: Path) -> None:
    prog = generate(4, 60, seed=9)
    prog.facilities[0].bills.append(Bill("Extra", items=[Item("x", Decimal("0.333"), "m3", rate=Decimal("101.17"))]))
    path, back = tmp_path / "p.boq", tmp_path / "back.boq"
    Project.create(path, prog).close()
    push_file(path, server, "totals")
    pull_to_file(server, "totals", back)
    assert price(load(back)).to_json() == price(prog).to_json()
