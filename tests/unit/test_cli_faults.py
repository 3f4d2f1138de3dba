"""`neurogebra check` when the checker fails on a file: that file is reported as an internal error, every other
file as usual, and the exit status is 2."""
from __future__ import annotations

import json
from pathlib import Path

from neurogebra.cli import main

CYCLE = "".join(f"f{i}(x) = f{(i + 1) % 1200}(x)\n" for i in range(1200))
REVERSED_CHAIN = "".join(f"f{i}(x) = f{i - 1}(x) + 1\n" for i in range(200, 0, -1)) + "f0(x) = x\n"


def test_a_file_the_engine_fails_on_costs_only_its_own_report(tmp_path: Path, engine_fails_on_boom, capsys):
    (tmp_path / "crash.ngb").write_text("boom(x) = x\n", encoding="utf-8")
    (tmp_path / "wrong.ngb").write_text("g(x) = x**3\ng'(x) = 2*x\n", encoding="utf-8")
    assert main(["check", "--format", "json", "--jobs", "1", "--exit-zero", str(tmp_path)]) == 2
    rows = {Path(row["path"]).name: row for row in json.loads(capsys.readouterr().out)}
    assert rows["crash.ngb"]["code"] == "internal-error"
    assert "RecursionError" in rows["crash.ngb"]["message"]
    assert rows["wrong.ngb"]["code"] == "gradient-mismatch"


def test_long_chains_and_cycles_are_reported_with_the_other_files(tmp_path: Path, capsys):
    (tmp_path / "cycle.ngb").write_text(CYCLE, encoding="utf-8")
    (tmp_path / "chain.ngb").write_text(REVERSED_CHAIN, encoding="utf-8")
    (tmp_path / "wrong.ngb").write_text("g(x) = x**3\ng'(x) = 2*x\n", encoding="utf-8")
    assert main(["check", "--format", "json", "--jobs", "1", str(tmp_path)]) == 1
    rows = json.loads(capsys.readouterr().out)
    codes = {(Path(row["path"]).name, row["code"]) for row in rows}
    assert codes == {("cycle.ngb", "cyclic-definition"), ("wrong.ngb", "gradient-mismatch")}
    assert sum(Path(row["path"]).name == "cycle.ngb" for row in rows) == 1200
