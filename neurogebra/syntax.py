"""Formula syntax without SymPy: tokens, the syntax tree with offsets, ParseError, and the names of the math
functions and constants formulas may use. `neurogebra.builder` builds SymPy objects from this tree; the language
server's own process needs only this module.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Mapping

MAX_LENGTH = 10_000
MAX_DEPTH = 64
MAX_INTEGER_DIGITS = 1_000


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

@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # num, name, op, end
    text: str
    start: int
    end: int


UNICODE_OPERATORS = {"−": "-", "×": "*", "·": "*", "⋅": "*", "÷": "/", "√": "√"}
SUPERSCRIPTS = {"⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8",
                "⁹": "9", "⁻": "-"}
OPERATORS = ("**", "<=", ">=", "==", "!=", "+", "-", "*", "/", "^", "(", ")", ",", "<", ">", "'", "@", "[", "]")
TRANSPOSE = "ᵀ"  # also written .T after a name or ')'; never part of a name
FORBIDDEN = {
    ".": ("attribute access is not allowed in a formula", None),
    '"': ("strings are not allowed in a formula", None),
    ":": ("':' is not allowed in a formula", "lambdas and slices are not formulas"),
    ";": ("';' is not allowed in a formula", None),
    "=": ("'=' is not allowed inside a formula", "use '==' to compare"),
    "!": ("'!' is not allowed in a formula", "write factorial(n)"),
    "%": ("'%' is not allowed in a formula", "write mod(a, b)"),
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
    return ch == "_" or (ch != TRANSPOSE and ch.isidentifier())


def _is_name_char(ch: str) -> bool:
    return ch != TRANSPOSE and ("a" + ch).isidentifier()


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
        elif ch == TRANSPOSE or (text.startswith(".T", i) and not (i + 2 < n and _is_name_char(text[i + 2]))
                                 and tokens and (tokens[-1].kind == "name" or tokens[-1].text in (")", TRANSPOSE))):
            length = 1 if ch == TRANSPOSE else 2
            tokens.append(Token("op", TRANSPOSE, i, i + length))
            i += length
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
            if op == "[" and tokens and (tokens[-1].kind == "name" or tokens[-1].text in (")", "]")):
                raise ParseError("indexing is not allowed in a formula", i, 1)
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

@dataclass(frozen=True, slots=True)
class Node:
    """A syntax-tree node. `start`/`end` are offsets in the formula text; `name_end` ends a call's callee name."""

    kind: str  # num, name, call, neg, pos, sum, product, pow, cmp, tuple, matmul (a @ b), transpose (a.T), list
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
        node = self.products()
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
        return _flat(kind, items, "".join(signs))

    def products(self) -> Node:
        """`*`, `/` and `@` share a level, left to right as in Python: a*b @ c*d is ((a*b) @ c)*d. A run of `*` and
        `/` is one flat product node, as chain() makes; `@` is a matmul node of two operands."""
        items = [self.unary()]
        ops = ""
        while self.at("*", "/", "@"):
            op = self.take().text
            right = self.unary()
            if op == "@":
                left = _flat("product", items, ops)
                items, ops = [Node("matmul", left.start, right.end, "@", (left, right))], ""
            else:
                items.append(right)
                ops += op
        return _flat("product", items, ops)

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
        while self.tok.kind == "sup" or self.at(TRANSPOSE):
            tok = self.take()
            self.nested(tok.start)
            if tok.kind == "op":
                node = Node("transpose", node.start, tok.end, "T", (node,))
            else:
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
            opened, items, close = self.enclosed(")")
            if len(items) == 1:
                inner = items[0]
                return Node(inner.kind, opened.start, close.end, inner.value, inner.args, inner.primes, inner.name_end)
            return Node("tuple", opened.start, close.end, "", tuple(items))
        if self.at("["):
            return self.matrix()
        raise self.unexpected("expected a number, a name or '('")

    def matrix(self) -> Node:
        """[1, 2] is a vector, [[1, 2], [3, 4]] a matrix (its rows): a value for a name declared with @shape."""
        if self.tokens[self.pos + 1].text == "]":
            raise ParseError("an empty list: a vector needs its numbers, as in [1, 2]", self.tok.start, 2)
        opened, items, close = self.enclosed("]")
        return Node("list", opened.start, close.end, "", tuple(items))

    def call(self, name: Token, primes: int) -> Node:
        _, args, close = self.enclosed(")", empty=True)
        return Node("call", name.start, close.end, name.text, tuple(args), primes, name.end)

    def enclosed(self, closer: str, empty: bool = False) -> tuple[Token, list[Node], Token]:
        """The opener at hand, the items between it and `closer` (separated by commas; none only if `empty`),
        and the closer."""
        opened = self.take()
        self.nested(opened.start)
        items: list[Node] = []
        if not (empty and self.at(closer)):
            items.append(self.comparison())
            while self.at(","):
                self.take()
                items.append(self.comparison())
        close = self.expect(closer, opened)
        self.depth -= 1
        return opened, items, close


def _flat(kind: str, items: list[Node], ops: str) -> Node:
    return items[0] if not ops else Node(kind, items[0].start, items[-1].end, ops, tuple(items))


def parse_tree(text: str) -> Node:
    """Parse formula text into a syntax tree with offsets; raises ParseError."""
    return _Parser(text).parse()


@dataclass(frozen=True)
class FunctionSignature:
    """A function callable in formulas as editors show it: name, parameters, description."""

    name: str
    params: tuple[str, ...]
    min_args: int
    description: str = ""

    @property
    def signature(self) -> str:
        return f"{self.name}({', '.join('...' if p.startswith('*') else p for p in self.params)})"

    @property
    def max_args(self) -> int | None:
        return None if self.params and self.params[-1].startswith("*") else len(self.params)


def _math_signatures() -> dict[str, FunctionSignature]:
    def fn(name: str, params: str, description: str, min_args: int | None = None) -> FunctionSignature:
        names = tuple(p for p in params.split(",") if p)
        return FunctionSignature(name, names, len(names) if min_args is None else min_args, description)

    table = [
        fn("exp", "x", "e to the power x"),
        fn("log", "x,base", "natural logarithm (or log(x, base))", 1),
        fn("ln", "x", "natural logarithm"),
        fn("log1p", "x", "log(1 + x), accurate for small x"),
        fn("expm1", "x", "exp(x) - 1, accurate for small x"),
        fn("log2", "x", "base-2 logarithm"),
        fn("log10", "x", "base-10 logarithm"),
        fn("exp2", "x", "2 to the power x"),
        fn("sqrt", "x", "square root"),
        fn("cbrt", "x", "real cube root"),
        fn("pow", "x,y", "x to the power y"),
        fn("Abs", "x", "absolute value |x|"),
        fn("abs", "x", "absolute value |x|"),
        fn("sign", "x", "sign of x (-1, 0 or 1)"),
        fn("Heaviside", "x,h0", "step function: 0 for x < 0, 1 for x > 0", 1),
        fn("Max", "x,*rest", "largest argument", 2),
        fn("max", "x,*rest", "largest argument", 2),
        fn("Min", "x,*rest", "smallest argument", 2),
        fn("min", "x,*rest", "smallest argument", 2),
        fn("clip", "x,lo,hi", "x limited to [lo, hi]"),
        fn("floor", "x", "largest integer <= x"),
        fn("ceiling", "x", "smallest integer >= x"),
        fn("ceil", "x", "smallest integer >= x"),
        fn("mod", "a,b", "a mod b, with the sign of b (Python's %): a - b*floor(a/b)"),
        fn("Mod", "a,b", "a mod b, with the sign of b (Python's %): a - b*floor(a/b)"),
        fn("hypot", "x,y", "sqrt(x**2 + y**2), computed without overflow"),
        fn("softplus", "x", "log(1 + exp(x)), computed without overflow"),
        fn("tanhshrink", "x", "x - tanh(x), computed without cancellation near 0"),
        fn("logsumexp", "x,*rest", "log(exp(x) + exp(y) + ...), computed without overflow", 1),
        fn("erf", "x", "error function"),
        fn("erfc", "x", "complementary error function, 1 - erf(x)"),
        fn("erfinv", "x", "inverse error function: erf(erfinv(x)) = x for x in (-1, 1)"),
        fn("erfcinv", "x", "inverse complementary error function: erfc(erfcinv(x)) = x for x in (0, 2)"),
        fn("gamma", "x", "gamma function"),
        fn("loggamma", "x", "log|gamma(x)|, finite where gamma overflows (SciPy's gammaln)"),
        fn("lgamma", "x", "log|gamma(x)|, finite where gamma overflows (SciPy's gammaln)"),
        fn("digamma", "x", "digamma function, the derivative of loggamma(x)"),
        fn("polygamma", "n,x", "n-th derivative of digamma(x), n = 0, 1, 2, ..."),
        fn("beta", "a,b", "beta function gamma(a)*gamma(b)/gamma(a + b)"),
        fn("betaln", "a,b", "log|beta(a, b)|, finite where beta overflows"),
        fn("zeta", "s", "Riemann zeta function"),
        fn("besselj", "nu,x", "Bessel function of the first kind of order nu"),
        fn("bessely", "nu,x", "Bessel function of the second kind of order nu"),
        fn("besseli", "nu,x", "modified Bessel function of the first kind of order nu"),
        fn("besselk", "nu,x", "modified Bessel function of the second kind of order nu"),
        fn("LambertW", "x", "Lambert W: the w with w*exp(w) = x, principal branch (x >= -1/e)"),
        fn("lambertw", "x", "Lambert W: the w with w*exp(w) = x, principal branch (x >= -1/e)"),
        fn("sinc", "x", "normalized sinc sin(pi*x)/(pi*x), 1 at 0 (NumPy's and PyTorch's sinc)"),
        fn("factorial", "n", "n!"),
        fn("binomial", "n,k", "n choose k"),
        fn("Piecewise", "*pairs", "Piecewise((value, condition), ..., (value, True))", 1),
        fn("where", "condition,a,b", "a where condition holds, else b"),
        fn("Eq", "a,b", "the condition a == b, as SymPy prints it (inside Piecewise or where)"),
        fn("Ne", "a,b", "the condition a != b, as SymPy prints it (inside Piecewise or where)"),
    ]
    table += [fn(name, "x", f"{name} of x") for name in TRIGONOMETRIC]
    table.append(fn("atan2", "y,x", "angle of the point (x, y)"))
    table += [fn(alias, "x", f"{target} of x") for alias, target in TRIGONOMETRIC_ALIASES.items()]
    return {f.name: f for f in table}


TRIGONOMETRIC = ("sin", "cos", "tan", "sec", "csc", "cot", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh",
                 "acosh", "atanh")
TRIGONOMETRIC_ALIASES = {"arcsin": "asin", "arccos": "acos", "arctan": "atan", "arcsinh": "asinh",
                         "arccosh": "acosh", "arctanh": "atanh"}
MATH_SIGNATURES: Mapping[str, FunctionSignature] = _math_signatures()
CONSTANT_NAMES: Mapping[str, str] = {"pi": "pi", "π": "pi", "E": "E"}  # formula name -> SymPy's name


def _matrix_signatures() -> dict[str, FunctionSignature]:
    table = [
        ("sum", "x,axis", "the sum of a vector's or a matrix's entries (or along an axis, 0 or 1)", 1),
        ("mean", "x,axis", "the mean of a vector's or a matrix's entries (or along an axis, 0 or 1)", 1),
        ("norm", "x", "the Euclidean norm of a vector, the Frobenius norm of a matrix", 1),
        ("trace", "X", "the sum of a square matrix's diagonal", 1),
        ("det", "X", "the determinant of a square matrix", 1),
        ("logdet", "X", "log det X of a square matrix", 1),
        ("inv", "X", "the inverse of a square matrix", 1),
        ("outer", "a,b", "the outer product of two vectors: a matrix (len a, len b)", 2),
        ("diag", "x", "the square matrix with the vector x on its diagonal, or a square matrix's diagonal", 1),
        ("softmax", "x,axis", "exp(x) / sum(exp(x)) of a vector (a matrix's along an axis)", 1),
        ("log_softmax", "x,axis", "x - logsumexp(x) of a vector (a matrix's along an axis)", 1),
        ("logsumexp", "x,axis", "log(sum(exp(x))) of a vector or matrix (or along an axis), without overflow", 1),
        ("eye", "n", "the identity matrix of size n (a size letter or a number)", 1),
        ("ones", "m,n", "a vector of m ones, or an m by n matrix of ones (sizes: letters or numbers)", 1),
    ]
    return {name: FunctionSignature(name, tuple(params.split(",")), low, description)
            for name, params, description, low in table}


# Functions of vectors and matrices, by name: known to shape checking (neurogebra.analysis.shapes). softmax,
# log_softmax and logsumexp of scalars (softmax(z1, z2, z3)) are the catalog's and the math functions'.
MATRIX_SIGNATURES: Mapping[str, FunctionSignature] = _matrix_signatures()
