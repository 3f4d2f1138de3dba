"""Go to definition and find references, for names defined in the document (functions and constants)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from neurogebra_lsp.features.lookup import reference_at, references_to, target_of

if TYPE_CHECKING:
    from neurogebra_lsp.server import NeurogebraServer


def register(server: NeurogebraServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    async def definition(params: types.DefinitionParams) -> types.Location | None:
        analyzed = await server.analysis(params.text_document.uri)
        if analyzed is None:
            return None
        snapshot, analysis = analyzed
        reference = reference_at(analysis, snapshot.lines.offset(params.position))
        target = target_of(reference) if reference is not None else None
        return None if target is None else types.Location(uri=snapshot.uri, range=snapshot.lines.range(target))

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    async def references(params: types.ReferenceParams) -> list[types.Location] | None:
        analyzed = await server.analysis(params.text_document.uri)
        if analyzed is None:
            return None
        snapshot, analysis = analyzed
        reference = reference_at(analysis, snapshot.lines.offset(params.position))
        target = target_of(reference) if reference is not None else None
        if target is None:
            return None
        return [types.Location(uri=snapshot.uri, range=snapshot.lines.range(r.span)) for r in references_to(analysis, target)
                if params.context.include_declaration or r.span != target]
