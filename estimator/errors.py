"""Expected failures, each with a message a user can act on.

Every exception a user can cause derives from `UserError`; the command line and the window turn
it into one message in exactly one place (`estimator.cli.main`, `ui.dialogs`). Validation that can
find several problems collects `Problem` records and raises `ValidationFailed` with all of them.
"""

from __future__ import annotations

from dataclasses import dataclass


class UserError(Exception):
    """A mistake in what the user gave us; `str()` is the whole message."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in a file: where it is and what is wrong."""

    source: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.source
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


class ValidationFailed(UserError):
    def __init__(self, what: str, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        lines = [f"{what}: {count} problem{'s' if count != 1 else ''}, nothing was changed"]
        lines += [f"  {p}" for p in problems[:200]]
        if count > 200:
            lines.append(f"  ... and {count - 200} more")
        super().__init__("\n".join(lines))


class InvalidNumber(UserError):
    def __init__(self, what: str, text: str, hint: str = "") -> None:
        self.what, self.text = what, text
        hint = hint or "write a plain number such as 1234.5"
        super().__init__(f"{what}: {text!r} is not a valid number; {hint}")


class InvalidCurrency(UserError):
    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"currency {text!r} is not a three-letter ISO code; use one such as USD, TRY or SYP")


class UnknownUnit(UserError):
    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(
            f"unknown unit {text!r}; use m, m2, m3, cm, mm, ft, ft2, kg, t, l, nr, set, item, ls, "
            "day, hour, kW or kWp (see `boq units`)"
        )


class IncompatibleUnits(UserError):
    def __init__(self, unit: str, billing_unit: str, where: str = "") -> None:
        self.unit, self.billing_unit = unit, billing_unit
        prefix = f"{where}: " if where else ""
        super().__init__(
            f"{prefix}quantity in {unit!r} cannot be billed per {billing_unit!r} "
            "(different kinds of measure); measure it in the rate's unit or choose another rate"
        )


class MissingExchangeRate(UserError):
    def __init__(self, currency: str, base: str) -> None:
        self.currency = currency
        super().__init__(f"no exchange rate for {currency} against {base}; add one with `boq fx FILE {currency} RATE`")


class UnknownRate(UserError):
    def __init__(self, code: str, where: str = "") -> None:
        self.code = code
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}rate code {code!r} is not in the programme or the rate library")


class ProjectFileError(UserError):
    """A .boq file that cannot be opened, saved or trusted."""

    def __init__(self, path: object, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


class FileLocked(ProjectFileError):
    pass


class Cancelled(UserError):
    """The user cancelled a long operation; nothing was written."""

    def __init__(self, what: str = "operation") -> None:
        super().__init__(f"{what} cancelled; nothing was written")
