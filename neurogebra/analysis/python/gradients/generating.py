"""The gradient rule a forward lacks, written for it (issue 16's code action): a torch.autograd.Function's
backward, a custom_vjp's fwd/bwd and defvjp, a custom_jvp's defjvp, a plain function's f_grad; in the forward's
framework, with its names, from the derivatives the library shows (stable forms where the naive one breaks, the
function itself where that is as accurate). A rule is offered only when the module with it, read again, has the
rule judged right with no warning; otherwise nothing is offered.

torch: backward reads what forward saves. When forward saves nothing, the edit also inserts
`ctx.save_for_backward(...)` of the inputs the gradient needs (and `ctx.alpha = alpha` for a setting it needs)
just before forward's return; when forward saves some of them already, the missing ones are added to its call."""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping

import parso
import sympy
from sympy.core.function import UndefinedFunction

from neurogebra.analysis.lines import line_starts
from neurogebra.analysis.model import Edit, Fix, Severity, Span, Statement, StatementKind
from neurogebra.analysis.python.gradients.reading import Unreadable, number
from neurogebra.analysis.python.gradients.styles import find_rules
from neurogebra.analysis.python.gradients.verdicts import Forward, Judge, Spans, read_forward
from neurogebra.analysis.python.gradients.writing import calls_exist
from neurogebra.analysis.semantics import function_facts
from neurogebra.builder import symbol
from neurogebra.verdict import Verdict

INDENT = "    "
SHARED_NAMES = {"tanh": "t", "sigmoid": "s", "exp": "e", "softplus": "sp"}  # a repeated call's local, by function
RIGHT = (Verdict.OK, Verdict.NON_DIFFERENTIABLE)


def lone_statement(judge: Judge, spans: Spans) -> Statement:
    """A forward with no gradient rule: its derivatives for hover and the rule generated for it (detailed pass
    only: nothing here is a diagnostic)."""
    rule = judge.rule
    base = Statement(StatementKind.FUNCTION, spans.of(rule.forward), rule.forward.name.value, name=rule.name,
                     name_span=spans.of(rule.forward.name))
    if not judge.detail:
        return base
    try:
        read = read_forward(rule, judge.names, symbolic=True)
    except Unreadable:
        return base
    inputs = [name for name, setting in zip(read.inputs, read.settings) if not setting]
    if not inputs:
        return base
    domains = judge.domains(read)
    facts = function_facts(rule.name, read.expr, inputs, domains, judge.settings, spans.of(read.node))
    shown = replace(base, label=f"{rule.name}({', '.join(read.inputs)})", params=tuple(read.inputs),
                    formula=judge.rendered(read.expr), variables=tuple(inputs), derivatives=facts.derivatives,
                    checks=facts.checks)
    fix = Generator(judge, read, facts.first_derivatives, spans).fix()
    return replace(shown, fixes=(fix,) if fix is not None else ())


def fresh(preferred: str, taken: set[str]) -> str:
    return next(name for name in (preferred, f"{preferred}_", f"{preferred}__") if name not in taken)


class Generator:
    def __init__(self, judge: Judge, read: Forward, derivatives: Mapping[str, sympy.Expr], spans: Spans) -> None:
        self.judge, self.rule, self.read, self.spans = judge, judge.rule, read, spans
        self.derivatives = derivatives
        names = judge.names
        self.taken = {*read.inputs, *names.imports, *names.functions, *names.constants}
        self.params = [name for name, setting in zip(read.inputs, read.settings) if not setting]
        self.constants = {}  # EPS = 1e-6: the number written as the module's name for it
        for name, node in names.constants.items():
            if node.type == "number" and not node.value.isdigit():
                try:
                    self.constants[number(node.value)] = sympy.Symbol(name, real=True)
                except ValueError:
                    continue

    # ------------------------------------------------------------------------------ the derivatives, in code names
    def derivative(self, name: str, output: sympy.Expr) -> sympy.Expr:
        """d/d`name`, with the forward's own value as `output` where it is a polynomial in it, as people write it
        (y*(1 - y), 1 - y**2; not exp(-y) for log), else with the forward written out; 2 for 2.0."""
        expr = self.derivatives[name]
        own = [f for f in expr.atoms(sympy.Function)
               if isinstance(f.func, UndefinedFunction) and f.func.__name__ == self.rule.name]
        if own:
            y = sympy.Dummy("y")
            in_output = expr.xreplace({f: y for f in own})
            expr = in_output.xreplace({y: output if in_output.is_polynomial(y) else self.read.expr})
        whole = {f: sympy.Integer(int(f)) for f in expr.atoms(sympy.Float) if float(f).is_integer()}
        return expr.xreplace(whole).xreplace(self.constants)

    def code(self, expr: sympy.Expr) -> str:
        return self.judge.code(expr)

    def times(self, factor: str, expr: sympy.Expr) -> str:
        return factor if expr == 1 else self.judge.times(factor, expr)

    def shared(self, derivatives: dict[str, sympy.Expr]) -> tuple[list[str], dict[str, sympy.Expr]]:
        """The calls of tanh, sigmoid, exp and softplus the gradients repeat, as locals named as people name them
        (t = torch.tanh(F.softplus(x)), the largest first): the lines that set them, and the gradients that use
        them."""
        lines: list[str] = []
        calls = {call for expr in derivatives.values() for call in expr.atoms(sympy.Function)
                 if type(call).__name__ in SHARED_NAMES}
        for call in sorted(calls, key=lambda c: (-sympy.count_ops(c), sympy.srepr(c))):
            if sum(expr.count(call) for expr in derivatives.values()) < 2:
                continue
            name = fresh(SHARED_NAMES[type(call).__name__], self.taken)
            self.taken.add(name)
            lines.append(f"{name} = {self.code(call)}")
            derivatives = {p: expr.xreplace({call: symbol(name)}) for p, expr in derivatives.items()}
        return lines, derivatives

    def call(self) -> str:
        return f"{self.rule.name}({', '.join(self.read.inputs)})"

    def with_output(self, preferred: str) -> tuple[dict[str, sympy.Expr], str | None]:
        """Each input's derivative, with the forward's value by a local name (returned too) where it is used."""
        output = fresh(preferred, self.taken)
        found = {name: self.derivative(name, symbol(output)) for name in self.params}
        used = any(symbol(output) in expr.free_symbols for expr in found.values())
        if used:
            self.taken.add(output)
        return found, output if used else None

    # ------------------------------------------------------------------------------ each style
    def fix(self) -> Fix | None:
        made = {"autograd": self.autograd, "vjp": self.vjp, "jvp": self.jvp, "plain": self.plain}[self.rule.style]()
        if made is None:
            return None
        title, edits = made
        if not self.checked(edits):
            return None
        kind = "refactor" if self.rule.style == "plain" else "quickfix"
        return Fix(title, tuple(edits), kind)

    def after_forward(self, text: str) -> Edit:
        """`text` inserted on the lines after the forward (it begins with its blank lines)."""
        end = self.spans.of(self.rule.forward).end
        newline = "" if self.rule.forward.get_code().endswith("\n") else "\n"
        return Edit(Span(end, end), newline + text)

    def plain(self) -> tuple[str, list[Edit]] | None:
        name = f"{self.rule.name}_grad"
        if name in self.taken:
            return None
        derivatives, output = self.with_output("y")
        body = [f"{output} = {self.call()}"] if output else []
        locals_, derivatives = self.shared(derivatives)
        body += locals_
        body.append("return " + ", ".join(self.code(derivatives[p]) for p in self.params))
        params = self.rule.forward.children[2].get_code(include_prefix=False)
        return f"Generate {name}", [self.after_forward("\n\n" + function(f"def {name}{params}:", body))]

    def vjp(self) -> tuple[str, list[Edit]] | None:
        name = self.rule.name
        fwd, bwd = f"{name}_fwd", f"{name}_bwd"
        if any(self.read.settings) or fwd in self.taken or bwd in self.taken:
            return None
        derivatives, output = self.with_output("y")
        residuals = [p for p in self.params if any(symbol(p) in d.free_symbols for d in derivatives.values())]
        residuals += [output] if output else []
        packed = f"({items(residuals)})"
        g, res = fresh("g", self.taken), fresh("res", self.taken)
        forward = [f"{output} = {self.call()}", f"return {output}, {packed}"] if output else \
            [f"return {self.call()}, {packed}"]
        backward = [f"{items(residuals)} = {res}"] if residuals else []
        locals_, derivatives = self.shared(derivatives)
        backward += locals_
        gradients = [self.times(g, derivatives[p]) for p in self.params]
        backward.append(f"return ({items(gradients)})")
        text = ("\n\n" + function(f"def {fwd}({', '.join(self.read.inputs)}):", forward) + "\n\n"
                + function(f"def {bwd}({res}, {g}):", backward) + f"\n\n{name}.defvjp({fwd}, {bwd})\n")
        return f"Generate the defvjp rule of {name}", [self.after_forward(text)]

    def jvp(self) -> tuple[str, list[Edit]] | None:
        name = self.rule.name
        rule = f"{name}_jvp"
        if any(self.read.settings) or rule in self.taken:
            return None
        derivatives, output = self.with_output("y")
        dots = [f"{p}_dot" for p in self.params]
        body = [f"{items(self.params)} = primals", f"{items(dots)} = tangents"]
        body += [f"{output} = {self.call()}"] if output else []
        locals_, derivatives = self.shared(derivatives)
        body += locals_
        tangent = " + ".join(self.times(dot, derivatives[p]) for p, dot in zip(self.params, dots))
        body.append(f"return {output or self.call()}, {tangent}")
        text = "\n\n" + function(f"@{name}.defjvp\ndef {rule}(primals, tangents):", body)
        return f"Generate the defjvp rule of {name}", [self.after_forward(text)]

    def autograd(self) -> tuple[str, list[Edit]] | None:
        forward = self.rule.forward
        ctx = forward.get_params()[0].name.value
        suite = forward.children[-1]
        returned = next((s.children[0] for s in suite.children
                         if s.type == "simple_stmt" and s.children[0].type == "return_stmt"), None)
        save = next((s.children[0] for s in suite.children if s.type == "simple_stmt"
                     and s.children[0].get_code(include_prefix=False).startswith(f"{ctx}.save_for_backward(")), None)
        saved_names = self.saved_names(save) if save is not None else []
        if returned is None or saved_names is None or (save is None and self.read.ctx.saved):
            return None
        saved = dict(zip(saved_names, self.read.ctx.saved))
        output = returned.children[1]
        derivatives = {p: self.derivative(p, self.read.expr) for p in self.params}
        held = sorted(((value, name) for name, value in saved.items() if value != symbol(name)),
                      key=lambda pair: -sympy.count_ops(pair[0]))
        derivatives = {p: d.xreplace({v: symbol(n) for v, n in held}) for p, d in derivatives.items()}
        output_saved = output.type == "name" and not self.read.expr.is_Symbol \
            and any(d.has(self.read.expr) for d in derivatives.values())
        if output_saved:  # forward returns y: backward reads y rather than computing it again
            derivatives = {p: d.xreplace({self.read.expr: symbol(output.value)}) for p, d in derivatives.items()}
        attributes = {value: attribute for attribute, value in self.read.ctx.attributes.items()
                      if isinstance(value, sympy.Symbol)}
        lines: list[str] = []
        added: list[str] = []
        for name, setting in zip(self.read.inputs, self.read.settings):
            used = any(symbol(name) in d.free_symbols for d in derivatives.values())
            if setting and used:
                if symbol(name) not in attributes:
                    attributes[symbol(name)] = name
                    lines.append(f"{ctx}.{name} = {name}")
                held_by = sympy.Symbol(f"{ctx}.{attributes[symbol(name)]}", real=True)
                derivatives = {p: d.xreplace({symbol(name): held_by}) for p, d in derivatives.items()}
            elif used and name not in saved:
                added.append(name)
        added += [output.value] if output_saved and output.value not in saved else []
        edits: list[Edit] = []
        names = [*saved, *added]
        if added and save is not None:
            closing = save.children[-1].children[-1]
            at = self.spans.of(closing).start
            edits.append(Edit(Span(at, at), (", " if saved else "") + ", ".join(added)))
        elif added:
            lines.append(f"{ctx}.save_for_backward({', '.join(added)})")
        if lines:
            indent = " " * returned.start_pos[1]
            at = self.spans.line_starts[returned.start_pos[0] - 1] - self.spans.origin
            edits.append(Edit(Span(at, at), "".join(f"{indent}{line}\n" for line in lines)))
        method = " " * (forward.parent.start_pos[1] if forward.parent.type == "decorated" else forward.start_pos[1])
        body = [f"{items(names)} = {ctx}.saved_tensors"] if names else []
        self.taken.update(names)
        locals_, derivatives = self.shared(derivatives)
        body += locals_
        gradients = [self.times("grad_output", derivatives[name]) if not setting else "None"
                     for name, setting in zip(self.read.inputs, self.read.settings)]
        body.append(f"return {', '.join(gradients)}")
        text = "\n" + indented(function(f"@staticmethod\ndef backward({ctx}, grad_output):", body), method)
        edits.append(self.after_forward(text))
        return f"Generate the backward of {self.rule.name}", edits

    @staticmethod
    def saved_names(save) -> list[str] | None:
        """The names `ctx.save_for_backward(a, b)` saves; None when it saves anything but names."""
        trailer = save.children[-1]
        if len(trailer.children) == 2:
            return []
        inner = trailer.children[1]
        items = [c for c in (inner.children if inner.type == "arglist" else [inner]) if c.type != "operator"]
        return [item.value for item in items] if all(item.type == "name" for item in items) else None

    # ------------------------------------------------------------------------------ checking what is offered
    def checked(self, edits: list[Edit]) -> bool:
        """The forward's class or function with the edits, read again (with the module's names): the rule is
        found, every gradient it returns is right with no warning, and every function it calls exists."""
        owner = self.owner()
        start = self.spans.of(owner).start
        text = owner.get_code(include_prefix=False)
        for edit in sorted(edits, key=lambda e: -e.span.start):
            text = text[:edit.span.start - start] + edit.new_text + text[edit.span.end - start:]
        if not calls_exist(text, self.judge.framework, self.judge.alias):
            return False
        module = parso.parse(text)
        names = self.judge.names.with_module(module)
        rule = next((r for r in find_rules(module, names) if r.name == self.rule.name), None)
        if rule is None:
            return False
        judge = Judge(rule, names, self.judge.settings, False, self.judge.rendered)
        statement = judge.backward_statement(Spans(line_starts(text), 0))
        return len(statement.checks) == len(self.params) and all(c.verdict in RIGHT for c in statement.checks) \
            and not any(d.severity <= Severity.WARNING for d in statement.diagnostics)

    def owner(self) -> Any:
        forward = self.rule.forward
        if self.rule.style == "autograd":
            return forward.search_ancestor("classdef")
        return forward.parent if forward.parent.type == "decorated" else forward


def items(names: list[str]) -> str:
    """Names as a tuple is written: `a, b`, or `a,` for one."""
    return f"{', '.join(names)}{',' * (len(names) == 1)}"


def function(header: str, body: list[str]) -> str:
    return header + "\n" + "".join(f"{INDENT}{line}\n" for line in body)


def indented(text: str, indent: str) -> str:
    return "".join(f"{indent}{line}" if line.strip() else line for line in text.splitlines(keepends=True))
