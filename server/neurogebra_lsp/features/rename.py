"""Rename a function or constant defined in a .ngb document, everywhere it is used (prepareRename first)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams

from neurogebra.analysis import signature_of
from neurogebra.analysis.model import DocumentAnalysis, Edit, Reference
from neurogebra_lsp.features.code_actions import workspace_edit
from neurogebra_lsp.features.lookup import reference_at, references_to, target_of

if TYPE_CHECKING:
    from neurogebra_lsp.server import NeurogebraServer

NAME = re.compile(r"[^\W\d]\w*")
REQUEST_FAILED = -32803


def renameable(analysis: DocumentAnalysis, offset: int) -> Reference | None:
    reference = reference_at(analysis, offset)
    return reference if reference is not None and target_of(reference) is not None else None


def taken(name: str, analysis: DocumentAnalysis) -> bool:
    """Used in the document (a function, constant or variable) or a math or catalog function."""
    used = {r.name for s in analysis.statements for r in s.references}
    return name in used or signature_of(name, analysis) is not None


def register(server: NeurogebraServer) -> None:
    async def renameable_at(uri: str, position: types.Position):
        """The .ngb document's snapshot, analysis, and the renameable name at `position` (None if there is none)."""
        snapshot = server.documents.get(uri)
        found = await server.analysis_at(uri, position) if snapshot is not None and snapshot.language == "ngb" \
            else None
        if found is None:
            return None, None, None
        snapshot, analysis, offset = found
        return snapshot, analysis, renameable(analysis, offset)

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    async def prepare_rename(params: types.PrepareRenameParams) -> types.PrepareRenamePlaceholder | None:
        snapshot, _, reference = await renameable_at(params.text_document.uri, params.position)
        if reference is None:
            return None
        return types.PrepareRenamePlaceholder(range=snapshot.lines.range(reference.span),
                                              placeholder=reference.name)

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    async def rename(params: types.RenameParams) -> types.WorkspaceEdit | None:
        if not NAME.fullmatch(params.new_name):
            raise JsonRpcInvalidParams(f"'{params.new_name}' is not a name (a letter or _, then letters, digits, _)")
        snapshot, analysis, reference = await renameable_at(params.text_document.uri, params.position)
        if snapshot is None:
            return None
        if reference is None:
            raise JsonRpcException("nothing to rename here: only functions and constants defined in this file",
                                   REQUEST_FAILED)
        if params.new_name != reference.name and taken(params.new_name, analysis):
            raise JsonRpcException(f"'{params.new_name}' is already a name here", REQUEST_FAILED)
        edits = [Edit(r.span, params.new_name) for r in references_to(analysis, target_of(reference))]
        return workspace_edit(snapshot, edits, server.supports("workspace.workspace_edit.document_changes"))
