"""What crosses the socket between the server (pool.py) and a worker process (worker.py), as typed messages.

A worker first reads the server's `sys.path` (a list) and then its analyzer factory, so that the factory unpickles
as it pickled, and says `Ready` once it has made its analyzer (imported SymPy); after that the server sends `Start`
and `Cancel`, and the worker answers each job with `Beat`s, one `Diagnosed` (the fast pass; before it, one of the
job's focus alone if it has one) and one end: `Done`, `Stopped` or `Failed`; on a retry
(`Start.report_statements`) also a `Computing` before each statement it computes (its offset and text), so that a
statement that kills the worker can be named. Every message but `Ready` names its job, so that a late reply or
cancel note of a job that already ended is recognised and ignored.
This module imports nothing the worker does not need (no asyncio, no pygls).
"""
from __future__ import annotations

import pickle
import zlib
from dataclasses import dataclass

from neurogebra.analysis.model import DocumentAnalysis, Settings

BIG_DOCUMENT_LINES = 500  # beyond this, requests answer from the fast pass rather than wait minutes for details


@dataclass(frozen=True)
class Job:
    key: str  # the document's uri (a file the workspace check reads has a key of its own)
    version: int
    language: str
    text: str
    settings: Settings
    focus: tuple[int, int] | None = None  # offsets of the part to analyze first: what a document opened cold shows


class PackedAnalysis:
    """A finished analysis as it crosses from the worker: pickled and compressed (a 500-line document's analysis
    is about 2 MB as objects, 65 kB packed). The server holds one per open document and unpacks on use."""

    def __init__(self, analysis: DocumentAnalysis) -> None:
        self.data = zlib.compress(pickle.dumps(analysis, pickle.HIGHEST_PROTOCOL), 1)
        self._analysis: DocumentAnalysis | None = None

    def __getstate__(self) -> bytes:
        return self.data

    def __setstate__(self, data: bytes) -> None:
        self.data, self._analysis = data, None

    def unpack(self) -> DocumentAnalysis:
        if self._analysis is None:
            self._analysis = pickle.loads(zlib.decompress(self.data))
        return self._analysis

    def drop(self) -> None:
        """Free the unpacked objects; the next `unpack` rebuilds them."""
        self._analysis = None


@dataclass(frozen=True)
class Start:
    """Server -> worker: analyze `job`; with `report_statements`, say which statement before computing each."""

    job_id: int
    job: Job
    report_statements: bool = False


@dataclass(frozen=True)
class Cancel:
    """Server -> worker: stop job `job_id` at its next statement (ignored if it already ended)."""

    job_id: int


@dataclass(frozen=True)
class Ready:
    """Worker -> server, once: SymPy is imported; jobs are taken at once from now on."""


@dataclass(frozen=True)
class Beat:
    """Worker -> server: still working; allow `extra_s` more than usual before the next sign of life."""

    job_id: int
    extra_s: float = 0.0


@dataclass(frozen=True)
class Computing:
    """Worker -> server: about to compute the statement at document offset `start` whose text is `source` (only
    when the job asked)."""

    job_id: int
    start: int
    source: str


@dataclass(frozen=True)
class Diagnosed:
    """Worker -> server: the fast pass, every diagnostic of the job (`analysis`: the statements that have
    diagnostics), before the details hovers need; `statements` packs the pass's statements in full, for the
    requests of a big document that cannot wait for its details. With `complete` False, only the job's focus
    (sent first, before the rest of the fast pass)."""

    job_id: int
    analysis: DocumentAnalysis
    statements: PackedAnalysis | None = None
    complete: bool = True


@dataclass(frozen=True)
class Done:
    """Worker -> server: the job's whole analysis."""

    job_id: int
    packed: PackedAnalysis


@dataclass(frozen=True)
class Stopped:
    """Worker -> server: the job stopped when it was cancelled."""

    job_id: int


@dataclass(frozen=True)
class Failed:
    """Worker -> server: the analysis raised `error` ("ValueError: ..."), with its traceback for the log."""

    job_id: int
    error: str
    traceback: str


Reply = Ready | Beat | Computing | Diagnosed | Done | Stopped | Failed
