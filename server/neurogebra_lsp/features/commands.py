"""`neurogebra.checkWorkspace`: analyze every .ngb, .py and .ipynb file under the workspace folders, with work-done
progress (`12/63 files`) that the user can cancel.

The client may pass its own progress token, `arguments: [{"progressToken": token}]` (client-initiated progress);
otherwise the server creates one when the client supports work-done progress. Either cancellation stops the check
at once: the request's ($/cancelRequest, which pygls answers with RequestCancelled) or the progress's
(window/workDoneProgress/cancel: the summary so far comes back, with `cancelled: true`). The summary has the
counts and each file's diagnostics; clients that take pushed diagnostics also get them published for the files
that are not open (open files keep their own, live diagnostics).
"""
from __future__ import annotations

import asyncio
import logging
import uuid
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Awaitable, TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.uris import from_fs_path, to_fs_path

from neurogebra.analysis import discover, language_of
from neurogebra.analysis.model import DocumentAnalysis, Severity
from neurogebra_lsp.features.diagnostics import lsp_diagnostics
from neurogebra_lsp.pool import AnalysisFailed, Superseded

if TYPE_CHECKING:
    from neurogebra_lsp.server import NeurogebraServer

logger = logging.getLogger(__name__)
CHECK_WORKSPACE = "neurogebra.checkWorkspace"
TITLE = "Neurogebra: checking the workspace"
T = TypeVar("T")


def workspace_paths(server: NeurogebraServer) -> list[Path]:
    uris = [folder.uri for folder in server.workspace.folders.values()] or [server.workspace.root_uri]
    return [Path(path) for uri in uris if uri and (path := to_fs_path(uri))]


def client_token(arguments: tuple[Any, ...]) -> types.ProgressToken | None:
    """The client's own progress token, when its first argument is `{"progressToken": token}`."""
    options = arguments[0] if arguments and isinstance(arguments[0], dict) else {}
    token = options.get("progressToken")
    return token if isinstance(token, (str, int)) and not isinstance(token, bool) else None


def files_done(done: int, total: int) -> str:
    return f"{done}/{total} files"


@dataclass
class Tally:
    """What the check found so far."""

    total: int
    done: int = 0
    failed: int = 0
    counts: dict[Severity, int] = field(default_factory=lambda: {severity: 0 for severity in Severity})
    documents: list[dict[str, Any]] = field(default_factory=list)

    def add(self, uri: str, items: list[types.Diagnostic], analysis: DocumentAnalysis) -> None:
        for diagnostic in analysis.diagnostics:
            self.counts[diagnostic.severity] += 1
        if items:
            self.documents.append({"uri": uri, "diagnostics": items})

    def message(self, cancelled: bool) -> str:
        parts = [f"{self.counts[Severity.ERROR]} error(s)", f"{self.counts[Severity.WARNING]} warning(s)"]
        if self.failed:
            parts.append(f"{self.failed} file(s) could not be analyzed")
        head = f"cancelled after {files_done(self.done, self.total)}" if cancelled else f"checked {self.total} file(s)"
        return f"{head}: " + ", ".join(parts)

    def summary(self, cancelled: bool) -> dict[str, Any]:
        return {"files": self.done, "total": self.total, "cancelled": cancelled,
                "errors": self.counts[Severity.ERROR], "warnings": self.counts[Severity.WARNING],
                "failed": self.failed, "message": self.message(cancelled), "documents": self.documents}


def request_future(server: NeurogebraServer) -> Future | None:
    """The future pygls answers the current request with. $/cancelRequest cancels it (and pygls answers
    RequestCancelled), but not a command handler's own task, which pygls runs apart from it; watching this future
    is how the handler learns of the cancellation (pygls offers no public hook for it)."""
    protocol = server.protocol
    return None if protocol.msg_id is None else protocol._request_futures.get(protocol.msg_id)


def set_when_cancelled(event: asyncio.Event, future: Future | None) -> None:
    if future is not None:
        loop = asyncio.get_running_loop()
        future.add_done_callback(lambda done: done.cancelled() and loop.call_soon_threadsafe(event.set))


async def unless_cancelled(work: Awaitable[T], cancelled: asyncio.Event) -> T | None:
    """The work's result; as soon as `cancelled` is set, the work is cancelled and the result is None."""
    task = asyncio.ensure_future(work)
    stop = asyncio.ensure_future(cancelled.wait())
    try:
        await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop.cancel()
    if not task.done():
        task.cancel()
        return None
    return task.result()


def register(server: NeurogebraServer) -> None:
    def checked(path: Path) -> bool:
        """.ngb files; Python files and notebooks unless python.enabled is off."""
        language = language_of(str(path))
        return language is not None and server.analyzes(language)

    async def begin_progress(token: types.ProgressToken | None, total: int) -> types.ProgressToken | None:
        if token is None and server.supports("window.work_done_progress"):
            token = str(uuid.uuid4())
            await server.work_done_progress.create_async(token)
        if token is not None:
            server.work_done_progress.begin(token, types.WorkDoneProgressBegin(
                title=TITLE, cancellable=True, message=files_done(0, total), percentage=0))
        return token

    @server.command(CHECK_WORKSPACE)
    async def check_workspace(*arguments: Any) -> dict[str, Any]:
        cancelled = asyncio.Event()
        set_when_cancelled(cancelled, request_future(server))
        paths = [path for path in discover(workspace_paths(server)) if checked(path)]
        tally = Tally(total=len(paths))
        token = await begin_progress(client_token(arguments), tally.total)
        if token is not None:
            set_when_cancelled(cancelled, server.work_done_progress.tokens.get(token))
        pushed = not server.supports("text_document.diagnostic")
        summary = None
        try:
            for path in paths:
                uri = from_fs_path(str(path)) or path.as_uri()
                failure = None
                try:
                    context = await unless_cancelled(server.file_context(uri, path), cancelled)
                except (OSError, AnalysisFailed, Superseded, JsonRpcException) as exc:
                    context, failure = None, exc
                if cancelled.is_set():
                    break
                tally.done += 1
                if failure is not None:
                    logger.warning("check: %s: %s", path, failure)
                    tally.failed += 1
                if context is not None:
                    items = lsp_diagnostics(context.snapshot, context.analysis)
                    tally.add(uri, items, context.analysis)
                    if pushed and server.document(uri) is None:
                        server.text_document_publish_diagnostics(
                            types.PublishDiagnosticsParams(uri=uri, diagnostics=items))
                if token is not None:
                    server.work_done_progress.report(token, types.WorkDoneProgressReport(
                        message=files_done(tally.done, tally.total), percentage=100 * tally.done // tally.total))
            summary = tally.summary(cancelled.is_set())
        finally:
            if token is not None:
                server.work_done_progress.end(token, types.WorkDoneProgressEnd(
                    message=summary["message"] if summary else "the workspace check failed"))
                server.work_done_progress.tokens.pop(token, None)
        logger.info("check: %s", summary["message"])
        return summary
