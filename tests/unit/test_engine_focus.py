"""A focus (what the editor shows of a big document opened cold) is analyzed first and handed over on its own;
the analysis of the whole document is the same as without it."""
from __future__ import annotations

import pytest

from neurogebra.analysis import Engine
from neurogebra.analysis.model import Focus, Settings, Span
from neurogebra.analysis.run import FOCUS_FIRST_MIN_REST

COUNT = FOCUS_FIRST_MIN_REST + 40
NGB = "".join(f"f{i}(x) = x**2 + {i}*x\nf{i}'(x) = 2*x + {i + (i % 7 == 0)}\n" for i in range(COUNT // 2 + 1))
PYTHON = "from neurogebra import Expression\n" + "".join(
    f'e{i} = Expression("e{i}", "x**2 + {i}*x{" + 3x" if i % 9 == 0 else ""}")\n' for i in range(COUNT))
SETTINGS = Settings(time_budget_ms=20_000, max_derivative_order=1)


def lines(text: str, first: int, last: int) -> Span:
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    return Span(starts[first], starts[last + 1] - 1)


@pytest.mark.parametrize("text, language", [(NGB, "ngb"), (PYTHON, "python")])
def test_the_focus_comes_first_on_its_own_and_the_whole_is_unchanged(text, language):
    shown = []
    focus = Focus(lines(text, 20, 40), shown.append)
    whole = Engine().analyze(text, language, SETTINGS, detail=False, focus=focus)
    [part] = shown
    assert part.statements and all(focus.span.start <= s.span.end and s.span.start <= focus.span.end
                                   for s in part.statements if s.kind.value != "domain")
    assert [s for s in whole.statements if s.span in {p.span for p in part.statements}] == list(part.statements)
    assert any(s.diagnostics for s in part.statements)  # the focus's own errors, before the rest is computed
    assert whole == Engine().analyze(text, language, SETTINGS, detail=False)


def test_a_small_document_is_handed_over_whole_only():
    shown = []
    text = "f(x) = x**2\nf'(x) = 3*x\n"
    Engine().analyze(text, "ngb", SETTINGS, detail=False, focus=Focus(Span(0, 5), shown.append))
    assert shown == []


TRICKY = '''from neurogebra import Expression
"""A module docstring
e0 = Expression("not code", "x +* 1")
"""
@decorated
def helper(
e1 = Expression("e1", "x**2")):
    return e1
if True:
    pass
else:
    e2 = Expression("e2", "log(x) - 3x")
e3 = Expression("e3", "sqrt(x) +"  # a comment with a quote: "
                "1/x")  # neurogebra: domain x in (0, 5]
e4 = e3.gradient("x") \\
    .gradient("x")
'''


def test_a_top_level_statement_starts_where_the_code_above_is_whole():
    from neurogebra.analysis.python.boundary import top_level_start

    starts = [top_level_start(TRICKY, TRICKY.index(text)) for text in ('e0 = ', 'def helper', 'e1 = ', 'else:',
                                                                       '"1/x")', '.gradient("x")\n')]
    assert [TRICKY[s:].split("\n", 1)[0] if s is not None else None for s in starts] == [
        "@decorated", "if True:", "if True:", 'e3 = Expression("e3", "sqrt(x) +"  # a comment with a quote: "',
        'e4 = e3.gradient("x") \\', None]


@pytest.mark.parametrize("cut_after", range(2, 14))
def test_a_python_focus_shown_from_the_code_above_matches_the_whole(cut_after):
    """Each focus of a module with long strings, decorators, else branches and continued lines, before many
    more statements: what is shown first is what the whole analysis says there (but for uses further down)."""
    text = TRICKY + PYTHON.split("\n", 1)[1] * 2
    shown = []
    focus = Focus(lines(text, 0, cut_after), shown.append)
    whole = Engine().analyze(text, "python", SETTINGS, detail=False, focus=focus)
    [part] = shown
    by_span = {s.span: s for s in whole.statements}
    assert [s.span for s in part.statements] == [s.span for s in whole.statements
                                                 if s.span.start <= focus.span.end and s.kind.value != "domain"
                                                 or s.kind.value == "domain" and s.span in
                                                 {p.span for p in part.statements}]
    for statement in part.statements:
        assert statement.diagnostics == by_span[statement.span].diagnostics
        assert set(statement.references) <= set(by_span[statement.span].references)
