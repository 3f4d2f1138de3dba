"""`neurogebra check`'s cache on disk: a re-run over unchanged files computes nothing and imports no SymPy; a
changed file, other settings or another checker compute again; a planted or damaged entry is never unpickled; a
result a time budget cut short is not kept."""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from neurogebra.analysis.engine import Engine
from neurogebra.cli import main

CLAIMS = "f(x) = x**2\nf'(x) = 3*x\ng(x) = exp(x)\ng'(x) = exp(x)\n"


@pytest.fixture
def checked(tmp_path: Path) -> Path:
    path = tmp_path / "claims.ngb"
    path.write_text(CLAIMS, encoding="utf-8")
    return path


@pytest.fixture
def computing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the engine computes from now on."""
    texts: list[str] = []
    analyze = Engine.analyze

    def counted(self, text, *args, **kwargs):
        texts.append(text)
        return analyze(self, text, *args, **kwargs)
    monkeypatch.setattr(Engine, "analyze", counted)
    return texts


@pytest.fixture(autouse=True)
def new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("neurogebra.cli._caches", {})


def check(*args: str) -> int:
    return main(["check", "--jobs", "1", *args])


def test_a_rerun_prints_the_same_and_computes_nothing(checked, computing, capsys):
    assert check(str(checked)) == 1
    first = capsys.readouterr().out
    assert check(str(checked)) == 1
    assert capsys.readouterr().out == first
    assert computing == [CLAIMS]


def test_a_changed_file_or_other_settings_compute_again(checked, computing):
    check(str(checked))
    checked.write_text(CLAIMS + "f'(2)\n", encoding="utf-8")
    check(str(checked))
    check("--samples", "7", str(checked))
    check("--no-cache", str(checked))
    assert computing == [CLAIMS, CLAIMS + "f'(2)\n", CLAIMS + "f'(2)\n", CLAIMS + "f'(2)\n"]


def test_no_cache_keeps_nothing(checked, tmp_path):
    folder = tmp_path / "cache"
    check("--no-cache", "--cache-dir", str(folder), str(checked))
    assert not folder.exists()


def entries(folder: Path) -> list[Path]:
    return [p for p in folder.glob("*/*") if p.is_file()]


def test_a_planted_entry_is_never_unpickled(checked, tmp_path, computing, capsys):
    folder = tmp_path / "cache"
    check("--cache-dir", str(folder), str(checked))
    expected = capsys.readouterr().out
    marker = tmp_path / "ran"

    class Planted:
        def __reduce__(self):
            return (Path.touch, (marker,))
    [entry] = entries(folder)
    entry.write_bytes(os.urandom(32) + __import__("zlib").compress(pickle.dumps(Planted())))
    assert check("--cache-dir", str(folder), str(checked)) == 1
    assert not marker.exists()
    assert capsys.readouterr().out == expected
    assert len(computing) == 2


def test_a_key_others_can_read_turns_the_cache_off(checked, tmp_path, computing, capsys, monkeypatch):
    folder = tmp_path / "cache"
    check("--cache-dir", str(folder), str(checked))
    (folder / "secret.key").chmod(0o644)
    monkeypatch.setattr("neurogebra.cli._caches", {})  # as a new run of the checker finds it
    check("--cache-dir", str(folder), str(checked))
    assert "not used: its key is not private to you" in capsys.readouterr().err
    assert len(computing) == 2


def test_a_result_cut_short_by_the_time_budget_is_not_kept(tmp_path, computing):
    path = tmp_path / "slow.ngb"
    path.write_text("h(x) = " + "exp(" * 30 + "x" + ")" * 30 + "\nh'(x) = 0\n", encoding="utf-8")
    check("--time-budget-ms", "1", str(path))
    check("--time-budget-ms", "1", str(path))
    assert len(computing) == 2


def test_another_checker_version_starts_over(checked, tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    check("--cache-dir", str(folder), str(checked))
    [old] = entries(folder)
    import neurogebra.analysis.disk_cache as disk_cache
    monkeypatch.setattr(disk_cache, "checker_fingerprint", lambda: "another-version")
    monkeypatch.setattr("neurogebra.cli._caches", {})
    check("--cache-dir", str(folder), str(checked))
    assert not old.exists() and [p.parent.name for p in entries(folder)] == ["another-version"]


def test_a_warm_run_imports_no_sympy(checked, tmp_path):
    program = ("import sys; from neurogebra.cli import main; code = main(['check', '--jobs', '1', sys.argv[1]]); "
               "print('sympy' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", program, str(checked)], capture_output=True, text=True,
                           check=False) for _ in range(2)]
    assert [run.stdout.splitlines()[-1] for run in runs] == ["True", "False"]
    assert runs[0].stdout.splitlines()[:-1] == runs[1].stdout.splitlines()[:-1]
