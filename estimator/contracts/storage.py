"""Reading and appending a lot's contract entries (`schema.CONTRACT_TABLES`) in an open `.boq`.

Appending is one SQLite transaction per entry (its log row and all its lines), so a power cut
leaves the file with the entry or without it, never half of it. Nothing is ever updated or deleted.

Reading trusts nothing: a `.boq` arrives by e-mail. Every row's types are checked, every JSON value
is bounded (`schema_check.bounded_json`), every number must be one this program wrote
(`money.from_stored`) and in range, every text bounded, every date a date, every reference to an
item or a variation must resolve; anything else is a `ProjectFileError` naming the entry.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from estimator.contracts.model import (
    ACTIONS,
    ADD,
    RATE_SOURCES,
    STATUSES,
    Certificate,
    CertificateLine,
    Contract,
    ContractItem,
    Ledger,
    Measure,
    Measurement,
    Terms,
    Variation,
    VariationLine,
)
from estimator.errors import InvalidNumber, ProjectFileError
from estimator.limits import MAX_FIGURE
from estimator.money import from_stored
from estimator.schema_check import bounded_json, well_typed
from estimator.store import SCHEMA, Project, _sqlite_errors

KINDS = ("award", "variation", "approval", "measurement", "certificate")
CERTIFICATE_KINDS = ("interim", "final", "release")
MAX_TEXT = 10_000  # characters of one text (a description); the program writes nothing longer
MAX_PERIOD = 10_000
_FIGURES = ("contract_sum", "revised_sum", "gross_to_date", "materials_on_site", "valuation", "retention", "advance",
            "advance_recovery", "net_to_date", "previous_certified", "amount_due")


class Damaged(ValueError):
    """A contract entry that this program would never have written."""


def append(project: Project, lot: str, kind: str, period: int, name: str, date: dt.date, data: dict[str, Any],
           lines: Iterable[tuple[str, dict[str, Any]]]) -> int:
    """Record one entry and its lines in one transaction; its sequence number."""
    if project.readonly:
        raise ProjectFileError(project.path, "is open read-only; nothing can be recorded")
    created = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    conn = project.connection
    rows = [(pos, item, _dump(values)) for pos, (item, values) in enumerate(lines)]
    with _sqlite_errors(project.path, saving=True):
        conn.execute("BEGIN IMMEDIATE")
        try:
            cur = conn.execute("INSERT INTO contract_log (lot, kind, period, name, date, created, data) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)", (lot, kind, period, name, date.isoformat(), created,
                                                                _dump(data)))
            seq = int(cur.lastrowid or 0)
            conn.executemany("INSERT INTO contract_lines (entry, pos, item, data) VALUES (?, ?, ?, ?)",
                             [(seq, pos, item, text) for pos, item, text in rows])
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return seq


def _dump(values: dict[str, Any]) -> str:
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str)


def awarded_lots(project: Project) -> list[str]:
    """The uids of the lots that have a contract, in order of award."""
    with _sqlite_errors(project.path):
        rows = project.connection.execute(
            f"SELECT {well_typed(SCHEMA, 'contract_log')}, seq, lot FROM contract_log "
            "WHERE kind = 'award' ORDER BY seq").fetchall()
    for ok, seq, _lot in rows:
        if not ok:
            raise ProjectFileError(project.path, f"contract entry {seq} is damaged (a value of the wrong type); "
                                                 "open a backup copy")
    return list(dict.fromkeys(str(lot) for _ok, _seq, lot in rows))


def ledger(project: Project, lot: str) -> Ledger | None:
    """Everything recorded for lot `lot` (a facility uid); None if it has no contract."""
    conn = project.connection
    with _sqlite_errors(project.path):
        entries = conn.execute(
            f"SELECT {well_typed(SCHEMA, 'contract_log')}, seq, kind, period, name, date, data "
            "FROM contract_log WHERE lot = ? ORDER BY seq", (lot,)).fetchall()
        if not entries:
            return None
        typed = well_typed(SCHEMA, "contract_lines")
        lines: dict[int, list[tuple[str, Any]]] = {}
        for ok, entry, item, data in conn.execute(
                f"SELECT {typed}, entry, item, data FROM contract_lines WHERE entry IN "
                "(SELECT seq FROM contract_log WHERE lot = ?) ORDER BY entry, pos", (lot,)):
            if not ok:
                raise ProjectFileError(project.path, f"contract entry {entry} has a damaged line; open a backup copy")
            lines.setdefault(entry, []).append((item, data))
    try:
        return _build(lot, entries, lines)
    except (Damaged, InvalidNumber, ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise ProjectFileError(project.path, f"the contract of lot {lot[:40]!r} is damaged ({str(exc)[:300]}); it was "
                                             "not read; open a backup copy") from None


# ---- checking what was read --------------------------------------------------------------------


def _text(value: object, what: str, empty: bool = True) -> str:
    if not isinstance(value, str) or len(value) > MAX_TEXT or (not empty and not value):
        raise Damaged(f"{what} is not a text this program writes")
    return value


def _number(value: object, what: str, negative: bool = False) -> Decimal:
    number = from_stored(value, what)
    if abs(number) >= MAX_FIGURE or (number < 0 and not negative):
        raise Damaged(f"{what} {number} is out of range")
    return number


def _percent(value: object, what: str) -> Decimal:
    number = _number(value, what)
    if number > 100:
        raise Damaged(f"{what} {number} % is above 100")
    return number


def _int(value: object, what: str, low: int = 0, high: int = 36_500) -> int:
    if type(value) is not int or not low <= value <= high:
        raise Damaged(f"{what} is not a whole number from {low} to {high}")
    return value


def _date(value: object, what: str) -> dt.date:
    text = _text(value, what, empty=False)
    if len(text) != 10:
        raise Damaged(f"{what} is not a date")
    return dt.date.fromisoformat(text)


def _object(text: object, where: str) -> dict[str, Any]:
    data = bounded_json(text, "contract", where)
    if not isinstance(data, dict):
        raise Damaged(f"{where}: its data is not an object")
    return data


def _item(uid: str, d: dict[str, Any], where: str, origin: str = "contract") -> ContractItem:
    return ContractItem(uid, _text(d["ref"], f"{where} ref"), _text(d["description"], f"{where} description"),
                        _text(d["unit"], f"{where} unit", empty=False), _number(d["quantity"], f"{where} quantity"),
                        _number(d["rate"], f"{where} rate", negative=True),
                        _text(d.get("description_ar", ""), f"{where} Arabic description"),
                        _text(d.get("bill", ""), f"{where} bill"), _text(d.get("kind", ""), f"{where} kind"), origin)


def item_data(item: ContractItem) -> dict[str, Any]:
    return {"ref": item.ref, "description": item.description, "description_ar": item.description_ar,
            "unit": item.unit, "quantity": str(item.quantity), "rate": str(item.rate), "bill": item.bill,
            "kind": item.kind}


def _terms(d: object) -> Terms:
    if not isinstance(d, dict):
        raise Damaged("the contract's terms are not an object")
    cap = d.get("retention_cap")
    return Terms(_percent(d["retention"], "retention"), None if cap is None else _percent(cap, "retention cap"),
                 _percent(d["advance"], "advance"), _percent(d["advance_from"], "advance recovery start"),
                 _percent(d["advance_until"], "advance recovery end"),
                 _int(d["defects_liability_days"], "defects liability days"),
                 _int(d["completion_days"], "completion days"),
                 _number(d["liquidated_damages"], "liquidated damages"))


def _uid(value: object, where: str) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= 64:
        raise Damaged(f"{where}: an item identity this program does not write")
    return value


def _build(lot: str, entries: Sequence[Sequence[Any]], lines: dict[int, list[tuple[str, Any]]]) -> Ledger | None:
    result: Ledger | None = None
    for ok, seq, kind, period, name, date, data in entries:
        where = f"entry {seq}"
        if not ok or kind not in KINDS:
            raise Damaged(f"{where} is not an entry this program writes")
        values = _object(data, where)
        day = _date(date, f"{where} date")
        rows = [(_uid(item, where), _object(text, f"{where} line")) for item, text in lines.get(seq, [])]
        if kind == "award":
            if result is not None:
                raise Damaged(f"{where}: the lot is awarded twice")
            items = tuple(_item(uid, d, f"{where} item") for uid, d in rows)
            if len({i.uid for i in items}) != len(items):
                raise Damaged(f"{where}: an item appears twice in the contract")
            result = Ledger(Contract(lot, _text(values["lot_name"], "lot name"), _text(values["contractor"], "contractor"),
                                     day, _text(values["revision"], "revision"), _text(values["bid_file"], "bid file"),
                                     _text(values["currency"], "currency", empty=False), _terms(values["terms"]), items, seq))
            continue
        if result is None:
            raise Damaged(f"{where}: recorded before the award")
        if kind == "variation":
            result.variations.append(_variation(result, seq, _text(name, "variation name", empty=False), day, values,
                                                rows))
        elif kind == "approval":
            found = result.variation(_text(name, "variation name"))
            if found is None or found.approved:
                raise Damaged(f"{where}: approves a variation that is not pending")
            result.variations[result.variations.index(found)] = _approved(found, day)
        elif kind == "measurement":
            measures = {}
            for uid, d in rows:
                q, p = d.get("quantity"), d.get("percent")
                if (q is None) == (p is None):
                    raise Damaged(f"{where}: a measure needs a quantity or a percentage")
                measures[uid] = Measure(None if q is None else _number(q, f"{where} quantity"),
                                        None if p is None else _percent(p, f"{where} percent"))
            result.measurements.append(Measurement(_int(period, f"{where} period", 1, MAX_PERIOD), day, measures, seq))
        else:
            result.certificates.append(_certificate(result, seq, period, name, day, values, rows))
    return result


def _approved(v: Variation, day: dt.date) -> Variation:
    return Variation(v.name, v.number, v.date, v.status, v.lines, v.value, v.description, v.seq, day)


def _variation(ledger_: Ledger, seq: int, name: str, day: dt.date, values: dict[str, Any],
               rows: list[tuple[str, dict[str, Any]]]) -> Variation:
    where = f"entry {seq}"
    if ledger_.variation(name) is not None:
        raise Damaged(f"{where}: variation {name!r} is recorded twice")
    status = values["status"]
    if status not in STATUSES:
        raise Damaged(f"{where}: status {str(status)[:20]!r}")
    out = []
    for uid, d in rows:
        action = d["action"]
        if action not in ACTIONS:
            raise Damaged(f"{where}: action {str(action)[:20]!r}")
        new = None
        source = ""
        if action == ADD:
            new = _item(uid, d, f"{where} added item", origin=name)
            source = d["rate_source"]
            if source not in RATE_SOURCES:
                raise Damaged(f"{where}: rate source {str(source)[:20]!r}")
        out.append(VariationLine(action, uid, _number(d["quantity"], f"{where} quantity"), new, source))
    return Variation(name, len(ledger_.variations) + 1, day, status, tuple(out),
                     _number(values["value"], f"{where} value", negative=True),
                     _text(values.get("description", ""), f"{where} description"), seq)


def _certificate(ledger_: Ledger, seq: int, period: object, name: object, day: dt.date, values: dict[str, Any],
                 rows: list[tuple[str, dict[str, Any]]]) -> Certificate:
    where = f"entry {seq}"
    number = _int(period, f"{where} period", 1, MAX_PERIOD)
    if name not in CERTIFICATE_KINDS:
        raise Damaged(f"{where}: certificate kind {str(name)[:20]!r}")
    if ledger_.certificate(number) is not None:
        raise Damaged(f"{where}: period {number} is certified twice")
    figures = {key: _number(values[key], f"{where} {key}", negative=True) for key in _FIGURES}
    cert_lines = []
    for uid, d in rows:
        pct = d.get("percent")
        n = {k: _number(d[k], f"{where} {k}", negative=True) for k in ("contract_quantity", "rate", "previous_quantity",
                                                                      "cumulative_quantity", "previous_value",
                                                                      "cumulative_value")}
        cert_lines.append(CertificateLine(
            uid, _text(d["ref"], "ref"), _text(d["description"], "description"),
            _text(d.get("description_ar", ""), "Arabic description"), _text(d["unit"], "unit"), n["contract_quantity"],
            n["rate"], n["previous_quantity"], n["cumulative_quantity"], n["previous_value"], n["cumulative_value"],
            None if pct is None else _percent(pct, f"{where} percent")))
    c = ledger_.contract
    return Certificate(c.lot, c.lot_name, number, day, c.currency, c.contractor, lines=tuple(cert_lines), kind=str(name),
                       number=len(ledger_.certificates) + 1, seq=seq, issued=True, **figures)


def certificate_data(cert: Certificate) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """What `append` records for a certificate: its figures and its lines."""
    data = {key: str(getattr(cert, key)) for key in _FIGURES}
    lines = [(ln.uid, {"ref": ln.ref, "description": ln.description, "description_ar": ln.description_ar,
                       "unit": ln.unit, "contract_quantity": str(ln.contract_quantity), "rate": str(ln.rate),
                       "previous_quantity": str(ln.previous_quantity), "cumulative_quantity": str(ln.cumulative_quantity),
                       "previous_value": str(ln.previous_value), "cumulative_value": str(ln.cumulative_value),
                       **({} if ln.percent is None else {"percent": str(ln.percent)})}) for ln in cert.lines]
    return data, lines
