"""Signature help inside a call: catalog entries, math functions and the document's own functions."""
from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from neurogebra.analysis import signature_of
from neurogebra.analysis.model import DocumentAnalysis
from neurogebra_lsp.documents import Snapshot
from neurogebra_lsp.features.completion import names_at
from neurogebra_lsp.features.lookup import innermost_statement

if TYPE_CHECKING:
    from neurogebra_lsp.server import NeurogebraServer

MAX_SCAN = 2000


def open_call(text: str, start: int, offset: int) -> tuple[str, int] | None:
    """The function whose parentheses are open at `offset` (scanning back to `start`) and the argument index."""
    depth = 0
    commas = 0
    for i in range(offset - 1, max(start, offset - MAX_SCAN) - 1, -1):
        ch = text[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            if depth == 0:
                end = i
                while end > start and text[end - 1] in " \t":
                    end -= 1
                begin = end
                while begin > start and ("a" + text[begin - 1]).isidentifier():
                    begin -= 1
                return (text[begin:end], commas) if begin < end else None
            depth -= 1
        elif ch == "," and depth == 0:
            commas += 1
    return None


def scan_start(snapshot: Snapshot, analysis: DocumentAnalysis | None, offset: int) -> int:
    statement = innermost_statement(analysis, offset) if analysis is not None else None
    if statement is not None and statement.formula_span is not None and snapshot.language == "python":
        return statement.formula_span.start
    return statement.span.start if statement is not None else snapshot.text.rfind("\n", 0, offset) + 1


def register(server: NeurogebraServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_SIGNATURE_HELP,
                    types.SignatureHelpOptions(trigger_characters=["(", ","], retrigger_characters=[")"]))
    async def signature_help(params: types.SignatureHelpParams) -> types.SignatureHelp | None:
        found = await names_at(server, params.text_document.uri, params.position)
        if found is None:
            return None
        snapshot, analysis, offset = found
        call = open_call(snapshot.text, scan_start(snapshot, analysis, offset), offset)
        signature = signature_of(call[0], analysis) if call is not None else None
        if signature is None:
            return None
        parameters = [types.ParameterInformation(label=p) for p in signature.params]
        information = types.SignatureInformation(
            label=signature.label, parameters=parameters,
            documentation=types.MarkupContent(kind=types.MarkupKind.PlainText, value=signature.documentation)
            if signature.documentation else None)
        active = min(call[1], max(0, len(parameters) - 1))
        return types.SignatureHelp(signatures=[information], active_signature=0, active_parameter=active)
