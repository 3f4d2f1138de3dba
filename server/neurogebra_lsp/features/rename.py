"""Rename a function or constant defined in a .ngb document, everywhere it is used (prepareRename first)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams

from neurogebra.analysis import signature_of
from neurogebra.analysis.model import DocumentAnalysis, Edit, Reference
from neurogebra.analysis.ngb import NAME
from neurogebra_lsp.features.code_actions import VERSIONED_EDITS, workspace_edit
from neurogebra_lsp.features.lookup import reference_at, references_to, target_of

if TYPE_CHECKING:
    from neurogebra_lsp.server import NeurogebraServer
    from neurogebra_lsp.state import RequestContext


def renameable(analysis: DocumentAnalysis, offset: int) -> Reference | None:
    reference = reference_at(analysis, offset)
    return reference if reference is not None and target_of(reference) is not None else None


def taken(name: str, analysis: DocumentAnalysis) -> bool:
    """Used in the document (a function, constant or variable) or a math or catalog function."""
    used = {r.name for s in analysis.statements for r in s.references}
    return name in used or signature_of(name, analysis) is not None


def register(server: NeurogebraServer) -> None:
    async def ngb_context(uri: str) -> RequestContext | None:
        """The request's context, for .ngb documents only."""
        state = server.document(uri)
        return await server.context(uri) if state is not None and state.snapshot.language == "ngb" else None

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    async def prepare_rename(params: types.PrepareRenameParams) -> types.PrepareRenamePlaceholder | None:
        context = await ngb_context(params.text_document.uri)
        if context is None:
            return None
        reference = renameable(context.analysis, context.offset(params.position))
        if reference is None:
            return None
        return types.PrepareRenamePlaceholder(range=context.snapshot.lines.range(reference.span),
                                              placeholder=reference.name)

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    async def rename(params: types.RenameParams) -> types.WorkspaceEdit | None:
        if not re.fullmatch(NAME, params.new_name):
            raise JsonRpcInvalidParams(f"'{params.new_name}' is not a name (a letter or _, then letters, digits, _)")
        context = await ngb_context(params.text_document.uri)
        if context is None:
            return None
        reference = renameable(context.analysis, context.offset(params.position))
        target = target_of(reference) if reference is not None else None
        if reference is None or target is None:
            raise JsonRpcException("nothing to rename here: only functions and constants defined in this file",
                                   types.LSPErrorCodes.RequestFailed)
        if params.new_name != reference.name and taken(params.new_name, context.analysis):
            raise JsonRpcException(f"'{params.new_name}' is already a name here", types.LSPErrorCodes.RequestFailed)
        edits = [Edit(r.span, params.new_name) for r in references_to(context.analysis, target)]
        return workspace_edit(context.snapshot, edits, context.supports(VERSIONED_EDITS))
