"""Jupyter notebooks: the reader (code cells only, string or list sources, malformed JSON), the exact map from
each character of the code to its place in the JSON text (escapes, non-ASCII, astral characters), the analysis
of the cells together, discovery, and `neurogebra check` on a folder with a notebook."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurogebra.analysis import Code, Engine, Span, discover
from neurogebra.analysis.notebook import Notebook, NotebookError, read_notebook
from neurogebra.cli import main


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def notebook_text(*cells: dict, ensure_ascii: bool = False) -> str:
    return json.dumps({"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1,
                      ensure_ascii=ensure_ascii)


def code(source: str | list[str]) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}


def markdown(source: str | list[str]) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def json_characters(text: str, notebook: Notebook) -> list[str]:
    """What the JSON text of each character of the code decodes to."""
    return [json.loads('"' + text[start:end] + '"') for start, end in zip(notebook.starts, notebook.ends)]


TRICKY = 'f = Expression("f", "x**2")  # \\ "q" é σ′ 𝑥 \t\x01 end'


@pytest.mark.parametrize("ensure_ascii", [False, True])
def test_each_character_maps_to_its_json_characters(ensure_ascii):
    text = notebook_text(code(TRICKY), ensure_ascii=ensure_ascii)
    notebook = read_notebook(text)
    assert notebook.code == TRICKY
    assert json_characters(text, notebook) == list(TRICKY)
    assert text[notebook.ends[-1]] == '"'  # the literal's closing quote


def test_escapes_take_their_whole_json_sequence():
    text = r'{"cells": [{"cell_type": "code", "source": "a\"b\\c\/d\ne\u00e9\ud835\udc65\ud835x"}]}'
    notebook = read_notebook(text)
    assert notebook.code == 'a"b\\c/d\neé𝑥\ud835x'
    pieces = [text[start:end] for start, end in zip(notebook.starts, notebook.ends)]
    assert pieces == ["a", '\\"', "b", "\\\\", "c", "\\/", "d", "\\n", "e", "\\u00e9", "\\ud835\\udc65", "\\ud835",
                      "x"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=4), st.booleans(), st.booleans())
def test_any_source_maps_back_exactly(lines, as_list, ensure_ascii):
    source = lines if as_list else "".join(lines)
    text = notebook_text(markdown("# title"), code(source), code(source), ensure_ascii=ensure_ascii)
    notebook = read_notebook(text)
    joined = "".join(lines)
    assert notebook.code == joined + "\n" + joined
    between = len(joined)  # the newline between the cells takes no JSON text: it is where the first cell ends
    assert notebook.starts[between] == notebook.ends[between] == (notebook.ends[between - 1] if joined else
                                                                  notebook.starts[between])
    assert json_characters(text, notebook)[:between] == json_characters(text, notebook)[between + 1:] == list(joined)


def test_list_and_string_sources_read_the_same():
    lines = ["x = 1\n", "y = 2"]
    assert read_notebook(notebook_text(code(lines))).code == read_notebook(notebook_text(code("".join(lines)))
                                                                         ).code == "x = 1\ny = 2"


def test_code_cells_are_joined_in_order_and_the_others_skipped():
    text = notebook_text(markdown(["# A\n", "text"]), code(["a = 1\n", "b = 2"]),
                         {"cell_type": "raw", "metadata": {}, "source": "raw"}, code("c = 3"))
    notebook = read_notebook(text)
    assert notebook.code == "a = 1\nb = 2\nc = 3"
    assert notebook.place(text.index("b = 2")) == (2, 2)
    assert notebook.place(text.index("c = 3")) == (4, 1)
    assert notebook.where(text.index("a = 1")) == "cell 2, line 1"


def test_a_byte_order_mark_is_skipped():
    assert read_notebook("\ufeff" + notebook_text(code("x = 1"))).code == "x = 1"


@pytest.mark.parametrize("text, message", [
    ('{"cells": [', "invalid JSON: Expecting value (line 1, column 12)"),
    ('{"cells": []} extra', "invalid JSON: Extra data (line 1, column 15)"),
    ("[1, 2]", 'there is no "cells" list'),
    ('{"worksheets": []}', 'there is no "cells" list'),
    ('{"cells": [{"cell_type": "code", "source": [1]}]}', "the source of cell 1 is not text"),
    ("[" * 100_000, "nested too deeply"),
])
def test_what_is_not_a_notebook_is_one_diagnostic(engine, text, message):
    with pytest.raises(NotebookError, match=re.escape(message)):
        read_notebook(text)
    analysis = engine.analyze(text, "ipynb")
    [diagnostic] = analysis.diagnostics
    assert diagnostic.code == Code.PARSE_ERROR and message in diagnostic.message
    assert 0 <= diagnostic.span.start <= diagnostic.span.end <= len(text)


def test_an_invalid_json_diagnostic_is_where_the_json_breaks(engine):
    text = '{"cells": [}'
    [diagnostic] = engine.analyze(text, "ipynb").diagnostics
    assert diagnostic.span == Span(11, 12)


def test_a_notebook_without_code_cells_has_nothing_to_say(engine):
    analysis = engine.analyze(notebook_text(markdown("Expression('f', '2x')")), "ipynb")
    assert analysis.statements == () and analysis.diagnostics == []


def test_later_cells_see_earlier_ones_and_diagnostics_point_into_the_json(engine):
    text = notebook_text(
        markdown("# Notes: Expression(\"g\", \"2y\") is not code"),
        code(["from neurogebra import Expression\n", "f = Expression(\"f\", \"x*y\")  # σ′ 𝑥\n"]),
        code(["g = Expression(\"g\", \"2x\")\n", "print(f.eval(x=1))"]))
    analysis = engine.analyze(text, "ipynb")
    assert analysis.language == "ipynb" and analysis.text == text
    by_code = {d.code: d for d in analysis.diagnostics}
    assert set(by_code) == {Code.PARSE_ERROR, Code.MISSING_VARIABLES}
    parse_error = by_code[Code.PARSE_ERROR]
    assert text[parse_error.span.start:parse_error.span.end] == "2x"
    assert parse_error.span.start == text.index('\\"2x\\"') + 2
    assert parse_error.message.startswith("cell 3, line 1: implicit multiplication")
    missing = by_code[Code.MISSING_VARIABLES]  # f is cell 2's
    call = text.index("print(f.eval(x=1))")
    assert call < missing.span.start < missing.span.end <= call + len("print(f.eval(x=1))")
    assert missing.message.startswith("cell 3, line 2: ")
    assert all(s.fixes == () and s.references == () for s in analysis.statements)


def test_discover_finds_notebooks_but_not_their_checkpoints(tmp_path):
    (tmp_path / "a.ipynb").write_text(notebook_text(), encoding="utf-8")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "a-checkpoint.ipynb").write_text(notebook_text(), encoding="utf-8")
    assert discover([tmp_path]) == [tmp_path / "a.ipynb"]


@pytest.fixture
def folder_with_a_notebook(tmp_path: Path) -> Path:
    (tmp_path / "good.ngb").write_text("f(x) = x**2\nf'(x) = 2*x\n", encoding="utf-8")
    (tmp_path / "train.ipynb").write_text(notebook_text(
        markdown("# Training"),
        code(["from neurogebra import Expression\n", "loss = Expression(\"loss\", \"(y - 2x)**2\")\n"]),
        code("grad = loss.gradient(\"y\")\nprint(grad.eval(y=1))")), encoding="utf-8")
    return tmp_path


def test_check_reports_a_notebooks_cell_and_its_place_in_the_json(folder_with_a_notebook, capsys):
    notebook = folder_with_a_notebook / "train.ipynb"
    text = notebook.read_text(encoding="utf-8")
    offset = text.index("2x")
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rindex("\n", 0, offset)
    assert main(["check", "--jobs", "1", str(folder_with_a_notebook)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert f"{notebook}:{line}:{column}: error: cell 2, line 2: implicit multiplication is not supported " \
           f"(did you mean 2*x?) [parse-error]" in out
    assert out[-1] == "2 file(s) checked: 1 error(s), 0 warning(s), 0 info"

    main(["check", "--format", "json", str(notebook)])
    [row] = json.loads(capsys.readouterr().out)
    assert (row["line"], row["column"], row["end_column"]) == (line, column, column + 2)
    assert row["message"].startswith("cell 2, line 2: ")


def test_check_shows_a_notebooks_results_by_cell_and_line(tmp_path, capsys):
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text(notebook_text(code(["from neurogebra import Expression\n", "f = Expression(\"f\", \"x**2\")"]),
                                      code("print(f.gradient(\"x\").eval(x=3))")), encoding="utf-8")
    main(["check", "--show-results", str(notebook)])
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"── {notebook} (cell:line)"
    assert any(line.startswith("  1:2  f(x) = x**2") for line in out)
    assert any(line.startswith("  2:1  ") and line.endswith("= 6") for line in out)
