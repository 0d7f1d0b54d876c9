"""Safe arithmetic on Decimals: quantities typed as `2*(4.5+3.2)` and facility-template formulas.

A small recursive-descent parser; it never calls `eval`, never looks up attributes and knows only
numbers, the names it is given, `+ - * / ( )`, `×`/`÷`, and the functions in `FUNCTIONS`. Input
is bounded (length, nesting, magnitude), so a crafted text cannot exhaust time or memory.

    expression := term (("+" | "-") term)*
    term       := unary (("*" | "/") unary)*
    unary      := ("+" | "-") unary | atom
    atom       := NUMBER | NAME | NAME "(" expression ("," expression)* ")" | "(" expression ")"
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation

from estimator.errors import UserError
from estimator.money import LIMIT, round_places

MAX_LENGTH = 1000
MAX_DEPTH = 40

_ARABIC = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹\u066b×÷", "01234567890123456789.*/")
_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d*)?|\.\d+)|(?P<name>[A-Za-z_][A-Za-z_0-9]*)|(?P<op>[-+*/(),]))")


class ExpressionError(UserError):
    def __init__(self, text: str, message: str, position: int | None = None) -> None:
        self.text, self.position = text, position
        where = f" at character {position + 1}" if position is not None else ""
        super().__init__(f"{text!r}: {message}{where}")


def _round(value: Decimal, places: Decimal = Decimal(0)) -> Decimal:
    if places != places.to_integral_value() or not 0 <= places <= 6:
        raise ValueError("round() takes 0 to 6 decimal places")
    return round_places(value, int(places))


def _ceil(value: Decimal, step: Decimal = Decimal(1)) -> Decimal:
    """Up to a whole multiple of `step` (e.g. `ceil(area / 25)` rooms, `ceil(x, 0.5)`)."""
    if step <= 0:
        raise ValueError("ceil() step must be positive")
    return (value / step).to_integral_value(ROUND_CEILING) * step


def _floor(value: Decimal, step: Decimal = Decimal(1)) -> Decimal:
    if step <= 0:
        raise ValueError("floor() step must be positive")
    return (value / step).to_integral_value(ROUND_FLOOR) * step


def _pick(index: Decimal, *values: Decimal) -> Decimal:
    """The `index`-th of `values`, counting from 1: `pick(damage, 0.1, 0.3, 0.6)` for a choice parameter."""
    if index != index.to_integral_value() or not 1 <= index <= len(values):
        raise ValueError(f"pick() needs a whole first argument from 1 to {len(values)}, got {index}")
    return values[int(index) - 1]


def _sqrt(value: Decimal) -> Decimal:
    """Square root, e.g. a building's perimeter from its footprint: `4.24 * sqrt(footprint)`."""
    if value < 0:
        raise ValueError("sqrt() of a negative number")
    return value.sqrt()


FUNCTIONS: dict[str, tuple[Callable[..., Decimal], int, int]] = {
    # name: (function, fewest arguments, most arguments)
    "min": (lambda *a: min(a), 1, 20),
    "max": (lambda *a: max(a), 1, 20),
    "round": (_round, 1, 2),
    "ceil": (_ceil, 1, 2),
    "floor": (_floor, 1, 2),
    "pick": (_pick, 2, 21),
    "sqrt": (_sqrt, 1, 1),
}


def evaluate(text: str, names: Mapping[str, Decimal] | None = None) -> Decimal:
    """The value of `text`; `names` are the variables it may use (e.g. a template's parameters).

    A leading `=` is allowed (`=12.5*3`, as typed in a spreadsheet). Raises ExpressionError with
    the position of the problem.
    """
    return _Parser(text, names or {}).parse()


def is_expression(text: str) -> bool:
    """True when `text` is arithmetic rather than a plain number (it has an operator after the start)."""
    body = text.strip().lstrip("=").strip()
    return text.strip().startswith("=") or bool(re.search(r"[*/()×÷]|(?<=[\d.)\s])[-+]", body))


def names_in(text: str) -> set[str]:
    """The variable names `text` uses (not the function names)."""
    tokens = _Parser(text, {}).tokens
    return {
        value
        for i, (kind, value, _) in enumerate(tokens)
        if kind == "name" and not (i + 1 < len(tokens) and tokens[i + 1][1] == "(")
    }


class _Parser:
    def __init__(self, text: str, names: Mapping[str, Decimal]) -> None:
        self.text = text
        self.names = names
        if len(text) > MAX_LENGTH:
            raise ExpressionError(text[:40] + "...", f"longer than {MAX_LENGTH} characters")
        body = text.translate(_ARABIC)
        stripped = body.lstrip()
        if stripped.startswith("="):
            body = body.replace("=", " ", 1)
        self.tokens = self._tokenize(body)
        self.pos = 0
        self.depth = 0

    def _tokenize(self, body: str) -> list[tuple[str, str, int]]:
        tokens, at = [], 0
        while at < len(body):
            if body[at:].isspace():
                break
            match = _TOKEN.match(body, at)
            if not match:
                raise ExpressionError(self.text, f"unexpected {body[at:].lstrip()[:1]!r}", at)
            kind = match.lastgroup or ""
            tokens.append((kind, match.group(kind), match.start(kind)))
            at = match.end()
        return tokens

    def parse(self) -> Decimal:
        if not self.tokens:
            raise ExpressionError(self.text, "nothing to calculate")
        value = self._expression()
        if self.pos < len(self.tokens):
            _, tok, at = self.tokens[self.pos]
            raise ExpressionError(self.text, f"unexpected {tok!r}", at)
        return value

    def _peek(self) -> str | None:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else None

    def _take(self) -> tuple[str, str, int]:
        if self.pos >= len(self.tokens):
            raise ExpressionError(self.text, "ends too early")
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def _expect(self, op: str) -> None:
        kind, tok, at = self._take()
        if tok != op or kind != "op":
            raise ExpressionError(self.text, f"expected {op!r}, found {tok!r}", at)

    def _checked(self, value: Decimal, at: int) -> Decimal:
        if not value.is_finite() or abs(value) >= LIMIT:
            raise ExpressionError(self.text, "the result is too large", at)
        return value

    def _expression(self) -> Decimal:
        value = self._term()
        while self._peek() in ("+", "-"):
            _, op, at = self._take()
            right = self._term()
            value = self._checked(value + right if op == "+" else value - right, at)
        return value

    def _term(self) -> Decimal:
        value = self._unary()
        while self._peek() in ("*", "/"):
            _, op, at = self._take()
            right = self._unary()
            if op == "/" and right == 0:
                raise ExpressionError(self.text, "division by zero", at)
            value = self._checked(value * right if op == "*" else value / right, at)
        return value

    def _unary(self) -> Decimal:
        if self._peek() in ("+", "-"):
            _, op, at = self._take()
            self._enter(at)
            value = self._unary()
            self.depth -= 1
            return -value if op == "-" else value
        return self._atom()

    def _enter(self, at: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(self.text, f"nested more than {MAX_DEPTH} deep", at)

    def _atom(self) -> Decimal:
        kind, tok, at = self._take()
        if kind == "num":
            return self._checked(Decimal(tok), at)
        if kind == "op" and tok == "(":
            self._enter(at)
            value = self._expression()
            self._expect(")")
            self.depth -= 1
            return value
        if kind == "name":
            if self._peek() == "(":
                return self._call(tok, at)
            if tok not in self.names:
                known = ", ".join(sorted(self.names)) or "none"
                raise ExpressionError(self.text, f"unknown name {tok!r} (known: {known})", at)
            return self._checked(Decimal(self.names[tok]), at)
        raise ExpressionError(self.text, f"unexpected {tok!r}", at)

    def _call(self, name: str, at: int) -> Decimal:
        if name not in FUNCTIONS:
            raise ExpressionError(self.text, f"unknown function {name!r} (known: {', '.join(FUNCTIONS)})", at)
        function, fewest, most = FUNCTIONS[name]
        self._expect("(")
        self._enter(at)
        args = [self._expression()]
        while self._peek() == ",":
            self._take()
            args.append(self._expression())
        self._expect(")")
        self.depth -= 1
        if not fewest <= len(args) <= most:
            raise ExpressionError(self.text, f"{name}() takes {fewest} to {most} arguments", at)
        try:
            return self._checked(function(*args), at)
        except (ValueError, InvalidOperation) as exc:
            raise ExpressionError(self.text, str(exc) or f"{name}() failed", at) from exc
