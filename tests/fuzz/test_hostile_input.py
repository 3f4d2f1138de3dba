"""A corpus of hostile input through every construct the parser and the analysis see: no code runs (a sentinel
file is never created), nothing hangs, each input is refused with a clear message or parsed as harmless math."""
from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
import sympy

from neurogebra import Expression, MathForge, ParseError, parse_formula
from neurogebra.analysis import Engine, Settings, Severity

SENTINEL_NAME = "neurogebra-sentinel"


def payloads(sentinel: Path) -> list[str]:
    command = f"touch {sentinel}"
    return [
        f"__import__('os').system('{command}')",
        f"__import__(\"os\").system(\"{command}\")",
        f"exec('import os; os.system(\"{command}\")')",
        f"eval('__import__(\"os\").system(\"{command}\")')",
        "().__class__.__bases__[0].__subclasses__()",
        "x.__class__.__mro__",
        "lambda: __import__('os')",
        "[c for c in ().__class__.__base__.__subclasses__()]",
        "getattr(x, '__globals__')",
        "open('/etc/passwd').read()",
        "compile('1', 'f', 'exec')",
        "globals()", "locals()", "vars()", "breakpoint()", "input()",
        "Symbol('x')", "Integer(2)", "Function('f')(x)", "sympify('x')", "parse_expr('x')", "Lambda(x, x)",
        "S('x')", "Eq(x, 1)", "Matrix([1])", "srepr(x)", "lambdify(x, x)",
        "x.subs(x, 1)", "x if x else 1", "x and y", "not x", "x @ y", "x % 2", "x // 2", "x << 2", "~x",
        "f'''{x}'''", "b'x'", "x; import os", "x\nimport os", "#x", "x  # comment",
        "9**9**9**9", "10**10**10", "factorial(10**10)", "gamma(10**8)", "binomial(10**9, 10**8)",
        "2**1000000", "(1.5)**(10**8)", "1e309", "9" * 5000,
        "(" * 3000 + "x" + ")" * 3000, "-" * 5000 + "x", "x" + "**x" * 500, "exp(" * 500 + "x" + ")" * 500,
        "x" * (1 << 20), "x+" * 6000 + "x",
        "x\x00", "\x00", "x\u202ey", "x\u2066y", "\u200bx", "x\ufeff", "\ud800", "𝑥\u0301",
    ]


def _parse_in_child(text: str, queue) -> None:
    try:
        value = parse_formula(text)  # built only from whitelisted SymPy constructors
        queue.put(("parsed", isinstance(value, sympy.Expr), ""))
    except ParseError as error:
        queue.put(("refused", True, error.message))
    except Exception as error:  # anything else escaping is the failure this test looks for
        queue.put(("crashed", False, repr(error)))


@pytest.fixture
def sentinel(tmp_path: Path) -> Path:
    return tmp_path / SENTINEL_NAME


def test_parser_refuses_or_parses_harmlessly_and_never_hangs(sentinel):
    context = multiprocessing.get_context("fork")
    for text in payloads(sentinel):
        queue = context.Queue()
        child = context.Process(target=_parse_in_child, args=(text, queue))
        child.start()
        child.join(10)
        if child.is_alive():
            child.kill()
            pytest.fail(f"parsing hung on {text[:60]!r}")
        outcome, harmless, message = queue.get(timeout=5)
        assert outcome in ("parsed", "refused") and harmless, (text[:60], outcome, message)
        if outcome == "refused":
            assert message and len(message) < 300
    assert not sentinel.exists()


def test_expression_and_forge_refuse_the_same_payloads(sentinel):
    forge = MathForge()
    for text in payloads(sentinel)[:25]:
        for attempt in (lambda: Expression("evil", text), lambda: forge.compose(text)):
            try:
                attempt()
            except ParseError:
                pass
    assert not sentinel.exists()


def test_every_payload_costs_one_diagnostic_in_an_ngb_document(sentinel):
    lines = [p.replace("\n", " ") for p in payloads(sentinel)]
    document = "f(x) = x**2\n" + "\n".join(f"h{i}(x) = {p}" for i, p in enumerate(lines)) + "\nf'(2)\n"
    analysis = Engine().analyze(document, "ngb", Settings(time_budget_ms=1000))
    assert [s.value.plain for s in analysis.statements if s.text == "f'(2)"] == ["4"]
    for statement in analysis.statements[1:-1]:
        assert len([d for d in statement.diagnostics if d.severity == Severity.ERROR]) <= 1
    assert all(0 <= d.span.start <= d.span.end <= len(document) for d in analysis.diagnostics)
    assert not sentinel.exists()


def test_payloads_in_python_strings_are_never_run(sentinel):
    source = "from neurogebra import Expression\n" + "\n".join(
        f"e{i} = Expression('e{i}', {p!r})" for i, p in enumerate(payloads(sentinel)))
    source += f"\nimport os\nos.system('touch {sentinel}')\n"
    analysis = Engine().analyze(source, "python", Settings(time_budget_ms=1000))
    assert analysis.statements
    assert not sentinel.exists()
