"""The .ngb language: one statement per line (an open parenthesis continues onto following indented lines).

    # comment                      @domain x in [-10, 10]
    f(x) = x**2 + 3*x + 2          function definition
    lr = 0.1                       constant (a name = formula with free variables defines a function of them)
    f'(x) = 2*x + 3                derivative claim (also f''(x) = ..., d/dx g(x, y) = ..., ∂g/∂x = ..., ∇_x g = ...,
                                   J_x f = ... for a Jacobian, H_x g = ... or ∇²_x g = ... for a Hessian)
    f'(0)                          evaluation (free variables allowed: f'(x) shows the simplified result)

Parsing here is syntax only, in two steps: a statement's shape (its kind, names and where its formula is: cheap)
for every statement at once, and its formula's tree when it is first asked for, so that the part of a huge
document in view is analyzed without parsing every formula first. Offsets are relative to the statement's start.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from neurogebra.analysis.lines import LINE
from neurogebra.analysis.model import Span, StatementKind
from neurogebra.analysis.shapes import Shape, Size
from neurogebra.domains import Domain
from neurogebra.syntax import Node, ParseError, parse_tree

NAME = r"[^\W\d]\w*"
PRIME_CLAIM = re.compile(rf"\s*({NAME})\s*('+)\s*\(")
PARTIAL_PREFIX = re.compile(rf"\s*d\s*/\s*d({NAME})\s+(?=\S)")
PARTIAL_SYMBOL = re.compile(rf"\s*∂\s*({NAME})\s*/\s*∂\s*({NAME})\s*")
GRADIENT_SYMBOL = re.compile(rf"\s*∇_?({NAME})\s+({NAME})\s*")  # ∇_W L: the gradient of L in W
JACOBIAN_SYMBOL = re.compile(rf"\s*J_({NAME})\s+({NAME})\s*")  # J_x f: the Jacobian of f in x
HESSIAN_SYMBOL = re.compile(rf"\s*(?:H_|∇²_?)({NAME})\s+({NAME})\s*")  # H_x L or ∇²_x L: the Hessian of L in x
DEFINITION = re.compile(rf"\s*({NAME})\s*\(")
CONSTANT = re.compile(rf"\s*({NAME})\s*$")
DOMAIN = re.compile(r"\s*@domain\b(.*)$")
SHAPE = re.compile(r"\s*@shape\b(.*)$", re.DOTALL)
LEAD_NAME = re.compile(rf"\s*∂?\s*({NAME})")
MAX_CONTINUATION_LINES = 50


@dataclass(frozen=True, slots=True)
class NameToken:
    name: str
    span: Span

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", unicodedata.normalize("NFKC", self.name))  # as the formula parser does


@dataclass(frozen=True, slots=True)
class Syntax:
    """A statement's shape. Spans are relative to the statement start."""

    kind: StatementKind
    text: str
    name: NameToken | None = None          # defined function/constant, or the claimed/derived function
    params: tuple[NameToken, ...] = ()     # a definition's parameters, or a claim's argument names
    order: int = 0                         # derivative order of a claim or a derivative evaluation
    wrt: NameToken | None = None           # the variable of a partial derivative (d/dx, ∂f/∂x)
    formula: str = ""
    formula_start: int = 0
    tree: Node | None = None
    error: ParseError | None = None        # offsets relative to the statement start
    domain_names: tuple[NameToken, ...] = ()  # the names a @domain or a @shape line declares
    domain: Domain | None = None
    shape: Shape | None = None             # a @shape line's: ("m", "n"), ("n",)


class SourceStatement:
    """A statement at its document offset. Its shape and full syntax (the formula parsed) are made when read, and
    held only by the parsers' caches: a long document's are not all held at once."""

    __slots__ = ("start", "code")

    def __init__(self, start: int, code: str) -> None:
        self.start = start
        self.code = code

    @property
    def shape(self) -> Syntax:
        return statement_shape(self.code)

    @property
    def syntax(self) -> Syntax:
        return parse_statement(self.code)


def split_statements(text: str) -> list[SourceStatement]:
    """Every non-blank, non-comment statement of a document, with its document offset."""
    statements: list[SourceStatement] = []
    lines = LINE.findall(text)
    offset = 0
    index = 0
    while index < len(lines):
        start = offset
        chunk = lines[index]
        offset += len(chunk)
        index += 1
        joined = 0
        while (_open_parens(_code(chunk)) > 0 and index < len(lines) and lines[index][:1] in (" ", "\t")
               and joined < MAX_CONTINUATION_LINES):
            chunk += lines[index]
            offset += len(lines[index])
            index += 1
            joined += 1
        code = _code(chunk).rstrip()
        stripped = code.lstrip()
        if not stripped:
            continue
        lead = len(code) - len(stripped)
        statements.append(SourceStatement(start + lead, stripped))
    return statements


def named_by(code: str) -> set[str]:
    """The names a definition or a claim written as `code` may define or claim of (its shape decides which, if
    any): without reading its shape, for an index of them."""
    if "=" not in code:
        return set()
    names = set()
    partial = PARTIAL_PREFIX.match(code)
    if partial and (call := DEFINITION.match(code, partial.end())):
        names.add(call.group(1))
    if lead := LEAD_NAME.match(code):
        names.add(lead.group(1))
    for notation in (GRADIENT_SYMBOL, JACOBIAN_SYMBOL, HESSIAN_SYMBOL):
        if derivative := notation.match(code):
            names.add(derivative.group(2))
    return {unicodedata.normalize("NFKC", name) for name in names}


def _code(line: str) -> str:
    """The line without its comment and line end."""
    cut = line.find("#")
    return (line if cut < 0 else line[:cut]).rstrip("\r\n")


def _open_parens(code: str) -> int:
    if code.lstrip().startswith("@"):
        return 0
    return code.count("(") - code.count(")")


@lru_cache(maxsize=4096)  # a 2,000-line document twice over, at about 1.3 kB a statement
def parse_statement(code: str) -> Syntax:
    """Parse one statement (no comment, no surrounding blanks), its formula included."""
    shape = statement_shape(code)
    if shape.error is not None or not shape.formula:
        return shape
    try:
        return replace(shape, tree=parse_tree(shape.formula))
    except ParseError as exc:
        return replace(shape, error=exc.shifted(shape.formula_start))


@lru_cache(maxsize=4096)
def statement_shape(code: str) -> Syntax:
    """One statement's shape: all of its syntax but its formula's tree (and the formula's own errors)."""
    if "\x00" in code:
        at = code.index("\x00")
        return Syntax(StatementKind.INVALID, code, error=ParseError("NUL character in the text", at, 1))
    directive = DOMAIN.match(code)
    if directive:
        return _domain(code, directive)
    declaration = SHAPE.match(code)
    if declaration:
        return _shape(code, declaration)
    equals = _assignment(code)
    if equals is None:
        return _evaluation(code)
    return _claim_or_definition(code, equals)


def _assignment(code: str) -> int | None:
    for match in re.finditer(r"=", code):
        i = match.start()
        before = code[i - 1] if i else ""
        after = code[i + 1] if i + 1 < len(code) else ""
        if before not in "<>!=" and after != "=":
            return i
    return None


def _formula(code: str, start: int, **fields) -> Syntax:
    """A statement whose formula is code[start:] (parsed later, by parse_statement)."""
    formula = code[start:]
    lead = len(formula) - len(formula.lstrip())
    formula = formula.strip()
    error = None if formula else ParseError("missing formula after '='", start - 1, 1)
    return Syntax(text=code, formula=formula, formula_start=start + lead, error=error, **fields)


def _evaluation(code: str) -> Syntax:
    partial = PARTIAL_PREFIX.match(code)
    if partial:
        wrt = NameToken(partial.group(1), Span(partial.start(1), partial.end(1)))
        return _formula(code, partial.end(), kind=StatementKind.EVALUATION, wrt=wrt, order=1)
    symbol_form = PARTIAL_SYMBOL.fullmatch(code)
    if symbol_form:
        return Syntax(StatementKind.EVALUATION, code, name=_token(symbol_form, 1), wrt=_token(symbol_form, 2),
                      order=1)
    return _formula(code, 0, kind=StatementKind.EVALUATION)


def _token(match: re.Match, group: int, base: int = 0) -> NameToken:
    return NameToken(match.group(group), Span(base + match.start(group), base + match.end(group)))


def _claim_or_definition(code: str, equals: int) -> Syntax:
    lhs = code[:equals]
    invalid = Syntax(StatementKind.INVALID, code)
    prime = PRIME_CLAIM.match(lhs)
    if prime:
        args = _arguments(lhs, prime.end())
        if args is None:
            return _lhs_error(invalid, lhs, "a derivative claim names its variables: f'(x) = ...",
                              "to evaluate at a point, write f'(0) on its own line")
        return _formula(code, equals + 1, kind=StatementKind.CLAIM, name=_token(prime, 1), params=args,
                        order=len(prime.group(2)))
    partial = PARTIAL_PREFIX.match(lhs)
    if partial:
        call = DEFINITION.match(lhs, partial.end())
        args = _arguments(lhs, call.end()) if call else None
        if call is None or args is None:
            return _lhs_error(invalid, lhs, "expected d/dx f(x, y) = ... with the function's variables", None)
        wrt = _token(partial, 1)
        if wrt.name not in [a.name for a in args]:
            return Syntax(StatementKind.INVALID, code, error=ParseError(
                f"'{wrt.name}' is not one of {call.group(1)}'s variables here", wrt.span.start,
                wrt.span.end - wrt.span.start))
        return _formula(code, equals + 1, kind=StatementKind.CLAIM, name=_token(call, 1), params=args, wrt=wrt,
                        order=1)
    symbol_form = PARTIAL_SYMBOL.fullmatch(lhs)
    if symbol_form:
        return _formula(code, equals + 1, kind=StatementKind.CLAIM, name=_token(symbol_form, 1),
                        wrt=_token(symbol_form, 2), order=1)
    for notation, order in ((HESSIAN_SYMBOL, 2), (GRADIENT_SYMBOL, 1), (JACOBIAN_SYMBOL, 1)):
        if derivative := notation.fullmatch(lhs):
            return _formula(code, equals + 1, kind=StatementKind.CLAIM, name=_token(derivative, 2),
                            wrt=_token(derivative, 1), order=order)
    definition = DEFINITION.match(lhs)
    if definition:
        params = _arguments(lhs, definition.end())
        if params is None:
            return _lhs_error(invalid, lhs, "a definition's parameters are names: f(x, y) = ...", None)
        duplicate = _first_duplicate(params)
        if duplicate:
            return Syntax(StatementKind.INVALID, code, error=ParseError(
                f"parameter '{duplicate.name}' appears twice", duplicate.span.start, len(duplicate.name)))
        return _formula(code, equals + 1, kind=StatementKind.FUNCTION, name=_token(definition, 1), params=params)
    constant = CONSTANT.match(lhs)
    if constant:
        return _formula(code, equals + 1, kind=StatementKind.CONSTANT, name=_token(constant, 1))
    return _lhs_error(invalid, lhs, "the left of '=' is not a definition or a derivative claim",
                      "write f(x) = ..., name = ..., f'(x) = ..., d/dx f(x, y) = ... or ∂f/∂x = ...")


def _lhs_error(invalid: Syntax, lhs: str, message: str, hint: str | None) -> Syntax:
    stripped = lhs.rstrip()
    lead = len(stripped) - len(stripped.lstrip())
    return Syntax(invalid.kind, invalid.text, error=ParseError(message, lead, max(1, len(stripped) - lead), hint))


def _arguments(lhs: str, open_end: int) -> tuple[NameToken, ...] | None:
    """Names separated by commas from just after '(' up to the closing ')' that must end the left side."""
    close = lhs.find(")", open_end)
    if close < 0 or lhs[close + 1:].strip():
        return None
    tokens = []
    position = open_end
    for part in lhs[open_end:close].split(","):
        match = re.fullmatch(rf"\s*({NAME})\s*", part)
        if not match:
            return None
        tokens.append(NameToken(match.group(1), Span(position + match.start(1), position + match.end(1))))
        position += len(part) + 1
    return tuple(tokens)


def _first_duplicate(tokens: tuple[NameToken, ...]) -> NameToken | None:
    seen = set()
    for token in tokens:
        if token.name in seen:
            return token
        seen.add(token.name)
    return None


INVALID_DOMAIN = "invalid-domain"  # Code.INVALID_DOMAIN: a malformed @domain line
INTERVAL = re.compile(r"\s*([\[(])\s*([^,\])]+?)\s*,\s*([^,\])]+?)\s*([\])])\s*$")


def _names(head: str, base: int) -> list[NameToken] | None:
    """`x, y` at offset `base`: the names with their spans; None unless every part is one name."""
    names = []
    position = base
    for part in head.split(","):
        match = re.fullmatch(rf"\s*({NAME})\s*", part)
        if not match:
            return None
        names.append(NameToken(match.group(1), Span(position + match.start(1), position + match.end(1))))
        position += len(part) + 1
    return names


def _domain(code: str, directive: re.Match) -> Syntax:
    body = directive.group(1)
    base = directive.start(1)
    head, sep, interval = body.partition(" in ")
    if not sep:
        return Syntax(StatementKind.DOMAIN, code, error=ParseError(
            "expected '@domain x in [lo, hi]'", 0, len(code), "ends may be open '(' or closed '['", INVALID_DOMAIN))
    names = _names(head, base)
    if names is None:
        blank = len(head) - len(head.lstrip())
        return Syntax(StatementKind.DOMAIN, code, error=ParseError(
            "expected variable names before 'in'", base + blank, len(head.strip()), code=INVALID_DOMAIN))
    interval_start = base + len(head) + len(sep)
    try:
        domain = parse_interval(interval)
    except ParseError as exc:
        error = ParseError(exc.message, exc.offset + interval_start, exc.length, exc.hint, INVALID_DOMAIN)
        return Syntax(StatementKind.DOMAIN, code, domain_names=tuple(names), error=error)
    return Syntax(StatementKind.DOMAIN, code, domain_names=tuple(names), domain=domain)


SHAPE_FORM = "@shape W: (m, n) for a matrix, @shape x: (n,) for a vector"


def _shape(code: str, declaration: re.Match) -> Syntax:
    """`@shape W: (m, n)`, `@shape x, y: (n,)`: sizes are letters that stand for sizes, or positive integers."""
    base = declaration.start(1)
    head, colon, body = declaration.group(1).partition(":")

    def error(message: str, start: int, length: int, hint: str | None = None) -> Syntax:
        return Syntax(StatementKind.SHAPE, code, error=ParseError(message, start, length, hint))

    if not colon:
        return error("expected '@shape W: (m, n)'", 0, len(code), SHAPE_FORM)
    names = _names(head, base)
    if names is None:
        blank = len(head) - len(head.lstrip())
        return error("expected names before ':'", base + blank, max(1, len(head.strip())), SHAPE_FORM)
    body_start = base + len(head) + 1
    stripped = body.strip()
    at = body_start + len(body) - len(body.lstrip())
    if not (stripped.startswith("(") and stripped.endswith(")")):
        return error("expected the shape in parentheses", at, max(1, len(stripped)), SHAPE_FORM)
    inner = stripped[1:-1]
    parts = inner.split(",")
    if parts[-1].strip() == "" and len(parts) > 1:
        parts = parts[:-1]
    elif len(parts) == 1 and inner.strip():
        return error(f"write ({inner.strip()},) for a vector", at, len(stripped),
                     "as NumPy writes a shape of one size")
    if not inner.strip():
        return error("a number needs no @shape: () is its shape", at, len(stripped))
    if len(parts) > 2:
        return error(f"vectors and matrices only: at most two sizes, not {len(parts)}", at, len(stripped))
    sizes: list[Size] = []
    offset = at + 1
    for part in parts:
        size = part.strip()
        size_at = offset + len(part) - len(part.lstrip())
        if re.fullmatch(r"[1-9][0-9]{0,5}", size):
            sizes.append(int(size))
        elif re.fullmatch(NAME, size):
            sizes.append(unicodedata.normalize("NFKC", size))
        else:
            return error(f"'{size}' is not a size: a letter such as n, or a positive integer", size_at,
                         max(1, len(size)))
        offset += len(part) + 1
    return Syntax(StatementKind.SHAPE, code, domain_names=tuple(names), shape=tuple(sizes))


def parse_interval(text: str) -> Domain:
    """`[-10, 10]`, `(0, 1)`, `(0, 5]`, `(-inf, inf)`; offsets in errors are relative to `text`."""
    match = INTERVAL.fullmatch(text)
    if not match:
        return _interval_error(text, "expected an interval such as [-10, 10] or (0, 1]")
    ends = []
    for group in (2, 3):
        try:
            value = float(match.group(group).replace("∞", "inf"))
        except ValueError:
            return _interval_error(text, f"'{match.group(group)}' is not a number", match.start(group),
                                   match.end(group) - match.start(group))
        if math.isnan(value):
            return _interval_error(text, "an interval end cannot be NaN", match.start(group))
        ends.append(value)
    lo, hi = ends
    if not lo < hi:
        return _interval_error(text, f"empty interval: {lo:g} is not below {hi:g}")
    return Domain(lo, hi, match.group(1) == "[" and math.isfinite(lo), match.group(4) == "]" and math.isfinite(hi))


def _interval_error(text: str, message: str, offset: int = 0, length: int | None = None) -> Domain:
    stripped = len(text) - len(text.lstrip())
    raise ParseError(message, offset or stripped, length or max(1, len(text.strip())))
