"""Facility templates: parametric work lists for a kind of facility (`rates/templates/*.toml`).

A template names its parameters (floor area, chairs, storeys, a damage level, ...) and lists bills
of items whose quantities are expressions of them, evaluated by `estimator.expr` (never `eval`).
`load_templates` reads a folder and reports every problem as `file, row N: message` (a TOML
error, an unknown rate code, an unknown name in an expression, a unit that cannot be billed in the
rate's unit, ...); `boq rates check` lists them with the rate library's. The format is documented
in `rates/templates/README.md`. Building a facility from a template is `estimator.template_build`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from estimator import paths
from estimator.errors import Problem, UserError
from estimator.expr import FUNCTIONS, ExpressionError, evaluate, names_in
from estimator.money import to_decimal
from estimator.rates.book import RateBook
from estimator.units import factor, parse_unit

# Cost per m² of floor a template is expected to land in (shared/DOMAIN.md, "Cost per m² indicators"):
# (low, high) in USD. Rehabilitation bands are the stated % of the new-build health centre range;
# a fit-out of an existing building for a specialised service (dialysis, prosthetics) is judged as
# heavy works (40-70 %) on the specialised-centre range; a radiotherapy bunker at 2-8 times a clinic's
# rate ("several times", an engineer's judgement stated here).
_HC, _SC = (Decimal(405), Decimal(520)), (Decimal(600), Decimal(950))
BENCHMARKS: dict[str, tuple[Decimal, Decimal]] = {
    "new-build health centre": _HC,
    "new-build specialised centre": _SC,
    "rehabilitation, light damage": (_HC[0] * Decimal("0.05"), _HC[1] * Decimal("0.15")),
    "rehabilitation, moderate damage": (_HC[0] * Decimal("0.15"), _HC[1] * Decimal("0.40")),
    "rehabilitation, heavy damage": (_HC[0] * Decimal("0.40"), _HC[1] * Decimal("0.70")),
    "specialised fit-out of an existing building": (_SC[0] * Decimal("0.40"), _SC[1] * Decimal("0.70")),
    "radiotherapy bunker": (_HC[0] * 2, _HC[1] * 8),
}
RESERVED = frozenset(FUNCTIONS)
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_ITEM_LINE = re.compile(r"^\s*\{\s*code\s*=")


class TemplateError(UserError):
    pass


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    label: str
    default: Decimal  # a choice parameter's value is the 1-based position of the choice
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    choices: tuple[str, ...] = ()
    integer: bool = False
    label_ar: str = ""

    def parse(self, text: str) -> Decimal:
        """The value of `text` given for this parameter (a number, or one of the choices)."""
        if self.choices:
            word = text.strip().casefold()
            for pos, choice in enumerate(self.choices, start=1):
                if word in (choice.casefold(), str(pos)):
                    return Decimal(pos)
            raise TemplateError(f"parameter {self.name}: {text!r} is not one of {', '.join(self.choices)}")
        value = to_decimal(text, f"parameter {self.name}")
        self.check(value)
        return value

    def check(self, value: Decimal) -> None:
        if self.integer and value != value.to_integral_value():
            raise TemplateError(f"parameter {self.name}: {value} is not a whole number")
        low, high = self.minimum, self.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            raise TemplateError(f"parameter {self.name}: {value} is outside {low} to {high}")

    def text(self, value: Decimal) -> str:
        return self.choices[int(value) - 1] if self.choices else f"{value.normalize():f}"


@dataclass(frozen=True, slots=True)
class TemplateItem:
    code: str
    quantity: str  # an expression
    unit: str = ""  # the measured unit; the rate's unit when empty
    description: str = ""  # the rate's description when empty
    description_ar: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class TemplateBill:
    name: str
    name_ar: str
    items: tuple[TemplateItem, ...]


@dataclass(frozen=True, slots=True)
class Template:
    name: str
    title: str
    facility_type: str
    benchmarks: tuple[str, ...]  # one, or one per choice of the parameter `benchmark_by`
    parameters: tuple[Parameter, ...]
    derived: tuple[tuple[str, str, int], ...]  # (name, expression, line), evaluated in order
    bills: tuple[TemplateBill, ...]
    floor_area: str = "area"
    beds: str = ""
    title_ar: str = ""
    description: str = ""
    source: str = ""
    benchmark_by: str = ""

    def benchmark(self, values: Mapping[str, Decimal] | None = None) -> str:
        """The cost-per-m² benchmark (a key of BENCHMARKS) for these parameter values."""
        if not self.benchmark_by:
            return self.benchmarks[0]
        value = (values or {}).get(self.benchmark_by, self.parameter(self.benchmark_by).default)
        return self.benchmarks[int(value) - 1]

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.parameters)
        raise TemplateError(f"template {self.name!r} has no parameter {name!r} (parameters: {known})")

    def values(self, given: Mapping[str, str] | None = None) -> dict[str, Decimal]:
        """Every name the expressions may use: the parameters (`given` as typed, else the defaults)
        and the derived values."""
        given = dict(given or {})
        names = {p.name: p.default for p in self.parameters}
        for key, text in given.items():
            names[key] = self.parameter(key).parse(str(text))
        for name, expr, _line in self.derived:
            names[name] = evaluate(expr, names)
        return names

    def item_count(self) -> int:
        return sum(len(b.items) for b in self.bills)


@dataclass(slots=True)
class TemplateSet:
    templates: dict[str, Template] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def get(self, name: str) -> Template:
        if name in self.templates:
            return self.templates[name]
        raise TemplateError(f"no facility template {name!r}; `boq template list` shows them ({', '.join(self.templates)})")


def templates_dir() -> Path:
    return paths.rates_dir() / "templates"


def load_templates(folder: Path | None = None, book: RateBook | None = None) -> TemplateSet:
    """Every `*.toml` template of `folder`, checked against `book`'s rates when given."""
    folder = templates_dir() if folder is None else folder
    result = TemplateSet()
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        problems: list[Problem] = []
        template = _load(path, problems)
        if template is not None:
            _check(template, path.read_text(encoding="utf-8"), book, problems)
            if template.name in result.templates:
                problems.append(Problem(path.name, f"template name {template.name!r} is also used by "
                                                   f"{result.templates[template.name].source}", 1, "name"))
        result.problems += problems
        if template is not None and not problems:
            result.templates[template.name] = template
    return result


def _load(path: Path, problems: list[Problem]) -> Template | None:
    source = path.name
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text, parse_float=Decimal)
    except UnicodeDecodeError:
        problems.append(Problem(source, "not UTF-8 text; save the file as UTF-8"))
        return None
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        problems.append(Problem(source, f"not valid TOML: {exc}", int(found.group(1)) if found else None))
        return None
    lines = text.splitlines()
    try:
        params = tuple(_parameter(name, spec, _line_of(lines, name, "parameters"))
                       for name, spec in _table(data, "parameters").items())
        derived = tuple((name, _text(expr, f"derived {name}"), _line_of(lines, name, "derived"))
                        for name, expr in _table(data, "derived", required=False).items())
        bills = tuple(_bill(b) for b in _list(data, "bills"))
        template = Template(
            _text(data.get("name"), "name"), _text(data.get("title"), "title"),
            _text(data.get("facility_type"), "facility_type"), _benchmarks(data.get("benchmark")),
            params, derived, bills, _text(data.get("floor_area", "area"), "floor_area"),
            _text(data.get("beds", ""), "beds", required=False), _text(data.get("title_ar", ""), "title_ar", False),
            _text(data.get("description", ""), "description", False), source,
            _text(data.get("benchmark_by", ""), "benchmark_by", False),
        )
    except TemplateError as exc:
        problems.append(Problem(source, str(exc)))
        return None
    item_lines = [n for n, line in enumerate(lines, start=1) if _ITEM_LINE.match(line)]
    if len(item_lines) != template.item_count():
        problems.append(Problem(source, "write each item as `{ code = ..., qty = ... }` on a line of its own"))
        return None
    located = iter(item_lines)
    bills = tuple(TemplateBill(b.name, b.name_ar, tuple(_at(i, next(located)) for i in b.items)) for b in template.bills)
    return Template(template.name, template.title, template.facility_type, template.benchmarks, template.parameters,
                    template.derived, bills, template.floor_area, template.beds, template.title_ar,
                    template.description, source, template.benchmark_by)


def _at(item: TemplateItem, line: int) -> TemplateItem:
    return TemplateItem(item.code, item.quantity, item.unit, item.description, item.description_ar, line)


def _line_of(lines: list[str], key: str, section: str) -> int:
    inside = section == ""  # "" is the top level, before the first [table]
    for n, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped == f"[{section}]"
        elif inside and re.match(rf"{re.escape(key)}\s*=", stripped):
            return n
    return 0


def _text(value: Any, what: str, required: bool = True) -> str:
    if value is None or (required and value == ""):
        raise TemplateError(f"{what} is missing")
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise TemplateError(f"{what} must be text, not {value!r}")
    return value.strip()


def _benchmarks(value: Any) -> tuple[str, ...]:
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    return (_text(value, "benchmark"),)


def _table(data: Mapping[str, Any], key: str, required: bool = True) -> dict[str, Any]:
    value = data.get(key, {} if not required else None)
    if not isinstance(value, dict) or (required and not value):
        raise TemplateError(f"[{key}] is missing or empty")
    return value


def _list(data: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        raise TemplateError(f"[[{key}]] is missing: a template needs at least one bill")
    return value


def _number(value: Any, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TemplateError(f"{what} must be a number, not {value!r}")
    return Decimal(value)


def _parameter(name: str, spec: Any, line: int) -> Parameter:
    where = f"row {line}: " if line else ""
    if not isinstance(spec, dict):
        raise TemplateError(f"{where}parameter {name} must be a table {{ label = ..., default = ... }}")
    if not _NAME.match(name) or name in RESERVED:
        raise TemplateError(f"{where}parameter name {name!r}: use lower-case letters, digits and _, not a function name")
    label = _text(spec.get("label", name), f"parameter {name} label")
    if "choices" in spec:
        choices = spec["choices"]
        if not isinstance(choices, list) or len(choices) < 2 or not all(isinstance(c, str) for c in choices):
            raise TemplateError(f"{where}parameter {name}: choices must be a list of at least two words")
        default = spec.get("default", choices[0])
        if default not in choices:
            raise TemplateError(f"{where}parameter {name}: default {default!r} is not one of its choices")
        return Parameter(name, label, Decimal(choices.index(default) + 1), choices=tuple(choices),
                         label_ar=spec.get("label_ar", ""))
    default = _number(spec.get("default"), f"{where}parameter {name} default")
    low = _number(spec["min"], f"parameter {name} min") if "min" in spec else None
    high = _number(spec["max"], f"parameter {name} max") if "max" in spec else None
    param = Parameter(name, label, default, low, high, integer=bool(spec.get("integer", False)),
                      label_ar=spec.get("label_ar", ""))
    try:
        param.check(default)
    except TemplateError as exc:
        raise TemplateError(f"{where}default: {exc}") from None
    return param


def _bill(spec: dict[str, Any]) -> TemplateBill:
    name = _text(spec.get("name"), "bill name")
    items = spec.get("items")
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
        raise TemplateError(f"bill {name!r} has no items = [ ... ]")
    return TemplateBill(name, _text(spec.get("name_ar", ""), "bill name_ar", False), tuple(
        TemplateItem(_text(i.get("code"), f"an item code in bill {name!r}"), _text(i.get("qty"), f"qty of {i.get('code')}"),
                     _text(i.get("unit", ""), "unit", False), _text(i.get("description", ""), "description", False),
                     _text(i.get("description_ar", ""), "description_ar", False))
        for i in items))


def _check(t: Template, text: str, book: RateBook | None, problems: list[Problem]) -> None:
    """Names, units, rate codes, and every expression evaluated at the defaults and at each extreme."""
    src = t.source
    lines = text.splitlines()
    before = len(problems)
    for bench in t.benchmarks:
        if bench not in BENCHMARKS:
            problems.append(Problem(src, f"benchmark {bench!r} is not one of: {'; '.join(BENCHMARKS)}",
                                    _line_of(lines, "benchmark", ""), "benchmark"))
    if t.benchmark_by or len(t.benchmarks) > 1:
        by = next((p for p in t.parameters if p.name == t.benchmark_by), None)
        if by is None or len(by.choices) != len(t.benchmarks):
            problems.append(Problem(src, "a list of benchmarks needs benchmark_by = a choice parameter with as many "
                                         "choices", _line_of(lines, "benchmark_by", ""), "benchmark_by"))
    known = {p.name for p in t.parameters}
    exprs: list[tuple[str, int, str]] = []  # (expression, line, what)
    for name, expr, line in t.derived:
        if not _NAME.match(name) or name in known or name in RESERVED:
            problems.append(Problem(src, f"derived name {name!r} is taken or not a plain lower-case name", line, name))
        exprs.append((expr, line, name))
        known_before = set(known)
        _names(expr, known_before, src, line, name, problems)
        known.add(name)
    top = [(t.floor_area, "floor_area"), *([(t.beds, "beds")] if t.beds else [])]
    for expr, what in top:
        exprs.append((expr, _line_of(lines, what, ""), what))
        _names(expr, known, src, _line_of(lines, what, ""), what, problems)
    for bill in t.bills:
        for item in bill.items:
            exprs.append((item.quantity, item.line, f"qty of {item.code}"))
            _names(item.quantity, known, src, item.line, "qty", problems)
            _check_item(item, book, src, problems)
    if len(problems) > before:
        return  # evaluating would only repeat the unknown names
    for case in _cases(t):
        names = dict(case)
        for expr, line, what in exprs:
            try:
                value = evaluate(expr, names)
            except ExpressionError as exc:
                problems.append(Problem(src, f"{what}: {exc} (with {_describe(t, case)})", line))
                return
            if what in {n for n, _e, _l in t.derived}:
                names[what] = value
            elif value < 0:
                problems.append(Problem(src, f"{what} is negative ({value}) with {_describe(t, case)}", line))
                return


def _names(expr: str, known: set[str], src: str, line: int, what: str, problems: list[Problem]) -> None:
    try:
        unknown = sorted(names_in(expr) - known)
    except ExpressionError as exc:
        problems.append(Problem(src, f"{what}: {exc}", line))
        return
    if unknown:
        problems.append(Problem(src, f"{what}: unknown name(s) {', '.join(unknown)} in {expr!r} "
                                     f"(known: {', '.join(sorted(known))})", line))


def _check_item(item: TemplateItem, book: RateBook | None, src: str, problems: list[Problem]) -> None:
    if book is None:
        return
    rate = book.rates.get(item.code)
    if rate is None:
        problems.append(Problem(src, f"rate code {item.code!r} is not in the rate library", item.line, "code"))
        return
    if item.unit:
        try:
            factor(parse_unit(item.unit), rate.unit)
        except UserError as exc:
            problems.append(Problem(src, f"{item.code}: {exc}", item.line, "unit"))


def _cases(t: Template) -> list[dict[str, Decimal]]:
    """The defaults, then each parameter at each of its extremes or choices (others at default)."""
    base = {p.name: p.default for p in t.parameters}
    cases = [base]
    for p in t.parameters:
        options = [Decimal(i) for i in range(1, len(p.choices) + 1)] or [v for v in (p.minimum, p.maximum) if v is not None]
        cases += [{**base, p.name: v} for v in options if v != p.default]
    return cases


def _describe(t: Template, case: Mapping[str, Decimal]) -> str:
    return ", ".join(f"{p.name}={p.text(case[p.name])}" for p in t.parameters)
