"""Completion: the document's functions and constants, the variables of the statement at the cursor, catalog
entries (formula and description in the documentation) and math functions, each once and never the word being
typed. Everywhere in .ngb but comments; inside formula strings in Python."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lsprotocol import types

from neurogebra.analysis import CompletionItem, completion_items
from neurogebra.analysis.model import DocumentAnalysis
from neurogebra_lsp.documents import Snapshot

if TYPE_CHECKING:
    from neurogebra_lsp.server import NeurogebraServer

TYPED = re.compile(r"[^\W\d]\w*\Z")  # the name being typed, which ends at the cursor (α too)
KINDS = {
    "function": (types.CompletionItemKind.Function, "0"),
    "constant": (types.CompletionItemKind.Constant, "1"),
    "variable": (types.CompletionItemKind.Variable, "1"),
    "catalog": (types.CompletionItemKind.Function, "2"),
    "math": (types.CompletionItemKind.Function, "3"),
}


async def names_at(server: NeurogebraServer, uri: str, position: types.Position):
    """For completion and signature help: the snapshot, the most recent analysis (None before the first) and the
    offset, when `position` is where formula names go; else None."""
    snapshot = server.documents.get(uri)
    if snapshot is None or not server.analyzable(snapshot):
        return None
    analyzed = await server.recent_analysis(uri)
    analysis = analyzed[1] if analyzed is not None else None
    offset = snapshot.lines.offset(position)
    return (snapshot, analysis, offset) if in_scope(snapshot, analysis, offset) else None


def in_scope(snapshot: Snapshot, analysis: DocumentAnalysis | None, offset: int) -> bool:
    """Formula text: a .ngb line outside its comment, or the inside of a formula string in Python."""
    if snapshot.language == "ngb":
        line_start = snapshot.text.rfind("\n", 0, offset) + 1
        return "#" not in snapshot.text[line_start:offset]
    return analysis is not None and any(
        s.formula_span is not None and s.formula_span.start <= offset <= s.formula_span.end
        for s in analysis.statements)


def lsp_item(item: CompletionItem) -> types.CompletionItem:
    kind, group = KINDS.get(item.kind, (types.CompletionItemKind.Text, "4"))
    text = "\n\n".join(part for part in (item.detail, item.documentation) if part)  # the formula, then what it is
    documentation = types.MarkupContent(kind=types.MarkupKind.PlainText, value=text) if text else None
    return types.CompletionItem(label=item.label, kind=kind, detail=item.detail, documentation=documentation,
                                sort_text=f"{group}{item.label}")


def register(server: NeurogebraServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=["(", ","]))
    async def completion(params: types.CompletionParams) -> types.CompletionList | None:
        found = await names_at(server, params.text_document.uri, params.position)
        if found is None:
            return None
        snapshot, analysis, offset = found
        typed = TYPED.search(snapshot.text, 0, offset)
        current = analysis is not None and analysis.text == snapshot.text  # else its offsets are another text's
        items = completion_items(analysis, offset if current else None, typed.group() if typed else "")
        return types.CompletionList(is_incomplete=False, items=[lsp_item(i) for i in items])
