"""Helpers for the end-to-end tests: a test client that records pushed diagnostics by version, documents that
track their version, and positions computed in the client's negotiated encoding (independently of the server)."""
from __future__ import annotations

import asyncio
import os
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

FIXTURES = Path(__file__).parent / "fixtures"
SNAPSHOTS = Path(__file__).parent / "snapshots"
CLIENTS = ["visual-studio-code", "neovim"]
WAIT_S = 60.0  # generous: the machine is shared, and the first analysis waits for a worker to import SymPy


def record_publish(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published[params.uri].append(params)


def count_inlay_refresh(client: LanguageClient, params: None) -> None:
    client.inlay_refreshes += 1


def count_diagnostic_refresh(client: LanguageClient, params: None) -> None:
    client.diagnostic_refreshes += 1


def make_client() -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)
    client.published = defaultdict(list)
    client.inlay_refreshes = 0
    client.diagnostic_refreshes = 0
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = record_publish
    features[types.WORKSPACE_INLAY_HINT_REFRESH] = count_inlay_refresh
    features[types.WORKSPACE_DIAGNOSTIC_REFRESH] = count_diagnostic_refresh
    register_lsp_features(client, features)
    return client


CONFIG = ClientServerConfig(server_command=[sys.executable, "-m", "neurogebra_lsp"], client_factory=make_client)


async def start(client: LanguageClient, capabilities: types.ClientCapabilities,
                options: dict | None = None, folder: Path = FIXTURES) -> None:
    client.init_result = await client.initialize_session(types.InitializeParams(
        capabilities=capabilities, initialization_options=options, root_uri=folder.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=folder.as_uri(), name=folder.name)]))


def capabilities_of(name: str) -> types.ClientCapabilities:
    return client_capabilities(name)


def encoding(client: LanguageClient) -> str:
    return client.init_result.capabilities.position_encoding or "utf-16"


def pulls(client: LanguageClient) -> bool:
    return client.capabilities.text_document is not None and client.capabilities.text_document.diagnostic is not None


def column(prefix: str, encoding_name: str) -> int:
    if encoding_name == "utf-8":
        return len(prefix.encode("utf-8"))
    if encoding_name == "utf-16":
        return len(prefix.encode("utf-16-le")) // 2
    return len(prefix)


@dataclass
class Doc:
    client: LanguageClient
    uri: str
    text: str
    version: int = 1

    def position(self, needle: str, delta: int = 0, after: str = "") -> types.Position:
        """Where `needle` (its first match from the first `after`) starts, moved `delta` characters, in
        client units."""
        return self.position_at(self.text.index(needle, self.text.index(after)) + delta)

    def position_at(self, offset: int) -> types.Position:
        before = self.text[:offset].replace("\r\n", "\n").replace("\r", "\n")
        line = before.count("\n")
        return types.Position(line=line, character=column(before.rsplit("\n", 1)[-1], encoding(self.client)))

    def range_of(self, needle: str, after: str = "") -> types.Range:
        return types.Range(start=self.position(needle, after=after), end=self.position(needle, len(needle), after))

    def ident(self) -> types.TextDocumentIdentifier:
        return types.TextDocumentIdentifier(uri=self.uri)

    def replace(self, old: str, new: str) -> None:
        """An incremental change, its range in the client's encoding."""
        change = types.TextDocumentContentChangePartial(range=self.range_of(old), text=new)
        self.text = self.text.replace(old, new, 1)
        self.version += 1
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=self.uri, version=self.version),
            content_changes=[change]))

    def close(self) -> None:
        self.client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=self.ident()))


def open_doc(client: LanguageClient, name: str, text: str | None = None, language: str | None = None) -> Doc:
    """Open fixtures/<name> (or `text` under that name)."""
    path = FIXTURES / name
    text = path.read_text(encoding="utf-8") if text is None else text
    language = language or ("python" if name.endswith(".py") else "ngb")
    doc = Doc(client, path.as_uri(), text)
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=doc.uri, language_id=language, version=1, text=text)))
    return doc


async def diagnostics(doc: Doc) -> list[types.Diagnostic]:
    """The diagnostics of the document's current version: pulled, or the push for that version."""
    client = doc.client
    if pulls(client):
        report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=doc.ident()))
        return report.items
    pushed = await eventually(lambda: [p for p in client.published[doc.uri] if p.version == doc.version])
    return pushed[-1].diagnostics


async def cleared_after_close(doc: Doc) -> bool:
    """A pushing server publishes an empty list (no version) when the document closes."""
    published = doc.client.published[doc.uri]
    last = await eventually(lambda: published and published[-1].version is None and published[-1])
    return list(last.diagnostics) == []


async def until(fetch, accept):
    """await fetch() again until accept(result) holds (settings reach the server asynchronously); the result."""
    async def poll():
        while not accept(result := await fetch()):
            await asyncio.sleep(0.05)
        return result
    return await asyncio.wait_for(poll(), WAIT_S)


async def eventually(probe):
    """The first truthy value of probe(), polled until WAIT_S."""
    async def poll():
        while not (value := probe()):
            await asyncio.sleep(0.02)
        return value
    return await asyncio.wait_for(poll(), WAIT_S)


def apply_edit(text: str, edit: types.WorkspaceEdit, uri: str, encoding_name: str) -> str:
    """The text after a WorkspaceEdit for one document (documentChanges or changes), edits applied back to front."""
    if edit.document_changes:
        edits = [e for change in edit.document_changes if change.text_document.uri == uri for e in change.edits]
    else:
        edits = list(edit.changes.get(uri, []))
    lines = text.splitlines(keepends=True)

    def offset(position: types.Position) -> int:
        start = sum(len(line) for line in lines[:position.line])
        line = lines[position.line] if position.line < len(lines) else ""
        index = 0
        while index < len(line) and column(line[:index], encoding_name) < position.character:
            index += 1
        return start + index

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[:offset(e.range.start)] + e.new_text + text[offset(e.range.end):]
    return text


def matches_snapshot(text: str, name: str) -> bool:
    """Compare with snapshots/<name>; NEUROGEBRA_UPDATE_SNAPSHOTS=1 rewrites the file first (then review the diff)."""
    path = SNAPSHOTS / name
    if os.environ.get("NEUROGEBRA_UPDATE_SNAPSHOTS"):
        path.write_text(text, encoding="utf-8", newline="")
    with path.open(encoding="utf-8", newline="") as stored:
        return text == stored.read()
