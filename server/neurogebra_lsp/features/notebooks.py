"""Notebook document sync (LSP 3.17) for Jupyter notebooks with Python cells: the server keeps each open notebook
as one document of its code cells joined in order (neurogebra_lsp.cells), so a cell sees what the cells above it
define; every request about a cell (hover, inlay hints, definition, ...) answers from that one analysis.

Diagnostics are pushed per cell, to every client: clients pull them for text documents but not for notebook cells
(vscode-languageclient 9 does not), and a cell that goes away has its diagnostics cleared.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from lsprotocol import types

from neurogebra.analysis.model import DocumentAnalysis
from neurogebra_lsp.cells import Cell, NotebookSnapshot, notebook_key
from neurogebra_lsp.features.diagnostics import lsp_diagnostics

if TYPE_CHECKING:
    from neurogebra_lsp.server import NeurogebraServer

SYNC = types.NotebookDocumentSyncOptions(notebook_selector=[types.NotebookDocumentFilterWithNotebook(
    notebook="jupyter-notebook", cells=[types.NotebookCellLanguage(language="python")])])


def publish(server: NeurogebraServer, notebook: NotebookSnapshot, analysis: DocumentAnalysis | None) -> None:
    """Every analyzed cell's diagnostics, the whole list of each (None: the notebook is not analyzed)."""
    for cell in notebook.views():
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=cell.uri, diagnostics=lsp_diagnostics(cell, analysis), version=cell.version))


def clear(server: NeurogebraServer, uri: str) -> None:
    server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


def edited(cells: tuple[Cell, ...], change: types.NotebookDocumentChangeEvent, encoding: str) -> tuple[Cell, ...]:
    """The cells after a notebookDocument/didChange: its structure (cells added, removed or moved), then the kinds,
    then the text edits."""
    if change.cells is None:
        return cells
    found = {cell.uri: cell for cell in cells}
    order = [cell.uri for cell in cells]
    if (structure := change.cells.structure) is not None:
        for closed in structure.did_close or ():
            found.pop(closed.uri, None)
        opened = {item.uri: item for item in structure.did_open or ()}
        array = structure.array
        for cell in array.cells or ():  # a cell moved keeps its text; one opened comes with its own
            if cell.document in opened or cell.document not in found:
                found[cell.document] = Cell.of(cell.document, cell.kind, opened.get(cell.document), encoding)
        order[array.start:array.start + array.delete_count] = [cell.document for cell in array.cells or ()]
    for data in change.cells.data or ():
        if (known := found.get(data.document)) is not None:
            found[data.document] = replace(known, kind=data.kind)
    for content in change.cells.text_content or ():
        known = found.get(content.document.uri)
        if known is not None and known.text is not None:
            found[known.uri] = replace(known, text=known.text.changed(content.document.version, content.changes))
    return tuple(found[uri] for uri in order if uri in found)


def register(server: NeurogebraServer) -> None:
    def notebook(uri: str) -> NotebookSnapshot | None:
        state = server.document(notebook_key(uri))
        return state.snapshot if state is not None and isinstance(state.snapshot, NotebookSnapshot) else None

    def hold(snapshot: NotebookSnapshot) -> None:
        server.cells.update((cell.uri, snapshot.uri) for cell in snapshot.cells)

    def let_go(cells: tuple[Cell, ...]) -> None:
        for cell in cells:
            server.cells.pop(cell.uri, None)
            if cell.analyzed:
                clear(server, cell.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenNotebookDocumentParams) -> None:
        document = params.notebook_document
        items = {item.uri: item for item in params.cell_text_documents}
        cells = [Cell.of(cell.document, cell.kind, items.get(cell.document), server.encoding)
                 for cell in document.cells]
        snapshot = NotebookSnapshot.joined(document.uri, document.version, cells, server.encoding)
        hold(snapshot)
        server.track(snapshot)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeNotebookDocumentParams) -> None:
        uri = params.notebook_document.uri
        previous = notebook(uri)
        if previous is None:
            return
        cells = edited(previous.cells, params.change, server.encoding)
        if cells == previous.cells:  # metadata, outputs or execution counts: nothing the analysis reads
            return
        snapshot = NotebookSnapshot.joined(uri, params.notebook_document.version, cells, server.encoding)
        kept = {cell.uri for cell in snapshot.cells if cell.analyzed}
        let_go(tuple(cell for cell in previous.cells if cell.uri not in kept))
        hold(snapshot)
        server.replace(snapshot)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseNotebookDocumentParams) -> None:
        snapshot = server.drop(notebook_key(params.notebook_document.uri))
        if isinstance(snapshot, NotebookSnapshot):
            let_go(snapshot.cells)
