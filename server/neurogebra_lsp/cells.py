"""An open notebook as one document: its Python code cells joined in order with newlines, analyzed as one Python
text, so that a cell sees the definitions of the cells above it (as a kernel run from the top would, and as
`neurogebra check` reads a .ipynb file); a request about a cell sees that text through the cell's positions.

The notebook is kept under a key of its own (NOTEBOOK_KEY + its URI), never its file's URI: the workspace check
reads that file from disk, and a text editor open on its JSON is another document.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable

from lsprotocol.types import Location, NotebookCellKind, Position, TextDocumentItem

from neurogebra.analysis.model import Span
from neurogebra_lsp.documents import Snapshot
from neurogebra_lsp.positions import LineIndex

NOTEBOOK_KEY = "notebook:"
CELL_SEPARATOR = "\n"


def notebook_key(uri: str) -> str:
    return NOTEBOOK_KEY + uri


@dataclass(frozen=True)
class Cell:
    """One cell of a notebook: its own text when it is in Python (a cell in another language is kept only for its
    place), and where that text starts in the notebook's code once joined."""

    uri: str
    kind: NotebookCellKind
    text: Snapshot | None
    start: int = 0

    @classmethod
    def of(cls, uri: str, kind: NotebookCellKind, item: TextDocumentItem | None, encoding: str) -> Cell:
        """A cell as the client opened it (`item`: its text document, if it sent one)."""
        if item is None or item.language_id != "python":
            return cls(uri, kind, None)
        return cls(uri, kind, Snapshot.of(uri, item.version, "python", item.text, encoding))

    @property
    def analyzed(self) -> bool:
        return self.kind == NotebookCellKind.Code and self.text is not None

    @property
    def span(self) -> Span:
        return Span(self.start, self.start + (len(self.text.text) if self.text is not None else 0))


@dataclass(frozen=True)
class CellLines(LineIndex):
    """Positions in one cell <-> offsets in its notebook's code (`text`, `encoding` and `starts` are the code's)."""

    cell: LineIndex = field(compare=False)
    start: int

    def line_end(self, line: int) -> int:
        return self.start + self.cell.line_end(line)

    def offset(self, position: Position) -> int:
        return self.start + self.cell.offset(position)

    def position(self, offset: int) -> Position:
        return self.cell.position(offset - self.start)


@dataclass(frozen=True, kw_only=True)
class CellSnapshot(Snapshot):
    """A cell as a request about it sees it: its notebook's code as its text (the analysis's offsets are the
    code's), positions in the cell, the cell's URI and version."""

    notebook: NotebookSnapshot = field(compare=False, repr=False)
    cell: Cell = field(compare=False, repr=False)

    def holds(self, span: Span) -> bool:
        return self.cell.span.start <= span.start <= self.cell.span.end

    def location(self, span: Span) -> Location:
        return self.notebook.location(span)


@dataclass(frozen=True, kw_only=True)
class NotebookSnapshot(Snapshot):
    """An open notebook: `text` is its Python code cells joined, every cell (analyzed or not) in order in
    `cells`. A notebook with a cell out of sync is out of sync as a whole (its text empty), as a document is."""

    cells: tuple[Cell, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def joined(cls, uri: str, version: int, cells: Iterable[Cell], encoding: str) -> NotebookSnapshot:
        placed: list[Cell] = []
        parts: list[str] = []
        at = 0
        for cell in cells:
            if cell.analyzed:
                assert cell.text is not None
                code = cell.text.text
                at += len(CELL_SEPARATOR) if parts else 0
                cell = replace(cell, start=at)
                parts.append(code)
                at += len(code)
            placed.append(cell)
        in_sync = all(cell.text.in_sync for cell in placed if cell.text is not None)
        text = CELL_SEPARATOR.join(parts) if in_sync else ""
        return cls(notebook_key(uri), version, "python", text, LineIndex.of(text, encoding), in_sync,
                   cells=tuple(placed))

    @property
    def notebook_uri(self) -> str:
        return self.uri.removeprefix(NOTEBOOK_KEY)

    def lost(self) -> NotebookSnapshot:
        """This notebook after a change that could not be read: no cell's text is known."""
        cells = [replace(cell, text=cell.text.lost()) if cell.text is not None else cell for cell in self.cells]
        return NotebookSnapshot.joined(self.notebook_uri, self.version, cells, self.encoding)

    def views(self) -> list[CellSnapshot]:
        """Every analyzed cell as requests about it see it."""
        return [self._view(cell) for cell in self.cells if cell.analyzed]

    def view(self, uri: str) -> CellSnapshot | None:
        """The cell `uri` as requests about it see it; None for a cell that is not analyzed or not here."""
        return next((self._view(cell) for cell in self.cells if cell.uri == uri and cell.analyzed), None)

    def location(self, span: Span) -> Location:
        """`span` of the code in the cell that holds it."""
        holder = next((view for view in reversed(self.views()) if view.cell.start <= span.start), None)
        if holder is None:  # no cell to hold it (an empty notebook)
            return super().location(span)
        return Location(uri=holder.uri, range=holder.lines.range(span))

    def _view(self, cell: Cell) -> CellSnapshot:
        assert cell.text is not None
        lines = CellLines(self.text, self.encoding, self.lines.starts, cell.text.lines, cell.start)
        return CellSnapshot(cell.uri, cell.text.version, "python", self.text, lines, self.in_sync, notebook=self,
                            cell=cell)
