"""Faults at random against the real server over stdio. In each round, documents (a wrong claim, CRLF line ends and
astral characters, a long chain written backwards, a cycle, hostile lines, Python formulas) are opened and edited,
in full and by ranges, while the analysis workers are killed (SIGKILL) or stopped (SIGSTOP, resumed or not) at
random moments. Every request is answered meanwhile. Once the faults stop, one more edit of each document gets the
diagnostics a server that saw no fault gives for the same text; the server shuts down and leaves no process.

`make fuzz` runs many rounds (NEUROGEBRA_FUZZ_FAULT_ROUNDS); `make test` runs a few."""
from __future__ import annotations

import json
import os
import random
import signal
import sys
import time
from pathlib import Path

import pytest
from rawclient import RawClient, descendants, start

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process tree from /proc")
ROUNDS = int(os.environ.get("NEUROGEBRA_FUZZ_FAULT_ROUNDS", "1"))
STEPS = 12
DOCUMENTS = {
    "claims.ngb": "f(x) = x**2 + 3*x\nf'(x) = 2*x + 4\ng(x) = log(1 + exp(x))\ng'(x) = sigmoid(x)\nf'(1)\n",
    "crlf.ngb": "# 𝑥 and ∂ in a comment\r\nh(x) = sin(x) * 𝑥\r\nh'(x) = cos(x)\r\nr = 0.5\r\nh(r)\r\n",
    "chain.ngb": "".join(f"c{i}(x) = c{i - 1}(x) + 1\n" for i in range(300, 0, -1)) + "c0(x) = x\nc300'(x) = 2\n",
    "cycle.ngb": "".join(f"k{i}(x) = k{(i + 1) % 40}(x) + 1\n" for i in range(40)) + "m(x) = x**3\n",
    "hostile.ngb": "9**9**9**9\n" + "(" * 500 + "x" + ")" * 500 + "\nq(x) = exp(exp(exp(x)))\nq'(x) = 0\n",
    "formulas.py": "from neurogebra import Expression\n" + "".join(
        f'e{i} = Expression("e{i}", "x**2 + {i}*x")\n' for i in range(30)) + 'bad = Expression("b", "x +* 2")\n',
}


def uri(round_: int, name: str, oracle: bool = False) -> str:
    return f"file:///{'oracle' if oracle else 'faulted'}/{round_}/{name}"


def open_document(client: RawClient, address: str, text: str) -> None:
    language = "python" if address.endswith(".py") else "ngb"
    client.notify("textDocument/didOpen", {"textDocument": {"uri": address, "languageId": language, "version": 1,
                                                            "text": text}})


def pulled(client: RawClient, address: str) -> list[dict]:
    """The document's diagnostics by a pull, sorted; asked again while the server says to (ServerCancelled with
    retriggerRequest: the analysis is still running), as clients do."""
    while True:
        answer = client.response(client.request("textDocument/diagnostic", {"textDocument": {"uri": address}}))
        if "error" not in answer or not answer["error"].get("data", {}).get("retriggerRequest"):
            break
        time.sleep(0.2)
    assert "error" not in answer, answer
    items = answer["result"]["items"]
    return sorted(items, key=lambda d: (d["range"]["start"]["line"], d["range"]["start"]["character"],
                                        d["message"]))


def position(text: str, offset: int) -> dict:
    """The LSP position of a character offset (UTF-16 columns; the documents break lines with \\n or \\r\\n)."""
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return {"line": line, "character": len(text[start:offset].encode("utf-16-le")) // 2}


def edit(rng: random.Random, client: RawClient, address: str, text: str, version: int) -> str:
    """A random edit (the whole text, or a range), sent; the new text."""
    lines = text.splitlines(keepends=True)
    at = rng.randrange(len(lines))
    choice = rng.random()
    if choice < 0.4:
        lines.insert(at, f"n{version}(x) = x**{rng.randint(1, 4)} + {rng.randint(0, 9)}\n")
    elif choice < 0.7 and len(lines) > 2:
        del lines[at]
    else:
        lines[at] = lines[at].replace("1", str(rng.randint(2, 9)), 1)
    new = "".join(lines)
    if rng.random() < 0.5:
        client.notify("textDocument/didChange", {"textDocument": {"uri": address, "version": version},
                                                 "contentChanges": [{"text": new}]})
    else:
        prefix = len(os.path.commonprefix([text, new]))
        suffix = len(os.path.commonprefix([text[prefix:][::-1], new[prefix:][::-1]]))
        change = {"range": {"start": position(text, prefix), "end": position(text, len(text) - suffix)},
                  "text": new[prefix:len(new) - suffix]}
        client.notify("textDocument/didChange", {"textDocument": {"uri": address, "version": version},
                                                 "contentChanges": [change]})
    return new


def fault(rng: random.Random, workers: list[int], stopped: set[int]) -> None:
    """Kill a worker, stop one, or resume the stopped ones."""
    choice = rng.random()
    try:
        if choice < 0.4 and workers:
            os.kill(rng.choice(workers), signal.SIGKILL)
        elif choice < 0.7 and workers:
            victim = rng.choice(workers)
            os.kill(victim, signal.SIGSTOP)
            stopped.add(victim)
        else:
            for pid in stopped:
                os.kill(pid, signal.SIGCONT)
            stopped.clear()
    except ProcessLookupError:
        pass  # the server replaced it meanwhile


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def oracle():
    client = start()
    yield client
    client.close()


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_random_faults_lose_nothing(round_, oracle):
    rng = random.Random(round_)
    client = start()
    seen: set[int] = set()
    stopped: set[int] = set()
    try:
        texts = {name: DOCUMENTS[name] for name in rng.sample(sorted(DOCUMENTS), 3)}
        versions = dict.fromkeys(texts, 1)
        for name, text in texts.items():
            open_document(client, uri(round_, name), text)
        for _ in range(STEPS):
            workers = descendants(client.process.pid)
            seen.update(workers)
            action = rng.random()
            name = rng.choice(sorted(texts))
            if action < 0.35:
                versions[name] += 1
                texts[name] = edit(rng, client, uri(round_, name), texts[name], versions[name])
            elif action < 0.65:
                fault(rng, workers, stopped)
            elif action < 0.85:
                answer = client.response(client.request("textDocument/hover", {
                    "textDocument": {"uri": uri(round_, name)}, "position": {"line": 1, "character": 0}}))
                assert "error" not in answer or answer["error"]["code"] == -32800, answer  # or RequestCancelled
            else:
                pulled(client, uri(round_, name))
            time.sleep(rng.uniform(0, 0.6))
        for pid in stopped:
            if alive(pid):
                os.kill(pid, signal.SIGCONT)
        for name in texts:
            versions[name] += 1
            texts[name] += "# faults over\n"
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri(round_, name),
                                                                      "version": versions[name]},
                                                     "contentChanges": [{"text": texts[name]}]})
            open_document(oracle, uri(round_, name, oracle=True), texts[name])
        for name in texts:  # related places name the document: compare with the oracle's name for it
            faulted = json.dumps(pulled(client, uri(round_, name)), ensure_ascii=False)
            expected = json.dumps(pulled(oracle, uri(round_, name, oracle=True)), ensure_ascii=False)
            assert faulted.replace(uri(round_, name), uri(round_, name, oracle=True)) == expected, name
        seen.update(descendants(client.process.pid))
        assert client.response(client.request("shutdown", None)).get("result", "an error") is None
        client.notify("exit", None)
        assert client.process.wait(60) == 0
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in seen) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [pid for pid in seen if alive(pid)] == []
    finally:
        for pid in stopped:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        client.close()
