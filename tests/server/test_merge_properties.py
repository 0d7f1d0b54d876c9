"""The three-way merge itself (no server needed), for random edits on two copies of one programme:
edits to different items always merge to the union of both; an item both edited differently is a
conflict, and only those are."""

from __future__ import annotations

import copy
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from estimator.model import Item, Programme
from estimator.server.rows import programme_rows, tables
from estimator.server.sync import ServerState, merge
from estimator.synthetic import generate

START = generate(2, 16, seed=8)
UIDS = [it.uid for f in START.facilities for it in f.items()]
Edit = tuple[str, int, str]  # (what, item index, value)
edits = st.lists(st.tuples(st.sampled_from(["quantity", "description", "delete", "add"]),
                           st.integers(0, len(UIDS) - 1), st.sampled_from(["1.5", "2", "37.25", "x", "y"])),
                 max_size=8)


def _apply(programme: Programme, changes: list[Edit], tag: str) -> Programme:
    out = copy.deepcopy(programme)
    items = {it.uid: (bill, it) for f in out.facilities for bill in f.bills for it in bill.items}
    for n, (what, index, value) in enumerate(changes):
        uid = UIDS[index]
        if uid not in items:
            continue
        bill, item = items[uid]
        if what == "quantity":
            item.quantity = Decimal(value) if value[0].isdigit() else Decimal("3")
        elif what == "description":
            item.description = f"{value} by {tag}"
        elif what == "delete":
            bill.items.remove(item)
            del items[uid]
        else:
            bill.items.append(Item(f"added by {tag}", Decimal("1"), "nr", rate=Decimal("1"), uid=f"{tag}{n:014d}"))
    return out


def _state(programme: Programme, version: int) -> ServerState:
    rows = programme_rows(programme)
    stamps = {t: {k: (version, "someone", None) for k in r} for t, r in rows.items()}
    return ServerState(1, version, programme, rows, stamps)  # type: ignore[arg-type]


def _result(server: ServerState, m) -> dict[str, dict]:  # type: ignore[no-untyped-def,type-arg]
    rows = {t: dict(r) for t, r in server.rows.items()}
    for t, keys in m.deletes.items():
        for k in keys:
            rows[t].pop(k, None)
    for t, written in m.writes.items():
        for row in written:
            rows[t][row[: tables()[t][1]]] = row
    return rows


def _content(rows: dict, uid: str) -> tuple | None:  # type: ignore[type-arg]
    row = rows.get((uid,))
    return None if row is None else tuple(str(v) for v in row[3:])  # without uid, bill and position


@settings(max_examples=60, deadline=None)
@given(mine=edits, theirs=edits)
def test_edits_to_different_items_merge_and_same_item_edits_conflict(mine: list[Edit], theirs: list[Edit]) -> None:
    base = _state(START, 1).base()
    ours, their_programme = _apply(START, mine, "me"), _apply(START, theirs, "you")
    server = _state(their_programme, 2)
    m = merge(programme_rows(ours), base, server)
    start_rows, mine_rows, their_rows = programme_rows(START)["items"], programme_rows(ours)["items"], server.rows["items"]
    changed_mine = {u for u in UIDS if _content(mine_rows, u) != _content(start_rows, u)}
    changed_theirs = {u for u in UIDS if _content(their_rows, u) != _content(start_rows, u)}
    clash = {u for u in changed_mine & changed_theirs if _content(mine_rows, u) != _content(their_rows, u)}
    assert {c.key[0] for c in m.conflicts if c.table == "items"} == clash  # exactly the items both changed
    merged = _result(server, m)["items"]
    for uid in changed_mine - clash:  # every change of mine is in the result ...
        assert _content(merged, uid) == _content(mine_rows, uid)
    for uid in changed_theirs - changed_mine:  # ... and every change of theirs
        assert _content(merged, uid) == _content(their_rows, uid)
    for uid in set(UIDS) - changed_mine - changed_theirs:
        assert _content(merged, uid) == _content(start_rows, uid)
    for key in (set(mine_rows) | set(their_rows)) - set(start_rows):  # both sides' additions
        assert key in merged
