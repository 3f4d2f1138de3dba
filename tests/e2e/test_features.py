"""Inlay hints, code actions (applied to the text), completion, signature help, definition, references, rename,
document symbols and semantic tokens, over the wire."""
from __future__ import annotations

import pytest
from lsp_session import Doc, apply_edit, column, diagnostics, encoding, eventually, open_doc, until
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def basics(client) -> Doc:
    doc = open_doc(client, "basics.ngb")
    yield doc
    doc.close()


def whole(doc: Doc) -> types.Range:
    return types.Range(start=types.Position(line=0, character=0), end=doc.position_at(len(doc.text)))


async def inlay_hints(doc: Doc, range_: types.Range) -> list[types.InlayHint]:
    return await doc.client.text_document_inlay_hint_async(
        types.InlayHintParams(text_document=doc.ident(), range=range_))


async def test_inlay_hints_show_values_at_the_end_of_evaluations(basics):
    hints = await inlay_hints(basics, whole(basics))
    assert [(h.position, h.label) for h in hints] == [
        (basics.position("f'(0)", len("f'(0)")), "= 3"),
        (basics.position("f'(x)\n", len("f'(x)")), "= 2·x + 3"),
        (basics.position("g(1, 2)", len("g(1, 2)")), "= 3"),
    ]


async def test_inlay_hints_only_within_the_requested_range(basics):
    line = basics.position("f'(0)").line
    only_that_line = types.Range(start=types.Position(line=line, character=0),
                                 end=types.Position(line=line + 1, character=0))
    assert [h.label for h in await inlay_hints(basics, only_that_line)] == ["= 3"]


async def test_inlay_hints_can_be_turned_off(client, basics):
    client.set_configuration({"inlayHints": {"enabled": False}}, section="neurogebra")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    assert list(await until(lambda: inlay_hints(basics, whole(basics)), lambda hints: not hints)) == []
    client.set_configuration({"inlayHints": {"enabled": True}}, section="neurogebra")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    assert len(await until(lambda: inlay_hints(basics, whole(basics)), lambda hints: hints)) == 3


async def code_actions(doc: Doc, range_: types.Range, items=()) -> list[types.CodeAction]:
    return await doc.client.text_document_code_action_async(types.CodeActionParams(
        text_document=doc.ident(), range=range_, context=types.CodeActionContext(diagnostics=list(items))))


async def test_replace_with_the_correct_derivative(client, basics):
    [mismatch] = [d for d in await diagnostics(basics) if d.code == "gradient-mismatch"]
    actions = await code_actions(basics, mismatch.range, [mismatch])
    [fix] = [a for a in actions if a.title == "Replace with the correct derivative"]
    assert fix.kind == types.CodeActionKind.QuickFix
    assert fix.is_preferred
    assert [d.code for d in fix.diagnostics] == ["gradient-mismatch"]
    fixed = apply_edit(basics.text, fix.edit, basics.uri, encoding(client))
    assert "f'(x) = 2*x + 3\n" in fixed and "2*x + 5" not in fixed
    if client.capabilities.workspace.workspace_edit.document_changes:
        assert fix.edit.document_changes[0].text_document.version == basics.version
    else:
        assert fix.edit.document_changes is None and basics.uri in fix.edit.changes


async def test_insert_derivative_adds_the_derivative_below(client, basics):
    actions = await code_actions(basics, basics.range_of("g(x, y)"))
    titles = [a.title for a in actions]
    assert titles == ["Insert derivative d/dx", "Insert derivative d/dy"]
    assert all(a.kind == types.CodeActionKind.Refactor for a in actions)
    fixed = apply_edit(basics.text, actions[1].edit, basics.uri, encoding(client))
    assert "g(x, y) = x**2*y + relu(x)\n∂g/∂y = x**2\ng(1, 2)\n" in fixed


async def test_use_the_stable_form(client, basics):
    actions = await code_actions(basics, basics.range_of("exp(-x)/(1 + exp(-x))**2"))
    [stable] = [a for a in actions if a.title == "Use the stable form"]
    fixed = apply_edit(basics.text, stable.edit, basics.uri, encoding(client))
    assert "s'(x) = (1 - s(x))*s(x)\n" in fixed  # written with s itself, which is stable


async def test_only_the_asked_kinds(basics):
    actions = await basics.client.text_document_code_action_async(types.CodeActionParams(
        text_document=basics.ident(), range=basics.range_of("2*x + 5"),
        context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.Refactor])))
    assert list(actions) == []


async def test_completion_offers_document_names_catalog_and_math(basics):
    result = await basics.client.text_document_completion_async(types.CompletionParams(
        text_document=basics.ident(), position=basics.position("relu")))
    items = {item.label: item for item in result.items}
    assert items["f"].kind == types.CompletionItemKind.Function and items["f"].detail == "f(x)"
    assert "Max(0, x)" in items["relu"].documentation.value
    assert "Rectified linear unit" in items["relu"].documentation.value
    assert "Max(0, x)" in items["relu"].detail
    assert items["exp"].kind == types.CompletionItemKind.Function
    assert "x" in items
    order = sorted(items.values(), key=lambda i: i.sort_text)
    assert order[0].label in ("f", "s", "g")  # the document's own names first


async def test_no_completion_in_comments(basics):
    result = await basics.client.text_document_completion_async(types.CompletionParams(
        text_document=basics.ident(), position=basics.position("Fixture", 3)))
    assert result is None


async def test_signature_help_inside_a_call(basics):
    help_ = await basics.client.text_document_signature_help_async(types.SignatureHelpParams(
        text_document=basics.ident(), position=basics.position("2)", after="g(1, 2)")))
    assert help_.signatures[0].label == "g(x, y)"
    assert help_.active_parameter == 1


async def test_definition_and_references(basics):
    client = basics.client
    location = await client.text_document_definition_async(types.DefinitionParams(
        text_document=basics.ident(), position=basics.position("f'(0)")))
    assert location.uri == basics.uri and location.range == basics.range_of("f", after="f(x) =")
    references = await client.text_document_references_async(types.ReferenceParams(
        text_document=basics.ident(), position=basics.position("f", after="f(x) ="),
        context=types.ReferenceContext(include_declaration=True)))
    lines = [r.range.start.line for r in references]
    first = basics.position("f(x) =").line
    assert lines == [first, first + 1, first + 2, first + 3]
    nothing = await client.text_document_definition_async(types.DefinitionParams(
        text_document=basics.ident(), position=basics.position("exp")))
    assert nothing is None


async def test_rename_a_function_everywhere(client, basics):
    position = basics.position("f'(0)")
    prepared = await client.text_document_prepare_rename_async(types.PrepareRenameParams(
        text_document=basics.ident(), position=position))
    assert prepared.placeholder == "f" and prepared.range == basics.range_of("f", after="f'(0)")
    edit = await client.text_document_rename_async(types.RenameParams(
        text_document=basics.ident(), position=position, new_name="quad"))
    renamed = apply_edit(basics.text, edit, basics.uri, encoding(client))
    assert "quad(x) = x**2 + 3*x + 2\nquad'(x) = 2*x + 5\nquad'(0)\nquad'(x)\n" in renamed
    assert await client.text_document_prepare_rename_async(types.PrepareRenameParams(
        text_document=basics.ident(), position=basics.position("exp"))) is None
    with pytest.raises(Exception, match="already"):
        await client.text_document_rename_async(types.RenameParams(
            text_document=basics.ident(), position=position, new_name="s"))
    with pytest.raises(Exception, match="not a name"):
        await client.text_document_rename_async(types.RenameParams(
            text_document=basics.ident(), position=position, new_name="2x"))


async def test_document_symbols(basics):
    symbols = await basics.client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=basics.ident()))
    assert [(s.name, s.kind) for s in symbols] == [
        ("f(x)", types.SymbolKind.Function), ("f'(x)", types.SymbolKind.Property),
        ("s(x)", types.SymbolKind.Function), ("s'(x)", types.SymbolKind.Property),
        ("g(x, y)", types.SymbolKind.Function)]
    assert symbols[0].selection_range == basics.range_of("f", after="f(x) =")


async def test_semantic_tokens(client, basics):
    legend = client.init_result.capabilities.semantic_tokens_provider.legend
    tokens = await client.text_document_semantic_tokens_full_async(
        types.SemanticTokensParams(text_document=basics.ident()))
    decoded = decode(basics, tokens.data, legend)
    line = basics.position("g(x, y) =").line
    assert decoded[line] == [("g", "function", ["declaration"]), ("x", "parameter", ["declaration"]),
                             ("y", "parameter", ["declaration"]), ("=", "operator", []), ("x", "parameter", []),
                             ("**", "operator", []), ("2", "number", []), ("*", "operator", []),
                             ("y", "parameter", []), ("+", "operator", []),
                             ("relu", "function", ["defaultLibrary"]), ("x", "parameter", [])]
    assert decoded[0][0][1] == "comment"


def decode(doc: Doc, data: list[int], legend: types.SemanticTokensLegend) -> dict[int, list]:
    """Tokens by line as (text, type, modifiers), reading lengths in the client's encoding."""
    lines = doc.text.split("\n")
    found: dict[int, list] = {}
    line = character = 0
    for i in range(0, len(data), 5):
        delta_line, delta_start, length, kind, bits = data[i:i + 5]
        line += delta_line
        character = delta_start if delta_line else character + delta_start
        text = lines[line]
        start = next(k for k in range(len(text) + 1) if column(text[:k], encoding(doc.client)) == character)
        end = next(k for k in range(len(text) + 1) if column(text[:k], encoding(doc.client)) == character + length)
        modifiers = [m for b, m in enumerate(legend.token_modifiers) if bits & (1 << b)]
        found.setdefault(line, []).append((text[start:end], legend.token_types[kind], modifiers))
    return found


async def test_inlay_hints_are_refreshed_when_a_definition_above_changes(client):
    doc = open_doc(client, "refresh.ngb", "f(x) = x**2 + 3*x\nf'(0)\n")
    await diagnostics(doc)
    assert [h.label for h in await inlay_hints(doc, whole(doc))] == ["= 3"]  # as an editor asks on opening
    before = client.inlay_refreshes
    doc.replace("3*x", "4*x")  # f'(0) goes from 3 to 4 without its line being touched
    await diagnostics(doc)
    if client.capabilities.workspace.inlay_hint and client.capabilities.workspace.inlay_hint.refresh_support:
        assert await eventually(lambda: client.inlay_refreshes > before)
    else:
        assert client.inlay_refreshes == before
    hints = await inlay_hints(doc, whole(doc))
    assert [h.label for h in hints] == ["= 4"]
    doc.close()


MATRICES = "@shape W: (m, n)\n@shape x: (n,)\n@shape y: (m,)\nL(W) = sum((W @ x - y)**2)\n"


async def test_a_matrix_gradient_is_inserted_as_numpy_or_pytorch_code(client):
    doc = open_doc(client, "matrices.ngb", MATRICES)
    try:
        await diagnostics(doc)
        actions = await code_actions(doc, doc.range_of("L(W)"))
        by_title = {a.title: a for a in actions}
        numpy, torch = by_title["Insert ∇_W L as NumPy code"], by_title["Insert ∇_W L as PyTorch code"]
        assert numpy.kind == torch.kind == types.CodeActionKind.Refactor
        fixed = apply_edit(doc.text, numpy.edit, doc.uri, encoding(client))
        assert fixed.endswith("L(W) = sum((W @ x - y)**2)\n# NumPy: grad_W = 2 * np.outer(W @ x - y, x)\n")
        fixed = apply_edit(doc.text, torch.edit, doc.uri, encoding(client))
        assert "\n# PyTorch: grad_W = 2 * torch.outer(W @ x - y, x)\n" in fixed
    finally:
        doc.close()


LOG_SUM_EXP = "@shape z: (k,)\n@shape t: (k,)\nce(z) = log(sum(exp(z))) - t @ z\nW0 = [[1, 2], [3, 4]]\n2*W0.T + 0.5\n"


async def test_a_hand_written_log_sum_exp_is_warned_and_fixed_and_a_given_matrix_has_a_value(client):
    doc = open_doc(client, "logsumexp.ngb", LOG_SUM_EXP)
    try:
        [warning] = [d for d in await diagnostics(doc) if d.code == "unstable-form"]
        assert warning.severity == types.DiagnosticSeverity.Warning
        assert warning.message.endswith("a stable form is logsumexp(z) - t @ z")
        actions = await code_actions(doc, warning.range, [warning])
        [fix] = [a for a in actions if a.title == "Use the stable form"]
        fixed = apply_edit(doc.text, fix.edit, doc.uri, encoding(client))
        assert "ce(z) = logsumexp(z) - t @ z\n" in fixed
        hints = await inlay_hints(doc, whole(doc))
        assert [h.label for h in hints] == ["= [[2.5, 6.5], [4.5, 8.5]]"]
    finally:
        doc.close()
