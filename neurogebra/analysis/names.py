"""The names a formula can use, for completion and signature help: catalog, math, and the document's own."""
from __future__ import annotations

from dataclasses import dataclass

from neurogebra.analysis.model import DocumentAnalysis, ReferenceKind, StatementKind
from neurogebra.catalog import ENTRIES
from neurogebra.syntax import CONSTANT_NAMES, MATH_SIGNATURES


@dataclass(frozen=True)
class CompletionItem:
    label: str
    kind: str           # function, catalog, math, constant, variable
    detail: str         # a signature or formula
    documentation: str = ""


@dataclass(frozen=True)
class Signature:
    name: str
    params: tuple[str, ...]
    documentation: str = ""

    @property
    def label(self) -> str:
        return f"{self.name}({', '.join(self.params)})"


def catalog_signature(name: str) -> Signature:
    entry = ENTRIES[name]
    params = tuple(entry.inputs) + tuple(f"{p}={v:g}" for p, v in entry.params.items())
    return Signature(name, params, f"{entry.formula}\n\n{entry.description}")


def math_signature(name: str) -> Signature:
    function = MATH_SIGNATURES[name]
    params = tuple("..." if p.startswith("*") else p for p in function.params)
    return Signature(name, params, function.description)


def document_functions(analysis: DocumentAnalysis | None):
    if analysis is None:
        return
    for statement in analysis.statements:
        if statement.kind == StatementKind.FUNCTION and statement.name and statement.formula:
            yield statement


def completion_items(analysis: DocumentAnalysis | None, offset: int | None = None,
                     typed: str = "") -> list[CompletionItem]:
    """The names a formula can use at `offset`: the document's functions and constants, the variables of the
    statement there (of every statement when `offset` is None), the catalog and math; each name once, and never
    `typed`, the word being typed."""
    items = [CompletionItem(s.name, "function", s.label, f"{s.label} = {s.formula.plain}")
             for s in document_functions(analysis)]
    seen = {item.label for item in items} | {typed}
    if analysis is not None:
        for statement in analysis.statements:
            if statement.kind == StatementKind.CONSTANT and statement.name and statement.name not in seen:
                seen.add(statement.name)
                shown = statement.value.plain if statement.value else ""
                items.append(CompletionItem(statement.name, "constant", f"{statement.name} = {shown}"))
        around = analysis.statements if offset is None else analysis.statements_at(offset)
        for statement in around:
            owner = statement.label or statement.name  # a statement with an error has no label
            for reference in statement.references:
                if reference.kind in (ReferenceKind.VARIABLE, ReferenceKind.PARAMETER) and reference.name not in seen:
                    seen.add(reference.name)
                    items.append(CompletionItem(reference.name, "variable",
                                                f"a variable of {owner}" if owner else "a variable"))
    for name, entry in sorted(ENTRIES.items()):
        if name in seen:
            continue
        signature = catalog_signature(name)
        items.append(CompletionItem(name, "catalog", f"{signature.label} = {entry.formula}",
                                    f"{entry.description} ({entry.category})"))
    for name in sorted(MATH_SIGNATURES):
        if name in ENTRIES or name in seen:  # tanh is in both: the catalog's item says more
            continue
        signature = math_signature(name)
        items.append(CompletionItem(name, "math", signature.label, signature.documentation))
    for name in CONSTANT_NAMES:
        items.append(CompletionItem(name, "constant", f"{name} = {CONSTANT_NAMES[name]}", "mathematical constant"))
    return items


def signature_of(name: str, analysis: DocumentAnalysis | None) -> Signature | None:
    for statement in document_functions(analysis):
        if statement.name == name:
            return Signature(name, statement.params, f"{statement.label} = {statement.formula.plain}")
    if name in MATH_SIGNATURES:  # first, as the parser resolves a call (a catalog entry of the name means the same)
        return math_signature(name)
    if name in ENTRIES:
        return catalog_signature(name)
    return None
