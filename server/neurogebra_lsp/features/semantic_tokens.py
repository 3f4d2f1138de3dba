"""Semantic tokens (full) for .ngb: names by what they refer to, numbers, operators, comments, @domain and @shape."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator, NamedTuple

from lsprotocol import types

from neurogebra.analysis.model import DocumentAnalysis, Reference, ReferenceKind, Statement, StatementKind
from neurogebra.syntax import ParseError, tokenize
from neurogebra_lsp.documents import Snapshot
from neurogebra_lsp.state import Need

if TYPE_CHECKING:
    from neurogebra_lsp.server import NeurogebraServer

TOKEN_TYPES = ["function", "parameter", "variable", "number", "operator", "comment", "keyword"]
TOKEN_MODIFIERS = ["declaration", "defaultLibrary", "readonly"]
LEGEND = types.SemanticTokensLegend(token_types=TOKEN_TYPES, token_modifiers=TOKEN_MODIFIERS)
COMMENT = re.compile(r"#[^\r\n]*")
DOMAIN_KEYWORDS = re.compile(r"^@domain\b|^@shape\b|\bin\b")
DOMAIN_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:inf\b|∞)")


class Token(NamedTuple):
    start: int
    end: int
    type: str
    modifiers: tuple[str, ...] = ()


def reference_token(text: str, reference: Reference) -> Token | None:
    start, end = reference.span.start, reference.span.end
    declaration = ("declaration",) if reference.is_definition else ()
    if reference.kind == ReferenceKind.FUNCTION:
        return Token(start, end, "function", declaration)
    if reference.kind == ReferenceKind.CONSTANT:
        return Token(start, end, "variable", declaration + ("readonly",))
    if reference.kind == ReferenceKind.PARAMETER:
        return Token(start, end, "parameter", declaration)
    if reference.kind == ReferenceKind.VARIABLE:
        return Token(start, end, "variable")
    if reference.kind in (ReferenceKind.CATALOG, ReferenceKind.MATH):
        called = text[end:end + 64].lstrip().startswith("(")
        return Token(start, end, "function" if called else "variable",
                     ("defaultLibrary",) if called else ("defaultLibrary", "readonly"))
    return None


def formula_tokens(text: str, statement: Statement) -> Iterator[Token]:
    span = statement.formula_span
    if span is None:
        return
    equals = text.rfind("=", statement.span.start, span.start)
    if equals >= 0:
        yield Token(equals, equals + 1, "operator")
    try:
        lexed = tokenize(text[span.start:span.end])
    except ParseError:
        return
    for token in lexed:
        if token.kind in ("num", "sup"):
            yield Token(span.start + token.start, span.start + token.end, "number")
        elif token.kind == "op" and token.text not in "(),[]":  # brackets are punctuation, as parentheses
            yield Token(span.start + token.start, span.start + token.end, "operator")


def domain_tokens(text: str, statement: Statement) -> Iterator[Token]:
    line = text[statement.span.start:statement.span.end]
    for pattern, kind in ((DOMAIN_KEYWORDS, "keyword"), (DOMAIN_NUMBER, "number")):
        for match in pattern.finditer(line):
            yield Token(statement.span.start + match.start(), statement.span.start + match.end(), kind)


def tokens(analysis: DocumentAnalysis) -> list[Token]:
    text = analysis.text
    found = [Token(m.start(), m.end(), "comment") for m in COMMENT.finditer(text)]
    for statement in analysis.statements:
        found.extend(t for r in statement.references if (t := reference_token(text, r)) is not None)
        if statement.kind in (StatementKind.DOMAIN, StatementKind.SHAPE):  # @domain x in [a, b], @shape W: (m, n)
            found.extend(domain_tokens(text, statement))
        else:
            found.extend(formula_tokens(text, statement))
    found.sort()
    kept: list[Token] = []
    for token in found:
        if token.end > token.start and (not kept or token.start >= kept[-1].end):
            kept.append(token)
    return kept


def encode(snapshot: Snapshot, found: list[Token]) -> list[int]:
    """LSP's relative encoding: line delta, start delta, length, type index, modifier bits."""
    data: list[int] = []
    previous = types.Position(line=0, character=0)
    for token in found:
        start = snapshot.lines.position(token.start)
        end = snapshot.lines.position(token.end)
        if end.line != start.line:
            continue
        delta_line = start.line - previous.line
        delta_start = start.character - (previous.character if delta_line == 0 else 0)
        bits = sum(1 << TOKEN_MODIFIERS.index(m) for m in token.modifiers)
        data += [delta_line, delta_start, end.character - start.character, TOKEN_TYPES.index(token.type), bits]
        previous = start
    return data


def register(server: NeurogebraServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, LEGEND)
    async def semantic_tokens(params: types.SemanticTokensParams) -> types.SemanticTokens | None:
        context = await server.context(params.text_document.uri, Need.EARLY)
        if context is None or context.snapshot.language != "ngb":
            return None
        return types.SemanticTokens(data=encode(context.snapshot, tokens(context.analysis)))
