"""LSP positions <-> Python string offsets, in one place.

A Position is (line, character). Lines end at "\\n", "\\r\\n" or "\\r" and nowhere else (not at the other breaks
`str.splitlines` knows). `character` counts code units of the negotiated encoding: UTF-16 by default (𝑥 is 2
units, σ and a tab 1), UTF-8 (𝑥 is 4, σ 2), UTF-32 (code points, the same as Python string indices).
Out-of-range positions are clamped: past a line's end means the line's end, past the last line means the end of
the text. A unit count that falls inside a character means that character's start. Lines themselves are counted
by neurogebra.analysis.lines, as the analysis counts them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from lsprotocol.types import (
    Position,
    PositionEncodingKind,
    Range,
    TextDocumentContentChangeEvent,
    TextDocumentContentChangePartial,
)

from neurogebra.analysis.lines import CODECS, code_units, end_of_line, line_col, line_starts
from neurogebra.analysis.model import Span

UTF8 = PositionEncodingKind.Utf8.value
UTF16 = PositionEncodingKind.Utf16.value
UTF32 = PositionEncodingKind.Utf32.value


def choose_encoding(offered: Sequence[str] | None) -> str:
    """UTF-8 whenever the client offers it (the cheapest to convert), else the protocol's default UTF-16."""
    return UTF8 if offered and UTF8 in offered else UTF16


def index_of_units(line: str, count: int, encoding: str) -> int:
    """The Python index in `line` that `count` code units from its start point at (clamped to the line)."""
    count = max(0, count)
    if encoding == UTF32 or line.isascii():
        return min(count, len(line))
    codec, width = CODECS[encoding]
    data = line.encode(codec, "surrogatepass")
    cut = min(count * width, len(data))
    while True:
        try:
            prefix = data[:cut].decode(codec, "surrogatepass")
            break
        except UnicodeDecodeError:  # the cut splits a UTF-8 sequence: step back to the character's start
            cut -= 1
    index = len(prefix)
    if index and prefix[-1] != line[index - 1]:  # half of a UTF-16 surrogate pair decoded on its own
        index -= 1
    return index


@dataclass(frozen=True)
class LineIndex:
    """Where each line of a text starts, for converting positions in one encoding."""

    text: str
    encoding: str
    starts: tuple[int, ...]

    @classmethod
    def of(cls, text: str, encoding: str = UTF16) -> LineIndex:
        return cls(text, encoding, tuple(line_starts(text)))

    def line_end(self, line: int) -> int:
        """The offset where `line`'s content ends (before its line break)."""
        return end_of_line(self.text, self.starts, line)

    def offset(self, position: Position) -> int:
        line = position.line
        if line >= len(self.starts):
            return len(self.text)
        start = self.starts[line]
        return start + index_of_units(self.text[start:self.line_end(line)], position.character, self.encoding)

    def position(self, offset: int) -> Position:
        offset = min(max(0, offset), len(self.text))
        line, _ = line_col(self.starts, offset)
        start = self.starts[line]
        offset = min(offset, self.line_end(line))
        return Position(line=line, character=code_units(self.text[start:offset], self.encoding))

    def range(self, span: Span) -> Range:
        return Range(start=self.position(span.start), end=self.position(span.end))

    def span(self, range_: Range) -> Span:
        start, end = self.offset(range_.start), self.offset(range_.end)
        return Span(min(start, end), max(start, end))


def apply_change(text: str, change: TextDocumentContentChangeEvent, encoding: str) -> str:
    """The text after one didChange content change (a whole-text replacement or an edit of a range)."""
    if not isinstance(change, TextDocumentContentChangePartial):
        return change.text
    span = LineIndex.of(text, encoding).span(change.range)
    return text[:span.start] + change.text + text[span.end:]
