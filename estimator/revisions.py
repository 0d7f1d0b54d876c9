"""Frozen revisions: issued tenders and estimate baselines, kept inside the .boq file.

A revision freezes everything a document is made from: the lots (facilities), bills and items with
their identities, quantities, units, descriptions and provisional flags, the settings (reference,
currency, exchange rates, markups, texts' particulars) and the rate snapshot, so the printed rates
come out the same. `issue(project, "Rev 0")` writes one; nothing ever changes or deletes it (a name
is issued once). `load(project, "Rev 0")` gives the programme as issued, labelled with the
revision's name and date; its documents are those that were sent out, with the same figures and the
same workbook fingerprint, whatever happened to the programme since.

Storage (`store.REVISION_TABLES`): a revision row (name, date, fingerprint, item count, estimate
total, manifest) and content-addressed snapshots: the settings, the rate book and each facility are
one zlib-compressed canonical JSON blob each, keyed by the SHA-256 of the JSON, so ten revisions of
a programme where an addendum touches a few lots store each unchanged lot once. Blobs are the rows
`store` writes for the programme, and are read back through `store`'s own reader (in an in-memory
database), so a revision holds exactly what a saved file holds.

Two kinds share the mechanism: tender revisions (`boq tender issue`) and estimate baselines
(`boq baseline`); names are unique per kind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sqlite3
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from estimator.errors import ProjectFileError, UserError
from estimator.export.xlsx_layout import fingerprint
from estimator.messages import Message
from estimator.model import Programme
from estimator.money import to_decimal
from estimator.pricing import price
from estimator.store import SCHEMA, TABLES, Project, _read, _rows, _sqlite_errors

TENDER = "tender"
BASELINE = "baseline"
KIND_NAMES = {TENDER: "tender revision", BASELINE: "estimate baseline"}
_MAX_NAME = 60


class RevisionError(UserError):
    """A revision that cannot be issued or found."""


@dataclass(frozen=True, slots=True)
class Revision:
    kind: str
    name: str
    seq: int  # order of issue within the file, 1, 2, ...
    date: dt.date
    created: str  # UTC timestamp of issue
    fingerprint: str  # the tender workbook's fingerprint (`xlsx_layout.fingerprint`)
    items: int
    total: Decimal  # the estimate's grand total as issued
    currency: str
    manifest: str  # JSON: the snapshot blobs this revision is made of

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "name": self.name, "date": self.date.isoformat(), "created": self.created,
                "items": self.items, "total": f"{self.total:.2f}", "currency": self.currency,
                "fingerprint": self.fingerprint}


# ---- snapshots ----------------------------------------------------------------------------------


def _encode(content: object) -> tuple[str, bytes]:
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":"), default=str)
    raw = text.encode("utf-8")
    return hashlib.sha256(raw).hexdigest(), raw


def snapshot(programme: Programme) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The manifest of `programme` and its blobs (hash -> uncompressed canonical JSON)."""
    rows = {table: list(keyed.values()) for table, keyed in _rows(programme).items()}
    blobs: dict[str, bytes] = {}

    def put(content: object) -> str:
        digest, raw = _encode(content)
        blobs[digest] = raw
        return digest

    bills_of: dict[str, list[Any]] = {}
    for bill in rows["bills"]:
        bills_of.setdefault(bill[1], []).append(bill)
    items_of: dict[str, list[Any]] = {}
    for item in rows["items"]:
        items_of.setdefault(item[1], []).append(item)
    facilities = []
    for fac in rows["facilities"]:  # position left out: inserting a lot does not change the others' blobs
        bills = bills_of.get(fac[0], [])
        items = [item for bill in bills for item in items_of.get(bill[0], [])]
        facilities.append(put({"facility": [fac[0], *fac[2:]], "bills": bills, "items": items}))
    manifest = {"settings": put({"meta": rows["meta"], "fx": rows["fx"]}),
                "rates": put({"resources": rows["resources"], "rates": rows["rates"]}),
                "facilities": facilities}
    return manifest, blobs


def restore(manifest: dict[str, Any], blob: Any) -> Programme:
    """The programme of `manifest`; `blob(hash)` gives a blob's decoded JSON."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for statement in SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)

        def insert(table: str, rows: Sequence[Sequence[Any]]) -> None:
            if rows:
                cols = TABLES[table][0]
                conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rows)

        conn.execute("BEGIN")
        settings, rates = blob(manifest["settings"]), blob(manifest["rates"])
        insert("meta", settings["meta"])
        insert("fx", settings["fx"])
        insert("resources", rates["resources"])
        insert("rates", rates["rates"])
        for pos, digest in enumerate(manifest["facilities"]):
            lot = blob(digest)
            uid, *rest = lot["facility"]
            insert("facilities", [[uid, pos, *rest]])
            insert("bills", lot["bills"])
            insert("items", lot["items"])
        conn.execute("COMMIT")
        return _read(conn)
    finally:
        conn.close()


# ---- the revisions of a file --------------------------------------------------------------------

_COLUMNS = "kind, name, seq, date, created, fingerprint, items, total, currency, manifest"


def _revision(row: Sequence[Any]) -> Revision:
    kind, name, seq, date, created, digest, items, total, currency, manifest = row
    return Revision(kind, name, seq, dt.date.fromisoformat(date), created, digest, items, to_decimal(total), currency,
                    manifest)


def revisions(project: Project, kind: str = TENDER) -> list[Revision]:
    """The revisions of `kind` in `project`, in order of issue."""
    with _sqlite_errors(project.path):
        rows = project.connection.execute(f"SELECT {_COLUMNS} FROM revisions WHERE kind = ? ORDER BY seq", (kind,))
        return [_revision(row) for row in rows.fetchall()]


def find(project: Project, name: str, kind: str = TENDER) -> Revision:
    """The revision called `name` (compared without regard to case and outer spaces)."""
    known = revisions(project, kind)
    wanted = name.strip().casefold()
    for rev in known:
        if rev.name.casefold() == wanted:
            return rev
    what = KIND_NAMES[kind]
    listed = ", ".join(repr(r.name) for r in known) or "none yet"
    hint = "boq tender list FILE" if kind == TENDER else "boq baseline FILE --list"
    raise RevisionError(f"{project.path}: no {what} called {name!r} (issued: {listed}; see `{hint}`)")


def load(project: Project, name: str, kind: str = TENDER) -> Programme:
    """The programme as it was issued as `name`, labelled with the revision's name and date."""
    return programme_of(project, find(project, name, kind))


def programme_of(project: Project, rev: Revision) -> Programme:
    with _sqlite_errors(project.path):
        manifest = json.loads(rev.manifest)
        conn = project.connection

        def blob(digest: str) -> Any:
            row = conn.execute("SELECT data FROM snapshots WHERE hash = ?", (digest,)).fetchone()
            if row is None:
                raise ProjectFileError(project.path, f"revision {rev.name!r} is damaged (a part of it is missing); "
                                                     "open a backup copy")
            return json.loads(zlib.decompress(row[0]).decode("utf-8"))

        programme = restore(manifest, blob)
    if rev.kind == TENDER:
        programme.revision, programme.issue_date = rev.name, rev.date
    return programme


@dataclass(frozen=True, slots=True)
class Frozen:
    """A revision made and checked, not yet stored (`freeze` is pure computation: run it off the GUI thread)."""

    kind: str
    name: str
    date: dt.date
    fingerprint: str
    items: int
    total: Decimal
    currency: str
    manifest: dict[str, Any]
    blobs: dict[str, bytes]


def clean_name(project: Project, name: str, kind: str = TENDER) -> str:
    """`name` with its spaces tidied, refused if it is empty, too long or already issued."""
    name = " ".join(name.split())
    what = KIND_NAMES[kind]
    if not name or len(name) > _MAX_NAME:
        raise RevisionError(Message("revision_name", what=what, most=_MAX_NAME))
    if project.readonly:
        raise ProjectFileError(project.path, f"is open read-only; a {what} cannot be issued")
    if any(r.name.casefold() == name.casefold() for r in revisions(project, kind)):
        raise RevisionError(Message("revision_issued", path=project.path, what=what, name=name))
    return name


def freeze(programme: Programme, name: str, date: dt.date | None = None, kind: str = TENDER) -> Frozen:
    """Snapshot `programme` as revision `name`, checked to reproduce its tender."""
    if kind == TENDER and not programme.item_count():
        raise RevisionError("the programme has no items; there is no tender to issue")  # messages.PHRASES
    estimate = price(programme)
    digest = fingerprint(programme, estimate)
    manifest, blobs = snapshot(programme)
    # what is frozen must give back the same tender: checked once, here, rather than trusted
    restored = restore(manifest, lambda h: json.loads(blobs[h].decode("utf-8")))
    if fingerprint(restored, price(restored)) != digest:  # pragma: no cover - a bug, not a user's mistake
        raise RuntimeError("revision snapshot does not reproduce the programme's tender")
    return Frozen(kind, name, date or dt.date.today(), digest, programme.item_count(), estimate.grand_total,
                  programme.currency, manifest, blobs)


def store(project: Project, frozen: Frozen) -> Revision:
    """Write `frozen` into the open file in one transaction (only the blobs it does not have yet)."""
    name = clean_name(project, frozen.name, frozen.kind)
    created = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    conn = project.connection
    with _sqlite_errors(project.path):
        conn.execute("BEGIN IMMEDIATE")
        try:
            known = {h for (h,) in conn.execute("SELECT hash FROM snapshots")}
            conn.executemany("INSERT INTO snapshots (hash, data) VALUES (?, ?)",
                             [(h, zlib.compress(raw, 6)) for h, raw in frozen.blobs.items() if h not in known])
            seq = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM revisions WHERE kind = ?",
                               (frozen.kind,)).fetchone()[0]
            row = (frozen.kind, name, seq, frozen.date.isoformat(), created, frozen.fingerprint, frozen.items,
                   f"{frozen.total:.2f}", frozen.currency, json.dumps(frozen.manifest, separators=(",", ":")))
            conn.execute(f"INSERT INTO revisions ({_COLUMNS}) VALUES ({', '.join('?' * len(row))})", row)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return _revision(row)


def issue(project: Project, name: str, date: dt.date | None = None, kind: str = TENDER,
          programme: Programme | None = None) -> Revision:
    """Freeze `programme` (default: the project's) as revision `name` of `kind`, in one transaction."""
    name = clean_name(project, name, kind)
    try:
        frozen = freeze(project.programme if programme is None else programme, name, date, kind)
    except RevisionError as exc:
        raise RevisionError(f"{project.path}: {exc}") from None
    return store(project, frozen)


def by_fingerprint(project: Project, digest: str) -> Revision | None:
    """The latest tender revision whose workbook fingerprint is `digest`, if any."""
    found = [r for r in revisions(project, TENDER) if r.fingerprint == digest]
    return found[-1] if found else None


def matching(project: Project, programme: Programme | None = None) -> Revision | None:
    """The latest tender revision identical to `programme` (default: the project's working state)."""
    known = revisions(project, TENDER)
    if not known:
        return None
    manifest, _ = snapshot(project.programme if programme is None else programme)
    text = json.dumps(manifest, separators=(",", ":"))
    same = [r for r in known if r.manifest == text]
    return same[-1] if same else None


def stored_size(project: Project) -> int:
    """Bytes of compressed snapshot data in the file (for `boq tender list` and the benchmark)."""
    row = project.connection.execute("SELECT COALESCE(SUM(LENGTH(data)), 0) FROM snapshots").fetchone()
    return int(row[0])


def for_documents(project: Project, name: str | None, lang: str) -> Programme:
    """The programme a document is made from, labelled for its header and cover.

    With `name`: that tender revision as issued (its name and date). Without: the working state;
    if it is identical to an issued revision it carries that revision's name and date, otherwise
    the revision reads "Draft" (in the document's languages, `templates/tender/*/labels.toml`).
    """
    if name:
        return load(project, name)
    same = matching(project)
    if same is not None:
        return programme_of(project, same)
    from estimator.export.pdf import texts  # the label lives with the tender texts
    from estimator.export.pdf.layout import langs

    label = " / ".join(texts.labels(code).get("draft") for code in langs(lang))
    return replace(project.programme, revision=label)


def next_name(issued: list[Revision]) -> str:
    """The name suggested for the next revision: "Rev 0" for the first, then one more than the highest
    "Rev N" issued."""
    numbers = [int(m.group(1)) for r in issued if (m := re.fullmatch(r"Rev (\d+)", r.name))]
    return f"Rev {max(numbers) + 1 if numbers else len(issued)}"
