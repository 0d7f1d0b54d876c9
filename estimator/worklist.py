"""Importing a work list (CSV or XLSX) into a programme: all problems at once, or nothing.

The first non-blank row is the header; columns may come in any order and are matched without
regard to case, spacing or Arabic/English naming. A blank Facility or Section cell repeats the
value above it (work lists often write the facility once, or merge its cells).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from estimator import limits
from estimator.errors import IncompatibleUnits, Problem, UserError, ValidationFailed
from estimator.gcpause import gc_paused
from estimator.imports import record_import
from estimator.kinds import parse_kind
from estimator.messages import Message
from estimator.model import FIXED_SUMS, MEASURED, PC_ATTENDANCE, PERCENT, Facility, Item, Programme, renumber
from estimator.money import ZERO, normalize_currency, to_decimal
from estimator.pricing import Pricer, price
from estimator.rates.book import RateBook
from estimator.readers import FormulaWithoutValue, read_rows
from estimator.units import factor, parse_unit

COLUMNS: dict[str, tuple[str, ...]] = {
    "facility": ("facility", "facility name", "lot", "المنشأة", "المرفق", "اسم المنشأة"),
    "section": ("section", "bill", "trade", "work section", "القسم", "الباب"),
    "section_ar": ("section (arabic)", "bill (arabic)", "section (عربي)", "القسم بالعربية"),
    "description": ("description", "description (english)", "item description", "بيان الأعمال", "الوصف", "البيان"),
    "quantity": ("quantity", "qty", "الكمية"),
    "unit": ("unit", "الوحدة"),
    "code": ("code", "rate code", "رمز البند", "الرمز"),
    "rate": ("rate", "unit rate", "سعر الوحدة", "الفئة", "السعر"),
    "rate_unit": ("rate unit", "وحدة السعر"),
    "currency": ("currency", "العملة"),
    "name_ar": ("facility (arabic)", "facility name (arabic)", "facility (عربي)", "اسم المنشأة بالعربية"),
    "governorate": ("governorate", "المحافظة"),
    "district": ("district", "المنطقة"),
    "facility_type": ("facility type", "type", "نوع المنشأة"),
    "floor_area": ("floor area (m2)", "floor area", "gross floor area (m2)", "gross floor area", "area (m2)", "المساحة"),
    "beds": ("beds", "عدد الأسرة"),
    "description_ar": ("description (arabic)", "arabic description", "description (عربي)", "الوصف بالعربية"),
    "provisional": ("provisional", "provisional sum"),  # the flag "(provisional)"; an item type is "Item type"
    "kind": ("item type", "item kind", "kind", "type of item", "نوع البند"),
    "notes": ("notes", "remarks", "ملاحظات"),
}
REQUIRED = ("facility", "section", "description", "quantity", "unit")
HEADER_NAMES = {
    "facility": "Facility",
    "section": "Section",
    "section_ar": "Section (Arabic)",
    "name_ar": "Facility (Arabic)",
    "description": "Description",
    "quantity": "Quantity",
    "unit": "Unit",
    "code": "Code",
    "rate": "Rate",
    "rate_unit": "Rate unit",
    "currency": "Currency",
    "governorate": "Governorate",
    "district": "District",
    "facility_type": "Facility type",
    "floor_area": "Floor area (m2)",
    "beds": "Beds",
    "description_ar": "Description (Arabic)",
    "provisional": "Provisional",
    "kind": "Item type",
    "notes": "Notes",
}
FACILITY_FIELDS = ("name_ar", "governorate", "district", "facility_type", "floor_area", "beds")
_LOOKUP = {name: key for key, names in COLUMNS.items() for name in names}
MAX_ROWS = 200_000  # rows with content; blank (even formatted) rows are not counted
MAX_COLUMNS = 1_000
# which text limit (`estimator.limits.TEXT_LIMITS`) each column has
TEXT_FIELDS = {"description": "description", "description_ar": "description (Arabic)", "notes": "notes",
               "code": "code", "unit": "unit", "rate_unit": "unit", "currency": "currency", "quantity": "text",
               "rate": "text", "floor_area": "text", "beds": "text", "provisional": "text",
               "kind": "text"}  # others: "name"


def _norm_header(text: object) -> str:
    return " ".join(limits.clean(str(text or "")).replace("²", "2").casefold().split())


def _text(value: object) -> str:
    """A cell as one line of text: control characters removed, runs of white space made one space."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(limits.clean(str(value)).split())


@dataclass(slots=True)
class ImportResult:
    facilities: int = 0
    bills: int = 0
    items: int = 0
    new_rates: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Row:
    number: int
    values: dict[str, Any]
    item: Item | None = None
    facility: dict[str, Any] = field(default_factory=dict)


def import_worklist(programme: Programme, path: Path | str, library: RateBook) -> ImportResult:
    """Add the work list's facilities, sections and items to `programme`, or raise ValidationFailed."""
    path = Path(path)
    source = path.name
    problems: list[Problem] = []
    with gc_paused():
        rows = list(_parse(path, source, problems))
    if problems:
        raise ValidationFailed(Message("worklist", source=source), problems)
    books = programme.rates.merged(
        RateBook(library.resources, {c: r for c, r in library.rates.items() if c not in programme.rates})
    )
    with gc_paused():
        checked = [r for r in (_check_row(programme, books, source, r, problems) for r in rows) if r is not None]
    _check_facility_fields(programme, checked, source, problems)
    if not problems:
        _check_amounts(programme, books, checked, source, problems)
    if problems:
        raise ValidationFailed(Message("worklist", source=source), problems)
    result = _apply(programme, checked, library)
    record_import(programme, path)
    return result


def _check_amounts(programme: Programme, books: RateBook, rows: list[_Row], source: str, problems: list[Problem]) -> None:
    """Each item's amount, and the programme's grand total with the new items, must be printable.

    Quantity and rate are each within range by now; their product (after a unit conversion and an
    exchange rate) and the sum of many such products are checked here, before anything is added.
    """
    pricer = Pricer(replace(programme, rates=books))
    added = ZERO
    with gc_paused():
        for row in rows:
            assert row.item is not None
            line = pricer.line(row.item)
            if line.error:
                column = "Quantity" if row.item.rate is not None or "amount" in line.error else "Code"
                problems.append(Problem(source, line.error, row.number, column))
            added += line.amount
    if problems:
        return
    before = price(programme)
    pct = sum((p for _, p in programme.markups.as_list()), ZERO)
    grand = (before.subtotal + added) * (1 + pct / 100)
    try:
        limits.figure(grand, "the programme's grand total with this work list")
    except UserError as exc:
        problems.append(Problem.of(source, Message("grand_total_too_large", problem=exc.user_message or str(exc),
                                                   total=before.grand_total, currency=programme.currency)))


def _parse(path: Path, source: str, problems: list[Problem]) -> Iterable[_Row]:
    header: dict[int, str] | None = None
    last: dict[str, Any] = {}
    filled = 0
    for number, cells in read_rows(path):
        if len(cells) > MAX_COLUMNS and any(_text(c) for c in cells[MAX_COLUMNS:]):
            problems.append(Problem.of(source, Message("too_many_columns", count=len(cells), most=MAX_COLUMNS), number))
            return
        if not any(_text(c) for c in cells):
            continue
        filled += 1
        if filled > MAX_ROWS:
            problems.append(Problem.of(source, Message("too_many_rows", most=MAX_ROWS), number))
            return
        if header is None:
            header = _header(cells, source, number, problems)
            if problems:
                return
            continue
        for i, key in header.items():
            if i < len(cells) and isinstance(cells[i], FormulaWithoutValue):
                problems.append(Problem.of(source, Message("formula_without_value", formula=str(cells[i])), number,
                                           HEADER_NAMES[key]))
                cells[i] = None
        values = {key: _text(cells[i]) if i < len(cells) else "" for i, key in header.items()}
        for key in ("facility", "section"):
            if values.get(key):
                last[key] = values[key]
                if key == "facility":
                    last.pop("section", None)
            elif key in last:
                values[key] = last[key]
        yield _Row(number, values)
    if header is None:
        problems.append(Problem.of(source, Message("empty_worklist", columns=", ".join(HEADER_NAMES[k] for k in REQUIRED))))


def _header(cells: list[Any], source: str, number: int, problems: list[Problem]) -> dict[int, str]:
    header: dict[int, str] = {}
    for i, cell in enumerate(cells):
        key = _LOOKUP.get(_norm_header(cell))
        if key is None:
            continue
        if key in header.values():
            problems.append(Problem.of(source, Message("column_twice", column=HEADER_NAMES[key]), number, _text(cell)))
        header[i] = key
    missing = [HEADER_NAMES[k] for k in REQUIRED if k not in header.values()]
    if missing:
        found = ", ".join(_text(c) for c in cells if _text(c))
        problems.append(Problem.of(source, Message("missing_columns", missing=", ".join(missing), found=found), number))
    return header


def _check_row(programme: Programme, book: RateBook, source: str, row: _Row, problems: list[Problem]) -> _Row | None:
    v, n = row.values, row.number
    before = len(problems)

    def bad(key: str, message: str | Message) -> None:
        problems.append(Problem.of(source, message, n, HEADER_NAMES[key]))

    for key, text in v.items():  # cleaned by `_text` already: only the length is left to check
        field = TEXT_FIELDS.get(key, "name")
        if len(text) > limits.limit(field):
            bad(key, limits.TextTooLong("", field, len(text)).user_message)
    if len(problems) > before:
        return None  # a 20,000-character unit is not looked up, nor its row checked further

    def parse(key: str, func: Any, required: bool = False) -> Any:
        text = v.get(key, "")
        if not text:
            if required:
                bad(key, Message("is_empty"))
            return None
        try:
            return func(text)
        except UserError as exc:
            bad(key, exc.user_message or str(exc))
            return None

    facility, section, description = v.get("facility", ""), v.get("section", ""), v.get("description", "")
    for key, value in (("facility", facility), ("section", section), ("description", description)):
        if not value:
            bad(key, Message("is_empty"))
    kind = parse("kind", parse_kind) or MEASURED
    qty = parse("quantity", lambda t: to_decimal(t, "quantity"), required=True)
    if qty is not None and qty < 0:
        bad("quantity", Message("negative_quantity", quantity=qty))
    percent = kind == PC_ATTENDANCE
    unit = parse("unit", _percent_unit if percent else parse_unit, required=True)
    code = v.get("code", "")
    rate = parse("rate", lambda t: to_decimal(t, "rate"))
    if rate is not None and rate < 0:
        bad("rate", Message("negative_rate", rate=rate))
    currency = parse("currency", normalize_currency) or programme.currency
    rate_unit = parse("rate_unit", parse_unit) or ""
    if kind in FIXED_SUMS and rate is None:
        bad("rate", Message("sum_needs_rate", kind=kind))
    if percent:
        if rate is None:
            bad("rate", Message("attendance_needs_percent"))
        billing = None  # a percentage of an amount: no unit to convert
        currency = programme.currency
    elif rate is not None:
        if currency != programme.currency and currency not in {e.currency for e in programme.exchange_rates}:
            bad("currency", Message("no_fx_in_programme", currency=currency))
        billing = rate_unit or unit
    elif code:
        if code not in book:
            bad("code", Message("code_not_in_library", code=code))
            billing = None
        else:
            billing = book.rates[code].unit
    else:
        bad("code", Message("no_code_or_rate"))
        billing = None
    if unit and billing:
        try:
            factor(unit, billing)
        except IncompatibleUnits:
            what = Message("rate_of_code", code=code) if rate is None else "the Rate unit"
            bad("unit", Message("unit_mismatch", facility=facility, description=description, unit=unit, billing=billing,
                                what=what))
    fac = {
        "name_ar": v.get("name_ar", ""),
        "governorate": v.get("governorate", ""),
        "district": v.get("district", ""),
        "facility_type": v.get("facility_type", "").lower(),
        "floor_area": parse("floor_area", lambda t: to_decimal(t, "floor area")),
        "beds": parse("beds", _beds),
    }
    if len(problems) > before or qty is None or unit is None:
        return None
    row.facility = {k: val for k, val in fac.items() if val not in (None, "")}
    row.item = Item(
        description,
        qty,
        unit,
        description_ar=v.get("description_ar", ""),
        rate_code="" if rate is not None else code,
        rate=rate,
        rate_currency=currency if rate is not None else "",
        rate_unit=rate_unit if rate is not None else "",
        provisional=v.get("provisional", "").lower() in ("y", "yes", "1", "true", "x", "نعم"),
        notes=v.get("notes", ""),
        kind=kind,
    )
    row.values = {"facility": facility, "section": section, "section_ar": v.get("section_ar", "")}
    return row


def _percent_unit(text: str) -> str:
    if text.strip() not in ("%", "percent", "pct", "٪"):
        raise UserError(Message("attendance_in_percent", text=text))
    return PERCENT


def _beds(text: object) -> int:
    value = to_decimal(text, "beds")
    if value < 0 or value != value.to_integral_value():
        raise UserError(Message("not_whole_beds", text=text))
    return int(value)


def _check_facility_fields(programme: Programme, rows: list[_Row], source: str, problems: list[Problem]) -> None:
    """A facility's governorate, type, area and beds must not contradict themselves across rows."""
    seen: dict[tuple[str, str], tuple[Any, int]] = {}
    for row in rows:
        name = row.values["facility"]
        for key, value in row.facility.items():
            first = seen.setdefault((name, key), (value, row.number))
            if first[0] != value:
                problems.append(
                    Problem.of(source, Message("facility_field_differs", facility=name, column=HEADER_NAMES[key], value=value,
                                               first=first[0], row=first[1]), row.number, HEADER_NAMES[key])
                )


def _apply(programme: Programme, rows: list[_Row], library: RateBook) -> ImportResult:
    result = ImportResult()
    known_facilities = {f.name for f in programme.facilities}
    touched: dict[str, Facility] = {}
    bills_before = {(f.name, b.name) for f in programme.facilities for b in f.bills}
    for row in rows:
        assert row.item is not None
        facility = programme.facility(row.values["facility"])
        touched[facility.name] = facility
        for key, value in row.facility.items():
            setattr(facility, key, value)
        bill = facility.bill(row.values["section"])
        bill.name_ar = bill.name_ar or row.values["section_ar"]
        bill.items.append(row.item)
        result.items += 1
    for facility in touched.values():
        renumber(facility)
    result.facilities = len(set(touched) - known_facilities)
    result.bills = len({(f.name, b.name) for f in touched.values() for b in f.bills} - bills_before)
    codes = {r.item.rate_code for r in rows if r.item and r.item.rate_code and r.item.rate_code not in programme.rates}
    if codes:
        # what the snapshot already holds wins: items priced before keep their rates
        programme.rates = library.closure(codes).merged(programme.rates)
        result.new_rates = sorted(codes)
    return result
