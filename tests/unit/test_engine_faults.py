"""Long definition chains and cycles, whatever the order of their lines; a statement whose own computation fails
costs that statement one diagnostic; numbers too large to write out get our own message."""
from __future__ import annotations

import re

import pytest

from neurogebra import Expression
from neurogebra.analysis import Code, Engine, Settings, Severity, ngb_run
from neurogebra.analysis.scope import MAX_EXPANDED_DEPTH
from neurogebra.syntax import ParseError


def analyze(lines: list[str], detail: bool = False):
    return Engine().analyze("".join(f"{line}\n" for line in lines), "ngb", Settings(), detail=detail)


def by_name(analysis) -> dict[str, list[tuple[Code, str]]]:
    """Each statement's diagnostics, the lines they name left out (they differ with the order of the lines)."""
    return {s.name or s.text: [(d.code, re.sub(r"\(line \d+\)", "(line …)", d.message)) for d in s.diagnostics]
            for s in analysis.statements}


def chain(length: int, link: str, first: str) -> list[str]:
    """f0 first, each fi using f(i-1): `link` is fi's formula with {used} for f(i-1)(x)."""
    return [f"f0(x) = {first}"] + [f"f{i}(x) = " + link.format(used=f"f{i - 1}(x)") for i in range(1, length + 1)]


def test_a_long_chain_of_constants_in_reverse_order_is_analyzed_as_in_file_order():
    length = 1_200
    lines = ["c0 = 1"] + [f"c{i} = c{i - 1} + 1" for i in range(1, length + 1)]
    forward, reverse = analyze(lines), analyze(lines[::-1])
    assert by_name(forward) == by_name(reverse)
    assert forward.diagnostics == []
    assert {s.name: s.value.plain for s in reverse.statements}[f"c{length}"] == str(length + 1)


def test_a_chain_of_functions_past_the_old_limit_gives_the_same_results_in_any_order():
    lines = chain(200, "{used} + 1", "x")
    forward, reverse = analyze(lines), analyze(lines[::-1])
    assert by_name(forward) == by_name(reverse)
    assert forward.diagnostics == []
    assert {s.name: s.formula.plain for s in reverse.statements}["f200"] == "x + 200"


def test_a_wrong_claim_at_the_end_of_a_long_chain_gets_the_same_verdict_in_either_pass_first():
    lines = chain(300, "{used} + 1", "x")[::-1] + ["f300'(x) = 2"]  # its message writes d/dx in user terms
    for detail in (False, True):  # each with a new engine: nothing computed before
        [wrong] = [d for d in analyze(lines, detail).diagnostics if d.severity == Severity.ERROR]
        assert wrong.code == Code.GRADIENT_MISMATCH, wrong.message


def test_a_long_cycle_is_reported_once_on_each_member_and_shortened():
    size = 1_200
    analysis = analyze([f"f{i}(x) = f{(i + 1) % size}(x)" for i in range(size)] + ["g(x) = f0(x)"])
    results = by_name(analysis)
    assert all(results[f"f{i}"] == [(Code.CYCLIC_DEFINITION, results[f"f{i}"][0][1])] for i in range(size))
    message = results["f5"][0][1]
    assert message == f"'f5' is defined in terms of itself: f5 → f6 → f7 → f8 → … → f2 → f3 → f4 → f5 ({size} " \
                      "definitions)"
    assert results["g"] == [(Code.DEPENDENCY_ERROR, "'f0' cannot be used: its definition is cyclic")]


def test_a_cycle_names_each_member_with_a_cycle_through_it():
    results = by_name(analyze(["a(x) = b(x) + c(x)", "b(x) = a(x)", "c(x) = a(x)"]))
    assert results["b"] == [(Code.CYCLIC_DEFINITION, "'b' is defined in terms of itself: b → a → b")]
    assert results["c"] == [(Code.CYCLIC_DEFINITION, "'c' is defined in terms of itself: c → a → c")]
    assert results["a"][0][1].endswith("a → b → a")


def test_a_definition_nested_past_the_limit_is_too_complex_in_any_order_and_earlier_links_are_not():
    links = MAX_EXPANDED_DEPTH // 4 + 3
    lines = chain(links, "sin(sin(sin(sin({used}))))", "2*x")  # f0 is 2 levels deep, each link adds 4
    forward, reverse = analyze(lines), analyze(lines[::-1])
    assert by_name(forward) == by_name(reverse)
    results = by_name(forward)
    last_fitting = (MAX_EXPANDED_DEPTH - 2) // 4
    assert all(results[f"f{i}"] == [] for i in range(last_fitting + 1))
    [(code, message)] = results[f"f{last_fitting + 1}"]
    assert code == Code.TOO_COMPLEX and f"nested {2 + 4 * (last_fitting + 1)} levels deep" in message
    assert [code for code, _ in results[f"f{links}"]] == [Code.DEPENDENCY_ERROR]


def test_a_recursion_error_in_one_statement_costs_that_statement_only(monkeypatch):
    facts = ngb_run.function_facts

    def failing_for_bad(name, *args, **kwargs):
        if name == "bad":
            raise RecursionError("maximum recursion depth exceeded")
        return facts(name, *args, **kwargs)

    monkeypatch.setattr(ngb_run, "function_facts", failing_for_bad)
    analysis = analyze(["good(x) = x**2", "bad(x) = x**3", "good'(x) = 2*x"])
    [diagnostic] = analysis.diagnostics
    assert (diagnostic.code, diagnostic.severity) == (Code.TOO_COMPLEX, Severity.WARNING)
    assert "nested too deeply" in diagnostic.message
    assert analysis.text[diagnostic.span.start:diagnostic.span.end] == "bad(x) = x**3"


@pytest.mark.parametrize("lines, shown", [
    (["10**5000"], "10**5000 has about 5,001 digits"),
    (["f(x) = x", "f(10**5000)"], "10**5000 has about 5,001 digits"),
    (["f(x) = x**2", "f(10**3000)"], "f(10**3000) has about 6,001 digits"),
])
def test_a_number_too_large_to_write_out_has_our_own_message(lines, shown):
    [diagnostic] = analyze(lines, detail=True).diagnostics
    assert diagnostic.message == f"number too large: {shown}; exact numbers are kept up to 4,300 digits"
    assert "set_int_max_str_digits" not in diagnostic.message


def test_a_large_number_that_can_be_written_out_is_shown():
    [statement] = analyze(["10**4000"], detail=True).statements
    assert statement.diagnostics == () and statement.value.plain == "1" + "0" * 4000


def test_a_python_formula_with_a_number_too_large_raises_our_parse_error():
    with pytest.raises(ParseError, match="10\\*\\*5000 has about 5,001 digits"):
        Expression("f", "x + 10**5000")


def test_a_message_naming_a_line_follows_it_when_an_edit_moves_it():
    engine = Engine()
    text = "g(x) = f(x) + 1\nf(x) = nosuch(x)\n"
    for before, line in (("", 2), ("# a line above\n", 3)):  # the second run reuses what it can of the first
        analysis = engine.analyze(before + text, "ngb", Settings(), detail=False)
        [used] = [d for d in analysis.diagnostics if d.code == Code.DEPENDENCY_ERROR]
        assert f"its definition (line {line}) has an error" in used.message
