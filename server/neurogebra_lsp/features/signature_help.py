"""Signature help inside a call: catalog entries, math functions and the document's own functions; in Python
also inside `.eval(…)`, whose parameters are the Expression's variables (`eval(x, alpha=0.01)`)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from neurogebra.analysis import Signature, signature_of
from neurogebra.analysis.model import DocumentAnalysis, Statement
from neurogebra_lsp.documents import Snapshot
from neurogebra_lsp.features.completion import KEYWORD, Slot, place_at
from neurogebra_lsp.features.lookup import innermost_statement
from neurogebra_lsp.state import Need

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


def scan_start(snapshot: Snapshot, analysis: DocumentAnalysis, offset: int) -> int:
    statement = innermost_statement(analysis, offset)
    if statement is not None and statement.formula_span is not None and snapshot.language == "python":
        return statement.formula_span.start
    return statement.span.start if statement is not None else snapshot.text.rfind("\n", 0, offset) + 1


def argument_at(text: str, opening: int, offset: int) -> tuple[int, str]:
    """The index of the argument at `offset` of the call whose '(' is at `opening`, and its text up to `offset`."""
    depth, index, start = 0, 0, opening + 1
    for i in range(opening + 1, offset):
        if text[i] in "([{":
            depth += 1
        elif text[i] in ")]}":
            depth -= 1
        elif text[i] == "," and depth == 0:
            index, start = index + 1, i + 1
    return index, text[start:offset]


def eval_signature(text: str, call: Statement, offset: int) -> tuple[Signature, int]:
    """The signature of an eval call (`eval(x, alpha=0.01)`, or `f(x)` for a call of the Expression itself) and the
    parameter at `offset`: the one a keyword names, else the one at that position."""
    opening = text.index("(", call.span.start)
    name = text[call.span.start:opening].strip() or call.name
    formula = f"{call.name} = {call.formula.plain}" if call.formula is not None else ""
    index, argument = argument_at(text, opening, offset)
    keyword = KEYWORD.match(argument.lstrip())
    names = [param.partition("=")[0] for param in call.params]
    active = names.index(keyword[1]) if keyword and keyword[1] in names else index
    return Signature(name, call.params, formula), active


def register(server: NeurogebraServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_SIGNATURE_HELP,
                    types.SignatureHelpOptions(trigger_characters=["(", ","], retrigger_characters=[")", "="]))
    async def signature_help(params: types.SignatureHelpParams) -> types.SignatureHelp | None:
        context = await server.context(params.text_document.uri, Need.NAMES)
        place = place_at(context, params.position) if context is not None else None
        if place is None or place.slot not in (Slot.FORMULA, Slot.EVAL_ARGUMENTS):
            return None
        snapshot, analysis, offset = place.snapshot, place.analysis, place.offset
        if place.statement is not None and place.slot == Slot.EVAL_ARGUMENTS:
            signature, active = eval_signature(snapshot.text, place.statement, offset)
        else:
            call = open_call(snapshot.text, scan_start(snapshot, analysis, offset), offset)
            found = signature_of(call[0], analysis) if call is not None else None
            if call is None or found is None:
                return None
            signature, active = found, call[1]
        parameters = [types.ParameterInformation(label=p) for p in signature.params]
        information = types.SignatureInformation(
            label=signature.label, parameters=parameters,
            documentation=types.MarkupContent(kind=types.MarkupKind.PlainText, value=signature.documentation)
            if signature.documentation else None)
        active = min(active, max(0, len(parameters) - 1))
        return types.SignatureHelp(signatures=[information], active_signature=0, active_parameter=active)
