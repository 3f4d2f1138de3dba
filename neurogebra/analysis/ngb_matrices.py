"""Statements of a .ngb document about vectors and matrices ("matrix statements"): their shapes checked, each
shape error at its operator or call; gradients of functions to numbers derived and verified element-wise
(neurogebra.analysis.matrix_calculus), and gradient claims checked against them."""
from __future__ import annotations

import contextlib
from dataclasses import replace
from typing import TYPE_CHECKING, Mapping

from neurogebra.analysis.matrix_calculus import derived_gradient
from neurogebra.analysis.matrix_code import code_fixes
from neurogebra.analysis.matrix_entries import (
    FAILURES,
    Difference,
    Expansion,
    Gradient,
    entry_text,
    numbers_text,
)
from neurogebra.analysis.matrix_notation import (
    derivative_kind,
    matrix_derivative_label,
    readable,
    rendered_value,
)
from neurogebra.analysis.matrix_stability import stability
from neurogebra.analysis.model import (
    Code,
    Derivative,
    Diagnostic,
    Edit,
    Fix,
    Rendered,
    Severity,
    Span,
    Statement,
    StatementKind,
)
from neurogebra.analysis.ngb import SourceStatement, Syntax
from neurogebra.analysis.run import parse_error_diagnostic
from neurogebra.analysis.shapes import (
    SCALAR,
    Shape,
    ShapeError,
    fits,
    infer_shapes,
    shape_label,
    shape_text,
    uses_matrices,
)
from neurogebra.builder import MATH_FUNCTIONS
from neurogebra.catalog.formulas import catalog_functions
from neurogebra.suggest import did_you_mean
from neurogebra.syntax import MATRIX_SIGNATURES, Node, ParseError

if TYPE_CHECKING:
    from neurogebra.analysis.ngb_run import NgbRun

NOT_DERIVED = "matrix calculus is not derived yet: shapes are checked"
NO_VALUE = ("no value: a vector or matrix here has a shape but no numbers; give it some, as in W0 = [[1, 2], [3, 4]], "
            "to see the value")
NO_JACOBIAN_FORM = "could not derive a closed form of {label}; a claim {label} = ... is checked entry by entry"
NO_CLOSED_FORM = "could not derive a closed form of {label}; checked element-wise"


class CalledShapeError(ShapeError):
    """A shape error in the body of a definition a formula calls, with that call's argument shapes."""


def declared_shapes(statements: list[SourceStatement]) -> tuple[dict[str, Shape], dict[int, Diagnostic]]:
    """The shapes the document's @shape lines declare (wherever they are), and by id(statement) the error of a
    line that declares a name again with another shape (the first declaration holds)."""
    shapes: dict[str, Shape] = {}
    conflicts: dict[int, Diagnostic] = {}
    for statement in statements:
        if not statement.code.startswith("@shape"):
            continue
        syntax = statement.shape
        if syntax.kind != StatementKind.SHAPE or syntax.shape is None:
            continue
        for token in syntax.domain_names:
            known = shapes.setdefault(token.name, syntax.shape)
            if known != syntax.shape and id(statement) not in conflicts:
                span = Span(statement.start + token.span.start, statement.start + token.span.end)
                conflicts[id(statement)] = Diagnostic(span, Severity.ERROR, Code.PARSE_ERROR, (
                    f"'{token.name}' is already declared {shape_label(known)}; this declaration says "
                    f"{shape_label(syntax.shape)}"))
    return {name: shape for name, shape in shapes.items() if shape}, conflicts


class MatrixStatements:
    """Which statements of one run are matrix statements, and their shapes."""

    def __init__(self, run: NgbRun, shapes: Mapping[str, Shape]) -> None:
        self.run = run
        self.shapes = shapes
        self.matrix: dict[str, bool] = {}  # by definition name
        self.visiting: set[str] = set()
        self.known: dict[tuple[str, tuple[Shape, ...]], Shape | ShapeError] = {}  # by name and parameters' shapes
        self.gradients: dict[tuple[str, str, int], tuple[Gradient, str | None] | None] = {}  # name, variable, order

    def is_matrix(self, syntax: Syntax) -> bool:
        """Uses a declared vector or matrix, '@' or a transpose, or a definition that does; or is a derivative
        in a declared vector or matrix."""
        if not self.shapes or syntax.kind in (StatementKind.DOMAIN, StatementKind.SHAPE):
            return False
        return self.itself_matrix(syntax) or any(self.defines_matrix(name) for name in self.run.dependencies(syntax))

    def itself_matrix(self, syntax: Syntax) -> bool:
        if syntax.wrt is not None and syntax.wrt.name in self.shapes:
            return True
        return syntax.tree is not None and uses_matrices(syntax.tree, self.shapes)

    def defines_matrix(self, name: str) -> bool:
        """Whether a definition is a matrix statement: the definitions it uses first, without recursion (a chain
        of definitions can be as long as the document). Cyclic ones are not (a cycle is reported as such)."""
        for current in self.run.dependencies_first((name,), self.matrix.__contains__):
            syntax = self.run.definitions[current].syntax
            self.matrix[current] = self.itself_matrix(syntax) or any(
                self.matrix.get(used, False) for used in self.run.dependencies(syntax))
        return self.matrix.get(name, False)

    def formula_shape(self, syntax: Syntax, own: Mapping[str, Shape]) -> Shape:
        assert syntax.tree is not None  # a statement with a formula
        self.check_names(syntax)
        names = {**self.shapes, **self.constant_shapes(syntax), **own}
        return infer_shapes(syntax.formula, syntax.tree, names, self.call_shape)[syntax.tree]

    def constant_shapes(self, syntax: Syntax) -> dict[str, Shape]:
        found = {}
        for name in self.run.dependencies(syntax):
            definition = self.run.definitions[name].syntax
            if not self.run.params_of(definition) and name not in self.visiting and self.run.key(name) is not None:
                found[name] = self.definition_shape(name, ())
        return found

    def call_shape(self, name: str, args: tuple[Shape, ...]) -> Shape | None:
        """The shape of a call of one of the document's functions, its body read with the arguments' shapes."""
        if name not in self.run.definitions or name in self.visiting or self.run.key(name) is None:
            return None
        return self.definition_shape(name, args)

    def definition_shape(self, name: str, args: tuple[Shape, ...]) -> Shape:
        syntax = self.run.definitions[name].syntax
        params = self.run.params_of(syntax)
        own = dict(zip(params, args)) if args else {p: self.shapes.get(p, SCALAR) for p in params}
        key = (name, tuple(own[p] for p in params))
        if key not in self.known:
            self.visiting.add(name)
            try:
                self.known[key] = self.formula_shape(syntax, own)
            except ShapeError as error:
                self.known[key] = CalledShapeError(f"in {name}: {error.message}", 0, 1)
            finally:
                self.visiting.discard(name)
        known = self.known[key]
        if isinstance(known, ShapeError):
            raise known
        return known

    def settle(self, syntax: Syntax) -> None:
        """The shapes of the definitions a statement uses, with their parameters' declared shapes, those they use
        first and without recursion (a chain of definitions can be as long as the document): a call with those
        shapes is then looked up, not read again."""
        for name in self.run.dependencies_first(self.run.dependencies(syntax)):
            with contextlib.suppress(ShapeError):
                self.definition_shape(name, ())

    def check_names(self, syntax: Syntax) -> None:
        """A call of a function nobody defines is an error, as in scalar formulas."""
        assert syntax.tree is not None
        known = (self.run.definitions, MATH_FUNCTIONS, MATRIX_SIGNATURES, catalog_functions())
        for node in syntax.tree.walk():
            if node.kind == "call" and not any(node.value in table for table in known):
                close = did_you_mean(node.value, list(self.run.definitions) + list(MATRIX_SIGNATURES))
                raise ParseError(f"unknown function '{node.value}'", node.start, node.name_end - node.start,
                                 f"did you mean {close[0]}?" if close else None, Code.UNDEFINED_NAME.value)

    def compute(self, syntax: Syntax, base: Statement) -> Statement:
        params = self.run.params_of(syntax) if syntax.kind in (StatementKind.FUNCTION, StatementKind.CONSTANT) \
            else ()
        kind = StatementKind.FUNCTION if params else syntax.kind
        label = f"{syntax.name.name}({', '.join(params)})" if params and syntax.name else (
            syntax.name.name if syntax.name and kind == StatementKind.CONSTANT else syntax.text)
        try:
            self.settle(syntax)
            shape = self.formula_shape(syntax, {p: self.shapes.get(p, SCALAR) for p in params}) \
                if syntax.tree is not None else None
            problem = self.claim_problem(syntax, shape)
        except ShapeError as error:
            if isinstance(error, CalledShapeError):  # at the whole formula
                error = ShapeError(error.message, 0, len(syntax.formula))
            return replace(base, kind=kind, label=label, params=params,
                           diagnostics=(parse_error_diagnostic(error, syntax.formula_start),))
        formula = None
        if shape is not None:
            names = {**self.shapes, **self.constant_shapes(syntax)}  # W0 = [[1, 2], [3, 4]] has its own
            formula = readable(" ".join(syntax.formula.split()), names, shape_label(shape))
        span = base.formula_span or base.span
        statement = replace(base, kind=kind, label=label, params=params, formula=formula, variables=params)
        if problem:
            return replace(statement, diagnostics=(Diagnostic(span, Severity.ERROR, Code.SHAPE_MISMATCH, problem),))
        not_derived = (Diagnostic(span, Severity.INFORMATION, Code.NOT_CHECKED, NOT_DERIVED),)
        if kind == StatementKind.FUNCTION and shape == SCALAR and syntax.name is not None:
            derived = self.with_gradients(statement, syntax.name.name, params, span) or \
                replace(statement, diagnostics=not_derived)
            return self.with_stability(derived, syntax, span)
        if syntax.kind == StatementKind.CLAIM and syntax.tree is not None:
            return self.checked_claim(statement, syntax, syntax.tree, span) or \
                replace(statement, diagnostics=not_derived)
        if syntax.kind == StatementKind.CONSTANT and syntax.name and syntax.name.name in self.shapes:
            name = syntax.name.name
            return replace(statement, diagnostics=(Diagnostic(
                Span(base.span.start + syntax.name.span.start, base.span.start + syntax.name.span.end),
                Severity.ERROR, Code.DUPLICATE_DEFINITION,
                f"{name} is declared with @shape {name}: {shape_text(self.shapes[name])}, a name formulas are "
                f"written in; give its value another name ({name}0 = ...)"),))
        if syntax.kind in (StatementKind.EVALUATION, StatementKind.CONSTANT) and not params and syntax.tree:
            value = self.value_of(syntax)
            if value is not None:
                return replace(statement, value=value)
            if syntax.kind == StatementKind.EVALUATION:
                return replace(statement, diagnostics=(Diagnostic(span, Severity.INFORMATION, Code.NOT_CHECKED,
                                                                  NO_VALUE),))
        inputs = [p for p in params if len(self.shapes.get(p, SCALAR)) == 1]  # a Jacobian in them is a matrix
        if kind == StatementKind.FUNCTION and shape is not None and len(shape) == 1 and inputs and syntax.name:
            return self.with_jacobians(statement, syntax.name.name, inputs, shape, span)
        return replace(statement, diagnostics=not_derived)

    def with_jacobians(self, statement: Statement, name: str, inputs: list[str], shape: Shape,
                       span: Span) -> Statement:
        """Hover shows the Jacobian in each vector parameter that has a verified closed form; one without says its
        claims are checked entry by entry."""
        derivatives, notes = [], []
        for variable in inputs:
            found = self.gradient(name, variable)
            label = matrix_derivative_label(name, variable, 1, True)
            if found is None or found[1] is None:
                notes.append(Diagnostic(span, Severity.INFORMATION, Code.NOT_CHECKED,
                                        NO_JACOBIAN_FORM.format(label=label)))
                continue
            jacobian = shape_label(shape + self.shapes[variable])
            derivatives.append(Derivative(variable, 1, label, readable(found[1], self.shapes, jacobian)))
        return replace(statement, derivatives=tuple(derivatives), diagnostics=tuple(notes))

    def definition(self, name: str) -> tuple[tuple[str, ...], str, Node] | None:
        """A document definition's parameters, formula and tree, for writing it out."""
        if name not in self.run.definitions or self.run.key(name) is None:
            return None
        syntax = self.run.definitions[name].syntax
        return (self.run.params_of(syntax), syntax.formula, syntax.tree) if syntax.tree is not None else None

    def gradient(self, name: str, variable: str, order: int = 1) -> tuple[Gradient, str | None] | None:
        """A function's derivative in one of its parameters (the gradient or a Jacobian; the Hessian at order
        2), written out, and a gradient's verified closed form if any."""
        key = (name, variable, order)
        if key not in self.gradients:
            found = self.definition(name)
            self.gradients[key] = None if found is None or variable not in found[0] else \
                derived_gradient(variable, self.shapes, self.definition, found[2], found[0], order)
        return self.gradients[key]

    def with_gradients(self, statement: Statement, name: str, params: tuple[str, ...],
                       span: Span) -> Statement | None:
        """Hover shows each gradient with a closed form, and code actions insert it as NumPy and PyTorch code; a
        parameter without one is said to be checked element-wise. None when no gradient could be written out."""
        derivatives, notes, fixes = [], [], []
        for variable in params:
            found = self.gradient(name, variable)
            if found is None:
                return None
            label = matrix_derivative_label(name, variable, 1, False)
            closed = found[1]
            if closed is None:
                notes.append(Diagnostic(span, Severity.INFORMATION, Code.NOT_CHECKED,
                                        NO_CLOSED_FORM.format(label=label)))
                continue
            shape = shape_label(self.shapes.get(variable, SCALAR))
            derivatives.append(Derivative(variable, 1, label, readable(closed, self.shapes, shape)))
            fixes += code_fixes(label, variable, closed, statement.span.end, self.run.newline)
        return replace(statement, derivatives=tuple(derivatives), diagnostics=tuple(notes), fixes=tuple(fixes))

    def value_of(self, syntax: Syntax) -> Rendered | None:
        """The value of an evaluation or a constant whose names all stand for numbers: matrices and vectors written
        out ([[1, 2], [3, 4]]), constants, calls of the document's functions with them. None when a name stands
        for a declared shape with no value (a formula, not a value)."""
        assert syntax.tree is not None  # a statement with a formula
        try:
            value = Expansion({}, self.shapes, self.definition).expand(syntax.tree)
            if any(not entry.is_number for entry in value.flat):
                return None
            return rendered_value(value)
        except FAILURES:
            return None

    def with_stability(self, statement: Statement, syntax: Syntax, span: Span) -> Statement:
        """A warning when the formula is unstable in floating point, with the stable form as a quick fix when one
        is known (neurogebra.analysis.matrix_stability)."""
        assert syntax.tree is not None  # a definition with a shape parsed
        found = stability(syntax.formula, syntax.tree, self.shapes, self.definition, self.run.settings.dtype)
        if found is None:
            return statement
        warning = Diagnostic(span, Severity.WARNING, Code.UNSTABLE_FORM, found.message)
        edits = tuple(Edit(Span(span.start + start, span.start + end), text) for start, end, text in found.edits)
        fixes = (Fix("Use the stable form", edits, "quickfix", Code.UNSTABLE_FORM, True),) if edits else ()
        return replace(statement, diagnostics=statement.diagnostics + (warning,), fixes=fixes + statement.fixes)

    def checked_claim(self, statement: Statement, syntax: Syntax, claim: Node, span: Span) -> Statement | None:
        """A gradient, Jacobian or Hessian claim compared entry by entry with the derivative written out; None when
        it is not one this checks (a third order, a derivative of more than two dimensions, other argument
        names)."""
        if syntax.name is None or syntax.order not in (1, 2):
            return None
        name = syntax.name.name
        found = self.definition(name)
        variable = syntax.wrt.name if syntax.wrt is not None else syntax.params[0].name if syntax.params else None
        if found is None or variable is None or (syntax.params and tuple(p.name for p in syntax.params) != found[0]):
            return None
        gradient = self.gradient(name, variable, syntax.order)
        if gradient is None:
            return None
        vector = bool(gradient[0].truths[0][2].shape)
        label = matrix_derivative_label(name, variable, syntax.order, vector)
        try:
            difference = gradient[0].difference(claim)
        except FAILURES:
            return None
        if difference is False:
            return None
        if difference is None:
            return replace(statement, diagnostics=())
        assert isinstance(difference, Difference)
        closed = gradient[1]
        claimed, truth = numbers_text(difference.claimed, difference.truth)
        which = derivative_kind(syntax.order, vector)[1]
        message = (f"{label} is wrong: {entry_text(difference.entry) + ' of ' if difference.entry else ''}"
                   f"the claim is {claimed} but the {which}'s is {truth} at {difference.where}")
        message += f" ({label} = {closed})" if closed else ""
        diagnostic = Diagnostic(span, Severity.ERROR, Code.GRADIENT_MISMATCH, message)
        fixes = (Fix(f"Replace with the correct {which}", (Edit(span, closed),), "quickfix",
                     Code.GRADIENT_MISMATCH, True),) if closed else ()
        return replace(statement, diagnostics=(diagnostic,), fixes=fixes)

    def claim_problem(self, syntax: Syntax, shape: Shape | None) -> str | None:
        """A derivative claim must have the derivative's shape (a number is not broadcast): a gradient its
        variable's, a Jacobian (outputs, inputs), a Hessian (inputs, inputs)."""
        if syntax.kind != StatementKind.CLAIM or shape is None or syntax.name is None or syntax.order not in (1, 2):
            return None
        name = syntax.name.name
        if name not in self.run.definitions or self.run.key(name) is None:
            return None
        params = self.run.params_of(self.run.definitions[name].syntax)
        variable = syntax.wrt.name if syntax.wrt is not None else syntax.params[0].name if syntax.params else None
        if variable is None or (syntax.params and len(syntax.params) != len(params)):
            return None
        names = [p.name for p in syntax.params] or list(params)
        args = tuple(self.shapes.get(n, SCALAR) for n in names)
        output = self.definition_shape(name, args)
        if syntax.order == 2 and output != SCALAR:
            return None  # a Hessian of a vector: not checked
        expected = output + self.shapes.get(variable, SCALAR) * syntax.order
        if len(expected) > 2 or len(shape) == len(expected) and all(map(fits, shape, expected)):
            return None  # a size letter fits the size of a matrix given for it
        why = (f"one row and one column per entry of {variable}" if syntax.order == 2 else
               f"one row per entry of {name} and one column per entry of {variable}" if output != SCALAR else
               f"the shape of {variable}")
        which = derivative_kind(syntax.order, output != SCALAR)[1]
        return (f"the {which} of {name} with respect to {variable} is {shape_label(expected)}, {why}; this claim is "
                f"{shape_label(shape)}")
