"""`neurogebra check`: output format, exit codes, folders, JSON, results."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from neurogebra.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "good.ngb").write_text("f(x) = x**2\nf'(x) = 2*x\nf'(3)\n", encoding="utf-8")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "bad.ngb").write_text("g(x) = x**3\ng'(x) = 2*x\n", encoding="utf-8")
    (tmp_path / "pkg" / "model.py").write_text(
        'from neurogebra import Expression\nf = Expression("f", "2x")\n', encoding="utf-8")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "ignored.ngb").write_text("q'(x) = 1\n", encoding="utf-8")
    return tmp_path


def test_diagnostics_format_and_exit_code(tree, capsys):
    assert main(["check", "--jobs", "1", str(tree)]) == 1
    out = capsys.readouterr().out.splitlines()
    bad = tree / "pkg" / "bad.ngb"
    assert any(line.startswith(f"{bad}:2:9: error: the claimed derivative is wrong") for line in out)
    assert any(line.startswith(f"{tree / 'pkg' / 'model.py'}:2:22: error: implicit multiplication") for line in out)
    assert out[-1] == "3 file(s) checked: 2 error(s), 0 warning(s), 0 info"
    assert "ignored.ngb" not in "\n".join(out)


def test_clean_file_exits_zero_and_exit_zero_flag(tree, capsys):
    assert main(["check", str(tree / "good.ngb")]) == 0
    assert main(["check", "--exit-zero", "--jobs", "1", str(tree)]) == 0


def test_json_output(tree, capsys):
    main(["check", "--format", "json", "--jobs", "1", str(tree / "pkg" / "bad.ngb")])
    [row] = json.loads(capsys.readouterr().out)
    assert (row["line"], row["column"], row["severity"], row["code"]) == (2, 9, "error", "gradient-mismatch")
    assert (row["end_line"], row["end_column"]) == (2, 12)


def test_show_results_prints_derivatives_and_values(tree, capsys):
    main(["check", "--show-results", str(tree / "good.ngb")])
    out = capsys.readouterr().out
    assert "f'(x) = 2*x" in out and "f'(3)  = 6" in out


def test_show_results_names_a_gradient_rule_by_its_label(tmp_path, capsys):
    rule = tmp_path / "rule.py"
    rule.write_text("import numpy as np\n\n\ndef f(x):\n    return x ** 3\n\n\ndef f_grad(x):\n"
                    "    y = x * x\n    return 3 * y\n", encoding="utf-8")
    main(["check", "--show-results", str(rule)])
    out = capsys.readouterr().out
    assert "    8  f: f_grad\n" in out and "def f_grad" not in out


def test_missing_path_is_a_usage_error(tmp_path):
    with pytest.raises(SystemExit) as caught:
        main(["check", str(tmp_path / "nope.ngb")])
    assert caught.value.code == 2


def test_console_script_on_the_examples_with_all_cores():
    result = subprocess.run([sys.executable, "-m", "neurogebra.cli", "check", "--exit-zero", str(EXAMPLES)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "mistakes.ngb:5:9: error: the claimed derivative is wrong" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith(f"{len(list(EXAMPLES.iterdir()))} file(s) checked")


def test_dtype_judges_stability_in_float32(tmp_path, capsys):
    notebook = tmp_path / "logits.ngb"
    notebook.write_text("@domain x in [50, 200]\np(x) = exp(x)/(1 + exp(x))\n", encoding="utf-8")
    assert main(["check", "--format", "json", str(notebook)]) == 0
    assert json.loads(capsys.readouterr().out) == []  # exp(200) fits float64
    assert main(["check", "--format", "json", "--dtype", "float32", str(notebook)]) == 0
    [warning] = json.loads(capsys.readouterr().out)
    assert warning["code"] == "unstable-form" and "float32" in warning["message"]
