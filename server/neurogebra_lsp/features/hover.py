"""Hover: a statement's verdict first (a claim's, or a definition's problem), then its formula, derivatives,
self-form and stable form, its description, then the plot.

Formulas are one line of unicode each (x² + 3·x + 2) in a fenced block, or plaintext for clients that ask for it;
a client that typesets (hover.typeset, the VS Code extension) gets them as LaTeX in ```math blocks instead. A
formula too long to read at a glance is shortened, with the whole of it one click (typeset) or a scroll away (a
higher derivative's only when typeset).
"""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass, replace
from html import escape as html_escape
from typing import TYPE_CHECKING

from lsprotocol import types

from neurogebra.analysis import signature_of
from neurogebra.analysis.model import (
    DocumentAnalysis,
    Reference,
    ReferenceKind,
    Rendered,
    Severity,
    Span,
    Statement,
    StatementKind,
)
from neurogebra.analysis.notation import latex_name
from neurogebra.verdict import Verdict
from neurogebra_lsp.features.lookup import EVALUATIONS, definition_at, innermost_statement, reference_at, target_of
from neurogebra_lsp.state import Need

if TYPE_CHECKING:
    from neurogebra_lsp.server import NeurogebraServer

MAX_HOVER_CHARS = 90_000
LONG_FORMULA = 160  # characters of unicode: longer is shortened in the list
SUBJECT_KINDS = (StatementKind.CLAIM, StatementKind.EVALUATION, StatementKind.FUNCTION, StatementKind.CONSTANT)
VERDICT_MARKS = {Verdict.OK: "✓", Verdict.MISMATCH: "✗", Verdict.INCONCLUSIVE: "?"}  # otherwise ⚠
SEVERITY_MARKS = {Severity.ERROR: "✗", Severity.WARNING: "⚠", Severity.INFORMATION: "ℹ", Severity.HINT: "ℹ"}
# What would change how markdown renders a line of text; everything else goes through as it is, so that a
# client showing the markdown source (Neovim) shows few backslashes.
MARKDOWN_SPECIAL = re.compile(r"[\\`*~]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])|<(?=[A-Za-z/!?])|\](?=\()|^[#>+-]",
                              re.MULTILINE)
PRIMES = (("'''", "‴"), ("''", "″"), ("'", "′"))
FUNCTION_LABEL = re.compile(r"(?P<name>\w+)(?P<primes>'*)\((?P<args>[\w, ]*)\)")
PARTIAL_LABEL = re.compile(r"∂(?P<power>[²³⁴⁵⁶⁷⁸⁹]?)(?P<name>\w+)/∂(?P<variable>\w+)[²³⁴⁵⁶⁷⁸⁹]?")
GRADIENT_LABEL = re.compile(r"(?P<symbol>∇²?|J)_(?P<variable>\w+) (?P<name>\w+)")  # gradient, Hessian, Jacobian


@dataclass(frozen=True)
class Shown:
    label: str
    rendered: Rendered
    note: str = ""  # claimed, stable form, written with f
    secondary: bool = False  # a higher derivative: shortened when long, with no full text in the list


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
        shown.extend(Shown(name, r) for name, r in (("", formula), (label, value)) if r is not None)
    else:
        note = "claimed" if statement.kind == StatementKind.CLAIM else ""
        shown.extend(Shown(label, r, n) for r, n in ((formula, note), (value, "")) if r is not None)
    for derivative in statement.derivatives:
        shown.append(Shown(derivative.label, derivative.formula, secondary=derivative.order > 1))
        if derivative.self_form is not None:
            shown.append(Shown(derivative.label, derivative.self_form, f"written with {statement.name}"))
    if statement.stable_form is not None:
        shown.append(Shown(label, statement.stable_form, "stable form"))
    if statement.kind == StatementKind.CLAIM:  # the derivative the message ends with is shown below it
        notes = tuple(f"{VERDICT_MARKS.get(check.verdict, '⚠')} {check.finding}"
                      for check in statement.checks)
    else:  # checks of the tool's own derivative say nothing to the reader: the statement's own problems do
        notes = tuple(f"{SEVERITY_MARKS[d.severity]} {d.message}" for d in statement.diagnostics)
    if not shown and not notes and not statement.description:
        return None
    return HoverText(tuple(shown), notes, statement.description, statement.plot)


def signature_text(name: str, analysis: DocumentAnalysis) -> HoverText | None:
    signature = signature_of(name, analysis)
    if signature is None:
        return None
    call = signature.label
    return HoverText((Shown("", Rendered(plain=call, unicode=call, latex=latex_label(call))),), (),
                     signature.documentation)


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


def _line(item: Shown, shorten: bool = False) -> str:
    """`f′(x) = 2·x + 3  (claimed)`: one line of unicode."""
    formula = item.rendered.unicode
    if shorten and _long(item):
        formula = formula[:LONG_FORMULA - 20].rstrip() + (" …" if item.secondary else " … (in full below)")
    text = f"{unicode_label(item.label)} = {formula}" if item.label else formula
    return f"{text}   ({item.note})" if item.note else text


def unicode_label(label: str) -> str:
    for ascii_primes, primes in PRIMES:
        label = label.replace(ascii_primes, primes)
    return label


def _long(item: Shown) -> bool:
    return len(item.rendered.unicode) > LONG_FORMULA


def _lines(text: HoverText) -> list[str]:
    shown = [_line(item, shorten=True) for item in text.shown]
    whole = [_line(item) for item in text.shown if _long(item) and not item.secondary]
    return shown + ([""] + whole if whole else [])


def _escape(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(lambda match: "\\" + match[0], text)


def latex_label(label: str) -> str:
    """f'(x), ∂²g/∂x², ∇_W L, y_pred(p) as LaTeX; anything else (an evaluation's own text) as text."""
    function = FUNCTION_LABEL.fullmatch(label)
    if function:
        args = ", ".join(latex_name(a.strip()) for a in function["args"].split(",") if a.strip())
        return f"{latex_name(function['name'], upright=True)}{function['primes']}\\left({args}\\right)"
    partial = PARTIAL_LABEL.fullmatch(label)
    if partial:
        power = "²³⁴⁵⁶⁷⁸⁹".index(partial["power"]) + 2 if partial["power"] else 1
        up, down = ("", "") if power == 1 else (f"^{{{power}}}", f"^{{{power}}}")
        return (f"\\frac{{\\partial{up} {latex_name(partial['name'], upright=True)}}}"
                f"{{\\partial {latex_name(partial['variable'])}{down}}}")
    gradient = GRADIENT_LABEL.fullmatch(label)
    if gradient:
        symbol = {"∇": "\\nabla", "∇²": "\\nabla^{2}", "J": "J"}[gradient["symbol"]]
        return f"{symbol}_{{{latex_name(gradient['variable'])}}} {latex_name(gradient['name'], upright=True)}"
    return "\\text{" + re.sub(r"([\\{}$&#^_%~])", r"\\\1", label) + "}"


def _latex_row(item: Shown) -> str:
    note = f" \\quad \\text{{({item.note})}}" if item.note else ""
    if not item.label:
        return f"& {item.rendered.latex or item.rendered.plain}{note}"
    return f"{latex_label(item.label)} &= {item.rendered.latex or item.rendered.plain}{note}"


def _math(items: list[Shown]) -> str:
    rows = " \\\\\n".join(_latex_row(item) for item in items)
    return "```math\n\\begin{aligned}\n" + rows + "\n\\end{aligned}\n```"


def _typeset(text: HoverText) -> list[str]:
    """Formulas as LaTeX for the client to typeset; a long one folded under its shortened line."""
    parts, short = [], [item for item in text.shown if not _long(item)]
    if short:
        parts.append(_math(short))
    for item in text.shown:
        if _long(item):
            summary = html_escape(_line(replace(item, secondary=True), shorten=True))
            parts.append(f"<details><summary>{summary}</summary>\n\n{_math([item])}\n\n</details>")
    return parts


def _plot_image(text: HoverText, svg: str) -> str:
    alt = re.sub(r"[\[\]\n]", " ", text.shown[0].label) if text.shown else "plot"
    return f"![{alt}](data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode('ascii')})"


def markdown(text: HoverText, rich: bool, typeset: bool = False) -> str:
    parts = [_escape(note) for note in text.notes]  # the verdict first
    if text.shown:
        parts.extend(_typeset(text) if typeset else ["```text\n" + "\n".join(_lines(text)) + "\n```"])
    if text.description:
        parts.append(_escape(text.description))
    if rich and text.plot:
        parts.append(_plot_image(text, text.plot))
    result = "\n\n".join(parts)
    if len(result) > MAX_HOVER_CHARS and (typeset or rich):
        return markdown(text, rich=False)  # the plain form is the smallest; a cut fence would garble the rest
    return _capped(result)


def plaintext(text: HoverText) -> str:
    parts = list(text.notes)  # the verdict first
    if text.shown:
        parts.append("\n".join(_lines(text)))
    if text.description:
        parts.append(text.description)
    return _capped("\n\n".join(parts))


def _capped(text: str) -> str:
    if len(text) <= MAX_HOVER_CHARS:
        return text
    cut = text[:MAX_HOVER_CHARS - 5] + "…"
    return cut + "\n```" if cut.count("```") % 2 else cut


def register(server: NeurogebraServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(params: types.HoverParams) -> types.Hover | None:
        context = await server.context(params.text_document.uri, Need.EARLY)
        if context is None:
            return None
        found = hover_text(context.analysis, context.offset(params.position))
        if found is None:
            return None
        text, span = found
        offered = context.capability("text_document.hover.content_format")
        if offered and offered[0] == types.MarkupKind.PlainText:  # the client's first choice
            content = types.MarkupContent(kind=types.MarkupKind.PlainText, value=plaintext(text))
        else:
            content = types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown(
                text, context.settings.rich_hover, context.settings.typeset_hover))
        return types.Hover(contents=content, range=context.snapshot.lines.range(span))
