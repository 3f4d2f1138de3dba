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

if TYPE_CHECKING:
    from neurogebra_lsp.server import NeurogebraServer

SOURCE = "neurogebra"
SERVER_CANCELLED = -32802  # LSP's ServerCancelled: the client asks again


def to_lsp(snapshot: Snapshot, diagnostic: Diagnostic) -> types.Diagnostic:
    related = [types.DiagnosticRelatedInformation(
        location=types.Location(uri=snapshot.uri, range=snapshot.lines.range(r.span)), message=r.message)
        for r in diagnostic.related]
    return types.Diagnostic(range=snapshot.lines.range(diagnostic.span), message=diagnostic.message,
                            severity=types.DiagnosticSeverity(diagnostic.severity.value), code=diagnostic.code.value,
                            source=SOURCE, related_information=related or None)


def lsp_diagnostics(snapshot: Snapshot, analysis: DocumentAnalysis | None) -> list[types.Diagnostic]:
    return [] if analysis is None else [to_lsp(snapshot, d) for d in analysis.diagnostics]


def register(server: NeurogebraServer) -> None:
    def pulled() -> bool:
        return server.supports("text_document.diagnostic")

    def publish(uri: str, items: list[types.Diagnostic], version: int | None = None) -> None:
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=items, version=version))

    def analyzed(snapshot: Snapshot, analysis: DocumentAnalysis | None) -> None:
        if not pulled():
            publish(snapshot.uri, lsp_diagnostics(snapshot, analysis), snapshot.version)

    def closed(uri: str) -> None:
        if not pulled():
            publish(uri, [])

    server.on_diagnostics.append(analyzed)
    server.on_close.append(closed)

    @server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC,
                    types.DiagnosticOptions(identifier=SOURCE, inter_file_dependencies=False,
                                            workspace_diagnostics=False))
    async def diagnostic(params: types.DocumentDiagnosticParams) -> types.RelatedFullDocumentDiagnosticReport:
        uri = params.text_document.uri
        analyzed = await server.diagnosed(uri)
        if analyzed is None and uri in server.documents and server.analyzable(server.documents[uri]):
            raise JsonRpcException("analysis still running", SERVER_CANCELLED, {"retriggerRequest": True})
        items = [] if analyzed is None else lsp_diagnostics(*analyzed)
        return types.RelatedFullDocumentDiagnosticReport(items=items)
