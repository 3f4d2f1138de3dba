"""The Neovim plugin (editors/nvim) in a real headless Neovim against the real neurogebra-lsp.

Each scenario test runs one Lua scenario from tests/editors/nvim/ on Neovim 0.11 and (marked `editors`, run by
`make test-editors`) on Debian's 0.7.2, and asserts on the JSON records it printed. The screenshot test drives
Neovim 0.11 in a real terminal by keys, as a user would, and asserts on the screen before saving it as a picture.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from nvim.terminal import Terminal, screenshot

from neurogebra.catalog.formulas import catalog_functions
from neurogebra.parsing import MATH_FUNCTIONS

SYNTAX_FILE = Path(__file__).resolve().parents[2] / "editors" / "nvim" / "syntax" / "ngb.vim"
IMAGES = Path(__file__).resolve().parents[2] / "editors" / "nvim" / "images"
EXPECTED_DERIVATIVE = "f′(x) = 2·x + 3"


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
    assert EXPECTED_DERIVATIVE in hover["text"], run.report()
    assert "f″" not in hover["text"], "maxDerivativeOrder 1 reached the server"
    assert hover["kind"] == "markdown", "the user's capabilities go over the plugin's plaintext hovers"
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
    assert hover["kind"] == "plaintext", "the plugin asks for plaintext hovers first"


def test_hover_window_reads_clean_with_verdict_first(run_scenario):
    run = run_scenario("hover_float")
    floats = run.events("float")
    assert [f["when"] for f in floats] == ["opened before setup", "opened after setup"], run.report()
    assert floats[0]["client"] != floats[1]["client"], "two roots, two clients"
    for shown in floats:
        lines = [line for line in shown["lines"] if line.strip()]
        text = "\n".join(lines)
        assert shown["kind"] == "plaintext", text
        assert "\\" not in text and "`" not in text, f"markdown shown as source: {text}"
        assert lines[0].startswith("✗ the claimed derivative is wrong"), text
        assert any(line.startswith("swish′(x) = ") for line in lines), text


def test_insert_derivative_code_action_edits_buffer(run_scenario):
    run = run_scenario("code_action")
    assert "Insert derivative d/dx" in [action["title"] for action in run.events("action")]
    [lines] = run.events("lines")
    assert lines["lines"] == ["# cubic", "g(x) = x**3", "g'(x) = 3*x**2"], run.report()


def test_quick_fix_replaces_wrong_claim(run_scenario):
    run = run_scenario("quick_fix")
    offered = [(action["title"], action["kind"]) for action in run.events("action")]
    assert ("Replace with the correct derivative", "quickfix") in offered
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
        "∇_x h": "ngbDerivative",
        "H_x h": "ngbDerivative",
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


def line_of(screen: str, start: str) -> str:
    """The screen line whose text (after the sign column and the line number) starts with `start`."""
    [line] = [line for line in screen.splitlines() if re.match(r"..\s*\d+ " + re.escape(start), line)]
    return line


def float_lines(screen: str) -> list[str]:
    """The text inside the bordered floating window on the screen, one string per row."""
    rows = screen.splitlines()
    top = next(index for index, row in enumerate(rows) if "╭" in row)
    bottom = next(index for index, row in enumerate(rows) if index > top and "╰" in row)
    return [re.search(r"│(.*)│", row)[1].rstrip() for row in rows[top + 1:bottom]]


def assert_reads_clean(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert "\\" not in text and "`" not in text, f"markdown shown as its source:\n{text}"


@pytest.mark.editors
def test_screenshots(neovim_terminal: Terminal, tmp_path: Path):
    """editors/nvim/images: a notebook's hover, problems and values, code actions; a training script's value,
    warning and hover."""
    screen = neovim_terminal
    screen.command("edit math/notebook.ngb")
    shown = screen.wait_for("the wrong claim's error and the values", lambda text: "the claimed derivative is wrong"
                            in text and "gelu_tanh(1.0) = 0.841192" in text)
    assert "layer_norm(1, 2, 3) = −1.22474" in shown
    claim = line_of(shown, "swish'(x) = sigmoid(x)")
    assert claim.startswith("E") and "■ the claimed derivative is wrong" in claim, claim

    screen.clear_command_line()
    screen.keys("16G", "K")
    shown = screen.wait_for("the hover", lambda text: "╭" in text and "swish′(x) = " in text)
    hover = float_lines(shown)
    assert hover[0].startswith("✗ the claimed derivative is wrong"), "the verdict first"
    assert any(line.startswith("swish′(x) = ") and "(claimed)" in line for line in hover), hover
    assert_reads_clean(hover)
    screenshot(screen, IMAGES / "hover.png", tmp_path)

    screen.command("fclose")
    screen.command('lua vim.diagnostic.setqflist({ title = "Problems" })')
    shown = screen.wait_for("the Problems list", lambda text: "[Quickfix List] Problems" in text)
    assert re.search(r"notebook\.ngb\|16 col \d+-\d+ error\| the claimed derivative is wrong", shown), shown
    assert "gelu_tanh(1.0) = 0.841192" in shown, "the values stay inline"
    screenshot(screen, IMAGES / "problems.png", tmp_path)

    screen.command("cclose")
    screen.clear_command_line()
    screen.keys("16G", "g", "r", "a")
    shown = screen.wait_for("the code action menu", lambda text: "Code actions:" in text)
    assert "1: Replace with the correct derivative" in shown, shown
    screenshot(screen, IMAGES / "code-action.png", tmp_path)
    screen.keys("1", "Enter")
    shown = screen.wait_for("the fix to replace the claim", lambda text: "(1 + sigmoid(x))" not in text
                            and "the claimed derivative is wrong" not in text)
    assert not line_of(shown, "swish'(x) =").startswith("E"), shown

    screen.command("edit train.py")
    shown = screen.wait_for("the value and the warning", lambda text: "print(act_grad.eval(x=0.5)) = 0.86737" in text
                            and re.search(r"^W .* sigmoid_grad = Expression", text, re.MULTILINE))
    assert "■ unstable" in line_of(shown, "sigmoid_grad = Expression"), shown
    screen.clear_command_line()
    screenshot(screen, IMAGES / "python.png", tmp_path)

    screen.keys("7G", "0", "3", "W", "l", "K")
    shown = screen.wait_for("the hover", lambda text: "╭" in text and "′(x) = " in text)
    hover = float_lines(shown)
    assert re.match(r"\w+\(x\) = 0\.5·x·", hover[0]), hover
    assert any(re.match(r"\w+′\(x\) = ", line) for line in hover), hover
    assert_reads_clean(hover)
    screenshot(screen, IMAGES / "python-hover.png", tmp_path)
