"""The server process: command line, stdio with --stdio, TCP, shutdown/exit codes, and exiting when the editor
that started it dies. Raw JSON-RPC over pipes and sockets, no client library."""
from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys

SERVER = [sys.executable, "-m", "neurogebra_lsp"]


def frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


async def read_message(reader: asyncio.StreamReader) -> dict:
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(await reader.readexactly(length))


async def request(reader, writer, id_: int, method: str, params) -> dict:
    writer.write(frame({"jsonrpc": "2.0", "id": id_, "method": method, "params": params}))
    await writer.drain()
    while (message := await asyncio.wait_for(read_message(reader), 60)).get("id") != id_:
        pass  # notifications and server requests
    return message


def notify(writer, method: str, params=None) -> None:
    writer.write(frame({"jsonrpc": "2.0", "method": method, "params": params}))


def initialize_params(process_id: int | None) -> dict:
    return {"processId": process_id, "rootUri": None, "capabilities": {}}


async def start(*arguments: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(*SERVER, *arguments, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                stderr=subprocess.DEVNULL)


def test_version():
    from neurogebra_lsp import __version__
    result = subprocess.run([*SERVER, "--version"], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == f"neurogebra-lsp {__version__}"


async def test_stdio_with_the_flag_editors_append_then_shutdown_and_exit(tmp_path):
    log = tmp_path / "server.log"
    server = await start("--stdio", "--log-file", str(log), "--log-level", "info")
    reply = await request(server.stdout, server.stdin, 1, "initialize", initialize_params(None))
    assert reply["result"]["serverInfo"]["name"] == "neurogebra-lsp"
    assert reply["result"]["capabilities"]["positionEncoding"] == "utf-16"
    notify(server.stdin, "initialized", {})
    assert (await request(server.stdout, server.stdin, 2, "shutdown", None))["result"] is None
    notify(server.stdin, "exit")
    assert await asyncio.wait_for(server.wait(), 30) == 0
    assert "neurogebra-lsp" in log.read_text(encoding="utf-8")


async def test_exit_without_shutdown_is_an_error_exit():
    server = await start()
    await request(server.stdout, server.stdin, 1, "initialize", initialize_params(None))
    notify(server.stdin, "exit")
    assert await asyncio.wait_for(server.wait(), 30) == 1


async def test_malformed_requests_get_error_responses_and_the_server_lives_on():
    server = await start()
    await request(server.stdout, server.stdin, 1, "initialize", initialize_params(None))
    broken = await request(server.stdout, server.stdin, 2, "textDocument/hover", {"textDocument": {}})
    assert broken["error"]["code"] == -32602
    unknown = await request(server.stdout, server.stdin, 3, "neurogebra/noSuchMethod", {})
    assert unknown["error"]["code"] == -32601
    assert (await request(server.stdout, server.stdin, 4, "shutdown", None))["result"] is None
    notify(server.stdin, "exit")
    assert await asyncio.wait_for(server.wait(), 30) == 0


async def test_the_server_exits_when_the_editor_process_dies():
    editor = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    server = await start()
    try:
        await request(server.stdout, server.stdin, 1, "initialize", initialize_params(editor.pid))
        notify(server.stdin, "initialized", {})
        editor.kill()
        editor.wait()
        assert await asyncio.wait_for(server.wait(), 30) == 1  # stdin is still open: only the watch ends it
    finally:
        if server.returncode is None:
            server.kill()


async def test_tcp():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = await asyncio.create_subprocess_exec(*SERVER, "--tcp", "--host", "127.0.0.1", "--port", str(port),
                                                  stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                break
            except OSError:
                await asyncio.sleep(0.1)
        reply = await request(reader, writer, 1, "initialize", initialize_params(None))
        assert reply["result"]["serverInfo"]["name"] == "neurogebra-lsp"
        writer.close()
    finally:
        server.kill()
        await server.wait()
