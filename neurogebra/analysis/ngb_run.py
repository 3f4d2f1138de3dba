"""One analysis of one .ngb document, incremental: each statement's results are cached by its text, the texts of
the definitions it depends on, the domains in force and the settings, so an edit re-analyzes only what it can
change."""
from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from dataclasses import replace
from typing import Callable, Iterable, Iterator, Mapping

import sympy

from neurogebra.analysis import poles
from neurogebra.analysis.budget import Cancelled
from neurogebra.analysis.graph import components, cycles, is_cyclic
from neurogebra.analysis.lines import line_end
from neurogebra.analysis.model import (
    Code,
    Derivative,
    Diagnostic,
    DocumentAnalysis,
    Edit,
    Fix,
    Focus,
    Reference,
    ReferenceKind,
    Related,
    Settings,
    Severity,
    Span,
    Statement,
    StatementKind,
)
from neurogebra.analysis.ngb import NameToken, SourceStatement, Syntax, named_by, split_statements
from neurogebra.analysis.ngb_matrices import MatrixStatements, declared_shapes
from neurogebra.analysis.render import formula_text
from neurogebra.analysis.run import (
    Definition,
    DocumentRun,
    LruCache,
    Outcome,
    default_domain,
    key_of,
    parse_error_diagnostic,
    shift,
)
from neurogebra.analysis.scope import ScopedBuilder, user_function
from neurogebra.analysis.semantics import (
    claim_facts,
    derivative_label,
    derivative_statement,
    evaluate,
    formula_accuracy,
    function_facts,
    in_user_terms,
)
from neurogebra.analysis.suggestions import suggestion_fix
from neurogebra.analysis.terms import Named, NamedBuilder, catalog_named, named, named_function
from neurogebra.analysis.terms import derivative as named_derivative
from neurogebra.builder import CONSTANTS, MATH_FUNCTIONS, FormulaFunction, symbol
from neurogebra.calculus import differentiate
from neurogebra.catalog import ENTRIES, canonical_name
from neurogebra.catalog.formulas import catalog_functions
from neurogebra.domains import Domain
from neurogebra.suggest import did_you_mean
from neurogebra.syntax import ParseError


class StatementError(ParseError):
    """A problem with the statement's shape, located relative to the statement (not to its formula)."""


CYCLE_SHOWN = 4  # names shown at each end of a longer cycle
KEPT_DEFINITIONS = 2_000  # definitions' outcomes a run holds, those used last: a long document's are not all held
ASSEMBLED = Statement(StatementKind.INVALID, Span(0, 0), "")  # an outcome's statement once it is in the document


def cycle_text(cycle: tuple[str, ...]) -> str:
    """a → b → a; a long cycle with its middle left out and its length."""
    if len(cycle) <= 2 * CYCLE_SHOWN + 1:
        return " → ".join(cycle)
    shown = cycle[:CYCLE_SHOWN] + ("…",) + cycle[-CYCLE_SHOWN:]
    return f"{' → '.join(shown)} ({len(cycle) - 1} definitions)"


def defines(shape: Syntax, name: str) -> bool:
    return (shape.kind in (StatementKind.FUNCTION, StatementKind.CONSTANT) and shape.error is None
            and shape.name is not None and shape.name.name == name)


class Definitions(Mapping[str, SourceStatement]):
    """The document's definitions by name: for each name, the first of its definitions whose formula parses. A
    name's candidates (the statements that may define it, in document order) are read when it is first looked
    up."""

    def __init__(self, candidates: dict[str, list[SourceStatement]]) -> None:
        self.candidates = candidates
        self.resolved: dict[str, SourceStatement | None] = {}

    def first(self, name: str) -> SourceStatement | None:
        if name not in self.resolved:
            self.resolved[name] = next((s for s in self.candidates.get(name, ()) if defines(s.shape, name)
                                        and s.syntax.error is None), None)
        return self.resolved[name]

    def earlier(self, statement: SourceStatement) -> SourceStatement | None:
        """The first definition of the name `statement` defines again, or None if it is no such repeat."""
        syntax = statement.syntax
        if syntax.kind not in (StatementKind.FUNCTION, StatementKind.CONSTANT) or syntax.error is not None:
            return None
        assert syntax.name is not None  # a definition that parsed has its name
        first = self.first(syntax.name.name)
        return first if first is not statement else None

    def __getitem__(self, name: str) -> SourceStatement:
        found = self.first(name)
        if found is None:
            raise KeyError(name)
        return found

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.first(name) is not None

    def __iter__(self) -> Iterator[str]:
        """In the order of the definitions in the document (which "did you mean" keeps among equals)."""
        found = {name: statement for name in self.candidates if (statement := self.first(name)) is not None}
        return iter(sorted(found, key=lambda name: found[name].start))

    def __len__(self) -> int:
        return sum(1 for _ in self)


class NgbRun(DocumentRun):
    """One analysis of one .ngb document."""

    language = "ngb"

    def __init__(self, cache: LruCache, text: str, settings: Settings,
                 should_cancel: Callable[[], bool] | None, detail: bool = True, focus: Focus | None = None) -> None:
        super().__init__(cache, text, settings, should_cancel, detail, focus)
        self.statements = split_statements(text)
        self.named: dict[str, list[SourceStatement]] = {}  # the statements that may define or claim of a name
        for statement in self.statements:
            for name in named_by(statement.code):
                self.named.setdefault(name, []).append(statement)
        self.definitions = Definitions(self.named)
        self.outcomes: OrderedDict[int, Outcome] = OrderedDict()  # by id(statement), the used last at the end
        self.named_forms: dict[str, type[Named] | None] = {}  # the fast pass's, for wrong and unstable claims
        self.depends: dict[str, tuple[str, ...]] = {}  # by statement text
        self.context = key_of(settings)
        self.domain_starts, self.domain_states = self._domains()
        self.shapes, self.shape_conflicts = declared_shapes(self.statements)
        self.matrices = MatrixStatements(self, self.shapes)
        self.shapes_key = (key_of(tuple(sorted(self.shapes.items()))),) if self.shapes else ()
        self.keys: dict[str, str | None] = {}
        self.cycles: dict[str, tuple[str, ...]] = {}

    # ------------------------------------------------------------------------------ structure
    def _domains(self) -> tuple[list[int], list[tuple[dict[str, Domain], str]]]:
        """Where the domains in force change (the starts of the domain statements), and after each change the
        domains and their cache identity (computed once per change); the first entry is before any."""
        current: dict[str, Domain] = {}
        starts, states = [], [(current, key_of(()))]
        for statement in self.statements:
            if not statement.code.startswith("@"):
                continue
            syntax = statement.shape  # a domain's shape is all of its syntax
            if syntax.kind == StatementKind.DOMAIN and syntax.domain is not None:
                current = {**current, **{token.name: syntax.domain for token in syntax.domain_names}}
                starts.append(statement.start)
                states.append((current, key_of(tuple(sorted(current.items())))))
        return starts, states

    def domains_at(self, statement: SourceStatement) -> tuple[dict[str, Domain], str]:
        """The domains in force at a statement (its own included) and their cache identity."""
        return self.domain_states[bisect_right(self.domain_starts, statement.start)]

    def implicit_params(self, syntax: Syntax) -> tuple[str, ...]:
        """A constant whose formula has free names is a function of them, in alphabetical order."""
        if syntax.kind != StatementKind.CONSTANT or syntax.tree is None:
            return ()
        free = {node.value for node in syntax.tree.walk() if node.kind == "name"
                and node.value not in self.definitions and node.value not in CONSTANTS
                and node.value not in ("True", "False")}
        return tuple(sorted(free))

    def params_of(self, syntax: Syntax) -> tuple[str, ...]:
        if syntax.kind == StatementKind.FUNCTION:
            return tuple(p.name for p in syntax.params)
        return self.implicit_params(syntax)

    def dependencies(self, syntax: Syntax) -> tuple[str, ...]:
        """The document's names a statement uses, sorted."""
        known = self.depends.get(syntax.text)
        if known is None:
            known = self.depends[syntax.text] = self._dependencies(syntax)
        return known

    def _dependencies(self, syntax: Syntax) -> tuple[str, ...]:
        names = {node.value for node in syntax.tree.walk()} if syntax.tree is not None else set()
        if syntax.kind in (StatementKind.CLAIM, StatementKind.EVALUATION) and syntax.name is not None:
            names.add(syntax.name.name)
        names -= set(self.params_of(syntax))
        return tuple(sorted(n for n in names if n in self.definitions))

    def key(self, name: str) -> str | None:
        """The cache identity of a definition: its text and its dependencies' identities (None if cyclic or if it
        uses a cyclic one). Found for the definitions a statement uses when it is analyzed, not for the whole
        document up front, with the same result."""
        if name not in self.keys:
            self._settle(name)
        return self.keys[name]

    def cyclic(self, name: str) -> bool:
        return name in self.definitions and self.key(name) is None and name in self.cycles

    def _settle(self, root: str) -> None:
        """Keys and cycles for `root` and every definition it reaches that has none yet, dependencies first.
        Definitions already settled cannot be in a cycle with the new ones (they would have reached them), so the
        groups of the new ones are those of the whole document."""
        graph: dict[str, tuple[str, ...]] = {}
        pending = [root]
        while pending:
            name = pending.pop()
            if name in graph or name in self.keys:
                continue
            graph[name] = self.dependencies(self.definitions[name].syntax)
            pending.extend(graph[name])
        local = {name: {used for used in uses if used in graph} for name, uses in graph.items()}
        for group in components(local):
            if is_cyclic(group, local):
                self.cycles.update(cycles(group, local))
            for name in group:
                statement = self.definitions[name]
                parts = [(used, self.keys.get(used)) for used in graph[name]]
                self.keys[name] = None if name in self.cycles or any(k is None for _, k in parts) else key_of(
                    statement.syntax.text, parts, self.domains_at(statement)[1])

    # ------------------------------------------------------------------------------ semantics
    def definition(self, name: str) -> Definition | None:
        statement = self.definitions[name]
        return self.outcome(statement).definition

    def unusable(self, syntax: Syntax) -> dict[str, str]:
        reasons = {}
        for name in self.dependencies(syntax):
            if self.key(name) is None:
                reasons[name] = f"'{name}' cannot be used: its definition is cyclic"
            elif self.definition(name) is None:
                line = self.text.count("\n", 0, self.definitions[name].start) + 1
                reasons[name] = f"'{name}' cannot be used: its definition (line {line}) has an error"
        return reasons

    def functions(self, syntax: Syntax) -> dict[str, FormulaFunction]:
        table = {}
        for name in self.dependencies(syntax):
            if self.key(name) is None:
                continue
            definition = self.definition(name)
            if definition is not None and definition.params is not None:
                table[name] = user_function(name, definition.params, definition.expr)
        return table

    def constants(self, syntax: Syntax) -> dict[str, sympy.Expr]:
        table = {}
        for name in self.dependencies(syntax):
            if self.key(name) is None:
                continue
            definition = self.definition(name)
            if definition is not None and definition.params is None:
                table[name] = definition.expr
        return table

    def builder(self, syntax: Syntax, allowed) -> ScopedBuilder:
        return ScopedBuilder(syntax.formula, self.functions(syntax), self.constants(syntax), allowed,
                             self.unusable(syntax), self.definitions)

    def named_build(self, syntax: Syntax, allowed, always: bool = False) -> sympy.Expr | None:
        """The formula in user terms: the document's names and the catalog's kept (None where a dependency has no
        user-terms form). The detailed pass builds every one, the fast pass only what named_definition asks for."""
        if not (self.detail or always):
            return None
        assert syntax.tree is not None  # called after the formula is built from the same tree
        functions, constants = dict(catalog_named()), {}
        for name in self.dependencies(syntax):
            form = self.named_definition(name)
            if form is None:
                return None
            definition = self.definition(name)
            assert definition is not None  # a definition with a user-terms form was built
            if definition.params is None:
                constants[name] = form()
            else:
                functions[name] = named_function(form)
        return NamedBuilder(syntax.formula, functions, constants, allowed, {}, self.definitions).build(syntax.tree)

    def named_definition(self, name: str) -> type[Named] | None:
        """A definition in user terms: the detailed pass's own, or, in the fast pass, built when a wrong or
        unstable claim's message needs it (dependencies first, without recursion) and kept for this run only."""
        if self.detail:
            definition = self.definition(name) if self.key(name) is not None else None
            return definition.named if definition is not None else None
        for current in self.dependencies_first((name,), self.named_forms.__contains__):
            definition = self.definition(current)
            if definition is None:  # an error
                self.named_forms[current] = None
                continue
            syntax = self.definitions[current].syntax
            body = self.named_build(syntax, self.params_of(syntax), always=True)
            form = None if body is None else named(current, definition.params or (), body, definition.params is None)
            if form is not None:
                for index in range(len(form.params)):
                    form.partial(index)  # dependencies first: a derivative through a long chain recurses one level
            self.named_forms[current] = form
        return self.named_forms.get(name)  # none for a cyclic one or one using it

    def outcome(self, statement: SourceStatement) -> Outcome:
        known = self.outcomes.get(id(statement))
        if known is not None:
            self.outcomes.move_to_end(id(statement))
            return known
        syntax = statement.syntax
        self.compute_dependencies(syntax)
        dependencies = tuple((name, self.key(name)) for name in self.dependencies(syntax))
        unusable = tuple(sorted(self.unusable(syntax).values()))  # their messages name lines, which edits move
        key = key_of(syntax.text, dependencies, self.domains_at(statement)[1], self.context,
                     self.cyclic(syntax.name.name) if syntax.name else False, unusable, *self.shapes_key)
        outcome = self.cached(key, lambda: self.compute(statement), syntax.text, syntax.kind, statement.start)
        self.outcomes[id(statement)] = outcome
        return outcome

    def dependencies_first(self, roots: Iterable[str], known: Callable[[str], bool] = lambda name: False,
                           ) -> Iterator[str]:
        """The definitions `roots` name and those they use, each once and after those it uses, without recursion
        (a chain of definitions can be as long as the document); not those `known` already, nor cyclic ones or
        those using one (a cycle is reported as such)."""
        done: set[str] = set()
        pending = [(name, False) for name in reversed(tuple(roots))]
        while pending:
            name, ready = pending.pop()
            if name in done or known(name) or self.key(name) is None:
                continue
            if not ready:
                pending.append((name, True))
                pending.extend((used, False) for used in reversed(self.dependencies(self.definitions[name].syntax))
                               if used not in done)
                continue
            done.add(name)
            yield name

    def compute_dependencies(self, syntax: Syntax) -> None:
        """The outcomes of the definitions a statement uses, directly or not, each computed after those it uses
        (without recursion): no outcome is computed while another is."""
        def computed(name: str) -> bool:
            return id(self.definitions[name]) in self.outcomes

        for name in self.dependencies_first(self.dependencies(syntax), computed):
            if self.should_cancel():
                raise Cancelled()
            self.outcome(self.definitions[name])

    def domain_map(self, statement: SourceStatement, names, fallback: Mapping[str, Domain] | None = None):
        snapshot = self.domains_at(statement)[0]
        base = default_domain(self.settings)
        return {n: snapshot.get(n) or (fallback or {}).get(n) or base for n in names}

    def compute(self, statement: SourceStatement) -> Outcome:
        syntax = statement.syntax
        span = Span(0, len(syntax.text))
        base = Statement(syntax.kind, span, syntax.text,
                         name=syntax.name.name if syntax.name else None,
                         name_span=syntax.name.span if syntax.name else None,
                         formula_span=Span(syntax.formula_start, syntax.formula_start + len(syntax.formula))
                         if syntax.formula else None)
        if syntax.error is not None:
            return self.failed(base, parse_error_diagnostic(syntax.error), syntax.error.hint)
        if syntax.kind in (StatementKind.DOMAIN, StatementKind.SHAPE):
            return Outcome(base)
        try:
            if self.matrices.is_matrix(syntax):
                return Outcome(self.matrices.compute(syntax, base))
            if syntax.kind == StatementKind.FUNCTION or self.implicit_params(syntax):
                return self.compute_function(statement, base)
            if syntax.kind == StatementKind.CONSTANT:
                return self.compute_constant(statement, base)
            if syntax.kind == StatementKind.CLAIM:
                return self.compute_claim(statement, base)
            return self.compute_evaluation(statement, base)
        except StatementError as error:
            return self.failed(base, parse_error_diagnostic(error), error.hint)
        except ParseError as error:
            return self.failed(base, parse_error_diagnostic(error, syntax.formula_start), error.hint)

    def failed(self, base: Statement, diagnostic: Diagnostic, hint: str | None) -> Outcome:
        """A statement that could not be analyzed: its diagnostic, and the fix where the hint has the answer
        ("did you mean sigmoid?"). A definition it uses having the error is information: the error is there."""
        if diagnostic.code == Code.DEPENDENCY_ERROR:
            diagnostic = replace(diagnostic, severity=Severity.INFORMATION)
        elif diagnostic.code == Code.TOO_COMPLEX:  # as when the time budget runs out
            diagnostic = replace(diagnostic, severity=Severity.WARNING)
        span = diagnostic.span
        fix = suggestion_fix(span, base.text[span.start:span.end], hint, diagnostic.code)
        return Outcome(replace(base, diagnostics=(diagnostic,), fixes=(fix,) if fix else ()))

    def compute_function(self, statement: SourceStatement, base: Statement) -> Outcome:
        syntax = statement.syntax
        # a definition that parsed (or a constant with free names): a name, a formula and its tree
        assert syntax.name is not None and syntax.tree is not None and base.formula_span is not None
        name = syntax.name.name
        params = self.params_of(syntax)
        expr = self.builder(syntax, params).build(syntax.tree)
        body = self.named_build(syntax, params)
        facts = function_facts(name, expr, params, self.domain_map(statement, params), self.settings,
                               base.formula_span, self.detail, body)
        fixes: tuple[Fix, ...] = ()
        if facts.stable_body is not None:
            fixes = (Fix("Use the stable form", (Edit(base.formula_span, formula_text(facts.stable_body)),),
                         "quickfix", Code.UNSTABLE_FORM, True),)
        insertions = tuple((p, formula_text(facts.first_derivatives[p])) for p in params)
        result = replace(base, kind=StatementKind.FUNCTION, params=params, label=f"{name}({', '.join(params)})",
                         formula=self.rendered(expr if body is None else body), variables=params,
                         derivatives=facts.derivatives,
                         stable_form=self.rendered(facts.stable_body) if facts.stable_body is not None else None,
                         checks=facts.checks, diagnostics=facts.diagnostics, fixes=fixes, plot=facts.plot)
        return Outcome(result, Definition(params, expr, named(name, params, body) if body is not None else None),
                       insertions)

    def compute_constant(self, statement: SourceStatement, base: Statement) -> Outcome:
        syntax = statement.syntax
        assert syntax.name is not None and syntax.tree is not None  # a constant that parsed
        expr = self.builder(syntax, ()).build(syntax.tree)
        body = self.named_build(syntax, ())
        value, _ = evaluate(expr, self.detail)
        return Outcome(replace(base, label=syntax.name.name, formula=self.rendered(expr if body is None else body),
                               value=value),
                       Definition(None, expr, named(syntax.name.name, (), body, True) if body is not None else None))

    def target(self, syntax: Syntax) -> tuple[tuple[str, ...], sympy.Expr, Mapping[str, Domain],
                                              Callable[[], sympy.Expr | None]]:
        """The function a claim or derivative is about: its parameters, expression, own domains, and how to get
        its expression in user terms (None where a definition it uses has none)."""
        assert syntax.name is not None  # a claim, or a derivative evaluation without a formula: both name one
        name = syntax.name.name
        if name in self.definitions:
            reason = self.unusable(syntax).get(name)
            if reason:
                raise StatementError(reason, syntax.name.span.start, len(name), code=Code.DEPENDENCY_ERROR.value)
            definition = self.definition(name)
            assert definition is not None  # unusable() names a definition that has an error
            if definition.params is None:
                raise StatementError(f"'{name}' is a constant, not a function", syntax.name.span.start, len(name))

            def named_body() -> sympy.Expr | None:
                form = self.named_definition(name)
                return form.body if form is not None else None
            return definition.params, definition.expr, {}, named_body
        if name in catalog_functions():  # parameters left out take their defaults: d/dx elu(x) is alpha = 1's
            function = catalog_functions()[name]
            given = len(syntax.params) if syntax.wrt is not None else 0
            params = function.params[:given if function.min_args < given <= len(function.params) else
                                     function.min_args]
            canonical = canonical_name(name)
            assert canonical is not None  # catalog_functions() holds entries and their aliases
            entry = ENTRIES[canonical]
            kept = catalog_named().get(name, function)  # tanh and softplus are math functions, never named
            return params, function.apply(*map(symbol, params)), {p: entry.domain[p] for p in params
                                                                   if p in entry.domain}, \
                lambda: kept.apply(*map(symbol, params))
        math = MATH_FUNCTIONS.get(name)
        if math is not None and math.max_args is not None:  # d/dx gamma(x) = ...: the math function itself
            given = len(syntax.params) if syntax.wrt is not None else 0
            params = math.params[:given if math.min_args < given <= math.max_args else math.min_args]
            try:
                expr = math.apply(*map(symbol, params))
            except ValueError as exc:  # polygamma(n, x) needs a number for n
                raise StatementError(str(exc), syntax.name.span.start, len(name)) from None
            return params, expr, {}, lambda: expr
        candidates = list(self.definitions) + list(catalog_functions())
        close = did_you_mean(name, candidates)
        raise StatementError(f"derivative of '{name}', which is not defined", syntax.name.span.start, len(name),
                         f"did you mean {close[0]}?" if close else f"define it first: {name}(x) = ...",
                         Code.UNDEFINED_FUNCTION_DERIVATIVE.value)

    def claim_variables(self, syntax: Syntax, params: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
        """The claim's own names for the function's parameters, and the variable differentiated."""
        assert syntax.name is not None  # a claim that parsed names its function
        name = syntax.name.name
        if syntax.wrt is None:  # f'(x) = ...
            if len(params) != 1:
                raise StatementError(f"{name} has {len(params)} variables ({', '.join(params)}): write "
                                 f"∂{name}/∂{params[0]} = ... or d/d{params[0]} {name}({', '.join(params)}) = ...",
                                 syntax.name.span.start, len(name))
            return (syntax.params[0].name,), syntax.params[0].name
        if syntax.params:  # d/dx f(x, y) = ...
            if len(syntax.params) != len(params):
                raise StatementError(f"{name} takes {len(params)} variable(s) ({', '.join(params)}), got "
                                 f"{len(syntax.params)}", syntax.name.span.start, len(name), None,
                                 Code.WRONG_ARGUMENT_COUNT.value)
            return tuple(p.name for p in syntax.params), syntax.wrt.name
        if syntax.wrt.name not in params:  # ∂f/∂x = ...
            raise StatementError(f"'{syntax.wrt.name}' is not a variable of {name} ({', '.join(params)})",
                             syntax.wrt.span.start, len(syntax.wrt.name))
        return params, syntax.wrt.name

    def compute_claim(self, statement: SourceStatement, base: Statement) -> Outcome:
        syntax = statement.syntax
        # a claim that parsed: the function's name, a formula and its tree
        assert syntax.name is not None and syntax.tree is not None and base.formula_span is not None
        params, body, own_domains, named_body = self.target(syntax)
        names, variable = self.claim_variables(syntax, params)
        renaming = {symbol(p): symbol(n) for p, n in zip(params, names)}
        renamed = body.xreplace(renaming)
        claimed = self.builder(syntax, names).build(syntax.tree)
        claimed_named = self.named_build(syntax, names)
        own = {n: own_domains[p] for p, n in zip(params, names) if p in own_domains}
        label = derivative_label(syntax.name.name, names, variable, syntax.order)
        facts = claim_facts(renamed, symbol(variable), syntax.order, claimed, self.domain_map(statement, names, own),
                            self.settings, base.formula_span, syntax.name.name,
                            lambda: body.xreplace(renaming) if (body := named_body()) is not None else None,
                            self.detail)
        fixes: tuple[Fix, ...] = ()
        if facts.replacement is not None:
            fixes = (Fix(facts.fix_title, (Edit(base.formula_span, formula_text(facts.replacement)),), "quickfix",
                         facts.fix_code, True),)
        derivative = Derivative(variable, syntax.order, label, self.rendered(facts.derivative))
        shown_claim = claimed if claimed_named is None else claimed_named
        return Outcome(replace(base, label=label, params=names, variables=names, formula=self.rendered(shown_claim),
                               derivatives=(derivative,),
                               checks=facts.checks, diagnostics=facts.diagnostics, fixes=fixes))

    def compute_evaluation(self, statement: SourceStatement, base: Statement) -> Outcome:
        syntax = statement.syntax
        if syntax.tree is None:  # ∂f/∂x on its own
            assert syntax.name is not None and syntax.wrt is not None  # the only evaluation without a formula
            params, body, _, named_body = self.target(syntax)
            named = named_body() if self.detail else None
            if syntax.wrt.name not in params:
                raise StatementError(f"'{syntax.wrt.name}' is not a variable of {syntax.name.name} "
                                 f"({', '.join(params)})", syntax.wrt.span.start, len(syntax.wrt.name))
        else:
            body = self.builder(syntax, None).build(syntax.tree)
            named = self.named_build(syntax, None)
        if syntax.wrt is not None:
            body = differentiate(body, symbol(syntax.wrt.name))
            named = named_derivative(named, symbol(syntax.wrt.name)) if named is not None else None
        expr = body
        variables = tuple(sorted(s.name for s in expr.free_symbols))
        value, problem = evaluate(expr, self.detail)
        shown = expr
        if variables and in_user_terms(named, expr, self.domain_map(statement, variables), self.settings) is named:
            shown, value = named, self.rendered(named)
        judged = {d.expr for name in self.dependencies(syntax) if (d := self.definition(name)) is not None}
        diagnostics = () if expr in judged else formula_accuracy(  # f(x) repeats f's own verdict: said once
            expr, self.domain_map(statement, variables), self.settings, base.span)
        if problem:
            diagnostics = (Diagnostic(base.span, Severity.WARNING, Code.EVALUATION_ERROR, problem),)
        return Outcome(replace(base, label=syntax.text, formula=self.rendered(shown), value=value, variables=variables,
                               diagnostics=diagnostics))

    # ------------------------------------------------------------------------------ assembly
    def run(self) -> DocumentAnalysis:
        return self.focus_first(self.statements, lambda s: Span(s.start, s.start + len(s.code)), self.assemble)

    def assemble(self, statement: SourceStatement) -> Statement:
        syntax = statement.syntax
        if syntax.name is not None and self.cyclic(syntax.name.name) and syntax.kind in (
                StatementKind.FUNCTION, StatementKind.CONSTANT):
            local = Statement(syntax.kind, Span(0, len(syntax.text)), syntax.text, name=syntax.name.name,
                              name_span=syntax.name.span, diagnostics=(Diagnostic(
                                  syntax.name.span, Severity.ERROR, Code.CYCLIC_DEFINITION,
                                  f"'{syntax.name.name}' is defined in terms of itself: "
                                  f"{cycle_text(self.cycles[syntax.name.name])}"),))
            outcome = Outcome(local)
        else:
            outcome = self.outcome(statement)
            if outcome.definition is None:  # what is left to compute needs only definitions
                del self.outcomes[id(statement)]
                self.depends.pop(syntax.text, None)
            else:
                self.outcomes[id(statement)] = replace(outcome, statement=ASSEMBLED)
                while len(self.outcomes) > KEPT_DEFINITIONS:  # one used again comes back from the cache
                    self.outcomes.popitem(last=False)
        result = shift(outcome.statement, statement.start)
        extra: list[Diagnostic] = []
        if id(statement) in self.shape_conflicts:
            extra.append(self.shape_conflicts[id(statement)])
        first = self.definitions.earlier(statement)
        if first is not None:
            assert syntax.name is not None  # duplicates holds named definitions only
            name_span = Span(statement.start + syntax.name.span.start, statement.start + syntax.name.span.end)
            extra.append(Diagnostic(name_span, Severity.ERROR, Code.DUPLICATE_DEFINITION,
                                    f"'{syntax.name.name}' is already defined; this definition is ignored",
                                    (Related(self.name_span(first), f"first definition of {syntax.name.name}"),)))
        diagnostics = poles.shown(result.diagnostics + tuple(extra), self.settings)
        if syntax.kind == StatementKind.CLAIM and syntax.name is not None and syntax.name.name in self.definitions:
            target = self.definitions[syntax.name.name]
            related = (Related(self.name_span(target), f"{syntax.name.name} is defined here"),)
            diagnostics = tuple(replace(d, related=d.related + related) if d.code == Code.GRADIENT_MISMATCH else d
                                for d in diagnostics)
        inserted = tuple(fix for variable, text in outcome.insertions
                         if (fix := self.derivative_fix(statement, outcome.statement.params, variable, text)))
        return replace(result, diagnostics=diagnostics, fixes=result.fixes + inserted,
                       references=tuple(self.references(statement)))

    def derivative_fix(self, statement: SourceStatement, params: tuple[str, ...], variable: str,
                       text: str) -> Fix | None:
        """"Insert derivative d/dx" below the definition, or, where the document already claims d/dx, write it
        into that claim (nothing where the claim already says it)."""
        assert statement.syntax.name is not None  # insertions come from a function definition, which has its name
        name = statement.syntax.name.name
        claim = self.claim_of(name, params, variable)
        if claim is None:
            end = self.line_end(statement)
            return Fix(f"Insert derivative d/d{variable}", (Edit(Span(end, end), self.newline + derivative_statement(
                name, params, variable, text)),), "refactor")
        syntax = claim.syntax
        if syntax.formula.strip() == text:
            return None
        span = Span(claim.start + syntax.formula_start, claim.start + syntax.formula_start + len(syntax.formula))
        return Fix(f"Write the derivative d/d{variable} into the claim", (Edit(span, text),), "refactor")

    def claim_of(self, name: str, params: tuple[str, ...], variable: str) -> SourceStatement | None:
        """The first claim of d/dvariable of `name` in the definition's own variable names."""
        for statement in self.named.get(name, ()):
            shape = statement.shape
            if shape.kind != StatementKind.CLAIM or shape.name is None or shape.name.name != name or shape.order != 1:
                continue
            syntax = statement.syntax
            if syntax.error is not None:
                continue
            names = tuple(p.name for p in syntax.params)
            if syntax.wrt is None and names == (variable,) == params:
                return statement
            if syntax.wrt is not None and syntax.wrt.name == variable and names in ((), params):
                return statement
        return None

    def name_span(self, statement: SourceStatement) -> Span:
        assert statement.syntax.name is not None  # a definition: its name is what it is found by
        span = statement.syntax.name.span
        return Span(statement.start + span.start, statement.start + span.end)

    def line_end(self, statement: SourceStatement) -> int:
        return line_end(self.text, statement.start + len(statement.syntax.text))

    def references(self, statement: SourceStatement) -> Iterator[Reference]:
        syntax = statement.syntax
        at = statement.start

        def absolute(span: Span) -> Span:
            return Span(at + span.start, at + span.end)

        params = {p.name: absolute(p.span) for p in syntax.params} if syntax.kind == StatementKind.FUNCTION else {}
        if syntax.name is not None:
            yield self.name_reference(syntax.name, absolute(syntax.name.span),
                                      syntax.kind in (StatementKind.FUNCTION, StatementKind.CONSTANT)
                                      and self.definitions.earlier(statement) is None)
        for token in syntax.params:
            kind = ReferenceKind.PARAMETER if syntax.kind == StatementKind.FUNCTION else ReferenceKind.VARIABLE
            yield Reference(token.name, absolute(token.span), kind, True, absolute(token.span))
        for token in (syntax.wrt,) if syntax.wrt else ():
            yield Reference(token.name, absolute(token.span), ReferenceKind.VARIABLE)
        for token in syntax.domain_names:
            yield Reference(token.name, absolute(token.span), ReferenceKind.VARIABLE)
        if syntax.tree is None:
            return
        base = at + syntax.formula_start
        for node in syntax.tree.walk():
            if node.kind not in ("name", "call"):
                continue
            end = node.name_end if node.kind == "call" else node.end
            span = Span(base + node.start, base + end)
            if node.kind == "name" and node.value in params:
                yield Reference(node.value, span, ReferenceKind.PARAMETER, False, params[node.value])
            elif node.value in self.definitions:
                yield self.name_reference(NameToken(node.value, span), span, False)
            elif node.kind == "call":
                kind = (ReferenceKind.MATH if node.value in MATH_FUNCTIONS else ReferenceKind.CATALOG
                        if node.value in catalog_functions() else ReferenceKind.UNKNOWN)
                yield Reference(node.value, span, kind)
            else:
                kind = ReferenceKind.MATH if node.value in CONSTANTS else ReferenceKind.VARIABLE
                yield Reference(node.value, span, kind)

    def name_reference(self, token: NameToken, span: Span, is_definition: bool) -> Reference:
        name = token.name
        if name in self.definitions:
            definition = self.definitions[name]
            kind = (ReferenceKind.FUNCTION if definition.syntax.kind == StatementKind.FUNCTION
                    or self.implicit_params(definition.syntax) else ReferenceKind.CONSTANT)
            return Reference(name, span, kind, is_definition, self.name_span(definition))
        kind = ReferenceKind.CATALOG if name in catalog_functions() else ReferenceKind.UNKNOWN
        return Reference(name, span, kind)

