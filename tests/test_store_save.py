"""Saving what an edit changed (`Project.save(changed=...)`) leaves the same file as comparing everything.

Two files are made from one programme; every kind of edit is applied to both; one is saved with the
edit's `Change` (the window's way), the other with the whole-programme compare (the safe fallback).
Both files are then read back, table by table and as programmes, and must hold the same.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from estimator import edits, particulars_edit
from estimator.edits import Change, Edit
from estimator.model import DAYWORK, Bill, ExchangeRate, Facility, Item, Programme
from estimator.particulars import LotParticulars
from estimator.rates import current_library
from estimator.store import REVISION_TABLES, TABLES, Project, _rows, load
from estimator.synthetic import generate

Make = Callable[[Programme], Edit | None]


def base() -> Programme:
    prog = generate(3, 60, seed=5)
    lib = current_library().book
    prog.rates = lib.closure(sorted(lib.rates)[:6])  # some library rates are left to add
    prog.lot_overrides = {prog.facilities[2].uid: LotParticulars(completion_days=120)}
    return prog


def table_contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table of the file, its rows in key order, with the values SQLite holds (and their types)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = {}
        for table in (*TABLES, *REVISION_TABLES):
            cols = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
            listed = ", ".join(f"{c}, typeof({c})" for c in sorted(cols))
            out[table] = conn.execute(f"SELECT {listed} FROM {table} ORDER BY {', '.join(sorted(cols))}").fetchall()
        return out
    finally:
        conn.close()


@pytest.fixture
def twins(tmp_path: Path) -> tuple[Project, Project]:
    prog = base()
    a = Project.create(tmp_path / "changed.boq", prog)
    b = Project.create(tmp_path / "whole.boq", prog)
    return a, b


def same_files(a: Project, b: Project) -> None:
    assert table_contents(a.path) == table_contents(b.path)
    assert _rows(load(a.path)) == _rows(load(b.path)) == _rows(a.programme) == _rows(b.programme)


def edit_both(a: Project, b: Project, make: Make) -> Change:
    """Apply the edit `make` builds to both programmes (each its own objects, the same uids)."""
    edit_a, edit_b = make(a.programme), make(b.programme)
    assert edit_a is not None and edit_b is not None
    change = edit_a.apply(a.programme)
    edit_b.apply(b.programme)
    return change


def new_item(uid: str, **fields: object) -> Item:
    return dataclasses.replace(Item("New work", Decimal("12.5"), "m2", rate=Decimal("4.75"), uid=uid), **fields)


def _bill(p: Programme, f: int = 0, b: int = 0) -> tuple[Facility, Bill]:
    return p.facilities[f], p.facilities[f].bills[b]


def _own_rate(p: Programme) -> tuple[Bill, Item]:
    return next((b, it) for f in p.facilities[::-1] for b in f.bills for it in b.items if it.rate is not None)


def _settings(p: Programme) -> Edit:
    old = edits.Settings.of(p)
    rates = (*(e for e in p.exchange_rates if e.currency != "SYP"), ExchangeRate("SYP", Decimal("13000"), dt.date(2026, 12, 1)))
    return edits.SetSettings(old, dataclasses.replace(old, name="Renamed programme", contingency=Decimal("7.5"),
                                                     exchange_rates=rates))


def _new_facility(p: Programme) -> Edit:
    fac = Facility("New clinic", "Idlib", bills=[Bill("1 Works", items=[new_item("nf1"), new_item("nf2", rate_code="")],
                                                      uid="nfb")], uid="nf")
    lib = current_library().book
    fac.bills[0].items[1].rate, fac.bills[0].items[1].rate_code = None, sorted(lib.rates)[-1]
    return edits.add_facility(p, lib, fac)


def _replace_contents(p: Programme) -> Edit:
    new_fac = Facility("Imported", bills=[Bill("Imported bill", items=[new_item("imp1")], uid="ib")], uid="if")
    return edits.ReplaceContents(edits.Contents.of(p), edits.Contents((p.facilities[1], new_fac), p.rates))


# one or more edits of every kind the window makes, by name
EDITS: dict[str, Make] = {
    "cell: quantity": lambda p: edits.set_fields(_bill(p)[1], _bill(p)[1].items[3], {"quantity": Decimal("99.125")}),
    "cell: description and Arabic": lambda p: edits.set_fields(_bill(p, 1)[1], _bill(p, 1)[1].items[0],
                                                             {"description": "Changed", "description_ar": "تغيير"}),
    "cell: own rate cleared": lambda p: edits.set_fields(*_own_rate(p), {"rate": None, "rate_currency": "",
                                                                          "rate_code": "X-1"}),
    "cell: kind and measurement": lambda p: edits.set_fields(_bill(p)[1], _bill(p)[1].items[0],
                                                           {"kind": DAYWORK, "measurement": "2*(4.5+3.2)",
                                                            "quantity": Decimal("15.4"), "provisional": True}),
    "insert rows": lambda p: edits.insert_items(*_bill(p), 1, [new_item("n1"), new_item("n2", description="Second")]),
    "insert rows at the end": lambda p: edits.insert_items(*_bill(p, 1, 1), len(_bill(p, 1, 1)[1].items), [new_item("n3")]),
    "delete rows": lambda p: edits.remove_rows(*_bill(p), [0, 2, 3]),
    "delete every row of a bill": lambda p: edits.remove_rows(*_bill(p, 2), range(len(_bill(p, 2)[1].items))),
    "move rows down": lambda p: edits.move_rows(*_bill(p), 0, 2, 1),
    "move rows up": lambda p: edits.move_rows(*_bill(p, 1), 1, 1, 0),
    # the primitives alone (the helpers above add a renumbering, whose Change names the bill's items too)
    "insert a row, not renumbered": lambda p: edits.InsertItems(_bill(p)[1].uid, 0, (new_item("raw"),)),
    "delete a row, not renumbered": lambda p: edits.RemoveItems(_bill(p)[1].uid, 1, (_bill(p)[1].items[1],)),
    "move a row, not renumbered": lambda p: edits.MoveItems(_bill(p)[1].uid, 0, 1, 2),
    "rename facility": lambda p: edits.Rename(p.facilities[1].uid, "name", p.facilities[1].name, "Renamed hospital"),
    "facility floor area": lambda p: edits.Rename(p.facilities[0].uid, "floor_area", p.facilities[0].floor_area,
                                                  Decimal("1234.50")),
    "rename bill": lambda p: edits.Rename(_bill(p, 2, 1)[1].uid, "name_ar", _bill(p, 2, 1)[1].name_ar, "أعمال"),
    "settings": _settings,
    "add library rates": lambda p: edits.add_rates(p, current_library().book, sorted(current_library().book.rates)[6:9]),
    "new facility with its rates": _new_facility,
    "delete facility (and its lot particulars)": lambda p: edits.RemoveFacility(2, p.facilities[2]),
    "add bill": lambda p: edits.InsertBill(p.facilities[0].uid, 1, Bill("New bill", items=[new_item("nb1")], uid="nb")),
    "delete bill": lambda p: edits.RemoveBill(p.facilities[1].uid, 0, p.facilities[1].bills[0]),
    "import (replace contents)": _replace_contents,
    "record of imports": lambda p: edits.SetImported((), (("abc123", "work.csv, 2026-12-06"),)),
    "tender particulars": lambda p: particulars_edit.set_particulars(p, dataclasses.replace(
        p.particulars, max_lots_per_bidder=3, lot=dataclasses.replace(p.particulars.lot, completion_days=200))),
    "lot particulars": lambda p: particulars_edit.set_lot_particulars(p, p.facilities[0].uid,
                                                                      LotParticulars(retention=Decimal("5"))),
    "lot particulars cleared": lambda p: particulars_edit.set_lot_particulars(p, p.facilities[2].uid, LotParticulars()),
    "settings taken in from the server": lambda p: _taken_settings(p),
}


def _taken_settings(p: Programme) -> Edit:
    """A colleague's settings, as the live window takes them in (estimator.server.incoming)."""
    from estimator.model import Markups
    from estimator.server.incoming import TakeSettings, settings_of

    new = settings_of(p)
    new.markups = Markups(Decimal("7.5"), p.markups.overheads, Decimal("2"))
    new.name_ar, new.notes = "برنامج إدلب", "settings changed by a colleague"
    return TakeSettings(settings_of(p), new)


@pytest.mark.parametrize("name", EDITS)
def test_an_edit_saved_by_its_change_gives_the_same_file(twins: tuple[Project, Project], name: str) -> None:
    a, b = twins
    before = table_contents(a.path)
    change = edit_both(a, b, EDITS[name])
    a.save(changed=change)
    b.save()
    same_files(a, b)
    assert table_contents(a.path) != before  # the edit changed the file: the comparison proves something


@pytest.mark.parametrize("name", EDITS)
def test_undo_saved_by_its_change_gives_the_same_file(twins: tuple[Project, Project], name: str) -> None:
    a, b = twins
    made = {}

    def remember(p: Programme) -> Edit | None:
        made[id(p)] = EDITS[name](p)
        return made[id(p)]

    a.save(changed=edit_both(a, b, remember))
    b.save()
    undo = made[id(a.programme)].inverse().apply(a.programme)
    made[id(b.programme)].inverse().apply(b.programme)
    a.save(changed=undo)
    b.save()
    same_files(a, b)


def test_every_edit_class_is_covered() -> None:
    """A new kind of edit must show that its `Change` names what it changed (add it to EDITS)."""
    covered = {f"{type(step).__module__}.{type(step).__qualname__}" for make in EDITS.values()
               for step in (make(base()) or edits.Group(())).primitives()}

    def concrete(cls: type) -> set[str]:  # by name: `slots=True` leaves the class it replaced among the subclasses
        found = set()
        for sub in cls.__subclasses__():
            found |= concrete(sub) | (set() if getattr(sub, "__abstractmethods__", None) else {f"{sub.__module__}.{sub.__qualname__}"})
        return found

    missing = sorted(concrete(Edit) - covered - {"estimator.edits.Group"})
    assert not missing, f"edits without a save test: {missing}"


def test_many_edits_share_one_save(twins: tuple[Project, Project]) -> None:
    """The window saves once per event-loop turn: the union of several edits' changes."""
    a, b = twins
    change = Change()
    for name in ("insert rows", "cell: quantity", "move rows down", "rename bill", "delete facility (and its lot particulars)",
                 "add bill", "settings", "delete rows"):
        change = change | edit_both(a, b, EDITS[name])
    a.save(changed=change)
    b.save()
    same_files(a, b)


def test_a_failed_save_keeps_the_change_for_the_next(twins: tuple[Project, Project], tmp_path: Path) -> None:
    """A save that fails changes nothing in memory either: the next save with the same change writes it."""
    a, b = twins
    change = edit_both(a, b, EDITS["insert rows"])
    holder = sqlite3.connect(a.path)
    holder.execute("BEGIN EXCLUSIVE")  # another program holds the file: the save is refused
    a._conn.execute("PRAGMA busy_timeout = 0")
    with pytest.raises(Exception, match="being written by another program"):
        a.save(changed=change)
    holder.rollback()
    holder.close()
    change = change | edit_both(a, b, EDITS["cell: quantity"])
    a.save(changed=change)
    b.save()
    same_files(a, b)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["insert", "remove", "move", "set", "save", "undo"]),
                          st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=14))
def test_any_sequence_of_edits_and_saves(tmp_path_factory: pytest.TempPathFactory, ops: list[tuple[str, int, int]]) -> None:
    folder = tmp_path_factory.mktemp("seq")
    prog = generate(2, 40, seed=9)
    with Project.create(folder / "a.boq", prog) as a, Project.create(folder / "b.boq", prog) as b:
        change, done, counter = Change(), [], [0]
        for kind, x, y in ops:
            if kind == "save":
                a.save(changed=change)
                change = Change()
                continue
            if kind == "undo":
                if done:
                    ea, eb = done.pop()
                    change = change | ea.inverse().apply(a.programme)
                    eb.inverse().apply(b.programme)
                continue

            def make(p: Programme, kind: str = kind, x: int = x, y: int = y) -> Edit | None:
                fac = p.facilities[x % len(p.facilities)]
                bill = fac.bills[y % len(fac.bills)]
                n = len(bill.items)
                if kind == "insert":
                    return edits.insert_items(fac, bill, x % (n + 1), [new_item(f"s{counter[0]}", quantity=Decimal(y))])
                if not n:
                    return None
                if kind == "remove":
                    return edits.remove_rows(fac, bill, [x % n, y % n])
                if kind == "move":
                    return edits.move_rows(fac, bill, x % n, 1, y % n)
                return edits.set_fields(bill, bill.items[x % n], {"quantity": Decimal(y) + 1, "notes": f"n{x}"})

            ea, eb = make(a.programme), make(b.programme)
            counter[0] += 1
            if ea is None or eb is None:
                continue
            change = change | ea.apply(a.programme)
            eb.apply(b.programme)
            done.append((ea, eb))
        a.save(changed=change)
        b.save()
        same_files(a, b)
