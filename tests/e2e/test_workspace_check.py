"""`neurogebra.checkWorkspace`: every .ngb/.py under the workspace folders, with work-done progress."""
from __future__ import annotations

import pytest
from lsprotocol import types

from lsp_session import FIXTURES, pulls

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_check_workspace_reports_progress_and_a_summary(client):
    assert "neurogebra.checkWorkspace" in client.init_result.capabilities.execute_command_provider.commands
    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="neurogebra.checkWorkspace", arguments=[]))
    files = sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".ngb", ".py"))
    assert result["files"] == len(files)
    assert result["errors"] == 2  # the wrong claim in basics.ngb, the parse error in broken.ngb
    assert result["warnings"] == 2  # the unstable claim in basics.ngb, the unstable formula string in model.py
    checked = {entry["uri"].rsplit("/", 1)[-1]: entry["diagnostics"] for entry in result["documents"]}
    assert [d["code"] for d in checked["broken.ngb"]] == ["parse-error"]
    assert checked["broken.ngb"][0]["range"] == {"start": {"line": 0, "character": 10},
                                                 "end": {"line": 0, "character": 11}}

    [reports] = client.progress_reports.values()
    assert isinstance(reports[0], types.WorkDoneProgressBegin)
    assert [r.message for r in reports[1:-1]] == files
    assert isinstance(reports[-1], types.WorkDoneProgressEnd) and reports[-1].message == result["message"]
    assert result["message"].startswith(f"checked {len(files)} file(s): 2 error(s), 2 warning(s)")

    if not pulls(client):  # files that are not open get their diagnostics pushed
        broken = (FIXTURES / "broken.ngb").as_uri()
        assert [d.code for d in client.diagnostics[broken]] == ["parse-error"]
