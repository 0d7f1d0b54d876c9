"""The bill of quantities pages: per lot, per bill, then the collection, the lot summary and the
General Summary, all printing the figures of `estimator.pricing` and nothing else.

Convention: each BoQ page ends with its own page total, "carried to collection"; the bill's
collection lists every page of the bill (`3/1`, `3/2`: bill 3, pages 1 and 2) with its total and
gives the bill total. The collection follows the bill's last BoQ page on the same sheet when it
fits there, else it has a page of its own. The lot summary lists the bill totals and gives the lot
total; the General Summary lists the lots, the markups and the grand total, in figures and in
words. A list that runs over a page carries its running total forward (and brings it forward).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from estimator.export.pdf.grid import Lines, Row
from estimator.export.pdf.layout import FRAME_H, SUBTITLE, TITLE
from estimator.export.pdf.pages import Grid, TablePage, paginate, title_height
from estimator.export.pdf.rows import RowMaker, bill_name
from estimator.export.pdf.voice import Voice
from estimator.model import Facility
from estimator.money import ZERO
from estimator.pricing import BillTotal, Estimate, FacilityTotal, all_fixed

Title = list[list[Lines]]
SHORT_BILL = 3  # a bill of this many items or fewer may share its page with the next bill (fewer pages to sign)


class BoqBuilder(RowMaker):
    def __init__(self, estimate: Estimate, voice: Voice, priced: bool) -> None:
        super().__init__(voice, priced, estimate.currency)
        self.estimate = estimate
        self.fixed_pages: list[bool] = []  # per page of the bill being drawn: only fixed sums on it

    def _names(self, bill: BillTotal, number: int) -> dict[str, dict[str, object]]:
        return {code: {"name": bill_name(bill.bill.name, bill.bill.name_ar, number, code)} for code in self.voice.codes}

    def _fac(self, facility: Facility) -> dict[str, dict[str, object]]:
        return {code: {"name": facility.display_name(code)} for code in self.voice.codes}

    def _lot(self, lot: int, facility: Facility) -> list[Lines]:
        return self.voice.heading("lot_title", TITLE, n=lot, each=self._fac(facility))

    def boq_title(self, lot: int, facility: Facility, bill_no: int, bill: BillTotal, page: int) -> Title:
        bill_line = self.voice.heading("bill_title", SUBTITLE, n=bill_no, each=self._names(bill, bill_no))
        page_line = self.voice.heading("page_id", SUBTITLE, bill=bill_no, page=page)
        if self.lang == "both":
            return [self._lot(lot, facility), bill_line, page_line]
        opposite = [Lines(p.lines, p.font, p.size, "left" if p.align == "right" else "right") for p in page_line]
        return [self._lot(lot, facility), bill_line + opposite]

    def bill_pages(self, lot: int, facility: Facility, bill_no: int, bill: BillTotal) -> tuple[list[TablePage], list[Decimal]]:
        """The BoQ pages of one bill and each page's total (what is carried to the collection)."""
        rows = [[self.item(bill_no, i, ln)] for i, ln in enumerate(bill.lines, start=1)]
        title = self.boq_title(lot, facility, bill_no, bill, 1)
        carried = self.total(self.cols, "carried", ZERO)
        capacity = FRAME_H - title_height(title) - self.boq_header.height - carried.height - self.strip_h
        pages: list[TablePage] = []
        totals: list[Decimal] = []
        for number, page_rows in enumerate(paginate(rows, capacity), start=1):
            total = sum((r.amount for r in page_rows if r.amount is not None), ZERO)
            fixed = _all_fixed(page_rows)
            closing = self.total(self.cols, "carried", self.money(total, fixed))
            title = self.boq_title(lot, facility, bill_no, bill, number)
            pages.append(TablePage([Grid(title, self.cols, [self.boq_header, *page_rows, closing])], self.strip))
            totals.append(total)
            self.fixed_pages.append(fixed)
        return pages, totals

    def list_pages(self, title: Title, units: list[list[Row]], closing: list[Row]) -> list[TablePage]:
        """A collection or summary: rows, then the closing rows kept together; long lists carry forward."""
        cols = self.lcols
        forward = self.total(cols, "carried_forward", ZERO)
        capacity = FRAME_H - title_height(title) - self.list_header.height - 2 * forward.height - self.strip_h
        chunks = paginate([*units, closing], capacity)
        pages = []
        running = ZERO
        fixed = True
        for i, chunk in enumerate(chunks):
            rows = [self.list_header]
            if i:
                rows.append(self.total(cols, "brought_forward", self.money(running, fixed)))
            running += sum((r.amount for r in chunk if r.amount is not None), ZERO)
            fixed = fixed and all(r.fixed for r in chunk if r.amount is not None)
            rows.extend(chunk)
            if i < len(chunks) - 1:
                rows.append(self.total(cols, "carried_forward", self.money(running, fixed)))
            pages.append(TablePage([Grid(title, cols, rows)], self.strip))
        return pages

    def facility_pages(self, lot: int, ft: FacilityTotal) -> Iterator[TablePage]:
        """Every page of one lot: each bill's BoQ pages and collection, then the lot summary."""
        facility = ft.facility
        bill_entries = []
        held: TablePage | None = None  # the one page of a short bill, which the next bill may share
        for bill_no, bt in enumerate(ft.bills, start=1):
            section = self.bill_section(lot, facility, bill_no, bt)
            if held is not None:
                if section[0].used() <= held.room():
                    first = section.pop(0).grids
                    held.grids.append(Grid(first[0].title[1:], first[0].cols, first[0].rows))  # the lot's title is there
                    held.grids.extend(first[1:])
                if section or len(bt.lines) > SHORT_BILL:
                    yield held
                    held = None
            if held is None and len(section) == 1 and len(bt.lines) <= SHORT_BILL:
                held = section.pop()
            yield from section
            names = self._names(bt, bill_no)
            bill_entries.append(self.entry(str(bill_no), str(names[self.voice.codes[0]]["name"]),
                                           str(names[self.voice.codes[-1]]["name"]), amount=bt.total,
                                           fixed=all_fixed(bt.lines)))
        if held is not None:
            yield held
        title = [self.voice.heading("lot_summary", TITLE, n=lot, each=self._fac(facility))]
        lot_fixed = all_fixed([ln for bt in ft.bills for ln in bt.lines])
        closing = [self.total(self.lcols, "lot_total", self.money(ft.total, lot_fixed), style="grand", n=lot)]
        summary = self.list_pages(title, bill_entries, closing)
        summary[-1].progress_mark = lot
        yield from summary

    def bill_section(self, lot: int, facility: Facility, bill_no: int, bt: BillTotal) -> list[TablePage]:
        """A bill's BoQ pages and its collection (also the replacement pages of an addendum)."""
        self.fixed_pages = []
        pages, totals = self.bill_pages(lot, facility, bill_no, bt)
        title = [self.voice.heading("collection", SUBTITLE, n=bill_no, each=self._names(bt, bill_no))]
        entries = [self.entry(f"{bill_no}/{p}", *self._both("collection_row", bill=bill_no, page=p), amount=t,
                              fixed=fixed)
                   for p, (t, fixed) in enumerate(zip(totals, self.fixed_pages, strict=True), start=1)]
        closing = [self.total(self.lcols, "bill_total", self.money(bt.total, all_fixed(bt.lines)), n=bill_no)]
        collection = self.list_pages(title, entries, closing)
        last = pages[-1]
        if len(collection) == 1 and collection[0].grids[0].height <= last.room():
            last.grids.append(collection[0].grids[0])  # the collection fits under the bill's last page
            collection = []
        else:
            for page in collection:
                page.grids[0].title = [self._lot(lot, facility), *page.grids[0].title]
        return pages + collection

    def _both(self, key: str, **fields: object) -> tuple[str, str]:
        said = self.voice.say(key, **fields)
        return said[0], said[-1]

    def general_summary(self) -> list[TablePage]:
        est = self.estimate
        first, last = self.voice.codes[0], self.voice.codes[-1]
        fixed = [all_fixed([ln for bt in ft.bills for ln in bt.lines]) for ft in est.facilities]
        entries = [self.entry(self.voice.say("lot", n=i)[0], ft.facility.display_name(first),
                              ft.facility.display_name(last), amount=ft.total, fixed=known)
                   for i, (ft, known) in enumerate(zip(est.facilities, fixed, strict=True), start=1)]
        known = bool(fixed) and all(fixed)
        closing = [self.total(self.lcols, "subtotal", self.money(est.subtotal, known))]
        closing += [self.markup(m.name, m.percent, m.amount) for m in est.markups]
        closing.append(self.total(self.lcols, "grand_total", self.money(est.grand_total, known), style="grand"))
        closing.append(self.in_words(est.grand_total, est.currency))
        title = [self.voice.heading("general_summary", TITLE)]
        return self.list_pages(title, entries, closing)


def _all_fixed(rows: list[Row]) -> bool:
    """Whether the rows' figures are all fixed sums (a total of them is printed in a tender copy)."""
    return bool(rows) and all(r.fixed for r in rows)
