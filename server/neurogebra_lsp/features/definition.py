"""Go to definition and find references: names defined in the document (functions and constants; in Python,
names bound to an Expression, whose definition is the call that made it), and catalog names, whose definition
is the entry written as a read-only .ngb file (neurogebra.analysis.catalog_document)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.exceptions import JsonRpcException

from neurogebra.analysis.catalog_document import catalog_document
from neurogebra.analysis.model import Reference, ReferenceKind
from neurogebra_lsp.features.lookup import reference_at, references_to, target_of
from neurogebra_lsp.positions import LineIndex
from neurogebra_lsp.state import Need

if TYPE_CHECKING:
    from neurogebra_lsp.server import NeurogebraServer
    from neurogebra_lsp.state import RequestContext


def catalog_location(name: str, encoding: str) -> types.Location | None:
    """The entry's name in its file (written on first use); None for a name that is not in the catalog."""
    try:
        document = catalog_document(name)
    except OSError as error:
        raise JsonRpcException(f"cannot write the catalog entry {name} to open it: {error}",
                               types.LSPErrorCodes.RequestFailed) from None
    if document is None:
        return None
    lines = LineIndex.of(document.text, encoding)
    return types.Location(uri=document.path.as_uri(), range=lines.range(document.name_span))


def register(server: NeurogebraServer) -> None:
    async def reference_under(uri: str, position: types.Position) -> tuple[RequestContext, Reference] | None:
        """The request's context and the name at `position` (or None)."""
        context = await server.context(uri, Need.EARLY)
        if context is None:
            return None
        reference = reference_at(context.analysis, context.offset(position))
        return None if reference is None else (context, reference)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    async def definition(params: types.DefinitionParams) -> types.Location | None:
        found = await reference_under(params.text_document.uri, params.position)
        if found is None:
            return None
        context, reference = found
        if reference.kind == ReferenceKind.CATALOG:
            return catalog_location(reference.name, context.encoding)
        target = target_of(reference)
        return None if target is None else context.snapshot.location(target)

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    async def references(params: types.ReferenceParams) -> list[types.Location] | None:
        found = await reference_under(params.text_document.uri, params.position)
        if found is None:
            return None
        context, reference = found
        target = target_of(reference)
        if target is None:
            return None
        return [context.snapshot.location(r.span) for r in references_to(context.analysis, target)
                if params.context.include_declaration or r.span != target]
