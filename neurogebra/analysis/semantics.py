"""What we compute about a function, a derivative claim or a value: shared by .ngb and Python analysis.

Offsets here are relative to the formula whose span the caller passes in.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import sympy

from neurogebra.analysis.model import Check, Code, Derivative, Diagnostic, Rendered, Settings, Severity, Span
from neurogebra.analysis.plot import plot_svg
from neurogebra.analysis.render import formula_text, render, render_number
from neurogebra.analysis.terms import derivative as named_derivative
from neurogebra.analysis.terms import inline, same_function
from neurogebra.calculus import differentiate
from neurogebra.domains import Domain
from neurogebra.gradient_checks import check_function, gradcheck
from neurogebra.parsing import symbol
from neurogebra.rewrites.readable import readable
from neurogebra.selfref import derivative_in_terms_of_function
from neurogebra.stable import judge_stability
from neurogebra.verdict import Kink, Verdict

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def derivative_label(name: str, params: Sequence[str], variable: str, order: int) -> str:
    if len(params) == 1:
        return f"{name}{chr(39) * order}({variable})"
    power = "" if order == 1 else str(order).translate(SUPERSCRIPT)
    return f"∂{power}{name}/∂{variable}{power}"


def derivative_statement(name: str, params: Sequence[str], variable: str, text: str) -> str:
    """The .ngb line that defines (claims) this derivative."""
    if len(params) == 1:
        return f"{name}'({variable}) = {text}"
    return f"∂{name}/∂{variable} = {text}"


@dataclass(frozen=True)
class FunctionFacts:
    derivatives: tuple[Derivative, ...]
    first_derivatives: Mapping[str, sympy.Expr]   # what to insert for d/dvar: stable where a stable form is known
    diagnostics: tuple[Diagnostic, ...]
    stable_body: sympy.Expr | None
    checks: tuple[Check, ...]
    plot: str | None


def in_user_terms(named: sympy.Expr | None, reference: sympy.Expr, domains: Mapping[str, Domain],
                  settings: Settings) -> sympy.Expr:
    """The formula as the user would write it: `named` (in the user's own names), else `reference` with its
    stable pieces named (logsumexp), wherever that is `reference` written another way and evaluates as
    accurately; otherwise `reference`."""
    for candidate in (named, readable(reference)):
        if candidate is None or candidate == reference or formula_text(candidate) == formula_text(reference):
            continue  # the same tree reads the same: no need to print it
        if same_function(candidate, reference, domains) and as_accurate(inline(candidate), reference, domains,
                                                                         settings):
            return candidate
    return reference


def function_facts(name: str, expr: sympy.Expr, params: Sequence[str], domains: Mapping[str, Domain],
                   settings: Settings, formula_span: Span, detail: bool = True,
                   named_body: sympy.Expr | None = None) -> FunctionFacts:
    """Derivatives (the first one in the user's own terms, or in its stable form where it breaks in floating
    point, or written with the function itself where that form is as accurate), the function's own stability,
    its kinks, a plot. Without `detail`, only what diagnostics need: no higher orders, self-forms, reading forms
    or plot."""
    variables = [symbol(p) for p in params]
    orders = settings.max_derivative_order if len(params) == 1 and detail else 1
    diagnostics: list[Diagnostic] = []
    check = check_function(expr, domain=dict(domains), dtype=settings.dtype)
    stable_body = None
    if check.verdict == Verdict.UNSTABLE:
        stable_body = check.stable_form
        message = check.message.replace(f"{expr} is unstable", "unstable", 1)  # it stands on the formula itself
        if stable_body is not None:
            stable_body = in_user_terms(None, stable_body, domains, settings)
            message = message.replace(str(check.stable_form), formula_text(stable_body))
        diagnostics.append(Diagnostic(formula_span, Severity.WARNING, Code.UNSTABLE_FORM, message))
    report = gradcheck(expr, wrt=[v.name for v in variables], domain=dict(domains), samples=settings.samples,
                       rtol=settings.rtol, atol=settings.atol, dtype=settings.dtype, accuracy=detail)
    checks = tuple(Check(r.variable, r.verdict, r.message, r.finding) for r in report.results)
    kinked = next((r for r in report.results if r.kink_message), None)
    if kinked is not None:  # one kink note per statement, however many variables meet it
        diagnostics.append(Diagnostic(formula_span, Severity.INFORMATION, Code.NON_DIFFERENTIABLE,
                                      kinked.kink_message or "", pole=kinked.kink == Kink.POLE))
    derivatives: list[Derivative] = []
    first: dict[str, sympy.Expr] = {}
    for variable, result in zip(variables, report.results):
        named = named_derivative(named_body, variable) if named_body is not None else None
        first[variable.name] = shown = in_user_terms(named, shown_derivative(result), domains, settings)
        found = written_with_itself(expr, variable, name) if len(params) == 1 and detail else None
        if found is not None and check.verdict == Verdict.OK and as_accurate(
                found.xreplace({sympy.Function(name)(variable): expr}), inline(shown), domains, settings):
            first[variable.name] = found
        label = derivative_label(name, params, variable.name, 1)
        derivatives.append(Derivative(variable.name, 1, label, render(shown, detail),
                                      render(found) if found is not None else None))
        current = named if shown is named else result.derivative
        for order in range(2, orders + 1):
            current = named_derivative(current, variable)
            derivatives.append(Derivative(variable.name, order, derivative_label(name, params, variable.name, order),
                                          render(current)))
    plot = None
    if settings.plots and len(params) == 1 and detail:  # never the self-form: NumPy cannot evaluate s(x)
        plot = plot_svg(expr, shown_derivative(report.results[0]), variables[0], domains.get(params[0]), name)
    return FunctionFacts(tuple(derivatives), first, tuple(diagnostics), stable_body, checks, plot)


def shown_derivative(result) -> sympy.Expr:
    """A gradcheck result's derivative as we show it: its stable form where it breaks in floating point."""
    return result.stable_form if result.stable_form is not None else result.derivative


def written_with_itself(function: sympy.Expr, variable: sympy.Symbol, name: str) -> sympy.Expr | None:
    """d/dx written with the function itself, as the document can write it (s(x)*(1 - s(x))), if one is found
    (the search is bounded by the function's size, never by time)."""
    found = derivative_in_terms_of_function(function, variable, name)
    return None if found is None else found.xreplace({symbol(name): sympy.Function(name)(variable)})


def as_accurate(proposed: sympy.Expr, reference: sympy.Expr, domains: Mapping[str, Domain],
                settings: Settings) -> bool:
    """A formula the tool would write for the user is stable, or at least as accurate as the one it stands for."""
    judged = judge_stability(proposed, dict(domains), settings.dtype)
    if judged is None:
        return False
    if not judged.unstable:
        return True
    other = judge_stability(reference, dict(domains), settings.dtype)
    return other is not None and judged.accuracy.bits <= other.accuracy.bits


@dataclass(frozen=True)
class ClaimFacts:
    derivative: sympy.Expr        # the true derivative, as we would show it
    diagnostics: tuple[Diagnostic, ...]
    replacement: sympy.Expr | None  # the fix's new right-hand side (correct or stable), if the claim needs one
    fix_title: str
    fix_code: Code | None
    checks: tuple[Check, ...]


def formula_accuracy(expr: sympy.Expr, domains: Mapping[str, Domain], settings: Settings,
                     span: Span) -> tuple[Diagnostic, ...]:
    """A warning when an evaluated formula with free variables (f'(x), d/dx g(x)) is unstable in floating point."""
    if not expr.free_symbols:
        return ()
    check = check_function(expr, domain=dict(domains), dtype=settings.dtype)
    if check.verdict != Verdict.UNSTABLE:
        return ()
    return (Diagnostic(span, Severity.WARNING, Code.UNSTABLE_FORM, check.message),)


def claim_facts(function: sympy.Expr, variable: sympy.Symbol, order: int, claimed: sympy.Expr,
                domains: Mapping[str, Domain], settings: Settings, rhs_span: Span, name: str,
                named_function: Callable[[], sympy.Expr | None] = lambda: None, detail: bool = True) -> ClaimFacts:
    """The verdict on a claimed derivative of `function` (callable as `name` in the document; `named_function`
    gives the function in user terms, which what is shown and proposed keeps where it can). Without `detail`, a
    right claim's derivative is not rewritten in user terms (a wrong or unstable one's is: its message and fix
    are the same in both passes)."""
    def user_terms(reference: sympy.Expr) -> sympy.Expr:  # asked once at most, by the verdict's branch
        named = named_function()
        for _ in range(order if named is not None else 0):
            named = named_derivative(named, variable)
        return in_user_terms(named, reference, domains, settings)

    base = differentiate(function, variable, order - 1) if order > 1 else function
    report = gradcheck(base, wrt=variable.name, claimed={variable.name: claimed}, domain=dict(domains),
                       samples=settings.samples, rtol=settings.rtol, atol=settings.atol, dtype=settings.dtype)
    result = report.results[0]
    truth = result.derivative
    verdict = result.verdict
    checks = (Check(result.variable, verdict, result.message, result.finding),)
    if verdict == Verdict.MISMATCH:
        judged = judge_stability(truth, dict(domains), settings.dtype)
        shown = user_terms(judged.proposed if judged is not None and judged.proposed is not None else truth)
        message = f"{result.finding} (d/d{variable.name} = {formula_text(shown)})"
        checks = (Check(result.variable, verdict, message, result.finding),)
        diagnostic = Diagnostic(rhs_span, Severity.ERROR, Code.GRADIENT_MISMATCH, message)
        fix = shown if as_accurate(inline(shown), claimed, domains, settings) else None
        return ClaimFacts(shown, (diagnostic,), fix, "Replace with the correct derivative",
                          Code.GRADIENT_MISMATCH, checks)
    if verdict == Verdict.UNSTABLE:
        stable = _self_form(function, variable, name, domains, settings) if order == 1 else None
        stable = stable if stable is not None else result.stable_form
        stable = user_terms(stable) if stable is not None else None
        suggestion = f"; a stable form: {formula_text(stable)}" if stable is not None else ""
        where = ""
        if result.point:
            point = ", ".join(f"{k} = {v:g}" for k, v in result.point.items())
            where = f": at {point} it gives {result.candidate:g} where the exact value is {result.exact:.6g}"
        message = (f"right, but it breaks in {result.dtype}{where} ({result.error_bits:.0f} bits of error on "
                   f"average over the domain){suggestion}")
        diagnostic = Diagnostic(rhs_span, Severity.WARNING, Code.UNSTABLE_FORM, message)
        return ClaimFacts(stable if stable is not None else truth, (diagnostic,), stable, "Use the stable form",
                          Code.UNSTABLE_FORM, (Check(result.variable, verdict, message, message),))
    if verdict == Verdict.NON_DIFFERENTIABLE:
        diagnostic = Diagnostic(rhs_span, Severity.INFORMATION, Code.NON_DIFFERENTIABLE, result.message,
                                pole=result.kink == Kink.POLE)
        return ClaimFacts(user_terms(truth) if detail else truth, (diagnostic,), None, "", None, checks)
    return ClaimFacts(user_terms(truth) if detail else truth, (), None, "", None, checks)


def _self_form(function: sympy.Expr, variable: sympy.Symbol, name: str, domains: Mapping[str, Domain],
               settings: Settings) -> sympy.Expr | None:
    """d/dx written with the function itself (s(x)*(1 - s(x))), when that exists and both the function and the
    form written out are stable (a form built on an unstable function inherits its failures)."""
    if function.free_symbols != {variable}:
        return None
    found = written_with_itself(function, variable, name)
    if found is None or check_function(function, domain=dict(domains), dtype=settings.dtype).verdict != Verdict.OK:
        return None
    written_out = found.xreplace({sympy.Function(name)(variable): function})
    judged = judge_stability(written_out, dict(domains), settings.dtype)
    return found if judged is not None and not judged.unstable else None


MAX_SIMPLIFIED_OPS = 60
UNDEFINED = "the value is undefined here (division by zero, or outside the function's domain)"


def evaluate(expr: sympy.Expr, detail: bool = True) -> tuple[Rendered, str | None]:
    """The value of an expression with no free variables, or its simplified form (simplified only while small:
    SymPy's simplify has no bound of its own); and an error, if undefined."""
    if expr.free_symbols:
        small = sympy.count_ops(expr) <= MAX_SIMPLIFIED_OPS
        return render(sympy.simplify(expr) if small else expr, detail), None
    value = expr.doit()
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or value.is_real is False:
        return render_number(value), UNDEFINED
    return render_number(value), None
