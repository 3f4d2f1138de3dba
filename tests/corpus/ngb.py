"""The labeller's own reader of `.ngb` documents: definitions, constants, claims and `@domain` lines.

It knows only the statements the corpus uses (one statement per line, no continuation lines).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .formula import FunctionDef

INF = float("inf")
NAME = r"[A-Za-z_]\w*"
NUMBER = r"-?(?:inf|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)"

DOMAIN = re.compile(rf"^@domain\s+({NAME}(?:\s*,\s*{NAME})*)\s+in\s+([\[(])\s*({NUMBER})\s*,\s*({NUMBER})\s*([\])])$")
PRIME_CLAIM = re.compile(rf"^({NAME})('+)\(\s*({NAME})\s*\)\s*=\s*(.+)$")
PARTIAL_CLAIM = re.compile(rf"^∂({NAME})/∂({NAME})\s*=\s*(.+)$")
D_CLAIM = re.compile(rf"^d/d({NAME})\s+({NAME})\(([^()]*)\)\s*=\s*(.+)$")
DEFINITION = re.compile(rf"^({NAME})\(([^()]*)\)\s*=\s*(.+)$")
CONSTANT = re.compile(rf"^({NAME})\s*=\s*(.+)$")


@dataclass(frozen=True)
class Interval:
    lo: float = -INF
    hi: float = INF
    lo_closed: bool = False
    hi_closed: bool = False

    def contains(self, x: float) -> bool:
        above = x > self.lo or (self.lo_closed and x == self.lo)
        below = x < self.hi or (self.hi_closed and x == self.hi)
        return above and below

    @property
    def bounded(self) -> bool:
        return self.lo > -INF and self.hi < INF


REAL_LINE = Interval()


@dataclass(frozen=True)
class Claim:
    """`target` differentiated `order` times in `variable`; `variables` name the target's arguments in order."""

    line: int
    target: str
    variables: tuple[str, ...]
    variable: str
    order: int
    formula: str
    domains: dict[str, Interval]


@dataclass(frozen=True)
class Definition:
    line: int
    name: str
    params: tuple[str, ...]
    formula: str
    domains: dict[str, Interval]


@dataclass
class Document:
    functions: dict[str, FunctionDef] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    definitions: dict[int, Definition] = field(default_factory=dict)
    claims: dict[int, Claim] = field(default_factory=dict)


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


def read(text: str) -> Document:
    document = Document()
    domains: dict[str, Interval] = {}
    definitions: dict[str, tuple[str, ...]] = {}
    pending: list[tuple[int, re.Match, str, dict]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if m := DOMAIN.match(line):
            interval = Interval(float(m.group(3)), float(m.group(4)), m.group(2) == "[", m.group(5) == "]")
            domains = {**domains, **{name: interval for name in _names(m.group(1))}}
        elif m := (PRIME_CLAIM.match(line) or PARTIAL_CLAIM.match(line) or D_CLAIM.match(line)):
            pending.append((number, m, line, domains))
        elif m := DEFINITION.match(line):
            params = _names(m.group(2))
            document.functions[m.group(1)] = FunctionDef(params, m.group(3))
            document.definitions[number] = Definition(number, m.group(1), params, m.group(3), domains)
            definitions[m.group(1)] = params
        elif m := CONSTANT.match(line):
            document.constants[m.group(1)] = m.group(2)
        else:
            raise SyntaxError(f"line {number}: not a statement the labeller reads: {raw!r}")
    for number, m, _, scope in pending:  # claims may name functions defined below them
        document.claims[number] = _claim(number, m, scope, definitions)
    return document


def _claim(number: int, m: re.Match, domains: dict, definitions: dict) -> Claim:
    if m.re is PRIME_CLAIM:
        name, primes, variable, formula = m.groups()
        params = definitions.get(name, (variable,))
        if len(params) != 1:
            raise SyntaxError(f"line {number}: prime notation on a function of several variables")
        return Claim(number, name, (variable,), variable, len(primes), formula, domains)
    if m.re is PARTIAL_CLAIM:
        name, variable, formula = m.groups()
        return Claim(number, name, definitions[name], variable, 1, formula, domains)
    variable, name, arguments, formula = m.groups()
    return Claim(number, name, _names(arguments), variable, 1, formula, domains)
