"""Formulas in Python files: found in half-typed code, positions exact inside string literals, never run."""
from __future__ import annotations

import pytest

from neurogebra.analysis import Code, Engine, Settings, Severity, StatementKind
from neurogebra.analysis.literals import concatenate, decode

SETTINGS = Settings(time_budget_ms=20_000)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def analyze(engine, text):
    return engine.analyze(text, "python", SETTINGS)


def of_kind(analysis, kind):
    return [s for s in analysis.statements if s.kind == kind]


def test_expressions_gradients_catalog_compose_and_eval_calls(engine):
    text = '''from neurogebra import Expression, MathForge
f = Expression("quadratic", "x**2 + 3*x + 2")
f1 = f.gradient("x")
f2 = f1.gradient("x")
print(f1.eval(x=0), f2.eval(x=5))
forge = MathForge()
r = forge.get("relu")
s = MathForge().get("sigmoid")
loss = forge.compose("mse + 0.1*mae")
g = Expression("multi", symbolic_expr="x**2*y")
g.eval(x=2, y=-3)
'''
    analysis = analyze(engine, text)
    [formula, composed, keyword] = of_kind(analysis, StatementKind.FORMULA)
    assert formula.formula.plain == "x**2 + 3*x + 2"
    assert formula.derivatives[0].formula.plain == "2*x + 3"
    assert composed.label == "loss(y_pred, y_true)"
    assert keyword.formula.plain == "x**2*y"
    assert [s.formula.plain for s in of_kind(analysis, StatementKind.GRADIENT)] == ["2*x + 3", "2"]
    assert [s.name for s in of_kind(analysis, StatementKind.CATALOG)] == ["relu", "sigmoid"]
    assert [s.value.plain for s in of_kind(analysis, StatementKind.EVAL_CALL)] == ["3", "2", "-12"]
    eval_call = of_kind(analysis, StatementKind.EVAL_CALL)[0]
    assert text[eval_call.span.start:eval_call.span.end] == "(x=0)"


def test_half_typed_code_still_yields_formulas(engine):
    text = '''from neurogebra import Expression
def broken(:
    pass
f = Expression("f", "x**3")
g = Expression("g", "sin(x)"
h = f.gradient("x"
'''
    analysis = analyze(engine, text)
    formulas = of_kind(analysis, StatementKind.FORMULA)
    assert [s.formula.plain for s in formulas][:1] == ["x**3"]
    assert all(d.severity != Severity.ERROR or d.code != Code.PARSE_ERROR for d in analysis.diagnostics)


def test_malformed_keyword_arguments_in_half_typed_calls(engine):
    text = 'from neurogebra import Expression\nf = Expression("f", "x**2")\nprint(f.x=1, f.eval(x=2))\n'
    assert [s.value.plain for s in analyze(engine, text).statements if s.value] == ["4"]


def test_parse_errors_point_inside_the_string(engine):
    text = 'from neurogebra import Expression\nf = Expression("f", "x**2 + 3x")\n'
    analysis = analyze(engine, text)
    [error] = analysis.diagnostics
    assert text[error.span.start:error.span.end] == "3x" and "did you mean 3*x?" in error.message


@pytest.mark.parametrize("literal, fragment", [
    ('"x**2 + 3x"', "3x"),
    ("r'x**2 + 3x'", "3x"),
    ('"x**2 \\t+ 3x"', "3x"),
    ('"\\u03c3 + 3x"', "3x"),
    ('"""x**2\n + 3x"""', "3x"),
    ('"x**2 " "+ 3x"', "3x"),
    ('"𝑥**2 + 3x"', "3x"),
    ('"\\N{GREEK SMALL LETTER SIGMA}*2x"', "2x"),
])
def test_positions_map_through_escapes_prefixes_and_concatenation(engine, literal, fragment):
    text = f"from neurogebra import Expression\nf = Expression('f', {literal})\n"
    analysis = analyze(engine, text)
    [error] = analysis.diagnostics
    assert text[error.span.start:error.span.end] == fragment


def test_escapes_are_covered_whole():
    literal = decode('"a\\tb"', 10)
    assert literal.value == "a\tb"
    assert literal.span(1, 2) == (12, 14)
    joined = concatenate([decode('"ab"', 0), decode("'cd'", 5)])
    assert joined.value == "abcd" and joined.span(1, 3) == (2, 7)


def test_f_strings_and_bytes_are_skipped(engine):
    text = 'from neurogebra import Expression\nn = 2\nf = Expression("f", f"x**{n}")\ng = Expression("g", b"x")\n'
    assert analyze(engine, text).statements == ()


def test_mistakes_in_calls_are_diagnostics(engine):
    text = '''from neurogebra import Expression, MathForge
forge = MathForge()
r = forge.get("relux")
f = Expression("f", "x*y")
f.eval(x=1)
f.eval(x=1, y=2, z=3)
f.gradient("z")
'''
    analysis = analyze(engine, text)
    codes = [d.code for d in analysis.diagnostics if d.severity == Severity.ERROR]
    assert codes == [Code.UNDEFINED_NAME, Code.MISSING_VARIABLES, Code.UNDEFINED_NAME, Code.UNDEFINED_NAME]
    assert "did you mean relu?" in analysis.diagnostics[0].message


def test_aliased_imports_and_module_attributes(engine):
    text = 'import neurogebra as ng\nfrom neurogebra import Expression as E\na = ng.Expression("a", "x**2")\nb = E("b", "x**3")\n'
    assert [s.formula.plain for s in of_kind(analyze(engine, text), StatementKind.FORMULA)] == ["x**2", "x**3"]


def test_insert_derivative_keeps_indentation(engine):
    text = 'from neurogebra import Expression\ndef build():\n    f = Expression("q", "x**2")  # note\n    return f\n'
    analysis = analyze(engine, text)
    [fix] = [f for f in analysis.statements[0].fixes if f.title == "Insert derivative d/dx"]
    edit = fix.edits[0]
    result = text[:edit.span.start] + edit.new_text + text[edit.span.end:]
    assert result.splitlines()[3] == '    f_dx = Expression("d(q)/dx", "2*x")'
    assert result.splitlines()[2].endswith("# note")


def test_unstable_formula_string_warns(engine):
    text = 'from neurogebra import Expression\ns = Expression("sg", "exp(-x)/(1 + exp(-x))**2")\n'
    analysis = analyze(engine, text)
    assert Code.UNSTABLE_FORM in {d.code for d in analysis.diagnostics}


def test_the_users_file_is_never_imported_or_run(engine, tmp_path):
    sentinel = tmp_path / "ran"
    text = f'import os\nos.system("touch {sentinel}")\nfrom neurogebra import Expression\nf = Expression("f", "x")\n'
    analyze(engine, text)
    assert not sentinel.exists()


def test_old_mac_line_ends_keep_positions(engine):
    text = 'from neurogebra import Expression\rf = Expression("f", "x**2 + 3x")\r'
    [error] = analyze(engine, text).diagnostics
    assert text[error.span.start:error.span.end] == "3x"


def test_an_unstable_formula_string_gets_its_stable_form_as_a_quick_fix(engine):
    text = 'from neurogebra import Expression\ngrad = Expression("sg", "exp(-x)/(1 + exp(-x))**2")\n'
    analysis = analyze(engine, text)
    [warning] = [d for d in analysis.diagnostics if d.code == Code.UNSTABLE_FORM]
    [fix] = [f for s in analysis.statements for f in s.fixes if f.code == Code.UNSTABLE_FORM]
    edit = fix.edits[0]
    assert text[edit.span.start:edit.span.end] == "exp(-x)/(1 + exp(-x))**2"  # the string's content, quotes kept
    fixed = text[:edit.span.start] + edit.new_text + text[edit.span.end:]
    assert [d for d in analyze(engine, fixed).diagnostics if d.code == Code.UNSTABLE_FORM] == []


def test_no_stable_form_fix_where_the_string_is_not_plain_or_has_parameters(engine):
    escaped = 'from neurogebra import Expression\ng = Expression("sg", "exp(-x)/(1 + exp(-x))**2\\n")\n'
    with_params = ('from neurogebra import Expression\n'
                   'g = Expression("sp", "a*log(1 + exp(x))", params={"a": 2.0})\n')
    for text in (escaped, with_params):
        analysis = analyze(engine, text)
        assert any(d.code == Code.UNSTABLE_FORM for d in analysis.diagnostics), text
        assert not [f for s in analysis.statements for f in s.fixes if f.code == Code.UNSTABLE_FORM]
