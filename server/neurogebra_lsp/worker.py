"""The analysis worker process (what crosses between it and the server is in protocol.py).

A worker is `python -c WORKER_COMMAND <socket fd>`, a plain child process of the server's interpreter talking over
an inherited socket: no multiprocessing start method, so no resource-tracker process beside it. It keeps one
Engine (so its caches persist) and analyzes one job at a time: first the fast pass, whose diagnostics it sends at
once, then the details hovers need. While the engine polls `should_cancel` between statements, the worker reads
the server's cancel notes and says it is alive at least every BEAT_S; before work on the whole document (parsing
it for each pass, packing the results) it asks for time in proportion to the document's size. On a retry it names
each statement before computing it. The server's side is pool.py; this module imports nothing the worker does not
need (no asyncio).
"""
from __future__ import annotations

import contextlib
import ctypes
import importlib
import os
import signal
import sys
import time
import traceback
from multiprocessing.connection import Connection
from typing import Any, Callable, Iterator, Protocol

from neurogebra.analysis.budget import Cancelled
from neurogebra.analysis.model import DocumentAnalysis, Focus, Settings, Span
from neurogebra_lsp.protocol import (
    BIG_DOCUMENT_LINES,
    Beat,
    Cancel,
    Computing,
    Diagnosed,
    Done,
    Failed,
    PackedAnalysis,
    Ready,
    Reply,
    Start,
    Stopped,
)

BEAT_S = 0.5  # the longest a busy worker goes without saying it is alive
WHOLE_DOCUMENT_S_PER_CHARACTER = 1e-5  # allowed for parsing or packing a whole document (10 s a megabyte)
PR_SET_PDEATHSIG = 1  # prctl(2)
WORKER_COMMAND = "from neurogebra_lsp.worker import serve; serve()"
# For fault-injection tests only, never set otherwise: seconds a worker sleeps before computing each statement, and
# the text of a statement on which it kills itself.
TEST_DELAY_ENV = "NEUROGEBRA_TEST_WORKER_DELAY_S"
TEST_DIES_ON_ENV = "NEUROGEBRA_TEST_WORKER_DIES_ON"
# Imported on first use by Add.flatten, relationals, exp's eval, np.unique(axis=...) and the samplers: a worker
# imports them while the server is still starting, before its first document arrives.
FIRST_USE_IMPORTS = ("sympy.tensor.tensor", "sympy.assumptions.wrapper", "sympy.sets.setexpr", "sympy.physics.units",
                     "numpy.ma", "numpy.random", "neurogebra.analysis.python.run")


class Analyzer(Protocol):
    def analyze(self, text: str, language: str, settings: Settings,
                should_cancel: Callable[[], bool] | None = None, detail: bool = True,
                focus: Focus | None = None) -> DocumentAnalysis: ...


def engine() -> Analyzer:
    """The analyzer of a real worker: SymPy is imported here, in the worker process, never in the server's, with
    what SymPy and NumPy would otherwise import during the first analysis."""
    from neurogebra.analysis.engine import Engine

    for module in FIRST_USE_IMPORTS:
        with contextlib.suppress(ImportError):
            importlib.import_module(module)
    return Engine()


class ServerGone(BaseException):
    """The server's end of the socket closed: nobody is left to answer (a BaseException, so that no handler of
    analysis errors on the way up mistakes it for one)."""


class Channel:
    """The worker's end of the socket: what it cannot do raises ServerGone."""

    def __init__(self, descriptor: int) -> None:
        self._conn = Connection(descriptor)

    def send(self, message: object) -> None:
        self._checked(self._conn.send, message)

    def recv(self) -> Any:
        return self._checked(self._conn.recv)

    def poll(self) -> bool:
        return self._checked(self._conn.poll)

    @staticmethod
    def _checked(operation: Callable, *args: object) -> Any:
        try:
            return operation(*args)
        except (EOFError, OSError) as exc:
            raise ServerGone() from exc


def die_with_the_server() -> None:
    """On Linux the kernel kills the worker when the server dies, even in a statement stuck inside one C call
    (elsewhere a worker notices at its next poll, when the socket is closed)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == 1:  # the server died before that took effect
            sys.exit(0)


def serve() -> None:
    """A worker process, started by Worker with its socket's descriptor: analyze jobs until the server's end of
    the socket closes."""
    die_with_the_server()
    channel = Channel(int(sys.argv[1]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    faults = injected_faults()
    try:
        sys.path[:] = channel.recv()  # the server's, so that the analyzer factory unpickles as it pickled
        analyzer = channel.recv()()
        channel.send(Ready())
        while True:
            message = channel.recv()
            if isinstance(message, Start):  # otherwise the cancel note of a job that already ended
                channel.send(analyze(channel, analyzer, message, statement_watch(channel, message, faults)))
    except ServerGone:
        return


def analyze(channel: Channel, analyzer: Analyzer, start: Start, computing: Callable[[int, str], None] | None,
            ) -> Reply:
    """One job: first every diagnostic (the fast pass), then the details hovers need; `computing` is told each
    statement before it is computed. The reply to send."""
    job_id, job = start.job_id, start.job
    whole_document_s = len(job.text) * WHOLE_DOCUMENT_S_PER_CHARACTER
    beat_due = time.monotonic() + BEAT_S
    cancelled = False

    def should_cancel() -> bool:
        nonlocal beat_due, cancelled
        if time.monotonic() >= beat_due:
            channel.send(Beat(job_id))
            beat_due = time.monotonic() + BEAT_S
        while channel.poll():
            note = channel.recv()
            cancelled = cancelled or note == Cancel(job_id)
        return cancelled

    def analyzed(detail: bool, focus: Focus | None = None) -> DocumentAnalysis:
        channel.send(Beat(job_id, whole_document_s))  # the document is parsed whole before its first statement
        with told_of_statements(computing):
            return analyzer.analyze(job.text, job.language, job.settings, should_cancel, detail, focus)

    def diagnosed(analysis: DocumentAnalysis, complete: bool = True) -> Diagnosed:
        statements = PackedAnalysis(analysis) if job.text.count("\n") >= BIG_DOCUMENT_LINES else None
        return Diagnosed(job_id, analysis.diagnostics_only(), statements, complete)

    try:
        focus = Focus(Span(*job.focus), lambda part: channel.send(diagnosed(part, complete=False))) \
            if job.focus is not None else None
        fast = analyzed(detail=False, focus=focus)
        channel.send(Beat(job_id, whole_document_s))  # for gathering and pickling every diagnostic
        channel.send(diagnosed(fast))
        del fast  # not held while the details are computed
        detailed = analyzed(detail=True)
        channel.send(Beat(job_id, whole_document_s))  # for packing
        return Done(job_id, PackedAnalysis(detailed))
    except Cancelled:
        return Stopped(job_id)
    except Exception as exc:
        return Failed(job_id, traceback.format_exception_only(type(exc), exc)[-1].strip(), traceback.format_exc())


def statement_watch(channel: Channel, start: Start, faults: Callable[[int, str], None] | None,
                    ) -> Callable[[int, str], None] | None:
    """What to do before computing a statement of this job (given its offset and text): name it to the server
    when the job asks, and inject the faults a test asked for."""
    if not start.report_statements:
        return faults

    def computing(at: int, source: str) -> None:
        channel.send(Computing(start.job_id, at, source))
        if faults is not None:
            faults(at, source)
    return computing


@contextlib.contextmanager
def told_of_statements(computing: Callable[[int, str], None] | None) -> Iterator[None]:
    if computing is None:
        yield
        return
    from neurogebra.analysis.run import DocumentRun  # only here: the server imports this module, never SymPy

    DocumentRun.computing = computing
    try:
        yield
    finally:
        DocumentRun.computing = None


def injected_faults() -> Callable[[int, str], None] | None:
    """The faults a test asks of this worker through its environment, as what to do before each statement."""
    delay_s = float(os.environ.get(TEST_DELAY_ENV, "0"))
    dies_on = os.environ.get(TEST_DIES_ON_ENV)
    if not delay_s and not dies_on:
        return None

    def inject(at: int, source: str) -> None:
        time.sleep(delay_s)
        if dies_on and dies_on in source:
            os.kill(os.getpid(), signal.SIGKILL)
    return inject
