"""What the time budget cuts short is never cached (the next analysis computes it again), and its `too-complex`
message says how to raise the budget."""
from __future__ import annotations

import json

import sympy

from neurogebra.analysis import Code, Engine, Settings, Severity, StatementKind
from neurogebra.analysis import run as run_module
from neurogebra.analysis.budget import time_budget, within
from neurogebra.analysis.model import Span, Statement
from neurogebra.analysis.run import DocumentRun, LruCache, Outcome
from neurogebra.cli import main
from neurogebra_lsp.schema import SCHEMA

HEAVY = "h(x) = " + "exp(" * 40 + "x" + ")" * 40 + " * " + "sin(" * 40 + "x" + ")" * 40  # never finishes
TINY = Settings(time_budget_ms=10)
ONE_SECOND = Settings(time_budget_ms=1000)  # plenty for f(x) = x**2 on a busy machine, never enough for HEAVY
GENEROUS = Settings(time_budget_ms=60_000)
LAYER_NORM = ("eps = 1e-5\n"
              "mu(x1, x2, x3) = (x1 + x2 + x3)/3\n"
              "var(x1, x2, x3) = ((x1 - mu(x1, x2, x3))**2 + (x2 - mu(x1, x2, x3))**2 + (x3 - mu(x1, x2, x3))**2)/3\n"
              "y1(x1, x2, x3) = (x1 - mu(x1, x2, x3))/sqrt(var(x1, x2, x3) + eps)\n"
              "∂y1/∂x1 = 2/(3*sqrt(var(x1, x2, x3) + eps))"
              " - (x1 - mu(x1, x2, x3))**2/(3*(var(x1, x2, x3) + eps)**(3/2))\n")
CLAIM = LAYER_NORM.splitlines()[-1]


def codes_of(analysis, text: str) -> list[Code]:
    [statement] = [s for s in analysis.statements if s.text == text]
    return [d.code for d in statement.diagnostics]


def test_a_statement_the_budget_cut_short_is_computed_again_on_the_next_run():
    light = "f(x) = x**2\nf'(2)\n"
    Engine().analyze(light, "ngb", GENEROUS)  # the first analysis in a process imports what it needs
    engine = Engine()
    text = f"{light}{HEAVY}\n"
    first = engine.analyze(text, "ngb", ONE_SECOND)
    second = engine.analyze(text, "ngb", ONE_SECOND)
    assert codes_of(first, HEAVY) == codes_of(second, HEAVY) == [Code.TOO_COMPLEX]
    assert (first.reused, second.reused) == (0, 2)  # f and f'(2) came from the cache, h did not
    assert len(engine.cache) == 2


def test_on_a_busy_machine_nothing_is_cached_that_the_next_idle_run_would_get_wrong(monkeypatch):
    engine = Engine()
    with monkeypatch.context() as busy:  # the same setting, but the clock runs out after 10 ms
        busy.setattr(run_module, "time_budget", lambda seconds: time_budget(0.01))
        loaded = engine.analyze(LAYER_NORM, "ngb", GENEROUS)
    assert Code.TOO_COMPLEX in {d.code for d in loaded.diagnostics}
    claim = next(s for s in loaded.statements if s.text == CLAIM)
    assert [d.code for d in claim.diagnostics] == [Code.DEPENDENCY_ERROR]  # its function could not be analyzed
    idle = engine.analyze(LAYER_NORM, "ngb", GENEROUS)
    assert idle.diagnostics == Engine().analyze(LAYER_NORM, "ngb", GENEROUS).diagnostics
    assert [d for d in idle.diagnostics if d.severity <= Severity.WARNING] == []  # the claim is right
    again = engine.analyze(LAYER_NORM, "ngb", GENEROUS)
    assert again.reused == len(again.statements)  # what was not cut short is cached as before


def test_an_outcome_whose_optional_extra_ran_out_of_time_is_not_cached():
    x = sympy.Symbol("x")
    extras = []

    def statement_with_an_extra(seconds: float, extra) -> Outcome:
        extras.append(within(seconds, extra, None))
        return Outcome(Statement(StatementKind.EVALUATION, Span(0, 1), "x"))

    cache = LruCache(10)
    for _ in range(2):
        DocumentRun(cache, "x\n", GENEROUS, None).cached(
            "heavy", lambda: statement_with_an_extra(0.01, lambda: sympy.expand((x + sympy.sin(x) + 1)**60)),
            "x", StatementKind.EVALUATION, 0)
    assert extras == [None, None] and len(cache) == 0  # it fell back, and the next run computed it again
    extras.clear()
    for _ in range(2):
        DocumentRun(cache, "x\n", GENEROUS, None).cached(
            "light", lambda: statement_with_an_extra(60, lambda: x + 1), "x", StatementKind.EVALUATION, 0)
    assert extras == [x + 1] and len(cache) == 1


def test_the_message_names_the_setting_and_the_flag_that_raise_the_budget(tmp_path, capsys):
    analysis = Engine().analyze(HEAVY + "\n", "ngb", TINY)
    [message] = [d.message for d in analysis.diagnostics if d.code == Code.TOO_COMPLEX]
    assert message == ("too complex to analyze within 10 ms: "
                       "raise neurogebra.analysis.timeBudgetMs (neurogebra check: --time-budget-ms)")
    [setting] = [setting.key for setting in SCHEMA if setting.field == "time_budget_ms"]
    assert setting == "neurogebra.analysis.timeBudgetMs"  # what the server reads
    notebook = tmp_path / "heavy.ngb"
    notebook.write_text(HEAVY + "\n", encoding="utf-8")
    main(["check", "--format", "json", "--jobs", "1", "--time-budget-ms", "25", str(notebook)])
    [row] = json.loads(capsys.readouterr().out)
    assert row["code"] == "too-complex" and row["message"].startswith("too complex to analyze within 25 ms: ")
