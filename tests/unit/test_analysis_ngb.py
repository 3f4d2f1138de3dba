"""Analysis of .ngb documents: claims and their verdicts, evaluations, semantic errors, ranges, incrementality."""
from __future__ import annotations

from dataclasses import replace

import pytest

from neurogebra.analysis import Code, Engine, Settings, Severity, StatementKind
from neurogebra.parsing import parse_formula

SETTINGS = Settings(time_budget_ms=20_000)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def analyze(engine: Engine, text: str, settings: Settings = SETTINGS):
    return engine.analyze(text, "ngb", settings)


def diagnostics(analysis, code: Code | None = None):
    return [d for d in analysis.diagnostics if code is None or d.code == code]


def covered(analysis, diagnostic) -> str:
    return analysis.text[diagnostic.span.start:diagnostic.span.end]


def test_right_claims_and_evaluations(engine):
    text = ("f(x) = x**2 + 3*x + 2\nf'(x) = 2*x + 3\nf''(x) = 2\nf'(0)\nf'(x)\n"
            "g(x, y) = x**2*y + x*y**2\n∂g/∂x = 2*x*y + y**2\nd/dy g(x, y) = x**2 + 2*x*y\ng(1, 2)\nmse(7, 5)\n")
    analysis = analyze(engine, text)
    assert [d for d in analysis.diagnostics if d.severity <= Severity.WARNING] == []
    values = {s.text: s.value.plain for s in analysis.statements if s.kind == StatementKind.EVALUATION}
    assert values == {"f'(0)": "3", "f'(x)": "2*x + 3", "g(1, 2)": "6", "mse(7, 5)": "4"}
    definition = analysis.statements[0]
    assert [(d.label, d.formula.plain) for d in definition.derivatives] == [
        ("f'(x)", "2*x + 3"), ("f''(x)", "2"), ("f'''(x)", "0")]


def test_prime_notation_takes_the_kink_convention_like_every_other_derivative(engine):
    text = "r(x) = relu(x)\nr'(0)\nrelu'(0)\ns(x) = r'(x) + 1\ns(0)\nd/dx relu(x)\n"
    analysis = analyze(engine, text)
    values = {s.text: s.value.plain for s in analysis.statements if s.value is not None}
    assert values == {"r'(0)": "0", "relu'(0)": "0", "s(0)": "1", "d/dx relu(x)": "Heaviside(x, 0)"}


def test_wrong_claim_is_an_error_on_the_right_side_with_point_and_truth(engine):
    text = "f(x) = x**2 + 3*x + 2\nf'(x) = 2*x + 5\n"
    analysis = analyze(engine, text)
    [error] = diagnostics(analysis, Code.GRADIENT_MISMATCH)
    assert error.severity == Severity.ERROR
    assert covered(analysis, error) == "2*x + 5"
    assert "2*x + 3" in error.message and "x = " in error.message
    assert error.related and analysis.text[error.related[0].span.start:error.related[0].span.end] == "f"
    [fix] = [f for f in analysis.statements[1].fixes if f.code == Code.GRADIENT_MISMATCH]
    edit = fix.edits[0]
    fixed = text[:edit.span.start] + edit.new_text + text[edit.span.end:]
    assert fixed == "f(x) = x**2 + 3*x + 2\nf'(x) = 2*x + 3\n"
    assert diagnostics(analyze(engine, fixed), Code.GRADIENT_MISMATCH) == []
    [check] = analysis.statements[1].checks
    assert check.message == f"{check.finding} (d/dx = 2*x + 3)" and "d/dx" not in check.finding


def test_a_small_difference_is_still_wrong(engine):
    analysis = analyze(engine, "f(x) = x**2 + 0.001*x\nf'(x) = 2*x\n")
    assert [d.severity for d in diagnostics(analysis, Code.GRADIENT_MISMATCH)] == [Severity.ERROR]


def test_right_but_unstable_claim_is_a_warning_with_the_stable_form(engine):
    text = "s(x) = 1/(1 + exp(-x))\ns'(x) = exp(-x)/(1 + exp(-x))**2\n"
    analysis = analyze(engine, text)
    assert diagnostics(analysis, Code.GRADIENT_MISMATCH) == []
    [warning] = diagnostics(analysis, Code.UNSTABLE_FORM)
    assert warning.severity == Severity.WARNING and covered(analysis, warning) == "exp(-x)/(1 + exp(-x))**2"
    [fix] = [f for f in analysis.statements[1].fixes if f.code == Code.UNSTABLE_FORM]
    fixed = text[:fix.edits[0].span.start] + fix.edits[0].new_text + text[fix.edits[0].span.end:]
    after = analyze(engine, fixed)
    assert [d for d in after.diagnostics if d.severity <= Severity.WARNING] == []


def test_right_except_at_a_kink_is_no_error_and_no_warning(engine):
    analysis = analyze(engine, "r(x) = Max(0, x)\nr'(x) = Heaviside(x)\n")
    assert [d for d in analysis.diagnostics if d.severity <= Severity.WARNING] == []


def test_a_kink_is_noted_even_where_the_derivative_is_also_unstable(engine):
    analysis = analyze(engine, "f(x) = abs(x) + x*exp(x)/(1 + exp(x))\n")
    assert analysis.statements[0].checks[0].verdict == "unstable"  # the derivative's worse verdict
    [note] = diagnostics(analysis, Code.NON_DIFFERENTIABLE)
    assert note.severity == Severity.INFORMATION and "not differentiable at x = 0" in note.message


def test_unstable_function_definition_gets_the_stable_form(engine):
    text = "sp(x) = log(1 + exp(x))\n"
    analysis = analyze(engine, text)
    [warning] = diagnostics(analysis, Code.UNSTABLE_FORM)
    assert covered(analysis, warning) == "log(1 + exp(x))"
    [fix] = analysis.statements[0].fixes[:1]
    assert parse_formula(fix.edits[0].new_text) == parse_formula("softplus(x)")  # stable, with derivative sigmoid


def test_derived_results_use_the_stable_or_self_form(engine):
    analysis = analyze(engine, "s(x) = 1/(1 + exp(-x))\nt(x) = tanh(x)\n")
    sigmoid, tanh = analysis.statements
    assert sigmoid.derivatives[0].self_form.plain in ("(1 - s(x))*s(x)", "s(x)*(1 - s(x))", "-(s(x) - 1)*s(x)")
    assert tanh.derivatives[0].self_form.plain in ("1 - t(x)**2",)
    [insert] = [f for f in sigmoid.fixes if f.title == "Insert derivative d/dx"]
    inserted = insert.edits[0].new_text.strip()
    assert inserted.startswith("s'(x) = ") and "s(x)" in inserted


def test_domains_apply_to_the_lines_below(engine):
    text = "@domain p in (0, 1)\nb(p) = -log(p)\nb'(p) = -1/p\n"
    assert [d for d in analyze(engine, text).diagnostics if d.severity <= Severity.WARNING] == []


@pytest.mark.parametrize("text, code, fragment", [
    ("h(x) = sigmod(x)\n", Code.UNDEFINED_NAME, "sigmod"),
    ("h(x) = x + yy\n", Code.UNDEFINED_NAME, "yy"),
    ("f(x) = x\nk(x) = f(x, 1)\n", Code.WRONG_ARGUMENT_COUNT, "f(x, 1)"),
    ("f(x) = x\nf(y) = y\n", Code.DUPLICATE_DEFINITION, "f"),
    ("a(x) = b(x)\nb(x) = a(x)\n", Code.CYCLIC_DEFINITION, "a"),
    ("q'(x) = 1\n", Code.UNDEFINED_FUNCTION_DERIVATIVE, "q"),
    ("f(x) = 1/x\nf(0)\n", Code.EVALUATION_ERROR, "f(0)"),
])
def test_semantic_errors_have_ranges(engine, text, code, fragment):
    analysis = analyze(engine, text)
    found = diagnostics(analysis, code)
    assert found, analysis.diagnostics
    assert covered(analysis, found[0]) == fragment


def test_did_you_mean_for_document_names(engine):
    analysis = analyze(engine, "learning_rate = 0.1\nf(x) = learning_rat*x\n")
    [error] = diagnostics(analysis, Code.UNDEFINED_NAME)
    assert "did you mean learning_rate?" in error.message


def test_one_bad_line_costs_one_diagnostic(engine):
    hostile = ["9**9**9**9", "(" * 3000 + "x" + ")" * 3000, "x" * (1 << 20), "__import__('os').system('x')",
               "f(x) = x\x00"]
    text = "f(x) = x**2\n" + "\n".join(hostile) + "\nf'(3)\n"
    analysis = analyze(engine, text)
    assert [s.value.plain for s in analysis.statements if s.text == "f'(3)"] == ["6"]
    assert len([d for d in analysis.diagnostics if d.severity == Severity.ERROR]) == len(hostile)
    assert all(0 <= d.span.start <= d.span.end <= len(text) for d in analysis.diagnostics)


def test_too_complex_statements_are_reported_and_the_rest_is_analyzed(engine):
    heavy = "h(x) = " + "exp(" * 40 + "x" + ")" * 40 + " * " + "sin(" * 40 + "x" + ")" * 40
    text = f"{heavy}\nf(x) = x**2\nf'(2)\n"
    analysis = analyze(engine, text, Settings(time_budget_ms=1000))  # h never finishes; f does, even on a busy machine
    assert Code.TOO_COMPLEX in {d.code for d in analysis.diagnostics}
    assert [s.value.plain for s in analysis.statements if s.text == "f'(2)"] == ["4"]


def test_ranges_on_lines_with_non_ascii_and_astral_characters(engine):
    text = "σ(𝑥) = 𝑥**2  # σ\nσ'(𝑥) = 3*𝑥\n"
    analysis = analyze(engine, text)
    [error] = diagnostics(analysis, Code.GRADIENT_MISMATCH)
    assert covered(analysis, error) == "3*𝑥"


def test_an_edit_reanalyzes_only_what_depends_on_it():
    engine = Engine()
    lines = [f"f{i}(x) = x**2 + {i}*x\nf{i}'(x) = 2*x + {i}" for i in range(40)]
    text = "\n".join(lines) + "\n"
    first = analyze(engine, text)
    assert first.reused == 0
    edited = text.replace("f7(x) = x**2 + 7*x", "f7(x) = x**2 + 8*x")
    second = analyze(engine, edited)
    total = len(second.statements)
    assert second.reused == total - 2  # the definition and the claim that depends on it
    assert [d.code for d in second.diagnostics if d.severity == Severity.ERROR] == [Code.GRADIENT_MISMATCH]
    moved = "# a new first line\n" + edited
    third = analyze(engine, moved)
    assert third.reused == total
    assert [analysis_span(third, d) for d in third.diagnostics if d.severity == Severity.ERROR] == ["2*x + 7"]


def analysis_span(analysis, diagnostic) -> str:
    return analysis.text[diagnostic.span.start:diagnostic.span.end]


def test_references_link_uses_to_definitions(engine):
    text = "f(x) = x**2\nh(x) = f(x) + 1\nf'(2)\n"
    analysis = analyze(engine, text)
    uses = [r for s in analysis.statements for r in s.references if r.name == "f"]
    assert len(uses) == 3
    assert all(text[r.target.start:r.target.end] == "f" and r.target.start == 0 for r in uses)
    assert [r.is_definition for r in uses] == [True, False, False]


def test_the_fast_pass_has_every_diagnostic_and_the_detailed_pass_adds_hover_details():
    engine = Engine()
    text = "s(x) = 1/(1 + exp(-x))\ns'(x) = exp(-x)/(1 + exp(-x))**2\nf(x) = x**3\nf'(x) = 2*x\nf'(2)\n"
    fast = engine.analyze(text, "ngb", SETTINGS, detail=False)
    full = engine.analyze(text, "ngb", SETTINGS)
    assert [(d.code, d.span) for d in fast.diagnostics] == [(d.code, d.span) for d in full.diagnostics]
    assert [s.value for s in fast.statements] == [s.value for s in full.statements]
    assert [len(s.derivatives) for s in fast.statements] == [1, 1, 1, 1, 0]
    assert [len(s.derivatives) for s in full.statements] == [3, 1, 3, 1, 0]
    assert fast.statements[0].derivatives[0].self_form is None
    assert full.statements[0].derivatives[0].self_form is not None
    assert (fast.reused, full.reused) == (0, 0)  # a fast outcome does not serve the detailed pass
    assert fast.statements[0].formula.latex == ""  # diagnostics need no reading forms
    assert full.statements[0].formula.unicode == "1/(1 + exp(−x))"
    assert full.statements[0].formula.latex == r"\frac{1}{1 + e^{- x}}"


def test_one_cached_outcome_per_statement_serves_both_passes():
    engine = Engine()
    text = "f(x) = x**3\nf'(x) = 3*x**2\nf'(2)\n"
    full = engine.analyze(text, "ngb", SETTINGS)
    fast = engine.analyze(text, "ngb", SETTINGS, detail=False)
    assert fast.reused == len(full.statements) == len(engine.cache)
    assert [len(s.derivatives) for s in fast.statements] == [3, 1, 0]  # the detailed outcomes, reused


def test_rich_settings_plot_every_function_and_never_fail_the_document(engine):
    text = "s(x) = 1/(1 + exp(-x))\ns'(x) = s(x)*(1 - s(x))\nr(x) = Max(0, x)\n"
    analysis = analyze(engine, text, Settings(time_budget_ms=20_000, plots=True))
    sigmoid = analysis.statements[0]
    assert sigmoid.derivatives[0].self_form is not None
    assert sigmoid.plot.startswith("<svg") and "<path" in sigmoid.plot
    assert [d for d in analysis.diagnostics if d.severity <= Severity.WARNING] == []


def test_only_lsp_line_breaks_split_statements(engine):
    text = "f(x) = x\x0c + 1\rh(x) = 1\r\nf'(2)\u2028\n"
    analysis = analyze(engine, text)
    assert [s.text for s in analysis.statements] == ["f(x) = x\x0c + 1", "h(x) = 1", "f'(2)"]
    [insert] = [f for f in analysis.statements[0].fixes if f.title == "Insert derivative d/dx"]
    assert insert.edits[0].span.start == text.index("\r")


def test_completion_offers_each_name_once_with_the_variables_of_the_statement_at_hand(engine):
    from neurogebra.analysis import completion_items

    text = "f(x) = x**2\nlr = 0.1\ng(y, z) = y*z + si\n"
    analysis = analyze(engine, text)
    items = completion_items(analysis, text.index("si") + 2, "si")
    labels = [item.label for item in items]
    assert len(labels) == len(set(labels))  # tanh is a catalog entry and a math function: offered once
    assert {"f", "lr", "y", "z", "sigmoid", "exp", "tanh"} <= set(labels)
    assert "x" not in labels  # f's variable, not g's
    assert "si" not in labels  # the word being typed
    [y] = [item for item in items if item.label == "y"]
    assert y.detail == "a variable of g"  # g(y, z) has an error while `si` is being typed: no label yet


def test_a_hint_with_the_answer_is_a_quick_fix_and_poles_are_noted_only_when_asked(engine):
    text = "f(x) = sigmod(x)\ng(x) = 2x + 1\nsigmod'(x) = 1\nfocal(p) = -(1 - p)**2*log(p)\n"
    analysis = analyze(engine, text)
    fixes = [(fix.title, fix.edits[0].new_text, text[fix.edits[0].span.start:fix.edits[0].span.end])
             for s in analysis.statements for fix in s.fixes if fix.kind == "quickfix"]
    assert fixes == [("Replace with sigmoid", "sigmoid", "sigmod"), ("Replace with 2*x", "2*x", "2x"),
                     ("Replace with sigmoid", "sigmoid", "sigmod")]
    assert analysis.statements[3].diagnostics == ()  # log(p) at p = 0: a pole, not a problem
    noted = engine.analyze(text, "ngb", replace(SETTINGS, poles=True)).statements[3].diagnostics
    assert [d.code for d in noted] == [Code.NON_DIFFERENTIABLE] and "not finite" in noted[0].message
    assert noted[0].pole


def test_a_kink_is_not_a_pole_and_is_noted_whatever_the_setting(engine):
    [note] = analyze(engine, "r(x) = relu(x)\n").diagnostics
    assert note.code == Code.NON_DIFFERENTIABLE and not note.pole and "not differentiable at x = 0" in note.message


@pytest.mark.parametrize("line, bad", [("@domain x [0, 1]", "@domain x [0, 1]"), ("@domain x in [1, 0]", "[1, 0]"),
                                       ("@domain x in [0, one]", "one"), ("@domain 1x in [0, 1]", "1x")])
def test_a_malformed_domain_is_an_invalid_domain_error_where_it_cannot_be_read(engine, line, bad):
    [error] = analyze(engine, line + "\n").diagnostics
    assert error.code == Code.INVALID_DOMAIN and line[error.span.start:error.span.end] == bad


def test_a_parameter_named_i_is_a_variable_and_an_undeclared_one_an_undefined_name():
    analysis = Engine().analyze("f(x, I) = x*I\ng(x) = x*I\n", "ngb", Settings())
    declared, undeclared = analysis.statements
    assert declared.diagnostics == ()
    assert [d.code for d in undeclared.diagnostics] == [Code.UNDEFINED_NAME]
