"""Property tests of the analysis: random tokens, random unicode and random edits of valid documents never crash
it, and every diagnostic range lies inside the document. `make fuzz` runs many more examples."""
from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neurogebra.analysis import Engine, Settings

EXAMPLES = int(os.environ.get("NEUROGEBRA_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ENGINE = Engine()
ANALYSIS = Settings(samples=20, time_budget_ms=500)
EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"
DOCUMENTS = {path.name: path.read_text(encoding="utf-8") for path in sorted(EXAMPLES_DIR.iterdir())}
TOKENS = ["f", "g", "x", "y", "(", ")", "'", "=", "*", "**", "+", "-", "/", "^", ",", "0", "1.5", "\n", " ", "#",
          "∂", "d/dx", "@domain", " in ", "[", "]", "relu", "sigmoid", "mse", "exp", "log", "Max", "𝑥", "σ", "\t",
          "\r\n", "__import__", "9**9**9", "\x00"]


def check(text: str, language: str) -> None:
    analysis = ENGINE.analyze(text, language, ANALYSIS)
    for diagnostic in analysis.diagnostics:
        assert 0 <= diagnostic.span.start <= diagnostic.span.end <= len(text), diagnostic
        assert diagnostic.message
    for statement in analysis.statements:
        assert 0 <= statement.span.start <= statement.span.end <= len(text)
        for fix in statement.fixes:
            assert all(0 <= e.span.start <= e.span.end <= len(text) for e in fix.edits)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=40), st.sampled_from(["ngb", "python"]))
def test_random_token_documents(tokens, language):
    check("".join(tokens), language)


@FUZZ
@given(st.text(max_size=200), st.sampled_from(["ngb", "python"]))
def test_random_unicode_documents(text, language):
    check(text, language)


@FUZZ
@given(st.sampled_from(sorted(DOCUMENTS)), st.data())
def test_random_edits_of_valid_documents(name, data):
    text = DOCUMENTS[name]
    for _ in range(data.draw(st.integers(1, 4))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 12)))
        insert = data.draw(st.text(alphabet="".join(TOKENS), max_size=8))
        text = text[:start] + insert + text[end:]
    check(text, "python" if name.endswith(".py") else "ngb")
