"""Inlay hints: `= value` at the end of each evaluation (`f'(0)` -> `= 3`), and in Python at the end of the line
of each `.eval(...)` (inside `print(...)` it would read like an assignment). Decimals show 6 significant digits,
formulas a line of unicode cut at 40 characters; the full value is the tooltip."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lsprotocol import types

from neurogebra.analysis.model import DocumentAnalysis, Rendered, Span, Statement
from neurogebra_lsp.documents import Snapshot
from neurogebra_lsp.features.lookup import EVALUATIONS
from neurogebra_lsp.state import Need

if TYPE_CHECKING:
    from neurogebra_lsp.server import NeurogebraServer
    from neurogebra_lsp.state import DocumentState

MAX_LABEL = 40
SHOWN_DIGITS = 6
DECIMAL = re.compile(r"-?\d+\.\d+(e[-+]?\d+)?")


def evaluations(analysis: DocumentAnalysis, within: Span | None = None) -> list[Statement]:
    candidates = analysis.statements if within is None else analysis.reaching(within)
    return [s for s in candidates if s.kind in EVALUATIONS and s.value is not None
            and (within is None or within.start <= s.span.end <= within.end)]


def shown_value(value: Rendered) -> str:
    """6 significant digits for a decimal (0.867338 for 0.86733838...); a formula in unicode, cut at MAX_LABEL
    characters."""
    if DECIMAL.fullmatch(value.plain):
        return f"{float(value.plain):.{SHOWN_DIGITS}g}".replace("-", "−")
    text = value.unicode
    return text if len(text) <= MAX_LABEL else text[:MAX_LABEL - 1] + "…"


def hint(snapshot: Snapshot, statement: Statement) -> types.InlayHint:
    assert statement.value is not None, "an evaluation with a value, as evaluations() keeps them"
    value = statement.value.unicode
    shown = shown_value(statement.value)
    end = statement.span.end
    if snapshot.language == "python":
        end = snapshot.lines.line_end(snapshot.lines.position(end).line)
    return types.InlayHint(position=snapshot.lines.position(end), label=f"= {shown}", padding_left=True,
                           tooltip=None if shown == value else value)


def refresh_if_changed(server: NeurogebraServer, state: DocumentState, analysis: DocumentAnalysis | None) -> None:
    """Values can change where nothing was typed (a definition above changed): then ask the client again."""
    values = () if analysis is None else tuple(s.value.plain for s in evaluations(analysis) if s.value is not None)
    previous, state.inlay_values = state.inlay_values, values
    if previous is not None and previous != values and server.settings.inlay_hints:
        server.refresh("workspace.inlay_hint.refresh_support", server.workspace_inlay_hint_refresh_async)


def register(server: NeurogebraServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False))
    async def inlay_hints(params: types.InlayHintParams) -> list[types.InlayHint]:
        if not server.settings.inlay_hints:
            return []
        context = await server.context(params.text_document.uri, Need.EARLY)
        if context is None:
            return []
        lines = context.snapshot.lines
        return [hint(context.snapshot, s) for s in evaluations(context.analysis, lines.span(params.range))]
