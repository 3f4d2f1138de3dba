"""Open documents as immutable snapshots: what a request or an analysis job sees never changes under it.

A change the server cannot apply (a range on a line past the end of the text, or one that ends before it starts)
means the editor's text is no longer the server's. The snapshot then loses its text: it is out of sync, empty, and
ignores edits of ranges until a change gives the whole text again.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from lsprotocol.types import Location, Position, Range, TextDocumentContentChangeEvent, TextDocumentContentChangePartial

from neurogebra.analysis import language_of
from neurogebra.analysis.model import Span
from neurogebra_lsp.positions import LineIndex, apply_change


@dataclass(frozen=True)
class Snapshot:
    uri: str
    version: int
    language: str  # "ngb" or "python"
    text: str
    lines: LineIndex = field(repr=False, compare=False)
    in_sync: bool = True  # False after a change that could not be applied: the text is unknown (and empty here)

    @classmethod
    def of(cls, uri: str, version: int, language: str, text: str, encoding: str, in_sync: bool = True) -> Snapshot:
        return cls(uri, version, language, text, LineIndex.of(text, encoding), in_sync)

    def changed(self, version: int, changes: Sequence[TextDocumentContentChangeEvent]) -> Snapshot:
        text, in_sync = self.text, self.in_sync
        for change in changes:
            if not isinstance(change, TextDocumentContentChangePartial):
                text, in_sync = change.text, True
            elif in_sync and applicable(self.lines if text is self.text else LineIndex.of(text, self.encoding),
                                        change.range):
                text = apply_change(text, change, self.encoding)
            else:
                text, in_sync = "", False
        return Snapshot.of(self.uri, version, self.language, text, self.encoding, in_sync)

    def lost(self) -> Snapshot:
        """This document after a change that could not even be read (its version unknown)."""
        return Snapshot.of(self.uri, self.version, self.language, "", self.encoding, in_sync=False)

    @property
    def encoding(self) -> str:
        return self.lines.encoding

    def holds(self, span: Span) -> bool:
        """Whether `span` is in this document (a notebook cell holds its own part of its notebook's code only)."""
        return True

    def location(self, span: Span) -> Location:
        """Where `span` is: in this document (for a notebook cell, in whichever cell of its notebook holds it)."""
        return Location(uri=self.uri, range=self.lines.range(span))


def applicable(lines: LineIndex, range_: Range) -> bool:
    """Whether an edit of `range_` fits the text: both ends on its lines (a character past a line's end means the
    line's end, as the protocol says; the start of the line after the last is the text's end, as some clients
    write it) and the end not before the start."""
    return (_in_text(lines, range_.start) and _in_text(lines, range_.end)
            and lines.offset(range_.start) <= lines.offset(range_.end))


def _in_text(lines: LineIndex, position: Position) -> bool:
    return position.line < len(lines.starts) or (position.line == len(lines.starts) and position.character == 0)


def language_for(language_id: str, uri: str) -> str | None:
    """"ngb" for languageId ngb or a *.ngb file, "python" for languageId python, None for anything else."""
    if language_id in ("ngb", "python"):
        return language_id
    return "ngb" if language_of(uri) == "ngb" else None
