"""The language server: one state per open document, the settings, and one analysis per document version.

A request's path: handler -> `await server.context(uri)` (the snapshot it was asked about, the analysis of exactly
that version, computed once in a worker process, and the settings and client capabilities of the moment) -> a
small formatting function in features/.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.exceptions import (
    JsonRpcContentModified,
    JsonRpcException,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcParseError,
    JsonRpcServerNotInitialized,
)
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import JsonRPCNotification, RPCRequest
from pygls.protocol.language_server import lsp_method

from neurogebra.analysis import language_of
from neurogebra.analysis.model import DocumentAnalysis
from neurogebra_lsp import __version__
from neurogebra_lsp.cells import NotebookSnapshot, notebook_key
from neurogebra_lsp.documents import Snapshot, language_for
from neurogebra_lsp.features import diagnostics, inlay_hints, notebooks, register_all
from neurogebra_lsp.pool import AnalysisFailed, Superseded, WorkerPool
from neurogebra_lsp.positions import UTF16, choose_encoding
from neurogebra_lsp.protocol import BIG_DOCUMENT_LINES, Diagnosed, Job
from neurogebra_lsp.settings import SECTION, ServerSettings, merge, parse_settings, section_of
from neurogebra_lsp.state import AnalysisRun, DocumentState, Need, RequestContext, Unpacked

if TYPE_CHECKING:
    from pygls.server import ServerErrors  # a name pygls defines for type checkers only

logger = logging.getLogger(__name__)
REQUEST_TIMEOUT_S = 20.0
RECENT_WAIT_S = 1.0
EARLY_WAIT_S = 1.0
VISIBLE_LINES = 50  # of a document opened cold, analyzed first: what an editor window shows (VS Code: about 45)
UNPACKED_KEPT = 4  # analyses kept as objects (the documents used last); the others stay packed
PARENT_POLL_S = 2.0
ANSWERED = "$/neurogebra/answered"
UNREADABLE_CHANGE = "$/neurogebra/unreadableChange"
UNOPENED_KEY = "check:"  # the pool's key of a file that is not open: UNOPENED_KEY + uri
TOO_MANY_DIGITS = "Exceeds the limit (4300 digits)"  # Python's ValueError on converting a longer integer

Analyzed = tuple[Snapshot, DocumentAnalysis]


class NeurogebraProtocol(LanguageServerProtocol):
    """pygls' protocol with these changes: UTF-8 positions whenever the client offers them; document and notebook
    text kept by the server's own snapshots (pygls' copy splits lines differently, clamps out-of-range positions by
    rewriting the request, and raises on a change to a document never opened); a request whose params do not
    fit its type is answered with InvalidParams (pygls would drop it and leave the client waiting), and such a
    didChange puts its document out of sync; and the lifecycle as the protocol says: before initialize, requests
    get ServerNotInitialized and notifications other than exit are dropped, a second initialize is refused, and
    after shutdown every request but exit gets InvalidRequest (pygls would leave it unanswered)."""

    initialized = False  # initialize has been answered

    def structure_message(self, data: dict[str, Any]):
        try:
            return super().structure_message(data)
        except JsonRpcException:
            if (uri := _unreadable_change(data)) is not None:
                return JsonRPCNotification(method=UNREADABLE_CHANGE, jsonrpc=self.VERSION, params=uri)
            if "id" not in data or "method" not in data:
                raise
            error = JsonRpcInvalidParams(f"invalid params for {data['method']}")
            self._send_response(data["id"], error=error.to_response_error())
            return JsonRPCNotification(method=ANSWERED, jsonrpc=self.VERSION, params=None)

    def handle_message(self, message: Any) -> None:
        method = getattr(message, "method", None)
        refusal = None if method is None else self._refusal(method)
        if refusal is None:
            super().handle_message(message)
        elif isinstance(message, RPCRequest):
            self._send_response(message.id, error=refusal.to_response_error())
        else:
            logger.info("notification dropped: %s", refusal)

    def _refusal(self, method: str) -> JsonRpcException | None:
        """Why the lifecycle refuses a message of `method` now; None when it does not."""
        if method == types.EXIT:
            return None
        if self._shutdown:
            return JsonRpcInvalidRequest(f"{method} after shutdown: only exit is accepted")
        if method == types.INITIALIZE and self.initialized:
            return JsonRpcInvalidRequest("initialize was already received")
        if method != types.INITIALIZE and not self.initialized:
            return JsonRpcServerNotInitialized(f"{method} before initialize")
        return None

    @lsp_method(ANSWERED)
    def answered(self, params: None) -> None:
        """The placeholder for a malformed request already answered."""

    @lsp_method(UNREADABLE_CHANGE)
    def unreadable_change(self, uri: str) -> None:
        """The placeholder for a didChange of `uri` whose params do not fit their type."""
        assert isinstance(self._server, NeurogebraServer)
        self._server.lose(uri)

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams):
        result = yield from super().lsp_initialize(params)
        assert isinstance(self._server, NeurogebraServer)
        result.capabilities.position_encoding = self._server.encoding
        self.initialized = True
        return result

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams):
        yield from self._user_handler(types.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):
        yield from self._user_handler(types.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams):
        yield from self._user_handler(types.TEXT_DOCUMENT_DID_CLOSE, params)

    @lsp_method(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def lsp_notebook_document__did_open(self, params: types.DidOpenNotebookDocumentParams):
        yield from self._user_handler(types.NOTEBOOK_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def lsp_notebook_document__did_change(self, params: types.DidChangeNotebookDocumentParams):
        yield from self._user_handler(types.NOTEBOOK_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def lsp_notebook_document__did_close(self, params: types.DidCloseNotebookDocumentParams):
        yield from self._user_handler(types.NOTEBOOK_DOCUMENT_DID_CLOSE, params)

    def _user_handler(self, method: str, params: Any):
        if (handler := self.fm.features.get(method)) is not None:
            yield handler, (params,), None


def _unreadable_change(data: dict[str, Any]) -> str | None:
    """The key of the document (or notebook) of a didChange notification whose params do not fit their type,
    when it names one."""
    method = data.get("method")
    if method not in (types.TEXT_DOCUMENT_DID_CHANGE, types.NOTEBOOK_DOCUMENT_DID_CHANGE) or "id" in data:
        return None
    notebook = method == types.NOTEBOOK_DOCUMENT_DID_CHANGE
    params = data.get("params")
    document = params.get("notebookDocument" if notebook else "textDocument") if isinstance(params, dict) else None
    uri = document.get("uri") if isinstance(document, dict) else None
    if not isinstance(uri, str):
        return None
    return notebook_key(uri) if notebook else uri


class NeurogebraServer(LanguageServer):
    def __init__(self, pool: WorkerPool) -> None:
        super().__init__("neurogebra-lsp", __version__, notebook_document_sync=notebooks.SYNC,
                         protocol_cls=NeurogebraProtocol)
        self.pool: WorkerPool | None = pool
        pool.on_diagnostics = self._fast_pass
        self.encoding = UTF16
        self.settings = ServerSettings()
        self.initialization_options: Any = None
        self._documents: dict[str, DocumentState] = {}
        self.cells: dict[str, str] = {}  # an open notebook cell's URI -> its notebook's key (features/notebooks.py)
        self._unpacked = Unpacked(UNPACKED_KEPT)
        self._background: set[asyncio.Task] = set()
        self._shown_messages: set[str] = set()  # the settings messages the user has seen
        self.shutdown_requested = False  # the exit code: 0 after shutdown, 1 otherwise (pygls loses its own)

    def supports(self, capability: str) -> bool:
        """Whether the client declared a capability, by its snake_case path: "text_document.diagnostic"."""
        return bool(get_capability(self.client_capabilities, capability, None))

    def spawn(self, coroutine: Awaitable) -> None:
        task = asyncio.ensure_future(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def refresh(self, capability: str, request: Callable[[None], Awaitable]) -> None:
        """Ask the client to pull again (workspace/inlayHint/refresh, ...) when it declared that it can."""
        async def quietly() -> None:
            try:
                await request(None)
            except Exception as exc:  # the client's problem; nothing to undo here
                logger.debug("refresh request failed: %s", exc)
        if self.supports(capability):
            self.spawn(quietly())

    # ------------------------------------------------------------------------------------------ documents

    def document(self, uri: str) -> DocumentState | None:
        """The state of an open document of ours (.ngb or Python; a notebook cell's: its notebook's), whether it is
        analyzed or not."""
        return self._documents.get(self.cells.get(uri, uri))

    def _analyzed(self, uri: str) -> DocumentState | None:
        """The state of `uri` when it is open and analyzed (not a Python document while python.enabled is off;
        nothing after shutdown, which answers the requests it interrupts with no result)."""
        state = self._documents.get(uri)
        return state if state is not None and self.pool is not None and self.analyzes(state.snapshot.language) \
            else None

    def analyzes(self, language: str) -> bool:
        """.ngb documents always; Python documents unless python.enabled is off."""
        return language == "ngb" or self.settings.python

    def open(self, item: types.TextDocumentItem) -> None:
        language = language_for(item.language_id, item.uri)
        if language is not None:
            self.track(Snapshot.of(item.uri, item.version, language, item.text, self.encoding))

    def track(self, snapshot: Snapshot) -> None:
        """Keep and analyze a document opened as `snapshot` (a text document, or a notebook's cells joined)."""
        state = DocumentState(snapshot)
        self._documents[snapshot.uri] = state
        self._schedule(state)

    def replace(self, snapshot: Snapshot) -> None:
        """A tracked document's next snapshot."""
        state = self._documents.get(snapshot.uri)
        if state is not None:
            self._update(state, snapshot)

    def change(self, params: types.DidChangeTextDocumentParams) -> None:
        state = self._documents.get(params.text_document.uri)
        if state is None:
            logger.debug("didChange for %s, which is not open (or not ours): ignored", params.text_document.uri)
            return
        edited = next((c.range.start.line for c in params.content_changes
                       if isinstance(c, types.TextDocumentContentChangePartial)), 0)
        state.focus_line = edited
        self._update(state, state.snapshot.changed(params.text_document.version, params.content_changes))

    def lose(self, uri: str) -> None:
        """A didChange of `uri` that could not be read: the document's text is unknown from now on."""
        state = self._documents.get(uri)
        if state is not None:
            self._update(state, state.snapshot.lost())

    def _update(self, state: DocumentState, snapshot: Snapshot) -> None:
        if state.snapshot.in_sync and not snapshot.in_sync:
            self._report_lost(snapshot)
        elif snapshot.in_sync and not state.snapshot.in_sync:
            logger.info("%s (version %d): the whole text came; in sync again", snapshot.uri, snapshot.version)
        state.snapshot = snapshot
        self._schedule(state)

    def _report_lost(self, snapshot: Snapshot) -> None:
        message = (f"neurogebra: an edit of {snapshot.uri} could not be applied, so the server no longer knows its "
                   "text; it is not analyzed until the editor sends the whole text (close and reopen the file)")
        logger.warning("%s (version %d)", message, snapshot.version)
        self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))

    def close(self, uri: str) -> None:
        if self.drop(uri) is not None:
            diagnostics.clear(self, uri)

    def drop(self, uri: str) -> Snapshot | None:
        """Stop keeping a document; its last snapshot, None when it was not kept."""
        state = self._documents.pop(uri, None)
        if state is None:
            return None
        self._forget(state)
        return state.snapshot

    # ------------------------------------------------------------------------------------------ analysis

    def _schedule(self, state: DocumentState) -> None:
        if self.analyzes(state.snapshot.language):
            self._run(state)
        else:
            self._forget(state)
            self._publish(state.snapshot, None)
            inlay_hints.refresh_if_changed(self, state, None)

    def _forget(self, state: DocumentState) -> None:
        state.forget_analyses()
        self._unpacked.forget(state.snapshot.uri)
        if self.pool is not None:
            self.pool.forget(state.snapshot.uri)

    def _job(self, snapshot: Snapshot, key: str | None = None, focus: tuple[int, int] | None = None) -> Job:
        return Job(key or snapshot.uri, snapshot.version, snapshot.language, snapshot.text, self.settings.analysis(),
                   focus)

    def _run(self, state: DocumentState) -> AnalysisRun:
        """The one analysis of the current version with the current settings, started when first asked for."""
        assert self.pool is not None, "analysis after shutdown"
        snapshot = state.snapshot
        if state.run is not None and state.run.is_of(snapshot, self.settings.analysis()):
            return state.run
        job = self._job(snapshot, focus=self._focus(state) if state.cold else None)
        run = state.run = AnalysisRun(snapshot, job, self.pool.submit(job))
        run.future.add_done_callback(partial(self._finished, state, run))
        return run

    @staticmethod
    def _focus(state: DocumentState) -> tuple[int, int]:
        """VISIBLE_LINES lines around the last edit, or the top of a document not edited yet."""
        lines = state.snapshot.lines
        first = max(0, min(state.focus_line - VISIBLE_LINES // 2, len(lines.starts) - VISIBLE_LINES))
        last = min(first + VISIBLE_LINES, len(lines.starts)) - 1
        return lines.starts[first], lines.line_end(last)

    def _finished(self, state: DocumentState, run: AnalysisRun, future: asyncio.Future) -> None:
        if future.cancelled() or state.run is not run or self._documents.get(state.snapshot.uri) is not state:
            return  # a newer version, newer settings or a closed document: this result is stale
        if (error := future.exception()) is not None:
            if not isinstance(error, Superseded):
                logger.error("analysis of %s (version %d) failed: %s", run.job.key, run.job.version, error)
            return
        state.finished = run
        run.early = None  # the whole analysis answers from now on: the fast pass's statements can go
        analysis = self._unpacked.unpack(run.snapshot.uri, future.result())
        if run.fast_pass is None:  # no fast pass came (a stuck or killed analysis)
            self._publish(run.snapshot, analysis)
        inlay_hints.refresh_if_changed(self, state, analysis)

    def _fast_pass(self, job: Job, message: Diagnosed) -> None:
        """Every diagnostic of this version (or, first, those of its focus), before the details hovers need."""
        state = self._documents.get(job.key)
        if state is None or state.run is None or state.run.job is not job:
            return
        run = state.run
        run.diagnosed(message.analysis, message.statements, message.complete)
        self._publish(run.snapshot, message.analysis)
        if message.complete:
            state.cold = False
            if run.partial is not None:  # a pull may have had the focus's alone
                self.refresh("workspace.diagnostics.refresh_support", self.workspace_diagnostic_refresh_async)

    def _publish(self, snapshot: Snapshot, analysis: DocumentAnalysis | None) -> None:
        if isinstance(snapshot, NotebookSnapshot):
            notebooks.publish(self, snapshot, analysis)
        else:
            diagnostics.publish(self, snapshot, analysis)

    # ------------------------------------------------------------------------------------------ requests

    async def context(self, uri: str, need: Need = Need.DETAILS) -> RequestContext | None:
        """What a request about `uri` works from; None for a document that is not ours (or not analyzed), or when
        the analysis outlasts the request's timeout. Raises ContentModified when the text changes meanwhile (a
        change of settings is waited out), RequestFailed when the analysis fails. A notebook cell is answered
        from its notebook's analysis."""
        document = self.cells.get(uri, uri)
        if need is Need.DIAGNOSTICS:
            analyzed = await self._diagnosed(document)
        elif need is Need.EARLY:
            analyzed = await self._early(document)
        elif need is Need.NAMES:
            analyzed = await self._recent(document)
        else:
            analyzed = await self._analysis(document)
        if analyzed is None:
            return None
        snapshot, analysis = analyzed
        view = snapshot.view(uri) if isinstance(snapshot, NotebookSnapshot) else snapshot  # None: the cell is gone
        return None if view is None else self._context(view, analysis)

    async def file_context(self, uri: str, path: Path) -> RequestContext | None:
        """The context of a workspace file: the open document's, else one of its text on disk, analyzed under a
        pool key of its own and kept nowhere (cancelling the wait stops that analysis)."""
        if uri in self._documents:
            return await self.context(uri)
        assert self.pool is not None, "analysis after shutdown"
        text = path.read_text(encoding="utf-8", errors="replace")
        snapshot = Snapshot.of(uri, 0, language_of(str(path)), text, self.encoding)
        job = self._job(snapshot, UNOPENED_KEY + uri)
        try:
            packed = await self.pool.submit(job)
        except asyncio.CancelledError:
            self.pool.cancel(job.key)
            raise
        return self._context(snapshot, packed.unpack())

    def _context(self, snapshot: Snapshot, analysis: DocumentAnalysis) -> RequestContext:
        return RequestContext(snapshot, analysis, self.settings, self.client_capabilities)

    async def _analysis(self, uri: str, timeout: float = REQUEST_TIMEOUT_S) -> Analyzed | None:
        """The current snapshot of `uri` and its analysis."""
        state = self._analyzed(uri)
        if state is None:
            return None
        snapshot = state.snapshot
        try:
            packed = await asyncio.wait_for(asyncio.shield(self._run(state).future), timeout)
        except Superseded:
            if self._documents.get(uri) is state and state.snapshot is snapshot:  # only the settings changed
                return await self._analysis(uri, timeout)
            raise JsonRpcContentModified(f"{uri} changed while it was being analyzed") from None
        except asyncio.TimeoutError:
            logger.warning("analysis of %s (version %d) took longer than %.0f s; answering without it",
                           uri, snapshot.version, timeout)
            return None
        except AnalysisFailed as exc:
            raise JsonRpcException(f"analysis failed: {exc}", types.LSPErrorCodes.RequestFailed) from None
        return snapshot, self._unpacked.unpack(uri, packed)

    async def _diagnosed(self, uri: str) -> Analyzed | None:
        """The fast pass of the current version as soon as it is done (the analysis, if that comes first); for a
        big document whose fast pass takes over EARLY_WAIT_S, its focus's diagnostics if they came and the client
        can be asked to pull again when the rest comes."""
        state = self._analyzed(uri)
        if state is None:
            return None
        run = self._run(state)
        if self.supports("workspace.diagnostics.refresh_support"):
            await run.settled(run.fast_pass_came, EARLY_WAIT_S)
            if run.fast_pass is None and run.partial is not None and state.run is run:
                return run.snapshot, run.partial
        await run.settled(run.fast_pass_came, REQUEST_TIMEOUT_S)
        if run.fast_pass is not None and state.run is run:
            return run.snapshot, run.fast_pass
        return await self._analysis(uri)

    async def _early(self, uri: str) -> Analyzed | None:
        """For a big document (over BIG_DOCUMENT_LINES lines), the analysis of the current version if it is done
        within EARLY_WAIT_S, else its fast pass (or its focus's) as soon as there is one: its details can take
        minutes, its first derivatives and verdicts much less. A smaller document's whole analysis, so that what
        it shows does not depend on the machine's load."""
        state = self._analyzed(uri)
        if state is None:
            return None
        if len(state.snapshot.lines.starts) <= BIG_DOCUMENT_LINES:
            return await self._analysis(uri)
        run = self._run(state)
        await asyncio.wait((run.future,), timeout=EARLY_WAIT_S)
        if not run.future.done():
            await run.settled(run.early_came, REQUEST_TIMEOUT_S)
            if run.early is not None and not run.future.done() and state.run is run:
                return run.snapshot, run.early.unpack()
        return await self._analysis(uri)

    async def _recent(self, uri: str) -> Analyzed | None:
        """The current snapshot with the current analysis if it comes within RECENT_WAIT_S, else the last
        finished one (waiting for the current one when none has finished), else an analysis of no text."""
        state = self._analyzed(uri)
        if state is None:
            return None
        snapshot = state.snapshot
        current = await self._analysis(uri, REQUEST_TIMEOUT_S if state.finished is None else RECENT_WAIT_S)
        if current is not None:
            return current
        if state.finished is None:
            return snapshot, DocumentAnalysis(snapshot.language, "")
        return snapshot, self._unpacked.unpack(uri, state.finished.future.result())

    # ------------------------------------------------------------------------------------------ settings

    async def pull_settings(self) -> None:
        """Ask the client for section `neurogebra` (laid over initializationOptions)."""
        try:
            result = await self.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)]))
        except Exception as exc:  # a client that fails the request keeps the settings we have
            logger.warning("workspace/configuration failed: %s", exc)
            return
        self.apply_settings(merge(self.initialization_options, result[0] if result else None))

    def apply_settings(self, section: Any) -> None:
        """The settings of a `neurogebra` section; each value that falls back to its default is shown once."""
        fallbacks: list[str] = []
        settings = parse_settings(section, fallbacks)
        self._show_once(fallbacks)
        previous, self.settings = self.settings, settings
        if settings == previous:
            return
        logger.info("settings: %s", settings)
        if settings.analysis() != previous.analysis():
            for state in list(self._documents.values()):
                self._schedule(state)
            self.refresh("workspace.diagnostics.refresh_support", self.workspace_diagnostic_refresh_async)
        if settings.inlay_hints != previous.inlay_hints:
            self.refresh("workspace.inlay_hint.refresh_support", self.workspace_inlay_hint_refresh_async)

    def _show_once(self, messages: list[str]) -> None:
        for message in messages:
            if message not in self._shown_messages:
                self._shown_messages.add(message)
                self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))

    # ------------------------------------------------------------------------------------------ lifecycle

    def report_server_error(self, error: Exception, source: ServerErrors) -> None:
        """A message whose JSON cannot be read (a number of more than 4,300 digits, which Python refuses to
        convert, or no JSON at all) is answered with Parse error, its id null as the protocol says since its id
        could not be read. Other errors are pygls'."""
        if source is JsonRpcException and (isinstance(error, json.JSONDecodeError) or TOO_MANY_DIGITS in str(error)):
            why = "a number in it has more than 4,300 digits" if TOO_MANY_DIGITS in str(error) else "it is not JSON"
            logger.error("a message from the client could not be read: %s", error)
            self.protocol._send_data({"jsonrpc": "2.0", "id": None, "error": {  # pygls' messages leave out a null id
                "code": JsonRpcParseError.CODE, "message": f"could not read a message: {why}"}})
            return
        super().report_server_error(error, source)

    def stop_pool(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None

    def shutdown(self) -> None:
        """The end of serving (after exit, SIGINT or the end of input): the workers stop, and pygls' threads are
        not waited for, since the one reading stdin may be blocked in a read that never ends."""
        self.stop_pool()
        if self._thread_pool is not None:
            self._thread_pool.shutdown(wait=False, cancel_futures=True)
            self._thread_pool = None
        super().shutdown()

    async def watch_parent(self, pid: int) -> None:
        """Exit when the editor that started us is gone (its pipes may outlive it)."""
        while _alive(pid):
            await asyncio.sleep(PARENT_POLL_S)
        logger.error("the client process %d is gone; exiting", pid)
        self.stop_pool()
        logging.shutdown()
        os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def create_server(pool: WorkerPool) -> NeurogebraServer:
    server = NeurogebraServer(pool)

    @server.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        server.encoding = choose_encoding(get_capability(params.capabilities, "general.position_encodings", None))
        server.initialization_options = section_of(params.initialization_options)
        server.apply_settings(server.initialization_options)
        logger.info("neurogebra-lsp %s for %s: %s positions, %s diagnostics, %d analysis workers", __version__,
                    params.client_info.name if params.client_info else "an unnamed client", server.encoding,
                    "pulled" if server.supports("text_document.diagnostic") else "pushed", pool.size)
        if params.process_id is not None and os.name == "posix":
            server.spawn(server.watch_parent(params.process_id))

    @server.feature(types.INITIALIZED)
    def initialized(params: types.InitializedParams) -> None:
        if server.supports("workspace.configuration"):
            server.spawn(server.pull_settings())

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(params: types.DidChangeConfigurationParams) -> None:
        if server.supports("workspace.configuration"):
            server.spawn(server.pull_settings())
        elif isinstance(params.settings, dict) and SECTION in params.settings:
            server.apply_settings(merge(server.initialization_options, params.settings[SECTION]))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        server.open(params.text_document)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        server.change(params)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        server.close(params.text_document.uri)

    @server.feature(types.SHUTDOWN)
    def shutdown(params: None) -> None:
        server.shutdown_requested = True
        server.stop_pool()

    register_all(server)
    return server
