"""Jupyter notebooks (.ipynb): their code cells are Python, analyzed together in order (joined with newlines, so
later cells see earlier definitions, as a kernel run from the top would), with every range mapped back to the
notebook's own text, the JSON: to the character inside the JSON string literal that holds it.

The notebook is read with the json module; the only addition is where each string value starts, which the
decoder's pure-Python scanner reports through its `parse_string` hook. Reading a notebook imports no SymPy.
"""
from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, replace
from json.decoder import WHITESPACE, scanstring  # type: ignore[attr-defined]  # typeshed omits these public names
from json.scanner import py_make_scanner  # type: ignore[attr-defined]  # the pure-Python scanner, not in typeshed
from typing import TYPE_CHECKING, Any, Callable

from neurogebra.analysis.model import (
    Code,
    Diagnostic,
    DocumentAnalysis,
    Settings,
    Severity,
    Span,
    Statement,
    StatementKind,
)

if TYPE_CHECKING:
    from neurogebra.analysis.engine import Engine  # for annotations only: the engine imports this module

LANGUAGE = "ipynb"
BYTE_ORDER_MARK = "\ufeff"


class NotebookError(ValueError):
    """The text is not a notebook we can read; `offset` is where in the text the problem is."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.offset = offset


class LocatedString(str):
    """A JSON string value that knows where its literal's content starts in the JSON text (after the quote)."""

    start: int


def _located_string(text: str, end: int, strict: bool) -> tuple[LocatedString, int]:
    value, after = scanstring(text, end, strict)
    located = LocatedString(value)
    located.start = end
    return located, after


def _decoder() -> json.JSONDecoder:
    decoder = json.JSONDecoder()
    decoder.parse_string = _located_string  # type: ignore[attr-defined]  # set in __init__, not in typeshed
    decoder.scan_once = py_make_scanner(decoder)  # type: ignore[attr-defined]  # the C scanner would not call parse_string
    return decoder


def _escape_length(text: str, at: int) -> int:
    """How many JSON characters the value character at text[at] takes: 1, 2 (\\n, \\"), 6 (\\u00e9) or 12 (a
    surrogate pair, \\ud835\\udc65, which json decodes to one character)."""
    if text[at] != "\\":
        return 1
    if text[at + 1] != "u":
        return 2
    if 0xD800 <= int(text[at + 2:at + 6], 16) <= 0xDBFF and text[at + 6:at + 8] == "\\u" \
            and 0xDC00 <= int(text[at + 8:at + 12], 16) <= 0xDFFF:
        return 12
    return 6


def character_places(text: str, value: LocatedString) -> tuple[list[int], list[int]]:
    """Where each character of a string value starts in the JSON text, and where it ends."""
    starts, ends = [], []
    at = value.start
    for _ in value:
        starts.append(at)
        at += _escape_length(text, at)
        ends.append(at)
    return starts, ends


def _source_parts(number: int, cell: dict) -> list[LocatedString]:
    source = cell.get("source", [])
    parts = [source] if isinstance(source, str) else source
    if not isinstance(parts, list) or not all(isinstance(part, str) for part in parts):
        raise NotebookError(f"not a Jupyter notebook: the source of cell {number} is not text")
    return parts


@dataclass(frozen=True)
class Notebook:
    """The code cells' sources joined with newlines, where each character of that code starts and ends in the
    JSON text (a newline between cells takes no JSON text: it is at the end of the cell before), and where each
    code cell starts in the code with its number among all the notebook's cells."""

    code: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    cell_starts: tuple[int, ...]
    cell_numbers: tuple[int, ...]

    def json_span(self, span: Span) -> Span:
        """The JSON text of code[span.start:span.end], from its first character's start to its last one's end."""
        size = len(self.code)
        start = self.starts[span.start] if span.start < size else (self.ends[-1] if size else 0)
        return Span(start, self.ends[min(span.end, size) - 1] if span.end > span.start and size else start)

    def place(self, offset: int) -> tuple[int, int]:
        """The cell number (1-based, counting every cell, markdown too) and the line in that cell (1-based) of
        an offset into the JSON text that lies in a code cell."""
        at = max(0, bisect.bisect_right(self.starts, offset) - 1)
        index = max(0, bisect.bisect_right(self.cell_starts, at) - 1)
        return self.cell_numbers[index], self.code.count("\n", self.cell_starts[index], at) + 1

    def where(self, offset: int) -> str:
        cell, line = self.place(offset)
        return f"cell {cell}, line {line}"


def read_notebook(text: str) -> Notebook:
    """The code cells of a notebook (nbformat 4); raises NotebookError for anything else."""
    start = 1 if text.startswith(BYTE_ORDER_MARK) else 0
    decoder = _decoder()
    try:
        document, end = decoder.raw_decode(text, WHITESPACE.match(text, start).end())
        after = WHITESPACE.match(text, end).end()
        if after != len(text):
            raise json.JSONDecodeError("Extra data", text, after)
    except json.JSONDecodeError as error:
        raise NotebookError(f"not a Jupyter notebook: invalid JSON: {error.msg} "
                            f"(line {error.lineno}, column {error.colno})", error.pos) from None
    except RecursionError:
        raise NotebookError("not a Jupyter notebook: the JSON is nested too deeply") from None
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list):
        raise NotebookError('not a Jupyter notebook (nbformat 4): there is no "cells" list')
    code: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    cell_starts: list[int] = []
    cell_numbers: list[int] = []
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        if cell_starts:  # the newline between cells
            code.append("\n")
            end = ends[-1] if ends else 0
            starts.append(end)
            ends.append(end)
        cell_starts.append(len(starts))
        cell_numbers.append(number)
        for part in _source_parts(number, cell):
            code.append(part)
            part_starts, part_ends = character_places(text, part)
            starts.extend(part_starts)
            ends.extend(part_ends)
    return Notebook("".join(code), tuple(starts), tuple(ends), tuple(cell_starts), tuple(cell_numbers))


def analyze_notebook(engine: Engine, text: str, settings: Settings, should_cancel: Callable[[], bool] | None,
                     detail: bool) -> DocumentAnalysis:
    """The analysis of a notebook's code cells, at positions in the JSON text, each diagnostic saying its cell
    and line. It is for checking: references and fixes are left out (a fix's text would need JSON escapes, and
    nothing edits notebooks through it)."""
    try:
        notebook = read_notebook(text)
    except NotebookError as error:
        span = Span(min(error.offset, len(text)), min(error.offset + 1, len(text)))
        diagnostic = Diagnostic(span, Severity.ERROR, Code.PARSE_ERROR, str(error))
        return DocumentAnalysis(LANGUAGE, text, (Statement(StatementKind.INVALID, span, text[span.start:span.end],
                                                           diagnostics=(diagnostic,)),))
    code = engine.analyze(notebook.code, "python", settings, should_cancel, detail)
    return DocumentAnalysis(LANGUAGE, text, tuple(_in_json(notebook, s) for s in code.statements), code.reused)


def _in_json(notebook: Notebook, statement: Statement) -> Statement:
    def moved(span: Span | None) -> Span | None:
        return None if span is None else notebook.json_span(span)

    def located(item: Any) -> Any:  # a Diagnostic or a Related
        span = notebook.json_span(item.span)
        return replace(item, span=span, message=f"{notebook.where(span.start)}: {item.message}")

    return replace(statement, span=notebook.json_span(statement.span), name_span=moved(statement.name_span),
                   formula_span=moved(statement.formula_span), references=(), fixes=(),
                   diagnostics=tuple(replace(located(d), related=tuple(map(located, d.related)))
                                     for d in statement.diagnostics))
