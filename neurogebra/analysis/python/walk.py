"""The walk over one Python module's tree (parso's error-tolerant parser; the code is never imported or run)
that finds the statements neurogebra analyzes and the names bound to their values."""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, Callable, TypeAlias

import parso

from neurogebra.analysis.lines import line_col, line_end, line_starts
from neurogebra.analysis.model import Reference, ReferenceKind, Span, Statement, StatementKind
from neurogebra.analysis.python.domains import DomainComment, Domains, comment_domains, domain_comments
from neurogebra.analysis.python.gradients import ModuleNames, find_rules, rule_key
from neurogebra.analysis.python.gradients.generating import lone_statement
from neurogebra.analysis.python.gradients.styles import MARKER, lone_forwards
from neurogebra.analysis.python.gradients.verdicts import Judge, Spans
from neurogebra.analysis.python.literals import Literal, concatenate, decode
from neurogebra.analysis.python.semantics import Argument, PythonSemantics, Recipe, Value
from neurogebra.analysis.run import Outcome, key_of
from neurogebra.catalog import ENTRIES, canonical_name
from neurogebra.domains import Domain

EXPRESSION_KEYWORDS = ("symbolic_expr", "formula")
CLASSES = ("Expression", "MathForge")


@dataclass(frozen=True)
class Forge:
    """A MathForge() value."""


Abstract: TypeAlias = "str | Forge | Value | None"  # what the code's value is: a class name, a Forge, a Value


@dataclass(frozen=True)
class Found:
    """A statement found in the code, before its (cached) analysis."""

    kind: StatementKind
    span: Span                 # document span: the formula string, the catalog name string, gradient("x"), eval(...)
    literal: Literal | None
    value: Value | None        # the Expression it is about (None: a gradient rule's forward or backward)
    compute: Callable[[], Outcome]
    key: str
    line_end: int = 0
    indent: str = ""
    target: str | None = None  # the assigned Python name, for inserted code
    callee: str = "Expression"


class Walk:
    """The statements of one module (`found`, in the order of the code), its domain comments, and the uses of
    the names bound to Expression values (`uses`, by the span of the statement that made the value).
    `semantics` computes each statement when the run asks; `settings_key` is part of every cache key."""

    def __init__(self, text: str, semantics: PythonSemantics, settings_key: str) -> None:
        self.text = text
        self.semantics = semantics
        self.settings_key = settings_key
        self.line_starts = line_starts(text)
        self.bindings: dict[str, Abstract] = {}
        self.classes = {name: name for name in CLASSES}
        self.found: list[Found] = []
        self.comments: list[DomainComment] = []
        self.uses: dict[Span, list[Reference]] = {}
        module = parso.parse(text, error_recovery=True)
        self.comments = [comment for comment in domain_comments(text, self.line_starts,
                                                                 lambda offset: self.in_comment(module, offset))
                         if not MARKER.match(text, comment.span.start)]  # derivative of f: a gradient rule's
        self.visit(module)
        self.gradient_rules(module)

    # ------------------------------------------------------------------------------ positions
    def offset(self, position: tuple[int, int]) -> int:
        line, column = position
        return self.line_starts[line - 1] + column

    def span(self, node) -> Span:
        return Span(self.offset(node.start_pos), self.offset(node.end_pos))

    def indent(self, offset: int) -> str:
        line, _ = line_col(self.line_starts, offset)
        start = self.line_starts[line]
        code = self.text[start:line_end(self.text, start)]
        return code[:len(code) - len(code.lstrip(" \t"))]

    def literal(self, node) -> Literal | None:
        if node.type == "string":
            return decode(node.value, self.offset(node.start_pos))
        if node.type == "strings":
            decoded = [decode(child.value, self.offset(child.start_pos)) for child in node.children
                       if child.type == "string"]
            parts = [part for part in decoded if part is not None]
            if parts and len(parts) == len(decoded) == len(node.children):
                return concatenate(parts)
        return None

    # ------------------------------------------------------------------------------ gradient rules
    def gradient_rules(self, module) -> None:
        """The forwards and backwards of the gradient rules the module writes (gradients/), in the order of the
        code among the other statements."""
        names = ModuleNames(module)
        semantics = self.semantics
        forwards = set()
        rules = list(find_rules(module, names))
        for rule in rules:
            domains = self.rule_domains(rule)
            key = key_of(rule_key(rule, names, self.settings_key), domains)
            judge = Judge(rule, names, semantics.settings, semantics.detail, semantics.rendered, dict(domains))
            backward = self.span(rule.backward)
            self.found.append(Found(StatementKind.CLAIM, backward, None, None,
                                    self.statement_of(judge.backward_statement, backward.start),
                                    key_of("backward", key)))
            if rule.forward.start_pos not in forwards:
                forwards.add(rule.forward.start_pos)
                forward = self.span(rule.forward)
                self.found.append(Found(StatementKind.FUNCTION, forward, None, None,
                                        self.statement_of(judge.forward_statement, forward.start),
                                        key_of("forward", key)))
        for rule in lone_forwards(module, names, rules):  # a rule can be generated for each (a code action)
            domains = self.rule_domains(rule)
            judge = Judge(rule, names, semantics.settings, semantics.detail, semantics.rendered, dict(domains))
            forward = self.span(rule.forward)
            self.found.append(Found(StatementKind.FUNCTION, forward, None, None,
                                    self.statement_of(partial(lone_statement, judge), forward.start),
                                    key_of("lone", rule_key(rule, names, self.settings_key), sorted(names.functions),
                                           domains)))
        self.found.sort(key=lambda found: found.span.start)

    def rule_domains(self, rule) -> Domains:
        """The domains `# neurogebra: domain x in (0, inf)` comments give a rule's inputs: on the lines of its forward
        and backward (and their decorators), or just above them, or above the class of an autograd Function."""
        given: dict[str, Domain] = {}
        parts = [part for part in (rule.forward, rule.helper, rule.backward) if part is not None]
        owner = rule.forward.search_ancestor("classdef") if rule.style == "autograd" else None
        for part in ([owner] if owner is not None else []) + parts:
            whole = part.parent if part.parent is not None and part.parent.type == "decorated" else part
            first = whole.start_pos[0]
            last = first if part is owner else whole.end_pos[0]
            given.update(comment_domains(self.comments, first - 1, last - 1))
        return tuple(sorted(given.items()))

    def statement_of(self, make: Callable[[Spans], Statement], origin: int) -> Callable[[], Outcome]:
        """The outcome `make` gives, with offsets from `origin`."""
        return lambda: Outcome(make(Spans(self.line_starts, origin)))

    # ------------------------------------------------------------------------------ walking the tree
    def in_comment(self, module, offset: int) -> bool:
        """Whether the '#' at `offset` starts a comment: it lies in the whitespace and comments before a token,
        not in a string or other token (asked just after it, which is past the end of the token before)."""
        line, column = line_col(self.line_starts, offset)
        position = (line + 1, column + 1)
        leaf = module.get_leaf_for_position(position, include_prefixes=True)
        return leaf is not None and leaf.start_pos >= position

    def visit(self, node) -> None:
        kind = node.type
        if kind == "import_from":
            self.imports(node)
        elif kind == "expr_stmt" and len(node.children) == 3 and node.children[1].type == "operator" \
                and node.children[1].value == "=":
            target, _, value = node.children
            result = self.evaluate(value)
            if target.type == "name":
                self.bindings[target.value] = result
                if isinstance(result, Value):
                    self.uses.setdefault(result.origin, []).append(
                        Reference(target.value, self.span(target), ReferenceKind.CONSTANT, True, result.origin))
            else:
                self.visit(target)
            return
        elif kind in ("atom_expr", "power"):
            self.evaluate(node)
            return
        elif kind == "error_node":
            self.error_node(node)
            return
        elif kind == "name":
            if not node.is_definition():
                self.evaluate(node)
            return
        elif kind == "argument" and len(node.children) == 3 and node.children[1].type == "operator" \
                and node.children[1].value == "=":  # keyword=value: the keyword is not a use of a name
            self.visit(node.children[2])
            return
        for child in getattr(node, "children", ()):
            self.visit(child)

    def imports(self, node) -> None:
        for name in node.get_defined_names():
            original = name.value
            parent = name.parent
            if parent.type == "import_as_name":
                original = parent.children[0].value
            if original in CLASSES:
                self.classes[name.value] = original

    def evaluate(self, node) -> Abstract:
        """The abstract value of an expression: a class name, a Forge, a Value, or None (unknown)."""
        if node.type == "name":
            if node.value in self.classes:
                return self.classes[node.value]
            value = self.bindings.get(node.value)
            if isinstance(value, Value):
                self.uses.setdefault(value.origin, []).append(
                    Reference(node.value, self.span(node), ReferenceKind.CONSTANT, False, value.origin))
            return value
        if node.type != "atom_expr" or node.children[0].type == "keyword":  # await f(...), a ** b, ...
            for child in getattr(node, "children", ()):
                self.visit(child)
            return None
        current, attribute = self.chain(node.children[0], node.children[1:], node)
        return current if attribute is None else None

    def chain(self, head, trailers, node) -> tuple[Abstract, Any]:  # Any: a parso leaf or None
        """The value of `head` followed by `trailers` (.name, (...), [...]) in the expression `node`, and the
        attribute name at the end that is not called (yet)."""
        current = self.evaluate(head)
        attribute = None
        for trailer in trailers:
            if trailer.type != "trailer":
                return None, None
            opener = trailer.children[0].value
            if opener == ".":
                attribute = trailer.children[1]
                if attribute.value in CLASSES and current is None:
                    current, attribute = attribute.value, None
                continue
            if opener == "(":
                arguments = trailer.children[1] if len(trailer.children) == 3 else None
                if arguments is not None:
                    self.visit(arguments)  # calls nested in the arguments, whatever shape they are in
                current = self.call(current, attribute, arguments, node, trailer)
                attribute = None
            else:
                self.visit(trailer)
                current = None
        return current, attribute

    def error_node(self, node) -> None:
        """Broken code, where parso leaves the pieces side by side (`f`, `.eval`, `(`, `x`, `=`): a name and the
        trailers after it are read as one expression, and a '(' after an Expression's eval that parso could not
        pair is an eval call whose arguments are not known yet (for completion and signature help)."""
        children = node.children
        i = 0
        while i < len(children):
            if children[i].type != "name":
                self.visit(children[i])
                i += 1
                continue
            j = i + 1
            while j < len(children) and children[j].type == "trailer":
                j += 1
            current, attribute = self.chain(children[i], children[i + 1:j], children[i])
            opening = children[j] if j < len(children) else None
            if isinstance(current, Value) and opening is not None and opening.type == "operator" \
                    and opening.value == "(" and (attribute is None or attribute.value == "eval"):
                start = self.offset((attribute or opening).start_pos)
                self.eval_call(current, None, Span(start, self.closing(opening)))
            i = j

    def closing(self, opening) -> int:
        """Where the ')' that closes the parenthesis `opening` ends; else the end of its line."""
        depth, leaf = 0, opening.get_next_leaf()
        while leaf is not None and leaf.type not in ("newline", "endmarker"):
            if leaf.type in ("operator", "error_leaf") and leaf.value in ("(", "[", "{"):
                depth += 1
            elif leaf.type in ("operator", "error_leaf") and leaf.value in (")", "]", "}"):
                if depth == 0:
                    return self.offset(leaf.end_pos)
                depth -= 1
            leaf = leaf.get_next_leaf()
        return line_end(self.text, self.offset(opening.start_pos))

    @staticmethod
    def arguments(arguments) -> list[tuple[str | None, object]] | None:
        """(keyword or None, value node) for each argument; None when they cannot be read (*args, **kwargs)."""
        if arguments is None:
            return []
        items = arguments.children if arguments.type == "arglist" else [arguments]
        result = []
        for item in items:
            if item.type == "operator":
                continue
            if item.type == "argument" and len(item.children) == 3 and item.children[0].type == "name" \
                    and item.children[1].type == "operator" and item.children[1].value == "=":
                result.append((item.children[0].value, item.children[2]))
            elif item.type == "argument":
                return None  # *args, **kwargs or a generator: not something we can read
            else:
                result.append((None, item))
        return result

    # ------------------------------------------------------------------------------ calls we understand
    def call(self, current: Abstract, attribute, arguments, node, trailer) -> Abstract:
        args = self.arguments(arguments)
        name = attribute.value if attribute is not None else None
        if isinstance(current, Value) and name in ("eval", None):
            self.eval_call(current, args, Span(self.offset((attribute or trailer).start_pos),
                                               self.offset(trailer.end_pos)))
            return None
        args = args or []
        if current == "MathForge" and name is None:
            return Forge()
        if current == "Expression" and name is None:
            return self.expression_call(args, node, trailer)
        if isinstance(current, Forge) and name == "get":
            return self.catalog_call(args, node)
        if isinstance(current, Forge) and name == "compose":
            return self.compose_call(args, node)
        if isinstance(current, Value) and name == "gradient":
            return self.gradient_call(current, args, attribute, trailer)
        if isinstance(current, Value) and name in ("simplify", "expand", "clone"):
            return current
        return None

    def statement_context(self, node) -> tuple[int, str, str | None]:
        statement = node
        while statement.parent is not None and statement.type not in ("expr_stmt", "simple_stmt", "error_node"):
            statement = statement.parent
        target = None
        if statement.type == "expr_stmt" and statement.children[0].type == "name":
            target = statement.children[0].value
        end = self.offset(statement.end_pos)
        return line_end(self.text, max(end - 1, 0)), self.indent(self.offset(node.start_pos)), target

    def domains_at(self, node, inherited: Domains = ()) -> Domains:
        """The domains comments give on the lines of the statement around `node` (its own lines in broken code),
        laid over `inherited` (a gradient keeps its Expression's)."""
        statement = node
        while statement.parent is not None and statement.type != "simple_stmt":
            statement = statement.parent
        if statement.type != "simple_stmt":
            statement = node
        (first, _), (last, column) = statement.start_pos, statement.end_pos
        last -= 1 if column == 0 and last > first else 0  # a simple statement ends after its line break
        given = dict(inherited)
        given.update(comment_domains(self.comments, first - 1, last - 1))
        return tuple(sorted(given.items()))

    def expression_call(self, args, node, trailer) -> Value | None:
        positional = [value for key, value in args if key is None]
        keywords = {key: value for key, value in args if key is not None}
        name_literal = self.literal(positional[0]) if positional else None
        formula_node = positional[1] if len(positional) > 1 else next(
            (keywords[k] for k in EXPRESSION_KEYWORDS if k in keywords), None)
        literal = self.literal(formula_node) if formula_node is not None else None
        if literal is None:
            return None
        name = name_literal.value if name_literal else "f"
        recipe = Recipe("formula", name, literal.value, self.literal_params(keywords.get("params")),
                        domains=self.domains_at(node))
        span = self.span(formula_node)
        end, indent, target = self.statement_context(node)
        callee = self.text[self.offset(node.start_pos):self.offset(trailer.start_pos)]
        shown, value = display_name(target, name), Value(recipe, span)
        self.found.append(Found(StatementKind.FORMULA, span, literal, value,
                                lambda: self.semantics.compute_formula(recipe, literal, span, shown),
                                key_of(recipe.key, shown, self.source(span), self.settings_key), end, indent, target,
                                callee))
        return value

    def source(self, span: Span) -> str:
        """The statement's text as written: local offsets depend on it (escapes, prefixes, concatenation)."""
        return self.text[span.start:span.end]

    def literal_params(self, node) -> tuple[tuple[str, float], ...]:
        if node is None or node.type != "atom" or node.children[0].value != "{":
            return ()
        body = node.children[1] if len(node.children) == 3 else None
        if body is None or body.type != "dictorsetmaker":
            return ()
        items = [c for c in body.children if not (c.type == "operator" and c.value == ",")]
        params = []
        for index in range(0, len(items) - 2, 3):
            key, colon, value = items[index:index + 3]
            literal = self.literal(key)
            number = self.number(value)
            if literal is None or colon.value != ":" or number is None:
                return ()
            params.append((literal.value, number))
        return tuple(params)

    def number(self, node) -> float | int | None:
        if node.type == "number":
            text = node.value.replace("_", "")
            try:
                return int(text, 0) if text.isdigit() or text.lower().startswith(("0x", "0o", "0b")) else float(text)
            except ValueError:
                return None
        if node.type == "factor" and node.children[0].value in "-+":
            inner = self.number(node.children[1])
            return None if inner is None else (-inner if node.children[0].value == "-" else inner)
        return None

    def first_literal(self, args):
        """The call's first argument when it is positional and a string literal: (literal, its span), else None."""
        if not args or args[0][0] is not None:
            return None
        node = args[0][1]
        literal = self.literal(node)
        return None if literal is None else (literal, self.span(node))

    def catalog_call(self, args, node) -> Value | None:
        if (first := self.first_literal(args)) is None:
            return None
        literal, span = first
        keywords = dict(args[1:])
        entry = ENTRIES.get(canonical_name(literal.value) or "")
        params = {**(entry.params if entry else {}), **dict(self.literal_params(keywords.get("params")))}
        recipe = Recipe("catalog", literal.value, literal.value, tuple(params.items()), domains=self.domains_at(node))
        value = Value(recipe, span)
        self.found.append(Found(StatementKind.CATALOG, span, literal, value,
                                lambda: self.semantics.compute_catalog(recipe, literal, span),
                                key_of(recipe.key, self.source(span), self.settings_key)))
        return value

    def compose_call(self, args, node) -> Value | None:
        if (first := self.first_literal(args)) is None:
            return None
        literal, span = first
        recipe = Recipe("compose", literal.value, literal.value, domains=self.domains_at(node))
        end, indent, target = self.statement_context(node)
        shown, value = display_name(target, literal.value), Value(recipe, span)
        self.found.append(Found(StatementKind.FORMULA, span, literal, value,
                                lambda: self.semantics.compute_formula(recipe, literal, span, shown),
                                key_of(recipe.key, shown, self.source(span), self.settings_key), end, indent, target))
        return value

    def gradient_call(self, parent: Value, args, attribute, trailer) -> Value | None:
        if len(args) != 1 or args[0][0] is not None:
            return None
        node = args[0][1]
        literal = self.literal(node)
        if literal is None:
            return None
        quoted = self.span(node)
        span = Span(self.offset(attribute.start_pos), self.offset(trailer.end_pos))  # gradient("x")
        recipe = Recipe("gradient", f"d({parent.recipe.name})/d{literal.value}", "", parent.recipe.params,
                        literal.value, parent.recipe, self.domains_at(node, parent.recipe.domains))
        _, _, target = self.statement_context(node)
        shown, value = display_name(target, recipe.name), Value(recipe, span)
        self.found.append(Found(StatementKind.GRADIENT, span, literal, value,
                                lambda: self.semantics.compute_gradient(recipe, literal, quoted, span, shown),
                                key_of(recipe.key, shown, self.source(span), self.settings_key)))
        return value

    def eval_call(self, value: Value, args, span: Span) -> None:
        """f.eval(...) or f(...) at `span`: eval(...), or the parentheses of f(...); `args` None when the arguments
        cannot be read."""
        arguments = None if args is None else tuple(Argument(key, self.number(node)) for key, node in args)
        recipe = value.recipe
        key = key_of("eval", recipe.key, arguments, self.source(span), self.settings_key)
        self.found.append(Found(StatementKind.EVAL_CALL, span, None, value,
                                lambda: self.semantics.compute_eval(recipe, arguments, span), key))


def display_name(target: str | None, name: str) -> str:
    """How a Python expression is called in labels: its variable, else its name if that is an identifier."""
    if target:
        return target
    return name if name.isidentifier() else "f"
