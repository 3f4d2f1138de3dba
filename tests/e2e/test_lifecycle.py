"""The server's lifecycle, documents and settings against the real server over stdio: an analysis belongs to a text
(not to a version number), an edit that cannot be applied puts the document out of sync until the whole text comes,
the protocol's order (nothing before initialize, one initialize, nothing but exit after shutdown), SIGINT, and bad
setting values that fall back one by one. Raw JSON-RPC (tests/fuzz/rawclient.py) where a well-behaved client would
not send what is tested."""
from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

import pytest
from lsp_session import Doc, diagnostics, open_doc, until
from lsprotocol import types

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fuzz"))
from rawclient import RawClient, descendants  # noqa: E402

URI = "file:///tmp/lifecycle.ngb"
SQUARE, CUBE = "f(x) = x**2\n", "f(x) = x**3\n"
HANG_GUARD_S = 60


# ------------------------------------------------------------------------------ documents (pytest-lsp clients)

def send_change(doc: Doc, version: int, *changes: types.TextDocumentContentChangeEvent) -> None:
    doc.version = version
    doc.client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=doc.uri, version=version),
        content_changes=list(changes)))


async def hover_text(doc: Doc) -> str:
    hover = await doc.client.text_document_hover_async(types.HoverParams(
        text_document=doc.ident(), position=types.Position(line=0, character=0)))
    return "" if hover is None else hover.contents.value


async def codes(doc: Doc) -> list[str]:
    return [d.code for d in await diagnostics(doc)]


@pytest.mark.asyncio(loop_scope="module")
async def test_a_repeated_version_with_another_text_is_analyzed_again(client):
    doc = open_doc(client, "repeated.ngb", SQUARE + "f'(x) = 3*x\n")
    assert await codes(doc) == ["gradient-mismatch"]
    assert "2·x" in await hover_text(doc)
    send_change(doc, 1, types.TextDocumentContentChangeWholeDocument(text=CUBE + "f'(x) = 3*x**2\n"))
    assert await until(lambda: codes(doc), lambda found: found == []) == []
    assert "3·x²" in await hover_text(doc)
    doc.close()


@pytest.mark.asyncio(loop_scope="module")
async def test_an_edit_outside_the_text_loses_it_until_the_whole_text_comes(client):
    doc = open_doc(client, "lost.ngb", SQUARE + "f'(x) = 3*x\n")
    assert await codes(doc) == ["gradient-mismatch"]
    outside = types.Range(start=types.Position(line=40, character=0), end=types.Position(line=41, character=0))
    send_change(doc, 2, types.TextDocumentContentChangePartial(range=outside, text="g(x) = 1\n"))
    assert await until(lambda: codes(doc), lambda found: found == []) == []
    warning = await until(lambda: _messages(client), bool)
    assert f"an edit of {doc.uri} could not be applied" in warning[0].message
    assert warning[0].type == types.MessageType.Warning
    send_change(doc, 3, types.TextDocumentContentChangePartial(range=doc.range_of("3*x"), text="2*x"))
    assert await hover_text(doc) == ""  # out of sync: an edit of a range is ignored, nothing is shown
    send_change(doc, 4, types.TextDocumentContentChangeWholeDocument(text=CUBE + "f'(x) = 2*x\n"))
    assert await codes(doc) == ["gradient-mismatch"]
    assert "3·x²" in await hover_text(doc)
    assert len(await _messages(client)) == 1
    doc.close()


async def _messages(client) -> list[types.ShowMessageParams]:
    return [m for m in client.messages if "could not be applied" in m.message]


# ------------------------------------------------------------------------------ the protocol's order (raw)

@pytest.fixture
def raw():
    client = RawClient()
    yield client
    client.close()


def initialize(client: RawClient, capabilities: dict, options: object = None) -> dict:
    return client.response(client.request("initialize", {
        "processId": os.getpid(), "rootUri": None, "capabilities": capabilities, "initializationOptions": options}))


def hover(client: RawClient, position: dict | None = None) -> dict:
    return client.response(client.request("textDocument/hover", {
        "textDocument": {"uri": URI}, "position": position or {"line": 0, "character": 0}}))


def open_raw(client: RawClient, text: str) -> None:
    client.notify("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "ngb", "version": 1,
                                                            "text": text}})


def test_before_initialize_requests_get_server_not_initialized_and_notifications_are_dropped(raw):
    assert hover(raw)["error"]["code"] == -32002
    assert raw.response(raw.request("shutdown", None))["error"]["code"] == -32002
    open_raw(raw, SQUARE)
    assert "capabilities" in initialize(raw, {})["result"]
    raw.notify("initialized", {})
    unopened = hover(raw)
    assert unopened["result"] is None and "error" not in unopened  # that didOpen never happened
    open_raw(raw, SQUARE)
    assert "2·x" in json.dumps(hover(raw)["result"], ensure_ascii=False)
    assert not [n for n in raw.notifications if n["method"] == "window/showMessage"]


def test_a_second_initialize_is_refused_and_the_encoding_stays(raw):
    first = initialize(raw, {"general": {"positionEncodings": ["utf-8", "utf-16"]}})
    assert first["result"]["capabilities"]["positionEncoding"] == "utf-8"
    second = initialize(raw, {"general": {"positionEncodings": ["utf-16"]}})
    assert second["error"]["code"] == -32600
    raw.notify("initialized", {})
    open_raw(raw, "σ(𝑥) = 𝑥**2\n")
    result = hover(raw, {"line": 0, "character": len("σ(𝑥) = ".encode())})["result"]
    assert result["range"]["end"] == {"line": 0, "character": len("σ(𝑥) = 𝑥**2".encode())}  # UTF-8 bytes


def test_after_shutdown_requests_get_invalid_request_and_exit_ends_the_server(raw):
    initialize(raw, {})
    raw.notify("initialized", {})
    assert raw.response(raw.request("shutdown", None))["result"] is None
    assert hover(raw)["error"]["code"] == -32600
    assert raw.response(raw.request("shutdown", None))["error"]["code"] == -32600
    raw.notify("exit", None)
    assert raw.process.wait(HANG_GUARD_S) == 0


def test_a_request_that_shutdown_interrupts_gets_no_result_not_an_error(raw):
    initialize(raw, {})
    raw.notify("initialized", {})
    open_raw(raw, "".join(f"f{i}(x) = x**2 + {i}*x\nf{i}'(x) = 2*x + {i}\n" for i in range(200)))
    asked = raw.request("textDocument/hover", {"textDocument": {"uri": URI},
                                               "position": {"line": 399, "character": 0}})  # waits for the analysis
    assert raw.response(raw.request("shutdown", None))["result"] is None
    answer = raw.response(asked)
    assert "error" not in answer and answer["result"] is None


def test_a_change_whose_params_do_not_fit_loses_the_text_until_the_whole_text_comes(raw):
    initialize(raw, {})
    raw.notify("initialized", {})
    open_raw(raw, SQUARE)
    assert "2·x" in json.dumps(hover(raw)["result"], ensure_ascii=False)
    raw.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": "two"},
                                          "contentChanges": [{"text": CUBE}]})
    assert hover(raw)["result"] is None
    [warning] = [n["params"] for n in raw.notifications if n["method"] == "window/showMessage"]
    assert warning["type"] == 2 and f"an edit of {URI} could not be applied" in warning["message"]
    raw.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 3},
                                          "contentChanges": [{"text": CUBE}]})
    assert "3·x²" in json.dumps(hover(raw)["result"], ensure_ascii=False)


def test_sigint_ends_the_server_and_its_workers(raw):
    initialize(raw, {})
    raw.notify("initialized", {})
    open_raw(raw, SQUARE)
    assert "2·x" in json.dumps(hover(raw)["result"], ensure_ascii=False)  # a worker has analyzed it
    workers = descendants(raw.process.pid)
    assert workers
    raw.process.send_signal(signal.SIGINT)
    assert raw.process.wait(HANG_GUARD_S) == 1  # no shutdown came first
    deadline = time.monotonic() + HANG_GUARD_S
    while (alive := [pid for pid in workers if Path(f"/proc/{pid}").exists()]) and time.monotonic() < deadline:
        time.sleep(0.1)  # an orphan would be reparented and live on; a stopped worker is reaped
    assert alive == []


# ------------------------------------------------------------------------------ settings that fall back (raw)

def fallbacks_shown(client: RawClient) -> list[str]:
    return [n["params"]["message"] for n in client.notifications
            if n["method"] == "window/showMessage" and n["params"]["message"].startswith("settings ")]


def derivatives_shown(client: RawClient) -> int:
    """How many derivatives of f(x) = x**3 the hover lists (hover.maxDerivativeOrder caps them)."""
    return sum(mark in json.dumps(hover(client)["result"], ensure_ascii=False) for mark in ("f′(x)", "f″(x)"))


def test_a_400_digit_setting_in_initialization_options_falls_back_alone(raw):
    result = initialize(raw, {}, {"gradcheck": {"rtol": 10**400}, "hover": {"maxDerivativeOrder": 1}})
    assert "capabilities" in result["result"]
    raw.notify("initialized", {})
    open_raw(raw, CUBE)
    assert derivatives_shown(raw) == 1
    [message] = fallbacks_shown(raw)
    assert message.startswith("settings neurogebra.gradcheck.rtol: expected a finite number >= 0, got 1000")


def test_a_400_digit_setting_in_the_configuration_falls_back_alone_and_is_shown_once(raw):
    raw.answers["workspace/configuration"] = [{"gradcheck": {"samples": 10**400}, "hover": {"maxDerivativeOrder": 1}}]
    initialize(raw, {"workspace": {"configuration": True}})
    raw.notify("initialized", {})
    open_raw(raw, CUBE)
    deadline = time.monotonic() + HANG_GUARD_S
    while derivatives_shown(raw) != 1 and time.monotonic() < deadline:  # the configuration comes when it comes
        time.sleep(0.1)
    assert derivatives_shown(raw) == 1
    raw.notify("workspace/didChangeConfiguration", {"settings": None})
    while raw.requests.count("workspace/configuration") < 2 and time.monotonic() < deadline:
        hover(raw)
    assert raw.requests.count("workspace/configuration") == 2
    assert derivatives_shown(raw) == 1
    [message] = fallbacks_shown(raw)
    assert message.startswith("settings neurogebra.gradcheck.samples: expected an integer from 1 to 100000")


def test_a_message_with_a_5000_digit_number_is_answered_with_parse_error_and_serving_goes_on(raw):
    initialize(raw, {})
    raw.notify("initialized", {})
    open_raw(raw, SQUARE)
    raw.send_bytes(('{"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", "params": {"textDocument": {"uri": "'
                    + URI + '"}, "position": {"line": ' + "9" * 5000 + ', "character": 0}}}').encode())
    unreadable = raw.response(None)  # its id could not be read either
    assert unreadable["error"] == {"code": -32700,
                                   "message": "could not read a message: a number in it has more than 4,300 digits"}
    assert "2·x" in json.dumps(hover(raw)["result"], ensure_ascii=False)
    assert not [n for n in raw.notifications if n["method"] == "window/showMessage"]
