"""Python documents: formula strings get diagnostics, inlay hints and code actions; python.enabled turns it off."""
from __future__ import annotations

import pytest
from lsprotocol import types

from lsp_session import apply_edit, diagnostics, encoding, open_doc, pulls, until

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_formula_strings_are_checked(client):
    doc = open_doc(client, "model.py")
    items = await diagnostics(doc)
    [unstable] = [d for d in items if d.code == "unstable-form"]
    assert unstable.range == doc.range_of("exp(-x)/(1 + exp(-x))**2")
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=doc.ident(), range=types.Range(start=types.Position(line=0, character=0),
                                                     end=doc.position_at(len(doc.text)))))
    end_of_line = doc.position("(x=0))", len("(x=0))"))  # after print(...), not inside it
    assert [(h.position, h.label) for h in hints] == [(end_of_line, "= 3")]
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=doc.ident(), range=doc.range_of("x**2 + 3*x + 2"),
        context=types.CodeActionContext(diagnostics=[])))
    [insert] = [a for a in actions if a.title == "Insert derivative d/dx"]
    changed = apply_edit(doc.text, insert.edit, doc.uri, encoding(client))
    assert changed.count("2*x + 3") == 1
    doc.close()


async def test_a_hover_outlives_a_settings_change(client):
    doc = open_doc(client, "model.py")
    hover = client.text_document_hover_async(
        types.HoverParams(text_document=doc.ident(), position=doc.position("3*x")))
    client.set_configuration({"gradcheck": {"samples": 17}}, section="neurogebra")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    result = await hover  # the analysis it waited for is replaced; the text is the same, so it waits on
    assert "2·x + 3" in result.contents.value
    client.set_configuration({}, section="neurogebra")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    doc.close()


async def test_python_analysis_can_be_turned_off(client):
    doc = open_doc(client, "model.py")
    assert await diagnostics(doc)
    client.set_configuration({"python": {"enabled": False}}, section="neurogebra")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))

    hover = types.HoverParams(text_document=doc.ident(), position=doc.position("3*x"))
    assert await until(lambda: client.text_document_hover_async(hover), lambda result: result is None) is None
    if pulls(client):
        assert list(await diagnostics(doc)) == []
    else:  # an explicit empty publish
        assert list(client.diagnostics[doc.uri]) == []
    client.set_configuration({"python": {"enabled": True}}, section="neurogebra")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    doc.close()
