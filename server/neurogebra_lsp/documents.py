"""Open documents as immutable snapshots: what a request or an analysis job sees never changes under it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from lsprotocol.types import TextDocumentContentChangeEvent

from neurogebra.analysis import language_of
from neurogebra_lsp.positions import LineIndex, apply_change


@dataclass(frozen=True)
class Snapshot:
    uri: str
    version: int
    language: str  # "ngb" or "python"
    text: str
    lines: LineIndex = field(repr=False, compare=False)

    @classmethod
    def of(cls, uri: str, version: int, language: str, text: str, encoding: str) -> Snapshot:
        return cls(uri, version, language, text, LineIndex.of(text, encoding))

    def changed(self, version: int, changes: Sequence[TextDocumentContentChangeEvent]) -> Snapshot:
        text = self.text
        for change in changes:
            text = apply_change(text, change, self.lines.encoding)
        return Snapshot.of(self.uri, version, self.language, text, self.lines.encoding)


def language_for(language_id: str, uri: str) -> str | None:
    """"ngb" for languageId ngb or a *.ngb file, "python" for languageId python, None for anything else."""
    if language_id in ("ngb", "python"):
        return language_id
    return "ngb" if language_of(uri) == "ngb" else None
