"""`neurogebra.checkWorkspace`: every .ngb, .py and .ipynb file under the workspace folders, with work-done progress
(`k/n files`) on the server's token or the client's, stopped by cancelling the progress or the request."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import pytest_lsp
from lsp_session import CONFIG, FIXTURES, WAIT_S, capabilities_of, column, encoding, eventually, pulls, start, until
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient

pytestmark = pytest.mark.asyncio(loop_scope="module")
CHECKED_SUFFIXES = (".ngb", ".py", ".ipynb")
BUSY_FILES = 120  # each a few tens of milliseconds of analysis: a check that cannot end before a cancel arrives
REQUEST_CANCELLED = -32800


def check_params(token: str | None = None) -> types.ExecuteCommandParams:
    arguments = [{"progressToken": token}] if token is not None else []
    return types.ExecuteCommandParams(command="neurogebra.checkWorkspace", arguments=arguments)


def progress_messages(total: int, done: int) -> list[str]:
    return [f"{k}/{total} files" for k in range(1, done + 1)]


def severities(result: dict, severity: types.DiagnosticSeverity) -> int:
    return sum(d["severity"] == severity for entry in result["documents"] for d in entry["diagnostics"])


def diagnostics_of(result: dict, name: str) -> list[dict]:
    return next(entry["diagnostics"] for entry in result["documents"] if entry["uri"].endswith("/" + name))


async def test_check_workspace_reports_progress_and_a_summary(client):
    assert "neurogebra.checkWorkspace" in client.init_result.capabilities.execute_command_provider.commands
    tokens = set(client.progress_reports)
    result = await client.workspace_execute_command_async(check_params())
    files = sorted(p.name for p in FIXTURES.iterdir() if p.suffix in CHECKED_SUFFIXES)
    assert (result["files"], result["total"], result["cancelled"]) == (len(files), len(files), False)
    assert result["errors"] == severities(result, types.DiagnosticSeverity.Error) > 0
    assert result["warnings"] == severities(result, types.DiagnosticSeverity.Warning) > 0
    broken = diagnostics_of(result, "broken.ngb")
    assert [d["code"] for d in broken] == ["parse-error"]
    assert broken[0]["range"] == {"start": {"line": 0, "character": 10}, "end": {"line": 0, "character": 11}}

    [token] = set(client.progress_reports) - tokens  # the server made its own
    reports = client.progress_reports[token]
    assert isinstance(reports[0], types.WorkDoneProgressBegin) and reports[0].cancellable
    assert reports[0].message == f"0/{len(files)} files"
    assert [r.message for r in reports[1:-1]] == progress_messages(len(files), len(files))
    assert [r.percentage for r in reports[1:-1]] == [100 * k // len(files) for k in range(1, len(files) + 1)]
    assert isinstance(reports[-1], types.WorkDoneProgressEnd) and reports[-1].message == result["message"]
    assert result["message"].startswith(
        f"checked {len(files)} file(s): {result['errors']} error(s), {result['warnings']} warning(s)")

    if not pulls(client):  # files that are not open get their diagnostics pushed
        assert [d.code for d in client.diagnostics[(FIXTURES / "broken.ngb").as_uri()]] == ["parse-error"]


async def test_progress_goes_on_the_clients_token_when_it_gives_one(client):
    token = "client-made"
    client.progress_reports[token] = []  # the client made it (no window/workDoneProgress/create)
    tokens = set(client.progress_reports)
    result = await client.workspace_execute_command_async(check_params(token))
    assert set(client.progress_reports) == tokens
    reports = client.progress_reports[token]
    assert isinstance(reports[0], types.WorkDoneProgressBegin)
    assert [r.message for r in reports[1:-1]] == progress_messages(result["total"], result["total"])
    assert isinstance(reports[-1], types.WorkDoneProgressEnd) and reports[-1].message == result["message"]


async def test_an_argument_that_is_not_a_progress_token_is_ignored(client):
    tokens = set(client.progress_reports)
    params = types.ExecuteCommandParams(command="neurogebra.checkWorkspace", arguments=[{"progressToken": [1]}, 2])
    result = await client.workspace_execute_command_async(params)
    assert not result["cancelled"] and result["files"] == result["total"]
    [token] = set(client.progress_reports) - tokens  # on the server's own token
    assert client.progress_reports[token][-1].message == result["message"]


async def test_a_notebooks_formula_is_reported_at_its_place_in_the_json_with_its_cell(client):
    result = await client.workspace_execute_command_async(check_params())
    text = (FIXTURES / "training.ipynb").read_text(encoding="utf-8")
    formula = "exp(-x)/(1 + exp(-x))**2"  # the hand-written sigmoid gradient in cell 3, after non-ASCII text
    start = text.index(formula)
    line = text.count("\n", 0, start)
    line_text = text[text.rindex("\n", 0, start) + 1:start]
    character = column(line_text, encoding(client))
    expected = {"start": {"line": line, "character": character},
                "end": {"line": line, "character": character + len(formula)}}
    [warning] = [d for d in diagnostics_of(result, "training.ipynb") if d["range"] == expected]
    assert warning["code"] == "unstable-form" and warning["message"].startswith("cell 3, line 2: ")


async def test_python_disabled_skips_notebooks_too(client):
    client.set_configuration({"python": {"enabled": False}}, section="neurogebra")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    ngb_files = len(list(FIXTURES.glob("*.ngb")))
    result = await until(lambda: client.workspace_execute_command_async(check_params()),
                         lambda result: result["total"] == ngb_files)
    assert all(entry["uri"].endswith(".ngb") for entry in result["documents"])
    client.set_configuration({}, section="neurogebra")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))


@pytest.fixture(scope="module")
def busy_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("busy")
    for i in range(BUSY_FILES):  # different formulas, so that no file is analyzed from another's cache
        (folder / f"f{i:03}.ngb").write_text(f"f(x) = x**2 + {i}*x\nf'(x) = 2*x + {i + 1}\n", encoding="utf-8")
    return folder


@pytest_lsp.fixture(config=CONFIG, scope="module")
async def busy(lsp_client: LanguageClient, busy_folder: Path):
    """A server on a workspace of BUSY_FILES files, each with one wrong claim, as VS Code runs the check."""
    await start(lsp_client, capabilities_of("visual-studio-code"), folder=busy_folder)
    yield
    await lsp_client.shutdown_session()


async def first_report(client: LanguageClient, token: str) -> None:
    await eventually(lambda: any(isinstance(r, types.WorkDoneProgressReport) for r in client.progress_reports[token]))


async def test_cancelling_the_progress_stops_the_check_with_what_it_found(busy):
    token = "cancelled-progress"
    busy.progress_reports[token] = []
    check = asyncio.ensure_future(busy.workspace_execute_command_async(check_params(token)))
    await first_report(busy, token)
    busy.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
    result = await asyncio.wait_for(check, WAIT_S)
    assert result["cancelled"] and 1 <= result["files"] < result["total"] == BUSY_FILES
    assert result["errors"] == result["files"]  # one wrong claim in each file checked
    assert result["message"] == f"cancelled after {result['files']}/{BUSY_FILES} files: {result['errors']} error(s), " \
                                f"0 warning(s)"
    reports = busy.progress_reports[token]
    assert [r.message for r in reports[1:-1]] == progress_messages(BUSY_FILES, result["files"])
    assert isinstance(reports[-1], types.WorkDoneProgressEnd) and reports[-1].message == result["message"]


async def test_cancelling_the_request_answers_request_cancelled_and_ends_the_progress(busy):
    token = "cancelled-request"
    busy.progress_reports[token] = []
    check = asyncio.ensure_future(busy.protocol.send_request_async(types.WORKSPACE_EXECUTE_COMMAND,
                                                                   check_params(token), msg_id=token))
    await first_report(busy, token)
    busy.cancel_request(types.CancelParams(id=token))
    with pytest.raises(JsonRpcException) as raised:
        await asyncio.wait_for(check, WAIT_S)
    assert raised.value.code == REQUEST_CANCELLED
    end = await eventually(lambda: isinstance(busy.progress_reports[token][-1], types.WorkDoneProgressEnd)
                           and busy.progress_reports[token][-1])
    assert end.message.startswith("cancelled after ")
    assert len(busy.progress_reports[token]) < BUSY_FILES + 2  # begin, fewer reports than files, end


async def test_a_check_after_cancelled_ones_runs_to_the_end(busy):
    result = await busy.workspace_execute_command_async(check_params())
    assert not result["cancelled"] and result["files"] == result["total"] == BUSY_FILES
    assert result["errors"] == BUSY_FILES
