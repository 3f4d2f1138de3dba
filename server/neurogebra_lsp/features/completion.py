"""Completion: the document's functions and constants, the variables of the statement at the cursor, catalog
entries (formula and description in the documentation) and math functions, each once and never the word being
typed. Everywhere in .ngb but comments; in Python inside formula strings, and there also: catalog names in the
string of forge.get("…") and compose("…"), the Expression's variables as keywords (`x=`) in `.eval(…)`."""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum, auto
from typing import TYPE_CHECKING

from lsprotocol import types

from neurogebra.analysis import CompletionItem, completion_items
from neurogebra.analysis.model import DocumentAnalysis, Statement, StatementKind
from neurogebra.analysis.ngb import NAME
from neurogebra_lsp.documents import Snapshot
from neurogebra_lsp.state import Need

if TYPE_CHECKING:
    from neurogebra_lsp.server import NeurogebraServer
    from neurogebra_lsp.state import RequestContext

TYPED = re.compile(rf"{NAME}\Z")  # the name being typed, which ends at the cursor (α too)
COMPOSE = re.compile(r"\.compose\s*\(\s*\Z")
KEYWORD = re.compile(rf"({NAME})\s*=(?!=)")  # a keyword argument: x=, alpha =
KINDS = {
    "function": (types.CompletionItemKind.Function, "0"),
    "constant": (types.CompletionItemKind.Constant, "1"),
    "variable": (types.CompletionItemKind.Variable, "1"),
    "catalog": (types.CompletionItemKind.Function, "2"),
    "math": (types.CompletionItemKind.Function, "3"),
}


class Slot(Enum):
    """What goes where the cursor is."""

    FORMULA = auto()  # names in a formula
    CATALOG_NAME = auto()  # a catalog entry's name, in the string of forge.get("…") or compose("…")
    EVAL_ARGUMENTS = auto()  # the Expression's variables, in the parentheses of an eval call


@dataclass(frozen=True)
class Place:
    """Where names go (for an eval call's arguments, `statement` is that call)."""

    snapshot: Snapshot
    analysis: DocumentAnalysis  # the most recent analysis, perhaps of an older text
    offset: int
    slot: Slot
    statement: Statement | None = None


def place_at(context: RequestContext, position: types.Position) -> Place | None:
    """For completion and signature help: what goes at `position`, or None where we have nothing to say."""
    snapshot, analysis = context.snapshot, context.analysis
    offset = context.offset(position)
    if snapshot.language == "ngb":
        line_start = snapshot.text.rfind("\n", 0, offset) + 1
        return None if "#" in snapshot.text[line_start:offset] else Place(snapshot, analysis, offset, Slot.FORMULA)
    if analysis.text != snapshot.text:  # Python offsets are only good for their own text
        return None
    found = python_place(analysis, offset)
    return None if found is None else Place(snapshot, analysis, offset, *found)


def python_place(analysis: DocumentAnalysis, offset: int) -> tuple[Slot, Statement] | None:
    """The innermost string or eval call of ours around `offset` in a Python file, and what goes there."""
    text = analysis.text
    for statement in sorted(analysis.statements_at(offset), key=lambda s: s.span.end - s.span.start):
        if statement.kind == StatementKind.CATALOG and statement.span.start < offset < statement.span.end:
            return Slot.CATALOG_NAME, statement
        if statement.formula_span is not None and statement.formula_span.contains(offset):
            composed = COMPOSE.search(text, max(0, statement.span.start - 100), statement.span.start)
            return (Slot.CATALOG_NAME if composed else Slot.FORMULA), statement
        if statement.kind == StatementKind.EVAL_CALL and \
                text.find("(", statement.span.start) < offset < statement.span.end:
            return Slot.EVAL_ARGUMENTS, statement
    return None


def lsp_item(item: CompletionItem) -> types.CompletionItem:
    kind, group = KINDS.get(item.kind, (types.CompletionItemKind.Text, "4"))
    text = "\n\n".join(part for part in (item.detail, item.documentation) if part)  # the formula, then what it is
    documentation = types.MarkupContent(kind=types.MarkupKind.PlainText, value=text) if text else None
    return types.CompletionItem(label=item.label, kind=kind, detail=item.detail, documentation=documentation,
                                sort_text=f"{group}{item.label}")


def catalog_items() -> list[CompletionItem]:
    """Every catalog entry once (by its own name), its description as documentation."""
    return [item for item in completion_items(None) if item.kind == "catalog"]


def keyword_items(text: str, call: Statement) -> list[CompletionItem]:
    """`x=` for each variable (and parameter) of the Expression an eval call evaluates, but those the call
    already names."""
    written = set(KEYWORD.findall(text, call.span.start, call.span.end))
    formula = f"{call.name} = {call.formula.plain}" if call.formula is not None else ""
    items = []
    for param in call.params:
        name, _, default = param.partition("=")
        if name not in written:
            detail = f"parameter of {call.name}, {default} unless given" if default else f"a variable of {call.name}"
            items.append(CompletionItem(f"{name}=", "variable", detail, formula))
    return items


def register(server: NeurogebraServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_COMPLETION,
                    types.CompletionOptions(trigger_characters=["(", ",", '"', "'"]))
    async def completion(params: types.CompletionParams) -> types.CompletionList | None:
        context = await server.context(params.text_document.uri, Need.NAMES)
        place = place_at(context, params.position) if context is not None else None
        if place is None:
            return None
        if place.slot == Slot.CATALOG_NAME:
            items = catalog_items()
        elif place.statement is not None and place.slot == Slot.EVAL_ARGUMENTS:
            items = keyword_items(place.snapshot.text, place.statement)
        else:
            snapshot, analysis, offset = place.snapshot, place.analysis, place.offset
            typed = TYPED.search(snapshot.text, 0, offset)
            current = analysis.text == snapshot.text  # else its offsets are another text's
            items = completion_items(analysis, offset if current else None, typed.group() if typed else "")
        return types.CompletionList(is_incomplete=False, items=[lsp_item(i) for i in items])
