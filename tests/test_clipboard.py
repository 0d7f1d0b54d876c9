"""Copy and paste text: Excel's tab-separated cells in, printed figures out."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from estimator.cell_input import Col
from estimator.clipboard import build_items, from_json, map_columns, parse_tsv, to_json, to_tsv
from estimator.model import Item, Programme
from estimator.pricing import Pricer
from estimator.rates import current_library

LIBRARY = current_library().book
CODE = next(c for c, r in sorted(LIBRARY.rates.items()) if r.unit == "m2")


def test_excel_text_with_quoted_multiline_cell_and_crlf() -> None:
    text = 'Plaster walls\t"two\nlines"\t12\r\n\t\t\r\nPaint\tدهان\t3,5\r\n'
    assert parse_tsv(text) == [["Plaster walls", "two\nlines", "12"], ["Paint", "دهان", "3,5"]]


def test_header_row_maps_columns_by_name_in_any_language() -> None:
    rows = parse_tsv("Qty\tDescription\tUnit\tالسعر\nx\n")
    cols, body = map_columns(rows, Col.QTY)
    assert cols == [Col.QTY, Col.DESC, Col.UNIT, Col.RATE]
    assert body == [["x"]]


def test_narrow_block_maps_from_the_current_column_full_rows_from_the_first() -> None:
    cols, body = map_columns([["a", "b"]], Col.DESC)
    assert cols == [Col.DESC, Col.DESC_AR] and body == [["a", "b"]]
    cols, _ = map_columns([["1"] * 8], Col.QTY)
    assert cols == list(Col)
    cols, _ = map_columns([["1", "2", "3"]], Col.RATE)
    assert cols == [Col.RATE, Col.AMOUNT, None]


def test_build_items_parses_cells_and_keeps_bad_ones_with_their_problem() -> None:
    prog = Programme("P")
    rows = [["Plaster", "1200 ft2", "", CODE], ["Bad", "12 parsecs", "m2", ""], ["", "3", "m2", "ZZZ-9"]]
    cols = [Col.DESC, Col.QTY, Col.UNIT, Col.CODE]
    pasted = build_items(rows, cols, prog, LIBRARY)
    first, second, third = pasted.items
    assert (first.description, first.quantity, first.unit, first.rate_code) == ("Plaster", Decimal(1200), "ft2", CODE)
    assert pasted.codes == {CODE}
    assert (second.uid, Col.QTY) in pasted.problems
    assert pasted.problems[(second.uid, Col.QTY)][0] == "12 parsecs"
    assert second.unit == "m2" and second.quantity == 0
    assert (third.uid, Col.CODE) in pasted.problems and (third.uid, Col.DESC) in pasted.problems


def test_copied_text_is_excel_tab_text_of_printed_figures() -> None:
    prog = Programme("P", rates=LIBRARY.closure([CODE]))
    item = Item("Plaster, \"smooth\"", Decimal("1200"), "ft2", ref="1.1", description_ar="لياسة", rate_code=CODE)
    line = Pricer(prog).line(item)
    text = to_tsv([line])
    row = next(csv.reader(io.StringIO(text), dialect="excel-tab"))
    assert row[:5] == ["1.1", 'Plaster, "smooth"', "لياسة", "111.48", "m²"]
    assert row[7] == f"{line.amount:.2f}" and "," not in row[7]
    assert parse_tsv(text) == [row]


def test_own_json_round_trip_gives_new_identities() -> None:
    item = Item("a", Decimal("1.5"), "m2", rate=Decimal("9.99"), rate_currency="TRY", notes="n")
    back = from_json(to_json([item]))[0]
    assert (back.description, back.quantity, back.rate, back.rate_currency, back.notes) == ("a", Decimal("1.5"), Decimal("9.99"), "TRY", "n")
    assert back.uid != item.uid


def test_own_json_keeps_the_item_kind_and_reads_copies_from_before_kinds() -> None:
    import json

    from estimator.model import DAYWORK, MEASURED

    item = Item("labourer", Decimal("10"), "day", rate=Decimal("15"), kind=DAYWORK, measurement="2*5")
    back = from_json(to_json([item]))[0]
    assert (back.kind, back.measurement) == (DAYWORK, "2*5")
    old = json.loads(to_json([item]))
    for row in old:
        del row["kind"], row["measurement"]
    assert [(it.kind, it.measurement) for it in from_json(json.dumps(old))] == [(MEASURED, "")]
    bad = json.loads(to_json([item]))
    bad[0]["kind"] = "bribe"
    with pytest.raises(ValueError, match="not an item kind"):
        from_json(json.dumps(bad))
