"""Availability: while one document holds hostile lines and keeps changing, hovers on another are answered (within
a second: `make bench`), and the server's memory (its whole process tree) stays bounded."""
from __future__ import annotations

import json
import time

import pytest
from rawclient import start, tree_rss_bytes

HOSTILE = "\n".join(["9**9**9**9", "(" * 3000 + "x" + ")" * 3000, "x" * (1 << 20), "__import__('os').system('x')",
                     "h(x) = " + "exp(" * 40 + "x" + ")" * 40 + " * " + "sin(" * 40 + "x" + ")" * 40,
                     "e(x) = x**2", "e'(x) = 0"]) + "\n"
CALM = "f(x) = x**2 + 3*x + 2\n"
EDITS = 8
GROWTH_LIMIT = 250 * 2**20


def hover_while_a_hostile_document_changes() -> tuple[list[float], int]:
    """Every hover on the calm document is answered with its derivative while the hostile one keeps changing: the
    hovers' latencies (seconds) and how much the server's memory grew (bytes)."""
    client = start()
    try:
        client.notify("textDocument/didOpen", {"textDocument": {"uri": "file:///tmp/calm.ngb", "languageId": "ngb",
                                                                "version": 1, "text": CALM}})
        hover = {"textDocument": {"uri": "file:///tmp/calm.ngb"}, "position": {"line": 0, "character": 0}}
        first = client.response(client.request("textDocument/hover", hover))
        assert "2·x + 3" in json.dumps(first["result"], ensure_ascii=False)
        client.notify("textDocument/didOpen", {"textDocument": {"uri": "file:///tmp/hostile.ngb", "languageId": "ngb",
                                                                "version": 1, "text": HOSTILE}})
        baseline = tree_rss_bytes(client.process.pid)
        latencies = []
        for version in range(2, EDITS + 2):
            text = HOSTILE.replace("e'(x) = 0", f"e'(x) = {version}")
            client.notify("textDocument/didChange", {"textDocument": {"uri": "file:///tmp/hostile.ngb",
                                                                      "version": version},
                                                     "contentChanges": [{"text": text}]})
            started = time.monotonic()
            answer = client.response(client.request("textDocument/hover", hover))
            latencies.append(time.monotonic() - started)
            assert "2·x + 3" in json.dumps(answer["result"], ensure_ascii=False)
            time.sleep(0.3)
        grown = tree_rss_bytes(client.process.pid) - baseline
        print(f"hover latencies {[round(s * 1000) for s in latencies]} ms; memory grew {grown / 2**20:.0f} MB")
        return latencies, grown
    finally:
        client.close()


def test_hovers_are_answered_and_memory_stays_bounded_under_a_changing_hostile_document():
    _, grown = hover_while_a_hostile_document_changes()
    assert grown < GROWTH_LIMIT


@pytest.mark.timing
def test_hovers_are_answered_within_a_second_under_a_changing_hostile_document():
    latencies, _ = hover_while_a_hostile_document_changes()
    assert max(latencies) < 1.0
