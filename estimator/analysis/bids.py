"""Evaluating returned bids against the engineer's estimate.

`evaluate(programme, [bid.xlsx, ...], threshold)` reads each returned tender workbook
(`bidread`), refuses the ones that are not from this tender (another reference, or a tender whose
items or quantities differ from the programme: its fingerprint), checks every row (`bidcheck`)
and gives per bid:
- the stated total (the General Summary grand total as the workbook calculated it; for a workbook
  holding no calculated values, the sum of its stated amounts with the programme's markups);
- the corrected total: the ENGINEER'S quantities x the BIDDER'S unit rates, rounded per line
  (the unit rate prevails; quantities the bidder changed do not count, as in a re-measured
  contract), an unpriced or deleted item at 0, rows the bidder added left out, then the programme's
  markups (contingency, overheads, tax) on that subtotal, exactly as the estimate's;
- the ranking by corrected total, complete bids before bids with unpriced items;
- per item the bid rates beside the engineer's, those more than `threshold` % below or above
  flagged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from estimator.analysis.bidcheck import KINDS, Anomaly, ItemBid, RowChecker
from estimator.analysis.bidread import BidRow, Returned, read_returned
from estimator.errors import Cancelled, UserError
from estimator.export.xlsx_layout import fingerprint
from estimator.model import Programme
from estimator.money import HUNDRED, ZERO, percent_of, round_places
from estimator.pricing import Line, Markup, price

DEFAULT_THRESHOLD = Decimal(30)
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class TenderItem:
    """An item as tendered: the engineer's printed quantity and rate."""

    line: Line
    facility: str
    facility_uid: str

    @property
    def uid(self) -> str:
        return self.line.item.uid


@dataclass(slots=True)
class BidResult:
    file: str
    company: str
    items: dict[str, ItemBid]  # item uid -> the bidder's figures
    anomalies: list[Anomaly]
    stated_total: Decimal | None
    stated_source: str
    corrected_subtotal: Decimal
    corrected_markups: list[Markup]
    corrected_total: Decimal
    added_amount: Decimal  # stated amounts of rows the bidder added; never in the corrected total
    missing: int  # items without a usable rate (incl. deleted rows)
    missing_value: Decimal  # those items at the engineer's amounts
    low: int = 0
    high: int = 0
    rank: int = 0

    @property
    def bidder(self) -> str:
        return self.company or Path(self.file).stem

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for a in self.anomalies:
            found[a.kind] = found.get(a.kind, 0) + 1
        return {k: found[k] for k in KINDS if k in found}


@dataclass(frozen=True, slots=True)
class Refused:
    file: str
    reason: str


@dataclass(slots=True)
class Evaluation:
    programme: str
    reference: str
    currency: str
    threshold: Decimal
    engineer_subtotal: Decimal
    engineer_markups: list[Markup]
    engineer_total: Decimal
    items: list[TenderItem]
    bids: list[BidResult] = field(default_factory=list)  # in ranking order
    refused: list[Refused] = field(default_factory=list)

    def deviation(self, item: TenderItem, bid: BidResult) -> Decimal | None:
        """The bid rate's difference from the engineer's rate, in % of the engineer's rate."""
        rate = bid.items[item.uid].rate
        if rate is None or item.line.rate <= 0:
            return None
        return (rate - item.line.rate) / item.line.rate * HUNDRED

    def flag(self, item: TenderItem, bid: BidResult) -> str:
        dev = self.deviation(item, bid)
        if dev is None:
            return ""
        return "high" if dev > self.threshold else "low" if dev < -self.threshold else ""

    def to_json(self) -> dict[str, object]:
        from estimator.analysis.bids_json import evaluation_json

        return evaluation_json(self)


def tender_items(programme: Programme) -> tuple[list[TenderItem], Decimal, list[Markup], Decimal, str]:
    estimate = price(programme)
    items = [TenderItem(ln, ft.facility.name, ft.facility.uid) for ft in estimate.facilities for b in ft.bills
             for ln in b.lines]
    return items, estimate.subtotal, estimate.markups, estimate.grand_total, fingerprint(programme, estimate)


def evaluate(programme: Programme, paths: Sequence[Path], threshold: Decimal = DEFAULT_THRESHOLD,
             progress: Progress | None = None) -> Evaluation:
    if threshold <= 0:
        raise UserError(f"threshold {threshold} %: give a percentage greater than 0, e.g. 30")
    items, subtotal, markups, total, digest = tender_items(programme)
    ev = Evaluation(programme.name, programme.reference, programme.currency, threshold, subtotal, markups, total, items)
    report = progress or (lambda done, total: None)
    for done, path in enumerate(paths):
        report(done, len(paths))
        path = Path(path)
        try:
            returned = read_returned(path)
            _check_tender(returned, programme, digest)
        except Cancelled:
            raise
        except UserError as exc:
            ev.refused.append(Refused(path.name, str(exc)))
            continue
        ev.bids.append(evaluate_one(returned, ev, programme))
    report(len(paths), len(paths))
    # complete bids first: an incomplete bid's corrected total prices its gaps at 0, which would favour it
    ev.bids.sort(key=lambda b: (b.missing > 0, b.corrected_total, b.file))
    for rank, bid in enumerate(ev.bids, start=1):
        bid.rank = rank
        flags = [ev.flag(item, bid) for item in items]
        bid.low, bid.high = flags.count("low"), flags.count("high")
    return ev


def _check_tender(returned: Returned, programme: Programme, digest: str) -> None:
    values = returned.info.values
    if values.get("reference", "") != programme.reference:
        raise UserError(f"{returned.name}: is the tender workbook of {values.get('reference') or '(no reference)'!r} "
                        f"({values.get('programme', '')}), not of this tender {programme.reference or '(no reference)'!r}; "
                        "refused")
    if values.get("fingerprint", "") != digest:
        raise UserError(f"{returned.name}: was issued for tender {programme.reference!r} revision "
                        f"{values.get('revision', '?')} of {values.get('issue_date', '?')}, but the programme's items or "
                        "quantities have changed since; evaluate it against the programme file as it was issued; refused")


def evaluate_one(returned: Returned, ev: Evaluation, programme: Programme) -> BidResult:
    checker = RowChecker(returned)
    rows: dict[str, BidRow] = {}
    for row in returned.items:
        if row.uid in rows:
            first = rows[row.uid]
            checker.add("duplicate row", f"item in row {first.row} appears again in row {row.row}; the first is used", row,
                        "item")
        else:
            rows[row.uid] = row
    missing_sheets = set(returned.missing_sheets)
    for sheet in sorted(missing_sheets):
        checker.add("sheet missing", f"sheet {sheet!r} is missing: its items are counted as deleted")
    figures: dict[str, ItemBid] = {}
    missing, missing_value = 0, ZERO
    for item in ev.items:
        found = rows.pop(item.uid) if item.uid in rows else None
        if found is None:
            if not any(s.facility_uid == item.facility_uid and s.sheet in missing_sheets for s in returned.info.facilities):
                checker.add("deleted row", f"item {item.line.item.ref} ({item.facility}) is not in the bid: the row was "
                            "deleted; priced at 0 in the corrected total", line=item.line)
            figures[item.uid] = ItemBid(None, None, None, ZERO)
        else:
            figures[item.uid] = checker.item(item.line, found)
        if figures[item.uid].rate is None:
            missing += 1
            missing_value += item.line.amount
    for row in rows.values():  # uids that are not in the programme: rows copied in from elsewhere
        checker.add("added row", f"row with an item identity that is not in this tender ({row.uid}); not counted", row)
    added = sum((checker.added(row) for row in returned.added), ZERO)
    for row in returned.totals:
        label = row.cell("description")
        checker.total(row, str(label.value) if label is not None and label.value is not None else "")
    _summary_formulas(returned, checker)
    corrected = sum((f.corrected for f in figures.values()), ZERO)
    markups = [Markup(m.name, m.percent, percent_of(corrected, m.percent)) for m in ev.engineer_markups]
    stated, source = _stated_total(returned, figures, added, ev.engineer_markups)
    return BidResult(returned.name, returned.company, figures, checker.found, stated, source, corrected, markups,
                     corrected + sum((m.amount for m in markups), ZERO), added, missing, missing_value)


def _summary_formulas(returned: Returned, checker: RowChecker) -> None:
    for number, row in returned.summary:
        cell = row.get("D")
        if cell is None or "B" not in row:
            continue
        label = str(row["B"].value or "")
        checker.total(BidRow(returned.info.values.get("summary_sheet", ""), number, "", {"amount": cell}), label)


def _stated_total(returned: Returned, figures: dict[str, ItemBid], added: Decimal,
                  markups: list[Markup]) -> tuple[Decimal | None, str]:
    grand = returned.summary_amount("grand_total")
    if grand is not None and isinstance(grand[1].value, Decimal):
        return grand[1].value, "the workbook's grand total"
    subtotal = sum((f.stated or ZERO for f in figures.values()), ZERO) + added
    total = subtotal + sum((percent_of(subtotal, m.percent) for m in markups), ZERO)
    return total, "the sum of the stated amounts (the workbook holds no calculated totals)"


def percent(value: Decimal | None) -> str:
    """A deviation as text with one decimal, e.g. `-35.2`."""
    return "" if value is None else str(round_places(value, 1))

