"""Assessing returned workbooks one by one, in parallel processes when there are several.

`assess(path, tender)` reads one workbook, refuses it if it is not from this tender, checks every
row (`bidcheck`) and returns a `BidResult` or a `Refused`. `assess_all` runs it for each bid, in a
pool of worker processes when there are at least `PARALLEL_FROM` bids and at least four CPUs (one is
left to the window and the system): reading a 24,000-item workbook is about half a second of pure
Python work. With two CPUs the pool is not used: starting workers and sending the tender and the
results between processes (~0.5 s a bid) costs more than it saves when the other core is busy, as
measured on a 2-core machine. The pool uses the "spawn" start method on every platform (safe inside
the Qt window, the same on Windows); a cancelled evaluation stops the pool and raises `Cancelled`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from decimal import Decimal
from multiprocessing import get_context
from pathlib import Path

from estimator.analysis.bidcheck import ItemBid, RowChecker
from estimator.analysis.bidread import BidRow, Returned, read_returned
from estimator.analysis.bids import BidResult, Progress, Refused, TenderItem
from estimator.errors import Cancelled, UserError
from estimator.export.xlsx_layout import fingerprint
from estimator.model import Programme
from estimator.money import HUNDRED, ZERO, percent_of
from estimator.pricing import Markup, gc_paused, price

PARALLEL_FROM = 3


@dataclass(frozen=True, slots=True)
class Tender:
    """What a returned workbook is checked against: the tender as issued, priced by the engineer."""

    reference: str
    digest: str  # fingerprint of the items and quantities tendered
    items: list[TenderItem]
    subtotal: Decimal
    markups: list[Markup]
    total: Decimal
    threshold: Decimal

    @classmethod
    def of(cls, programme: Programme, threshold: Decimal) -> Tender:
        estimate = price(programme)
        items = [TenderItem(ln, ft.facility.name, ft.facility.uid) for ft in estimate.facilities for b in ft.bills
                 for ln in b.lines]
        return cls(programme.reference, fingerprint(programme, estimate), items, estimate.subtotal, estimate.markups,
                   estimate.grand_total, threshold)


def assess_all(tender: Tender, paths: Sequence[Path], progress: Progress | None = None,
               workers: int | None = None) -> Iterator[BidResult | Refused]:
    """A result per path, in the order of `paths`."""
    report = progress or (lambda done, total: None)
    count = len(paths)
    if workers is None:
        cpus = os.cpu_count() or 1
        workers = cpus - 1 if cpus >= 4 else 1
    workers = min(count, workers)
    report(0, count)
    if count < PARALLEL_FROM or workers < 2:
        for done, path in enumerate(paths, start=1):
            result = assess(path, tender)
            report(done, count)
            yield result
        return
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_remember,
                             initargs=(tender,)) as pool:
        futures: list[Future[BidResult | Refused]] = [pool.submit(_assess_remembered, path) for path in paths]
        pending = set(futures)
        try:
            while pending:
                _, pending = wait(pending, return_when=FIRST_COMPLETED)
                report(count - len(pending), count)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        for future in futures:
            yield future.result()


_TENDER: Tender | None = None  # the tender, once per worker process


def _remember(tender: Tender) -> None:
    global _TENDER
    _TENDER = tender


def _assess_remembered(path: Path) -> BidResult | Refused:
    assert _TENDER is not None, "worker started without its tender"
    return assess(path, _TENDER)


def assess(path: Path, tender: Tender) -> BidResult | Refused:
    # a bid is ~500,000 acyclic objects (cells, rows, Decimals): the cycle collector would re-scan
    # the growing heap again and again, and ten bids would cost half as much again (measured)
    with gc_paused():
        try:
            returned = read_returned(path)
            _check_tender(returned, tender)
        except Cancelled:
            raise
        except UserError as exc:
            return Refused(path.name, str(exc))
        return assess_returned(returned, tender)


def _check_tender(returned: Returned, tender: Tender) -> None:
    values = returned.info.values
    if values.get("reference", "") != tender.reference:
        raise UserError(f"{returned.name}: is the tender workbook of {values.get('reference') or '(no reference)'!r} "
                        f"({values.get('programme', '')}), not of this tender {tender.reference or '(no reference)'!r}; "
                        "refused")
    if values.get("fingerprint", "") != tender.digest:
        raise UserError(f"{returned.name}: was issued for tender {tender.reference!r} revision "
                        f"{values.get('revision', '?')} of {values.get('issue_date', '?')}, but the programme's items or "
                        "quantities have changed since; evaluate it against the programme file as it was issued; refused")


def assess_returned(returned: Returned, tender: Tender) -> BidResult:
    checker = RowChecker(returned)
    rows: dict[str, BidRow] = {}
    for row in returned.items:
        if row.uid in rows:
            checker.add("duplicate row", f"item in row {rows[row.uid].row} appears again in row {row.row}; the first "
                        "is used", row, "item")
        else:
            rows[row.uid] = row
    missing_sheets = set(returned.missing_sheets)
    for sheet in sorted(missing_sheets):
        checker.add("sheet missing", f"sheet {sheet!r} is missing: its items are counted as deleted")
    sheet_of = {s.facility_uid: s.sheet for s in returned.info.facilities}
    figures: dict[str, ItemBid] = {}
    missing, missing_value, low, high = 0, ZERO, 0, 0
    limit = tender.threshold
    for item in tender.items:
        line = item.line
        found = rows.pop(line.item.uid, None)
        if found is None:
            sheet = sheet_of.get(item.facility_uid, "")
            if sheet not in missing_sheets:
                checker.deleted(line, sheet)
            figure = ItemBid(None, None, None, ZERO)
        else:
            figure = checker.item(line, found)
        figures[line.item.uid] = figure
        if figure.rate is None:
            missing += 1
            missing_value += line.amount
        elif line.rate > 0:
            deviation = (figure.rate - line.rate) / line.rate * HUNDRED
            high += deviation > limit
            low += deviation < -limit
    for row in rows.values():  # uids that are not in the programme: rows copied in from elsewhere
        checker.add("added row", f"row with an item identity that is not in this tender ({row.uid}); not counted", row)
    added = sum((checker.added(row) for row in returned.added), ZERO)
    for row in returned.totals:
        label = row.cell("description")
        checker.total(row, str(label.value) if label is not None and label.value is not None else "")
    _summary_formulas(returned, checker)
    corrected = sum((f.corrected for f in figures.values()), ZERO)
    markups = [Markup(m.name, m.percent, percent_of(corrected, m.percent)) for m in tender.markups]
    stated, source = _stated_total(returned, figures, added, tender.markups)
    return BidResult(returned.name, returned.company, figures, checker.found, stated, source, corrected, markups,
                     corrected + sum((m.amount for m in markups), ZERO), added, missing, missing_value, low, high)


def _summary_formulas(returned: Returned, checker: RowChecker) -> None:
    for number, row in returned.summary:
        cell = row.get("D")
        if cell is None or "B" not in row:
            continue
        label = str(row["B"].value or "")
        checker.total(BidRow(returned.info.values.get("summary_sheet", ""), number, "", {"D": cell}, {"amount": "D"}), label)


def _stated_total(returned: Returned, figures: dict[str, ItemBid], added: Decimal,
                  markups: list[Markup]) -> tuple[Decimal | None, str]:
    grand = returned.summary_amount("grand_total")
    if grand is not None and isinstance(grand[1].value, Decimal):
        return grand[1].value, "the workbook's grand total"
    subtotal = sum((f.stated or ZERO for f in figures.values()), ZERO) + added
    total = subtotal + sum((percent_of(subtotal, m.percent) for m in markups), ZERO)
    return total, "the sum of the stated amounts (the workbook holds no calculated totals)"
