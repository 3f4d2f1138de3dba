"""Analysis off the event loop, in a few worker processes (worker.py) that each keep one Engine.

Jobs carry a key (the document's uri). A newer job for a key supersedes the queued one and cancels the running one:
the engine polls `should_cancel` between statements, and the worker then reads the server's cancel notes. A busy
worker also says it is alive every BEAT_S. A worker silent for longer than the time budget plus GRACE_S (a
statement stuck where the budget's alarm cannot reach, such as inside one C call) is killed and restarted, and the
document gets a too-complex diagnostic instead. A worker that dies is logged and restarted; its job fails with
AnalysisFailed.
"""
from __future__ import annotations

import asyncio
import itertools
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Callable

from neurogebra.analysis.model import Code, Diagnostic, DocumentAnalysis, Severity, Span, Statement, StatementKind
from neurogebra_lsp.protocol import Beat, Cancel, Diagnosed, Done, Failed, Job, PackedAnalysis, Start, Stopped
from neurogebra_lsp.worker import WORKER_COMMAND, Analyzer, engine

logger = logging.getLogger(__name__)
GRACE_S = 3.0
STARTUP_S = 60.0  # a fresh worker imports SymPy before it can answer
SYMPY_CACHE_SIZE = "250"  # entries per cached SymPy function in a worker (SymPy's default, 1000, costs 6 MB more)


class Superseded(Exception):
    """A newer job for the same document replaced this one (or the document closed)."""


class AnalysisFailed(Exception):
    """The analysis raised, or its worker process died."""


@dataclass(frozen=True)
class Stuck:
    """A job's worker went silent for `seconds` and was restarted."""

    seconds: float


@dataclass(frozen=True)
class Crashed:
    """A job's worker died (`exit_code`, None when unknown) and was restarted."""

    exit_code: int | None


Outcome = Done | Stopped | Failed | Stuck | Crashed


class Worker:
    """One worker process and the blocking calls that drive it (made from a thread, never the event loop)."""

    def __init__(self, index: int, analyzer_factory: Callable[[], Analyzer]) -> None:
        self.index = index
        self._analyzer_factory = analyzer_factory
        self._sending = threading.Lock()
        self.closed = False
        self._start()

    def _start(self) -> None:
        server_end, worker_end = socket.socketpair()
        with worker_end:
            self.process = subprocess.Popen(
                [sys.executable, "-c", WORKER_COMMAND, str(worker_end.fileno())], pass_fds=(worker_end.fileno(),),
                stdin=subprocess.DEVNULL, stdout=2,  # stdout carries the protocol in the server; never here
                env={**os.environ, "SYMPY_CACHE_SIZE": os.environ.get("SYMPY_CACHE_SIZE", SYMPY_CACHE_SIZE)})
        self._conn = Connection(server_end.detach())
        self._send(list(sys.path))
        self._send(self._analyzer_factory)

    def _send(self, message: object) -> None:
        with self._sending:  # the event loop's cancel notes and this worker's thread share the socket
            self._conn.send(message)

    def restart(self) -> None:
        self.stop()
        self.closed = False
        self._start()

    def stop(self) -> None:
        self.closed = True
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._conn.close()

    def cancel(self, job_id: int) -> None:
        """Ask the running job `job_id` to stop at its next statement (a note it ignores if it already ended)."""
        try:
            self._send(Cancel(job_id))
        except OSError:
            pass  # the worker is gone; its thread sees that and restarts it

    def run(self, job_id: int, job: Job, diagnosed: Callable[[DocumentAnalysis], None]) -> Outcome:
        """How the job ended (Stopped also when the pool closes); the fast pass's analysis goes to `diagnosed` on
        the way."""
        silent_limit = job.settings.time_budget_ms / 1000 + GRACE_S
        if self.process.poll() is not None:
            logger.error("worker %d died while idle (exit code %s); restarting it", self.index, self.process.returncode)
            self.restart()
        limit = STARTUP_S
        deadline = time.monotonic() + limit
        try:
            self._send(Start(job_id, job))
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    logger.error("worker %d: no progress for %.1f s on %s (version %d); restarting it",
                                 self.index, limit, job.key, job.version)
                    self.restart()
                    return Stuck(limit)
                if not self._conn.poll(remaining):
                    continue
                reply = self._conn.recv()
                if reply.job_id != job_id:
                    continue
                if isinstance(reply, Beat):
                    limit = silent_limit + reply.extra_s
                    deadline = time.monotonic() + limit
                elif isinstance(reply, Diagnosed):
                    diagnosed(reply.analysis)
                else:
                    return reply
        except (EOFError, OSError):
            if self.closed:
                return Stopped(job_id)
            try:
                exit_code = self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                exit_code = None
            logger.error("worker %d died (exit code %s) on %s (version %d); restarting it",
                         self.index, exit_code, job.key, job.version)
            self.restart()
            return Crashed(exit_code)


@dataclass
class _Pending:
    id: int
    job: Job
    future: asyncio.Future[PackedAnalysis]


class WorkerPool:
    """Queues jobs for the workers; a job prefers the worker that last analyzed its document (a warm cache)."""

    def __init__(self, size: int = 2, analyzer_factory: Callable[[], Analyzer] | None = None) -> None:
        """The first worker starts at once; the others when the first has diagnosed a document or when there is
        more work than it can take (until then they would compete with the server's start and the first
        analysis)."""
        self._analyzer_factory = analyzer_factory or engine
        self.size = size
        self.closed = False
        self._workers = [Worker(0, self._analyzer_factory)]
        self._threads = ThreadPoolExecutor(max_workers=size, thread_name_prefix="neurogebra-worker")
        self._ids = itertools.count(1)
        self._queue: list[_Pending] = []
        self._running: dict[int, _Pending] = {}
        self._home: dict[str, int] = {}
        self._tasks: set[asyncio.Task] = set()
        self.on_diagnostics: Callable[[Job, DocumentAnalysis], None] | None = None  # the fast pass of a job

    def submit(self, job: Job) -> asyncio.Future[PackedAnalysis]:
        self.cancel(job.key)
        future: asyncio.Future[PackedAnalysis] = asyncio.get_running_loop().create_future()
        future.add_done_callback(_mark_retrieved)
        self._queue.append(_Pending(next(self._ids), job, future))
        self._dispatch()
        return future

    def cancel(self, key: str) -> None:
        """Drop the queued job for `key` and ask its running one to stop."""
        for pending in [p for p in self._queue if p.job.key == key]:
            self._queue.remove(pending)
            _settle(pending.future, exception=Superseded())
        for index, pending in self._running.items():
            if pending.job.key == key:
                self._workers[index].cancel(pending.id)

    def forget(self, key: str) -> None:
        self.cancel(key)
        self._home.pop(key, None)

    def close(self) -> None:
        self.closed = True
        for pending in self._queue:
            _settle(pending.future, exception=Superseded())
        self._queue.clear()
        for worker in self._workers:
            worker.stop()
        self._threads.shutdown(wait=False, cancel_futures=True)

    def _start_the_others(self) -> None:
        while len(self._workers) < self.size and not self.closed:
            self._workers.append(Worker(len(self._workers), self._analyzer_factory))

    def _dispatch(self) -> None:
        for pending in list(self._queue):
            if len(self._running) == len(self._workers):
                self._start_the_others()  # more work than the started workers can take
            idle = [w for w in self._workers if w.index not in self._running]
            if not idle:
                return
            worker = self._worker_for(pending.job.key, idle)
            if worker is None:
                continue
            self._queue.remove(pending)
            self._running[worker.index] = pending
            self._home[pending.job.key] = worker.index
            task = asyncio.ensure_future(self._run(worker, pending))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _worker_for(self, key: str, idle: list[Worker]) -> Worker | None:
        """The document's home worker when idle; None while home winds down the document's previous job;
        otherwise the idle worker that is home to the fewest documents."""
        home = self._home.get(key)
        if home is not None:
            if home not in self._running:
                return self._workers[home]
            if self._running[home].job.key == key:
                return None
        homes = Counter(self._home.values())
        return min(idle, key=lambda w: homes[w.index])

    async def _run(self, worker: Worker, pending: _Pending) -> None:
        job = pending.job
        loop = asyncio.get_running_loop()

        def diagnosed(analysis: DocumentAnalysis) -> None:  # called on the worker's thread
            loop.call_soon_threadsafe(self._diagnosed, pending, analysis)

        try:
            outcome = await loop.run_in_executor(self._threads, worker.run, pending.id, job, diagnosed)
        except Exception as exc:
            outcome = Failed(pending.id, repr(exc), traceback.format_exc())
        finally:
            del self._running[worker.index]
            self._start_the_others()
            self._dispatch()
        if isinstance(outcome, Done):
            _settle(pending.future, result=outcome.packed)
        elif isinstance(outcome, Stopped):
            _settle(pending.future, exception=Superseded())
        elif isinstance(outcome, Stuck):
            _settle(pending.future, result=PackedAnalysis(too_complex(job, outcome.seconds)))
        elif isinstance(outcome, Crashed):
            _settle(pending.future,
                    exception=AnalysisFailed(f"the analysis process died (exit code {outcome.exit_code})"))
        else:
            logger.error("analysis of %s (version %d) failed:\n%s", job.key, job.version, outcome.traceback)
            _settle(pending.future, exception=AnalysisFailed(outcome.error))

    def _diagnosed(self, pending: _Pending, analysis: DocumentAnalysis) -> None:
        self._start_the_others()
        if not pending.future.done() and self.on_diagnostics is not None:
            self.on_diagnostics(pending.job, analysis)


def too_complex(job: Job, seconds: float) -> DocumentAnalysis:
    """What a document whose analysis had to be killed shows: one warning on its first line."""
    first_line = Span(0, len(job.text.split("\n", 1)[0].rstrip("\r")))
    message = (f"analysis stopped: a statement made no progress for {seconds:.0f} s; "
               f"simplify it, or raise neurogebra.analysis.timeBudgetMs")
    diagnostic = Diagnostic(first_line, Severity.WARNING, Code.TOO_COMPLEX, message)
    statement = Statement(StatementKind.INVALID, first_line, job.text[:first_line.end], diagnostics=(diagnostic,))
    return DocumentAnalysis(job.language, job.text, (statement,))


def _settle(future: asyncio.Future, *, result: Any = None, exception: BaseException | None = None) -> None:
    if future.done():
        return
    if exception is not None:
        future.set_exception(exception)
    else:
        future.set_result(result)


def _mark_retrieved(future: asyncio.Future) -> None:
    """Nobody may be waiting for a superseded job; asyncio would warn that its exception was never read."""
    if not future.cancelled():
        future.exception()
