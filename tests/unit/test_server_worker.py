"""pool.py and worker.py: analysis in worker processes; supersession, cancellation, stuck, stopped and crashed
workers, and the retries of their jobs.

The workers run ScriptedAnalyzer (below) instead of the Engine: the document text says what to do.
"""
from __future__ import annotations

import asyncio
import contextlib
import os
import pathlib
import pickle
import signal
import sys
import threading
import time

import pytest

from neurogebra.analysis import Cancelled
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
from neurogebra.analysis.run import DocumentRun, LruCache, Outcome, key_of
from neurogebra_lsp.pool import AnalysisFailed, Superseded, WorkerPool
from neurogebra_lsp.protocol import Job, PackedAnalysis
from neurogebra_lsp.state import Unpacked
from neurogebra_lsp.worker import WORKER_COMMAND

LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; PR_SET_PDEATHSIG is Linux's")


class ScriptedAnalyzer:
    """`pid` answers the worker's process id; `created` when this analyzer was made; `slow N` polls should_cancel
    N times, 20 ms apart; `hang` sleeps without polling; `crash` kills the process; `fail` raises; `lines` computes
    each line as a statement (see `lines`)."""

    def __init__(self):
        self.created = time.time()

    def analyze(self, text, language, settings, should_cancel=None, detail=True, focus=None):
        command, _, argument = text.partition(" ")
        if text.startswith("lines\n"):
            return lines(text, settings, should_cancel, detail)
        if not detail and command != "crash":
            return DocumentAnalysis(language, "diagnostics", reused=7)  # the fast pass; the script acts later
        if command == "slow":
            for _ in range(int(argument)):
                if should_cancel():
                    raise Cancelled()
                time.sleep(0.02)
        elif command == "hang":
            time.sleep(600)
        elif command == "crash":
            os._exit(3)
        elif command == "fail":
            raise ValueError("scripted failure")
        answers = {"pid": str(os.getpid()), "created": repr(self.created)}
        return DocumentAnalysis(language, answers.get(command, text))


def lines(text, settings, should_cancel, detail):
    """Each line is a statement computed through DocumentRun, with one diagnostic that repeats it; the process dies
    on a line `dies`, and on a line `dies in detail` in the detailed pass."""
    run = DocumentRun(LruCache(100), text, settings, should_cancel, detail)
    statements, start = [], 0
    for line in text.split("\n"):
        span = Span(start, start + len(line))
        start = span.end + 1

        def compute(line=line, span=span):
            if line == "dies" or (detail and line == "dies in detail"):
                os._exit(3)
            diagnostic = Diagnostic(span, Severity.INFORMATION, Code.NON_DIFFERENTIABLE, line)
            return Outcome(Statement(StatementKind.INVALID, span, line, diagnostics=(diagnostic,)))
        statements.append(run.cached(key_of(line, detail), compute, line, StatementKind.INVALID, span.start).statement)
    return DocumentAnalysis("ngb", text, tuple(statements))


def job(key: str, text: str, version: int = 1, budget_ms: int = 2000) -> Job:
    return Job(key, version, "ngb", text, Settings(time_budget_ms=budget_ms))


@pytest.fixture
async def pool():
    pool = WorkerPool(1, ScriptedAnalyzer)
    yield pool
    pool.close()


@pytest.fixture
async def pair():
    pool = WorkerPool(2, ScriptedAnalyzer)
    yield pool
    pool.close()


async def test_a_job_returns_its_analysis(pool):
    analysis = (await pool.submit(job("a.ngb", "ok"))).unpack()
    assert analysis == DocumentAnalysis("ngb", "ok")


async def test_a_newer_version_cancels_the_running_job(pool):
    first = pool.submit(job("a.ngb", "slow 1000", 1))
    await asyncio.sleep(0.5)  # let it start
    second = pool.submit(job("a.ngb", "ok", 2))
    with pytest.raises(Superseded):
        await first
    assert (await second).unpack().text == "ok"


async def test_a_newer_version_replaces_the_queued_job_before_it_runs(pool):
    busy = pool.submit(job("other.ngb", "slow 20"))
    queued = pool.submit(job("a.ngb", "crash", 1))  # would kill the worker if it ever ran
    newer = pool.submit(job("a.ngb", "pid", 2))
    with pytest.raises(Superseded):
        await queued
    assert (await busy).unpack().text == "slow 20"
    first_pid = (await newer).unpack().text
    assert first_pid == (await pool.submit(job("b.ngb", "pid"))).unpack().text  # the same process: nothing crashed


async def test_cancel_stops_a_running_job(pool):
    running = pool.submit(job("a.ngb", "slow 1000"))
    await asyncio.sleep(0.5)
    pool.forget("a.ngb")
    with pytest.raises(Superseded):
        await running
    assert (await pool.submit(job("a.ngb", "ok", 2))).unpack().text == "ok"


async def test_repeated_cancel_notes_stop_a_running_job_once(pool):
    running = pool.submit(job("a.ngb", "slow 1000"))
    await asyncio.sleep(0.5)
    pool.cancel("a.ngb")
    pool.cancel("a.ngb")
    with pytest.raises(Superseded):
        await running
    assert (await pool.submit(job("a.ngb", "ok", 2))).unpack().text == "ok"


@LINUX
async def test_a_worker_dies_with_the_server():
    probe = (f"import asyncio, os, sys; sys.path[:] = {sys.path!r}\n"
             "from neurogebra_lsp.pool import WorkerPool\n"
             "from test_server_worker import ScriptedAnalyzer, job\n"
             "async def main():\n"
             "    pool = WorkerPool(1, ScriptedAnalyzer)\n"
             "    print((await pool.submit(job('a.ngb', 'pid'))).unpack().text, flush=True)\n"
             "    pool.submit(job('a.ngb', 'hang', 2))\n"
             "    await asyncio.sleep(0.5)\n"
             "    os._exit(0)  # no close, no cleanup: as if killed\n"
             "asyncio.run(main())\n")
    server = await asyncio.create_subprocess_exec(sys.executable, "-c", probe, stdout=asyncio.subprocess.PIPE)
    worker_pid = int((await server.stdout.readline()).decode())
    await server.wait()
    for _ in range(50):
        if not pathlib.Path(f"/proc/{worker_pid}").exists():
            break
        await asyncio.sleep(0.1)
    assert not pathlib.Path(f"/proc/{worker_pid}").exists()  # no orphan left computing


async def test_a_stuck_worker_is_replaced_and_after_a_retry_the_document_is_too_complex(pool):
    before = (await pool.submit(job("a.ngb", "pid"))).unpack().text
    analysis = (await pool.submit(job("hostile.ngb", "hang", budget_ms=10))).unpack()
    assert [d.code for d in analysis.diagnostics] == [Code.TOO_COMPLEX]  # the worker did not say where: line 1
    assert analysis.diagnostics[0].span.start == 0 and analysis.diagnostics[0].span.end == len("hang")
    after = (await pool.submit(job("a.ngb", "pid", 2))).unpack().text
    assert after != before


async def test_a_job_whose_worker_is_killed_midway_is_done_again(pool):
    began = asyncio.Event()
    pool.on_diagnostics = lambda job, message: began.set()
    first_pid = int((await pool.submit(job("a.ngb", "pid"))).unpack().text)
    running = pool.submit(job("a.ngb", "slow 50", 2))
    await began.wait()  # the fast pass came: the worker is in the detailed pass
    os.kill(first_pid, signal.SIGKILL)
    assert (await running).unpack().text == "slow 50"
    assert int((await pool.submit(job("a.ngb", "pid", 3))).unpack().text) != first_pid


async def test_a_statement_that_kills_the_worker_twice_gets_a_diagnostic_and_the_fast_pass_is_kept(pool):
    published = []
    pool.on_diagnostics = lambda job, message: published.append(message.analysis)
    text = "lines\nsays dies in detail\ndies in detail\ng"
    analysis = (await pool.submit(job("a.ngb", text))).unpack()
    crash = [d for d in analysis.diagnostics if d.severity == Severity.ERROR]
    assert [text[d.span.start:d.span.end] for d in crash] == ["dies in detail"]
    assert text.count("\n", 0, crash[0].span.start) == 2  # the statement's own line, not an earlier mention
    assert "crashed the analysis process twice (exit code 3)" in crash[0].message
    kept = [d.message for d in analysis.diagnostics if d.severity == Severity.INFORMATION]
    assert kept == ["lines", "says dies in detail", "dies in detail", "g"]
    assert published[-1].diagnostics == analysis.diagnostics  # what the server publishes
    assert (await pool.submit(job("a.ngb", "ok", 2))).unpack().text == "ok"  # and the next version is analyzed


async def test_a_statement_that_kills_the_worker_in_the_fast_pass_gets_the_only_diagnostic(pool):
    text = "lines\nf\ndies"
    analysis = (await pool.submit(job("a.ngb", text))).unpack()
    assert [(d.code, text[d.span.start:d.span.end]) for d in analysis.diagnostics] == [
        (Code.EVALUATION_ERROR, "dies")]
async def test_an_exception_in_analysis_fails_the_job_only(pool):
    before = (await pool.submit(job("a.ngb", "pid"))).unpack().text
    with pytest.raises(AnalysisFailed, match="ValueError: scripted failure"):
        await pool.submit(job("a.ngb", "fail", 2))
    assert (await pool.submit(job("a.ngb", "pid", 3))).unpack().text == before


class SlowToStart(ScriptedAnalyzer):
    """Made a second after it is asked for, as the Engine is once SymPy is imported."""

    def __init__(self):
        time.sleep(1.0)
        super().__init__()


async def every_worker_ready(pool: WorkerPool) -> None:
    for _ in range(500):
        if all(worker.ready() for worker in pool._workers):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("a worker never became ready")


async def test_a_document_keeps_to_the_worker_that_knows_it(pair):
    home = (await pair.submit(job("a.ngb", "pid", 1))).unpack().text
    await every_worker_ready(pair)  # else b.ngb takes the only ready worker, a.ngb's home
    other = pair.submit(job("b.ngb", "pid"))
    again = pair.submit(job("a.ngb", "pid", 2))
    assert (await again).unpack().text == home
    assert (await other).unpack().text != home


def children() -> list[str]:
    """The command lines of this process's children (Linux /proc). A child started a moment ago can still be
    inside exec, where its command line reads empty (Popen returns once the exec has begun): wait for it, 5 s at
    most."""
    for _ in range(50):
        found = []
        for entry in pathlib.Path("/proc").iterdir():
            with contextlib.suppress(OSError, IndexError):
                stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
                if stat and int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid():
                    found.append((entry / "cmdline").read_bytes().decode(errors="replace"))
        if all(found):
            break
        time.sleep(0.1)
    return found


@LINUX
async def test_a_stopped_idle_worker_is_passed_over_for_another(pair):
    first_pid = int((await pair.submit(job("a.ngb", "pid"))).unpack().text)
    os.kill(first_pid, signal.SIGSTOP)
    try:  # under STARTUP_S (60 s), which applies only to a worker's first job
        second_pid = int((await asyncio.wait_for(pair.submit(job("a.ngb", "pid", 2)), 45)).unpack().text)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(first_pid, signal.SIGCONT)
    assert second_pid != first_pid


@LINUX
async def test_a_worker_that_stops_reading_never_blocks_the_event_loop(pool):
    pid = int((await pool.submit(job("a.ngb", "pid"))).unpack().text)
    os.kill(pid, signal.SIGSTOP)
    rescued = threading.Event()

    def rescue():  # before the fix the event loop waited here, in a blocking send, until the worker was killed
        rescued.set()
        os.kill(pid, signal.SIGKILL)
    watchdog = threading.Timer(30, rescue)
    watchdog.start()
    try:
        big = "x" * (4 << 20)  # far more than a socket's buffer
        first = pool.submit(job("big.ngb", big, 1))
        await asyncio.sleep(0.2)  # its send has begun on the worker's writer thread
        second = pool.submit(job("big.ngb", big + "y", 2))  # cancels the first: a note to the stopped worker
        pool.forget("big.ngb")
        assert not rescued.is_set()
    finally:
        watchdog.cancel()
    for superseded in (first, second):
        with pytest.raises(Superseded):
            await superseded


async def test_the_second_worker_starts_after_the_first_diagnosis():
    pool = WorkerPool(2, ScriptedAnalyzer)
    try:
        await asyncio.sleep(1.0)  # no work yet: the second worker must not spend it importing
        submitted = time.time()
        first = float((await pool.submit(job("a.ngb", "created"))).unpack().text)
        await every_worker_ready(pool)
        second = float((await pool.submit(job("b.ngb", "created"))).unpack().text)
        assert second != first and second > submitted
    finally:
        pool.close()


@pytest.mark.timing
async def test_the_first_worker_is_started_before_any_work_and_ready_within_a_second():
    pool = WorkerPool(1, ScriptedAnalyzer)
    try:
        started = time.time()
        await asyncio.sleep(1.0)
        first = float((await pool.submit(job("a.ngb", "created"))).unpack().text)
        assert first < started + 1.0
    finally:
        pool.close()


@LINUX
async def test_the_workers_are_the_only_processes_the_pool_starts(pair):
    assert len(children()) == 1  # the second worker starts once there is work for it
    await pair.submit(job("a.ngb", "ok"))
    started = children()
    assert len(started) == 2 and all(WORKER_COMMAND in command for command in started)  # no resource tracker


async def test_a_job_goes_to_a_ready_worker_rather_than_wait_for_one_starting():
    pool = WorkerPool(2, SlowToStart)
    try:
        first = (await pool.submit(job("a.ngb", "pid"))).unpack().text  # the second worker starts now
        assert (await pool.submit(job("b.ngb", "pid"))).unpack().text == first
        await every_worker_ready(pool)
        assert len(pool._workers) == 2
    finally:
        pool.close()


async def test_two_documents_run_side_by_side(pair):
    slow = pair.submit(job("hostile.ngb", "slow 10000"))  # 200 s: the second worker has long started by then
    quick = pair.submit(job("a.ngb", "ok"))
    assert (await quick).unpack().text == "ok"
    assert not slow.done()
    pair.forget("hostile.ngb")
    with pytest.raises(Superseded):
        await slow


async def test_closing_settles_queued_jobs(pool):
    pool.submit(job("a.ngb", "slow 1000"))
    queued = pool.submit(job("b.ngb", "ok"))
    pool.close()
    with pytest.raises(Superseded):
        await queued


async def test_the_fast_pass_arrives_first_and_only_for_the_job_in_hand(pool):
    seen = []
    pool.on_diagnostics = lambda job, message: seen.append((job.text, message.analysis.reused))
    analysis = (await pool.submit(job("a.ngb", "slow 5"))).unpack()
    assert seen == [("slow 5", 7)] and analysis.text == "slow 5"


def test_a_packed_analysis_crosses_processes_small_and_unpacks_on_use():
    analysis = DocumentAnalysis("ngb", "f(x) = x**2\n" * 200)
    packed = pickle.loads(pickle.dumps(PackedAnalysis(analysis)))
    assert len(pickle.dumps(packed)) < len(pickle.dumps(analysis)) / 10
    assert packed.unpack() == analysis and packed.unpack() is packed.unpack()
    unpacked = packed.unpack()
    packed.drop()
    assert packed.unpack() == unpacked and packed.unpack() is not unpacked


def test_the_server_keeps_only_the_documents_used_last_unpacked():
    unpacked = Unpacked(4)
    packs = {f"file:///{i}.ngb": PackedAnalysis(DocumentAnalysis("ngb", str(i))) for i in range(unpacked.size + 3)}
    for uri, packed in packs.items():
        assert unpacked.unpack(uri, packed).text == uri.removeprefix("file:///").removesuffix(".ngb")
    held = [uri for uri, packed in packs.items() if packed._analysis is not None]
    assert held == list(packs)[-unpacked.size:]
