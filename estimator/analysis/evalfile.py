"""The evaluation file: the committee's opening record and compliance checks, one row per bidder (CSV).

Columns (the header row names them; case, spaces and order do not matter; only `bidder` is required):

    bidder              the company name as in its workbook's bidder block (matched ignoring case,
                        spacing and punctuation)
    received            date and time the bid was received, `2026-12-01 10:30`
    security_amount     the bid security's amount, in the programme's currency
    security_valid      yes / no (its form, issuer and validity accepted)
    administrative      pass / fail, and `administrative_note`
    technical           pass / fail, and `technical_note`
    qualification       pass / fail, and `qualification_note`

The cells may be separated by commas, semicolons (what Excel writes where the decimal separator is a
comma) or tabs: the header row shows which. A check left empty is "not assessed" (shown as such; it
does not fail the bidder). The file comes from outside and is read as hostile: at most `MAX_BYTES`
and `MAX_ROWS`, UTF-8 text only, every problem named by row and column and reported at once
(`ValidationFailed`); nothing is used unless all is well.
`write_evaluation(records, path)` writes the same format (atomically), for the window's editor.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from estimator.atomic import atomic_output
from estimator.errors import InvalidNumber, Problem, UserError, ValidationFailed
from estimator.limits import clean
from estimator.money import LIMIT, plain, to_decimal

MAX_BYTES = 1_000_000
MAX_ROWS = 1000
MAX_FIELD = 1000  # characters in one cell
CHECKS = ("administrative", "technical", "qualification")
COLUMNS = ("bidder", "received", "security_amount", "security_valid", *(f"{c}{s}" for c in CHECKS for s in ("", "_note")))
_YES = {"yes", "y", "true", "1", "pass", "passed", "ok", "valid", "نعم", "مقبول", "ناجح"}
_NO = {"no", "n", "false", "0", "fail", "failed", "invalid", "لا", "مرفوض", "راسب"}
_TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")


def identity(name: str) -> str:
    """The key a bidder is known by: its name without case, spacing or punctuation ("Al-Noor Co." and
    "AL NOOR CO" are one bidder)."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


@dataclass(frozen=True, slots=True)
class Check:
    passed: bool | None  # None: not assessed
    note: str = ""


@dataclass(frozen=True, slots=True)
class Record:
    """One bidder's line of the opening record and its compliance checks."""

    bidder: str
    received: dt.datetime | None = None
    security_amount: Decimal | None = None
    security_valid: bool | None = None
    checks: dict[str, Check] = field(default_factory=dict)  # CHECKS -> Check
    row: int = 0  # the file's row, for messages

    @property
    def key(self) -> str:
        return identity(self.bidder)

    def check(self, name: str) -> Check:
        return self.checks.get(name, Check(None))

    def with_check(self, name: str, check: Check) -> Record:
        return replace(self, checks={**self.checks, name: check})


def read_evaluation(path: Path) -> list[Record]:
    """The records of an evaluation file; `ValidationFailed` naming every problem by row and column."""
    path = Path(path)
    name = path.name
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UserError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise UserError(f"{name}: is larger than {MAX_BYTES // 1000} KB; an evaluation file has one row per bidder")
    if b"\x00" in data[:4096] or data.startswith((b"PK", b"\xd0\xcf")):
        raise UserError(f"{name}: is not a CSV text file (save the sheet as \"CSV UTF-8\")")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{name}: is not UTF-8 text (byte {exc.start}); save it as \"CSV UTF-8\"") from None
    return parse_evaluation(text, name)


def parse_evaluation(text: str, source: str = "evaluation") -> list[Record]:
    problems: list[Problem] = []
    first = text.split("\n", 1)[0]
    # Excel saves "CSV" with `;` where the decimal separator is a comma (Arabic, Turkish settings)
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text.replace("\x00", "")), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ValidationFailed(source, [Problem(source, f"not a CSV file: {exc}", 1)]) from None
    if header is None or not any(h.strip() for h in header):
        raise ValidationFailed(source, [Problem(source, f"no header row; the first row names the columns: "
                                                        f"{', '.join(COLUMNS)}", 1)])
    names = ["_".join(clean(h).strip().casefold().replace("-", " ").split()) for h in header]
    for i, n in enumerate(names):
        if n and n not in COLUMNS:
            problems.append(Problem(source, f"unknown column {header[i][:40]!r}; the columns are {', '.join(COLUMNS)}",
                                    1, header[i][:40]))
        elif n and names.index(n) != i:
            problems.append(Problem(source, f"column {n!r} appears twice", 1, n))
    if "bidder" not in names:
        problems.append(Problem(source, "no 'bidder' column: each row names the bidder", 1, "bidder"))
        raise ValidationFailed(source, problems)
    records: list[Record] = []
    seen: dict[str, int] = {}
    try:
        for row in reader:
            number = reader.line_num
            if len(records) >= MAX_ROWS:
                problems.append(Problem(source, f"more than {MAX_ROWS} rows; an evaluation file has one row per bidder",
                                        number))
                break
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(names) and any(c.strip() for c in row[len(names):]):
                problems.append(Problem(source, f"{len(row)} cells but {len(names)} columns in the header", number))
            values = {n: clean(row[i]).strip() for i, n in enumerate(names) if n and i < len(row)}
            record = _record(values, number, source, problems)
            if record is None:
                continue
            if record.key in seen:
                problems.append(Problem(source, f"bidder {record.bidder!r} is already in row {seen[record.key]}", number,
                                        "bidder"))
                continue
            seen[record.key] = number
            records.append(record)
    except csv.Error as exc:
        problems.append(Problem(source, f"not readable as CSV: {exc}", reader.line_num))
    if problems:
        raise ValidationFailed(source, problems)
    return records


def _record(values: dict[str, str], row: int, source: str, problems: list[Problem]) -> Record | None:
    before = len(problems)

    def bad(column: str, message: str) -> None:
        problems.append(Problem(source, message, row, column))

    for column, value in values.items():
        if len(value) > MAX_FIELD:
            bad(column, f"{len(value)} characters; at most {MAX_FIELD}")
    bidder = values.get("bidder", "")
    if not identity(bidder):
        bad("bidder", "no bidder name: write the company name as in its bid")
    received = None
    if text := values.get("received", ""):
        for form in _TIME_FORMATS:
            try:
                received = dt.datetime.strptime(text, form)
                break
            except ValueError:
                continue
        else:
            bad("received", f"{text[:40]!r} is not a date and time; write it as 2026-12-01 10:30")
    amount = None
    if text := values.get("security_amount", ""):
        try:
            amount = to_decimal(text, "bid security amount")
            if not Decimal(0) <= amount < LIMIT:
                bad("security_amount", f"{text[:40]!r}: give an amount of 0 or more")
        except InvalidNumber:
            bad("security_amount", f"{text[:40]!r} is not an amount; write a number such as 5000")
    valid = _yes_no(values.get("security_valid", ""), "security_valid", bad)
    checks = {}
    for name in CHECKS:
        passed = _yes_no(values.get(name, ""), name, bad)
        checks[name] = Check(passed, values.get(f"{name}_note", "")[:MAX_FIELD])
    if len(problems) > before:
        return None
    return Record(bidder[:200], received, amount, valid, checks, row)


def _yes_no(text: str, column: str, bad: object) -> bool | None:
    word = text.casefold()
    if not word:
        return None
    if word in _YES:
        return True
    if word in _NO:
        return False
    assert callable(bad)
    bad(column, f"{text[:40]!r}: write pass or fail (yes or no), or leave it empty if not assessed")
    return None


def write_evaluation(records: Sequence[Record], path: Path) -> None:
    """The records as an evaluation file (UTF-8 with a byte-order mark, so Excel opens it as such)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in records:
        row = [r.bidder, r.received.strftime("%Y-%m-%d %H:%M") if r.received else "",
               plain(r.security_amount) if r.security_amount is not None else "", _word(r.security_valid, "yes", "no")]
        for name in CHECKS:
            check = r.check(name)
            row += [_word(check.passed, "pass", "fail"), check.note]
        writer.writerow([_text(cell) for cell in row])
    with atomic_output(Path(path)) as tmp:
        tmp.write_text(out.getvalue(), encoding="utf-8-sig", newline="")


def _text(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (a bidder's name comes from its workbook)."""
    return f" {cell}" if cell.startswith(("=", "+", "@", "-")) and not cell[1:2].isdigit() else cell


def _word(value: bool | None, yes: str, no: str) -> str:
    return "" if value is None else yes if value else no
