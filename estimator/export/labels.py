"""The short texts of the documents and where template files are found (no reportlab here).

`labels(lang)` reads `templates/tender/<lang>/labels.toml`, the one source of words for both the
PDF tender pack and the Excel workbook (`estimator.export.xlsx_text`). A file of the same name
under the user data folder (`<user data>/templates/...`) replaces the bundled one.
"""

from __future__ import annotations

import datetime as dt
import string
import tomllib
from dataclasses import dataclass
from pathlib import Path

from estimator import paths
from estimator.errors import UserError


def find(relative: str) -> Path:
    """The user's copy of a template file if there is one, else the bundled file."""
    user = paths.user_data_dir() / "templates" / relative
    if user.is_file():
        return user
    bundled = paths.templates_dir() / relative
    if not bundled.is_file():
        raise UserError(f"template {bundled} is missing; the PDF tender pack needs it")
    return bundled


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None


def _toml(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(_read(path))
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: {exc}") from None


def fill(text: str, values: dict[str, str], source: Path | str, line_offset: int = 0) -> str:
    """`text` with each `{name}` replaced; `{{` and `}}` are literal braces."""
    out: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1 + line_offset):
        try:
            parts = list(string.Formatter().parse(line))
        except ValueError as exc:
            raise UserError(f"{source}, line {number}: {exc}; write {{{{ and }}}} for literal braces") from None
        for literal, name, spec, conversion in parts:
            out.append(literal)
            if name is None:
                continue
            if spec or conversion or name not in values:
                known = ", ".join(f"{{{k}}}" for k in sorted(values))
                raise UserError(f"{source}, line {number}: unknown placeholder {{{name}{'!' + conversion if conversion else ''}"
                                f"{':' + spec if spec else ''}}}; known placeholders: {known}")
            out.append(values[name])
        out.append("\n")
    return "".join(out)[:-1]


@dataclass(slots=True)
class Labels:
    """The short texts of one language (labels.toml): headings, column titles, totals."""

    path: Path
    values: dict[str, object]

    def get(self, key: str, **fields: object) -> str:
        value = self.values.get(key)
        if not isinstance(value, str):
            raise UserError(f"{self.path}: label {key!r} is missing (or not text); add `{key} = \"...\"`")
        return fill(value, {k: str(v) for k, v in fields.items()}, f"{self.path}, label {key!r}") if fields else value

    def table(self, key: str) -> dict[str, str]:
        value = self.values.get(key, {})
        return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}

    def date(self, day: dt.date) -> str:
        months = self.values.get("months")
        if not isinstance(months, list) or len(months) != 12:
            raise UserError(f"{self.path}: `months` must be a list of the 12 month names")
        return f"{day.day} {months[day.month - 1]} {day.year}"


_CACHE: dict[tuple[Path, int, int], Labels] = {}


def labels(lang: str) -> Labels:
    """The labels of `lang`, read again only when the file changes (the workbook asks for many words)."""
    path = find(f"tender/{lang}/labels.toml")
    stat = path.stat()
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key not in _CACHE:
        if len(_CACHE) > 16:
            _CACHE.clear()
        _CACHE[key] = Labels(path, _toml(path))
    return _CACHE[key]
