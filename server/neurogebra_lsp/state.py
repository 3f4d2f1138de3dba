"""What the server keeps for each open document, and what a request handler reads: its context.

The server owns one DocumentState per open document, made by didOpen and dropped by didClose; nothing else is
kept per document. A handler gets a RequestContext in one call (`await server.context(uri)`): the snapshot it was
asked about, that version's analysis, and the settings and client capabilities of the moment, none of which
change under it.
"""
from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass, field
from enum import Enum, auto
from typing import Any

from lsprotocol import types
from pygls.capabilities import get_capability

from neurogebra.analysis.model import DocumentAnalysis, Settings
from neurogebra_lsp.documents import Snapshot
from neurogebra_lsp.protocol import Job, PackedAnalysis
from neurogebra_lsp.settings import ServerSettings


@dataclass(eq=False)
class AnalysisRun:
    """One analysis of one snapshot of a document (its version and its text) under one set of analysis settings,
    in a worker."""

    snapshot: Snapshot
    job: Job
    future: asyncio.Future[PackedAnalysis]
    fast_pass: DocumentAnalysis | None = None  # every diagnostic, before the whole analysis is done
    partial: DocumentAnalysis | None = None  # the diagnostics of the job's focus, before every diagnostic
    early: PackedAnalysis | None = None  # the statements in full of the latest of those two (a big document's)
    fast_pass_came: asyncio.Event = field(default_factory=asyncio.Event)
    early_came: asyncio.Event = field(default_factory=asyncio.Event)

    def diagnosed(self, analysis: DocumentAnalysis, statements: PackedAnalysis | None, complete: bool) -> None:
        if complete:
            self.fast_pass = analysis
            self.fast_pass_came.set()
        else:
            self.partial = analysis
        if statements is not None:
            self.early = statements
            self.early_came.set()

    async def settled(self, came: asyncio.Event, timeout: float) -> None:
        """Wait until `came` (one of this run's events) is set or the whole analysis is done, at most `timeout`
        seconds."""
        waiting = asyncio.ensure_future(came.wait())
        try:
            await asyncio.wait((waiting, self.future), timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiting.cancel()

    def is_of(self, snapshot: Snapshot, settings: Settings) -> bool:
        """Whether this is the analysis of `snapshot` under `settings`: a version repeated with another text is not."""
        return self.snapshot == snapshot and self.job.settings == settings


@dataclass(eq=False)
class DocumentState:
    """An open document: its current snapshot, the analysis asked for last, the last one that finished (whatever
    its version), and the values its inlay hints showed (to ask the client again when they change)."""

    snapshot: Snapshot
    run: AnalysisRun | None = None
    finished: AnalysisRun | None = None
    inlay_values: tuple[str, ...] | None = None
    cold: bool = True  # no fast pass yet since it was opened: a big document then shows what is in view first
    focus_line: int = 0  # where the user is: the line of the last edit (the top until one)

    def forget_analyses(self) -> None:
        self.run = self.finished = None


class Need(Enum):
    """What a request needs of the analysis, and so what it waits for."""

    DETAILS = auto()  # the whole analysis of the current version
    EARLY = auto()  # for a big document, the fast pass (or its focus's) when the details take over a second
    DIAGNOSTICS = auto()  # the diagnostics of the current version: the fast pass will do
    NAMES = auto()  # the document's names: an older analysis will do when the current one is not ready at once


@dataclass(frozen=True)
class RequestContext:
    """One version of a document with its analysis, and the settings and client capabilities at the time of the
    request. For Need.NAMES the analysis may be of an older text (compare `analysis.text`), or, when none has
    finished in time, of no text at all."""

    snapshot: Snapshot
    analysis: DocumentAnalysis
    settings: ServerSettings
    capabilities: types.ClientCapabilities

    @property
    def encoding(self) -> str:
        return self.snapshot.lines.encoding

    def offset(self, position: types.Position) -> int:
        return self.snapshot.lines.offset(position)

    def capability(self, path: str) -> Any:
        """A client capability by its snake_case path ("text_document.hover.content_format"), None if absent."""
        return get_capability(self.capabilities, path, None)

    def supports(self, path: str) -> bool:
        return bool(self.capability(path))


class Unpacked:
    """The analyses held as objects: those of the `size` documents used last (the others stay packed)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._held: OrderedDict[str, PackedAnalysis] = OrderedDict()

    def unpack(self, uri: str, packed: PackedAnalysis) -> DocumentAnalysis:
        analysis = packed.unpack()
        previous = self._held.pop(uri, None)
        if previous is not None and previous is not packed:
            previous.drop()
        self._held[uri] = packed
        while len(self._held) > self.size:
            self._held.popitem(last=False)[1].drop()
        return analysis

    def forget(self, uri: str) -> None:
        self._held.pop(uri, None)
