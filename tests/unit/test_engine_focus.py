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
