"""Protocol fuzzing over raw stdio: malformed JSON-RPC, unknown methods, wrong parameter types, positions out of
range and edits of unopened documents get errors or empty results, and the server keeps answering real requests."""
from __future__ import annotations

import json

import pytest
from rawclient import RawClient, start


@pytest.fixture
def client():
    raw = start()
    yield raw
    raw.close()


URI = "file:///tmp/fuzz.ngb"
TEXT = "f(x) = x**2 + 3*x + 2\nf'(x) = 2*x + 5\nf'(0)\n"


def hover_works(client: RawClient) -> None:
    answer = client.response(client.request("textDocument/hover", {
        "textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}))
    assert "2·x + 3" in json.dumps(answer["result"], ensure_ascii=False)


def test_the_server_survives_malformed_and_hostile_messages(client):
    client.notify("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "ngb", "version": 1,
                                                            "text": TEXT}})
    hover_works(client)

    client.send_bytes(b"{this is not json")
    client.send_bytes(b'{"jsonrpc": "2.0", "id": 9000, "method": "textDocument/hover", "params": ')
    client.send_bytes(json.dumps([1, 2, 3]).encode())
    client.send({"jsonrpc": "2.0", "id": 9001})
    client.send({"jsonrpc": "1.0", "id": 9002, "method": 42})
    client.notify("$/unknownNotification", {"x": 1})
    client.notify("textDocument/didChange", {"textDocument": {"uri": "file:///never/opened.ngb", "version": 3},
                                             "contentChanges": [{"text": "g(x) = x"}]})
    client.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 2},
                                             "contentChanges": [{"range": {"start": {"line": 99, "character": 0},
                                                                           "end": {"line": 120, "character": 5}},
                                                                 "text": "zzz"}]})  # out of the text: lost
    client.notify("textDocument/didClose", {"textDocument": {"uri": "file:///never/opened.ngb"}})
    client.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 3},
                                             "contentChanges": [{"text": TEXT}]})  # the whole text: in sync again
    hover_works(client)

    unknown = client.response(client.request("neurogebra/doesNotExist", {}))
    assert unknown["error"]["code"] == -32601

    wrong_types = client.response(client.request("textDocument/hover", {
        "textDocument": {"uri": URI}, "position": {"line": "zero", "character": None}}))
    assert "error" in wrong_types

    for method in ("textDocument/hover", "textDocument/completion", "textDocument/definition",
                   "textDocument/references", "textDocument/signatureHelp", "textDocument/prepareRename"):
        for position in ({"line": 10_000, "character": 0}, {"line": 0, "character": 10_000},
                         {"line": -1, "character": -1}):
            params = {"textDocument": {"uri": URI}, "position": position, "context": {"includeDeclaration": True}}
            answer = client.response(client.request(method, params))
            assert "result" in answer or answer["error"]["code"] in (-32602, -32603, -32803), (method, answer)

    for method in ("textDocument/inlayHint", "textDocument/codeAction"):
        params = {"textDocument": {"uri": "file:///never/opened.ngb"},
                  "range": {"start": {"line": 0, "character": 0}, "end": {"line": 5000, "character": 0}},
                  "context": {"diagnostics": []}}
        answer = client.response(client.request(method, params))
        assert answer.get("result") in (None, []) or "error" in answer

    hover_works(client)
    shutdown = client.response(client.request("shutdown", None))
    assert shutdown.get("result") is None and "error" not in shutdown
    client.notify("exit", None)
    assert client.process.wait(20) == 0
