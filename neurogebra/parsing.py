"""The safe formula parser: text -> syntax tree with offsets -> SymPy objects.

Nothing here hands text to SymPy's string parsing (which calls Python's eval): every SymPy object is built from
a whitelisted token. Errors are `ParseError`s that carry the offset and length of the offending text.
"""
from __future__ import annotations

import difflib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Mapping, Sequence

import sympy
from sympy.codegen.cfunctions import expm1, log1p, log2, log10

from neurogebra.functions import softplus

MAX_LENGTH = 10_000
MAX_DEPTH = 64
MAX_INTEGER_DIGITS = 1_000
MAX_RESULT_DIGITS = 10_000
MAX_EXACT_ARGUMENT = 10_000

KEYWORD_NAMES = {"lambda"}  # Python keywords that are ordinary parameter names in formulas


class ParseError(ValueError):
    """A formula that is not valid, with the offending text's 0-based offset and length."""

    def __init__(self, message: str, offset: int = 0, length: int = 1, hint: str | None = None,
                 code: str = "parse-error") -> None:
        self.message = message
        self.offset = offset
        self.length = max(1, length)
        self.hint = hint
        self.code = code  # parse-error, undefined-name or wrong-argument-count
        super().__init__(f"{message} ({hint})" if hint else message)

    def shifted(self, delta: int) -> "ParseError":
        return ParseError(self.message, self.offset + delta, self.length, self.hint, self.code)


# ---------------------------------------------------------------------------------------------------- tokens

@dataclass(frozen=True)
class Token:
    kind: str  # num, name, op, end
    text: str
    start: int
    end: int


UNICODE_OPERATORS = {"−": "-", "×": "*", "·": "*", "⋅": "*", "÷": "/", "√": "√"}
SUPERSCRIPTS = {"⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8",
                "⁹": "9", "⁻": "-"}
OPERATORS = ("**", "<=", ">=", "==", "!=", "+", "-", "*", "/", "^", "(", ")", ",", "<", ">", "'")
FORBIDDEN = {
    ".": ("attribute access is not allowed in a formula", None),
    "[": ("indexing is not allowed in a formula", None),
    "]": ("indexing is not allowed in a formula", None),
    '"': ("strings are not allowed in a formula", None),
    ":": ("':' is not allowed in a formula", "lambdas and slices are not formulas"),
    ";": ("';' is not allowed in a formula", None),
    "=": ("'=' is not allowed inside a formula", "use '==' to compare"),
    "!": ("'!' is not allowed in a formula", "write factorial(n)"),
    "%": ("'%' is not allowed in a formula", "write Mod(a, b)"),
    "@": ("'@' is not allowed in a formula", None),
    "{": ("braces are not allowed in a formula", None),
    "}": ("braces are not allowed in a formula", None),
    "&": ("'&' is not allowed in a formula", None),
    "|": ("'|' is not allowed in a formula", "write Abs(x) for |x|"),
    "\\": ("'\\' is not allowed in a formula", None),
    "`": ("'`' is not allowed in a formula", None),
    "$": ("'$' is not allowed in a formula", None),
    "~": ("'~' is not allowed in a formula", None),
}


DIGITS = r"[0-9](?:_?[0-9])*"
NUMBER = re.compile(rf"(?:{DIGITS}(?:\.(?:{DIGITS})?)?|\.{DIGITS})(?:[eE][+-]?[0-9]+)?")


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9"  # str.isdigit() also accepts superscripts such as '²'


def _is_name_start(ch: str) -> bool:
    return ch == "_" or ch.isidentifier()


def _is_name_char(ch: str) -> bool:
    return ("a" + ch).isidentifier()


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_LENGTH:
        raise ParseError(f"formula too long ({len(text)} characters; the limit is {MAX_LENGTH})", 0, len(text))
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():  # tabs, form feeds and the no-break spaces that come with pasted math
            i += 1
        elif _is_digit(ch) or (ch == "." and i + 1 < n and _is_digit(text[i + 1])):
            j = _scan_number(text, i)
            if not NUMBER.fullmatch(text[i:j]):
                raise ParseError(f"could not read the number '{text[i:j]}'", i, j - i,
                                 "underscores go between digits, as in 1_000")
            tokens.append(Token("num", text[i:j].replace("_", ""), i, j))
            i = j
        elif _is_name_start(ch):
            j = i + 1
            while j < n and _is_name_char(text[j]):
                j += 1
            tokens.append(Token("name", unicodedata.normalize("NFKC", text[i:j]), i, j))
            i = j
        elif ch in UNICODE_OPERATORS:
            mapped = UNICODE_OPERATORS[ch]
            tokens.append(Token("op", mapped, i, i + 1))
            i += 1
        elif ch in SUPERSCRIPTS:
            j = i
            while j < n and text[j] in SUPERSCRIPTS:
                j += 1
            digits = "".join(SUPERSCRIPTS[c] for c in text[i:j])
            if not digits.lstrip("-").isdigit():
                raise ParseError("a superscript exponent needs digits", i, j - i)
            tokens.append(Token("sup", digits, i, j))
            i = j
        else:
            op = next((o for o in OPERATORS if text.startswith(o, i)), None)
            if op is not None:
                tokens.append(Token("op", op, i, i + len(op)))
                i += len(op)
            elif ch == "." and not (tokens and (tokens[-1].kind == "name" or tokens[-1].text == ")")):
                raise ParseError("unexpected '.'", i, 1)
            elif ch in FORBIDDEN:
                message, hint = FORBIDDEN[ch]
                raise ParseError(message, i, 1, hint)
            else:
                raise ParseError(f"unexpected character {_describe_char(ch)}", i, 1)
    tokens.append(Token("end", "", n, n))
    return tokens


def _describe_char(ch: str) -> str:
    name = unicodedata.name(ch, "")
    shown = repr(ch) if ch.isprintable() else ""
    return f"{shown} (U+{ord(ch):04X}{' ' + name if name else ''})".strip()


def _scan_number(text: str, i: int) -> int:
    n = len(text)
    j = i
    while j < n and (_is_digit(text[j]) or text[j] == "_"):
        j += 1
    if j < n and text[j] == "." and not text.startswith("..", j):
        j += 1
        while j < n and (_is_digit(text[j]) or text[j] == "_"):
            j += 1
    if j < n and text[j] in "eE":
        k = j + 1
        if k < n and text[k] in "+-":
            k += 1
        if k < n and _is_digit(text[k]):
            j = k
            while j < n and _is_digit(text[j]):
                j += 1
    return j


# ---------------------------------------------------------------------------------------------------- tree

@dataclass(frozen=True)
class Node:
    """A syntax-tree node. `start`/`end` are offsets in the formula text; `name_end` ends a call's callee name."""

    kind: str  # num, name, call, neg, pos, sum, product, pow, cmp, tuple
    start: int
    end: int
    value: str = ""
    args: tuple["Node", ...] = ()
    primes: int = 0
    name_end: int = 0

    def walk(self):
        yield self
        for arg in self.args:
            yield from arg.walk()


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.pos = 0
        self.depth = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def take(self) -> Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def at(self, *ops: str) -> bool:
        return self.tok.kind == "op" and self.tok.text in ops

    def expect(self, op: str, opened: Token | None = None) -> Token:
        if self.at(op):
            return self.take()
        if opened is not None and self.tok.kind == "end":
            raise ParseError(f"'{opened.text}' is never closed", opened.start, 1, f"add '{op}'")
        raise self.unexpected(f"expected '{op}'")

    def unexpected(self, expected: str) -> ParseError:
        tok = self.tok
        if tok.kind == "end":
            return ParseError(f"the formula ends too early: {expected}", max(0, tok.start - 1), 1)
        if tok.kind == "op" and tok.text == ")":
            return ParseError("unmatched ')'", tok.start, 1, "remove it or add a '(' before")
        if tok.kind == "op" and tok.text == "'":
            return ParseError("strings are not allowed in a formula", tok.start, 1)
        return ParseError(f"unexpected '{self.text[tok.start:tok.end]}': {expected}", tok.start, tok.end - tok.start)

    def nested(self, start: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseError(f"formula nested too deeply (the limit is {MAX_DEPTH} levels)", start, 1)

    def parse(self) -> Node:
        if self.tok.kind == "end":
            raise ParseError("empty formula", 0, max(1, len(self.text)))
        node = self.comparison()
        if self.tok.kind != "end":
            raise self.trailing(node)
        return node

    def trailing(self, node: Node) -> ParseError:
        tok = self.tok
        if tok.kind in ("num", "name") or self.at("("):
            left = self.text[node.start:node.end]
            right = "(...)" if self.at("(") else self.text[tok.start:tok.end]
            return ParseError("implicit multiplication is not supported", node.start, tok.end - node.start,
                              f"did you mean {left}*{right}?")
        return self.unexpected("expected an operator")

    def comparison(self) -> Node:
        left = self.additive()
        if self.at("<", "<=", ">", ">=", "==", "!="):
            op = self.take().text
            right = self.additive()
            return Node("cmp", left.start, right.end, op, (left, right))
        return left

    def additive(self) -> Node:
        return self.chain("sum", ("+", "-"), self.term)

    def term(self) -> Node:
        node = self.chain("product", ("*", "/"), self.unary)
        if self.tok.kind in ("num", "name") or self.at("("):
            raise self.trailing(node.args[-1] if node.kind == "product" else node)  # the juxtaposed pair only
        return node

    def chain(self, kind: str, ops: tuple[str, ...], operand: Callable[[], Node]) -> Node:
        """A flat n-ary node: `value` holds the operator before each argument after the first."""
        items = [operand()]
        signs = []
        while self.at(*ops):
            signs.append(self.take().text)
            items.append(operand())
        if not signs:
            return items[0]
        return Node(kind, items[0].start, items[-1].end, "".join(signs), tuple(items))

    def unary(self) -> Node:
        if self.at("-", "+"):
            tok = self.take()
            self.nested(tok.start)
            operand = self.unary()
            self.depth -= 1
            return Node("neg" if tok.text == "-" else "pos", tok.start, operand.end, tok.text, (operand,))
        if self.at("√"):
            tok = self.take()
            self.nested(tok.start)
            operand = self.power()
            self.depth -= 1
            return Node("call", tok.start, operand.end, "sqrt", (operand,), 0, tok.end)
        return self.power()

    def power(self) -> Node:
        base = self.postfix()
        if self.at("**", "^"):
            tok = self.take()
            self.nested(tok.start)
            exponent = self.unary()
            self.depth -= 1
            return Node("pow", base.start, exponent.end, "**", (base, exponent))
        return base

    def postfix(self) -> Node:
        node = self.atom()
        while self.tok.kind == "sup":
            tok = self.take()
            self.nested(tok.start)
            exponent = Node("num", tok.start, tok.end, tok.text)
            node = Node("pow", node.start, tok.end, "**", (node, exponent))
        return node

    def atom(self) -> Node:
        tok = self.tok
        if tok.kind == "num":
            self.take()
            return Node("num", tok.start, tok.end, tok.text)
        if tok.kind == "name":
            self.take()
            if tok.text.startswith("__"):
                raise ParseError(f"names starting with '__' are not allowed: '{tok.text}'", tok.start,
                                 tok.end - tok.start)
            primes = 0
            while self.at("'"):
                self.take()
                primes += 1
            if self.at("("):
                return self.call(tok, primes)
            if primes:
                raise ParseError(f"'{tok.text}{chr(39) * primes}' needs an argument", tok.start,
                                 self.tok.start - tok.start, f"write {tok.text}{chr(39) * primes}(x)")
            return Node("name", tok.start, tok.end, tok.text)
        if self.at("("):
            opened = self.take()
            self.nested(opened.start)
            items = [self.comparison()]
            while self.at(","):
                self.take()
                items.append(self.comparison())
            close = self.expect(")", opened)
            self.depth -= 1
            if len(items) == 1:
                inner = items[0]
                return Node(inner.kind, opened.start, close.end, inner.value, inner.args, inner.primes, inner.name_end)
            return Node("tuple", opened.start, close.end, "", tuple(items))
        raise self.unexpected("expected a number, a name or '('")

    def call(self, name: Token, primes: int) -> Node:
        opened = self.take()
        self.nested(opened.start)
        args: list[Node] = []
        if not self.at(")"):
            args.append(self.comparison())
            while self.at(","):
                self.take()
                args.append(self.comparison())
        close = self.expect(")", opened)
        self.depth -= 1
        return Node("call", name.start, close.end, name.text, tuple(args), primes, name.end)


def parse_tree(text: str) -> Node:
    """Parse formula text into a syntax tree with offsets; raises ParseError."""
    return _Parser(text).parse()


# ---------------------------------------------------------------------------------------------------- building

@lru_cache(maxsize=4096)
def symbol(name: str) -> sympy.Symbol:
    """The one way symbols are made: every variable is real-valued."""
    return sympy.Symbol(name, real=True)


@dataclass(frozen=True)
class FormulaFunction:
    """A function callable in formulas: `apply` builds the SymPy expression from SymPy arguments."""

    name: str
    params: tuple[str, ...]
    min_args: int
    apply: Callable[..., sympy.Expr] = field(compare=False)
    description: str = ""

    @property
    def signature(self) -> str:
        return f"{self.name}({', '.join('...' if p.startswith('*') else p for p in self.params)})"

    @property
    def max_args(self) -> int | None:
        return None if self.params and self.params[-1].startswith("*") else len(self.params)


CONSTANTS: Mapping[str, sympy.Expr] = {"pi": sympy.pi, "π": sympy.pi, "E": sympy.E}


def _guard_exact(fn: Callable[..., sympy.Expr], name: str) -> Callable[..., sympy.Expr]:
    def apply(*args: sympy.Expr) -> sympy.Expr:
        for arg in args:
            if arg.is_Number and abs(arg) > MAX_EXACT_ARGUMENT:
                raise _BuildError(f"{name}() of a number this large is not evaluated exactly "
                                  f"(the limit is {MAX_EXACT_ARGUMENT})")
        return fn(*args)

    return apply


class _BuildError(Exception):
    """Raised by a function's apply; the builder turns it into a ParseError at the call's span."""


def _piecewise(*pairs: sympy.Expr) -> sympy.Expr:
    return sympy.Piecewise(*pairs)


def _math_functions() -> dict[str, FormulaFunction]:
    def fn(name: str, params: str, apply: Callable[..., sympy.Expr], min_args: int | None = None,
           description: str = "") -> FormulaFunction:
        names = tuple(p for p in params.split(",") if p)
        return FormulaFunction(name, names, len(names) if min_args is None else min_args, apply, description)

    table = [
        fn("exp", "x", sympy.exp, description="e to the power x"),
        fn("log", "x,base", lambda x, b=None: sympy.log(x) if b is None else sympy.log(x, b), 1,
           "natural logarithm (or log(x, base))"),
        fn("ln", "x", sympy.log, description="natural logarithm"),
        fn("log1p", "x", log1p, description="log(1 + x), accurate for small x"),
        fn("expm1", "x", expm1, description="exp(x) - 1, accurate for small x"),
        fn("log2", "x", log2, description="base-2 logarithm"),
        fn("log10", "x", log10, description="base-10 logarithm"),
        fn("sqrt", "x", sympy.sqrt, description="square root"),
        fn("cbrt", "x", sympy.cbrt, description="real cube root"),
        fn("pow", "x,y", sympy.Pow, description="x to the power y"),
        fn("Abs", "x", sympy.Abs, description="absolute value |x|"),
        fn("abs", "x", sympy.Abs, description="absolute value |x|"),
        fn("sign", "x", sympy.sign, description="sign of x (-1, 0 or 1)"),
        fn("Heaviside", "x,h0", lambda x, h=None: sympy.Heaviside(x) if h is None else sympy.Heaviside(x, h), 1,
           "step function: 0 for x < 0, 1 for x > 0"),
        fn("Max", "x,*rest", sympy.Max, 2, "largest argument"),
        fn("max", "x,*rest", sympy.Max, 2, "largest argument"),
        fn("Min", "x,*rest", sympy.Min, 2, "smallest argument"),
        fn("min", "x,*rest", sympy.Min, 2, "smallest argument"),
        fn("clip", "x,lo,hi", lambda x, lo, hi: sympy.Min(sympy.Max(x, lo), hi), description="x limited to [lo, hi]"),
        fn("floor", "x", sympy.floor, description="largest integer <= x"),
        fn("ceiling", "x", sympy.ceiling, description="smallest integer >= x"),
        fn("ceil", "x", sympy.ceiling, description="smallest integer >= x"),
        fn("softplus", "x", softplus, description="log(1 + exp(x)), computed without overflow"),
        fn("erf", "x", sympy.erf, description="error function"),
        fn("erfc", "x", sympy.erfc, description="complementary error function"),
        fn("gamma", "x", _guard_exact(sympy.gamma, "gamma"), description="gamma function"),
        fn("loggamma", "x", sympy.loggamma, description="log of the gamma function"),
        fn("lgamma", "x", sympy.loggamma, description="log of the gamma function"),
        fn("factorial", "n", _guard_exact(sympy.factorial, "factorial"), description="n!"),
        fn("binomial", "n,k", _guard_exact(sympy.binomial, "binomial"), description="n choose k"),
        fn("Piecewise", "*pairs", _piecewise, 1, "Piecewise((value, condition), ..., (value, True))"),
        fn("where", "condition,a,b", lambda c, a, b: sympy.Piecewise((a, c), (b, True)),
           description="a where condition holds, else b"),
    ]
    for name in ("sin", "cos", "tan", "sec", "csc", "cot", "asin", "acos", "atan", "sinh", "cosh", "tanh",
                 "asinh", "acosh", "atanh"):
        table.append(fn(name, "x", getattr(sympy, name), description=f"{name} of x"))
    table.append(fn("atan2", "y,x", sympy.atan2, description="angle of the point (x, y)"))
    for alias, target in (("arcsin", sympy.asin), ("arccos", sympy.acos), ("arctan", sympy.atan),
                          ("arcsinh", sympy.asinh), ("arccosh", sympy.acosh), ("arctanh", sympy.atanh)):
        table.append(fn(alias, "x", target, description=f"{target.__name__} of x"))
    return {f.name: f for f in table}


MATH_FUNCTIONS: Mapping[str, FormulaFunction] = _math_functions()


def default_functions() -> Mapping[str, FormulaFunction]:
    """Math functions plus the catalog's (relu, sigmoid, mse ...), which are loaded on first use."""
    from neurogebra.catalog import catalog_functions

    return {**catalog_functions(), **MATH_FUNCTIONS}


class Builder:
    """Turns a syntax tree into SymPy. Subclass or pass tables to resolve names and calls differently."""

    def __init__(self, text: str, functions: Mapping[str, FormulaFunction] | None = None,
                 names: Mapping[str, sympy.Expr] | None = None) -> None:
        self.text = text
        self.functions = default_functions() if functions is None else functions
        self.names = names or {}

    def build(self, node: Node) -> sympy.Expr:
        result = self._build(node)
        if not isinstance(result, sympy.Expr):
            raise ParseError("a comparison or tuple is only allowed inside Piecewise(...) or where(...)",
                             node.start, node.end - node.start)
        return result

    def error(self, node: Node, message: str, hint: str | None = None, code: str = "parse-error") -> ParseError:
        return ParseError(message, node.start, node.end - node.start, hint, code)

    def _build(self, node: Node):
        method = getattr(self, f"_build_{node.kind}")
        return method(node)

    def _build_num(self, node: Node) -> sympy.Expr:
        text = node.value
        if all(c.isdigit() for c in text):
            if len(text) > MAX_INTEGER_DIGITS:
                raise self.error(node, f"integer too large ({len(text)} digits; the limit is {MAX_INTEGER_DIGITS})")
            return sympy.Integer(int(text))
        value = float(text)
        if math.isinf(value):
            raise self.error(node, "number out of range for floating point")
        return sympy.Float(value)

    def _build_name(self, node: Node) -> sympy.Expr:
        name = node.value
        if name.startswith("__"):
            raise self.error(node, f"names starting with '__' are not allowed: '{name}'")
        if name in self.names:
            return self.names[name]
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name == "True":
            return sympy.true
        if name == "False":
            return sympy.false
        return self.variable(name, node)

    def variable(self, name: str, node: Node) -> sympy.Expr:
        return symbol(name)

    def _build_neg(self, node: Node) -> sympy.Expr:
        return -self._operand(node.args[0])

    def _build_pos(self, node: Node) -> sympy.Expr:
        return self._operand(node.args[0])

    def _build_sum(self, node: Node) -> sympy.Expr:
        terms = [self._operand(node.args[0])]
        for sign, arg in zip(node.value, node.args[1:]):
            term = self._operand(arg)
            terms.append(term if sign == "+" else -term)
        return sympy.Add(*terms)

    def _build_product(self, node: Node) -> sympy.Expr:
        numerator = [self._operand(node.args[0])]
        denominator = []
        for op, arg in zip(node.value, node.args[1:]):
            factor = self._operand(arg)
            if op == "/" and factor.is_zero:
                raise self.error(arg, "division by zero")
            (numerator if op == "*" else denominator).append(factor)
        return sympy.Mul(*numerator) / sympy.Mul(*denominator)

    def _build_pow(self, node: Node) -> sympy.Expr:
        base, exponent = self._operand(node.args[0]), self._operand(node.args[1])
        if base.is_Number and exponent.is_Number:
            self._check_power_size(node, base, exponent)
            if base.is_zero and exponent.is_negative:
                raise self.error(node, "division by zero (0 to a negative power)")
        return base ** exponent

    def _check_power_size(self, node: Node, base: sympy.Expr, exponent: sympy.Expr) -> None:
        magnitude = abs(float(base))
        if magnitude in (0.0, 1.0) or abs(float(exponent)) <= 1:
            return
        digits = abs(float(exponent)) * abs(math.log10(magnitude)) if magnitude != math.inf else math.inf
        if digits > MAX_RESULT_DIGITS:
            raise self.error(node, f"number too large: the result would have about {digits:.3g} digits",
                             f"the limit is {MAX_RESULT_DIGITS} digits")

    def _build_cmp(self, node: Node):
        left, right = self._operand(node.args[0]), self._operand(node.args[1])
        relation = {"<": sympy.Lt, "<=": sympy.Le, ">": sympy.Gt, ">=": sympy.Ge, "==": sympy.Eq,
                    "!=": sympy.Ne}[node.value]
        return relation(left, right)

    def _build_tuple(self, node: Node):
        return tuple(self._build(arg) for arg in node.args)

    def _operand(self, node: Node) -> sympy.Expr:
        value = self._build(node)
        if isinstance(value, tuple) or not isinstance(value, sympy.Expr):
            raise self.error(node, "a comparison or tuple cannot be used in arithmetic",
                             "use Piecewise((value, condition), (other, True))")
        return value

    def _build_call(self, node: Node) -> sympy.Expr:
        function = self.function(node)
        low, high = function.min_args, function.max_args
        count = len(node.args)
        if count < low or (high is not None and count > high):
            expected = f"{low}" if low == high else f"{low} to {high}" if high is not None else f"at least {low}"
            signature = function.signature
            raise self.error(node, f"{function.name}() takes {expected} argument{'s' if high != 1 else ''}, "
                                   f"got {count}", signature, "wrong-argument-count")
        if function.name in ("Piecewise",):
            args = [self._piece(arg) for arg in node.args]
        elif function.name == "where":
            args = [self._condition(node.args[0])] + [self._operand(a) for a in node.args[1:]]
        else:
            args = [self._operand(arg) for arg in node.args]
        try:
            if node.primes:
                return self._derivative_call(node, function, args)
            return function.apply(*args)
        except _BuildError as exc:
            raise self.error(node, str(exc)) from None
        except (TypeError, ValueError) as exc:
            raise self.error(node, f"invalid call of {function.name}(): {exc}") from None

    def _derivative_call(self, node: Node, function: FormulaFunction, args: list[sympy.Expr]) -> sympy.Expr:
        if len(args) != 1:
            raise self.error(node, f"prime notation needs a function of one variable; {function.name} takes "
                                   f"{len(args)}", f"write d/dx {function.name}(...)")
        point = sympy.Dummy("t", real=True)
        body = function.apply(point)
        return sympy.diff(body, point, node.primes).xreplace({point: args[0]})

    def _piece(self, node: Node):
        if node.kind != "tuple" or len(node.args) != 2:
            raise self.error(node, "each Piecewise argument is a pair (value, condition)",
                             "Piecewise((x, x > 0), (0, True))")
        return (self._operand(node.args[0]), self._condition(node.args[1]))

    def _condition(self, node: Node):
        value = self._build(node)
        if isinstance(value, (tuple, sympy.Expr)):
            raise self.error(node, "expected a condition such as x > 0")
        return value

    def function(self, node: Node) -> FormulaFunction:
        name = node.value
        if name.startswith("__"):
            raise ParseError(f"names starting with '__' are not allowed: '{name}'", node.start,
                             node.name_end - node.start)
        function = self.functions.get(name)
        if function is None:
            raise ParseError(f"unknown function '{name}'", node.start, node.name_end - node.start,
                             self.suggest_function(name, node), "undefined-name")
        return function

    def suggest_function(self, name: str, node: Node) -> str | None:
        close = difflib.get_close_matches(name, list(self.functions), n=1, cutoff=0.8)
        if close:
            return f"did you mean {close[0]}?"
        if node.primes:
            return None
        inner = self.text[node.name_end:node.end]
        return f"did you mean {name}*{inner}?"


def parse_formula(text: str, functions: Mapping[str, FormulaFunction] | None = None,
                  names: Mapping[str, sympy.Expr] | None = None) -> sympy.Expr:
    """Parse formula text into a SymPy expression, safely. Raises ParseError with the offending offset."""
    if not isinstance(text, str):
        raise TypeError(f"a formula is text, not {type(text).__name__}")
    return Builder(text, functions, names).build(parse_tree(text))


__all__: Sequence[str] = ["ParseError", "parse_formula", "parse_tree", "symbol", "FormulaFunction",
                          "MATH_FUNCTIONS", "Builder", "Node", "Token", "tokenize"]
