"""Document symbols: the functions, constants and derivative claims of a .ngb file, the formulas of a Python file."""
from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from neurogebra.analysis.model import Statement, StatementKind
from neurogebra_lsp.documents import Snapshot
from neurogebra_lsp.state import Need

if TYPE_CHECKING:
    from neurogebra_lsp.server import NeurogebraServer

MAX_DETAIL = 200
SYMBOL_KINDS = {
    StatementKind.FUNCTION: types.SymbolKind.Function,
    StatementKind.CONSTANT: types.SymbolKind.Constant,
    StatementKind.CLAIM: types.SymbolKind.Property,
    StatementKind.FORMULA: types.SymbolKind.Function,
    StatementKind.CATALOG: types.SymbolKind.Function,
}


def symbol(snapshot: Snapshot, statement: Statement) -> types.DocumentSymbol:
    name = statement.label or statement.name or statement.text
    return types.DocumentSymbol(
        name=name, kind=SYMBOL_KINDS[statement.kind], range=snapshot.lines.range(statement.span),
        selection_range=snapshot.lines.range(statement.name_span or statement.span),
        detail=statement.formula.plain[:MAX_DETAIL] if statement.formula is not None else None)


def register(server: NeurogebraServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    async def document_symbols(params: types.DocumentSymbolParams) -> list[types.DocumentSymbol] | None:
        context = await server.context(params.text_document.uri, Need.EARLY)
        if context is None:
            return None
        return [symbol(context.snapshot, s) for s in context.analysis.statements
                if s.kind in SYMBOL_KINDS and context.snapshot.holds(s.span)]
