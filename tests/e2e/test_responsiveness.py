"""The server keeps answering: a hover on one document (within a second: `make bench`) while another document full
of hostile lines is being analyzed (they run in different worker processes), and the hostile one gets diagnostics."""
from __future__ import annotations

import time

import pytest
from lsp_session import diagnostics, open_doc
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")

HOSTILE = "\n".join([
    "a = 9**9**9**9",
    "b(x) = " + "(" * 3000 + "x" + ")" * 3000,
    "c(x) = " + "x + " * 250_000 + "x",  # a 1 MB line
    "__import__('os')",
    "d(x) = exp(exp(exp(exp(exp(x)))))**x",
    "e(x) = (x**7 + sin(x)**9)**40 * tanh(x)**30",
    "e'(x) = 1",
    "",
])


async def test_hostile_lines_get_diagnostics(client):
    doc = open_doc(client, "hostile.ngb", HOSTILE)
    items = await diagnostics(doc)
    lines = {d.range.start.line for d in items}
    assert {0, 1, 2, 3} <= lines  # each hostile line says what is wrong with it
    doc.close()


async def hover_while_a_hostile_document_is_analyzed(client) -> list[float]:
    """Every hover on the calm document is answered with its derivative while the hostile one is analyzed again and
    again, and the hostile one is still analyzed to the end: the hovers' latencies (seconds)."""
    calm = open_doc(client, "calm.ngb", "f(x) = x**2 + 3*x + 2\nf'(0)\n")
    await diagnostics(calm)  # analyzed once: later hovers read the cached analysis
    hostile = open_doc(client, "hostile.ngb", HOSTILE)
    latencies = []
    for round_ in range(3):
        hostile.replace(f"e'(x) = {round_ + 1}", f"e'(x) = {round_ + 2}")  # a new version to analyze again
        started = time.perf_counter()
        hover = await client.text_document_hover_async(types.HoverParams(
            text_document=calm.ident(), position=types.Position(line=0, character=0)))
        latencies.append(time.perf_counter() - started)
        assert "2·x + 3" in hover.contents.value
    print(f"hover latencies while a hostile document is analyzed: {[f'{s * 1000:.0f} ms' for s in latencies]}")
    assert await diagnostics(hostile)
    hostile.close()
    calm.close()
    return latencies


async def test_a_hover_is_answered_while_a_hostile_document_is_analyzed(client):
    assert len(await hover_while_a_hostile_document_is_analyzed(client)) == 3


@pytest.mark.timing
async def test_a_hover_is_answered_within_a_second_while_a_hostile_document_is_analyzed(client):
    assert max(await hover_while_a_hostile_document_is_analyzed(client)) < 1.0
