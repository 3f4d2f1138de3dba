"""Elementwise Python code read into SymPy, from parso's tree (never imported or run): arithmetic, `**`,
comparisons as masks, conditional expressions, local variables, tuple unpacking, helper functions of the same
module (inlined), module constants, and the functions of frameworks.py. Anything else raises Unreadable, which
says what stopped the reading and where."""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy

from neurogebra.analysis.python.gradients.frameworks import CONSTANTS, MODULES, ArgumentError, framework_function

MAX_INLINED = 16  # helper calls nested this deep are not read (a recursive helper)
OPERATORS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": lambda a, b: a / b}
COMPARISONS = {">": sympy.Gt, "<": sympy.Lt, ">=": sympy.Ge, "<=": sympy.Le}
IDENTITY_METHODS = {"float", "double", "half", "type_as", "to", "clone", "detach", "contiguous", "astype",
                    "view_as", "reshape_as", "expand_as", "numpy", "cpu", "cuda", "requires_grad_", "item", "type"}
AUGMENTED = {"+=": "+", "-=": "-", "*=": "*", "/=": "/"}


class Unreadable(Exception):
    """What stopped the reading (`what`, for a person: "a loop") and the parso node it stopped at."""

    def __init__(self, what: str, node: Any) -> None:
        super().__init__(what)
        self.what = what
        self.node = node


@dataclass(frozen=True)
class ModuleRef:
    path: str  # torch, torch.nn.functional, numpy.pi


@dataclass(frozen=True)
class FunctionRef:
    name: str  # a function defined at the module's top level


@dataclass(frozen=True)
class Method:
    value: Any
    name: str


@dataclass
class Ctx:
    """A torch.autograd.Function's ctx: the tensors saved for backward and the attributes set on it."""

    saved: tuple = ()
    attributes: dict = field(default_factory=dict)


class NeedsInputGrad:
    """ctx.needs_input_grad: code under `if ctx.needs_input_grad[i]:` is read as if it ran."""


class Nothing:
    """Python's None, as a value."""


NOTHING = Nothing()


@dataclass(frozen=True)
class Returned:
    value: Any
    node: Any           # the returned expression
    scope: dict


class ModuleNames:
    """What a module's top level defines: imported names (by what they import), functions, constants."""

    def __init__(self, module) -> None:
        self.imports: dict[str, str] = {}
        self.functions: dict[str, Any] = {}
        self.constants: dict[str, Any] = {}
        for node in module.children:
            self.add(node)

    def add(self, node) -> None:
        if node.type == "simple_stmt":
            for child in node.children:
                self.add(child)
        elif node.type == "import_name":
            for path, name in zip(node.get_paths(), node.get_defined_names()):
                dotted = ".".join(part.value for part in path)
                self.imports[name.value] = path[0].value if name.value == path[0].value else dotted
        elif node.type == "import_from":
            for path, name in zip(node.get_paths(), node.get_defined_names()):
                self.imports[name.value] = ".".join(part.value for part in path)
        elif node.type in ("funcdef", "decorated", "async_stmt"):
            definition = node.children[-1] if node.type != "funcdef" else node
            if definition.type == "funcdef":
                self.functions[definition.name.value] = definition
        elif node.type == "expr_stmt" and len(node.children) == 3 and node.children[0].type == "name" \
                and node.children[1].type == "operator" and node.children[1].value == "=":
            self.constants[node.children[0].value] = node.children[2]

    def with_module(self, module) -> ModuleNames:
        """These names with what another module's top level defines laid over them."""
        merged = ModuleNames(module)
        merged.imports = {**self.imports, **merged.imports}
        merged.functions = {**self.functions, **merged.functions}
        merged.constants = {**self.constants, **merged.constants}
        return merged

    def dependencies(self, nodes) -> list[str]:
        """The names of the helpers and constants the code in `nodes` can reach (transitively), for cache keys."""
        seen: list[str] = []
        pending = list(nodes)
        while pending:
            node = pending.pop()
            for leaf in leaves(node):
                name = leaf.value
                if leaf.type == "name" and name not in seen and (name in self.functions or name in self.constants):
                    seen.append(name)
                    pending.append(self.functions.get(name) or self.constants[name])
        return sorted(seen)


def leaves(node):
    if hasattr(node, "children"):
        for child in node.children:
            yield from leaves(child)
    else:
        yield node


def number(text: str) -> sympy.Expr:
    text = text.replace("_", "")
    if text.isdigit():
        return sympy.Integer(int(text))
    if text[-1] in "jJ":
        raise ValueError(text)
    return sympy.Float(float(Fraction(text)))


def arithmetic(value: Any) -> Any:
    """A mask used as a number: 1 where it holds, else 0."""
    if isinstance(value, (sympy.logic.boolalg.Boolean, sympy.core.relational.Relational)) \
            and not isinstance(value, sympy.Expr):
        return sympy.Piecewise((sympy.S.One, value), (sympy.S.Zero, True))
    return value


def elements(node) -> list:
    """The element nodes of a tuple written out (a, b / (a, b)); else [node]."""
    if node.type == "atom" and node.children[0].value == "(" and len(node.children) == 3:
        inner = node.children[1]
        if inner.type in ("testlist_comp", "testlist_star_expr", "testlist"):
            return elements(inner)
        return [node]
    if node.type in ("testlist_star_expr", "testlist", "testlist_comp", "exprlist"):
        return [child for child in node.children if not (child.type == "operator" and child.value == ",")]
    return [node]


class Reader:
    """Reads one function's code (and the helpers it calls) into SymPy."""

    def __init__(self, names: ModuleNames, depth: int = 0) -> None:
        self.names = names
        self.depth = depth
        self.assigned: dict[str, Any] = {}  # the expression each name was last assigned, for placing verdicts

    # ------------------------------------------------------------------------------ functions and statements
    def run(self, funcdef, scope: dict) -> Returned:
        returned = self.suite(funcdef.children[-1], scope)
        if returned is None:
            raise Unreadable(f"{funcdef.name.value} returns nothing", funcdef.name)
        return returned

    def call(self, funcdef, args: list, keywords: dict, node) -> Any:
        if self.depth >= MAX_INLINED:
            raise Unreadable(f"the call to {funcdef.name.value}() (helpers nested too deeply)", node)
        scope: dict = {}
        params = funcdef.get_params()
        for index, param in enumerate(params):
            name = param.name.value
            if param.star_count:
                raise Unreadable(f"the call to {funcdef.name.value}() (it takes *{name})", node)
            if index < len(args):
                scope[name] = args[index]
            elif name in keywords:
                scope[name] = keywords[name]
            elif param.default is not None:
                scope[name] = Reader(self.names, self.depth + 1).expression(param.default, {})
            else:
                raise Unreadable(f"the call to {funcdef.name.value}() (no value for {name})", node)
        return Reader(self.names, self.depth + 1).run(funcdef, scope).value

    def suite(self, suite, scope: dict) -> Returned | None:
        statements = suite.children if suite.type in ("suite", "file_input") else [suite]
        for statement in statements:
            returned = self.statement(statement, scope)
            if returned is not None:
                return returned
        return None

    def statement(self, node, scope: dict) -> Returned | None:
        kind = node.type
        if kind == "simple_stmt":
            for child in node.children:
                returned = self.statement(child, scope)
                if returned is not None:
                    return returned
            return None
        if kind == "return_stmt":
            if len(node.children) == 1:
                raise Unreadable("a return without a value", node)
            value_node = node.children[1]
            return Returned(self.expression(value_node, scope), value_node, scope)
        if kind == "expr_stmt":
            self.assignment(node, scope)
        elif kind in ("atom_expr", "power"):
            self.expression_statement(node, scope)
        elif kind == "if_stmt":
            return self.if_statement(node, scope)
        elif kind == "with_stmt":
            return self.suite(node.children[-1], scope)
        elif kind in ("for_stmt", "while_stmt"):
            raise Unreadable("a loop", node.children[0])
        elif kind in ("try_stmt", "funcdef", "classdef", "decorated", "async_stmt", "global_stmt",
                      "nonlocal_stmt", "raise_stmt", "yield_expr", "del_stmt"):
            raise Unreadable(f"a '{node.children[0].get_code().strip()}' statement", node.children[0])
        return None  # newlines, docstrings, pass, assert, other bare expressions: no effect on the values

    def expression_statement(self, node, scope: dict) -> None:
        """ctx.save_for_backward(...) and ctx.mark_non_differentiable(...); other calls have no effect here."""
        head, trailers = node.children[0], node.children[1:]
        if head.type == "name" and isinstance(scope.get(head.value), Ctx) and len(trailers) == 2 \
                and trailers[0].children[1].value == "save_for_backward":
            arguments = trailers[1].children[1] if len(trailers[1].children) == 3 else None
            nodes = [] if arguments is None else [c for c in (arguments.children if arguments.type == "arglist"
                                                              else [arguments]) if c.type != "operator"]
            scope[head.value].saved = tuple(self.expression(n, scope) for n in nodes)

    def if_statement(self, node, scope: dict) -> Returned | None:
        """Only `if ctx.needs_input_grad[i]:` is read (as if it holds); other branches depend on values."""
        test = node.children[1]
        if "needs_input_grad" not in test.get_code() or len(node.children) > 4:
            raise Unreadable("an if statement (a branch on values)", node.children[0])
        return self.suite(node.children[3], scope)

    def assignment(self, node, scope: dict) -> None:
        children = node.children
        operator = children[1].value if children[1].type == "operator" else None
        if children[1].type == "annassign":
            annotation = children[1].children
            if len(annotation) == 4:
                self.bind(children[0], self.expression(annotation[3], scope), scope)
            return
        if operator in AUGMENTED:
            old = self.expression(children[0], scope)
            new = OPERATORS[AUGMENTED[operator]](arithmetic(old), arithmetic(self.expression(children[2], scope)))
            self.bind(children[0], new, scope)
            return
        if operator != "=":
            raise Unreadable(f"the assignment '{operator}'", children[1])
        value = self.expression(children[-1], scope)
        for target in children[:-1:2]:
            self.bind(target, value, scope)
            if target.type == "name":
                self.assigned[target.value] = children[-1]

    def bind(self, target, value: Any, scope: dict) -> None:
        if target.type == "name":
            scope[target.value] = value
            return
        if target.type == "atom_expr" and len(target.children) == 2 and target.children[0].type == "name":
            head, trailer = target.children
            if trailer.children[0].value == "." and isinstance(scope.get(head.value), Ctx):
                scope[head.value].attributes[trailer.children[1].value] = value
                return
            if trailer.children[0].value == "[":  # grad_input[x < 0] = 0: a masked assignment
                mask = self.expression(trailer.children[1], scope)
                if isinstance(mask, sympy.Expr):
                    raise Unreadable("an indexed assignment (not a mask)", trailer)
                old = self.expression(head, scope)
                scope[head.value] = sympy.Piecewise((arithmetic(value), mask), (arithmetic(old), True))
                return
        targets = elements(target)
        if len(targets) > 1 or targets[0] is not target:
            values = value if isinstance(value, tuple) else None
            if values is None or len(values) != len(targets):
                raise Unreadable(f"unpacking into {len(targets)} names", target)
            for part, item in zip(targets, values):
                self.bind(part, item, scope)
            return
        raise Unreadable(f"the assignment to '{target.get_code().strip()}'", target)

    # ------------------------------------------------------------------------------ expressions
    def expression(self, node, scope: dict) -> Any:
        kind = node.type
        if kind == "number":
            try:
                return number(node.value)
            except ValueError:
                shown = node.value if len(node.value) <= 20 else f"{node.value[:8]}… ({len(node.value):,} characters)"
                raise Unreadable(f"the number {shown}", node) from None
        if kind == "name":
            return self.name(node, scope)
        if kind == "keyword":
            if node.value in ("True", "False"):
                return sympy.true if node.value == "True" else sympy.false
            if node.value == "None":
                return NOTHING
            raise Unreadable(f"'{node.value}'", node)
        if kind in ("string", "strings"):
            text = node.get_code().strip()
            return text.strip("\"'")
        if kind in ("arith_expr", "term"):
            value = arithmetic(self.expression(node.children[0], scope))
            for operator, operand in zip(node.children[1::2], node.children[2::2]):
                if operator.value not in OPERATORS:
                    what = "a matrix product (@)" if operator.value == "@" else f"the operator {operator.value}"
                    raise Unreadable(what, operator)
                value = OPERATORS[operator.value](value, arithmetic(self.expression(operand, scope)))
            return value
        if kind == "factor":
            operator, operand = node.children
            value = self.expression(operand, scope)
            if operator.value == "~":
                return sympy.Not(value)
            return -arithmetic(value) if operator.value == "-" else arithmetic(value)
        if kind == "power":
            base = arithmetic(self.expression(node.children[0], scope))
            return base ** arithmetic(self.expression(node.children[-1], scope))
        if kind == "atom_expr":
            return self.trailers(node.children[0], node.children[1:], scope)
        if kind == "atom":
            return self.atom(node, scope)
        if kind in ("testlist_star_expr", "testlist", "testlist_comp", "exprlist"):
            return tuple(self.expression(e, scope) for e in elements(node))
        if kind == "comparison":
            return self.comparison(node, scope)
        if kind in ("and_expr", "and_test"):
            return sympy.And(*(self.expression(c, scope) for c in node.children[::2]))
        if kind in ("or_expr", "or_test"):
            return sympy.Or(*(self.expression(c, scope) for c in node.children[::2]))
        if kind == "not_test":
            return sympy.Not(self.expression(node.children[1], scope))
        if kind == "test" and len(node.children) == 5:  # a if c else b
            chosen, _, test, _, other = node.children
            return sympy.Piecewise((arithmetic(self.expression(chosen, scope)), self.expression(test, scope)),
                                   (arithmetic(self.expression(other, scope)), True))
        raise Unreadable(f"'{node.get_code().strip()[:40]}'", node)

    def atom(self, node, scope: dict) -> Any:
        opener = node.children[0].value
        if opener == "(" and len(node.children) == 3:
            inner = node.children[1]
            if inner.type == "testlist_comp":
                if any(c.type in ("comp_for", "sync_comp_for") for c in inner.children):
                    raise Unreadable("a generator expression", inner)
                return tuple(self.expression(e, scope) for e in elements(inner))
            return self.expression(inner, scope)
        if opener in ("(", "["):
            if len(node.children) == 2:
                return ()
            inner = node.children[1]
            if any(c.type in ("comp_for", "sync_comp_for") for c in getattr(inner, "children", ())):
                raise Unreadable("a comprehension", inner)
            return tuple(self.expression(e, scope) for e in elements(inner))
        raise Unreadable(f"'{node.get_code().strip()[:40]}'", node)

    def comparison(self, node, scope: dict) -> Any:
        parts = node.children
        relations = []
        for left, operator, right in zip(parts[::2], parts[1::2], parts[2::2]):
            make = COMPARISONS.get(operator.value if operator.type == "operator" else "")
            if make is None:
                raise Unreadable(f"the comparison '{operator.get_code().strip()}'", operator)
            relations.append(make(arithmetic(self.expression(left, scope)), arithmetic(self.expression(right, scope))))
        return sympy.And(*relations)

    def name(self, node, scope: dict) -> Any:
        name = node.value
        if name in scope:
            return scope[name]
        if name in self.names.imports:
            return ModuleRef(self.names.imports[name])
        if name in self.names.functions:
            return FunctionRef(name)
        if name in self.names.constants:
            if self.depth >= MAX_INLINED:
                raise Unreadable(f"the constant {name} (defined too deeply)", node)
            return Reader(self.names, self.depth + 1).expression(self.names.constants[name], {})
        if name in ("abs", "pow", "max", "min", "float"):
            return ModuleRef(f"builtins.{name}")
        raise Unreadable(f"'{name}', which is not defined here", node)

    def trailers(self, head, trailers, scope: dict) -> Any:
        value = self.expression(head, scope)
        for trailer in trailers:
            opener = trailer.children[0].value
            if opener == ".":
                value = self.attribute(value, trailer.children[1], scope)
            elif opener == "(":
                args, keywords = self.arguments(trailer, scope)
                value = self.apply(value, args, keywords, trailer)
            else:
                value = self.subscript(value, trailer, scope)
        return value

    def attribute(self, value: Any, name_node, scope: dict) -> Any:
        name = name_node.value
        if isinstance(value, ModuleRef):
            path = f"{value.path}.{name}"
            if value.path in MODULES and name in CONSTANTS:
                return CONSTANTS[name]
            return ModuleRef(path)
        if isinstance(value, Ctx):
            if name == "saved_tensors" or name == "saved_variables":
                return value.saved
            if name == "needs_input_grad":
                return NeedsInputGrad()
            if name in value.attributes:
                return value.attributes[name]
            raise Unreadable(f"ctx.{name}, which forward does not set", name_node)
        if isinstance(value, sympy.Basic) and name == "T":
            return value
        return Method(value, name)

    def subscript(self, value: Any, trailer, scope: dict) -> Any:
        index = self.expression(trailer.children[1], scope)
        if isinstance(value, tuple) and isinstance(index, sympy.Integer) and -len(value) <= int(index) < len(value):
            return value[int(index)]
        if isinstance(value, NeedsInputGrad):
            return sympy.true
        if isinstance(value, sympy.Expr) and isinstance(index, sympy.logic.boolalg.Boolean):
            return value  # grad[x < 0]: the values where the mask holds, as in a masked assignment
        raise Unreadable("indexing (not elementwise)", trailer)

    def arguments(self, trailer, scope: dict) -> tuple[list, dict]:
        if len(trailer.children) == 2:
            return [], {}
        inner = trailer.children[1]
        items = inner.children if inner.type == "arglist" else [inner]
        args: list = []
        keywords: dict = {}
        for item in items:
            if item.type == "operator":
                continue
            if item.type == "argument":
                if len(item.children) != 3 or item.children[1].value != "=":
                    raise Unreadable("a call with *args, **kwargs or a generator", item)
                keywords[item.children[0].value] = self.expression(item.children[2], scope)
            else:
                args.append(self.expression(item, scope))
        return args, keywords

    def apply(self, callee: Any, args: list, keywords: dict, trailer) -> Any:
        if isinstance(callee, FunctionRef):
            return self.call(self.names.functions[callee.name], args, keywords, trailer)
        if isinstance(callee, ModuleRef):
            module, _, name = callee.path.rpartition(".")
            if module == "builtins":
                return self.builtin(name, args, trailer)
            reading = framework_function(module, name)
            if reading is None:
                raise Unreadable(f"the call to {callee.path}()", trailer)
            return self.framework_call(reading, callee.path, args, keywords, trailer)
        if isinstance(callee, Method):
            return self.method(callee, args, keywords, trailer)
        raise Unreadable("a call to something that is not a function here", trailer)

    def framework_call(self, reading, name: str, args: list, keywords: dict, trailer) -> Any:
        values = [arithmetic(a) if i else a for i, a in enumerate(args)] if "where" in name else \
            [arithmetic(a) for a in args]
        if not values:
            raise Unreadable(f"the call to {name}() without arguments", trailer)
        try:
            return reading(values, keywords)
        except (ArgumentError, IndexError, TypeError) as error:
            raise Unreadable(f"the call to {name}() ({error})", trailer) from None

    def builtin(self, name: str, args: list, trailer) -> Any:
        values = [arithmetic(a) for a in args]
        if name == "abs" and len(values) == 1:
            return sympy.Abs(values[0])
        if name == "pow" and len(values) == 2:
            return values[0] ** values[1]
        if name in ("max", "min") and len(values) >= 2:
            return (sympy.Max if name == "max" else sympy.Min)(*values)
        if name == "float" and len(values) == 1:
            return values[0]
        raise Unreadable(f"the call to {name}()", trailer)

    def method(self, method: Method, args: list, keywords: dict, trailer) -> Any:
        """A tensor's method: x.exp(), x.pow(2), x.clamp(min=0), (x > 0).float(), grad.mul(s)."""
        if method.name in IDENTITY_METHODS:
            return arithmetic(method.value) if method.name != "item" else method.value
        reading = framework_function("torch", method.name.rstrip("_"))
        if reading is None or isinstance(method.value, (Ctx, tuple, ModuleRef, FunctionRef, Method)):
            raise Unreadable(f"the call to .{method.name}()", trailer)
        return self.framework_call(reading, method.name, [method.value, *args], keywords, trailer)
