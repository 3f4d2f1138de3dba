"""The language server through a real stdio client (pygls' LanguageClient running `neurogebra-lsp`).

Measures: cold start to the first diagnostics of a 100-line .ngb file (also with one core, then every core, kept
busy by other processes, so that a shared machine's load is part of the measurement, not only its noise); warm
hover, inlay hints and code actions against the cheapest request (documentSymbol of an empty document);
re-diagnosis after a one-line edit in 20-, 200- and 2,000-line documents; the memory (VmRSS, and PSS) of the
server's process tree with 50 open 500-line documents. Writes bench/results/lsp.{json,md}.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import pathlib
import subprocess
import sys
import tempfile
import time
from typing import Any, AsyncIterator, Awaitable, Callable, Iterator

from documents import definition_line, document, edited
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.client import LanguageClient
from report import duration, save, table
from timing import percentile, summary

SERVER = pathlib.Path(sys.executable).parent / "neurogebra-lsp"
WAIT_S = 300.0  # the longest wait for one document's diagnostics (a cold 2,000-line analysis on a loaded machine)
FIRST_CONSTANT = 100
COLD_TARGET_S = 1.5
HOVER_TARGET = 5.0
REDIAGNOSIS_TARGET_S = 0.3
RSS_TARGET_MB = 300.0


class BenchClient(LanguageClient):
    """Records when each (document, version) first got pushed diagnostics: what an editor shows first."""

    def __init__(self) -> None:
        super().__init__("neurogebra-bench", "1")
        self.published: dict[tuple[str, int | None], tuple[float, list[types.Diagnostic]]] = {}
        self.history: list[tuple[float, str, int]] = []  # every publish: when, the uri, how many diagnostics
        self.arrived = asyncio.Event()

        @self.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def publish(params: types.PublishDiagnosticsParams) -> None:
            self.published.setdefault((params.uri, params.version), (time.perf_counter(), params.diagnostics))
            self.history.append((time.perf_counter(), params.uri, len(params.diagnostics)))
            self.arrived.set()

    async def diagnostics(self, uri: str, version: int, timeout: float = WAIT_S) -> tuple[float, list]:
        """When the diagnostics of this version arrived (perf_counter), and what they were."""
        deadline = time.perf_counter() + timeout
        while (uri, version) not in self.published:
            self.arrived.clear()
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"no diagnostics for {uri} version {version} within {timeout:.0f} s")
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), remaining)
        return self.published[(uri, version)]

    async def every_diagnostic(self, uri: str) -> tuple[float, list[types.Diagnostic]]:
        """When every diagnostic of the document's current version was known, and what they were: a pull waits
        for the whole fast pass, where a big document opened cold first publishes the part in view."""
        params = types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
        while True:
            try:
                report = await self.text_document_diagnostic_async(params)
            except JsonRpcException:  # "analysis still running": asked to pull again
                continue
            return time.perf_counter(), list(report.items)


CAPABILITIES = types.ClientCapabilities(
    general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf16]),
    text_document=types.TextDocumentClientCapabilities(
        publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True),
        hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
        inlay_hint=types.InlayHintClientCapabilities(),
        code_action=types.CodeActionClientCapabilities(code_action_literal_support=types.ClientCodeActionLiteralOptions(
            code_action_kind=types.ClientCodeActionKindOptions(value_set=["quickfix", "refactor"]))),
        document_symbol=types.DocumentSymbolClientCapabilities(hierarchical_document_symbol_support=True)))


@contextlib.asynccontextmanager
async def session(folder: pathlib.Path) -> AsyncIterator[BenchClient]:
    """A started, initialized server; shut down and reaped at the end."""
    client = BenchClient()
    await client.start_io(str(SERVER), "--log-file", str(folder / "server.log"))
    drain = asyncio.ensure_future(client._server.stderr.read())  # nothing may block on a full stderr pipe
    try:
        await client.initialize_async(types.InitializeParams(
            capabilities=CAPABILITIES, process_id=os.getpid(), root_uri=folder.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=folder.as_uri(), name="bench")]))
        client.initialized(types.InitializedParams())
        yield client
    finally:
        process = client._server
        with contextlib.suppress(Exception):
            await asyncio.wait_for(client.shutdown_async(None), 10)
            client.exit(None)
        try:
            await asyncio.wait_for(process.wait(), 10)
        except asyncio.TimeoutError:
            process.kill()
        await client.stop()
        drain.cancel()


def open_document(client: BenchClient, folder: pathlib.Path, name: str, text: str) -> str:
    uri = (folder / name).as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="ngb", version=1, text=text)))
    return uri


def change_line(client: BenchClient, uri: str, version: int, line: int, old: str, new: str) -> None:
    """An incremental change replacing one whole line (ASCII, so UTF-16 columns are characters)."""
    change = types.TextDocumentContentChangePartial(
        range=types.Range(types.Position(line, 0), types.Position(line, len(old))), text=new)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=[change]))


# ---------------------------------------------------------------------------------------------- measurements

async def cold_start(folder: pathlib.Path, lines: int) -> dict:
    """Process start -> initialize answered -> diagnostics of a freshly opened document."""
    text = document(lines, seed=7)
    started = time.perf_counter()
    async with session(folder) as client:
        initialized = time.perf_counter()
        uri = open_document(client, folder, "cold.ngb", text)
        arrived, items = await client.diagnostics(uri, 1)
    return {"initialize": initialized - started, "first diagnostics": arrived - started, "diagnostics": len(items)}


@contextlib.contextmanager
def busy_cores(count: int) -> Iterator[None]:
    """`count` processes spinning on a core each, as another program's load would."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def latencies(samples: list[float]) -> dict:
    return {**summary(samples), "p50": percentile(samples, 0.5), "p95": percentile(samples, 0.95)}


async def warm_requests(client: BenchClient, folder: pathlib.Path, rounds: int) -> dict:
    empty = open_document(client, folder, "empty.ngb", "")
    small = open_document(client, folder, "small.ngb", document(12))
    await client.diagnostics(empty, 1)
    await client.diagnostics(small, 1)  # both workers are up (each took one) and have imported SymPy
    text = document(100, seed=11)
    opened = time.perf_counter()
    uri = open_document(client, folder, "warm.ngb", text)
    arrived, items = await client.diagnostics(uri, 1)
    first_analysis = arrived - opened
    rows = text.split("\n")
    hover_line = definition_line(text, 50)
    mismatch = next(d for d in items if d.code == "gradient-mismatch")
    document_id = types.TextDocumentIdentifier(uri=uri)
    requests = {
        "documentSymbol, empty document": lambda: client.text_document_document_symbol_async(
            types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=empty))),
        "hover": lambda: client.text_document_hover_async(types.HoverParams(
            text_document=document_id, position=types.Position(hover_line, 1))),
        "inlay hints, whole document": lambda: client.text_document_inlay_hint_async(types.InlayHintParams(
            text_document=document_id, range=types.Range(types.Position(0, 0), types.Position(len(rows), 0)))),
        "code action on a wrong claim": lambda: client.text_document_code_action_async(types.CodeActionParams(
            text_document=document_id, range=mismatch.range,
            context=types.CodeActionContext(diagnostics=[mismatch]))),
    }
    answers = {name: await request() for name, request in requests.items()}  # warm-up, and what came back
    samples: dict[str, list[float]] = {name: [] for name in requests}
    for _ in range(rounds):
        for name, request in requests.items():
            start = time.perf_counter()
            await request()
            samples[name].append(time.perf_counter() - start)
    return {"first analysis": first_analysis,
            "requests": {name: {**latencies(values), "answer": describe(answers[name])}
                         for name, values in samples.items()}}


def describe(answer: object) -> str:
    if answer is None:
        return "null"
    if isinstance(answer, (list, tuple)):
        return f"{len(answer)} items"
    return type(answer).__name__


async def rediagnosis(client: BenchClient, folder: pathlib.Path, lines: int, edits: int) -> dict:
    text = document(lines, seed=lines + 1)
    uri = open_document(client, folder, f"edit-{lines}.ngb", text)
    opened = time.perf_counter()
    arrived, items = await client.every_diagnostic(uri)
    line = definition_line(text, lines // 2)
    current = text
    seconds = []
    for edit in range(edits):
        changed = edited(current, line, FIRST_CONSTANT + edit)
        version = edit + 2
        start = time.perf_counter()
        change_line(client, uri, version, line, current.split("\n")[line], changed.split("\n")[line])
        done, _ = await client.diagnostics(uri, version)
        seconds.append(done - start)
        current = changed
    client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)))
    return {"lines": lines, "cold": arrived - opened, "diagnostics": len(items), "edit": latencies(seconds)}


def process_tree(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in pathlib.Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        tree += frontier
    return tree


def memory_kb(pid: int, field: str, file: str) -> int:
    """A `Field:  123 kB` line of /proc/<pid>/<file>; 0 when the process is gone."""
    with contextlib.suppress(OSError):
        for line in (pathlib.Path("/proc") / str(pid) / file).read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def role(pid: int, root: int) -> str:
    """What a process of the server's tree is, from its command line."""
    if pid == root:
        return "server"
    with contextlib.suppress(OSError):
        command = (pathlib.Path("/proc") / str(pid) / "cmdline").read_bytes().decode(errors="replace")
        if "neurogebra_lsp.worker" in command:
            return "worker"
    return "other"


def tree_memory(root: int) -> dict:
    pids = process_tree(root)
    return {"processes": len(pids),
            "rss_mb": sum(memory_kb(p, "VmRSS", "status") for p in pids) / 1024,
            "pss_mb": sum(memory_kb(p, "Pss", "smaps_rollup") for p in pids) / 1024,
            "each_rss_mb": [f"{role(p, root)} {memory_kb(p, 'VmRSS', 'status') / 1024:.0f}" for p in pids]}


async def open_documents_memory(folder: pathlib.Path, count: int, lines: int, deadline: float) -> dict:
    async with session(folder) as client:
        pid = client._server.pid
        small = open_document(client, folder, "small.ngb", document(12))
        await client.diagnostics(small, 1)  # the workers are up and have imported SymPy
        idle = tree_memory(pid)
        start = time.perf_counter()
        uris = [open_document(client, folder, f"open-{i:02d}.ngb", document(lines, seed=1000 + i))
                for i in range(count)]
        peak = idle["rss_mb"]
        pulls = [asyncio.ensure_future(client.every_diagnostic(uri)) for uri in uris]
        while time.perf_counter() - start < deadline:
            peak = max(peak, tree_memory(pid)["rss_mb"])
            if all(pull.done() for pull in pulls):
                break
            await asyncio.sleep(0.5)
        analyzed = sum(pull.done() for pull in pulls)
        for pull in pulls:
            pull.cancel()
        final = tree_memory(pid)
        return {"documents": count, "lines": lines, "analyzed": analyzed, "seconds": time.perf_counter() - start,
                "idle": idle, "final": final, "peak_rss_mb": max(peak, final["rss_mb"])}


# ---------------------------------------------------------------------------------------------- report

def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def markdown(results: dict) -> str:
    cold = results["cold start"]
    cold_first = [c["first diagnostics"] for c in cold]
    cold_stats = summary(cold_first)
    busy_rows = []
    for level in results["cold start, busy cores"]:
        stats = summary([c["first diagnostics"] for c in level["runs"]])
        busy_rows.append([f"the same, with {level['busy']} of {os.cpu_count()} cores kept busy by other processes",
                          f"{duration(stats['median'])} ({duration(stats['min'])}–{duration(stats['max'])})",
                          str(stats["n"])])
    initialize = summary([c["initialize"] for c in cold])
    warm = results["warm"]["requests"]
    baseline = warm["documentSymbol, empty document"]["p50"]
    warm_rows = [[name, duration(v["p50"]), duration(v["p95"]), f"{v['p50'] / baseline:.3g}x", v["answer"]]
                 for name, v in warm.items()]
    edit_rows = [[str(r["lines"]), duration(r["cold"]), str(r["diagnostics"]), duration(r["edit"]["p50"]),
                  duration(r["edit"]["p95"]), f"{duration(r['edit']['min'])}–{duration(r['edit']['max'])}"]
                 for r in results["rediagnosis"]]
    memory = results["memory"]
    hover_ratio = warm["hover"]["p50"] / baseline
    longest = results["rediagnosis"][-1]
    targets = [
        f"cold start to first diagnostics, {cold[0]['lines']} lines: {duration(cold_stats['median'])} (target < "
        f"{COLD_TARGET_S:g} s) — {verdict(cold_stats['median'] < COLD_TARGET_S)}",
        f"hover p50 / cheapest request p50: {hover_ratio:.3g}x (target <= {HOVER_TARGET:g}x) — "
        f"{verdict(hover_ratio <= HOVER_TARGET)}",
        f"re-diagnosis after a one-line edit, {longest['lines']} lines: p50 {duration(longest['edit']['p50'])} "
        f"(target < {REDIAGNOSIS_TARGET_S * 1e3:g} ms) — {verdict(longest['edit']['p50'] < REDIAGNOSIS_TARGET_S)}",
        f"server process tree with {memory['documents']} open {memory['lines']}-line documents: "
        f"{memory['final']['rss_mb']:.0f} MB VmRSS (target < {RSS_TARGET_MB:g} MB) — "
        f"{verdict(memory['final']['rss_mb'] < RSS_TARGET_MB and memory['analyzed'] == memory['documents'])}"
        + ("" if memory["analyzed"] == memory["documents"] else
           f" (only {memory['analyzed']} of {memory['documents']} analyzed within the deadline)"),
    ]
    return "\n\n".join([
        "## Language server (stdio, pygls client)",
        f"{os.cpu_count()} CPUs, load average at the end {', '.join(f'{x:.2f}' for x in os.getloadavg())}",
        "### Cold start",
        table(["", "median (range)", "runs"], [
            ["process start -> initialize answered", f"{duration(initialize['median'])} "
             f"({duration(initialize['min'])}–{duration(initialize['max'])})", str(initialize["n"])],
            [f"process start -> diagnostics of a {cold[0]['lines']}-line .ngb file",
             f"{duration(cold_stats['median'])} ({duration(cold_stats['min'])}–{duration(cold_stats['max'])})",
             str(cold_stats["n"])],
            *busy_rows,
            [f"for comparison: open -> diagnostics of a {cold[0]['lines']}-line file in a running server",
             duration(results["warm"]["first analysis"]), "1"]]),
        f"### Warm requests on a 100-line document ({warm['hover']['n']} rounds, interleaved)",
        table(["request", "p50", "p95", "p50 / cheapest", "answer"], warm_rows),
        "### Re-diagnosis after a one-line edit (didChange -> publishDiagnostics of that version)",
        table(["lines", "first analysis", "diagnostics", "edit p50", "edit p95", "range"], edit_rows),
        "### Memory with open documents",
        table(["", "processes", "VmRSS sum", "PSS sum", "VmRSS per process (MB)"], [
            ["one 12-line document analyzed", str(memory["idle"]["processes"]), f"{memory['idle']['rss_mb']:.0f} MB",
             f"{memory['idle']['pss_mb']:.0f} MB", ", ".join(map(str, memory["idle"]["each_rss_mb"]))],
            [f"{memory['analyzed']}/{memory['documents']} documents of {memory['lines']} lines analyzed "
             f"({duration(memory['seconds'])})", str(memory["final"]["processes"]),
             f"{memory['final']['rss_mb']:.0f} MB (peak {memory['peak_rss_mb']:.0f})",
             f"{memory['final']['pss_mb']:.0f} MB", ", ".join(map(str, memory["final"]["each_rss_mb"]))]]),
        "### Targets", "\n".join(f"- {t}" for t in targets),
    ])


async def main_async(options: argparse.Namespace) -> dict:
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="neurogebra-bench-") as name:
        folder = pathlib.Path(name)
        print("  cold starts", file=sys.stderr, flush=True)
        results["cold start"] = [{**await cold_start(folder, 100), "lines": 100} for _ in range(options.cold)]
        results["cold start, busy cores"] = []
        for busy in sorted({1, os.cpu_count() or 1}):
            print(f"  cold starts, {busy} core(s) kept busy", file=sys.stderr, flush=True)
            with busy_cores(busy):
                runs = [await cold_start(folder, 100) for _ in range(options.cold)]
            results["cold start, busy cores"].append({"busy": busy, "runs": runs})
        async with session(folder) as client:
            print("  warm requests", file=sys.stderr, flush=True)
            results["warm"] = await warm_requests(client, folder, options.rounds)
            results["rediagnosis"] = []
            for lines in options.sizes:
                print(f"  re-diagnosis, {lines} lines", file=sys.stderr, flush=True)
                results["rediagnosis"].append(await rediagnosis(client, folder, lines, options.edits))
        print(f"  {options.documents} open documents", file=sys.stderr, flush=True)
        results["memory"] = await open_documents_memory(folder, options.documents, options.document_lines,
                                                        options.deadline)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", type=int, default=3, help="cold starts")
    parser.add_argument("--rounds", type=int, default=60, help="rounds of warm requests")
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200, 2000])
    parser.add_argument("--edits", type=int, default=7, help="one-line edits per document size")
    parser.add_argument("--documents", type=int, default=50)
    parser.add_argument("--document-lines", type=int, default=500)
    parser.add_argument("--deadline", type=float, default=300.0, help="seconds to wait for the open documents")
    run_and_save("lsp", main_async, markdown, parser.parse_args())


def run_and_save(name: str, measure: Callable[[argparse.Namespace], Awaitable[Any]], report: Callable[[Any], str],
                 options: argparse.Namespace) -> None:
    """Measure against the installed server, print the report and save it (and the numbers) under `name`."""
    if not SERVER.exists():
        sys.exit(f"{SERVER} not found: install the project with `pip install -e '.[test]'`")
    results = asyncio.run(measure(options))
    text = report(results)
    print(text)
    save(name, results, text)


if __name__ == "__main__":
    main()
