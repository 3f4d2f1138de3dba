"""The Neovim plugin (editors/nvim) in a real headless Neovim against the real neurogebra-lsp.

Each test runs one Lua scenario from tests/editors/nvim/ on Neovim 0.11 and (marked `editors`, run by
`make test-editors`) on Debian's 0.7.2, and asserts on the JSON records it printed.
"""
from __future__ import annotations

from pathlib import Path

from neurogebra.catalog import catalog_functions
from neurogebra.parsing import MATH_FUNCTIONS

SYNTAX_FILE = Path(__file__).resolve().parents[2] / "editors" / "nvim" / "syntax" / "ngb.vim"
EXPECTED_DERIVATIVE = "2*x + 3"


def test_filetype_is_ngb_for_ngb_files(run_scenario):
    run = run_scenario("filetype")
    filetypes = {record["when"]: record["filetype"] for record in run.events("filetype")}
    assert filetypes["opened before setup"] == "ngb", run.report()
    assert filetypes["opened after setup"] == "ngb", run.report()
    assert filetypes["with filetype detection on"] == "ngb", run.report()
    if "vim.filetype.match" in filetypes:
        assert filetypes["vim.filetype.match"] == "ngb", run.report()


def test_one_client_per_root_following_settings(run_scenario):
    run = run_scenario("attach")
    [client] = run.events("client")
    assert client["name"] == "neurogebra"
    assert client["clients"] == 1 and client["same_client_for_both_buffers"], run.report()
    assert client["root_dir"].endswith("/project"), "the folder with pyproject.toml, not math/"
    settings = {"hover": {"maxDerivativeOrder": 1}, "inlayHints": {"enabled": False}}
    assert client["init_options"] == settings
    [configuration] = run.events("configuration")
    assert configuration["result"] == [settings]
    [hover] = run.events("hover")
    assert "f'(x) = 2*x + 3" in hover["text"] and "f''" not in hover["text"], "maxDerivativeOrder 1 reached the server"
    assert run.events("inlay_hints") == [{"event": "inlay_hints", "count": 0}], "inlay hints turned off"


def test_wrong_claim_is_an_error_on_its_line(run_scenario):
    run = run_scenario("diagnostics")
    mismatches = [d for d in run.events("diagnostic") if d["code"] == "gradient-mismatch"]
    assert len(mismatches) == 1, run.report()
    [mismatch] = mismatches
    assert mismatch["lnum"] == 2
    assert mismatch["is_error"] and mismatch["severity"] == 1
    assert mismatch["source"] == "neurogebra"


def test_hover_on_definition_shows_derivative(run_scenario):
    run = run_scenario("hover")
    [hover] = run.events("hover")
    assert EXPECTED_DERIVATIVE in (hover.get("text") or ""), run.report()


def test_insert_derivative_code_action_edits_buffer(run_scenario):
    run = run_scenario("code_action")
    assert "Insert derivative d/dx" in [action["title"] for action in run.events("action")]
    [lines] = run.events("lines")
    assert lines["lines"] == [
        "# quadratic",
        "f(x) = x**2 + 3*x + 2",
        "f'(x) = 2*x + 3",
        "f'(x) = 2*x + 5",
        "f'(0)",
    ], run.report()


def test_quick_fix_replaces_wrong_claim(run_scenario):
    run = run_scenario("quick_fix")
    assert ("Replace with the correct derivative", "quickfix") in [(a["title"], a["kind"]) for a in run.events("action")]
    [lines] = run.events("lines")
    assert lines["lines"] == ["# quadratic", "f(x) = x**2 + 3*x + 2", "f'(x) = 2*x + 3", "f'(0)"], run.report()
    assert run.events("errors") == [{"event": "errors", "count": 0}], "the fixed claim is no longer an error"


def test_evaluation_gets_inlay_hint(run_scenario):
    run = run_scenario("inlay_hints")
    requested = run.events("requested")
    assert [(hint["line"], hint["label"].strip()) for hint in requested] == [(3, "= 3")], run.report()
    assert requested[0]["character"] == len("f'(0)")
    support, *shown = run.events("shown")
    if not support["supported"]:  # Neovim 0.7 has no client-side inlay hints
        return
    assert support["enabled"], "setup() enables inlay hints on 0.10+"
    assert [(hint["line"], hint["label"].strip()) for hint in shown] == [(3, "= 3")], run.report()


def test_python_formula_string_hover(run_scenario):
    run = run_scenario("python_hover")
    assert run.events("buffer") == [{"event": "buffer", "filetype": "python"}]
    [hover] = run.events("hover")
    assert EXPECTED_DERIVATIVE in (hover.get("text") or ""), run.report()


def test_restart_command_replaces_client(run_scenario):
    run = run_scenario("restart")
    [restarted] = run.events("restarted")
    assert restarted["new_client"] and restarted["old_client_gone"], run.report()
    assert restarted["clients"] == 1
    [hover] = run.events("hover")
    assert EXPECTED_DERIVATIVE in (hover.get("text") or ""), run.report()


def test_syntax_and_ftplugin(run_scenario):
    run = run_scenario("syntax")
    [options] = run.events("options")
    assert options == {"event": "options", "filetype": "ngb", "commentstring": "# %s"}
    groups = {probe["text"]: probe["group"] for probe in run.events("syntax")}
    assert groups == {
        "#": "ngbComment",
        "TODO": "ngbTodo",
        "@domain": "ngbDomain",
        "10": "ngbNumber",
        "h": "ngbDefinition",
        "relu": "ngbCatalog",
        "sigmoid": "ngbCatalog",
        "0.5": "ngbNumber",
        "*": "ngbOperator",
        "h'": "ngbDerivative",
        "Heaviside": "ngbMathFunction",
        "d/dx": "ngbDerivative",
        "∂h/∂x": "ngbDerivative",
        "lr": "ngbDefinition",
        "1e-3": "ngbNumber",
    }, run.report()


def test_checkhealth(run_scenario, language_server):
    run = run_scenario("health")
    [health] = run.events("health")
    report = "\n".join(health["lines"])
    for expected in (f"OK: language server: {language_server}", "OK: *.ngb files get the filetype ngb",
                     "OK: client "):
        assert expected in report.replace("OK ", "OK: "), report
    assert "ERROR" not in report and "WARNING" not in report, report


def syntax_keywords(group: str) -> set[str]:
    syntax = SYNTAX_FILE.read_text(encoding="utf-8")
    prefix = f"syn keyword {group} "
    return {name for line in syntax.splitlines() if line.startswith(prefix) for name in line[len(prefix):].split()}


def test_syntax_file_names_every_catalog_entry_and_math_function():
    assert syntax_keywords("ngbCatalog") == set(catalog_functions())
    assert syntax_keywords("ngbMathFunction") == set(MATH_FUNCTIONS)


def test_missing_server_command_warns(run_scenario):
    run = run_scenario("missing_server")
    [missing] = run.events("missing")
    assert missing["filetype"] == "ngb" and missing["clients"] == 0
    assert "`no-such-neurogebra-lsp` is not executable" in missing["messages"], run.report()
