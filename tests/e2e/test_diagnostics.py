"""Diagnostics over the wire: codes, severities, exact ranges, related information, clearing."""
from __future__ import annotations

import pytest
from lsp_session import cleared_after_close, diagnostics, open_doc, pulls
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")


def by_code(items: list[types.Diagnostic], code: str) -> list[types.Diagnostic]:
    return [d for d in items if d.code == code]


async def test_a_wrong_claim_is_an_error_on_its_line(client):
    doc = open_doc(client, "basics.ngb")
    items = await diagnostics(doc)
    [mismatch] = by_code(items, "gradient-mismatch")
    assert mismatch.severity == types.DiagnosticSeverity.Error
    assert mismatch.source == "neurogebra"
    assert mismatch.range == doc.range_of("2*x + 5")
    assert "2*x + 3" in mismatch.message
    [related] = mismatch.related_information
    assert related.location.uri == doc.uri
    assert related.location.range == doc.range_of("f", after="f(x) =")  # the definition's name
    doc.close()


async def test_an_unstable_form_is_a_warning(client):
    doc = open_doc(client, "basics.ngb")
    [unstable] = by_code(await diagnostics(doc), "unstable-form")
    assert unstable.severity == types.DiagnosticSeverity.Warning
    assert unstable.range == doc.range_of("exp(-x)/(1 + exp(-x))**2")
    doc.close()


async def test_a_parse_error_has_its_exact_range(client):
    text = "σ(𝑥) = 𝑥 +* 2\n"
    doc = open_doc(client, "unicode.ngb", text)
    [error] = await diagnostics(doc)
    assert error.code == "parse-error"
    assert error.severity == types.DiagnosticSeverity.Error
    assert error.range == doc.range_of("*")
    doc.close()


async def test_fixing_the_text_clears_the_error_and_closing_clears_everything(client):
    doc = open_doc(client, "basics.ngb")
    assert by_code(await diagnostics(doc), "gradient-mismatch")
    doc.replace("2*x + 5", "2*x + 3")
    assert by_code(await diagnostics(doc), "gradient-mismatch") == []
    assert by_code(await diagnostics(doc), "unstable-form")  # the rest stays
    doc.close()
    if pulls(client):
        report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=doc.ident()))
        assert list(report.items) == []
    else:
        assert await cleared_after_close(doc)


async def test_pull_and_push_are_never_both_used(client):
    doc = open_doc(client, "broken.ngb")
    items = await diagnostics(doc)
    assert [d.code for d in items] == ["parse-error"]
    if pulls(client):
        assert client.published.get(doc.uri, []) == []
    doc.close()
