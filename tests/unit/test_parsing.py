"""The safe formula parser: what it accepts, what it refuses, and where it says the problem is."""
from __future__ import annotations

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from neurogebra import ParseError, parse_formula
from neurogebra.parsing import MATH_FUNCTIONS, parse_tree, symbol

x, y = symbol("x"), symbol("y")


@pytest.mark.parametrize("text, expected", [
    ("x**2 + 3*x + 2", x**2 + 3 * x + 2),
    ("x^2", x**2),
    ("-x**2", -(x**2)),
    ("2**-1", sympy.Rational(1, 2)),
    ("1/3*x", x / 3),
    ("x/2/3", x / 6),
    ("2*(x + 1)", 2 * x + 2),
    ("Max(0, x)", sympy.Max(0, x)),
    ("abs(x) + Abs(y)", sympy.Abs(x) + sympy.Abs(y)),
    ("where(x > 0, x, 0.01*x)", sympy.Piecewise((x, x > 0), (sympy.Float(0.01) * x, True))),
    ("Piecewise((x, x > 0), (0, True))", sympy.Piecewise((x, x > 0), (0, True))),
    ("pi*E", sympy.pi * sympy.E),
    ("x² + y³", x**2 + y**3),
    ("−x × y ÷ 2", -x * y / 2),
    ("√x", sympy.sqrt(x)),
    ("1.5e-3*x", sympy.Float(0.0015) * x),
    ("1_000*x", 1000 * x),
    ("clip(x, 0, 1)", sympy.Min(sympy.Max(x, 0), 1)),
    ("x\u00a0+\t1\x0c", x + 1),
    ("log(x, 2)", sympy.log(x, 2)),
])
def test_valid_formulas(text, expected):
    assert parse_formula(text, MATH_FUNCTIONS) == expected


def test_symbols_are_real_so_abs_differentiates_to_sign():
    expr = parse_formula("Abs(x)", MATH_FUNCTIONS)
    assert sympy.diff(expr, x) == sympy.sign(x)
    assert all(s.is_real for s in expr.free_symbols)


@pytest.mark.parametrize("text, names", [
    ("gamma + beta*erf", {"gamma", "beta", "erf"}),
    ("lambda*x", {"lambda", "x"}),
    ("σ*α", {"σ", "α"}),
    ("exp*log", {"exp", "log"}),
])
def test_names_not_followed_by_a_parenthesis_are_variables(text, names):
    assert {s.name for s in parse_formula(text, MATH_FUNCTIONS).free_symbols} == names


def test_catalog_functions_are_callable_by_default():
    assert parse_formula("relu(x)") == sympy.Max(0, x)
    assert parse_formula("mse(7, 5)") == 4


@pytest.mark.parametrize("text, message, offset, length, hint", [
    ("2x", "implicit multiplication", 0, 2, "did you mean 2*x?"),
    ("x y", "implicit multiplication", 0, 3, "did you mean x*y?"),
    ("2(x + 1)", "implicit multiplication", 0, 2, "did you mean 2*(...)?"),
    ("foo(x)", "unknown function 'foo'", 0, 3, None),
    ("w*x + w(x + 1)", "unknown function 'w'", 6, 1, "did you mean w*(x + 1)?"),
    ("sigmod(x)", "unknown function 'sigmod'", 0, 6, "did you mean sigmoid?"),
    ("exp(x", "'(' is never closed", 3, 1, "add ')'"),
    ("x)", "unmatched ')'", 1, 1, None),
    ("", "empty formula", 0, 1, None),
    ("   ", "empty formula", 0, 3, None),
    ("os.system('ls')", "attribute access", 2, 1, None),
    ("__import__('os')", "names starting with '__'", 0, 10, None),
    ("x.__class__", "attribute access", 1, 1, None),
    ("lambda x: x", "':' is not allowed", 8, 1, None),
    ("[x for x in y]", "implicit multiplication", 1, 5, None),
    ("[1, 2] + x", "a list of numbers is a vector or a matrix", 0, 6, None),
    ("x[0]", "indexing", 1, 1, None),
    ('"text"', "strings are not allowed", 0, 1, None),
    ("x = 1", "'=' is not allowed", 2, 1, "use '==' to compare"),
    ("x\x00", "U+0000", 1, 1, None),
    ("x\u202e", "RIGHT-TO-LEFT OVERRIDE", 1, 1, None),
    ("1/0", "division by zero", 2, 1, None),
    ("x > 0", "only allowed inside Piecewise", 0, 5, None),
    ("Max(x)", "takes at least 2 arguments", 0, 6, "Max(x, ...)"),
    ("exp(x, y)", "takes 1 argument, got 2", 0, 9, "exp(x)"),
    ("1e999", "out of range", 0, 5, None),
    (".²", "unexpected '.'", 0, 1, None),
    ("1_ + x", "could not read the number '1_'", 0, 2, "underscores go between digits, as in 1_000"),
    ("1._5", "could not read the number", 0, 4, None),
])
def test_errors_say_what_and_where(text, message, offset, length, hint):
    with pytest.raises(ParseError) as caught:
        parse_formula(text)
    error = caught.value
    assert message in error.message
    assert (error.offset, error.length) == (offset, length)
    if hint is not None:
        assert error.hint == hint


def test_error_codes_name_the_kind_of_problem():
    with pytest.raises(ParseError) as unknown:
        parse_formula("sigmod(x)")
    with pytest.raises(ParseError) as arity:
        parse_formula("exp(x, y)")
    assert (unknown.value.code, arity.value.code) == ("undefined-name", "wrong-argument-count")


@pytest.mark.parametrize("text, message", [
    ("9**9**9**9", "number too large"),
    ("factorial(10**10)", "not evaluated exactly"),
    ("gamma(10**6)", "not evaluated exactly"),
    ("10**100000", "number too large"),
    ("(" * 3000 + "x" + ")" * 3000, "nested too deeply"),
    ("-" * 3000 + "x", "nested too deeply"),
    ("x" + "**x" * 3000, "nested too deeply"),
    ("x" * (1 << 20), "formula too long"),
    ("9" * 2000, "integer too large"),
])
def test_size_limits_refuse_quickly(text, message):
    with pytest.raises(ParseError) as caught:
        parse_formula(text, MATH_FUNCTIONS)
    assert message in caught.value.message


def test_long_flat_sums_and_products_parse_without_recursion():
    assert parse_formula("+".join(["x"] * 4000), MATH_FUNCTIONS) == 4000 * x
    assert parse_formula("*".join(["x"] * 4000), MATH_FUNCTIONS) == x**4000


def test_unicode_names_are_normalized_like_python_identifiers():
    assert parse_formula("𝑥 + 1", MATH_FUNCTIONS) == x + 1


def test_tree_offsets_point_into_the_text():
    text = "f'(x) + relu(y)*2"
    tree = parse_tree(text)
    calls = [n for n in tree.walk() if n.kind == "call"]
    assert [(text[n.start:n.name_end], n.primes) for n in calls] == [("f", 1), ("relu", 0)]
    assert all(text[n.start:n.end] in text for n in tree.walk())


TOKENS = st.sampled_from(["x", "y", "2", "0.5", "+", "-", "*", "/", "**", "^", "(", ")", ",", "exp", "log",
                          "Max", "relu", "'", ".", "[", "__import__", "lambda", ":", "=", ">", "𝑥", "σ", " ",
                          "1e308", "9", "Piecewise", "True", "\x00", "\u202e", "√", "²"])


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENS, max_size=30))
def test_random_token_strings_raise_only_parse_errors(tokens):
    text = "".join(tokens)
    try:
        result = parse_formula(text)
    except ParseError as error:
        assert 0 <= error.offset <= len(text) and error.length >= 1
    else:
        assert isinstance(result, sympy.Expr)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_random_unicode_raises_only_parse_errors(text):
    try:
        parse_formula(text)
    except ParseError as error:
        assert 0 <= error.offset <= max(len(text), 1)


def test_eq_and_ne_are_conditions_as_sympy_prints_them():
    x, y = sympy.symbols("x y", real=True)
    sign = parse_formula("Piecewise((-1, x < 0), (0, Eq(x, 0)), (1, True))")
    assert [sign.subs(x, value) for value in (-2, 0, 3)] == [-1, 0, 1]
    assert parse_formula("where(Ne(x, y), 1, 0)").subs({x: 1, y: 1}) == 0
    with pytest.raises(ParseError, match="only allowed inside Piecewise"):
        parse_formula("Eq(x, 0)")
