"""A big document opened cold shows its top first: the diagnostics of what the editor shows come before the rest
of the document is analyzed (pushed, or pulled; a pulling client is asked to pull again when the rest comes), and
hovers there are answered from that part while the details run."""
from __future__ import annotations

import pytest
from lsp_session import diagnostics, eventually, open_doc, pulls
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")

FORMULAS = 300  # beyond what the server analyzes first (its top 50 lines) by more than the engine's minimum
TEXT = "from neurogebra import Expression\n" + "".join(
    f'e{i} = Expression("e{i}", "x**2 + {i}*x{" + 3x" if i in (1, FORMULAS - 1) else ""}")\n'
    for i in range(FORMULAS))


async def test_the_top_of_a_big_document_is_diagnosed_first_then_the_rest(client):
    doc = open_doc(client, "big.py", TEXT)
    first = await diagnostics(doc)
    lines = sorted(d.range.start.line for d in first)
    if pulls(client):  # the top alone when the rest is late and the client can be asked to pull again
        refreshes = client.capabilities.workspace.diagnostics and client.capabilities.workspace.diagnostics \
            .refresh_support
        assert lines in ([2], [2, FORMULAS]) if refreshes else lines == [2, FORMULAS]
        if lines == [2]:
            assert await eventually(lambda: client.diagnostic_refreshes > 0)
        everything = await diagnostics(doc)
    else:
        assert lines == [2]  # the top alone, published first
        everything = (await eventually(lambda: len(client.published[doc.uri]) > 1 and client.published[doc.uri]))[-1] \
            .diagnostics
    assert sorted(d.range.start.line for d in everything) == [2, FORMULAS]
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=doc.ident(), position=doc.position('"x**2 + 2*x"', 2)))
    assert hover is not None and "x" in hover.contents.value
    doc.close()
