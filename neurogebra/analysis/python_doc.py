"""Formulas in Python code that uses neurogebra, found with parso's error-tolerant parser (never imported or run).

Recognized: Expression("name", "formula", params={...}) (or symbolic_expr="..."), MathForge() bound to a name,
forge.get("relu"), forge.compose("mse + 0.1*mae"), f.gradient("x") chains through assignments, and
f.eval(x=0, ...) / f(x=0) calls with literal numbers.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from typing import Callable, Iterator, Mapping

import parso
import sympy

from neurogebra.analysis.budget import Cancelled
from neurogebra.analysis.engine import (DocumentRun, LruCache, Outcome, default_domain, key_of,
                                        parse_error_diagnostic, shift)
from neurogebra.analysis.lines import line_col, line_end, line_starts
from neurogebra.analysis.literals import Literal, concatenate, decode
from neurogebra.analysis.model import (Code, Diagnostic, DocumentAnalysis, Edit, Fix, Reference, ReferenceKind,
                                       Settings, Severity, Span, Statement, StatementKind)
from neurogebra.analysis.render import formula_text
from neurogebra.analysis.scope import ScopedBuilder
from neurogebra.analysis.semantics import evaluate, function_facts
from neurogebra.calculus import differentiate
from neurogebra.catalog import ENTRIES, canonical_name, entry_expr
from neurogebra.parsing import ParseError, parse_formula, parse_tree, symbol

EXPRESSION_KEYWORDS = ("symbolic_expr", "formula")


class CatalogNames(Mapping[str, sympy.Expr]):
    """Catalog entries by name (or alias), parsed only when a formula uses them."""

    def __getitem__(self, name: str) -> sympy.Expr:
        canonical = canonical_name(name)
        if canonical is None:
            raise KeyError(name)
        return entry_expr(canonical)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and canonical_name(name) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(ENTRIES)

    def __len__(self) -> int:
        return len(ENTRIES)


@dataclass(frozen=True)
class Forge:
    """A MathForge() value."""


@dataclass(frozen=True)
class Recipe:
    """How an Expression value was made, as text: the cache identity of everything derived from it."""

    kind: str                  # formula, catalog, compose, gradient
    name: str                  # the Expression's name
    source: str                # formula text or catalog name
    params: tuple[tuple[str, float], ...] = ()
    variable: str = ""         # for gradients: of `parent` with respect to `variable`
    parent: "Recipe | None" = None

    @property
    def key(self) -> str:
        return key_of(self.kind, self.name, self.source, self.params, self.variable,
                      self.parent.key if self.parent else None)


@dataclass(frozen=True)
class Value:
    """An Expression value in the code: its recipe and (once analyzed) its SymPy form."""

    recipe: Recipe
    expr: sympy.Expr | None


@dataclass(frozen=True)
class Found:
    """A statement found in the code, before its (cached) analysis."""

    kind: StatementKind
    span: Span                 # document span: the formula string, the catalog name string, the call
    literal: Literal | None
    value: Value | None        # the Expression it is about
    compute: Callable[[], Outcome]
    key: str
    line_end: int = 0
    indent: str = ""
    target: str | None = None  # the assigned Python name, for inserted code
    callee: str = "Expression"


class PythonRun(DocumentRun):
    """One analysis of one Python document."""

    def __init__(self, cache: LruCache, text: str, settings: Settings,
                 should_cancel: Callable[[], bool] | None, detail: bool = True) -> None:
        super().__init__(cache, text, settings, should_cancel, detail)
        self.line_starts = line_starts(text)
        self.bindings: dict[str, object] = {}
        self.classes = {"Expression": "Expression", "MathForge": "MathForge"}
        self.found: list[Found] = []

    # ------------------------------------------------------------------------------ positions
    def offset(self, position: tuple[int, int]) -> int:
        line, column = position
        return self.line_starts[line - 1] + column

    def indent(self, offset: int) -> str:
        line, _ = line_col(self.line_starts, offset)
        start = self.line_starts[line]
        code = self.text[start:line_end(self.text, start)]
        return code[:len(code) - len(code.lstrip(" \t"))]

    def literal(self, node) -> Literal | None:
        if node.type == "string":
            return decode(node.value, self.offset(node.start_pos))
        if node.type == "strings":
            parts = [decode(child.value, self.offset(child.start_pos)) for child in node.children
                     if child.type == "string"]
            if parts and all(parts) and len(parts) == len(node.children):
                return concatenate(parts)
        return None

    # ------------------------------------------------------------------------------ walking the tree
    def run(self) -> DocumentAnalysis:
        module = parso.parse(self.text, error_recovery=True)
        self.visit(module)
        statements = []
        for found in self.found:
            if self.should_cancel():
                raise Cancelled()
            statements.append(self.assemble(found))
        return DocumentAnalysis("python", self.text, tuple(statements), self.reused)

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
            return
        elif kind in ("atom_expr", "power"):
            self.evaluate(node)
            return
        for child in getattr(node, "children", ()):
            self.visit(child)

    def imports(self, node) -> None:
        for name in node.get_defined_names():
            original = name.value
            parent = name.parent
            if parent.type == "import_as_name":
                original = parent.children[0].value
            if original in ("Expression", "MathForge"):
                self.classes[name.value] = original

    def evaluate(self, node) -> object:
        """The abstract value of an expression: a class name, a Forge, a Value, or None (unknown)."""
        if node.type == "name":
            return self.classes.get(node.value) if node.value in self.classes else self.bindings.get(node.value)
        if node.type not in ("atom_expr", "power") or node.children[0].type == "keyword":
            for child in getattr(node, "children", ()):
                self.visit(child)
            return None
        children = node.children
        if node.type == "power":
            for child in children:
                self.visit(child)
            return None
        current = self.evaluate(children[0])
        attribute = None
        for trailer in children[1:]:
            if trailer.type != "trailer":
                return None
            opener = trailer.children[0].value
            if opener == ".":
                attribute = trailer.children[1].value
                if attribute in ("Expression", "MathForge") and current is None:
                    current = attribute
                    attribute = None
                continue
            if opener == "(":
                arguments = trailer.children[1] if len(trailer.children) == 3 else None
                self.visit_arguments(arguments)
                current = self.call(current, attribute, arguments, node, trailer)
                attribute = None
            else:
                current = None
        return current if attribute is None else None

    def visit_arguments(self, arguments) -> None:
        """Calls nested in the arguments, whatever shape the arguments are in."""
        if arguments is not None:
            self.visit(arguments)

    @staticmethod
    def arguments(arguments) -> list[tuple[str | None, object]]:
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
                return []  # *args, **kwargs or a generator: not something we can read
            else:
                result.append((None, item))
        return result

    # ------------------------------------------------------------------------------ calls we understand
    def call(self, current, attribute, arguments, node, trailer) -> object:
        args = self.arguments(arguments)
        if current == "MathForge" and attribute is None:
            return Forge()
        if current == "Expression" and attribute is None:
            return self.expression_call(args, node, trailer)
        if isinstance(current, Forge) and attribute == "get":
            return self.catalog_call(args, node)
        if isinstance(current, Forge) and attribute == "compose":
            return self.compose_call(args, node)
        if isinstance(current, Value) and attribute == "gradient":
            return self.gradient_call(current, args, node)
        if isinstance(current, Value) and attribute in ("eval", None):
            self.eval_call(current, args, node, trailer)
            return None
        if isinstance(current, Value) and attribute in ("simplify", "expand", "clone"):
            return current
        return None

    def statement_context(self, node) -> tuple[int, str, str | None]:
        statement = node
        while statement.parent is not None and statement.type not in ("expr_stmt", "simple_stmt"):
            statement = statement.parent
        target = None
        if statement.type == "expr_stmt" and statement.children[0].type == "name":
            target = statement.children[0].value
        end = self.offset(statement.end_pos)
        return line_end(self.text, max(end - 1, 0)), self.indent(self.offset(node.start_pos)), target

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
        params = self.literal_params(keywords.get("params"))
        recipe = Recipe("formula", name, literal.value, params)
        span = Span(self.offset(formula_node.start_pos), self.offset(formula_node.end_pos))
        end, indent, target = self.statement_context(node)
        callee = self.text[self.offset(node.start_pos):self.offset(trailer.start_pos)]
        value = Value(recipe, None)
        shown = display_name(target, name)
        self.found.append(Found(StatementKind.FORMULA, span, literal, value,
                                lambda: self.compute_formula(recipe, literal, span, shown),
                                key_of(recipe.key, shown, self.source(span), self.settings_key), end, indent, target,
                                callee))
        return value

    def source(self, span: Span) -> str:
        """The statement's text as written: local offsets depend on it (escapes, prefixes, concatenation)."""
        return self.text[span.start:span.end]

    @property
    def settings_key(self) -> str:
        return key_of(self.settings)

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
        if literal is None:
            return None
        return literal, Span(self.offset(node.start_pos), self.offset(node.end_pos))

    def catalog_call(self, args, node) -> Value | None:
        if (first := self.first_literal(args)) is None:
            return None
        literal, span = first
        keywords = dict(args[1:])
        recipe = Recipe("catalog", literal.value, literal.value, self.literal_params(keywords.get("params")))
        value = Value(recipe, None)
        self.found.append(Found(StatementKind.CATALOG, span, literal, value,
                                lambda: self.compute_catalog(recipe, span),
                                key_of(recipe.key, self.source(span), self.settings_key)))
        return value

    def compose_call(self, args, node) -> Value | None:
        if (first := self.first_literal(args)) is None:
            return None
        literal, span = first
        recipe = Recipe("compose", literal.value, literal.value)
        value = Value(recipe, None)
        end, indent, target = self.statement_context(node)
        shown = display_name(target, literal.value)
        self.found.append(Found(StatementKind.FORMULA, span, literal, value,
                                lambda: self.compute_formula(recipe, literal, span, shown),
                                key_of(recipe.key, shown, self.source(span), self.settings_key), end, indent, target))
        return value

    def gradient_call(self, parent: Value, args, node) -> Value | None:
        if len(args) != 1 or args[0][0] is not None:
            return None
        literal = self.literal(args[0][1])
        if literal is None:
            return None
        node = args[0][1]
        span = Span(self.offset(node.start_pos), self.offset(node.end_pos))
        recipe = Recipe("gradient", f"d({parent.recipe.name})/d{literal.value}", "", parent.recipe.params,
                        literal.value, parent.recipe)
        value = Value(recipe, None)
        _, _, target = self.statement_context(node)
        shown = display_name(target, recipe.name)
        self.found.append(Found(StatementKind.GRADIENT, span, literal, value,
                                lambda: self.compute_gradient(recipe, span, shown),
                                key_of(recipe.key, shown, self.source(span), self.settings_key)))
        return value

    def eval_call(self, value: Value, args, node, trailer) -> None:
        numbers: list[tuple[str | None, float]] = []
        for key, argument in args:
            number = self.number(argument)
            if number is None:
                return  # not literal numbers: nothing we can evaluate without running the code
            numbers.append((key, number))
        span = Span(self.offset(trailer.start_pos), self.offset(trailer.end_pos))
        recipe = value.recipe
        key = key_of("eval", recipe.key, tuple(numbers), self.source(span), self.settings_key)
        self.found.append(Found(StatementKind.EVAL_CALL, span, None, value,
                                lambda: self.compute_eval(recipe, tuple(numbers), span), key))

    # ------------------------------------------------------------------------------ semantics (cached)
    def expression_of(self, recipe: Recipe) -> sympy.Expr:
        """The SymPy expression a recipe makes (raises ParseError for a bad formula)."""
        if recipe.kind == "formula":
            return parse_formula(recipe.source)
        if recipe.kind == "catalog":
            name = canonical_name(recipe.source)
            if name is None:
                raise ParseError(f"'{recipe.source}' is not in the catalog", 0, len(recipe.source))
            return entry_expr(name)
        if recipe.kind == "compose":
            return ScopedBuilder(recipe.source, {}, CatalogNames(), ()).build(parse_tree(recipe.source))
        return differentiate(self.expression_of(recipe.parent), symbol(recipe.variable))

    def variables_of(self, recipe: Recipe, expr: sympy.Expr) -> set[str]:
        """An Expression's variables, which its derivatives keep (as the library's gradient() does)."""
        names = {s.name for s in expr.free_symbols}
        while recipe.parent is not None:
            recipe = recipe.parent
            names |= {s.name for s in self.expression_of(recipe).free_symbols}
        return names

    def local(self, kind: StatementKind, span: Span, **fields) -> Statement:
        return Statement(kind, Span(0, span.end - span.start), self.text[span.start:span.end], **fields)

    def function_statement(self, kind: StatementKind, recipe: Recipe, expr: sympy.Expr, span: Span,
                           formula_span: Span | None, shown: str, description: str = "", domains=None,
                           rewritable: bool = False) -> Outcome:
        """`rewritable`: the formula is one plain string literal, whose text a fix may replace."""
        params = dict(recipe.params)
        inputs = tuple(sorted(s.name for s in expr.free_symbols if s.name not in params))
        base_domain = default_domain(self.settings)
        domain_map = {n: (domains or {}).get(n, base_domain) for n in inputs}
        body = expr.xreplace({symbol(k): sympy.Float(v) for k, v in params.items()})
        facts = function_facts(shown, body, inputs, domain_map, self.settings,
                               formula_span or Span(0, span.end - span.start), self.detail)
        fixes = ()
        if facts.stable_body is not None and rewritable and not params:  # a param's value would be baked in
            fixes = (Fix("Use the stable form", (Edit(formula_span, formula_text(facts.stable_body)),), "quickfix",
                         Code.UNSTABLE_FORM, True),)
        statement = self.local(kind, span, name=recipe.name, label=f"{shown}({', '.join(inputs)})",
                               params=inputs, formula_span=formula_span, formula=self.rendered(expr), variables=inputs,
                               derivatives=facts.derivatives, checks=facts.checks, diagnostics=facts.diagnostics,
                               description=description, plot=facts.plot, fixes=fixes,
                               stable_form=self.rendered(facts.stable_body) if facts.stable_body is not None else None)
        insertions = tuple((variable, formula_text(facts.first_derivatives[variable])) for variable in inputs)
        return Outcome(statement, None, insertions)

    def compute_formula(self, recipe: Recipe, literal: Literal, span: Span, shown: str) -> Outcome:
        try:
            expr = self.expression_of(recipe)
        except ParseError as error:
            start, end = literal.span(error.offset, error.offset + error.length)
            located = ParseError(error.message, start - span.start, max(1, end - start), error.hint, error.code)
            return Outcome(self.local(StatementKind.FORMULA, span, name=recipe.name,
                                      diagnostics=(parse_error_diagnostic(located),)))
        content = literal.span(0, len(literal.value))
        formula_span = Span(content[0] - span.start, content[1] - span.start)
        plain = self.text[content[0]:content[1]] == literal.value  # no escapes, no concatenation
        return self.function_statement(StatementKind.FORMULA, recipe, expr, span, formula_span, shown,
                                       rewritable=plain)

    def compute_catalog(self, recipe: Recipe, span: Span) -> Outcome:
        name = canonical_name(recipe.source)
        if name is None:
            close = difflib.get_close_matches(recipe.source, list(ENTRIES), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            return Outcome(self.local(StatementKind.CATALOG, span, name=recipe.source, diagnostics=(
                Diagnostic(Span(0, span.end - span.start), Severity.ERROR, Code.UNDEFINED_NAME,
                           f"'{recipe.source}' is not in the catalog{hint}"),)))
        entry = ENTRIES[name]
        params = {**entry.params, **dict(recipe.params)}
        recipe = replace(recipe, params=tuple(params.items()))
        return self.function_statement(StatementKind.CATALOG, recipe, entry_expr(name), span, None, name,
                                       entry.description, dict(entry.domain))

    def compute_gradient(self, recipe: Recipe, span: Span, shown: str) -> Outcome:
        parent = recipe.parent
        try:
            parent_expr = self.expression_of(parent)
        except ParseError:
            return Outcome(self.local(StatementKind.GRADIENT, span, name=recipe.name))
        variables = {s.name for s in parent_expr.free_symbols} | {k for k, _ in parent.params}
        if recipe.variable not in variables:
            close = difflib.get_close_matches(recipe.variable, sorted(variables), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            return Outcome(self.local(StatementKind.GRADIENT, span, name=recipe.name, diagnostics=(
                Diagnostic(Span(0, span.end - span.start), Severity.ERROR, Code.UNDEFINED_NAME,
                           f"{parent.name} has no variable '{recipe.variable}' (its variables: "
                           f"{', '.join(sorted(variables)) or 'none'}){hint}"),)))
        return self.function_statement(StatementKind.GRADIENT, recipe, self.expression_of(recipe), span, None, shown)

    def compute_eval(self, recipe: Recipe, numbers: tuple[tuple[str | None, float], ...], span: Span) -> Outcome:
        try:
            expr = self.expression_of(recipe)
        except ParseError:
            return Outcome(self.local(StatementKind.EVAL_CALL, span, name=recipe.name))
        params = dict(recipe.params)
        inputs = sorted(self.variables_of(recipe, expr) - set(params))
        values = dict(params)
        positional = [n for k, n in numbers if k is None]
        whole = Span(0, span.end - span.start)
        if len(positional) > len(inputs):
            return self.eval_problem(recipe, span, f"{recipe.name} takes {len(inputs)} positional value(s), "
                                                   f"got {len(positional)}", Code.WRONG_ARGUMENT_COUNT)
        values.update(zip(inputs, positional))
        known = set(inputs) | set(params)
        for key, number in numbers:
            if key is None:
                continue
            if key not in known:
                return self.eval_problem(recipe, span, f"{recipe.name} has no variable '{key}' (its variables: "
                                                       f"{', '.join(sorted(known)) or 'none'})", Code.UNDEFINED_NAME)
            values[key] = number
        missing = [n for n in inputs if n not in values]
        if missing:
            return self.eval_problem(recipe, span, f"missing value for {', '.join(missing)}: this call raises "
                                                   f"TypeError", Code.MISSING_VARIABLES)
        point = expr.xreplace({symbol(k): _number(v) for k, v in values.items()})
        value, problem = evaluate(point, self.detail)
        diagnostics = () if not problem else (Diagnostic(whole, Severity.WARNING, Code.EVALUATION_ERROR, problem),)
        return Outcome(self.local(StatementKind.EVAL_CALL, span, name=recipe.name, value=value,
                                  label=f"{recipe.name} at " + ", ".join(f"{k} = {v}" for k, v in values.items()),
                                  formula=self.rendered(expr), diagnostics=diagnostics))

    def eval_problem(self, recipe: Recipe, span: Span, message: str, code: Code) -> Outcome:
        whole = Span(0, span.end - span.start)
        return Outcome(self.local(StatementKind.EVAL_CALL, span, name=recipe.name,
                                  diagnostics=(Diagnostic(whole, Severity.ERROR, code, message),)))

    # ------------------------------------------------------------------------------ assembly
    def assemble(self, found: Found) -> Statement:
        outcome = self.cached(found.key, found.compute, self.source(found.span), found.kind)
        statement = shift(outcome.statement, found.span.start)
        fixes = tuple(self.insertion(found, variable, derivative) for variable, derivative in outcome.insertions
                      if found.line_end)
        references = tuple(self.references(found, statement))
        return replace(statement, fixes=statement.fixes + fixes, references=references)

    def insertion(self, found: Found, variable: str, derivative: str) -> Fix:
        recipe = found.value.recipe
        base = found.target or "f"
        name = f"d({recipe.name})/d{variable}"
        line = f'{found.indent}{base}_d{variable} = {found.callee}("{_escape(name)}", "{_escape(derivative)}")'
        return Fix(f"Insert derivative d/d{variable}", (Edit(Span(found.line_end, found.line_end),
                                                               self.newline + line),), "refactor")

    def references(self, found: Found, statement: Statement) -> Iterator[Reference]:
        if found.kind == StatementKind.CATALOG:
            yield Reference(found.literal.value, statement.span, ReferenceKind.CATALOG)


def display_name(target: str | None, name: str) -> str:
    """How a Python expression is called in labels: its variable, else its name if that is an identifier."""
    if target:
        return target
    return name if name.isidentifier() else "f"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _number(value: float | int) -> sympy.Expr:
    return sympy.Integer(value) if isinstance(value, int) else sympy.Float(value)

