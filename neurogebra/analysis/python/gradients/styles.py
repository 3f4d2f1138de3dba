"""The gradient rules a module writes, in the three styles: a torch.autograd.Function's forward and backward, a
jax.custom_vjp's defvjp(fwd, bwd) or custom_jvp's defjvp, and plain function pairs (f with f_grad, f_prime,
f_derivative, grad_f, df, d_f, dfdx, f_backward, or any function marked `# neurogebra: derivative of f`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from neurogebra.analysis.python.gradients.reading import ModuleNames, leaves

DERIVATIVE_NAMES = ("{}_grad", "{}_prime", "{}_derivative", "{}_deriv", "grad_{}", "d{}", "d_{}", "d{}dx",
                    "{}_backward")
MARKER = re.compile(r"#\s*neurogebra:\s*derivative of\s+(\w+)(?:\s+in\s+(\w+))?")


@dataclass(frozen=True)
class Rule:
    """A forward and the code that gives its gradient.

    style: "autograd" (backward(ctx, grad_output)), "vjp" (bwd(residuals, g)), "jvp" (jvp(primals, tangents)),
    "plain" (f_grad(x), the derivative itself) or "upstream" (f_backward(x, grad), times the upstream gradient)."""

    style: str
    name: str                      # as labels call the function: Sigmoid, gelu
    forward: Any                   # the forward's funcdef
    backward: Any                  # the rule's funcdef; None: a forward with no rule yet (one can be generated)
    helper: Any = None             # custom_vjp's fwd, or the autograd Function's setup_context
    nondiff: tuple[int, ...] = ()  # custom_vjp's nondiff_argnums
    wrt: str | None = None         # `# neurogebra: derivative of f in x`


def function_of(node):
    """The funcdef of a definition, decorated or not."""
    if node.type == "decorated":
        node = node.children[-1]
    if node.type == "async_stmt":
        return None
    return node if node.type == "funcdef" else None


def decorators(node) -> list[str]:
    if node.type != "decorated":
        return []
    held = node.children[0]
    items = held.children if held.type == "decorators" else [held]
    return [item.get_code().strip() for item in items]


def find_rules(module, names: ModuleNames) -> Iterator[Rule]:
    claimed: set[str] = set()
    for node in autograd_classes(module):
        rule = autograd_rule(node)
        if rule is not None:
            yield rule
    for rule in jax_rules(module, names):
        claimed.update((rule.forward.name.value, rule.backward.name.value))
        yield rule
    yield from plain_rules(module, names, claimed)


def autograd_classes(module) -> Iterator[Any]:
    for node in module.children:
        if node.type == "classdef" and "Function" in (node.get_super_arglist().get_code()
                                                      if node.get_super_arglist() is not None else ""):
            yield node


def methods_of(classdef) -> dict[str, Any]:
    methods = {}
    for child in classdef.children[-1].children:
        function = function_of(child)
        if function is not None:
            methods[function.name.value] = function
    return methods


def autograd_rule(classdef) -> Rule | None:
    methods = methods_of(classdef)
    if "forward" not in methods or "backward" not in methods:
        return None
    return Rule("autograd", classdef.name.value, methods["forward"], methods["backward"], methods.get("setup_context"))


def jax_rules(module, names: ModuleNames) -> Iterator[Rule]:
    decorated = {}
    for node in module.children:
        function = function_of(node)
        if function is not None:
            decorated[function.name.value] = (function, decorators(node))
    for name, (function, marks) in decorated.items():
        vjp = next((m for m in marks if "custom_vjp" in m), None)
        if vjp is not None:
            pair = defvjp_call(module, name)
            if pair is not None and all(p in names.functions for p in pair):
                yield Rule("vjp", name, function, names.functions[pair[1]], names.functions[pair[0]],
                           nondiff_argnums(vjp))
        if any("custom_jvp" in m for m in marks):
            rule = next((f for f, ms in decorated.values() if f"@{name}.defjvp" in ms), None)
            if rule is not None:
                yield Rule("jvp", name, function, rule)


def lone_forwards(module, names: ModuleNames, rules: list[Rule]) -> Iterator[Rule]:
    """The forwards with no gradient rule, as rules whose backward is None: a torch.autograd.Function with a
    forward(ctx, ...) and no backward (the setup_context style is left out), a custom_vjp with no defvjp, a
    custom_jvp with no defjvp, and, in a module that imports numpy, torch, jax or math, a top-level function no
    rule pairs (nor uses as its fwd or setup_context)."""
    for classdef in autograd_classes(module):
        methods = methods_of(classdef)
        if "forward" in methods and "backward" not in methods and "setup_context" not in methods \
                and methods["forward"].get_params():
            yield Rule("autograd", classdef.name.value, methods["forward"], None)
    paired = {part.name.value for rule in rules for part in (rule.forward, rule.backward, rule.helper)
              if part is not None and part.parent.type in ("file_input", "decorated")}
    numeric = any(path.split(".")[0] in ("numpy", "torch", "jax", "math") for path in names.imports.values())
    marked = {mark for node in module.children for mark in decorators(node)}
    for node in module.children:
        function = function_of(node)
        if function is None or function.name.value in paired or not function.get_params():
            continue
        name, marks = function.name.value, decorators(node)
        if any("custom_vjp" in m for m in marks):
            if defvjp_call(module, name) is None:
                yield Rule("vjp", name, function, None)
        elif any("custom_jvp" in m for m in marks):
            if f"@{name}.defjvp" not in marked:
                yield Rule("jvp", name, function, None)
        elif not marks and numeric:
            yield Rule("plain", name, function, None)


def defvjp_call(module, name: str) -> tuple[str, str] | None:
    """f.defvjp(f_fwd, f_bwd) at the module's top level: the two names."""
    for statement in module.children:
        code = statement.get_code()
        match = re.search(rf"^\s*{re.escape(name)}\.defvjp\(\s*(\w+)\s*,\s*(\w+)\s*\)", code, re.MULTILINE)
        if match:
            return match.group(1), match.group(2)
    return None


def nondiff_argnums(decorator: str) -> tuple[int, ...]:
    match = re.search(r"nondiff_argnums\s*=\s*\(?([\d,\s]*)\)?", decorator)
    return tuple(int(n) for n in match.group(1).replace(" ", "").split(",") if n) if match else ()


def plain_rules(module, names: ModuleNames, claimed: set[str]) -> Iterator[Rule]:
    for node in module.children:
        function = function_of(node)
        if function is None:
            continue
        name = function.name.value
        marked = MARKER.search(node.get_first_leaf().prefix)
        if marked and marked.group(1) in names.functions and marked.group(1) != name:
            forward, wrt = names.functions[marked.group(1)], marked.group(2)
        else:
            forward, wrt = derivative_target(name, names, claimed), None
        if forward is None:
            continue
        inputs = len(forward.get_params())
        style = "upstream" if len(function.get_params()) == inputs + 1 else "plain"
        yield Rule(style, forward.name.value, forward, function, wrt=wrt)


def derivative_target(name: str, names: ModuleNames, claimed: set[str]):
    """The function whose derivative `name` names (sigmoid for sigmoid_grad), if the module defines it."""
    if name in claimed:
        return None
    for pattern in DERIVATIVE_NAMES:
        prefix, _, suffix = pattern.partition("{}")
        if name.startswith(prefix) and name.endswith(suffix) and len(name) > len(prefix) + len(suffix):
            target = name[len(prefix):len(name) - len(suffix)]
            if target in names.functions and target != name and target not in claimed:
                return names.functions[target]
    return None


def framework_of(rule: Rule, names: ModuleNames) -> tuple[str, str]:
    """The framework the rule's code uses, and the name the module calls it by: (torch, torch), (jax, jnp)."""
    used = {leaf.value for part in (rule.forward, rule.backward) if part is not None for leaf in leaves(part)
            if leaf.type == "name"}
    found = {names.imports[name]: name for name in used if name in names.imports}
    for framework, module in (("torch", "torch"), ("jax", "jax.numpy"), ("numpy", "numpy"), ("math", "math")):
        if any(path.startswith(framework if framework != "jax" else "jax") for path in found):
            alias = next((n for n, p in names.imports.items() if p == module), None)
            return framework, alias or module.split(".")[-1]
    return "numpy", next((n for n, p in names.imports.items() if p == "numpy"), "np")
