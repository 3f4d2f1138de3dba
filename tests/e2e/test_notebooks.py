"""Jupyter notebooks through LSP 3.17 notebook sync: the code cells are analyzed together in order, so a cell sees
what the cells above it define; diagnostics are pushed per cell and cleared when a cell goes away."""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import attrs
import pytest
import pytest_lsp
from lsp_session import CLIENTS, CONFIG, FIXTURES, Doc, capabilities_of, eventually, pulls, start, until
from lsprotocol import types
from pytest_lsp import LanguageClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fuzz"))
from rawclient import RawClient  # noqa: E402

pytestmark = pytest.mark.asyncio(loop_scope="module")

DEFINE = 'from neurogebra import Expression\n\nact = Expression("act", "x**2 + 3*x + 2")\n'
UNSTABLE = 'sigmoid_grad = Expression("sigmoid_grad", "exp(-x)/(1 + exp(-x))**2")\n'
USE = 'act_grad = act.gradient("x")\nprint(act.eval(x=1))\n'


@pytest_lsp.fixture(config=CONFIG, params=CLIENTS, scope="module")
async def client(request, lsp_client: LanguageClient):
    """As conftest's, with notebook sync declared (VS Code's client declares it from 1.66 on)."""
    notebooks = types.NotebookDocumentClientCapabilities(synchronization=types.NotebookDocumentSyncClientCapabilities())
    capabilities = attrs.evolve(capabilities_of(request.param), notebook_document=notebooks)
    await start(lsp_client, capabilities)
    yield
    await lsp_client.shutdown_session()


@dataclass
class Notebook:
    """An open notebook whose cells are Docs (positions in the client's encoding), changed as a client would."""

    client: LanguageClient
    uri: str
    cells: list[Doc]
    version: int = 1
    made: int = 0  # cells made so far, for new cell URIs

    @classmethod
    def open(cls, client: LanguageClient, name: str, *sources: str) -> Notebook:
        notebook = cls(client, (FIXTURES / name).as_uri(), [])
        notebook.cells = [notebook.new_cell(source) for source in sources]
        client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=notebook.uri, notebook_type="jupyter-notebook", version=1,
                cells=[types.NotebookCell(kind=types.NotebookCellKind.Code, document=c.uri) for c in notebook.cells]),
            cell_text_documents=[notebook.item(cell) for cell in notebook.cells]))
        return notebook

    def new_cell(self, text: str) -> Doc:
        self.made += 1
        return Doc(self.client, f"vscode-notebook-cell:{self.uri.removeprefix('file://')}#W{self.made}sZmlsZQ==", text)

    @staticmethod
    def item(cell: Doc) -> types.TextDocumentItem:
        return types.TextDocumentItem(uri=cell.uri, language_id="python", version=cell.version, text=cell.text)

    def change(self, cells: types.NotebookDocumentCellChanges) -> None:
        self.version += 1
        self.client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(version=self.version, uri=self.uri),
            change=types.NotebookDocumentChangeEvent(cells=cells)))

    def edit(self, cell: Doc, old: str, new: str) -> None:
        """An incremental edit of one cell, its range in the client's encoding."""
        edit = types.TextDocumentContentChangePartial(range=cell.range_of(old), text=new)
        cell.text = cell.text.replace(old, new, 1)
        cell.version += 1
        self.change(types.NotebookDocumentCellChanges(text_content=[types.NotebookDocumentCellContentChanges(
            document=types.VersionedTextDocumentIdentifier(uri=cell.uri, version=cell.version), changes=[edit])]))

    def structure(self, start: int, delete_count: int, cells: list[Doc], opened: tuple[Doc, ...] = (),
                  closed: tuple[Doc, ...] = ()) -> None:
        """Cells start..start+delete_count replaced by `cells`, as the client's array change says it."""
        self.cells[start:start + delete_count] = cells
        self.change(types.NotebookDocumentCellChanges(structure=types.NotebookDocumentCellChangeStructure(
            array=types.NotebookCellArrayChange(start=start, delete_count=delete_count, cells=[
                types.NotebookCell(kind=types.NotebookCellKind.Code, document=c.uri) for c in cells]),
            did_open=[self.item(cell) for cell in opened],
            did_close=[types.TextDocumentIdentifier(uri=cell.uri) for cell in closed])))

    def close(self) -> None:
        self.client.notebook_document_did_close(types.DidCloseNotebookDocumentParams(
            notebook_document=types.NotebookDocumentIdentifier(uri=self.uri),
            cell_text_documents=[cell.ident() for cell in self.cells]))


async def pushed(cell: Doc) -> list[types.Diagnostic]:
    """The diagnostics pushed for the cell's current version (pushed to every client: none pulls for cells)."""
    published = cell.client.published[cell.uri]
    found = await eventually(lambda: [p for p in published if p.version == cell.version])
    return list(found[-1].diagnostics)


async def hover_text(cell: Doc, position: types.Position) -> str:
    result = await cell.client.text_document_hover_async(types.HoverParams(text_document=cell.ident(),
                                                                           position=position))
    return result.contents.value if result is not None else ""


async def inlay_labels(cell: Doc) -> list[str]:
    whole = types.Range(start=types.Position(line=0, character=0), end=cell.position_at(len(cell.text)))
    hints = await cell.client.text_document_inlay_hint_async(types.InlayHintParams(text_document=cell.ident(),
                                                                                   range=whole))
    return [hint.label for hint in hints or []]


async def test_the_server_offers_notebook_sync_for_jupyter_python_cells(client):
    [selector] = client.init_result.capabilities.notebook_document_sync.notebook_selector
    assert selector.notebook == "jupyter-notebook"
    assert [cell.language for cell in selector.cells] == ["python"]


async def test_a_cell_sees_the_definitions_of_the_cells_above_it(client):
    notebook = Notebook.open(client, "cells.ipynb", DEFINE, UNSTABLE, USE)
    define, unstable, use = notebook.cells
    [warning] = await pushed(unstable)
    assert warning.code == "unstable-form" and warning.range == unstable.range_of("exp(-x)/(1 + exp(-x))**2")
    assert await pushed(define) == [] and await pushed(use) == []
    if pulls(client):
        report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=unstable.ident()))
        assert list(report.items) == [warning]

    assert "act(x) = " in await hover_text(use, use.position("act.gradient"))
    assert "2·x + 3" in await hover_text(use, use.position("act_grad"))
    assert await inlay_labels(use) == ["= 6"]  # act(1), with act from the first cell
    location = await client.text_document_definition_async(types.DefinitionParams(
        text_document=use.ident(), position=use.position("act.gradient")))
    assert location.uri == define.uri and location.range == define.range_of('"x**2 + 3*x + 2"')  # what made act
    references = await client.text_document_references_async(types.ReferenceParams(
        text_document=define.ident(), position=define.position("act ="),
        context=types.ReferenceContext(include_declaration=False)))
    assert {(r.uri, r.range.start.line) for r in references} == {(define.uri, 2), (use.uri, 0), (use.uri, 1)}
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=unstable.ident()))
    assert [s.name for s in symbols] == ["sigmoid_grad(x)"]  # the cell's own formulas only
    notebook.close()


async def test_editing_a_cell_reanalyzes_the_cells_below(client):
    notebook = Notebook.open(client, "edited.ipynb", DEFINE, UNSTABLE, USE)
    define, unstable, use = notebook.cells
    assert await inlay_labels(use) == ["= 6"]
    notebook.edit(define, "3*x + 2", "5*x + 4")
    assert await until(lambda: inlay_labels(use), lambda labels: labels != ["= 6"]) == ["= 10"]
    assert "2·x + 5" in await hover_text(use, use.position("act_grad"))
    notebook.edit(unstable, "exp(-x)/(1 + exp(-x))**2", "exp(-x)")
    assert await pushed(unstable) == []
    notebook.close()


async def test_a_cell_removed_loses_its_diagnostics_and_a_cell_moved_up_loses_what_was_above_it(client):
    notebook = Notebook.open(client, "moved.ipynb", DEFINE, UNSTABLE, USE)
    define, unstable, use = notebook.cells
    assert len(await pushed(unstable)) == 1
    published = len(client.published[unstable.uri])
    notebook.structure(1, 1, [], closed=(unstable,))
    cleared = await eventually(lambda: client.published[unstable.uri][published:])
    assert [list(p.diagnostics) for p in cleared] == [[]]
    assert await inlay_labels(use) == ["= 6"]  # the cell below the removed one still sees the first
    notebook.structure(0, 2, [use, define])
    assert await until(lambda: inlay_labels(use), lambda labels: labels != ["= 6"]) == []
    assert "act(x) = " not in await hover_text(use, use.position("act.gradient"))
    added = notebook.new_cell("print(act.eval(x=2))\n")
    notebook.structure(2, 0, [added], opened=(added,))
    assert await until(lambda: inlay_labels(added), bool) == ["= 12"]
    notebook.close()
    for cell in (define, use, added):
        assert await eventually(lambda: client.published[cell.uri][-1].version is None)
        assert list(client.published[cell.uri][-1].diagnostics) == []


async def test_an_edit_outside_a_cell_puts_the_notebook_out_of_sync_until_the_cell_comes_whole(client):
    notebook = Notebook.open(client, "lost.ipynb", DEFINE, USE)
    define, use = notebook.cells
    assert await inlay_labels(use) == ["= 6"]
    outside = types.Range(start=types.Position(line=40, character=0), end=types.Position(line=41, character=0))
    define.version += 1
    notebook.change(types.NotebookDocumentCellChanges(text_content=[types.NotebookDocumentCellContentChanges(
        document=types.VersionedTextDocumentIdentifier(uri=define.uri, version=define.version),
        changes=[types.TextDocumentContentChangePartial(range=outside, text="y = 1\n")])]))
    assert await until(lambda: inlay_labels(use), lambda labels: labels == []) == []  # nothing rather than wrong
    assert await hover_text(use, use.position("act.gradient")) == ""
    assert any("lost.ipynb could not be applied" in m.message for m in client.messages)
    define.version += 1
    notebook.change(types.NotebookDocumentCellChanges(text_content=[types.NotebookDocumentCellContentChanges(
        document=types.VersionedTextDocumentIdentifier(uri=define.uri, version=define.version),
        changes=[types.TextDocumentContentChangeWholeDocument(text=DEFINE)])]))
    assert await until(lambda: inlay_labels(use), bool) == ["= 6"]
    notebook.close()


async def test_a_notebook_change_that_cannot_be_read_loses_the_notebook_until_its_cells_come_whole():
    notebook_uri, cells = "file:///tmp/unreadable.ipynb", ["vscode-notebook-cell:/tmp/unreadable.ipynb#W0",
                                                            "vscode-notebook-cell:/tmp/unreadable.ipynb#W1"]

    def hover(raw: RawClient) -> str:
        answer = raw.response(raw.request("textDocument/hover", {
            "textDocument": {"uri": cells[1]}, "position": {"line": 0, "character": len("act_grad = a")}}))
        return json.dumps(answer["result"], ensure_ascii=False)

    def changed(version: object, text_content: list) -> dict:
        return {"notebookDocument": {"uri": notebook_uri, "version": version}, "change": {"cells": {
            "textContent": text_content}}}

    raw = RawClient()
    try:
        raw.response(raw.request("initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": {
            "notebookDocument": {"synchronization": {}}}}))
        raw.notify("initialized", {})
        raw.notify("notebookDocument/didOpen", {
            "notebookDocument": {"uri": notebook_uri, "notebookType": "jupyter-notebook", "version": 1,
                                 "cells": [{"kind": 2, "document": uri} for uri in cells]},
            "cellTextDocuments": [{"uri": uri, "languageId": "python", "version": 1, "text": text}
                                  for uri, text in zip(cells, (DEFINE, USE))]})
        assert "act(x) = " in hover(raw)
        raw.notify("notebookDocument/didChange", changed("two", []))
        assert hover(raw) == "null"
        [warning] = [n["params"] for n in raw.notifications if n["method"] == "window/showMessage"]
        assert "unreadable.ipynb could not be applied" in warning["message"]
        raw.notify("notebookDocument/didChange", changed(3, [
            {"document": {"uri": uri, "version": 2}, "changes": [{"text": text}]}
            for uri, text in zip(cells, (DEFINE, USE))]))
        assert "act(x) = " in hover(raw)
    finally:
        raw.close()
