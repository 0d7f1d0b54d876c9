"""Loading the rate library from its CSV files, with every problem reported at once.

Policy for a broken library: every problem is reported as `file, row N, column 'x': message`, the
rates it touches (and every composite built on them) are left out as unavailable, and the rest
of the library loads, so the program still starts. `boq rates check` exits 1 while any problem
remains, which is what CI runs on `rates/`.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from estimator import limits, settings
from estimator.errors import Problem, UserError
from estimator.money import ZERO, normalize_currency, to_decimal
from estimator.rates.book import BuildupLine, Rate, RateBook, Resource
from estimator.units import parse_unit

RESOURCE_COLUMNS = ("code", "kind", "description", "description_ar", "unit", "price", "currency", "date", "place", "source")
RATE_COLUMNS = (
    "code",
    "trade",
    "description",
    "description_ar",
    "unit",
    "overheads_pct",
    "quoted_price",
    "quoted_currency",
    "quoted_date",
    "source",
)
BUILDUP_COLUMNS = ("rate", "component", "coefficient", "waste_pct", "note")
FX_COLUMNS = ("currency", "per_usd", "date", "source")
KINDS = ("labour", "material", "plant")
MAX_NESTING = 20  # composites of composites; real libraries use two or three levels
T = TypeVar("T")


@dataclass(slots=True)
class Library:
    book: RateBook
    problems: list[Problem] = field(default_factory=list)
    unavailable: set[str] = field(default_factory=set)
    fx_per_usd: dict[str, tuple[Decimal, dt.date]] = field(default_factory=dict)


class _Rows:
    """Reads one CSV file, checks its header and records problems against file, row and column."""

    def __init__(self, path: Path, columns: tuple[str, ...], problems: list[Problem], optional: bool = False) -> None:
        self.path, self.columns, self.problems, self.optional = path, columns, problems, optional
        self.source = path.name

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        if not self.path.exists():
            if self.optional:
                return
            self.problems.append(Problem(str(self.path), "file is missing"))
            return
        try:
            with self.path.open(encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                header = [_cell(h) for h in (reader.fieldnames or [])]
                missing = [c for c in self.columns if c not in header]
                if missing:
                    self.problems.append(Problem(self.source, f"header lacks column(s) {', '.join(missing)}", row=1))
                    return
                reader.fieldnames = header
                for raw in reader:
                    values = {k: _cell(v) for k, v in raw.items() if isinstance(k, str) and isinstance(v, str)}
                    if not any(values.values()):
                        continue
                    long = [k for k, v in values.items() if len(v) > limits.limit(_FIELD.get(k, "text"))]
                    for k in long:  # the row is left out
                        too_long = limits.TextTooLong("", _FIELD.get(k, "text"), len(values[k]))
                        self.problems.append(Problem(self.source, str(too_long), reader.line_num, k))
                    if not long:
                        yield reader.line_num, values
        except UnicodeDecodeError as exc:
            self.problems.append(Problem(self.source, f"not UTF-8 text ({exc.reason}); save the file as UTF-8"))
        except csv.Error as exc:  # e.g. a cell over 128 KB: a broken quote swallowed the rest of the file
            line = reader.reader.line_num  # DictReader's own line_num is only updated after a good row
            self.problems.append(Problem(self.source, f"cannot be read further ({exc}); check its quotes", row=line))

    def field(self, row: int, values: dict[str, str], column: str, parse: Callable[[str], T], required: bool = True) -> T | None:
        text = values.get(column, "")
        if not text:
            if required:
                self.problems.append(Problem(self.source, "is empty", row, column))
            return None
        try:
            return parse(text)
        except UserError as exc:
            self.problems.append(Problem(self.source, str(exc), row, column))
        except ValueError:
            self.problems.append(Problem(self.source, f"{text!r} is not valid here", row, column))
        return None


def _cell(value: str | None) -> str:
    """A cell's text without control characters (ESC, NUL, BOMs, ...) and surrounding spaces."""
    return limits.clean(value or "").strip()


# column -> which text limit of `estimator.limits.TEXT_LIMITS` applies
_FIELD = {"code": "code", "rate": "code", "component": "code", "unit": "unit", "description": "description",
          "description_ar": "description (Arabic)", "note": "notes", "source": "notes", "trade": "name",
          "place": "name", "kind": "name", "currency": "currency", "quoted_currency": "currency"}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{text!r} is not a date; write YYYY-MM-DD") from None


def _number(text: str) -> Decimal:
    value = to_decimal(text)
    if value < 0:
        raise UserError(f"{text} is negative")
    return value


def _price(text: str) -> Decimal:
    return limits.figure(_number(text), "price")


def _pct(text: str) -> Decimal:
    return limits.percent(_number(text), "percentage", limits.MAX_BUILDUP_PCT)


def _coefficient(text: str) -> Decimal:
    return limits.coefficient(_number(text))


def _kind(text: str) -> str:
    if text not in KINDS:
        raise UserError(f"{text!r} is not one of {', '.join(KINDS)}")
    return text


def load_library(folder: Path, origin: str = "library", base: RateBook | None = None) -> Library:
    """Load a library folder. With `base` (a user's or programme's own rates), files may be missing
    and build-ups may use `base`'s resources and rates; the result holds only the folder's own."""
    problems: list[Problem] = []
    partial = base is not None
    base = base or RateBook()
    book = RateBook()
    bad: set[str] = set()
    lib = Library(book, problems)

    rows = _Rows(folder / "exchange_rates.csv", FX_COLUMNS, problems, optional=partial)
    for n, v in rows:
        cur = rows.field(n, v, "currency", settings.currency)
        per = rows.field(n, v, "per_usd", functools.partial(settings.exchange_rate, code=cur or ""))
        when = rows.field(n, v, "date", _date)
        if cur and per is not None and when:
            lib.fx_per_usd[cur] = (per, when)
    lib.fx_per_usd.setdefault("USD", (Decimal(1), dt.date(2026, 1, 1)))

    rows = _Rows(folder / "resources.csv", RESOURCE_COLUMNS, problems, optional=partial)
    for n, v in rows:
        code = v.get("code", "")
        if not code:
            problems.append(Problem(rows.source, "is empty", n, "code"))
            continue
        if code in book.resources:
            problems.append(Problem(rows.source, f"resource {code} is defined twice", n, "code"))
            continue
        before = len(problems)
        kind = rows.field(n, v, "kind", _kind)
        unit = rows.field(n, v, "unit", parse_unit)
        price = rows.field(n, v, "price", _price)
        cur = rows.field(n, v, "currency", normalize_currency)
        when = rows.field(n, v, "date", _date)
        if not v.get("source"):
            problems.append(
                Problem(rows.source, 'is empty: name the source or write "indicative - engineer\'s judgement"', n, "source")
            )
        if len(problems) > before or kind is None or unit is None or price is None or cur is None or when is None:
            bad.add(code)
            continue
        book.resources[code] = Resource(
            code,
            kind,
            v.get("description", ""),
            unit,
            price,
            cur,
            when,
            v.get("place", ""),
            v["source"],
            v.get("description_ar", ""),
        )

    lines: dict[str, list[BuildupLine]] = {}
    rows = _Rows(folder / "buildups.csv", BUILDUP_COLUMNS, problems, optional=partial)
    line_rows: dict[str, list[int]] = {}
    for n, v in rows:
        code, comp = v.get("rate", ""), v.get("component", "")
        coef = rows.field(n, v, "coefficient", _coefficient)
        waste = rows.field(n, v, "waste_pct", _pct, required=False) or ZERO
        if not code or not comp:
            problems.append(Problem(rows.source, "is empty", n, "rate" if not code else "component"))
            continue
        if coef is None:
            bad.add(code)
            continue
        lines.setdefault(code, []).append(BuildupLine(comp, coef, waste, v.get("note", "")))
        line_rows.setdefault(code, []).append(n)

    rows = _Rows(folder / "rates.csv", RATE_COLUMNS, problems)
    for n, v in rows:
        code = v.get("code", "")
        if not code:
            problems.append(Problem(rows.source, "is empty", n, "code"))
            continue
        if code in book.rates:
            problems.append(Problem(rows.source, f"rate {code} is defined twice", n, "code"))
            continue
        before = len(problems)
        unit = rows.field(n, v, "unit", parse_unit)
        overheads = rows.field(n, v, "overheads_pct", _pct, required=False) or ZERO
        quoted = rows.field(n, v, "quoted_price", _price, required=False)
        q_cur = q_date = None
        if quoted is not None:
            q_cur = rows.field(n, v, "quoted_currency", normalize_currency)
            q_date = rows.field(n, v, "quoted_date", _date)
            if not v.get("source"):
                problems.append(Problem(rows.source, "a quoted price needs its source", n, "source"))
            if code in lines:
                problems.append(
                    Problem(rows.source, f"rate {code} has both a quoted price and build-up lines; keep one", n, "quoted_price")
                )
        elif code not in lines:
            problems.append(
                Problem(
                    rows.source, f"rate {code} has neither build-up lines in buildups.csv nor a quoted price", n, "quoted_price"
                )
            )
        if not v.get("trade"):
            problems.append(Problem(rows.source, "is empty", n, "trade"))
        if len(problems) > before or unit is None:
            bad.add(code)
            continue
        book.rates[code] = Rate(
            code,
            v["trade"],
            v.get("description", ""),
            unit,
            v.get("description_ar", ""),
            overheads,
            tuple(lines.get(code, ())),
            quoted,
            q_cur or "",
            q_date,
            v.get("source", ""),
            origin,
        )

    for code, code_lines in lines.items():
        for line, n in zip(code_lines, line_rows[code], strict=True):
            if code not in book.rates and code not in bad:
                problems.append(Problem("buildups.csv", f"rate {code} is not in rates.csv", n, "rate"))
                bad.add(code)
            elif not _known(line.component, book, base) and line.component not in bad:
                problems.append(
                    Problem("buildups.csv", f"component {line.component!r} is neither a resource nor a rate", n, "component")
                )
                bad.add(code)
    _check_cycles(book, problems, bad, base)
    _drop_unavailable(lib, bad, base)
    _check_unit_rates(lib, base)
    return lib


def _known(code: str, book: RateBook, base: RateBook) -> bool:
    return code in book.resources or code in book.rates or code in base.resources or code in base.rates


def _check_cycles(book: RateBook, problems: list[Problem], bad: set[str], base: RateBook | None = None) -> None:
    """Circular composites, and composites nested deeper than MAX_NESTING levels.

    The folder's rates are followed into `base` (the bundled library under a user library, the
    library and a programme's snapshot under rates imported into it), where the folder's rates
    replace those of the same code: a cycle through them is found too, and charged to the
    folder's rates in it.
    Iterative, so a hostile library (a chain of thousands of composites) cannot exhaust Python's
    recursion limit here, and pricing, which recurses once per level, never meets a deep chain.
    """
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    depth: dict[str, int] = {}  # levels of composites below a rate; 0 = built from resources only
    rates = {**base.rates, **book.rates} if base is not None else book.rates

    def subrates(code: str) -> list[str]:
        return [ln.component for ln in rates[code].lines if ln.component in rates]

    for root in list(book.rates):
        if root in state:
            continue
        state[root] = 1
        path, todo = [root], [iter(subrates(root))]
        while todo:
            comp = next(todo[-1], None)
            if comp is None:
                code = path.pop()
                todo.pop()
                state[code] = 2
                depth[code] = max((depth.get(c, 0) + 1 for c in subrates(code)), default=0)
            elif state.get(comp) == 1:
                cycle = [*path[path.index(comp) :], comp]
                own = [c for c in cycle if c in book.rates]
                if own:  # a cycle among `base`'s rates alone is base's problem, reported when it loads
                    where = "" if len(own) == len(cycle) else " (through rates already in the library or programme)"
                    problems.append(Problem("buildups.csv", f"circular composite{where}: {' -> '.join(cycle)}",
                                            column="component"))
                    bad.update(own)
            elif comp not in state:
                state[comp] = 1
                path.append(comp)
                todo.append(iter(subrates(comp)))
    deep = sorted(c for c, d in depth.items() if d > MAX_NESTING and c not in bad and c in book.rates)
    if deep:
        problems.append(Problem("buildups.csv", f"{len(deep)} composite rate(s) nested more than {MAX_NESTING} levels deep "
                                                f"({', '.join(deep[:5])}{', ...' if len(deep) > 5 else ''}); flatten them",
                                column="component"))
        bad.update(deep)


def _check_unit_rates(lib: Library, base: RateBook) -> None:
    """Every rate left must come to a unit rate a BoQ can print; one that does not is a problem and
    left out (with what is built on it), so the window and the commands never meet it.

    Prices are added in their own currencies here (no exchange rate is applied): a check of size,
    not the price. Pricing checks again in a programme's currency and at its exchange rates.
    """
    book = {**base.rates, **lib.book.rates}
    merged = RateBook({**base.resources, **lib.book.resources}, book)
    too_large: set[str] = set()
    cache: dict[str, Decimal] = {}
    for code in list(lib.book.rates):
        try:
            merged.unit_rate(code, "", lambda amount, _currency: amount, cache)
        except UserError as exc:
            lib.problems.append(Problem("rates.csv", f"{exc}; the rate is left out", column="code"))
            too_large.add(code)
    if too_large:
        _drop_unavailable(lib, too_large | lib.unavailable, base)


def _drop_unavailable(lib: Library, bad: set[str], base: RateBook) -> None:
    """Remove bad rates and, repeatedly, every rate built on something unavailable."""
    book = lib.book
    changed = True
    while changed:
        changed = False
        for code, rate in list(book.rates.items()):
            if code in bad or any(ln.component in bad or not _known(ln.component, book, base) for ln in rate.lines):
                del book.rates[code]
                bad.add(code)
                changed = True
    lib.unavailable = {c for c in bad if c not in book.resources}
