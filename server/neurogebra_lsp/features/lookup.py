"""Finding things in an analysis by offset or by name (shared by hover, definition, references and rename)."""
from __future__ import annotations

from neurogebra.analysis.model import DocumentAnalysis, Reference, ReferenceKind, Span, Statement, StatementKind

DEFINING = (StatementKind.FUNCTION, StatementKind.CONSTANT)
MAKING = (StatementKind.FORMULA, StatementKind.CATALOG, StatementKind.GRADIENT)  # Python: what makes an Expression
EVALUATIONS = (StatementKind.EVALUATION, StatementKind.EVAL_CALL)
RENAMEABLE = (ReferenceKind.FUNCTION, ReferenceKind.CONSTANT)


def innermost_statement(analysis: DocumentAnalysis, offset: int) -> Statement | None:
    found = analysis.statements_at(offset)
    return min(found, key=lambda s: s.span.end - s.span.start) if found else None


def reference_at(analysis: DocumentAnalysis, offset: int) -> Reference | None:
    found = analysis.references_at(offset)
    return min(found, key=lambda r: r.span.end - r.span.start) if found else None


def target_of(reference: Reference) -> Span | None:
    """The defining name's span of a user-defined name (a definition is its own target)."""
    if reference.kind not in RENAMEABLE:
        return None
    return reference.target or (reference.span if reference.is_definition else None)


def definition_at(analysis: DocumentAnalysis, target: Span) -> Statement | None:
    """The .ngb definition whose name is at `target`, or the Python call at `target` that made the Expression a
    variable holds (`act_grad = act.gradient("x")`)."""
    return next((s for s in analysis.statements if s.kind in DEFINING and s.name_span == target
                 or s.kind in MAKING and s.span == target), None)


def references_to(analysis: DocumentAnalysis, target: Span) -> list[Reference]:
    """Every occurrence of the name defined at `target`, the definition included, in document order."""
    found = {r.span: r for s in analysis.statements for r in s.references if target_of(r) == target}
    definition = definition_at(analysis, target)
    if definition is not None and definition.name is not None and definition.name_span == target \
            and target not in found:
        kind = ReferenceKind.FUNCTION if definition.kind == StatementKind.FUNCTION else ReferenceKind.CONSTANT
        found[target] = Reference(definition.name, target, kind, is_definition=True)
    return sorted(found.values(), key=lambda r: r.span.start)
