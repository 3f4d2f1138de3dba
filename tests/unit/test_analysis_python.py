"""Formulas in Python files: found in half-typed code, positions exact inside string literals, never run."""
from __future__ import annotations

import os
import stat

import pytest

from neurogebra.analysis import Code, Engine, ReferenceKind, Settings, Severity, StatementKind
from neurogebra.analysis.catalog_document import cache_folder, catalog_document
from neurogebra.analysis.ngb import parse_statement
from neurogebra.analysis.python.literals import concatenate, decode
from neurogebra.catalog import ENTRIES

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
    assert text[eval_call.span.start:eval_call.span.end] == "eval(x=0)"  # hover on eval shows the value


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
    text = ('import neurogebra as ng\nfrom neurogebra import Expression as E\n'
            'a = ng.Expression("a", "x**2")\nb = E("b", "x**3")\n')
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


# ---------------------------------------------------------------------------------------------- names bound to values
def text_at(text, span):
    return text[span.start:span.end]


def test_names_bound_to_expressions_refer_to_the_call_that_made_them(engine):
    text = '''from neurogebra import Expression, MathForge
act = Expression("act", "x*sigmoid(x)")
act_grad = act.gradient("x")
print(act_grad.eval(x=1))
g = MathForge().get("gelu")
same = act
'''
    analysis = analyze(engine, text)
    uses = {(r.name, text_at(text, r.span), r.is_definition, text_at(text, r.target))
            for s in analysis.statements for r in s.references if r.target is not None}
    assert uses == {("act", "act", True, '"x*sigmoid(x)"'), ("act", "act", False, '"x*sigmoid(x)"'),
                    ("same", "same", True, '"x*sigmoid(x)"'),
                    ("act_grad", "act_grad", True, 'gradient("x")'), ("act_grad", "act_grad", False, 'gradient("x")'),
                    ("g", "g", True, '"gelu"')}
    [gradient] = of_kind(analysis, StatementKind.GRADIENT)
    [evaluation] = of_kind(analysis, StatementKind.EVAL_CALL)
    assert gradient.label == "act_grad(x)" and gradient.formula.plain.startswith("x*exp(-x)")
    assert text_at(text, evaluation.span) == "eval(x=1)" and evaluation.value.plain.startswith("0.9276")


def test_a_keyword_or_a_definition_of_the_same_name_is_not_a_use(engine):
    text = '''from neurogebra import Expression
act = Expression("act", "x**2")
def train(act):
    return dict(act=1)
'''
    analysis = analyze(engine, text)
    assert [text_at(text, r.span) for s in analysis.statements for r in s.references if r.target] == ["act"]


def test_an_eval_call_of_values_known_only_at_run_time_still_has_its_signature(engine):
    text = '''from neurogebra import Expression
f = Expression("f", "alpha*x**2", params={"alpha": 0.5})
f.eval(x=a)
f.eval(a, b)
f.eval(z=a)
f.eval(alpha=a)
f.eval(**kw)
'''
    calls = of_kind(analyze(engine, text), StatementKind.EVAL_CALL)
    assert [c.params for c in calls] == [("x", "alpha=0.5")] * 5
    assert [c.value for c in calls] == [None] * 5
    assert [[d.code for d in c.diagnostics] for c in calls] == [
        [], [Code.WRONG_ARGUMENT_COUNT], [Code.UNDEFINED_NAME], [Code.MISSING_VARIABLES], []]


def test_an_eval_call_being_typed_has_its_signature_too(engine):
    text = ('from neurogebra import Expression\nf = Expression("f", "x*y")\nprint(f.eval(x=))\n'
            'z = f.gradient("x").eval(\n')
    analysis = analyze(engine, text)
    assert [(text_at(text, c.span), c.params) for c in of_kind(analysis, StatementKind.EVAL_CALL)] == [
        ("eval(x=)", ("x", "y")), ("eval(", ("x", "y"))]
    uses = [text_at(text, r.span) for s in analysis.statements for r in s.references
            if r.target and not r.is_definition]
    assert uses == ["f", "f"]


def test_catalog_entries_keep_their_parameters_defaults(engine):
    text = '''from neurogebra import MathForge
leaky = MathForge().get("leaky_relu")
print(leaky.eval(x=-1), leaky.gradient("x").eval(x=-1))
'''
    analysis = analyze(engine, text)
    assert [c.value.plain for c in of_kind(analysis, StatementKind.EVAL_CALL)] == ["-0.01", "0.01"]
    assert [c.params for c in of_kind(analysis, StatementKind.EVAL_CALL)][0] == ("x", "alpha=0.01")
    assert of_kind(analysis, StatementKind.GRADIENT)[0].variables == ("x",)


def test_names_in_formula_strings_are_catalog_math_or_variables_at_their_exact_place(engine):
    text = ('from neurogebra import Expression, MathForge\n'
            'f = Expression("f", "sigmoid(x) + \\u0065xp(y) + pi")\n'
            'loss = MathForge().compose("bce + 0.1*mae")\n')
    references = [(r.name, text_at(text, r.span), r.kind) for s in analyze(engine, text).statements
                  for r in s.references if r.target is None]
    assert references == [
        ("sigmoid", "sigmoid", ReferenceKind.CATALOG), ("x", "x", ReferenceKind.VARIABLE),
        ("exp", "\\u0065xp", ReferenceKind.MATH), ("y", "y", ReferenceKind.VARIABLE), ("pi", "pi", ReferenceKind.MATH),
        ("bce", "bce", ReferenceKind.CATALOG), ("mae", "mae", ReferenceKind.CATALOG)]


def test_inserted_derivatives_never_use_the_function_itself(engine):
    text = 'from neurogebra import Expression\nnll = Expression("nll", "-log(p)")\n'
    [fix] = [f for s in analyze(engine, text).statements for f in s.fixes if f.title == "Insert derivative d/dp"]
    assert fix.edits[0].new_text.endswith('nll_dp = Expression("d(nll)/dp", "-1/p")')


# ---------------------------------------------------------------------------------------------- quick fixes
def fixed_by(text, fix):
    for edit in sorted(fix.edits, key=lambda e: e.span.start, reverse=True):
        text = text[:edit.span.start] + edit.new_text + text[edit.span.end:]
    return text


@pytest.mark.parametrize("line, after", [
    ('f = Expression("f", "sigmod(x)")', 'f = Expression("f", "sigmoid(x)")'),
    ("f = Expression('f', r'x**2 + 3x')", "f = Expression('f', r'x**2 + 3*x')"),
    ('f = Expression("f", """x y""")', 'f = Expression("f", """x*y""")'),
    ('f = MathForge().compose("mse + 0.1*maee")', 'f = MathForge().compose("mse + 0.1*mae")'),
    ('f = MathForge().get("sigmod")', 'f = MathForge().get("sigmoid")'),
    ('f = Expression("f", "x**2").gradient("xx")', 'f = Expression("f", "x**2").gradient("x")'),
])
def test_did_you_mean_becomes_a_quick_fix_of_the_string_content(engine, line, after):
    text = f"from neurogebra import Expression, MathForge\n{line}\n"
    analysis = analyze(engine, text)
    [error] = [d for d in analysis.diagnostics if d.severity == Severity.ERROR]
    [fix] = [f for s in analysis.statements for f in s.fixes if f.kind == "quickfix"]
    assert fix.code == error.code and fix.preferred and fix.title.startswith("Replace with ")
    assert fixed_by(text, fix) == f"from neurogebra import Expression, MathForge\n{after}\n"
    assert not [d for d in analyze(engine, fixed_by(text, fix)).diagnostics if d.severity == Severity.ERROR]


@pytest.mark.parametrize("line", [
    'f = Expression("f", "sigmod(x)\\n")',           # an escape elsewhere in the string
    'f = Expression("f", "sig" "mod(x)")',           # concatenation
    'f = Expression("f", "2(x + 1)")',                # the hint only gestures at the answer
    'f = MathForge().get("sigmo\\x64")',
])
def test_no_quick_fix_where_an_edit_could_change_something_else(engine, line):
    text = f"from neurogebra import Expression, MathForge\n{line}\n"
    analysis = analyze(engine, text)
    assert [d.severity for d in analysis.diagnostics] == [Severity.ERROR]
    assert [f for s in analysis.statements for f in s.fixes if f.kind == "quickfix"] == []


# ---------------------------------------------------------------------------------------------- domains
def notes(analysis):
    return [d.message for d in analysis.diagnostics if d.severity == Severity.INFORMATION]


POLES = Settings(time_budget_ms=20_000, poles=True)


@pytest.mark.parametrize("text", [
    'from neurogebra import Expression\n# neurogebra: domain p in (0, 1)\nnll = Expression("nll", "-log(p)")\n',
    'from neurogebra import Expression\nnll = Expression("nll", "-log(p)")  # neurogebra: domain p in (0, 1]\n',
    'from neurogebra import Expression\n# neurogebra: domain p, q in (0, 1)\n# training loss\n'
    'nll = Expression(\n    "nll",\n    "-log(p) - log(q)")\n',
    'from neurogebra import MathForge\nnll = MathForge().get("binary_crossentropy")\n',
    'from neurogebra import MathForge\nnll = MathForge().compose("bce + 0.1*mse")\n',
    'from neurogebra import Expression\nnll = Expression("nll", "focal(p, t) + binary_crossentropy(p, t)")\n',
])
def test_comments_and_catalog_domains_keep_poles_outside_the_domain(engine, text):
    analysis = engine.analyze(text, "python", POLES)
    assert [d for d in analysis.diagnostics if d.severity == Severity.ERROR] == []
    assert not [message for message in notes(analysis) if "not finite" in message]


def test_a_gradient_keeps_the_domain_of_its_expression(engine):
    text = ('from neurogebra import Expression\n# neurogebra: domain p in (0, 1)\nnll = Expression("nll", "-log(p)")\n'
            'slope = nll.gradient("p")\n')
    assert notes(engine.analyze(text, "python", POLES)) == []


def test_poles_are_reported_only_when_asked_for_and_kinks_always(engine):
    text = 'from neurogebra import Expression\nnll = Expression("nll", "-log(p)")\nr = Expression("r", "relu(x)")\n'
    [kink] = notes(analyze(engine, text))
    assert "not differentiable at x = 0" in kink
    shown = notes(engine.analyze(text, "python", POLES))
    assert len(shown) == 2 and "-log(p) is not finite at or next to p = 0" in shown[0]


@pytest.mark.parametrize("comment, wrong, message", [
    ("# neurogebra: domian p in (0, 1)", "domian", "unknown neurogebra comment 'domian'"),
    ("# neurogebra: domain p (0, 1)", "domain p (0, 1)", "expected 'in'"),
    ("# neurogebra: domain p in (1, 0)", "(1, 0)", "empty interval"),
    ("# neurogebra: domain p in (0, one)", "one", "'one' is not a number"),
    ("# neurogebra: domain 2p in (0, 1)", "2p", "expected variable names before 'in'"),
    ("# neurogebra:", ":", "empty neurogebra comment"),
])
def test_a_malformed_domain_comment_is_an_error_at_its_exact_range(engine, comment, wrong, message):
    text = f'from neurogebra import Expression\n{comment}\nnll = Expression("nll", "-log(p)")\n'
    [error] = [d for d in analyze(engine, text).diagnostics if d.severity == Severity.ERROR]
    assert text_at(text, error.span) == wrong and message in error.message


def test_a_domain_comment_inside_a_string_is_not_a_comment(engine):
    text = ('from neurogebra import Expression\nnote = "# neurogebra: domian p in (0, 1)"\n'
            'nll = Expression("nll", "-log(p)")  # neurogebra: domain p in (0, 1)\n')
    analysis = engine.analyze(text, "python", POLES)
    assert analysis.diagnostics == [] and len(of_kind(analysis, StatementKind.DOMAIN)) == 1


def test_a_domain_comment_applies_to_its_statement_only(engine):
    text = ('from neurogebra import Expression\n# neurogebra: domain p in (0, 1)\na = Expression("a", "-log(p)")\n'
            'b = Expression("b", "-log(p)")\n')
    analysis = engine.analyze(text, "python", POLES)
    assert [bool(s.diagnostics) for s in of_kind(analysis, StatementKind.FORMULA)] == [False, True]


# ---------------------------------------------------------------------------------------------- catalog documents
def test_every_catalog_entry_is_a_read_only_ngb_file_our_analysis_accepts(engine, tmp_path):
    for name in ENTRIES:
        document = catalog_document(name, tmp_path)
        assert document.path == tmp_path / f"{name}.ngb" and document.path.read_text() == document.text
        assert stat.S_IMODE(document.path.stat().st_mode) == 0o444
        assert text_at(document.text, document.name_span) == name
        analysis = engine.analyze(document.text, "ngb", SETTINGS, detail=False)
        assert [d.message for d in analysis.diagnostics if d.severity == Severity.ERROR] == [], name
        domains = [parse_statement(s.text) for s in analysis.statements if s.kind == StatementKind.DOMAIN]
        assert {d.domain_names[0].name: d.domain for d in domains} == ENTRIES[name].domain
        assert len(domains) == len(ENTRIES[name].domain)


def test_a_catalog_document_says_what_the_entry_is(tmp_path):
    text = catalog_document("gelu_approx", tmp_path).text  # an alias: its entry's file
    lines = text.splitlines()
    assert lines[0].startswith("# gelu_tanh: activation") and "GPT-2" in lines[1]
    assert lines[-1] == "gelu_tanh(x) = x/2*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x^3)))"
    focal = catalog_document("focal", tmp_path).text
    assert "@domain y_pred in (0, 1)\n" in focal and "with alpha = 0.25, gamma = 2\n" in focal
    assert catalog_document("tanh", tmp_path).text.endswith("\ntanh(x)\n")  # tanh(x) = tanh(x) would be cyclic
    assert catalog_document("no_such_entry", tmp_path) is None


def test_a_catalog_document_is_written_once_and_again_when_its_text_changes(tmp_path):
    path = catalog_document("relu", tmp_path).path
    written = path.stat().st_mtime_ns
    catalog_document("relu", tmp_path)
    assert path.stat().st_mtime_ns == written
    os.chmod(path, 0o644)
    path.write_text("# an older version\n")
    os.chmod(path, 0o444)
    assert catalog_document("relu", tmp_path).path.read_text().startswith("# relu: activation")


def test_catalog_documents_go_to_the_xdg_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_folder() == tmp_path / "neurogebra" / "catalog"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_folder() == tmp_path / ".cache" / "neurogebra" / "catalog"
