"""Spreadsheet moves without Qt (estimator.sheet): where a paste lands, what Ctrl+D copies."""

from __future__ import annotations

from estimator.sheet import Selection, fill_down, paste_plan

WRITABLE = {0, 1, 2, 3, 4, 5, 6}  # column 7 (the amount) is computed


def sel(*cells: tuple[int, int]) -> Selection:
    return Selection(frozenset(cells))


def test_one_value_fills_every_selected_cell() -> None:
    plan = paste_plan([["12.5"]], sel((1, 3), (2, 3), (4, 3), (4, 7)), 10, WRITABLE, 8)
    assert not plan.insert
    assert plan.cells == {(1, 3): "12.5", (2, 3): "12.5", (4, 3): "12.5"} and plan.skipped == 1


def test_a_column_of_quantities_fills_down_from_the_current_cell_and_grows_the_table() -> None:
    plan = paste_plan([["1"], ["2"], ["3"]], sel((8, 3)), 9, WRITABLE, 8)
    assert plan.cells == {(8, 3): "1"}
    assert plan.new_rows == [{3: "2"}, {3: "3"}]


def test_a_header_or_a_wider_block_inserts_rows() -> None:
    assert paste_plan([["Description", "Qty"], ["x", "1"]], sel((0, 1), (0, 2)), 5, WRITABLE, 8, has_header=True).insert
    assert paste_plan([["x", "1", "m2"]], sel((0, 1)), 5, WRITABLE, 8).insert
    assert not paste_plan([["x", "1"]], sel((0, 1), (0, 2)), 5, WRITABLE, 8).insert
    assert paste_plan([], sel((0, 1)), 5, WRITABLE, 8).insert


def test_fill_down_copies_the_top_cell_or_the_one_above() -> None:
    texts = {(r, c): f"{r}-{c}" for r in range(6) for c in range(8)}
    got = fill_down(sel((1, 3), (2, 3), (3, 3), (1, 7), (2, 7)), lambda r, c: texts[(r, c)], WRITABLE)
    assert got == {(2, 3): "1-3", (3, 3): "1-3"}
    assert fill_down(sel((4, 3)), lambda r, c: texts[(r, c)], WRITABLE) == {(4, 3): "3-3"}
    assert fill_down(sel((0, 3)), lambda r, c: texts[(r, c)], WRITABLE) == {}
