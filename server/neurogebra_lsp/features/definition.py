"""Go to definition and find references, for names defined in the document (functions and constants)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from neurogebra_lsp.features.lookup import reference_at, references_to, target_of

if TYPE_CHECKING:
    from neurogebra_lsp.server import NeurogebraServer


def register(server: NeurogebraServer) -> None:
    async def target_at(uri: str, position: types.Position):
        """The document's snapshot, analysis and the definition span of the name at `position` (or None)."""
        found = await server.analysis_at(uri, position)
        if found is None:
            return None
        snapshot, analysis, offset = found
        reference = reference_at(analysis, offset)
        target = target_of(reference) if reference is not None else None
        return None if target is None else (snapshot, analysis, target)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    async def definition(params: types.DefinitionParams) -> types.Location | None:
        found = await target_at(params.text_document.uri, params.position)
        if found is None:
            return None
        snapshot, _, target = found
        return types.Location(uri=snapshot.uri, range=snapshot.lines.range(target))

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    async def references(params: types.ReferenceParams) -> list[types.Location] | None:
        found = await target_at(params.text_document.uri, params.position)
        if found is None:
            return None
        snapshot, analysis, target = found
        return [types.Location(uri=snapshot.uri, range=snapshot.lines.range(r.span)) for r in references_to(analysis, target)
                if params.context.include_declaration or r.span != target]
