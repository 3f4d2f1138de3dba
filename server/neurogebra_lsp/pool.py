"""Analysis off the event loop, in a few worker processes (worker.py) that each keep one Engine.

Jobs carry a key (the document's uri). A newer job for a key supersedes the queued one and cancels the running one:
the engine polls `should_cancel` between statements, and the worker then reads the server's cancel notes. What
goes to a worker is sent by a thread of its own, so a worker that stops reading holds up only that thread.

A worker says it is alive every BEAT_S while it works, and asks for time before work on the whole document. One
silent for longer than that (a statement stuck where the budget's alarm cannot reach, such as inside one C call) is
killed and restarted, as is one that dies, and one seen stopped (SIGSTOP) for GRACE_S; its job is lost. A lost job
that the worker never began goes to another worker; one that it began is tried once more, with the worker naming
each statement before computing it. Lost again, the job ends with the fast pass's diagnostics, if one came, and one
diagnostic on the statement that was running.
"""
from __future__ import annotations

import asyncio
import itertools
import logging
import os
import pathlib
import queue
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
from neurogebra_lsp.protocol import (
    Beat,
    Cancel,
    Computing,
    Diagnosed,
    Done,
    Failed,
    Job,
    PackedAnalysis,
    Ready,
    Start,
    Stopped,
)
from neurogebra_lsp.worker import WORKER_COMMAND, Analyzer, engine

logger = logging.getLogger(__name__)
GRACE_S = 3.0  # silence allowed beyond a statement's budget; and for an idle worker to take up a job
STARTUP_S = 60.0  # a fresh worker imports SymPy before it can answer
STOPPED_POLL_S = 1.0  # how often a worker that says nothing is looked at for being stopped
READY_POLL_S = 0.02  # how often queued jobs look for a starting worker that has become ready
RETRIES = 1  # for a job lost after its worker began it
UNSTARTED_RETRIES = 2  # for a job lost before its worker began it
SYMPY_CACHE_SIZE = "250"  # entries per cached SymPy function in a worker (SymPy's default, 1000, costs 6 MB more)


class Superseded(Exception):
    """A newer job for the same document replaced this one (or the document closed)."""


class AnalysisFailed(Exception):
    """The analysis raised."""


@dataclass(frozen=True)
class Lost:
    """A job's worker went silent for `silent_s` seconds (busy, or `stopped`), or else died (`exit_code`, None when
    unknown), and was restarted."""

    began: bool                         # the worker had said something about the job
    statement: tuple[int, str] | None   # the offset and text of the statement it was computing, when it said
    silent_s: float | None = None
    exit_code: int | None = None
    stopped: bool = False   # silent because the process was stopped (SIGSTOP), not busy

    def __str__(self) -> str:
        if self.stopped:
            return f"was stopped for {self.silent_s:.0f} s"
        if self.silent_s is not None:
            return f"made no progress for {self.silent_s:.0f} s"
        return f"died (exit code {self.exit_code})"


Outcome = Done | Stopped | Failed | Lost


class Link:
    """One worker process and its socket. Replies are read by the thread that runs the job; what goes to the
    process is queued here and sent by a writer thread of the link's own."""

    def __init__(self, index: int, analyzer_factory: Callable[[], Analyzer]) -> None:
        server_end, worker_end = socket.socketpair()
        with worker_end:
            self.process = subprocess.Popen(
                [sys.executable, "-c", WORKER_COMMAND, str(worker_end.fileno())], pass_fds=(worker_end.fileno(),),
                stdin=subprocess.DEVNULL, stdout=2,  # stdout carries the protocol in the server; never here
                env={**os.environ, "SYMPY_CACHE_SIZE": os.environ.get("SYMPY_CACHE_SIZE", SYMPY_CACHE_SIZE)})
        self.answered = False  # whether the process has said anything yet (until then it is importing SymPy)
        self.started = time.monotonic()
        self._stopped_since: float | None = None
        self.replies = Connection(os.dup(server_end.fileno()))
        self._outbox: queue.SimpleQueue[object] = queue.SimpleQueue()
        threading.Thread(target=_write, args=(Connection(server_end.detach()), self._outbox), daemon=True,
                         name=f"neurogebra-worker-{index}-writer").start()
        self.send(list(sys.path))
        self.send(analyzer_factory)

    def stopped_for(self) -> float:
        """How long the process has been seen stopped (SIGSTOP, or a debugger's stop), 0 while it runs (or where
        /proc cannot tell): a stopped worker is found in GRACE_S, not after its statement's whole budget."""
        try:
            state = pathlib.Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            state = ""
        if state not in ("T", "t"):
            self._stopped_since = None
            return 0.0
        now = time.monotonic()
        self._stopped_since = self._stopped_since or now
        return now - self._stopped_since

    def send(self, message: object) -> None:
        """Queue a message for the process; never blocks."""
        self._outbox.put(message)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._outbox.put(None)
        self.replies.close()


def _write(connection: Connection, outbox: queue.SimpleQueue) -> None:
    """A link's writer thread: send what is queued until None comes or the process is gone."""
    with connection:
        while (message := outbox.get()) is not None:
            try:
                connection.send(message)
            except OSError:
                return  # the process is gone; the thread running its job sees that and restarts it


class Worker:
    """One worker slot: its current process, and the blocking job loop (run from a thread, never the event loop)."""

    def __init__(self, index: int, analyzer_factory: Callable[[], Analyzer]) -> None:
        self.index = index
        self._analyzer_factory = analyzer_factory
        self._replacing = threading.Lock()  # a close on the event loop against a restart on the job's thread
        self.closed = False
        self._link = Link(index, analyzer_factory)

    def ready(self) -> bool:
        """Whether the process can take a job at once: it has said it is (after importing SymPy), or it has been
        starting for over STARTUP_S, which its next job finds out about. Asked of an idle worker only (no thread
        is reading its replies)."""
        link = self._link
        if not link.answered:
            link.answered = link.replies.poll(0) or time.monotonic() - link.started > STARTUP_S
        return link.answered

    def restart(self) -> None:
        with self._replacing:
            self._link.stop()
            if not self.closed:
                self._link = Link(self.index, self._analyzer_factory)

    def stop(self) -> None:
        with self._replacing:
            self.closed = True
            self._link.stop()

    def cancel(self, job_id: int) -> None:
        """Ask the running job `job_id` to stop at its next statement (a note it ignores if it already ended)."""
        self._link.send(Cancel(job_id))

    def run(self, job_id: int, job: Job, report_statements: bool, diagnosed: Callable[[Diagnosed], None],
            ) -> Outcome:
        """How the job ended (Stopped also when the pool closes); the fast pass (and its focus's) goes to
        `diagnosed` on the way."""
        if self._link.process.poll() is not None:
            logger.error("worker %d died while idle (exit code %s); restarting it",
                         self.index, self._link.process.returncode)
            self.restart()
        link = self._link
        link.send(Start(job_id, job, report_statements))
        limit = GRACE_S if link.answered else STARTUP_S  # until the job's first sign of life
        deadline = time.monotonic() + limit
        began, statement = False, None
        try:
            while (remaining := deadline - time.monotonic()) > 0:
                if not link.replies.poll(min(remaining, STOPPED_POLL_S)):
                    if (stopped_s := link.stopped_for()) > GRACE_S:
                        return self._lost(job, Lost(began, statement, silent_s=stopped_s, stopped=True))
                    continue
                reply = link.replies.recv()
                link.answered = True
                if isinstance(reply, Ready) or reply.job_id != job_id:
                    continue
                began = True
                limit = job.settings.time_budget_ms / 1000 + GRACE_S + (reply.extra_s if isinstance(reply, Beat)
                                                                        else 0.0)
                deadline = time.monotonic() + limit
                if isinstance(reply, Computing):
                    statement = reply.start, reply.source
                elif isinstance(reply, Diagnosed):
                    diagnosed(reply)
                elif not isinstance(reply, Beat):
                    return reply
        except (EOFError, OSError):
            if self.closed:
                return Stopped(job_id)
            try:
                exit_code = link.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                exit_code = None
            return self._lost(job, Lost(began, statement, exit_code=exit_code))
        return self._lost(job, Lost(began, statement, silent_s=limit))

    def _lost(self, job: Job, lost: Lost) -> Lost:
        logger.error("worker %d %s on %s (version %d)%s; restarting it", self.index, lost, job.key, job.version,
                     "" if lost.began else " before it began the job")
        self.restart()
        return lost


@dataclass
class _Pending:
    id: int
    job: Job
    future: asyncio.Future[PackedAnalysis]
    cancelled: bool = False
    retries: int = 0
    unstarted_retries: int = 0
    avoid: int | None = None  # the worker that lost it
    fast_pass: DocumentAnalysis | None = None


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
        self.on_diagnostics: Callable[[Job, Diagnosed], None] | None = None  # the fast pass of a job
        self._ready_poll: asyncio.TimerHandle | None = None

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
                pending.cancelled = True
                self._workers[index].cancel(pending.id)

    def forget(self, key: str) -> None:
        self.cancel(key)
        self._home.pop(key, None)

    def close(self) -> None:
        self.closed = True
        if self._ready_poll is not None:
            self._ready_poll.cancel()
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
        """Queued jobs to idle workers that are ready: a job waits for a busy worker to finish rather than for a
        starting one to import SymPy (looked at again every READY_POLL_S while one is starting)."""
        for pending in list(self._queue):
            if len(self._running) == len(self._workers):
                self._start_the_others()  # more work than the started workers can take
            idle = [w for w in self._workers if w.index not in self._running]
            ready = [w for w in idle if w.ready()]
            if len(ready) < len(idle) and self._ready_poll is None:
                self._ready_poll = asyncio.get_running_loop().call_later(READY_POLL_S, self._poll_ready)
            idle = ready
            if not idle:
                return
            worker = self._worker_for(pending, idle)
            if worker is None:
                continue
            self._queue.remove(pending)
            self._running[worker.index] = pending
            self._home[pending.job.key] = worker.index
            task = asyncio.ensure_future(self._run(worker, pending))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _poll_ready(self) -> None:
        self._ready_poll = None
        if not self.closed:
            self._dispatch()

    def _worker_for(self, pending: _Pending, idle: list[Worker]) -> Worker | None:
        """The document's home worker when idle; None while home winds down the document's previous job;
        otherwise the idle worker that is home to the fewest documents, and not the one that lost this job."""
        home = self._home.get(pending.job.key)
        if home is not None and home != pending.avoid:
            if home not in self._running:
                return self._workers[home]
            if self._running[home].job.key == pending.job.key:
                return None
        homes = Counter(self._home.values())
        return min(idle, key=lambda w: (w.index == pending.avoid, homes[w.index]))

    async def _run(self, worker: Worker, pending: _Pending) -> None:
        job = pending.job
        loop = asyncio.get_running_loop()

        def diagnosed(message: Diagnosed) -> None:  # called on the worker's thread
            loop.call_soon_threadsafe(self._diagnosed, pending, message)

        try:
            outcome = await loop.run_in_executor(self._threads, worker.run, pending.id, job,
                                                 pending.retries > 0, diagnosed)
        except Exception as exc:
            outcome = Failed(pending.id, repr(exc), traceback.format_exc())
        finally:
            del self._running[worker.index]
            self._start_the_others()
        if not (isinstance(outcome, Lost) and self._retried(pending, worker, outcome)):
            self._end(pending, outcome)
        self._dispatch()

    def _end(self, pending: _Pending, outcome: Outcome) -> None:
        if isinstance(outcome, Done):
            _settle(pending.future, result=outcome.packed)
        elif isinstance(outcome, Stopped) or pending.cancelled or self.closed:
            _settle(pending.future, exception=Superseded())
        elif isinstance(outcome, Lost):
            self._give_up(pending, outcome)
        else:
            logger.error("analysis of %s (version %d) failed:\n%s", pending.job.key, pending.job.version,
                         outcome.traceback)
            _settle(pending.future, exception=AnalysisFailed(outcome.error))

    def _retried(self, pending: _Pending, worker: Worker, lost: Lost) -> bool:
        """Whether the lost job goes back to the front of the queue, for another worker when there is one."""
        if pending.cancelled or self.closed:
            return False
        if lost.began:
            pending.retries += 1
        else:
            pending.unstarted_retries += 1
        if pending.retries > RETRIES or pending.unstarted_retries > UNSTARTED_RETRIES:
            return False
        pending.avoid = worker.index
        self._queue.insert(0, pending)
        return True

    def _give_up(self, pending: _Pending, lost: Lost) -> None:
        """End a job lost once too often with what came of it: the fast pass, and a diagnostic on the statement."""
        analysis = lost_analysis(pending.job, pending.fast_pass, lost)
        if pending.fast_pass is not None and self.on_diagnostics is not None:  # published: publish again
            self.on_diagnostics(pending.job, Diagnosed(pending.id, analysis.diagnostics_only()))
        _settle(pending.future, result=PackedAnalysis(analysis))

    def _diagnosed(self, pending: _Pending, message: Diagnosed) -> None:
        if message.complete:
            self._start_the_others()
            pending.fast_pass = message.analysis
        if not pending.future.done() and self.on_diagnostics is not None:
            self.on_diagnostics(pending.job, message)


def lost_analysis(job: Job, fast_pass: DocumentAnalysis | None, lost: Lost) -> DocumentAnalysis:
    """What a document whose analysis was lost twice shows: the fast pass's diagnostics if one came, and one on the
    statement that was running (on the first line when the worker did not say which)."""
    span = _span_of(job.text, lost.statement)
    if lost.stopped:
        diagnostic = Diagnostic(span, Severity.WARNING, Code.EVALUATION_ERROR, (
            "analysis stopped: the analysis process was stopped (by a signal or a debugger) while on this statement, "
            "twice; the next edit tries again"))
    elif lost.silent_s is not None:
        diagnostic = Diagnostic(span, Severity.WARNING, Code.TOO_COMPLEX, (
            f"analysis stopped: this statement made no progress for {lost.silent_s:.0f} s; "
            "simplify it, or raise neurogebra.analysis.timeBudgetMs"))
    else:
        diagnostic = Diagnostic(span, Severity.ERROR, Code.EVALUATION_ERROR, (
            f"the analysis of this statement crashed the analysis process twice (exit code {lost.exit_code}) and "
            "was skipped; the next edit tries again"))
    crashed = Statement(StatementKind.INVALID, span, job.text[span.start:span.end], diagnostics=(diagnostic,))
    kept = fast_pass.statements if fast_pass is not None else ()
    return DocumentAnalysis(job.language, job.text, tuple(sorted((*kept, crashed), key=lambda s: s.span.start)))


def _span_of(text: str, statement: tuple[int, str] | None) -> Span:
    """Where the statement is (the first line when unknown, or when the worker's offsets are not into `text`, as a
    notebook's are into its code)."""
    if statement is not None:
        start, source = statement
        if text.startswith(source, start):
            return Span(start, start + len(source))
    return Span(0, len(text.split("\n", 1)[0].rstrip("\r")))


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
