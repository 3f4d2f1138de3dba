"""Feature formatting on hand-made analyses: hover text, inlay hints, code action edits, lookups, semantic tokens,
signature-help scanning. (The same features over the wire, on real analyses: tests/e2e.)"""
from __future__ import annotations

import base64
from dataclasses import replace

from lsprotocol import types

from neurogebra.analysis import Engine
from neurogebra.analysis.model import (
    Check,
    Code,
    Derivative,
    Diagnostic,
    DocumentAnalysis,
    Edit,
    Fix,
    Reference,
    ReferenceKind,
    Related,
    Rendered,
    Severity,
    Span,
    Statement,
    StatementKind,
)
from neurogebra.verdict import Verdict
from neurogebra_lsp.documents import Snapshot
from neurogebra_lsp.features.code_actions import action, wanted
from neurogebra_lsp.features.diagnostics import to_lsp
from neurogebra_lsp.features.hover import MAX_HOVER_CHARS, HoverText, hover_text, latex_label, markdown, plaintext
from neurogebra_lsp.features.inlay_hints import evaluations, hint
from neurogebra_lsp.features.lookup import references_to
from neurogebra_lsp.features.semantic_tokens import encode, tokens
from neurogebra_lsp.features.signature_help import open_call
from neurogebra_lsp.positions import UTF8, UTF16

TEXT = "# demo\nf(x) = x**2\nf'(x) = 2*x + 1\nf'(0)\n"
F = Span(7, 8)  # the name f in its definition


def rendered(text: str) -> Rendered:
    return Rendered(plain=text, unicode=text.replace("**2", "²").replace("*", "·").replace("-", "−"),
                    latex=text.replace("**", "^").replace("*", " "))


DEFINITION = Statement(
    StatementKind.FUNCTION, Span(7, 18), "f(x) = x**2", name="f", name_span=F, params=("x",),
    formula_span=Span(14, 18), label="f(x)", formula=rendered("x**2"),
    derivatives=(Derivative("x", 1, "f'(x)", rendered("2*x")), Derivative("x", 2, "f''(x)", rendered("2"))),
    checks=(Check("x", Verdict.OK, "agrees at 100 points", "agrees at 100 points"),),
    references=(Reference("f", F, ReferenceKind.FUNCTION, True, F), Reference("x", Span(9, 10), ReferenceKind.PARAMETER,
                                                                                True, Span(9, 10)),
                Reference("x", Span(14, 15), ReferenceKind.PARAMETER, False, Span(9, 10))),
    fixes=(Fix("Insert derivative d/dx", (Edit(Span(18, 18), "\nf'(x) = 2*x"),), "refactor"),),
    plot="<svg xmlns='http://www.w3.org/2000/svg'/>")
MISMATCH = Diagnostic(Span(27, 34), Severity.ERROR, Code.GRADIENT_MISMATCH, "wrong: 2*x + 1 is not 2*x",
                      (Related(F, "f is defined here"),))
CLAIM = Statement(
    StatementKind.CLAIM, Span(19, 34), "f'(x) = 2*x + 1", name="f", name_span=Span(19, 20), formula_span=Span(27, 34),
    label="f'(x)", formula=rendered("2*x + 1"), derivatives=(Derivative("x", 1, "f'(x)", rendered("2*x")),),
    checks=(Check("x", Verdict.MISMATCH, "wrong: 2*x + 1 is not 2*x", "wrong: 2*x + 1 is not 2*x"),),
    diagnostics=(MISMATCH,),
    references=(Reference("f", Span(19, 20), ReferenceKind.FUNCTION, False, F),),
    fixes=(Fix("Replace with the correct derivative", (Edit(Span(27, 34), "2*x"),), "quickfix",
               Code.GRADIENT_MISMATCH, True),))
EVALUATION = Statement(
    StatementKind.EVALUATION, Span(35, 40), "f'(0)", formula_span=Span(35, 40), label="f'(0)", formula=rendered("0"),
    value=rendered("0"), references=(Reference("f", Span(35, 36), ReferenceKind.FUNCTION, False, F),))
ANALYSIS = DocumentAnalysis("ngb", TEXT, (DEFINITION, CLAIM, EVALUATION))


def snapshot(encoding: str = UTF16) -> Snapshot:
    return Snapshot.of("file:///demo.ngb", 4, "ngb", TEXT, encoding)


def test_hover_on_a_parameter_shows_the_statement_around_it():
    text, span = hover_text(ANALYSIS, TEXT.index("x**2"))
    assert span == DEFINITION.span
    assert markdown(text, rich=False) == "```text\nf(x) = x²\nf′(x) = 2·x\nf″(x) = 2\n```"  # one line each
    assert "agrees" not in plaintext(text)  # a definition's ✓ on its own derivative says nothing


def test_a_client_that_typesets_gets_latex_aligned_in_one_math_block():
    text, _ = hover_text(ANALYSIS, TEXT.index("x**2"))
    assert markdown(text, rich=False, typeset=True) == (
        "```math\n\\begin{aligned}\nf\\left(x\\right) &= x^2 \\\\\nf'\\left(x\\right) &= 2 x \\\\\n"
        "f''\\left(x\\right) &= 2\n\\end{aligned}\n```")


def test_hover_on_the_subject_of_a_claim_shows_the_claim():
    text, span = hover_text(ANALYSIS, 19)
    assert span == CLAIM.span
    assert plaintext(text).splitlines()[:4] == ["✗ wrong: 2*x + 1 is not 2*x", "", "f′(x) = 2·x + 1   (claimed)",
                                                "f′(x) = 2·x"]  # the verdict first
    assert markdown(text, rich=False).startswith("✗ wrong: 2\\*x + 1 is not 2\\*x")  # markdown specials escaped
    assert "y_pred" in markdown(HoverText((), ("⚠ y_pred and y_true",)), rich=False)  # but not inside a word


def test_a_long_formula_is_shortened_with_the_whole_of_it_below_or_folded():
    long = replace(DEFINITION, derivatives=(Derivative("x", 1, "f'(x)", rendered("x + " * 100 + "1")),))
    text, _ = hover_text(DocumentAnalysis("ngb", TEXT, (long,)), 8)
    lines = plaintext(text).splitlines()
    assert lines[1].endswith("… (in full below)") and len(lines[1]) < 170 and lines[-1].endswith("x + 1")
    typeset = markdown(text, rich=False, typeset=True)
    assert typeset.count("<details><summary>f′(x) = x + x") == 1 and typeset.count("```math") == 2
    higher = replace(long, derivatives=(Derivative("x", 2, "f''(x)", rendered("x + " * 100 + "1")),))
    lines = plaintext(hover_text(DocumentAnalysis("ngb", TEXT, (higher,)), 8)[0]).splitlines()
    assert len(lines) == 2 and lines[1].endswith("x + …")  # a higher derivative: no full text in the list


def test_a_claims_verdict_does_not_restate_the_derivative_shown_below_it():
    checked = replace(CLAIM, checks=(Check("x", Verdict.MISMATCH, "wrong at x = 1 (d/dx = 2*x)", "wrong at x = 1"),))
    text, _ = hover_text(DocumentAnalysis("ngb", TEXT, (DEFINITION, checked, EVALUATION)), 19)
    assert plaintext(text).splitlines()[0] == "✗ wrong at x = 1"


def test_hover_on_an_evaluation_and_on_a_use_of_a_name_and_nothing_on_a_comment():
    text, span = hover_text(ANALYSIS, TEXT.index("0)"))
    assert span == EVALUATION.span and plaintext(text) == "f′(0) = 0"
    body = Statement(StatementKind.FUNCTION, Span(41, 52), "g(x) = f(x)", name="g", name_span=Span(41, 42),
                     references=(Reference("f", Span(48, 49), ReferenceKind.FUNCTION, False, F),))
    text, span = hover_text(DocumentAnalysis("ngb", TEXT + "g(x) = f(x)\n", (*ANALYSIS.statements, body)), 48)
    assert span == Span(48, 49) and plaintext(text).startswith("f(x) = x²\n")  # f's definition, at the use of f
    assert hover_text(ANALYSIS, 2) is None


def test_rich_hover_adds_the_plot_as_a_data_image_within_the_size_limit():
    text, _ = hover_text(ANALYSIS, 8)
    rich = markdown(text, rich=True)
    encoded = base64.b64encode(DEFINITION.plot.encode()).decode()
    assert rich.endswith(f"```\n\n![f(x)](data:image/svg+xml;base64,{encoded})")  # after the formulas
    huge = hover_text(DocumentAnalysis("ngb", TEXT, (replace(DEFINITION, plot="x" * 200_000),)), 8)
    assert "data:image" not in markdown(huge[0], rich=True)
    assert len(markdown(huge[0], rich=True)) <= MAX_HOVER_CHARS


def test_diagnostics_map_severity_code_and_related_information():
    lsp = to_lsp(snapshot(), MISMATCH)
    assert lsp.severity == types.DiagnosticSeverity.Error and lsp.code == "gradient-mismatch"
    assert lsp.source == "neurogebra"
    assert lsp.range == types.Range(start=types.Position(line=2, character=8), end=types.Position(line=2, character=15))
    assert lsp.related_information[0].location.range.start == types.Position(line=1, character=0)


def test_inlay_hints_for_evaluations_within_a_range():
    assert evaluations(ANALYSIS) == [EVALUATION]
    assert evaluations(ANALYSIS, Span(0, 30)) == []
    made = hint(snapshot(), EVALUATION)
    assert made.label == "= 0" and made.position == types.Position(line=3, character=5)
    long = replace(EVALUATION, value=rendered("x" * 200))
    assert len(hint(snapshot(), long).label) <= 42 and hint(snapshot(), long).tooltip == "x" * 200
    assert hint(snapshot(), replace(EVALUATION, value=rendered("2*x**2"))).label == "= 2·x²"
    decimal = hint(snapshot(), replace(EVALUATION, value=rendered("0.867338383784582")))
    assert decimal.label == "= 0.867338" and decimal.tooltip == "0.867338383784582"
    assert hint(snapshot(), replace(EVALUATION, value=rendered("-1.5e-12"))).label == "= −1.5e−12"


def test_python_inlay_hints_stand_at_the_end_of_the_line():
    text = "import neurogebra\nprint(g.eval(x=0.5))  # value\n"
    python = Snapshot.of("file:///train.py", 1, "python", text, UTF16)
    call = Span(text.index("g.eval"), text.index("))") + 1)
    made = hint(python, replace(EVALUATION, span=call, value=rendered("0.5")))
    assert made.position == types.Position(line=1, character=len("print(g.eval(x=0.5))  # value"))


def test_code_actions_carry_edits_in_both_workspace_edit_shapes():
    fix = action(snapshot(), CLAIM, CLAIM.fixes[0], versioned=True)
    assert fix.kind == "quickfix" and fix.is_preferred and fix.diagnostics[0].code == "gradient-mismatch"
    [change] = fix.edit.document_changes
    assert change.text_document.version == 4 and change.edits[0].new_text == "2*x"
    plain = action(snapshot(), DEFINITION, DEFINITION.fixes[0], versioned=False)
    assert plain.diagnostics is None
    assert plain.edit.changes["file:///demo.ngb"][0].range.start == types.Position(line=1, character=11)
    assert wanted("refactor", ["refactor"]) and wanted("refactor.rewrite", ["refactor"])
    assert not wanted("quickfix", ["refactor"]) and wanted("quickfix", None)


def test_references_to_a_definition_include_it():
    assert [r.span for r in references_to(ANALYSIS, F)] == [F, Span(19, 20), Span(35, 36)]


def test_semantic_tokens_encode_relative_positions_in_the_client_encoding():
    found = tokens(ANALYSIS)
    assert (0, 6, "comment", ()) in found
    assert (7, 8, "function", ("declaration",)) in found
    assert (17, 18, "number", ()) in found
    data = encode(snapshot(), found)
    assert data[:5] == [0, 0, 6, 5, 0]  # the comment: line 0, column 0, 6 long, type 5, no modifiers
    unicode_text = "σ = 1\n"
    analysis = DocumentAnalysis("ngb", unicode_text, (Statement(
        StatementKind.CONSTANT, Span(0, 5), unicode_text[:5], formula_span=Span(4, 5),
        references=(Reference("σ", Span(0, 1), ReferenceKind.CONSTANT, True, Span(0, 1)),)),))
    utf8 = encode(Snapshot.of("u", 1, "ngb", unicode_text, UTF8), tokens(analysis))
    assert utf8[:3] == [0, 0, 2] and utf8[5:8] == [0, 3, 1]  # σ is 2 bytes; '=' starts at byte 3


def test_open_call_finds_the_function_and_the_argument():
    text = "g(x, y) = relu(x) + max(x, min(1, y"
    assert open_call(text, 0, len(text)) == ("min", 1)
    assert open_call(text, 0, text.index("x)")) == ("relu", 0)
    assert open_call(text, 0, text.index(" = ")) is None


def test_a_huge_hover_is_cut_and_stays_valid_markdown():
    statement = replace(DEFINITION, formula=rendered("x + " * 40_000 + "1"), derivatives=())
    shown = markdown(hover_text(DocumentAnalysis("ngb", TEXT, (statement,)), 8)[0], rich=True, typeset=True)
    assert len(shown) <= MAX_HOVER_CHARS and shown.count("```") % 2 == 0 and "data:image" not in shown


def test_shape_and_domain_lines_get_keyword_and_number_tokens():
    text = "@shape W: (m, 3)\n@domain x in [0, 1]\n"
    found = {(t.start, t.end, t.type) for t in tokens(Engine().analyze(text, "ngb", detail=False))}
    assert {(0, 6, "keyword"), (14, 15, "number"), (17, 24, "keyword"), (27, 29, "keyword")} <= found


def test_a_gradient_label_is_typeset_with_nabla():
    assert latex_label("∇_W L") == "\\nabla_{W} L"
    assert latex_label("∇_z ce") == "\\nabla_{z} \\operatorname{ce}"
    assert latex_label("J_x f") == "J_{x} f"
    assert latex_label("∇²_x q") == "\\nabla^{2}_{x} q"


def test_matrix_brackets_are_punctuation_and_their_numbers_numbers():
    text = "@shape x: (n,)\nW0 = [[1, 2], [3, 4]]\n"
    found = {text[t.start:t.end]: t.type for t in tokens(Engine().analyze(text, "ngb", detail=False))
             if t.start >= text.index("W0")}
    assert found["1"] == found["4"] == "number" and "[" not in found and "]" not in found
