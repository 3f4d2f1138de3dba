"""The language server: open documents as snapshots, settings, and one analysis per document version.

A request's path: handler -> `await server.analysis(uri)` (the snapshot it was asked about and the analysis of
exactly that version, computed once in a worker process) -> a small formatting function in features/.
"""
from __future__ import annotations

import asyncio
import logging
import os
from collections import OrderedDict
from functools import partial
from typing import Any, Awaitable, Callable

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.exceptions import JsonRpcContentModified, JsonRpcException, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import JsonRPCNotification
from pygls.protocol.language_server import lsp_method

from neurogebra.analysis.model import DocumentAnalysis, Settings
from neurogebra_lsp import __version__
from neurogebra_lsp.documents import Snapshot, language_for
from neurogebra_lsp.positions import UTF16, choose_encoding
from neurogebra_lsp.settings import SECTION, ServerSettings, merge, parse_settings, section_of
from neurogebra_lsp.pool import AnalysisFailed, Superseded, WorkerPool
from neurogebra_lsp.worker import Job, PackedAnalysis

logger = logging.getLogger(__name__)
REQUEST_TIMEOUT_S = 20.0
RECENT_WAIT_S = 1.0
UNPACKED_KEPT = 4  # analyses kept as objects (the documents used last); the others stay packed
PARENT_POLL_S = 2.0
REQUEST_FAILED = -32803  # LSP's RequestFailed
ANSWERED = "$/neurogebra/answered"

Analyzed = tuple[Snapshot, DocumentAnalysis]


class NeurogebraProtocol(LanguageServerProtocol):
    """pygls' protocol with three changes: UTF-8 positions whenever the client offers them; document text kept
    by the server's own snapshots (pygls' copy splits lines differently, clamps out-of-range positions by
    rewriting the request, and raises on a change to a document never opened); and a request whose params do not
    fit its type is answered with InvalidParams (pygls would drop it and leave the client waiting)."""

    def structure_message(self, data: dict[str, Any]):
        try:
            return super().structure_message(data)
        except JsonRpcException:
            if "id" not in data or "method" not in data:
                raise
            error = JsonRpcInvalidParams(f"invalid params for {data['method']}")
            self._send_response(data["id"], error=error.to_response_error())
            return JsonRPCNotification(method=ANSWERED, jsonrpc=self.VERSION, params=None)

    @lsp_method(ANSWERED)
    def answered(self, params: None) -> None:
        """The placeholder for a malformed request already answered."""

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams):
        result = yield from super().lsp_initialize(params)
        result.capabilities.position_encoding = self._server.encoding
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

    def _user_handler(self, method: str, params: Any):
        if (handler := self.fm.features.get(method)) is not None:
            yield handler, (params,), None


class NeurogebraServer(LanguageServer):
    def __init__(self, pool: WorkerPool) -> None:
        super().__init__("neurogebra-lsp", __version__, protocol_cls=NeurogebraProtocol)
        self.pool: WorkerPool | None = pool
        pool.on_diagnostics = self._fast_pass
        self.encoding = UTF16
        self.settings = ServerSettings()
        self.initialization_options: Any = None
        self.documents: dict[str, Snapshot] = {}
        self._analyses: dict[str, tuple[tuple[int, Settings], asyncio.Future[PackedAnalysis]]] = {}
        self._latest: dict[str, tuple[Snapshot, PackedAnalysis]] = {}  # the last finished one, whatever its version
        self._unpacked: OrderedDict[str, PackedAnalysis] = OrderedDict()
        self._diagnosed: dict[str, tuple[tuple[int, Settings], Analyzed]] = {}  # fast passes, by (version, settings)
        self.on_analysis: list[Callable[[Snapshot, DocumentAnalysis | None], None]] = []
        self.on_diagnostics: list[Callable[[Snapshot, DocumentAnalysis | None], None]] = []
        self.on_close: list[Callable[[str], None]] = []
        self._background: set[asyncio.Task] = set()
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

    def open(self, item: types.TextDocumentItem) -> None:
        language = language_for(item.language_id, item.uri)
        if language is None:
            return
        self.documents[item.uri] = Snapshot.of(item.uri, item.version, language, item.text, self.encoding)
        self.schedule(self.documents[item.uri])

    def change(self, params: types.DidChangeTextDocumentParams) -> None:
        snapshot = self.documents.get(params.text_document.uri)
        if snapshot is None:
            logger.debug("didChange for %s, which is not open (or not ours): ignored", params.text_document.uri)
            return
        self.documents[snapshot.uri] = snapshot.changed(params.text_document.version, params.content_changes)
        self.schedule(self.documents[snapshot.uri])

    def close(self, uri: str) -> None:
        if self.documents.pop(uri, None) is None:
            return
        self._forget(uri)
        for listener in self.on_close:
            listener(uri)

    def analyzable(self, snapshot: Snapshot) -> bool:
        return snapshot.language == "ngb" or self.settings.python

    # ------------------------------------------------------------------------------------------ analysis

    def schedule(self, snapshot: Snapshot) -> None:
        if self.analyzable(snapshot):
            self._future(snapshot)
        else:
            self._forget(snapshot.uri)
            for listener in self.on_diagnostics + self.on_analysis:
                listener(snapshot, None)

    def _forget(self, uri: str) -> None:
        self._analyses.pop(uri, None)
        self._latest.pop(uri, None)
        self._unpacked.pop(uri, None)
        self._diagnosed.pop(uri, None)
        if self.pool is not None:
            self.pool.forget(uri)

    def _unpack(self, uri: str, packed: PackedAnalysis) -> DocumentAnalysis:
        """The analysis as objects; only the UNPACKED_KEPT documents used last stay unpacked."""
        analysis = packed.unpack()
        previous = self._unpacked.pop(uri, None)
        if previous is not None and previous is not packed:
            previous.drop()
        self._unpacked[uri] = packed
        while len(self._unpacked) > UNPACKED_KEPT:
            self._unpacked.popitem(last=False)[1].drop()
        return analysis

    def _future(self, snapshot: Snapshot) -> asyncio.Future[PackedAnalysis]:
        """The one analysis of this version with the current settings, started when first asked for."""
        assert self.pool is not None, "analysis after shutdown"
        settings = self.settings.analysis()
        key = (snapshot.version, settings)
        cached = self._analyses.get(snapshot.uri)
        if cached is not None and cached[0] == key:
            return cached[1]
        future = self.pool.submit(Job(snapshot.uri, snapshot.version, snapshot.language, snapshot.text, settings))
        self._analyses[snapshot.uri] = (key, future)
        future.add_done_callback(partial(self._analyzed, snapshot, key))
        return future

    def _analyzed(self, snapshot: Snapshot, key: tuple[int, Settings], future: asyncio.Future) -> None:
        current = self._analyses.get(snapshot.uri)
        if future.cancelled() or current is None or current[0] != key:
            return  # a newer version or newer settings: this result is stale
        if (error := future.exception()) is not None:
            if not isinstance(error, Superseded):
                logger.error("analysis of %s (version %d) failed: %s", snapshot.uri, snapshot.version, error)
            return
        self._latest[snapshot.uri] = (snapshot, future.result())
        analysis = self._unpack(snapshot.uri, future.result())
        diagnosed = self._diagnosed.get(snapshot.uri)
        if diagnosed is None or diagnosed[0] != key:  # no fast pass came (a stuck or killed analysis)
            for listener in self.on_diagnostics:
                listener(snapshot, analysis)
        for listener in self.on_analysis:
            listener(snapshot, analysis)

    def _fast_pass(self, job: Job, analysis: DocumentAnalysis) -> None:
        """Every diagnostic of this version, before the details hovers need are ready."""
        key = (job.version, job.settings)
        current = self._analyses.get(job.key)
        snapshot = self.documents.get(job.key)
        if current is None or current[0] != key or snapshot is None or snapshot.version != job.version:
            return
        self._diagnosed[job.key] = (key, (snapshot, analysis))
        for listener in self.on_diagnostics:
            listener(snapshot, analysis)

    async def diagnosed(self, uri: str) -> Analyzed | None:
        """For diagnostics: the fast pass of the current version when it is done, else the analysis."""
        snapshot = self.documents.get(uri)
        early = self._diagnosed.get(uri)
        if snapshot is not None and early is not None and early[0] == (snapshot.version, self.settings.analysis()):
            return early[1]
        return await self.analysis(uri)

    async def analysis(self, uri: str, timeout: float = REQUEST_TIMEOUT_S) -> Analyzed | None:
        """The current snapshot of `uri` and its analysis; None for documents that are not ours (or when the
        analysis outlasts `timeout`). Raises ContentModified when the text changes meanwhile; a change of settings
        is waited out."""
        snapshot = self.documents.get(uri)
        if snapshot is None or not self.analyzable(snapshot):
            return None
        try:
            packed = await asyncio.wait_for(asyncio.shield(self._future(snapshot)), timeout)
        except Superseded:
            if self.documents.get(uri) is snapshot:  # only the settings changed: positions still hold
                return await self.analysis(uri, timeout)
            raise JsonRpcContentModified(f"{uri} changed while it was being analyzed") from None
        except asyncio.TimeoutError:
            logger.warning("analysis of %s (version %d) took longer than %.0f s; answering without it",
                           uri, snapshot.version, timeout)
            return None
        except AnalysisFailed as exc:
            raise JsonRpcException(f"analysis failed: {exc}", REQUEST_FAILED) from None
        return snapshot, self._unpack(uri, packed)

    async def analysis_at(self, uri: str, position: types.Position) -> tuple[Snapshot, DocumentAnalysis, int] | None:
        """The current analysis of `uri` and the offset of `position` in its text."""
        analyzed = await self.analysis(uri)
        if analyzed is None:
            return None
        snapshot, analysis = analyzed
        return snapshot, analysis, snapshot.lines.offset(position)

    async def recent_analysis(self, uri: str) -> Analyzed | None:
        """For completion and signature help, where names matter more than freshness: the current analysis if it
        comes within RECENT_WAIT_S, else the last finished one (or the current one when none has finished)."""
        if uri not in self._latest:
            return await self.analysis(uri)
        current = await self.analysis(uri, timeout=RECENT_WAIT_S)
        if current is not None or uri not in self._latest:
            return current
        snapshot, packed = self._latest[uri]
        return snapshot, self._unpack(uri, packed)

    # ------------------------------------------------------------------------------------------ settings

    async def pull_settings(self) -> None:
        """Ask the client for section `neurogebra` (laid over initializationOptions)."""
        try:
            result = await self.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)]))
        except Exception as exc:  # a client that fails the request keeps the settings we have
            logger.warning("workspace/configuration failed: %s", exc)
            return
        self.apply_settings(parse_settings(merge(self.initialization_options, result[0] if result else None)))

    def apply_settings(self, settings: ServerSettings) -> None:
        previous, self.settings = self.settings, settings
        if settings == previous:
            return
        logger.info("settings: %s", settings)
        if settings.analysis() != previous.analysis():
            for snapshot in list(self.documents.values()):
                self.schedule(snapshot)
            self.refresh("workspace.diagnostics.refresh_support", self.workspace_diagnostic_refresh_async)
        if settings.inlay_hints != previous.inlay_hints:
            self.refresh("workspace.inlay_hint.refresh_support", self.workspace_inlay_hint_refresh_async)

    # ------------------------------------------------------------------------------------------ lifecycle

    def stop_pool(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None

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
    from neurogebra_lsp.features import register_all

    server = NeurogebraServer(pool)

    @server.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        server.encoding = choose_encoding(get_capability(params.capabilities, "general.position_encodings", None))
        server.initialization_options = section_of(params.initialization_options)
        server.apply_settings(parse_settings(server.initialization_options))
        logger.info("neurogebra-lsp %s for %s: %s positions, %s diagnostics, %d analysis workers", __version__,
                    params.client_info.name if params.client_info else "an unnamed client", server.encoding,
                    "pulled" if server.supports("text_document.diagnostic") else "pushed", server.pool.size)
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
            server.apply_settings(parse_settings(merge(server.initialization_options, params.settings[SECTION])))

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
