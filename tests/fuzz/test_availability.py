"""Availability: while one document holds hostile lines and keeps changing, hovers on another are answered
within a second, and the server's memory (its whole process tree) stays bounded."""
from __future__ import annotations

import json
import time

from rawclient import start, tree_rss_bytes

HOSTILE = "\n".join(["9**9**9**9", "(" * 3000 + "x" + ")" * 3000, "x" * (1 << 20), "__import__('os').system('x')",
                     "h(x) = " + "exp(" * 40 + "x" + ")" * 40 + " * " + "sin(" * 40 + "x" + ")" * 40,
                     "e(x) = x**2", "e'(x) = 0"]) + "\n"
CALM = "f(x) = x**2 + 3*x + 2\n"
EDITS = 8
GROWTH_LIMIT = 250 * 2**20


def test_hovers_stay_fast_and_memory_bounded_under_a_changing_hostile_document():
    client = start()
    try:
        client.notify("textDocument/didOpen", {"textDocument": {"uri": "file:///tmp/calm.ngb", "languageId": "ngb",
                                                                "version": 1, "text": CALM}})
        hover = {"textDocument": {"uri": "file:///tmp/calm.ngb"}, "position": {"line": 0, "character": 0}}
        assert "2*x + 3" in json.dumps(client.response(client.request("textDocument/hover", hover))["result"])
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
            assert "2*x + 3" in json.dumps(answer["result"])
            time.sleep(0.3)
        grown = tree_rss_bytes(client.process.pid) - baseline
        print(f"hover latencies {[round(s * 1000) for s in latencies]} ms; memory grew {grown / 2**20:.0f} MB")
        assert max(latencies) < 1.0
        assert grown < GROWTH_LIMIT
    finally:
        client.close()
