"""Faults in the analysis workers, injected into the real server over stdio: a worker killed (SIGKILL) or stopped
(SIGSTOP) mid-analysis, and a statement that kills its worker every time. The server keeps answering, shutdown
included; the current version's diagnostics come; no process outlives the server."""
from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

from neurogebra_lsp.worker import TEST_DELAY_ENV, TEST_DIES_ON_ENV

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process tree from /proc")
HANG_GUARD_S = 90.0  # generous: the machine is shared, and a restarted worker imports SymPy again
CALM = "f(x) = x**2 + 3*x\n"


class Server:
    """The server's process with just enough JSON-RPC: requests, notifications, the diagnostics it pushes by
    (uri, version), and every worker process it has been seen with."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.diagnostics: dict[tuple[str, int | None], list[dict]] = {}
        self.seen: set[int] = set()
        self._answers: dict[int, asyncio.Future] = {}
        self._ids = iter(range(1, 1 << 30))
        self._published: dict[str, asyncio.Event] = defaultdict(asyncio.Event)
        self._reader = asyncio.ensure_future(self._read())

    @classmethod
    async def start(cls, options: dict | None = None, **env: str) -> Server:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "neurogebra_lsp", stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, env={**os.environ, **env})
        server = cls(process)
        await server.request("initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": {},
                                            "initializationOptions": options})
        server.notify("initialized", {})
        return server

    def _write(self, message: dict) -> None:
        body = json.dumps(message).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    async def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while (line := await stream.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not line:
                return
            message = json.loads(await stream.readexactly(length))
            if message.get("method") == "textDocument/publishDiagnostics":
                params = message["params"]
                self.diagnostics[params["uri"], params.get("version")] = params["diagnostics"]
                self._published[params["uri"]].set()
            elif "method" in message and "id" in message:  # a request from the server: answer it emptily
                self._write({"jsonrpc": "2.0", "id": message["id"], "result": None})
            elif "id" in message and message["id"] in self._answers:
                self._answers.pop(message["id"]).set_result(message)

    async def request(self, method: str, params) -> dict:
        """The response (result or error) within the hang guard."""
        id_ = next(self._ids)
        self._answers[id_] = asyncio.get_running_loop().create_future()
        self._write({"jsonrpc": "2.0", "id": id_, "method": method, "params": params})
        return await asyncio.wait_for(self._answers[id_], HANG_GUARD_S)

    def notify(self, method: str, params) -> None:
        self._write({"jsonrpc": "2.0", "method": method, "params": params})

    def open(self, uri: str, text: str) -> None:
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "ngb", "version": 1,
                                                              "text": text}})

    def replace_text(self, uri: str, version: int, text: str) -> None:
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [{"text": text}]})

    async def diagnosed(self, uri: str, version: int) -> list[dict]:
        """The diagnostics pushed for this version of `uri`, within the hang guard."""
        async def wait() -> list[dict]:
            while (uri, version) not in self.diagnostics:
                self._published[uri].clear()
                await self._published[uri].wait()
            return self.diagnostics[uri, version]
        return await asyncio.wait_for(wait(), HANG_GUARD_S)

    async def hover(self, uri: str, line: int = 0) -> dict:
        return await self.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                         "position": {"line": line, "character": 0}})

    def workers(self) -> list[int]:
        """The server's child processes now (its workers); each is remembered in `seen`."""
        found = []
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            with contextlib.suppress(OSError):
                found += [int(pid) for pid in (task / "children").read_text().split()]
        self.seen.update(found)
        return found

    async def signal_workers(self, signum: int) -> list[int]:
        """Send `signum` to every worker the server has, once it has two (the second starts after the first
        diagnosis)."""
        async def two() -> list[int]:
            while len(workers := self.workers()) < 2:
                await asyncio.sleep(0.05)
            return workers
        workers = await asyncio.wait_for(two(), HANG_GUARD_S)
        for pid in workers:
            os.kill(pid, signum)
        return workers

    async def shut_down(self) -> None:
        """shutdown (answered), exit (exit code 0), and then no worker the server ever had is left."""
        self.workers()
        assert (await self.request("shutdown", None)).get("result", "an error") is None
        self.notify("exit", None)
        assert await asyncio.wait_for(self.process.wait(), HANG_GUARD_S) == 0
        await self._reader
        for _ in range(100):
            if not any(_alive(pid) for pid in self.seen):
                break
            await asyncio.sleep(0.1)
        assert [pid for pid in self.seen if _alive(pid)] == []

    def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()


def _alive(pid: int) -> bool:
    """Whether the process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@contextlib.asynccontextmanager
async def server(options: dict | None = None, **env: str):
    started = await Server.start(options, **env)
    try:
        yield started
    finally:
        started.kill()


def statements(count: int, tag: str) -> str:
    """Definitions no worker has computed before (their text is new)."""
    return "".join(f"{tag}{i}(x) = x**2 + {i}*x\n" for i in range(count))


async def test_a_worker_killed_mid_analysis_loses_nothing():
    async with server(**{TEST_DELAY_ENV: "0.05"}) as lsp:  # 40 statements: two seconds a pass
        lsp.open("file:///calm.ngb", CALM)
        await lsp.diagnosed("file:///calm.ngb", 1)
        lsp.open("file:///slow.ngb", statements(40, "s"))
        await asyncio.sleep(1.0)  # mid-analysis, very likely; before it began, the job is retried all the same
        killed = await lsp.signal_workers(signal.SIGKILL)
        killed_at = time.monotonic()
        hover = await lsp.hover("file:///calm.ngb")
        hover_s = time.monotonic() - killed_at
        assert "2·x + 3" in json.dumps(hover["result"], ensure_ascii=False)
        assert await lsp.diagnosed("file:///slow.ngb", 1) == []  # this version's, not an "analysis failed"
        print(f"after SIGKILL: hover in {hover_s:.2f} s, diagnostics in {time.monotonic() - killed_at:.2f} s")
        assert "s3(x)" in json.dumps((await lsp.hover("file:///slow.ngb", 3))["result"])
        assert not set(killed) & set(lsp.workers())
        await lsp.shut_down()


async def test_a_worker_stopped_mid_analysis_is_replaced_without_waiting_for_the_budget():
    budget_s = 300  # what a stopped worker could have been allowed per statement, were it busy
    async with server({"analysis": {"timeBudgetMs": budget_s * 1000}}, **{TEST_DELAY_ENV: "0.05"}) as lsp:
        lsp.open("file:///calm.ngb", CALM)
        await lsp.diagnosed("file:///calm.ngb", 1)
        lsp.open("file:///slow.ngb", statements(40, "t"))
        await asyncio.sleep(1.0)  # mid-analysis, very likely
        stopped = await lsp.signal_workers(signal.SIGSTOP)
        stopped_at = time.monotonic()
        try:
            diagnostics = await asyncio.wait_for(lsp.diagnosed("file:///slow.ngb", 1), budget_s / 3)
            print(f"after SIGSTOP: diagnostics in {time.monotonic() - stopped_at:.2f} s")
            assert diagnostics == []  # this version's, computed again by a new worker
            assert "t3(x)" in json.dumps((await lsp.hover("file:///slow.ngb", 3))["result"])
        finally:
            for pid in stopped:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)
        await lsp.shut_down()


async def test_stopped_workers_and_a_two_megabyte_edit_block_nothing():
    async with server() as lsp:
        lsp.open("file:///calm.ngb", CALM)
        lsp.open("file:///big.ngb", CALM)
        await lsp.hover("file:///calm.ngb")
        await lsp.hover("file:///big.ngb")  # both analyses done: the workers are idle
        stopped = await lsp.signal_workers(signal.SIGSTOP)
        try:
            big = "g(x) = x**3\n# " + "x" * (2 << 20) + "\n"
            lsp.replace_text("file:///big.ngb", 2, big)  # more than the socket holds, to a worker not reading
            await asyncio.sleep(0.2)
            lsp.replace_text("file:///big.ngb", 3, big + "h(x) = 1\n")  # cancels the job being sent
            edited_at = time.monotonic()
            hover = await lsp.hover("file:///calm.ngb")  # answered at once: its analysis is done
            print(f"stopped workers and a 2 MB edit: hover in {time.monotonic() - edited_at:.2f} s")
            assert "2·x + 3" in json.dumps(hover["result"], ensure_ascii=False)
            assert await lsp.diagnosed("file:///big.ngb", 3) == []
            print(f"diagnostics of the edit in {time.monotonic() - edited_at:.2f} s")
            assert set(lsp.workers()) != set(stopped)  # the worker given the edit was replaced
        finally:
            for pid in stopped:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)
        await lsp.shut_down()


async def test_a_statement_that_kills_its_worker_every_time_is_reported_and_the_next_edit_is_analyzed():
    async with server(**{TEST_DIES_ON_ENV: "boom"}) as lsp:
        text = "# boom(x) = x + 1 is below\nf(x) = x**2\nboom(x) = x + 1\ng(x) = 2*x\n"
        lsp.open("file:///boom.ngb", text)
        diagnostics = await lsp.diagnosed("file:///boom.ngb", 1)
        assert [(d["range"]["start"]["line"], d["severity"]) for d in diagnostics] == [(2, 1)]  # not the comment
        assert "crashed the analysis process twice" in diagnostics[0]["message"]
        assert "error" not in await lsp.hover("file:///boom.ngb")  # an answer, not "analysis failed"
        lsp.replace_text("file:///boom.ngb", 2, text.replace("boom", "fine"))
        assert await lsp.diagnosed("file:///boom.ngb", 2) == []
        await lsp.shut_down()
