"""cells.py and features/notebooks.py: a notebook's Python code cells joined in order, positions in each cell
mapped to the joined code and back (in every encoding), spans placed in the cell that holds them, and the cells
after a notebook change."""
from __future__ import annotations

import pytest
from lsprotocol import types
from lsprotocol.types import NotebookCellKind, Position

from neurogebra.analysis.model import Span
from neurogebra_lsp.cells import Cell, NotebookSnapshot
from neurogebra_lsp.features.notebooks import edited
from neurogebra_lsp.positions import UTF8, UTF16, UTF32

URI = "file:///w/n.ipynb"
CODE, MARKUP = NotebookCellKind.Code, NotebookCellKind.Markup
SOURCES = {"c1": "σ = 1\n", "md": "# a title", "c2": "f = '𝑥'  # y", "c3": "g = f\r"}


def item(uri: str, text: str, language: str = "python") -> types.TextDocumentItem:
    return types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)


def notebook(encoding: str = UTF16) -> NotebookSnapshot:
    cells = [Cell.of(uri, MARKUP if uri == "md" else CODE, item(uri, text, "markdown" if uri == "md" else "python"),
                     encoding) for uri, text in SOURCES.items()]
    return NotebookSnapshot.joined(URI, 1, cells, encoding)


def test_code_cells_are_joined_in_order_with_newlines_and_the_others_left_out():
    joined = notebook()
    assert joined.text == "σ = 1\n" + "\n" + "f = '𝑥'  # y" + "\n" + "g = f\r"
    assert [view.uri for view in joined.views()] == ["c1", "c2", "c3"]
    assert joined.view("md") is None and joined.view("elsewhere") is None
    assert joined.uri != URI and joined.notebook_uri == URI  # a key of its own, not the file's


@pytest.mark.parametrize("encoding, character", [(UTF16, 12), (UTF8, 14), (UTF32, 11)])
def test_a_position_in_a_cell_is_an_offset_in_the_joined_code_and_back(encoding, character):
    joined = notebook(encoding)
    cell = joined.view("c2")
    y = joined.text.index("y")
    assert cell.lines.offset(Position(0, character)) == y
    assert cell.lines.position(y) == Position(0, character)
    assert cell.lines.range(Span(y, y + 1)) == types.Range(start=Position(0, character),
                                                             end=Position(0, character + 1))
    assert cell.lines.span(cell.lines.range(Span(y, y + 1))) == Span(y, y + 1)


def test_a_cell_ending_in_a_carriage_return_keeps_its_own_last_line():
    joined = notebook()
    cell = joined.view("c3")
    assert cell.lines.offset(Position(1, 0)) == len(joined.text)  # the empty line after "\r": the cell's end
    assert cell.lines.position(len(joined.text)) == Position(1, 0)


def test_a_span_is_held_by_its_own_cell_and_located_in_it_from_any_other():
    joined = notebook()
    first, second = joined.view("c1"), joined.view("c2")
    sigma = Span(0, 1)
    f = Span(joined.text.index("f ="), joined.text.index("f =") + 1)
    assert first.holds(sigma) and not first.holds(f) and second.holds(f) and not second.holds(sigma)
    assert second.location(sigma) == types.Location(uri="c1", range=types.Range(start=Position(0, 0),
                                                                               end=Position(0, 1)))
    assert first.location(f) == types.Location(uri="c2", range=types.Range(start=Position(0, 0), end=Position(0, 1)))


def test_a_notebook_whose_change_cannot_be_read_is_out_of_sync_until_each_cell_comes_whole():
    lost = notebook().lost()
    assert not lost.in_sync and lost.text == "" and [view.uri for view in lost.views()] == ["c1", "c2", "c3"]
    changes = types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(text_content=[
        types.NotebookDocumentCellContentChanges(document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                                                 changes=[types.TextDocumentContentChangeWholeDocument(text=text)])
        for uri, text in SOURCES.items() if uri != "md"]))
    again = NotebookSnapshot.joined(URI, 2, edited(lost.cells, changes, UTF16), UTF16)
    assert again.in_sync and again.text == notebook().text


def structure(start: int, delete_count: int, cells: list[tuple[str, NotebookCellKind]],
              opened: tuple[types.TextDocumentItem, ...] = (),
              closed: tuple[str, ...] = ()) -> types.NotebookDocumentChangeEvent:
    return types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(
        structure=types.NotebookDocumentCellChangeStructure(
            array=types.NotebookCellArrayChange(start=start, delete_count=delete_count, cells=[
                types.NotebookCell(kind=kind, document=uri) for uri, kind in cells]),
            did_open=list(opened), did_close=[types.TextDocumentIdentifier(uri=uri) for uri in closed])))


def joined_after(change: types.NotebookDocumentChangeEvent) -> str:
    return NotebookSnapshot.joined(URI, 2, edited(notebook().cells, change, UTF16), UTF16).text


def test_cells_moved_keep_their_text_and_cells_added_bring_theirs():
    assert joined_after(structure(2, 2, [("c3", CODE), ("c2", CODE)])) == "σ = 1\n\ng = f\r\nf = '𝑥'  # y"
    assert joined_after(structure(0, 1, [], closed=("c1",))) == "f = '𝑥'  # y\ng = f\r"
    added = structure(1, 0, [("new", CODE)], opened=(item("new", "h = 2"),))
    assert joined_after(added) == "σ = 1\n\nh = 2\nf = '𝑥'  # y\ng = f\r"


def test_a_cell_turned_into_markdown_leaves_the_code():
    change = types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(
        data=[types.NotebookCell(kind=MARKUP, document="c2")]))
    assert joined_after(change) == "σ = 1\n\ng = f\r"


def test_a_change_of_metadata_alone_leaves_the_cells_as_they_were():
    before = notebook().cells
    assert edited(before, types.NotebookDocumentChangeEvent(metadata={"kernel": "python3"}), UTF16) == before
