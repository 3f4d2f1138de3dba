"""Code actions: the ready Fixes of the statements a range touches (insert a derivative, replace a wrong claim,
use the stable form). A quickfix names the diagnostic it fixes."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Sequence

from lsprotocol import types

from neurogebra.analysis.model import Edit, Fix, Span, Statement
from neurogebra_lsp.documents import Snapshot
from neurogebra_lsp.features.diagnostics import to_lsp

if TYPE_CHECKING:
    from neurogebra_lsp.server import NeurogebraServer

VERSIONED_EDITS = "workspace.workspace_edit.document_changes"  # the client applies edits to a given version


def wanted(kind: str, only: Sequence[str] | None) -> bool:
    """`only` lists kinds or their parents ("refactor" covers "refactor.rewrite")."""
    return not only or any(kind == k or kind.startswith(k + ".") for k in only)


def workspace_edit(snapshot: Snapshot, edits: Iterable[Edit], versioned: bool) -> types.WorkspaceEdit:
    """Edits of one document; `versioned` (documentChanges) lets the client refuse them once the text moved on."""
    text_edits = [types.TextEdit(range=snapshot.lines.range(e.span), new_text=e.new_text) for e in edits]
    if versioned:
        document = types.OptionalVersionedTextDocumentIdentifier(uri=snapshot.uri, version=snapshot.version)
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=document,
                                                                            edits=text_edits)])
    return types.WorkspaceEdit(changes={snapshot.uri: text_edits})


def action(snapshot: Snapshot, statement: Statement, fix: Fix, versioned: bool) -> types.CodeAction:
    fixed = [to_lsp(snapshot, d) for d in statement.diagnostics if fix.code is not None and d.code == fix.code]
    return types.CodeAction(title=fix.title, kind=fix.kind, diagnostics=fixed or None,
                            is_preferred=fix.preferred or None, edit=workspace_edit(snapshot, fix.edits, versioned))


def register(server: NeurogebraServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.Refactor]))
    async def code_actions(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        context = await server.context(params.text_document.uri)
        if context is None:
            return None
        span = context.snapshot.lines.span(params.range)
        versioned = context.supports(VERSIONED_EDITS)
        return [action(context.snapshot, statement, fix, versioned)
                for statement in context.analysis.reaching(span) if _overlaps(statement.span, span)
                for fix in statement.fixes if wanted(fix.kind, params.context.only)]


def _overlaps(a: Span, b: Span) -> bool:
    return a.start <= b.end and b.start <= a.end
