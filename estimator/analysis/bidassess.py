"""Assessing returned workbooks one by one, in parallel processes when there are several.

`assess(path, tender)` reads one workbook, refuses it if it is not from this tender, checks every
row (`bidcheck`) and returns a `BidResult` or a `Refused`. `assess_all` runs it for each bid, several
at once when there are at least `PARALLEL_FROM` bids (`plan_workers`): reading a 24,000-item
workbook is about half a second of pure Python work. The readers share a counter and each takes the
next bid no one has taken, so a slow bid never leaves a CPU idle. On the command line the helpers
are forked (Linux, one thread): they start in milliseconds and share the tender, and this process
reads bids too, between collecting the helpers' results (from two CPUs, each CPU reads bids). In the
window (threads: "spawn", as on Windows) each helper imports the engine and receives the tender
(~1 s of CPU), so helpers are used from four CPUs, one left to the window, whose thread only collects.
A bid's result goes back as text (`BidResult.__reduce__`: 0.03 s, not 0.3 s of pickled Decimals).
A cancelled evaluation ends the helpers still reading and raises `Cancelled`. Read in this process,
a bid calls the progress callback between sheets and every few thousand rows, so a cancel stops it
within a fraction of a second. A helper that dies (killed, out of memory) costs only the bid it was
reading, which is refused with the reason.

One bid can never stop the others: whatever reading or checking one workbook raises (other than a
cancel) makes that bid refused, with the reason, and the other bids are evaluated and ranked.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from multiprocessing import get_context
from multiprocessing.queues import Queue
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from queue import Empty

from estimator.analysis.bidcheck import Anomaly, ItemBid, RowChecker, bounded
from estimator.analysis.bidlayout import IssuedTender, issued_tender
from estimator.analysis.bidread import BidRow, Checkpoint, Returned, printable, read_returned
from estimator.analysis.bidresult import BidResult, Progress, Refused, TenderItem, flag
from estimator.errors import Cancelled, UserError
from estimator.gcpause import gc_paused
from estimator.model import FIXED_SUMS, Programme
from estimator.money import ZERO
from estimator.pricing import Markup, bidders_markups, with_markups

PARALLEL_FROM = 3
POLL = 0.2  # seconds between two looks at a cancel while workers read


@dataclass(frozen=True, slots=True)
class Tender:
    """What a returned workbook is checked against: the tender as issued, priced by the engineer."""

    issued: IssuedTender  # what the issued tender expects (`bidlayout.issued_tender`)
    items: list[TenderItem]
    subtotal: Decimal
    markups: list[Markup]
    total: Decimal
    threshold: Decimal

    @property
    def reference(self) -> str:
        return self.issued.reference

    @property
    def digest(self) -> str:
        return self.issued.digest

    @classmethod
    def of(cls, programme: Programme, threshold: Decimal) -> Tender:
        issued = issued_tender(programme)
        estimate = issued.estimate
        items = [TenderItem(ln, ft.facility.name, ft.facility.uid) for ft in estimate.facilities for b in ft.bills
                 for ln in b.lines]
        # bids are compared before the employer's contingency and overheads: only the markups bidders
        # add themselves (the tax, if they charge it) are on both sides
        markups = bidders_markups(programme, estimate.subtotal)
        return cls(issued, items, estimate.subtotal, markups, estimate.subtotal + sum((m.amount for m in markups), ZERO),
                   threshold)


def assess_all(tender: Tender, paths: Sequence[Path], progress: Progress | None = None,
               workers: int | None = None) -> Iterator[BidResult | Refused]:
    """A result per path, in the order of `paths`; `workers`: how many read bids at once (default
    `plan_workers`; on the command line this process is one of them)."""
    report = progress or (lambda done, total: None)
    count = len(paths)
    method = start_method()
    if workers is None:
        workers = plan_workers(method)
    workers = min(count, workers)
    report(0, count)
    if count < PARALLEL_FROM or workers < 2:
        for done, path in enumerate(paths, start=1):
            result = assess(path, tender, partial(report, done - 1, count))  # asked while the bid is read
            report(done, count)
            yield result
        return
    yield from _shared(tender, paths, workers, method, report)


Sent = Queue[tuple[int, "BidResult | Refused"]]


def _shared(tender: Tender, paths: Sequence[Path], workers: int, method: str,
            report: Progress) -> Iterator[BidResult | Refused]:
    """The bids read by `workers` readers at once, each taking the next bid no one has taken (a
    counter they share): helper processes and, when they are forked (the command line), this one,
    which also collects what the helpers send and reports progress between its bids."""
    count = len(paths)
    here = method == "fork"  # spawned helpers (the window): its thread only collects and reports
    context = get_context("fork") if here else get_context("spawn")
    taken = context.Value("i", 0)
    sent: Sent = context.Queue()
    helpers = [context.Process(target=_help, args=(tender, paths, taken, sent), daemon=True)
               for _ in range(workers - 1 if here else workers)]
    found: dict[int, BidResult | Refused] = {}
    try:
        for helper in helpers:
            helper.start()
        while here and (at := _take(taken, count)) is not None:
            found[at] = assess(paths[at], tender, lambda: report(len(found), count))
            _collect(sent, found, 0)
            report(len(found), count)
        while len(found) < count:
            if not _collect(sent, found, POLL) and not any(h.is_alive() for h in helpers):
                _collect(sent, found, POLL)  # the last a helper sent as it ended
                for at in sorted(set(range(count)) - found.keys()):  # its helper was killed reading it
                    name = printable(paths[at].name)
                    found[at] = Refused(name, f"{name}: the process reading it stopped (out of memory?); "
                                              "evaluate it again on its own")
            report(len(found), count)  # raises Cancelled once the user cancels
    except BaseException:
        for helper in helpers:
            helper.terminate()
        raise
    for helper in helpers:
        helper.join()
    yield from (found[at] for at in range(count))


def _take(taken: Synchronized[int], count: int) -> int | None:
    """The next bid no reader has taken, or None when all are."""
    with taken.get_lock():
        at = taken.value
        taken.value = at + 1
    return at if at < count else None


def _help(tender: Tender, paths: Sequence[Path], taken: Synchronized[int], sent: Sent) -> None:
    """A helper process: read bids until none is left, sending each result as it is ready."""
    while (at := _take(taken, len(paths))) is not None:
        sent.put((at, assess(paths[at], tender)))


def _collect(sent: Sent, found: dict[int, BidResult | Refused], wait: float) -> bool:
    """Move what the helpers sent into `found`, waiting up to `wait` seconds for the first; whether any came."""
    got = False
    try:
        while True:
            at, result = sent.get(timeout=wait) if wait and not got else sent.get_nowait()
            found[at] = result
            got = True
    except Empty:
        return got


def cpus() -> int:
    """CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def start_method() -> str:
    """`fork` on Linux from the main thread of a process with no other Python thread and no Qt (the
    command line; native threads of a numeric library, idle in their pool, do not count), else `spawn`."""
    alone = threading.current_thread() is threading.main_thread() and threading.active_count() == 1
    return "fork" if alone and sys.platform.startswith("linux") and "PySide6.QtCore" not in sys.modules else "spawn"


def plan_workers(method: str) -> int:
    """How many read bids at once: on the command line (forked helpers start in milliseconds and
    share the tender) one per CPU from two CPUs, this process one of them; in the window (spawned
    helpers each import the engine and receive the tender, ~1 s of CPU) one per CPU but one, from
    four CPUs, the window's thread collecting."""
    count = cpus()
    if method == "fork":
        return count if count >= 2 else 1
    return count - 1 if count >= 4 else 1


def assess(path: Path, tender: Tender, checkpoint: Checkpoint | None = None) -> BidResult | Refused:
    # a bid is ~500,000 acyclic objects (cells, rows, Decimals): the cycle collector would re-scan
    # the growing heap again and again, and ten bids would cost half as much again (measured)
    with gc_paused():
        try:
            returned = read_returned(path, tender.issued, checkpoint)
            _check_tender(returned, tender)
            return assess_returned(returned, tender)
        except Cancelled:
            raise
        except UserError as exc:
            return Refused(printable(path.name), printable(str(exc)))
        except (MemoryError, RecursionError, ArithmeticError, ValueError, LookupError, TypeError, OSError) as exc:
            # a workbook no check foresaw: that bid is refused with the reason, the others are evaluated
            return Refused(printable(path.name), f"{printable(path.name)}: could not be read as a bid ({type(exc).__name__}: "
                                      f"{printable(str(exc)[:200])}); ask the bidder for the file again, saved from Excel")


def _check_tender(returned: Returned, tender: Tender) -> None:
    values = returned.info.values
    # the two facts `_tender` may state: they identify the tender, the fingerprint covers what was tendered
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
    checker.found += [Anomaly(n.kind, n.message, n.sheet, n.row, n.column) for n in returned.notes]
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
    sheet_of = returned.facility_sheets
    figures: dict[str, ItemBid] = {}
    missing, missing_value = 0, ZERO
    flags: dict[str, tuple[list[str], list[str]]] = {}  # per lot, the items flagged low and high
    limit = tender.threshold
    for item in tender.items:
        line = item.line
        found = rows.pop(line.item.uid, None)
        if line.item.kind in FIXED_SUMS:  # never priced by bidders: always the tender's amount
            figures[line.item.uid] = checker.fixed(line, found)
            continue
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
        elif flagged := flag(figure.rate, line.rate, limit):
            lists = flags.get(item.facility_uid) or flags.setdefault(item.facility_uid, ([], []))
            (lists[0] if flagged == "low" else lists[1]).append(item.uid)
    for row in rows.values():  # uids that are not in the programme: rows copied in from elsewhere
        checker.add("added row", f"row with an item identity that is not in this tender ({row.uid}); not counted", row)
    added = sum((checker.added(row) for row in returned.added), ZERO)
    for row in returned.totals:
        label = row.cell("description")
        checker.total(row, str(label.value) if label is not None and label.value is not None else "")
    _summary_formulas(returned, checker)
    corrected = sum((f.corrected for f in figures.values()), ZERO)
    markups, grand = with_markups(corrected, [(m.name, m.percent) for m in tender.markups])
    stated, source = _stated_total(returned, figures, added, tender.markups, checker)
    return BidResult(returned.name, returned.company, figures, checker.found, stated, source, corrected, markups,
                     grand, added, missing, missing_value, low=sum(len(low) for low, _ in flags.values()),
                     high=sum(len(high) for _, high in flags.values()), lot_totals=_lot_totals(returned, tender, figures),
                     sheet_lots={s.sheet: s.facility_uid for s in returned.layout.sheets}, flags=flags)


def _lot_totals(returned: Returned, tender: Tender, figures: dict[str, ItemBid]) -> dict[str, Decimal | None]:
    """Each lot's total as the workbook states it: the last total on its sheet (the lot total) when the
    workbook holds calculated values; else the sum of the stated amounts of its items."""
    last: dict[str, BidRow] = {}
    for row in returned.totals:
        if row.sheet not in last or row.row > last[row.sheet].row:
            last[row.sheet] = row
    found: dict[str, Decimal | None] = {}
    stated: dict[str, Decimal] = {}
    for item in tender.items:
        figure = figures[item.uid]
        if figure.stated is not None:
            stated[item.facility_uid] = stated.get(item.facility_uid, ZERO) + figure.stated
    for sheet in returned.layout.sheets:
        total = last.get(sheet.sheet)
        cell = total.cell("amount") if total is not None else None
        if cell is not None and cell.formula is not None and type(cell.value) is Decimal and bounded(cell.value):
            found[sheet.facility_uid] = cell.value
        else:
            found[sheet.facility_uid] = stated.get(sheet.facility_uid)
    return found


def _summary_formulas(returned: Returned, checker: RowChecker) -> None:
    for number, row in returned.summary:
        cell = row.get("D")
        if cell is None or "B" not in row:
            continue
        label = str(row["B"].value or "")
        checker.total(BidRow(returned.layout.summary_sheet, number, "", {"D": cell}, {"amount": "D"}), label)


def _stated_total(returned: Returned, figures: dict[str, ItemBid], added: Decimal, markups: list[Markup],
                  checker: RowChecker) -> tuple[Decimal | None, str]:
    grand = returned.summary_amount("grand_total")
    sheet = returned.layout.summary_sheet
    if grand is not None and isinstance(grand[1].value, Decimal):
        if bounded(grand[1].value):
            return grand[1].value, "the workbook's grand total"
        checker.found.append(Anomaly("total typed over", f"the grand total {str(grand[1].value)[:30]} is beyond any "
                                     "tender; not used", sheet, grand[0], "D"))
        return None, "none: the workbook's grand total is not a usable number"
    if grand is not None and grand[1].value not in (None, "") and not isinstance(grand[1].value, Decimal):
        checker.found.append(Anomaly("total typed over", f"the grand total shows {str(grand[1].value)[:40]!r}, not a "
                                     "number", sheet, grand[0], "D"))
        return None, "none: the workbook's grand total is not a number"
    subtotal = sum((f.stated or ZERO for f in figures.values()), ZERO) + added
    total = with_markups(subtotal, [(m.name, m.percent) for m in markups])[1]
    return total, "the sum of the stated amounts (the workbook holds no calculated totals)"
