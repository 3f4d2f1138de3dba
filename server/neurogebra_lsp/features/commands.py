"""`neurogebra.checkWorkspace`: analyze every .ngb/.py file under the workspace folders, with work-done progress.

Returns a summary (counts and each file's diagnostics); clients that take pushed diagnostics also get them
published for the files that are not open (open files keep their own, live diagnostics).
"""
from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.uris import from_fs_path, to_fs_path

from neurogebra.analysis import discover, language_of
from neurogebra.analysis.model import DocumentAnalysis, Severity
from neurogebra_lsp.documents import Snapshot
from neurogebra_lsp.features.diagnostics import lsp_diagnostics
from neurogebra_lsp.pool import AnalysisFailed, Superseded
from neurogebra_lsp.worker import Job

if TYPE_CHECKING:
    from neurogebra_lsp.server import NeurogebraServer

logger = logging.getLogger(__name__)
CHECK_WORKSPACE = "neurogebra.checkWorkspace"


def workspace_paths(server: NeurogebraServer) -> list[Path]:
    uris = [folder.uri for folder in server.workspace.folders.values()] or [server.workspace.root_uri]
    return [Path(path) for uri in uris if uri and (path := to_fs_path(uri))]


def summary_line(files: int, counts: dict[Severity, int], failed: int) -> str:
    parts = [f"{counts[Severity.ERROR]} error(s)", f"{counts[Severity.WARNING]} warning(s)"]
    if failed:
        parts.append(f"{failed} file(s) could not be analyzed")
    return f"checked {files} file(s): " + ", ".join(parts)


def register(server: NeurogebraServer) -> None:
    async def analyze_file(path: Path, uri: str) -> tuple[Snapshot, DocumentAnalysis] | None:
        if uri in server.documents:
            return await server.analysis(uri)
        language = language_of(str(path))
        if language is None or (language == "python" and not server.settings.python):
            return None
        text = path.read_text(encoding="utf-8", errors="replace")
        job = Job("check:" + uri, 0, language, text, server.settings.analysis())
        return Snapshot.of(uri, 0, language, text, server.encoding), (await server.pool.submit(job)).unpack()

    @server.command(CHECK_WORKSPACE)
    async def check_workspace(*arguments: Any) -> dict[str, Any]:
        paths = discover(workspace_paths(server))
        token = None
        if server.supports("window.work_done_progress"):
            token = str(uuid.uuid4())
            await server.work_done_progress.create_async(token)
            server.work_done_progress.begin(token, types.WorkDoneProgressBegin(
                title="Neurogebra: checking the workspace", cancellable=True, percentage=0))
        counts = {severity: 0 for severity in Severity}
        documents: list[dict[str, Any]] = []
        failed = 0
        pushed = not server.supports("text_document.diagnostic")
        for done, path in enumerate(paths):
            if token is not None:
                if server.work_done_progress.tokens[token].cancelled():
                    break
                server.work_done_progress.report(token, types.WorkDoneProgressReport(
                    message=path.name, percentage=100 * done // max(1, len(paths))))
            uri = from_fs_path(str(path)) or path.as_uri()
            try:
                analyzed = await analyze_file(path, uri)
            except (OSError, AnalysisFailed, Superseded, JsonRpcException) as exc:
                logger.warning("check: %s: %s", path, exc)
                failed += 1
                continue
            if analyzed is None:
                continue
            snapshot, analysis = analyzed
            for diagnostic in analysis.diagnostics:
                counts[diagnostic.severity] += 1
            items = lsp_diagnostics(snapshot, analysis)
            if items:
                documents.append({"uri": uri, "diagnostics": items})
            if pushed and uri not in server.documents:
                server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=items))
        message = summary_line(len(paths), counts, failed)
        if token is not None:
            server.work_done_progress.end(token, types.WorkDoneProgressEnd(message=message))
            server.work_done_progress.tokens.pop(token, None)
        logger.info("check: %s", message)
        return {"files": len(paths), "errors": counts[Severity.ERROR], "warnings": counts[Severity.WARNING],
                "failed": failed, "message": message, "documents": documents}
