"""A raw JSON-RPC client of the real server over stdio, for sending what no well-behaved client would."""
from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

TIMEOUT_S = 60


class RawClient:
    """Just enough JSON-RPC framing to send what no well-behaved client would."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "neurogebra_lsp"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.messages: queue.Queue[dict] = queue.Queue()
        self.notifications: list[dict] = []  # every notification from the server that response() read past
        self.answers: dict[str, object] = {}  # the result for a request from the server, by method (else null)
        self.requests: list[str] = []  # the methods of the server's requests, in order
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            headers = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            self.messages.put(json.loads(body))

    def send_bytes(self, body: bytes, header: bytes | None = None) -> None:
        frame = (header if header is not None else f"Content-Length: {len(body)}\r\n\r\n".encode()) + body
        self.process.stdin.write(frame)
        self.process.stdin.flush()

    def send(self, message: dict) -> None:
        self.send_bytes(json.dumps(message).encode())

    def request(self, method: str, params) -> int:
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.next_id

    def notify(self, method: str, params) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def response(self, request_id: int | None) -> dict:
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                message = self.messages.get(timeout=0.5)
            except queue.Empty:
                assert self.process.poll() is None, "the server exited"
                continue
            if message.get("id") == request_id and "method" not in message:
                return message
            if "method" in message and "id" in message:  # a request from the server
                self.requests.append(message["method"])
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": self.answers.get(message["method"])})
            elif "method" in message:
                self.notifications.append(message)
        raise AssertionError(f"no response to request {request_id}")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(10)


def start() -> RawClient:
    client = RawClient()
    init = client.request("initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": {}})
    assert "capabilities" in client.response(init)["result"]
    client.notify("initialized", {})
    return client


def tree_rss_bytes(pid: int) -> int:
    """VmRSS of a process and all its descendants, from /proc."""
    total = 0
    for current in [pid, *descendants(pid)]:
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(row for row in status.splitlines() if row.startswith("VmRSS:")).split()[1]) * 1024
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total


def descendants(pid: int) -> list[int]:
    """The processes below `pid` (its children, theirs, ...), from /proc."""
    found, pending = [], [pid]
    while pending:
        try:
            tasks = list(Path(f"/proc/{pending.pop()}/task").iterdir())
            children = [int(c) for task in tasks for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
        found += children
        pending += children
    return found
