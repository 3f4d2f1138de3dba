"""Hover: a statement's verdict first (a claim's, or a definition's problem), then its formula, derivatives,
self-form, stable form, value and description.

Markdown shows the unicode pictures in one fenced block and the SymPy text (valid input again) as inline code;
with hover.rich it adds the plot of f and f' as an SVG data image. Plaintext for clients that ask for it.
"""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.capabilities import get_capability

from neurogebra.analysis import signature_of
from neurogebra.analysis.model import (DocumentAnalysis, Reference, ReferenceKind, Rendered, Span, Statement,
                                       StatementKind)
from neurogebra_lsp.features.lookup import EVALUATIONS, definition_at, innermost_statement, reference_at, target_of

if TYPE_CHECKING:
    from neurogebra_lsp.server import NeurogebraServer

MAX_HOVER_CHARS = 90_000
SUBJECT_KINDS = (StatementKind.CLAIM, StatementKind.EVALUATION, StatementKind.FUNCTION, StatementKind.CONSTANT)
VERDICT_MARKS = {"ok": "✓", "mismatch": "✗", "inconclusive": "?"}
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


@dataclass(frozen=True)
class Shown:
    label: str
    rendered: Rendered


@dataclass(frozen=True)
class HoverText:
    """What a hover says, before it is written as markdown or plaintext."""

    shown: tuple[Shown, ...]
    notes: tuple[str, ...] = ()       # check verdicts
    description: str = ""
    plot: str | None = None           # SVG


def statement_text(statement: Statement) -> HoverText | None:
    shown: list[Shown] = []
    label = statement.label or statement.name or ""
    formula, value = statement.formula, statement.value
    if value is not None and formula is not None and value.plain == formula.plain:
        formula = None
    if statement.kind in EVALUATIONS:
        shown.extend(Shown(name, r) for name, r in (("expression", formula), (label, value)) if r is not None)
    else:
        claimed = f"{label} (claimed)" if statement.kind == StatementKind.CLAIM else label
        shown.extend(Shown(name, r) for name, r in ((claimed, formula), (label, value)) if r is not None)
    for derivative in statement.derivatives:
        shown.append(Shown(derivative.label, derivative.formula))
        if derivative.self_form is not None:
            shown.append(Shown(derivative.label, derivative.self_form))
    if statement.stable_form is not None:
        shown.append(Shown(f"{label} (stable form)", statement.stable_form))
    notes = tuple(f"{VERDICT_MARKS.get(check.verdict, '⚠')} {check.message}" for check in statement.checks
                  if check.verdict != "ok" or statement.kind == StatementKind.CLAIM)  # a definition's ✓ says nothing
    if not shown and not notes and not statement.description:
        return None
    return HoverText(tuple(shown), notes, statement.description, statement.plot)


def signature_text(name: str, analysis: DocumentAnalysis) -> HoverText | None:
    signature = signature_of(name, analysis)
    if signature is None:
        return None
    call = signature.label
    return HoverText((Shown("", Rendered(plain=call, pretty=call)),), (), signature.documentation)


def hover_text(analysis: DocumentAnalysis, offset: int) -> tuple[HoverText, Span] | None:
    """What to say at `offset`, and the range it is about: a name defined in the document shows its definition
    (unless it is the subject of the claim or evaluation at hand: f in f'(0)), a catalog or math name its
    signature, anything else the statement around it."""
    reference = reference_at(analysis, offset)
    statement = innermost_statement(analysis, offset)
    if reference is not None and not _is_subject(reference, statement):
        target = target_of(reference)
        definition = definition_at(analysis, target) if target is not None else None
        if definition is not None:
            text = statement_text(definition)
            return (text, reference.span) if text else None
        if reference.kind in (ReferenceKind.CATALOG, ReferenceKind.MATH):
            text = signature_text(reference.name, analysis)
            return (text, reference.span) if text else None
    if statement is None:
        return None
    text = statement_text(statement)
    return (text, statement.span) if text else None


def _is_subject(reference: Reference, statement: Statement | None) -> bool:
    return statement is not None and (
        statement.kind in SUBJECT_KINDS and reference.span.start == statement.span.start
        or statement.kind == StatementKind.CATALOG)


def _line(item: Shown, picture: bool) -> str:
    """`label = formula`: the SymPy text, or the picture with the label on its baseline."""
    if not item.label:
        return item.rendered.pretty if picture else item.rendered.plain
    text = item.rendered.labelled(item.label, picture)
    return "\n".join(line.rstrip() for line in text.split("\n")) if picture else text


def _escape(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _texts(text: HoverText) -> list[Shown]:
    """The items whose SymPy text differs from their picture (the rest would be said twice)."""
    return [item for item in text.shown if _line(item, False) != _line(item, True)]


def markdown(text: HoverText, rich: bool, pictures: bool = True) -> str:
    parts = [_escape(note) for note in text.notes]  # the verdict first
    if text.shown and pictures:
        parts.append("```text\n" + "\n".join(_line(item, True) for item in text.shown) + "\n```")
    listed = _texts(text) if pictures else list(text.shown)
    if listed:
        parts.append("\n".join(f"- `{_line(item, False)}`" for item in listed))
    if text.description:
        parts.append(_escape(text.description))
    result = "\n\n".join(parts)
    if len(result) > MAX_HOVER_CHARS and pictures:
        return markdown(text, rich, pictures=False)  # huge pictures go first; a cut fence would garble the rest
    if rich and text.plot:
        alt = re.sub(r"[\[\]\n]", " ", _line(text.shown[0], False)) if text.shown else "plot"
        image = f"![{alt}](data:image/svg+xml;base64,{base64.b64encode(text.plot.encode()).decode('ascii')})"
        if len(result) + len(image) + 2 <= MAX_HOVER_CHARS:
            result = f"{image}\n\n{result}"
    return _capped(result)


def plaintext(text: HoverText) -> str:
    parts = list(text.notes)  # the verdict first
    if text.shown:
        parts.append("\n".join(_line(item, True) for item in text.shown))
    if _texts(text):
        parts.append("\n".join(_line(item, False) for item in _texts(text)))
    if text.description:
        parts.append(text.description)
    return _capped("\n\n".join(parts))


def _capped(text: str) -> str:
    return text if len(text) <= MAX_HOVER_CHARS else text[:MAX_HOVER_CHARS - 1] + "…"


def register(server: NeurogebraServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(params: types.HoverParams) -> types.Hover | None:
        at = await server.analysis_at(params.text_document.uri, params.position)
        if at is None:
            return None
        snapshot, analysis, offset = at
        found = hover_text(analysis, offset)
        if found is None:
            return None
        text, span = found
        offered = get_capability(server.client_capabilities, "text_document.hover.content_format", None)
        if offered and offered[0] == types.MarkupKind.PlainText:  # the client's first choice
            content = types.MarkupContent(kind=types.MarkupKind.PlainText, value=plaintext(text))
        else:
            content = types.MarkupContent(kind=types.MarkupKind.Markdown,
                                          value=markdown(text, server.settings.rich_hover))
        return types.Hover(contents=content, range=snapshot.lines.range(span))
