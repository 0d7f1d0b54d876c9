"""Programme <-> table rows, column by column by name.

`rows(programme)` gives every saved table's rows keyed by their key columns (what `Project.save`
diffs and `write_new` inserts); `read(conn)` builds the programme back, checking every value.

Facilities, bills and items map to the model's dataclasses by name: a column is the field of the
same name (`uid`, `description`, `kind`, ...), apart from the parent's uid and the position, which
come from where the object sits. The writer and reader of each of these tables are generated once
from `schema.DEFINITION` and the dataclass fields (a column with no field of its name is an error
at import), so a new column is added in the schema and the model and nowhere else; the generated
functions are as fast as hand-written tuple code, which the 96,000-item hot paths need. Children
are read in storage order and only a list that a save left out of position order is sorted.
The meta table holds the programme's own fields, its settings and JSON records (imported work
lists, tender particulars and lot particulars); rates and resources are one JSON text each.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import MISSING, fields
from decimal import Decimal
from typing import Any

from estimator import imports, particulars, settings
from estimator.errors import InvalidNumber
from estimator.model import ITEM_KINDS, Bill, ExchangeRate, Facility, Item, Markups, Programme
from estimator.money import from_stored
from estimator.rates.book import BuildupLine, Rate, RateBook, Resource
from estimator.schema_check import badly_typed, bounded_json, well_typed
from estimator.store.schema import BY_NAME, DECIMAL, EXTRA_CHECKS, INTEGER, SCHEMA, TABLES, TEXT

Row = tuple[Any, ...]
Rows = dict[str, dict[Row, Row]]  # table -> key columns -> row (columns in `TABLES` order)
# Rows keep Decimals (compared by value when diffing); SQLite stores them as their exact text.
sqlite3.register_adapter(Decimal, str)

# ---- the tree tables: facilities -> bills -> items, generated from the schema ------------------

# table -> (model class, column holding the parent's uid, model field holding the children)
TREE: dict[str, tuple[type, str, str]] = {
    "facilities": (Facility, "", "bills"),
    "bills": (Bill, "facility_uid", "items"),
    "items": (Item, "bill_uid", ""),
}
POSITION = "pos"  # the place in the parent's list
# field -> extra condition on its stored value (besides its column's type) and conversion to the model
CHECKS: dict[tuple[str, str], str] = {
    ("items", "provisional"): "{v} in (0, 1)",  # INTEGER affinity stores 1.0 and '1' as 1
    ("items", "kind"): "{v} in ITEM_KINDS",
    ("facilities", "beds"): "({v} is None or {v} >= 0)",
}
# field -> its conversion from the stored value to the model's, and back
CONVERT: dict[tuple[str, str], str] = {("items", "provisional"): "bool({v})"}
CONVERT_BACK: dict[tuple[str, str], str] = {("items", "provisional"): "int({v})"}  # revisions hash the rows as JSON


def _own(table: str) -> tuple[str, ...]:
    """The columns of `table` that are fields of its model class (all but the parent's uid and the position)."""
    cls, parent, _children = TREE[table]
    names = {f.name for f in fields(cls)}
    own = tuple(c for c in TABLES[table][0] if c not in (parent, POSITION))
    unknown = [c for c in own if c not in names]
    if unknown:
        raise TypeError(f"table {table}: column {unknown[0]} is no field of {cls.__name__}")
    return own


def _compile(name: str, source: str) -> Callable[..., Any]:
    scope: dict[str, Any] = {"ITEM_KINDS": ITEM_KINDS}
    exec(compile(source, f"<estimator.store.rows {name}>", "exec"), scope)  # our own generated text
    fn: Callable[..., Any] = scope[name]
    return fn


def _writer(table: str) -> Callable[..., list[Row]]:
    """`write(parent_uid, objects)`: the rows of `objects` (children of `parent_uid`, in order)."""
    _cls, parent, _children = TREE[table]
    values = ", ".join("parent" if c == parent else "pos" if c == POSITION else
                       CONVERT_BACK.get((table, c), "{v}").format(v=f"o.{c}") for c in TABLES[table][0])
    return _compile("write", f"def write(parent, objects):\n    return [({values},) for pos, o in enumerate(objects)]\n")


def _reader(table: str) -> Callable[..., Any]:
    """`read(cursor, bad, number, children, out, unordered)`: objects from the rows of `SELECT_SQL[table]`, checked.

    Each object goes to `out[parent_uid]` (a list per parent; the parent goes to the set `unordered`
    when the rows did not come in the order of their positions), or to the list `out` for a table
    with no parent; `children` maps a uid to the object's child list; `bad(key)` makes the error for a
    row whose values are not what the program writes; `number(value, key, column)` reads a DECIMAL.
    """
    cls, parent, children = TREE[table]
    table_def = BY_NAME[table]
    cols = TABLES[table][0]
    checks, args, numbers, named = [], {}, [], []
    for c in cols:
        col = table_def.column(c)
        py = {TEXT: "str", INTEGER: "int", DECIMAL: "str"}.get(col.type)
        if py is not None:
            test = f"{c}.__class__ is {py}"
            checks.append(f"({c} is None or {test})" if col.null else test)
        if (table, c) in CHECKS:
            checks.append(CHECKS[table, c].format(v=c))
        if c in (parent, POSITION):
            continue
        if col.type == DECIMAL:  # read in one try block; the slow `number` names the culprit only when one fails
            numbers.append(f"{c}_ = None if {c} is None else stored({c})" if col.null else f"{c}_ = stored({c})")
            named.append(f"None if {c} is None else number({c}, uid, {c!r})" if col.null else f"number({c}, uid, {c!r})")
            args[c] = f"{c}_"
        else:
            args[c] = CONVERT.get((table, c), "{v}").format(v=c)
    if children:
        args[children] = "children.pop(uid, [])"
    missing = [f.name for f in fields(cls) if f.name not in args and f.default is MISSING and f.default_factory is MISSING]
    if missing:
        raise TypeError(f"{cls.__name__}.{missing[0]} has no column in table {table}")
    given, keywords = [], False
    for f in fields(cls):  # by position while every field has its column (cheaper), then by keyword
        keywords = keywords or f.name not in args
        if f.name in args:
            given.append(f"{f.name}={args[f.name]}" if keywords else args[f.name])
    call = f"{cls.__name__}({', '.join(given)})"
    if parent:  # rows come in storage order: a list whose positions do not follow is sorted afterwards
        add = (f"siblings = out.get({parent})\n"
               f"        if siblings is None:\n"
               f"            siblings = out[{parent}] = []\n"
               f"        if {POSITION} != len(siblings):\n"
               f"            unordered.add({parent})\n"
               f"        siblings.append({call})")
    else:
        add = f"out.append({call})"
    source = (f"def read(cursor, bad, number, children, out, unordered):\n"
              f"    for {', '.join(cols)}, in cursor:\n"
              f"        if not ({' and '.join(checks)}):\n"
              f"            raise bad(uid)\n"
              + (f"        try:\n"
                 f"            {'; '.join(numbers)}\n"
                 f"        except InvalidNumber:\n"
                 f"            {'; '.join(named)}\n"
                 f"            raise\n" if numbers else "")
              + f"        {add}\n")
    fn = _compile("read", source)
    fn.__globals__.update({cls.__name__: cls, "stored": from_stored, "InvalidNumber": InvalidNumber})
    return fn


for _table in TREE:
    _own(_table)
WRITE = {table: _writer(table) for table in TREE}
READ = {table: _reader(table) for table in TREE}
# Children are read in storage order: sorting 96,000 items by (bill, position) in SQL (there is no
# index) costs a quarter of the read, and files written whole are stored in order anyway; the few
# lists that are not (rows inserted or moved by a save) are sorted afterwards (`_tree`).
SELECT_SQL = {
    table: f"SELECT {', '.join(TABLES[table][0])} FROM {table}" + ("" if TREE[table][1] else f" ORDER BY {POSITION}")
    for table in TREE
}

# ---- the whole programme -----------------------------------------------------------------------


def meta_rows(programme: Programme) -> list[Row]:
    meta = {
        "name": programme.name,
        "currency": programme.currency,
        "reference": programme.reference,
        "organisation": programme.organisation,
        "name_ar": programme.name_ar,
        "organisation_ar": programme.organisation_ar,
        "revision": programme.revision,
        "issue_date": programme.issue_date.isoformat(),
        "validity_days": str(programme.validity_days),
        "notes": programme.notes,
        "contingency": str(programme.markups.contingency),
        "overheads": str(programme.markups.overheads),
        "tax": str(programme.markups.tax),
    }
    if programme.imported:
        meta[imports.META_KEY] = imports.to_meta(programme.imported)
    if programme.particulars != particulars.TenderParticulars():
        meta[particulars.META_KEY] = particulars.to_meta(programme.particulars)
    uids = {f.uid for f in programme.facilities}
    if overrides := {u: p for u, p in programme.lot_overrides.items() if u in uids and not p.is_empty()}:
        meta[particulars.LOT_META_KEY] = particulars.lot_to_meta(overrides)
    return list(meta.items())


def small_rows(programme: Programme) -> dict[str, list[Row]]:
    """The rows of every saved table but facilities, bills and items (small: a save diffs them whole)."""
    return {
        "meta": meta_rows(programme),
        "fx": [(e.currency, e.date.isoformat(), settings.rate_text(e)) for e in programme.exchange_rates],
        "resources": [(code, _resource_json(r)) for code, r in programme.rates.resources.items()],
        "rates": [(code, _rate_json(r)) for code, r in programme.rates.rates.items()],
    }


def keyed(table: str, rows: Iterable[Row]) -> dict[Row, Row]:
    nkey = TABLES[table][1]
    return {row[:nkey]: row for row in rows}


def rows(programme: Programme) -> Rows:
    """Every saved table's rows for `programme`, keyed by their key columns."""
    tables: dict[str, list[Row]] = {name: [] for name in TABLES}
    tables.update(small_rows(programme))
    tables["facilities"] = WRITE["facilities"]("", programme.facilities)
    write_bills, write_items, bill_rows, item_rows = WRITE["bills"], WRITE["items"], tables["bills"], tables["items"]
    for fac in programme.facilities:
        bill_rows += write_bills(fac.uid, fac.bills)
        for bill in fac.bills:
            item_rows += write_items(bill.uid, bill.items)
    return {name: keyed(name, table_rows) for name, table_rows in tables.items()}


def bill_item_rows(bill: Bill) -> list[Row]:
    return WRITE["items"](bill.uid, bill.items)


def facility_rows(facilities: Sequence[Facility]) -> tuple[list[Row], list[Row]]:
    """The rows of the facilities and of their bills."""
    bill_rows: list[Row] = []
    for fac in facilities:
        bill_rows += WRITE["bills"](fac.uid, fac.bills)
    return WRITE["facilities"]("", facilities), bill_rows


# The JSON text of each rate and resource, by identity: they are frozen, and a save after an edit
# compares the whole snapshot (an lru_cache would hash every rate deeply on every save: ~1 ms).
_JSON: dict[int, tuple[Rate | Resource, str]] = {}


def _cached_json(obj: Rate | Resource, data: Callable[[Any], dict[str, Any]]) -> str:
    hit = _JSON.get(id(obj))
    if hit is not None and hit[0] is obj:
        return hit[1]
    if len(_JSON) > 50_000:
        _JSON.clear()
    text = json.dumps(data(obj), ensure_ascii=False)
    _JSON[id(obj)] = (obj, text)
    return text


def _resource_json(r: Resource) -> str:
    return _cached_json(r, _resource_data)


def _rate_json(r: Rate) -> str:
    return _cached_json(r, _rate_data)


def _resource_data(r: Resource) -> dict[str, str]:
    return {
        "kind": r.kind,
        "description": r.description,
        "description_ar": r.description_ar,
        "unit": r.unit,
        "price": str(r.price),
        "currency": r.currency,
        "date": r.date.isoformat(),
        "place": r.place,
        "source": r.source,
    }


def _rate_data(r: Rate) -> dict[str, Any]:
    return {
        "trade": r.trade,
        "description": r.description,
        "description_ar": r.description_ar,
        "unit": r.unit,
        "overheads_pct": str(r.overheads_pct),
        "source": r.source,
        "origin": r.origin,
        "quoted_price": None if r.quoted_price is None else str(r.quoted_price),
        "quoted_currency": r.quoted_currency,
        "quoted_date": r.quoted_date.isoformat() if r.quoted_date else None,
        "lines": [[ln.component, str(ln.coefficient), str(ln.waste_pct), ln.note] for ln in r.lines],
    }


# ---- reading -----------------------------------------------------------------------------------


def _number(value: object, table: str, key: object, column: str) -> Decimal:
    """A number as this program stores it (`money.from_stored`); anything else names where it is."""
    try:
        return from_stored(value)
    except InvalidNumber:
        raise InvalidNumber(f"table {table}, row {key!r}, column {column}", str(value),
                            hint="the file was not written by BoQ Estimator or is damaged") from None


def _typed(table: str) -> str:
    """1 for a row of `table` whose values have the types of the schema (and pass EXTRA_CHECKS)."""
    return well_typed(SCHEMA, table, EXTRA_CHECKS.get(table, ()))


def _bad(conn: sqlite3.Connection, table: str, key: object) -> ValueError:
    return ValueError(badly_typed(conn, SCHEMA, table, TABLES[table][0][0], key, EXTRA_CHECKS.get(table, ())))


def _tree(conn: sqlite3.Connection, table: str, children: dict[str, Any], out: Any) -> None:
    def number(value: object, key: object, column: str) -> Decimal:
        return _number(value, table, key, column)

    unordered: set[str] = set()
    READ[table](conn.execute(SELECT_SQL[table]), lambda key: _bad(conn, table, key), number, children, out, unordered)
    if unordered:
        parent = TREE[table][1]
        where = "" if len(unordered) > 50 else f" WHERE {parent} IN ({', '.join('?' * len(unordered))})"
        position = dict(conn.execute(f"SELECT uid, {POSITION} FROM {table}{where}", () if not where else tuple(unordered)))
        for uid in unordered:
            out[uid].sort(key=lambda obj: position[obj.uid])


def read(conn: sqlite3.Connection) -> Programme:
    """The programme in an open file (inside a read transaction), every value checked."""
    meta: dict[str, str] = {}
    for ok, key, value in conn.execute(f"SELECT {_typed('meta')}, key, value FROM meta"):
        if not ok:
            raise _bad(conn, "meta", key)
        meta[key] = value
    markups = Markups(*(_number(meta.get(k, "0"), "meta", k, "value") for k in ("contingency", "overheads", "tax")))
    prog = Programme(
        name=meta.get("name", ""),
        currency=meta.get("currency", "USD"),
        reference=meta.get("reference", ""),
        organisation=meta.get("organisation", ""),
        name_ar=meta.get("name_ar", ""),
        organisation_ar=meta.get("organisation_ar", ""),
        revision=meta.get("revision", "0"),
        issue_date=dt.date.fromisoformat(meta.get("issue_date", dt.date.today().isoformat())),
        validity_days=int(meta.get("validity_days", "90")),
        notes=meta.get("notes", ""),
        markups=markups,
        imported=imports.from_meta(meta.get(imports.META_KEY)),
        particulars=particulars.from_meta(meta.get(particulars.META_KEY)),
        lot_overrides=particulars.lot_from_meta(meta.get(particulars.LOT_META_KEY)),
    )
    for ok, c, d, r in conn.execute(f"SELECT {_typed('fx')}, currency, date, rate FROM fx ORDER BY currency, date"):
        if not ok:
            raise _bad(conn, "fx", c)
        value, exact = settings.parse_rate_text(r, c)
        prog.exchange_rates.append(ExchangeRate(c, value, dt.date.fromisoformat(d), exact))
    # the tree tables are checked in Python (generated `READ`): typed columns in SQL would cost more than the read
    items_of: dict[str, list[Item]] = {}
    bills_of: dict[str, list[Bill]] = {}
    _tree(conn, "items", {}, items_of)
    _tree(conn, "bills", items_of, bills_of)
    _tree(conn, "facilities", bills_of, prog.facilities)
    # rows whose parent is missing would be dropped without a word (and their amounts with them)
    for table, parent, orphans in (("items", "bill", items_of), ("bills", "facility", bills_of)):
        if orphans:
            raise ValueError(f"table {table}: rows belong to {parent} {next(iter(orphans))!r}, which is not in the file")
    prog.rates = _rate_book(conn)
    return prog


def _rate_book(conn: sqlite3.Connection) -> RateBook:
    book = RateBook()
    for ok, code, data in conn.execute(f"SELECT {_typed('resources')}, code, data FROM resources"):
        if not ok:
            raise _bad(conn, "resources", code)
        d = bounded_json(data, "resources", code)
        book.resources[code] = Resource(
            code,
            d["kind"],
            d["description"],
            d["unit"],
            _number(d["price"], "resources", code, "price"),
            d["currency"],
            dt.date.fromisoformat(d["date"]),
            d["place"],
            d["source"],
            d["description_ar"],
        )
    for ok, code, data in conn.execute(f"SELECT {_typed('rates')}, code, data FROM rates"):
        if not ok:
            raise _bad(conn, "rates", code)
        d = bounded_json(data, "rates", code)
        book.rates[code] = Rate(
            code,
            d["trade"],
            d["description"],
            d["unit"],
            d["description_ar"],
            _number(d["overheads_pct"], "rates", code, "overheads_pct"),
            tuple(BuildupLine(c, _number(k, "rates", code, "coefficient"), _number(w, "rates", code, "waste_pct"), n)
                  for c, k, w, n in d["lines"]),
            _decimal(d["quoted_price"], "rates", code, "quoted_price"),
            d["quoted_currency"],
            dt.date.fromisoformat(d["quoted_date"]) if d["quoted_date"] else None,
            d["source"],
            d["origin"],
        )
    return book


def _decimal(value: object, table: str, key: object, column: str) -> Decimal | None:
    return None if value is None else _number(value, table, key, column)
