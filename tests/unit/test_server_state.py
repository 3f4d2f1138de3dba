"""state.py and the server's side of it: one DocumentState per open document, from didOpen to didClose, and the
RequestContext a handler gets. The pool here is a stand-in whose analyses finish when the test says."""
from __future__ import annotations

import asyncio

from lsprotocol import types

from neurogebra.analysis.model import DocumentAnalysis
from neurogebra_lsp import server as server_module
from neurogebra_lsp.positions import UTF8
from neurogebra_lsp.protocol import BIG_DOCUMENT_LINES, Diagnosed, Job, PackedAnalysis
from neurogebra_lsp.server import NeurogebraServer
from neurogebra_lsp.state import Need

URI = "file:///demo.ngb"
PULLING = types.ClientCapabilities(
    text_document=types.TextDocumentClientCapabilities(diagnostic=types.DiagnosticClientCapabilities()),
    workspace=types.WorkspaceClientCapabilities(
        diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)),
    general=types.GeneralClientCapabilities(position_encodings=[UTF8]))


class Pool:
    size = 1

    def __init__(self) -> None:
        self.on_diagnostics = None
        self.jobs: list[Job] = []
        self.futures: list[asyncio.Future[PackedAnalysis]] = []
        self.forgotten: list[str] = []

    def submit(self, job: Job) -> asyncio.Future[PackedAnalysis]:
        self.jobs.append(job)
        self.futures.append(asyncio.get_running_loop().create_future())
        return self.futures[-1]

    def forget(self, key: str) -> None:
        self.forgotten.append(key)

    def finish(self, index: int) -> None:
        """Job `index` ends with an analysis of its own text."""
        self.futures[index].set_result(PackedAnalysis(DocumentAnalysis("ngb", self.jobs[index].text)))


def started() -> tuple[NeurogebraServer, Pool]:
    pool = Pool()
    server = NeurogebraServer(pool)
    server.protocol.client_capabilities = PULLING
    server.encoding = UTF8
    server.open(types.TextDocumentItem(uri=URI, language_id="ngb", version=1, text="f(x) = x"))
    return server, pool


def change(server: NeurogebraServer, version: int, text: str) -> None:
    server.change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


async def test_a_document_has_one_state_from_open_to_close():
    server, pool = started()
    state = server.document(URI)
    assert state.snapshot.version == 1 and [job.text for job in pool.jobs] == ["f(x) = x"]
    change(server, 2, "f(x) = 2*x")
    assert server.document(URI) is state and state.snapshot.text == "f(x) = 2*x" and state.run.job is pool.jobs[1]
    server.close(URI)
    assert server.document(URI) is None and pool.forgotten == [URI]


async def test_a_request_gets_the_snapshot_it_asked_about_its_analysis_and_the_client_in_one_context():
    server, pool = started()
    asked = asyncio.ensure_future(server.context(URI))
    await asyncio.sleep(0)
    pool.finish(0)
    context = await asked
    assert context.snapshot is server.document(URI).snapshot and context.analysis.text == "f(x) = x"
    assert context.settings is server.settings and context.encoding == UTF8
    assert context.supports("text_document.diagnostic") and not context.supports("text_document.hover")
    assert context.offset(types.Position(line=0, character=7)) == 7


async def test_a_stale_analysis_is_dropped_and_a_newer_one_kept():
    server, pool = started()
    change(server, 2, "f(x) = 2*x")
    pool.finish(0)
    pool.finish(1)
    await asyncio.sleep(0)
    assert server.document(URI).finished.job is pool.jobs[1]


async def test_diagnostics_come_from_the_fast_pass_without_waiting_for_the_details():
    server, pool = started()
    pool.on_diagnostics(pool.jobs[0], Diagnosed(1, DocumentAnalysis("ngb", "fast")))
    context = await asyncio.wait_for(server.context(URI, Need.DIAGNOSTICS), 1)
    assert context.analysis.text == "fast"


async def test_a_pull_sent_before_the_fast_pass_gets_it_when_it_comes_not_after_the_details():
    server, pool = started()
    asked = asyncio.ensure_future(server.context(URI, Need.DIAGNOSTICS))
    await asyncio.sleep(0.01)
    pool.on_diagnostics(pool.jobs[0], Diagnosed(1, DocumentAnalysis("ngb", "fast")))
    assert (await asyncio.wait_for(asked, 1)).analysis.text == "fast" and not pool.futures[0].done()


async def test_a_big_documents_hover_gets_the_fast_pass_when_the_details_are_late(monkeypatch):
    monkeypatch.setattr(server_module, "EARLY_WAIT_S", 0.01)
    server, pool = started()
    change(server, 2, "f(x) = x\n" * (BIG_DOCUMENT_LINES + 1))
    asked = asyncio.ensure_future(server.context(URI, Need.EARLY))
    await asyncio.sleep(0.05)
    assert not asked.done()  # nothing to answer from yet
    fast = DocumentAnalysis("ngb", "fast")
    pool.on_diagnostics(pool.jobs[1], Diagnosed(2, fast.diagnostics_only(), PackedAnalysis(fast)))
    assert (await asyncio.wait_for(asked, 1)).analysis.text == "fast"


async def test_a_document_opened_cold_shows_its_top_first_and_a_pull_gets_it_while_the_rest_is_late(monkeypatch):
    monkeypatch.setattr(server_module, "EARLY_WAIT_S", 0.01)
    server, pool = started()
    assert pool.jobs[0].focus == (0, len("f(x) = x"))  # the top of the document: here all of it
    asked = asyncio.ensure_future(server.context(URI, Need.DIAGNOSTICS))
    pool.on_diagnostics(pool.jobs[0], Diagnosed(1, DocumentAnalysis("ngb", "top"), complete=False))
    assert (await asyncio.wait_for(asked, 1)).analysis.text == "top"
    pool.on_diagnostics(pool.jobs[0], Diagnosed(1, DocumentAnalysis("ngb", "all")))
    assert (await server.context(URI, Need.DIAGNOSTICS)).analysis.text == "all"
    change(server, 2, "f(x) = 2*x")
    assert pool.jobs[1].focus is None  # after the first fast pass, edits are analyzed in document order


async def test_a_document_edited_before_its_first_fast_pass_shows_the_edited_part_first():
    server, pool = started()
    change(server, 2, "f(x) = x\n" * 1000)
    server.change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=3),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=500, character=7), end=types.Position(line=500, character=8)),
            text="y")]))
    start, end = pool.jobs[2].focus
    text = pool.jobs[2].text
    assert (text.count("\n", 0, start), text.count("\n", 0, end)) == (475, 524)  # 50 lines around line 500


async def test_a_small_documents_hover_waits_for_the_details(monkeypatch):
    monkeypatch.setattr(server_module, "EARLY_WAIT_S", 0.01)
    server, pool = started()
    asked = asyncio.ensure_future(server.context(URI, Need.EARLY))
    pool.on_diagnostics(pool.jobs[0], Diagnosed(1, DocumentAnalysis("ngb", "fast")))
    await asyncio.sleep(0.05)
    assert not asked.done()  # what it shows does not depend on the machine's load
    pool.finish(0)
    assert (await asyncio.wait_for(asked, 1)).analysis.text == "f(x) = x"


async def test_names_come_from_the_last_finished_analysis_when_the_current_one_is_late(monkeypatch):
    monkeypatch.setattr(server_module, "RECENT_WAIT_S", 0.01)
    server, pool = started()
    pool.finish(0)
    await asyncio.sleep(0)
    change(server, 2, "f(x) = 2*x")
    context = await server.context(URI, Need.NAMES)
    assert context.snapshot.version == 2 and context.analysis.text == "f(x) = x"


async def test_python_documents_have_no_context_while_python_is_off():
    server, pool = started()
    server.settings = server_module.ServerSettings(python=False)
    server.open(types.TextDocumentItem(uri="file:///t.py", language_id="python", version=1, text="x = 1"))
    assert server.document("file:///t.py") is not None and await server.context("file:///t.py") is None
    assert [job.key for job in pool.jobs] == [URI]
