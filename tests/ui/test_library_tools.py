"""The rate library panel as a tool: search by stem, a build-up that follows the programme and adds up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pytestqt.qtbot import QtBot

from estimator import edits
from estimator.model import ExchangeRate
from estimator.pricing import Pricer
from ui.library_panel import BuildupModel


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def test_panel_search_finds_tiling_by_tile_and_by_two_words(window: Any) -> None:
    panel = window.library_panel
    panel.search.setText("tile")
    assert {"TL-010", "TL-020", "TL-030"} <= {r.code for r in panel.rates()}
    panel.search.setText("ceramic tile")
    assert {r.code for r in panel.rates()} >= {"TL-010", "TL-020"} and "TL-030" not in {r.code for r in panel.rates()}


def test_buildup_costs_add_up_to_the_printed_subtotal_and_rate(window: Any) -> None:
    model = BuildupModel()
    pricer = Pricer(window.doc.programme)
    checked = 0
    for code, rate in window.library.rates.items():
        if not rate.lines:
            continue
        model.show(window.library.analyse(code, pricer.currency, pricer.convert))
        costs = [_number(row[6]) for row in model.rows[: len(rate.lines)]]
        subtotal, overheads, unit_rate = (_number(row[6]) for row in model.rows[-3:])
        assert sum(costs) == subtotal, f"{code}: the printed costs add up to the printed subtotal"
        assert (subtotal + overheads).quantize(Decimal("0.01"), "ROUND_HALF_UP") == unit_rate, code
        checked += 1
    assert checked > 50


def _to_try(window: Any) -> None:
    doc = window.doc
    old = edits.Settings.of(doc.programme)
    per_usd = Decimal("42.35")
    today = dt.date(2026, 11, 1)
    fx = (ExchangeRate("SYP", Decimal("115") / per_usd, today), ExchangeRate("USD", 1 / per_usd, today))
    new = edits.Settings(old.name, "TRY", old.reference, old.organisation, old.revision, old.issue_date,
                         old.validity_days, fx, old.contingency, old.overheads, old.tax)
    doc.push(edits.SetSettings(old, new))


def test_buildup_follows_currency_changes_and_undo(qtbot: QtBot, window: Any) -> None:
    panel = window.library_panel
    panel.search.setText("PL-010")
    panel.table.selectRow(0)
    assert panel.shown == ("PL-010", "library")
    usd_rate = panel.buildup.rows[-1][6]
    _to_try(window)
    pricer = Pricer(window.doc.programme)
    expected = window.library.analyse("PL-010", "TRY", pricer.convert).unit_rate
    assert _number(panel.buildup.rows[-1][6]) == expected and expected > 30 * _number(usd_rate)
    assert panel.buildup.analysis is not None and panel.buildup.analysis.currency == "TRY"
    window.undo_action.trigger()
    assert panel.buildup.rows[-1][6] == usd_rate and panel.buildup.analysis.currency == "USD"


def test_reprice_from_the_window_shows_the_dry_run_report_first(qtbot: QtBot, window: Any,
                                                                 dialogs: Any) -> None:
    from dataclasses import replace

    from estimator.reprice import report_lines, reprice

    doc = window.doc
    used = next(c for c, r in doc.programme.rates.rates.items() if r.lines and r.lines[0].component in window.library.resources)
    res = window.library.resources[doc.programme.rates.rates[used].lines[0].component]
    window.library = window.library.merged(type(window.library)({res.code: replace(res, price=res.price * 2)}, {}))
    total = doc.live.grand_total
    expected = report_lines(reprice(doc.programme, window.library, apply=False), dry_run=True)
    assert doc.live.grand_total == total and doc.programme.rates.rates[used] is not None

    dialogs.answers[:] = [False]
    assert not window.library_actions.reprice_programme()
    title, message = dialogs.last("question")
    assert title == "Re-price from the library" and message.startswith("\n".join(expected[:5]))
    assert "(dry run: nothing changed)" in message and doc.live.grand_total == total

    dialogs.answers[:] = [True]
    assert window.library_actions.reprice_programme()
    assert doc.live.grand_total > total
    assert doc.live.grand_total == reprice(doc.programme, window.library, apply=False).new_total
    window.undo_action.trigger()
    assert doc.live.grand_total == total


def _select(window: Any, code: str) -> None:
    panel = window.library_panel
    panel.search.setText(code)
    panel.table.selectRow(next(r for r, rate in enumerate(panel.rates()) if rate.code == code))


def test_a_library_rate_is_edited_into_the_user_library(qtbot: QtBot, window: Any, dialogs: Any) -> None:
    from estimator import paths
    from estimator.rates import current_library

    doc, code = window.doc, "TL-010"
    old = window.library.rate(code)
    old_price = window.library_panel.model.price(code)
    total = doc.live.grand_total
    _select(window, code)
    dialog = window.library_actions.edit_rate()
    qtbot.addWidget(dialog)
    dialog.set_line(0, "two")
    dialog.accept()
    assert dialog.isVisible() and "coefficient of" in dialog.message.text()
    dialog.set_line(0, f"{old.lines[0].coefficient * 2:f}", "7.5")
    dialog.fields["description"].setText("Ceramic wall tiling, our own build-up")
    dialog.accept()
    user = paths.user_rates_dir()
    assert (user / "rates.csv").exists() and code in (user / "buildups.csv").read_text(encoding="utf-8")
    new = window.library.rate(code)
    assert new.origin == "user" and new.lines[0].coefficient == old.lines[0].coefficient * 2
    assert new.lines[0].waste_pct == Decimal("7.5") and current_library().book.rate(code) == new
    assert window.library_panel.model.price(code) > old_price, "the panel shows the new price"
    assert window.library_panel.shown == (code, "library")
    assert doc.live.grand_total == total, "the programme keeps its rates until re-priced"
    dialogs.answers[:] = [True]
    assert window.library_actions.reprice_programme()
    assert doc.live.grand_total > total
    assert (paths.rates_dir() / "rates.csv").read_text(encoding="utf-8").count("our own build-up") == 0


def test_a_quoted_library_rate_gets_a_new_price(qtbot: QtBot, window: Any) -> None:
    code = next(c for c, r in sorted(window.library.rates.items()) if r.is_quoted)
    _select(window, code)
    dialog = window.library_actions.edit_rate()
    qtbot.addWidget(dialog)
    assert not dialog.lines.isVisible()
    dialog.fields["quoted_price"].setText("1234.5")
    dialog.fields["quoted_currency"].setText("try")
    dialog.accept()
    rate = window.library.rate(code)
    assert (rate.quoted_price, rate.quoted_currency, rate.origin) == (Decimal("1234.5"), "TRY", "user")
