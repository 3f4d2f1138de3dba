"""Big documents through the real server: a 10,000- and a 50,000-line .ngb file and a Python file with 10,000
formula strings, each opened cold (the workers already warm) beside a small open document.

Measures, per big document: when its first diagnostics arrive and how many there are; when every diagnostic is
known (a diagnostic pull, which waits for the whole fast pass); when a hover near its top is answered; the
slowest answer to a request about the small document meanwhile (how long the server stalls other documents);
and the peak memory (VmRSS) of the server's process tree. Writes bench/results/big.{json,md}.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import pathlib
import sys
import tempfile
import time

from documents import document
from lsp import open_document, run_and_save, session, tree_memory
from lsprotocol import types
from report import duration, table

STALL_TARGET_S = 0.1
RSS_TARGET_MB = 300.0
VISIBLE_TARGET_S = 1.0
PROBE_EVERY_S = 0.2
HOVER_LINE = 3
FORMULAS = ("x**2 + {i}*x", "sigmoid(x)*{i}", "log(1 + exp({i}*x))", "tanh(x)**2 + {i}", "relu(x) - {i}*x",
            "exp(-x**2/{i})", "x*sigmoid({i}*x)", "sqrt(x**2 + {i})")


def python_document(formulas: int) -> str:
    lines = ["from neurogebra import Expression", ""]
    lines += [f'e{i} = Expression("e{i}", "{FORMULAS[i % len(FORMULAS)].format(i=i + 1)}")' for i in range(formulas)]
    return "\n".join(lines) + "\n"


async def measure(client, folder: pathlib.Path, name: str, text: str, language: str, deadline: float) -> dict:
    """Open `text` beside small.ngb (already analyzed) and watch it until every diagnostic is known (a diagnostic
    pull, which waits for the whole fast pass) and a hover near its top has an answer (asked again while the
    answer is null, and the pull while the server says the analysis is still running)."""
    small = types.TextDocumentIdentifier(uri=(folder / "small.ngb").as_uri())
    pid = client._server.pid
    opened = time.perf_counter()
    uri = (folder / name).as_uri()
    document = types.TextDocumentIdentifier(uri=uri)
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)))
    pull = types.DocumentDiagnosticParams(text_document=document)
    pulled = asyncio.ensure_future(client.text_document_diagnostic_async(pull))
    hover = types.HoverParams(text_document=document, position=types.Position(HOVER_LINE, 2))
    hovered = asyncio.ensure_future(client.text_document_hover_async(hover))
    stalls, peak, pulled_at, hovered_at = [], tree_memory(pid), None, None
    while time.perf_counter() - opened < deadline and (hovered_at is None or pulled_at is None):
        start = time.perf_counter()
        await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=small))
        stalls.append(time.perf_counter() - start)
        peak = max(peak, tree_memory(pid), key=lambda memory: memory["rss_mb"])
        if pulled_at is None and pulled.done():
            if pulled.exception() is None:
                pulled_at = time.perf_counter()
            else:  # "analysis still running": asked to pull again
                pulled = asyncio.ensure_future(client.text_document_diagnostic_async(pull))
        if hovered_at is None and hovered.done():
            if hovered.result() is not None:
                hovered_at = time.perf_counter()
            else:
                hovered = asyncio.ensure_future(client.text_document_hover_async(hover))
        await asyncio.sleep(PROBE_EVERY_S)
    hovered.cancel()
    pulled.cancel()
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=document))
    publishes = [(at - opened, count) for at, published, count in client.history if published == uri and at >= opened]
    first = publishes[0] if publishes else (None, None)
    return {"name": name, "lines": text.count("\n"), "first diagnostics s": first[0],
            "first diagnostics count": first[1], "publishes": len(publishes),
            "all diagnostics s": pulled_at and pulled_at - opened,
            "all diagnostics count": len(pulled.result().items) if pulled_at else None,
            "hover s": hovered_at and hovered_at - opened, "slowest other request s": max(stalls),
            "peak rss mb": peak["rss_mb"], "peak rss mb each": peak["each_rss_mb"]}


async def main_async(options: argparse.Namespace) -> list[dict]:
    small, large = round(10_000 * options.scale), round(50_000 * options.scale)
    documents = [(f"big-{small}.ngb", document(small, seed=3), "ngb"),
                 (f"big-{large}.ngb", document(large, seed=5), "ngb"),
                 (f"formulas-{small}.py", python_document(small), "python")]
    results = []
    with tempfile.TemporaryDirectory(prefix="neurogebra-big-") as name:
        folder = pathlib.Path(name)
        for file, text, language in documents:
            if options.only not in file:
                continue
            print(f"  {file}", file=sys.stderr, flush=True)
            async with session(folder) as client:
                small = open_document(client, folder, "small.ngb", document(12))
                await client.diagnostics(small, 1)
                results.append(await measure(client, folder, file, text, language, options.deadline))
    return results


def seconds(value: float | None) -> str:
    return "—" if value is None else duration(value)


def markdown(results: list[dict]) -> str:
    rows = [[r["name"], str(r["lines"]), seconds(r["first diagnostics s"]), str(r["first diagnostics count"]),
             seconds(r["all diagnostics s"]), str(r["all diagnostics count"]), str(r["publishes"]),
             seconds(r["hover s"]),
             seconds(r["slowest other request s"]), f"{r['peak rss mb']:.0f} MB",
             ", ".join(r["peak rss mb each"])] for r in results]
    return "\n".join([
        "## Big documents (bench/big.py)", "",
        table(["document", "lines", "first diagnostics", "count", "all diagnostics", "count", "publishes",
               f"hover on line {HOVER_LINE + 1}", "slowest request on another document", "peak VmRSS (tree)",
               "at the peak (MB)"],
              rows), "",
        f"Targets: first diagnostics within {VISIBLE_TARGET_S:g} s, no stall of another document over "
        f"{STALL_TARGET_S * 1000:.0f} ms, peak memory under {RSS_TARGET_MB:.0f} MB."])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deadline", type=float, default=600.0, help="seconds to wait for one document")
    parser.add_argument("--scale", type=float, default=1.0, help="document sizes times this (a quick look: 0.1)")
    parser.add_argument("--only", default="", help="only the documents whose file name has this (50000, .py)")
    run_and_save("big", main_async, markdown, parser.parse_args())


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
