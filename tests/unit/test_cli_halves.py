"""A long file checked alone is analyzed in two processes, each computing the statements that begin in its half
(and what they use): the report is the one process's, statement for statement."""
from __future__ import annotations

from pathlib import Path

import pytest

from neurogebra import cli
from neurogebra.analysis import Settings, Span
from neurogebra.analysis.engine import Engine

SETTINGS = Settings(time_budget_ms=20_000, max_derivative_order=1)


def long_document() -> str:
    """Definitions used on both sides of the middle, wrong claims and a duplicate in each half."""
    first = "".join(f"f{i}(x) = x**2 + {i}*x\nf{i}'(x) = 2*x + {i + (i % 4 == 0)}\n" for i in range(60))
    second = "".join(f"g{i}(x) = f{i}(x) + sigmoid(x)\ng{i}'(1)\nf{i}(x) = x\n" for i in range(60))
    return first + second


def test_the_parts_of_a_document_are_its_statements_there():
    text = long_document()
    whole = Engine().analyze(text, "ngb", SETTINGS, detail=False)
    middle = text.index("g0(")
    parts = [Engine().analyze(text, "ngb", SETTINGS, detail=False, part=part)
             for part in (Span(0, middle), Span(middle, len(text) + 1))]
    assert [s for part in parts for s in part.statements] == list(whole.statements)


@pytest.mark.skipif(not cli.FORK, reason="the second process is forked (Linux)")
def test_a_long_file_alone_is_checked_in_halves_with_the_same_report(tmp_path: Path, capsys, monkeypatch):
    document = tmp_path / "long.ngb"
    document.write_text(long_document(), encoding="utf-8")
    in_halves = cli.analyzed_in_halves
    split = []
    monkeypatch.setattr(cli, "analyzed_in_halves", lambda *args: split.append(args[0]) or in_halves(*args))
    reports = {}
    for jobs in ("1", "2"):
        monkeypatch.setattr(cli, "_engine", None)  # each run computes afresh
        assert cli.main(["check", "--no-cache", "--jobs", jobs, str(document)]) == 1
        reports[jobs] = capsys.readouterr().out
    assert len(split) == 1  # with two cores, not with one
    assert reports["1"] == reports["2"] and "gradient-mismatch" in reports["1"]
