"""Positions in the negotiated encoding (UTF-16 for VS Code, UTF-8 for Neovim 0.11) on lines with 𝑥, σ, tabs and
CRLF; out-of-range positions, unknown documents, changes to documents never opened, cancelled requests."""
from __future__ import annotations

import asyncio

import pytest
from lsp_session import diagnostics, encoding, open_doc
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")

UNICODE = "σ(𝑥) =\t𝑥**2 + 3*𝑥\r\nσ'(𝑥) =\t2*𝑥 + 5\r\nσ'(0)\r\n"


async def test_the_encoding_is_negotiated(client):
    offered = client.capabilities.general and client.capabilities.general.position_encodings
    assert encoding(client) == ("utf-8" if offered and "utf-8" in offered else "utf-16")


async def test_ranges_on_a_line_with_astral_characters_tabs_and_crlf(client):
    doc = open_doc(client, "unicode.ngb", UNICODE)
    [mismatch] = [d for d in await diagnostics(doc) if d.code == "gradient-mismatch"]
    assert mismatch.range == doc.range_of("2*𝑥 + 5")
    expected = 9 if encoding(client) == "utf-16" else 12  # σ'(𝑥) =\t is 9 UTF-16 units, 12 UTF-8 bytes
    assert mismatch.range.start == types.Position(line=1, character=expected)
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=doc.ident(), range=types.Range(start=types.Position(line=0, character=0),
                                                     end=types.Position(line=3, character=0))))
    assert [(h.position, h.label) for h in hints] == [(doc.position("σ'(0)", len("σ'(0)")), "= 3")]
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=doc.ident(), position=doc.position("+ 3*𝑥", 4)))  # on the 𝑥 after 3*
    assert hover.range == doc.range_of("σ(𝑥) =\t𝑥**2 + 3*𝑥")
    doc.close()


async def test_incremental_edits_in_client_units(client):
    doc = open_doc(client, "unicode.ngb", UNICODE)
    doc.replace("2*𝑥 + 5", "2*𝑥 + 3")  # the range is in UTF-16 units or UTF-8 bytes
    assert [d.code for d in await diagnostics(doc)] == []
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=doc.ident(), range=types.Range(start=types.Position(line=0, character=0),
                                                     end=types.Position(line=9, character=0))))
    assert [h.label for h in hints] == ["= 3"]
    doc.close()


async def test_positions_past_the_end_are_clamped_not_errors(client):
    doc = open_doc(client, "basics.ngb")
    await diagnostics(doc)
    far = types.Position(line=10_000, character=0)
    long = types.Position(line=1, character=10_000)
    assert await client.text_document_hover_async(types.HoverParams(text_document=doc.ident(), position=far)) is None
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc.ident(), position=long))
    assert hover is not None and hover.range.start.line == 1  # the end of line 1: still its statement
    assert await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc.ident(), position=far)) is None
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=doc.ident(), range=types.Range(start=far, end=far)))
    assert list(hints) == []
    doc.close()


async def test_unknown_documents_get_empty_answers(client):
    unknown = types.TextDocumentIdentifier(uri="file:///nowhere/missing.ngb")
    origin = types.Position(line=0, character=0)
    assert await client.text_document_hover_async(types.HoverParams(text_document=unknown, position=origin)) is None
    assert await client.text_document_completion_async(
        types.CompletionParams(text_document=unknown, position=origin)) is None
    assert await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=unknown)) is None
    report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=unknown))
    assert list(report.items) == []


async def test_a_change_to_a_document_never_opened_is_ignored(client):
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri="file:///nowhere/ghost.ngb", version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=5, character=5), end=types.Position(line=6, character=0)),
            text="x")]))
    doc = open_doc(client, "basics.ngb")  # the server still works
    assert [d.code for d in await diagnostics(doc)] == ["gradient-mismatch", "unstable-form", "non-differentiable"]
    assert client.messages == []  # no "Error in server" shown to the user
    doc.close()


async def test_a_cancelled_request_is_answered_with_request_cancelled(client):
    doc = open_doc(client, "cancel.ngb", "f(x) = x**2\nf'(x) = 2*x\n")
    hover = client.protocol.send_request(types.TEXT_DOCUMENT_HOVER, types.HoverParams(
        text_document=doc.ident(), position=types.Position(line=0, character=0)), msg_id="hover-to-cancel")
    client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="hover-to-cancel"))
    try:
        result = await asyncio.wrap_future(hover)
    except Exception as error:  # cancelled while waiting for the analysis
        assert "cancel" in str(error).lower()
    else:  # or answered before the cancellation arrived
        assert result is not None
    assert (await client.text_document_hover_async(types.HoverParams(
        text_document=doc.ident(), position=types.Position(line=0, character=0)))) is not None
    doc.close()
