"""Expected failures, each with a message a user can act on.

Every exception a user can cause derives from `UserError`; the command line and the window turn
it into one message in exactly one place (`estimator.cli.main`, `ui.dialogs`). Validation that can
find several problems collects `Problem` records and raises `ValidationFailed` with all of them.

A message is a `estimator.messages.Message` (a code and its fields) where the catalogue has it:
`str()` is the English text, `localized(exc)` the text in the user's language (BOQ_LANG).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from estimator.messages import Message, language, render


class UserError(Exception):
    """A mistake in what the user gave us; `str()` is the whole message (English)."""

    user_message: str | Message = ""

    def __init__(self, message: str | Message = "") -> None:
        self.user_message = message
        super().__init__(render(message, "en"))

    def in_language(self, lang: str | None = None) -> str:
        """The message in `lang` (default: the user's language)."""
        return render(self.user_message, lang) if self.user_message else str(self)


def localized(exc: BaseException, lang: str | None = None) -> str:
    """What to tell the user about `exc`, in `lang` (default BOQ_LANG); English for anything uncatalogued."""
    return exc.in_language(lang) if isinstance(exc, UserError) else str(exc)


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in a file: where it is and what is wrong (`message` in English, `said` the
    catalogued message it came from, which `text()` gives in any language)."""

    source: str
    message: str
    row: int | None = None
    column: str | None = None
    said: Message | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, source: str, message: str | Message, row: int | None = None, column: str | None = None) -> Problem:
        if isinstance(message, Message):
            return cls(source, message.text("en"), row, column, message)
        return cls(source, message, row, column)

    def __str__(self) -> str:
        return self.text("en")

    def where(self, lang: str | None = None) -> str:
        lang = lang or language()
        where = self.source
        if self.row is not None:
            where = Message("at_row", where=where, row=self.row).text(lang)
        if self.column:
            where = Message("at_column", where=where, column=self.column).text(lang)
        return where

    def what(self, lang: str | None = None) -> str:
        return render(self.said or self.message, lang)

    def text(self, lang: str | None = None) -> str:
        return Message("problem", where=self.where(lang), message=self.what(lang)).text(lang)


class ValidationFailed(UserError):
    def __init__(self, what: str | Message, problems: list[Problem]) -> None:
        self.problems, self.what = problems, what
        count = len(problems)
        super().__init__(Message("problems", what=what, count=count, s="s" if count != 1 else ""))

    def in_language(self, lang: str | None = None) -> str:
        lines = [super().in_language(lang)]
        lines += [f"  {p.text(lang)}" for p in self.problems[:200]]
        if len(self.problems) > 200:
            lines.append(Message("and_more", count=len(self.problems) - 200).text(lang))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.in_language("en")


class InvalidNumber(UserError):
    def __init__(self, what: str, text: str, hint: str = "") -> None:
        self.what, self.text = what, text
        hint = hint or "write a plain number such as 1234.5"
        super().__init__(Message("invalid_number", what=what, text=text, hint=hint))


class InvalidCurrency(UserError):
    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(Message("invalid_currency", text=text))


class UnknownUnit(UserError):
    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(Message("unknown_unit", text=text))


class IncompatibleUnits(UserError):
    def __init__(self, unit: str, billing_unit: str, where: str = "") -> None:
        self.unit, self.billing_unit = unit, billing_unit
        super().__init__(Message("incompatible_units", prefix=f"{where}: " if where else "", unit=unit,
                                 billing_unit=billing_unit))


class MissingExchangeRate(UserError):
    def __init__(self, currency: str, base: str) -> None:
        self.currency = currency
        super().__init__(Message("missing_exchange_rate", currency=currency, base=base))


class UnknownRate(UserError):
    def __init__(self, code: str, where: str = "") -> None:
        self.code = code
        super().__init__(Message("unknown_rate", prefix=f"{where}: " if where else "", code=code))


class ProjectFileError(UserError):
    """A .boq file that cannot be opened, saved or trusted."""

    def __init__(self, path: object, message: str | Message) -> None:
        self.path = path
        super().__init__(Message("project_file", path=path, message=message))


class FileLocked(ProjectFileError):
    pass


class Cancelled(UserError):
    """The user cancelled a long operation; nothing was written."""

    def __init__(self, what: str = "operation") -> None:
        super().__init__(Message("cancelled", what=what))
