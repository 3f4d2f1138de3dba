"""Hover over the wire: snapshots of the markdown (tests/e2e/snapshots), the plaintext variant, the rich variant
(an SVG plot only when hover.rich is on), Python formula strings, and null where there is nothing of ours."""
from __future__ import annotations

import pytest
import pytest_lsp
from lsp_session import CONFIG, Doc, capabilities_of, matches_snapshot, open_doc, start, until
from lsprotocol import types
from pytest_lsp import LanguageClient

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(config=CONFIG, scope="module")
async def plaintext_client(lsp_client: LanguageClient):
    capabilities = capabilities_of("neovim")
    capabilities.text_document.hover.content_format = [types.MarkupKind.PlainText]
    await start(lsp_client, capabilities)
    yield
    await lsp_client.shutdown_session()


async def hover(doc: Doc, position: types.Position) -> types.Hover | None:
    return await doc.client.text_document_hover_async(types.HoverParams(text_document=doc.ident(), position=position))


@pytest.fixture(scope="module")
def basics(client) -> Doc:
    doc = open_doc(client, "basics.ngb")
    yield doc
    doc.close()


@pytest.mark.parametrize("needle, after, snapshot", [
    ("f", "f(x) =", "definition.md"),
    ("5", "f'(x) = 2*x + 5", "claim.md"),
    ("0", "f'(0)", "evaluation.md"),
    ("s", "s(x) =", "self_form.md"),
    ("exp", "s(x) =", "math_function.md"),
    ("relu", "", "catalog_function.md"),
])
async def test_hover_snapshots(basics, needle, after, snapshot):
    result = await hover(basics, basics.position(needle, after=after))
    assert result.contents.kind == types.MarkupKind.Markdown
    assert matches_snapshot(result.contents.value, snapshot)


async def test_hover_range_is_the_name_or_the_statement(basics):
    on_name = await hover(basics, basics.position("exp", 1, after="s(x) ="))
    assert on_name.range == basics.range_of("exp", after="s(x) =")
    on_claim = await hover(basics, basics.position("5", after="f'(x) ="))
    assert on_claim.range == basics.range_of("f'(x) = 2*x + 5")


async def test_a_comment_or_a_blank_has_no_hover(basics):
    assert await hover(basics, basics.position("Fixture")) is None


async def test_python_formula_strings_have_hovers_and_python_code_none(client):
    doc = open_doc(client, "model.py")
    on_string = await hover(doc, doc.position("3*x", after="Expression("))
    assert on_string.contents.kind == types.MarkupKind.Markdown
    assert "quadratic′(x) = 2·x + 3" in on_string.contents.value
    assert matches_snapshot(on_string.contents.value, "python_formula.md")
    assert await hover(doc, doc.position("import")) is None
    assert await hover(doc, doc.position("forge = ")) is None
    doc.close()


async def test_plaintext_when_the_client_asks_only_for_it(plaintext_client):
    doc = open_doc(plaintext_client, "basics.ngb")
    result = await hover(doc, doc.position("f", after="f(x) ="))
    assert result.contents.kind == types.MarkupKind.PlainText
    assert "```" not in result.contents.value
    assert matches_snapshot(result.contents.value, "definition.txt")
    doc.close()


async def test_rich_hover_embeds_an_svg_plot_only_when_asked(client):
    doc = open_doc(client, "rich.ngb", "f(x) = x**2 + 3*x + 2\n")
    plain = await hover(doc, doc.position("f"))
    assert "data:image/svg+xml" not in plain.contents.value

    async def hover_text() -> str:
        return (await hover(doc, doc.position("f"))).contents.value

    client.set_configuration({"hover": {"rich": True}}, section="neurogebra")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    rich = await until(hover_text, lambda text: "data:image/svg+xml;base64," in text)
    assert len(rich) < 100_000
    assert rich.startswith(plain.contents.value + "\n\n![f(x)](data:image/svg+xml;base64,")  # the plot last
    sigmoid = open_doc(client, "rich-sigmoid.ngb", "s(x) = 1/(1 + exp(-x))\ns'(x) = s(x)*(1 - s(x))\n")
    plotted = (await hover(sigmoid, sigmoid.position("s"))).contents.value  # its self-form is no plot input
    assert "data:image/svg+xml;base64," in plotted and "s(x)" in plotted
    sigmoid.close()

    client.set_configuration({"hover": {"rich": False}}, section="neurogebra")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    assert await until(hover_text, lambda text: "data:image" not in text)
    doc.close()



REALISTIC = [  # (a word of the statement, the text before it, the snapshot's name)
    ("ce", "", "realistic_cross_entropy"),
    ("∂ce", "", "realistic_cross_entropy_claim"),
    ("ln(x1", "", "realistic_layer_norm"),
    ("gelu_tanh", "", "realistic_gelu_tanh"),
    ("gelu_tanh'", "", "realistic_gelu_tanh_claim"),
    ("focal(p)", "", "realistic_focal_loss"),
    ("loss(w", "", "realistic_two_variable_loss"),
]


@pytest.fixture(scope="module")
def realistic(client) -> Doc:
    doc = open_doc(client, "realistic.ngb")
    yield doc
    doc.close()


@pytest.mark.parametrize("needle, after, snapshot", REALISTIC)
async def test_realistic_hovers_read_in_at_most_25_lines(realistic, needle, after, snapshot):
    """A softmax cross-entropy, a layer norm over three features, GELU tanh, a focal loss, a two-variable loss:
    the verdict first, the user's own names, one line per formula."""
    text = (await hover(realistic, realistic.position(needle, after=after))).contents.value
    assert len(text.splitlines()) <= 25
    assert matches_snapshot(text, f"{snapshot}.md")


async def test_a_client_that_typesets_gets_latex_for_the_realistic_hovers(client):
    doc = open_doc(client, "realistic.ngb")
    client.set_configuration({"hover": {"typeset": True}}, section="neurogebra")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))

    async def layer_norm() -> str:
        return (await hover(doc, doc.position("ln(x1"))).contents.value

    typeset = await until(layer_norm, lambda text: text.startswith("```math"))
    assert len(typeset.splitlines()) <= 25
    assert matches_snapshot(typeset, "realistic_layer_norm.typeset.md")
    claim = (await hover(doc, doc.position("∂ce"))).contents.value
    assert claim.startswith("⚠ right, but it breaks in float64") and "```math" in claim
    client.set_configuration({}, section="neurogebra")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    doc.close()
