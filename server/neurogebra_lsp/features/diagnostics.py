"""Diagnostics: pulled (textDocument/diagnostic) by clients that declare support, pushed to the others.

Pushed lists are replaced whole after every analysis (so a fixed error disappears) and cleared explicitly when a
document closes or stops being ours.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.exceptions import JsonRpcException

from neurogebra.analysis.model import Diagnostic, DocumentAnalysis
from neurogebra_lsp.documents import Snapshot
from neurogebra_lsp.state import Need

if TYPE_CHECKING:
    from neurogebra_lsp.server import NeurogebraServer

SOURCE = "neurogebra"


def to_lsp(snapshot: Snapshot, diagnostic: Diagnostic) -> types.Diagnostic:
    related = [types.DiagnosticRelatedInformation(location=snapshot.location(r.span), message=r.message)
               for r in diagnostic.related]
    return types.Diagnostic(range=snapshot.lines.range(diagnostic.span), message=diagnostic.message,
                            severity=types.DiagnosticSeverity(diagnostic.severity.value), code=diagnostic.code.value,
                            source=SOURCE, related_information=related or None)


def lsp_diagnostics(snapshot: Snapshot, analysis: DocumentAnalysis | None) -> list[types.Diagnostic]:
    return [] if analysis is None else [to_lsp(snapshot, d) for d in analysis.diagnostics if snapshot.holds(d.span)]


def pulled(server: NeurogebraServer) -> bool:
    return server.supports("text_document.diagnostic")


def publish(server: NeurogebraServer, snapshot: Snapshot, analysis: DocumentAnalysis | None) -> None:
    """Push a version's diagnostics, the whole list, to a client that does not pull them (None: not analyzed)."""
    if not pulled(server):
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=snapshot.uri, diagnostics=lsp_diagnostics(snapshot, analysis), version=snapshot.version))


def clear(server: NeurogebraServer, uri: str) -> None:
    """A closed document's pushed diagnostics go."""
    if not pulled(server):
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


def register(server: NeurogebraServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC,
                    types.DiagnosticOptions(identifier=SOURCE, inter_file_dependencies=False,
                                            workspace_diagnostics=False))
    async def diagnostic(params: types.DocumentDiagnosticParams) -> types.RelatedFullDocumentDiagnosticReport:
        uri = params.text_document.uri
        context = await server.context(uri, Need.DIAGNOSTICS)
        if context is None:
            state = server.document(uri)
            if state is not None and server.analyzes(state.snapshot.language):
                raise JsonRpcException("analysis still running", types.LSPErrorCodes.ServerCancelled,
                                       {"retriggerRequest": True})
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        return types.RelatedFullDocumentDiagnosticReport(items=lsp_diagnostics(context.snapshot, context.analysis))
