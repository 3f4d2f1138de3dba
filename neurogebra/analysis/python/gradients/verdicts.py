"""A gradient rule read and judged: the forward's derivative (for hover) and, for each gradient the rule returns,
the verdict of claim_facts (gradcheck against mpmath), named when it is a known mistake: grad_output forgotten,
gradients returned in the wrong order, a gradient for an input that has none."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable, Mapping

import sympy

from neurogebra.analysis.model import (
    Check,
    Code,
    Derivative,
    Diagnostic,
    Edit,
    Fix,
    Rendered,
    Settings,
    Severity,
    Span,
    Statement,
    StatementKind,
)
from neurogebra.analysis.python.gradients.reading import NOTHING, Ctx, ModuleNames, Reader, Unreadable, elements
from neurogebra.analysis.python.gradients.styles import Rule, framework_of
from neurogebra.analysis.python.gradients.writing import calls_exist, code, times
from neurogebra.analysis.render import formula_text
from neurogebra.analysis.run import default_domain
from neurogebra.analysis.semantics import (
    ClaimFacts,
    as_accurate,
    claim_facts,
    derivative_label,
    function_facts,
    written_with_itself,
)
from neurogebra.analysis.terms import inline
from neurogebra.builder import symbol
from neurogebra.domains import Domain
from neurogebra.verdict import Verdict

SETTINGS = ("float", "int", "bool", "str")
UPSTREAM = ("autograd", "vjp", "upstream")


@dataclass
class Returned:
    input: int          # the forward input it is the gradient of
    value: Any          # SymPy, or NOTHING
    node: Any           # where the code returns it


@dataclass
class ReadRule:
    inputs: list[str]
    settings: list[bool]                # inputs that are settings (alpha: float), with no gradient
    forward: sympy.Expr
    returned: list[Returned]
    upstream: sympy.Symbol | None       # grad_output, g
    tangents: list[sympy.Symbol]        # jvp
    scope: dict                         # the rule's names at its return
    count_problem: str = ""


class Spans:
    def __init__(self, line_starts: list[int], origin: int) -> None:
        self.line_starts, self.origin = line_starts, origin

    def of(self, node) -> Span:
        (line, column), (end_line, end_column) = node.start_pos, node.end_pos
        return Span(self.line_starts[line - 1] + column - self.origin,
                    self.line_starts[end_line - 1] + end_column - self.origin)


def is_setting(param) -> bool:
    annotation = param.annotation.get_code().strip() if param.annotation is not None else ""
    default = param.default.type if param.default is not None else ""
    return annotation in SETTINGS or default in ("number", "string", "keyword")


def inputs_of(rule: Rule, forward) -> list:
    params = forward.get_params()
    return params[1:] if rule.style == "autograd" and rule.helper is None else params


@dataclass
class Forward:
    inputs: list[str]
    settings: list[bool]        # inputs that are settings (alpha: float), with no gradient
    values: list[Any]           # each input's value: its symbol, or its default when it is a setting
    ctx: Ctx
    expr: sympy.Expr
    node: Any                   # the code of the forward's value: its return, or what the returned name was given


def read_forward(rule: Rule, names: ModuleNames, symbolic: bool = False) -> Forward:
    """Raises Unreadable for code it cannot read. A setting with a default is read at its default, unless
    `symbolic` (a rule written for every value of it)."""
    params = inputs_of(rule, rule.forward)
    inputs = [p.name.value for p in params]
    settings = [is_setting(p) for p in params]
    reader = Reader(names)
    values: list[Any] = []
    for param, setting in zip(params, settings):
        default = param.default
        if setting and not symbolic and default is not None and default.type in ("number", "factor"):
            values.append(reader.expression(default, {}))
        else:
            values.append(symbol(param.name.value))
    scope = dict(zip(inputs, values))
    ctx = Ctx()
    if rule.style == "autograd" and rule.helper is None:
        scope[rule.forward.get_params()[0].name.value] = ctx
    result = reader.run(rule.forward, scope)
    forward = result.value
    if not isinstance(forward, sympy.Expr):
        raise Unreadable(f"{rule.name}'s forward returns several values", rule.forward.name)
    for value in ctx.attributes.values():
        if isinstance(value, sympy.Symbol) and value in values:
            settings[values.index(value)] = True  # ctx.alpha = alpha: a setting kept for backward
    node = result.node
    if node.type == "name" and node.value in reader.assigned:
        node = reader.assigned[node.value]
    return Forward(inputs, settings, values, ctx, forward, node)


def read_rule(rule: Rule, names: ModuleNames) -> ReadRule:
    """Raises Unreadable for code it cannot read."""
    read_forward_ = read_forward(rule, names)
    inputs, settings, values, ctx, forward = (read_forward_.inputs, read_forward_.settings, read_forward_.values,
                                              read_forward_.ctx, read_forward_.expr)
    reader = Reader(names)
    params_b = [p.name.value for p in rule.backward.get_params()]
    upstream = symbol(params_b[-1]) if rule.style in UPSTREAM else None
    tangents: list[sympy.Symbol] = []
    if rule.style == "autograd":
        if rule.helper is not None:
            helper = rule.helper.get_params()
            reader.suite(rule.helper.children[-1], {helper[0].name.value: ctx, helper[1].name.value: tuple(values),
                                                   helper[2].name.value: forward})
        if len(params_b) != 2:
            raise Unreadable("a backward of several outputs", rule.backward.name)
        scope_b: dict = {params_b[0]: ctx, params_b[1]: upstream}
    elif rule.style == "vjp":
        out = reader.run(rule.helper, dict(zip(inputs, values))).value
        if not isinstance(out, tuple) or len(out) != 2:
            raise Unreadable(f"{rule.helper.name.value} does not return (output, residuals)", rule.helper.name)
        kept = [values[i] for i in rule.nondiff]
        scope_b = {**dict(zip(params_b, kept)), params_b[-2]: out[1], params_b[-1]: upstream}
    elif rule.style == "jvp":
        tangents = [sympy.Symbol(f"{name}_dot", real=True) for name in inputs]
        scope_b = {params_b[0]: tuple(values), params_b[1]: tuple(tangents)}
    else:
        given = params_b[:-1] if rule.style == "upstream" else params_b
        scope_b = dict(zip(given, values))
        if upstream is not None:
            scope_b[params_b[-1]] = upstream
    result = reader.run(rule.backward, scope_b)
    read = ReadRule(inputs, settings, forward, [], upstream, tangents, result.scope)
    read.returned = returned_gradients(rule, read, result.value, result.node)
    for returned in read.returned:  # return grad_x: the verdict goes on the expression grad_x was given
        if returned.node.type == "name" and returned.node.value in reader.assigned:
            returned.node = reader.assigned[returned.node.value]
    return read


def returned_gradients(rule: Rule, read: ReadRule, value: Any, node) -> list[Returned]:
    """Which input each returned value is the gradient of."""
    if rule.style == "jvp":
        if not isinstance(value, tuple) or len(value) != 2:
            raise Unreadable("a jvp rule that does not return (output, tangent)", node)
        nodes = elements(node)
        at = nodes[1] if len(nodes) == 2 else node
        tangent = value[1]
        return [Returned(i, tangent, at) for i in range(len(read.inputs))]
    values = list(value) if isinstance(value, tuple) else [value]
    nodes = elements(node) if isinstance(value, tuple) else [node]
    if len(nodes) != len(values):
        nodes = [node] * len(values)
    positions = list(range(len(read.inputs)))
    if rule.style == "vjp":
        positions = [i for i in positions if i not in rule.nondiff]
    if rule.style in ("plain", "upstream"):
        wanted = [i for i in positions if not read.settings[i]]
        if rule.wrt in read.inputs:
            wanted = [read.inputs.index(rule.wrt)]
        if len(values) != len(positions):
            positions = wanted[:1] if len(values) == 1 else wanted
    if len(values) != len(positions):
        read.count_problem = (f"returns {len(values)} gradient{'s' * (len(values) != 1)} for "
                              f"{len(positions)} input{'s' * (len(positions) != 1)} "
                              f"({', '.join(read.inputs[i] for i in positions)})")
    return [Returned(i, v, n) for i, v, n in zip(positions, values, nodes)]


class Judge:
    """The statements of one rule; `spans` places nodes relative to the backward's start."""

    def __init__(self, rule: Rule, names: ModuleNames, settings: Settings, detail: bool,
                 rendered: Callable[[sympy.Expr], Rendered], given: Mapping[str, Domain] | None = None) -> None:
        """`given`: the domains the module's comments give the rule's inputs; the others take the default."""
        self.rule, self.names, self.settings, self.detail, self.rendered = rule, names, settings, detail, rendered
        self.given = given or {}
        self.framework, self.alias = framework_of(rule, names)

    def code(self, expr: sympy.Expr) -> str:
        return code(expr, self.framework, self.alias, self.names.imports)

    def times(self, factor: str, expr: sympy.Expr) -> str:
        return times(factor, expr, self.framework, self.alias, self.names.imports)

    def domains(self, read: ReadRule | Forward) -> dict[str, Domain]:
        return {name: self.given.get(name) or default_domain(self.settings) for name in read.inputs}

    def forward_statement(self, spans: Spans) -> Statement:
        """What hover on the forward's name shows: the function and its derivatives (detailed pass only); and the
        forward's own stability, a warning on the code of its value with the stable form in the rule's framework."""
        name_span = spans.of(self.rule.forward.name)
        base = Statement(StatementKind.FUNCTION, spans.of(self.rule.forward), self.rule.forward.name.value,
                         name=self.rule.name, name_span=name_span)
        try:
            read = read_forward(self.rule, self.names)
        except Unreadable as stop:
            return replace(base, diagnostics=(self.unreadable(stop, spans, self.rule.forward),))
        inputs = [n for n, s in zip(read.inputs, read.settings) if not s]
        label = f"{self.rule.name}({', '.join(read.inputs)})"
        domains = {name: domain for name, domain in self.domains(read).items() if name in inputs}
        value_span = spans.of(read.node)
        facts = function_facts(self.rule.name, read.expr, inputs, domains, self.settings, value_span, self.detail)
        diagnostics, fixes = [], []
        for diagnostic in facts.diagnostics:
            if diagnostic.code != Code.UNSTABLE_FORM:
                continue  # kinks are the backward's to note
            stable = self.code(facts.stable_body) if facts.stable_body is not None else ""
            if stable and calls_exist(stable, self.framework, self.alias):  # else SymPy's text: math has no sigmoid
                diagnostic = replace(diagnostic, message=diagnostic.message.replace(
                    formula_text(facts.stable_body), stable))
                fixes.append(Fix("Use the stable form", (Edit(value_span, stable),), "quickfix", Code.UNSTABLE_FORM,
                                 True))
            diagnostics.append(diagnostic)
        shown = replace(base, label=label, params=tuple(read.inputs), formula=self.rendered(read.expr),
                        diagnostics=tuple(diagnostics), fixes=tuple(fixes))
        if not self.detail:
            return shown
        return replace(shown, variables=tuple(inputs), derivatives=facts.derivatives, checks=facts.checks)

    def unreadable(self, stop: Unreadable, spans: Spans, within) -> Diagnostic:
        inside = within.start_pos <= stop.node.start_pos and stop.node.end_pos <= within.end_pos
        where = spans.of(stop.node if inside else within.name)
        helper = stop.node.search_ancestor("funcdef") if not inside else None
        place = f" in {helper.name.value}()" if helper is not None else ""
        return Diagnostic(where, Severity.INFORMATION, Code.NOT_CHECKED,
                          f"gradient not checked: {stop.what}{place} cannot be read as elementwise math")

    def backward_statement(self, spans: Spans) -> Statement:
        backward = self.rule.backward
        name_span = spans.of(backward.name)
        whole = spans.of(backward)
        base = Statement(StatementKind.CLAIM, whole, backward.get_code(), name=self.rule.name, name_span=name_span,
                         label=f"{self.rule.name}: {backward.name.value}")
        try:
            read = read_rule(self.rule, self.names)
        except Unreadable as stop:
            return replace(base, diagnostics=(self.unreadable(stop, spans, backward),))
        diagnostics: list[Diagnostic] = []
        checks: list[Check] = []
        derivatives: list[Derivative] = []
        fixes: list[Fix] = []
        if read.count_problem:
            diagnostics.append(Diagnostic(spans.of(read.returned[-1].node if read.returned else backward.name),
                                          Severity.ERROR, Code.GRADIENT_MISMATCH,
                                          f"{backward.name.value} {read.count_problem}"))
        verdicts = {r.input: self.verdict(read, r) for r in read.returned}
        swapped = self.swapped(read, verdicts)
        for returned in read.returned:
            span = spans.of(returned.node)
            if returned.input in swapped:
                diagnostics.append(Diagnostic(span, Severity.ERROR, Code.GRADIENT_MISMATCH, swapped[returned.input]))
                continue
            outcome = verdicts[returned.input]
            if outcome is None:
                continue
            facts, message, severity, fix = outcome
            variable = read.inputs[returned.input]
            label = derivative_label(self.rule.name, read.inputs, variable, 1)
            derivatives.append(Derivative(variable, 1, label, self.rendered(facts.derivative)))
            checks.extend(facts.checks)
            notes = [d for d in facts.diagnostics if d.severity == Severity.INFORMATION]
            forward = f"{self.rule.name}({', '.join(read.inputs)})"  # not SymPy's text of it (Piecewise(...))
            diagnostics.extend(replace(d, span=span, message=d.message.replace(str(read.forward), forward))
                               for d in notes)
            if message:
                code = Code.UNSTABLE_FORM if severity == Severity.WARNING else Code.GRADIENT_MISMATCH
                diagnostics.append(Diagnostic(span, severity, code, message))
            if fix is not None:
                fixes.append(Fix(facts.fix_title or "Replace with the correct gradient", (Edit(span, fix),),
                                 "quickfix", facts.fix_code or Code.GRADIENT_MISMATCH, True))
        return replace(base, params=tuple(read.inputs), variables=tuple(read.inputs), derivatives=tuple(derivatives),
                       checks=tuple(checks), diagnostics=tuple(diagnostics), fixes=tuple(fixes))

    # ------------------------------------------------------------------------------ one gradient
    def claimed(self, read: ReadRule, returned: Returned) -> tuple[sympy.Expr, str]:
        """The derivative the code claims, and the mistake in its shape if any (grad_output forgotten)."""
        value = returned.value
        if read.tangents:
            tangent = read.tangents[returned.input]
            return sympy.diff(value, tangent), ""
        if read.upstream is None:
            return value, ""
        g = read.upstream
        if not value.has(g):
            if value == 0:
                return value, ""
            return value, (f"forgets {g.name}: the gradient must be multiplied by {g.name} (the gradient from the "
                           "output)")
        coefficient = sympy.diff(value, g)
        rest = sympy.piecewise_fold(value - g * coefficient)
        if coefficient.has(g) or not (rest == 0 or sympy.simplify(rest) == 0):
            return value.xreplace({g: sympy.S.One}), f"is not proportional to {g.name} (the gradient from the output)"
        return coefficient, ""

    def check(self, read: ReadRule, index: int, claimed: sympy.Expr) -> ClaimFacts:
        variable = symbol(read.inputs[index])
        return claim_facts(read.forward, variable, 1, claimed, self.domains(read), self.settings, Span(0, 0),
                           self.rule.name, detail=self.detail)

    def verdict(self, read: ReadRule, returned: Returned) -> tuple[ClaimFacts, str, Severity, str | None] | None:
        """The facts, the message that replaces theirs (a named mistake, or a stable form in code) with its
        severity, and the fix's text; None: nothing to say."""
        variable = read.inputs[returned.input]
        if returned.value is NOTHING:
            return None
        if read.settings[returned.input] and self.rule.style == "autograd":
            message = (f"a gradient for {variable}, which has none ({variable} is a setting, not a tensor): torch "
                       f"raises here; return None in its place")
            facts = ClaimFacts(sympy.S.Zero, (), None, "", None, ())
            return facts, message, Severity.ERROR, "None"
        if not isinstance(returned.value, sympy.Expr):
            return None
        claimed, shape = self.claimed(read, returned)
        facts = self.check(read, returned.input, claimed)
        verdict = facts.checks[0].verdict if facts.checks else Verdict.OK
        right = self.right_code(read, facts, returned)
        fix: str | None = right
        if not calls_exist(right, self.framework, self.alias):  # math has no sigmoid: said, not written in
            right, fix = formula_text(self.written(read, facts.derivative)), None
        if shape:
            return facts, f"the gradient for {variable} {shape}; it is {right}", Severity.ERROR, fix
        if verdict == Verdict.MISMATCH:
            if self.rule.style == "plain" and len(self.rule.backward.get_params()) == 1 and read.inputs \
                    and self.of_output(read, returned, claimed):
                return None
            finding = facts.checks[0].finding.replace("the claimed derivative is wrong", f"wrong gradient for "
                                                      f"{variable}", 1)
            per_unit = f" per unit of {read.upstream.name}" if read.upstream is not None else ""
            return facts, f"{finding}{per_unit}; the gradient is {right}", Severity.ERROR, fix
        if verdict == Verdict.UNSTABLE and facts.replacement is None:
            unstable = next((d.message for d in facts.diagnostics if d.code == Code.UNSTABLE_FORM), "")
            return facts, unstable, Severity.WARNING if unstable else Severity.INFORMATION, None
        if verdict == Verdict.UNSTABLE:
            stable = self.as_returned(read, self.written(read, facts.replacement))
            if not calls_exist(stable, self.framework, self.alias):  # said in the formula notation, not written in
                return facts, facts.diagnostics[0].message, Severity.WARNING, None
            text = facts.diagnostics[0].message.replace(f"a stable form: {formula_text(facts.replacement)}",
                                                        f"a stable form: {stable}")
            return facts, text, Severity.WARNING, stable
        return facts, "", Severity.INFORMATION, None

    def of_output(self, read: ReadRule, returned: Returned, claimed: sympy.Expr) -> bool:
        """sigmoid_prime(s) = s*(1 - s): the derivative written in the forward's output, as NumPy nets call it, by
        a name of its own (grad_tanh(x) = 1 - x*x takes the input, as its name says, and is wrong)."""
        if self.rule.backward.get_params()[0].name.value in read.inputs:
            return False
        x = symbol(read.inputs[0])
        in_output = claimed.xreplace({x: read.forward})
        facts = self.check(read, 0, in_output)
        return bool(facts.checks) and facts.checks[0].verdict != Verdict.MISMATCH

    def written(self, read: ReadRule, expr: sympy.Expr) -> sympy.Expr:
        """A derivative as code writes it: the forward's output by the rule's own name for it (s, out, y) where it
        has one, else the forward written out."""
        own = {function: read.forward for function in expr.atoms(sympy.Function)
               if function.func.__name__ == self.rule.name}
        expr = expr.xreplace(own)
        for name, value in read.scope.items():
            if isinstance(value, sympy.Expr) and value == read.forward and not value.is_Symbol:
                return expr.xreplace({read.forward: symbol(name)})
        return expr

    def with_locals(self, read: ReadRule, expr: sympy.Expr) -> sympy.Expr:
        """`expr` with what the rule's locals hold at its return (t = torch.tanh(sp)) by their names, the larger
        first: the text of a fix placed there."""
        held = sorted(((value, name) for name, value in read.scope.items()
                       if isinstance(value, sympy.Expr) and not value.is_Symbol and not value.is_number),
                      key=lambda pair: -sympy.count_ops(pair[0]))
        for value, name in held:
            expr = expr.xreplace({value: symbol(name)})
        return expr

    def output_names(self, read: ReadRule) -> dict:
        return {symbol(name): value for name, value in read.scope.items()
                if isinstance(value, sympy.Expr) and value == read.forward and not value.is_Symbol}

    def as_returned(self, read: ReadRule, derivative: sympy.Expr) -> str:
        derivative = self.with_locals(read, derivative)
        if read.tangents:
            return " + ".join(self.times(t.name, sympy.diff(read.forward, symbol(x)))
                              for x, t in zip(read.inputs, read.tangents))
        if read.upstream is None:
            return self.code(derivative)
        return self.times(read.upstream.name, derivative)

    def right_code(self, read: ReadRule, facts: ClaimFacts, returned: Returned) -> str:
        """The right gradient as code: written with the forward's output where the rule has a name for it and
        that form is as accurate (grad_output * y * (1 - y)), else the derivative as claim_facts shows it."""
        if len(read.inputs) == 1 and not read.tangents:
            x = symbol(read.inputs[0])
            found = written_with_itself(read.forward, x, self.rule.name)
            if found is not None:
                written = self.written(read, found)
                if not written.atoms(sympy.Function) & {sympy.Function(self.rule.name)(x)} and \
                        as_accurate(inline(written.xreplace(self.output_names(read))), facts.derivative,
                                    self.domains(read), self.settings):
                    return self.as_returned(read, written)
        if read.tangents:
            return " + ".join(self.times(t.name, self.written(read, sympy.diff(read.forward, symbol(x))))
                              for x, t in zip(read.inputs, read.tangents))
        return self.as_returned(read, self.written(read, facts.derivative))

    def swapped(self, read: ReadRule, verdicts: dict) -> dict[int, str]:
        """Two gradients each wrong where the other is right: returned in the wrong order."""
        wrong = [r for r in read.returned if verdicts.get(r.input) and verdicts[r.input][0].checks
                 and verdicts[r.input][0].checks[0].verdict == Verdict.MISMATCH]
        if len(wrong) != 2 or read.tangents:
            return {}
        first, second = wrong
        claims = {r.input: self.claimed(read, r)[0] for r in wrong}
        for a, b in ((first, second), (second, first)):
            facts = self.check(read, b.input, claims[a.input])
            if not facts.checks or facts.checks[0].verdict == Verdict.MISMATCH:
                return {}
        x, y = read.inputs[first.input], read.inputs[second.input]
        return {first.input: f"gradients returned in the wrong order: this is the gradient for {y}, in {x}'s place",
                second.input: f"gradients returned in the wrong order: this is the gradient for {x}, in {y}'s place"}
