"""Python documents: formula strings get diagnostics, inlay hints and code actions; python.enabled turns it off."""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import attrs
import pytest
import pytest_lsp
from lsp_session import (
    CLIENTS,
    CONFIG,
    Doc,
    apply_edit,
    capabilities_of,
    diagnostics,
    encoding,
    open_doc,
    pulls,
    start,
    until,
)
from lsprotocol import types
from pytest_lsp import LanguageClient

from neurogebra.catalog import ENTRIES

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


# ---------------------------------------------------------------------------------------------- Python, first class
CACHE = Path(tempfile.mkdtemp(prefix="neurogebra-e2e-cache-"))  # where this module's server writes catalog entries


@pytest_lsp.fixture(config=attrs.evolve(CONFIG, server_env={**os.environ, "XDG_CACHE_HOME": str(CACHE)}),
                    params=CLIENTS, scope="module")
async def client(request, lsp_client: LanguageClient):
    """As conftest's, with the catalog entries written to a folder of this module's own."""
    await start(lsp_client, capabilities_of(request.param))
    yield
    await lsp_client.shutdown_session()


@pytest.fixture(scope="module")
def training(client) -> Doc:
    doc = open_doc(client, "training.py")
    yield doc
    doc.close()


async def hover_at(doc: Doc, position: types.Position) -> str:
    result = await doc.client.text_document_hover_async(types.HoverParams(text_document=doc.ident(), position=position))
    return result.contents.value if result is not None else ""


async def test_hover_on_a_variable_shows_what_it_holds(training):
    await diagnostics(training)
    use = await hover_at(training, training.position("act_grad", after="print("))
    assert "act_grad(x) = " in use
    assert use == await hover_at(training, training.position("act_grad ="))  # the assignment shows the same
    assert use == await hover_at(training, training.position("gradient"))    # and so does the call
    assert "act(x) = " in await hover_at(training, training.position("act.gradient"))
    assert "GPT-2" in await hover_at(training, training.position("g =", 0))
    value = await hover_at(training, training.position("eval", after="act_grad.eval"))
    assert "0.92767" in value and "= 1" in value  # the value at x = 1


async def definition_at(doc: Doc, position: types.Position) -> types.Location | None:
    return await doc.client.text_document_definition_async(
        types.DefinitionParams(text_document=doc.ident(), position=position))


async def test_definition_of_a_variable_is_the_call_that_made_it(training):
    location = await definition_at(training, training.position("act_grad", after="print("))
    assert location.uri == training.uri and location.range == training.range_of('gradient("x")')


@pytest.mark.parametrize("name, needle, after", [
    ("gelu_tanh", "gelu_tanh", "forge.get("), ("sigmoid", "sigmoid", "act = "), ("mse", "mse", "compose("),
    ("mae", "mae", "compose("),
])
async def test_definition_of_a_catalog_name_opens_its_entry(training, name, needle, after):
    location = await definition_at(training, training.position(needle, 1, after))
    path = Path(unquote(urlparse(location.uri).path))
    assert path == CACHE / "neurogebra" / "catalog" / f"{name}.ngb"
    assert stat.S_IMODE(path.stat().st_mode) == 0o444  # read-only
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[location.range.start.line].startswith(f"{name}(")
    assert (location.range.start.character, location.range.end.character) == (0, len(name))


async def test_definition_of_a_catalog_function_in_an_ngb_file(client):
    doc = open_doc(client, "basics.ngb")
    location = await definition_at(doc, doc.position("relu"))
    assert location.uri == (CACHE / "neurogebra" / "catalog" / "relu.ngb").as_uri()
    opened = open_doc(client, "relu.ngb", (CACHE / "neurogebra" / "catalog" / "relu.ngb").read_text())
    assert [d for d in await diagnostics(opened) if d.severity == types.DiagnosticSeverity.Error] == []
    opened.close()
    doc.close()


async def test_a_catalog_entry_that_cannot_be_written_is_a_clear_error_and_the_server_goes_on(client):
    os.makedirs(CACHE / "neurogebra" / "catalog" / "swish.ngb", exist_ok=True)  # a folder where the file would go
    doc = open_doc(client, "typing.py", 'from neurogebra import MathForge\ns = MathForge().get("swish")\n')
    with pytest.raises(Exception, match="cannot write the catalog entry swish"):
        await definition_at(doc, doc.position("swish"))
    assert "swish(x) = " in await hover_at(doc, doc.position("s =", 0))
    doc.close()


async def completion_at(doc: Doc, position: types.Position) -> list[types.CompletionItem]:
    result = await doc.client.text_document_completion_async(
        types.CompletionParams(text_document=doc.ident(), position=position))
    return result.items if result is not None else []


async def test_completion_of_catalog_names_in_get_and_compose(client):
    doc = open_doc(client, "typing.py", 'from neurogebra import MathForge\nforge = MathForge()\n'
                                        'g = forge.get("gel")\nloss = forge.compose("mse + 0.1*ma")\n')
    await diagnostics(doc)
    for position in (doc.position('gel"', 3), doc.position('ma")', 2)):
        items = await completion_at(doc, position)
        labels = [item.label for item in items]
        assert len(labels) == len(set(labels)) == len(ENTRIES) and set(labels) == set(ENTRIES)
        gelu = next(item for item in items if item.label == "gelu_tanh")
        assert "GPT-2" in gelu.documentation.value
    doc.close()


async def test_completion_of_variables_in_eval(client):
    doc = open_doc(client, "typing.py", 'from neurogebra import Expression\n'
                                        'f = Expression("f", "alpha*x**2*y", params={"alpha": 1.0})\n'
                                        'print(f.eval())\nprint(f.eval(y=2, ))\n')
    await diagnostics(doc)
    assert [i.label for i in await completion_at(doc, doc.position("eval()", 5))] == ["x=", "y=", "alpha="]
    assert [i.label for i in await completion_at(doc, doc.position("y=2, ", 5))] == ["x=", "alpha="]
    assert await completion_at(doc, doc.position("print")) == []  # plain Python: nothing of ours
    doc.close()


async def test_signature_help_in_eval_follows_the_cursor(training):
    async def active(needle: str, delta: int) -> tuple[str, int]:
        help_ = await training.client.text_document_signature_help_async(types.SignatureHelpParams(
            text_document=training.ident(), position=training.position(needle, delta, after="scaled.eval")))
        return help_.signatures[help_.active_signature].label, help_.active_parameter

    assert await active("0.5", 0) == ("eval(x, alpha=1)", 0)
    assert await active("2.0", 0) == ("eval(x, alpha=1)", 1)
    assert await active("alpha", 2) == ("eval(x, alpha=1)", 1)


async def test_signature_help_in_eval_while_a_value_is_being_typed(client):
    doc = open_doc(client, "typing.py", 'from neurogebra import Expression\nf = Expression("f", "x*y")\n'
                                        'print(f.eval(x=1, y=))\n')
    await diagnostics(doc)
    help_ = await client.text_document_signature_help_async(types.SignatureHelpParams(
        text_document=doc.ident(), position=doc.position("y=)", 2)))
    assert (help_.signatures[0].label, help_.active_parameter) == ("eval(x, y)", 1)
    doc.close()


async def test_did_you_mean_is_a_quick_fix(client, training):
    [error] = [d for d in await diagnostics(training) if d.code == "undefined-name"]
    assert error.range == training.range_of("sigmod")
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=training.ident(), range=error.range, context=types.CodeActionContext(diagnostics=[error])))
    [fix] = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
    assert fix.title == "Replace with sigmoid" and [d.code for d in fix.diagnostics] == ["undefined-name"]
    assert '"sigmoid(x) + 1"' in apply_edit(training.text, fix.edit, training.uri, encoding(client))


async def test_poles_are_information_only_when_asked_for(client, training):
    def poles(items):
        return [d for d in items if "not finite" in d.message]

    assert poles(await diagnostics(training)) == []
    client.set_configuration({"diagnostics": {"poles": True}}, section="neurogebra")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    [pole] = poles(await until(lambda: diagnostics_now(training), poles))
    assert pole.severity == types.DiagnosticSeverity.Information and pole.range == training.range_of("-log(q)")
    client.set_configuration({}, section="neurogebra")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await until(lambda: diagnostics_now(training), lambda items: not poles(items))


async def diagnostics_now(doc: Doc) -> list[types.Diagnostic]:
    """The latest diagnostics (pulled, or the last push), for waiting on a change of settings."""
    if pulls(doc.client):
        return await diagnostics(doc)
    return list(doc.client.diagnostics.get(doc.uri, []))


async def test_a_hand_written_backward_is_checked_hovered_and_fixed(client):
    text = (Path(__file__).parents[2] / "examples" / "gradients_torch.py").read_text(encoding="utf-8")
    doc = open_doc(client, "gradients_torch.py", text)
    wrong = "t + grad_output * x * (1 - t ** 2) * torch.sigmoid(x)"
    [mismatch] = [d for d in await diagnostics(doc) if d.severity == types.DiagnosticSeverity.Error]
    assert mismatch.code == "gradient-mismatch" and mismatch.range == doc.range_of(wrong)
    forward = await client.text_document_hover_async(types.HoverParams(
        text_document=doc.ident(), position=doc.position("forward(ctx, x):\n        s = torch")))
    assert "Swish" in forward.contents.value and "′" in forward.contents.value  # the derivative it has
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=doc.ident(), range=mismatch.range, context=types.CodeActionContext(diagnostics=[mismatch])))
    [replace] = [a for a in actions if a.title == "Replace with the correct gradient"]
    fixed = apply_edit(doc.text, replace.edit, doc.uri, encoding(client))
    start = doc.text.index(wrong)
    doc.replace(wrong, fixed[start:start + len(wrong) + len(fixed) - len(doc.text)])
    assert [d for d in await diagnostics(doc) if d.severity <= types.DiagnosticSeverity.Warning] == []
    doc.close()


async def test_a_backward_is_generated_for_a_forward_that_has_none(client):
    text = ("import torch\n\n\nclass Sigmoid(torch.autograd.Function):\n    @staticmethod\n"
            "    def forward(ctx, x):\n        y = torch.sigmoid(x)\n        return y\n")
    doc = open_doc(client, "generate_backward.py", text)
    assert [d for d in await diagnostics(doc) if d.severity <= types.DiagnosticSeverity.Warning] == []
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=doc.ident(), range=doc.range_of("forward"), context=types.CodeActionContext(diagnostics=[])))
    [generate] = [a for a in actions if a.title == "Generate the backward of Sigmoid"]
    fixed = apply_edit(doc.text, generate.edit, doc.uri, encoding(client))
    assert "ctx.save_for_backward(y)" in fixed and "return grad_output * y*(1 - y)" in fixed
    doc.replace(doc.text, fixed)
    assert [d for d in await diagnostics(doc) if d.severity <= types.DiagnosticSeverity.Warning] == []
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=doc.ident(), position=doc.position("backward")))
    assert hover is not None and "Sigmoid" in hover.contents.value  # the rule is found and judged
    doc.close()
