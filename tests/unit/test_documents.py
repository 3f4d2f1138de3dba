"""documents.py: a snapshot after didChange, a change that cannot be applied (the document is then out of sync until
the whole text comes), and an analysis that belongs to one text, not to one version number."""
from __future__ import annotations

from lsprotocol.types import (
    Position,
    Range,
    TextDocumentContentChangePartial,
    TextDocumentContentChangeWholeDocument,
)

from neurogebra.analysis.model import Settings
from neurogebra_lsp.documents import Snapshot
from neurogebra_lsp.positions import UTF16
from neurogebra_lsp.protocol import Job
from neurogebra_lsp.state import AnalysisRun

TEXT = "f(x) = x**2\nf'(x) = 2*x\n"


def snapshot(text: str = TEXT) -> Snapshot:
    return Snapshot.of("file:///demo.ngb", 1, "ngb", text, UTF16)


def edit(start: tuple[int, int], end: tuple[int, int], text: str) -> TextDocumentContentChangePartial:
    return TextDocumentContentChangePartial(range=Range(start=Position(line=start[0], character=start[1]),
                                                        end=Position(line=end[0], character=end[1])), text=text)


def whole(text: str) -> TextDocumentContentChangeWholeDocument:
    return TextDocumentContentChangeWholeDocument(text=text)


def test_edits_inside_the_text_are_applied_in_order():
    changed = snapshot().changed(2, [edit((0, 7), (0, 11), "x**3"), edit((1, 8), (1, 11), "3*x**2")])
    assert (changed.text, changed.version, changed.in_sync) == ("f(x) = x**3\nf'(x) = 3*x**2\n", 2, True)
    assert changed.lines.offset(Position(line=1, character=0)) == len("f(x) = x**3\n")


def test_a_character_past_the_line_end_and_the_line_after_the_last_mean_the_ends():
    assert snapshot().changed(2, [edit((0, 11), (0, 500), " + 1")]).text == "f(x) = x**2 + 1\nf'(x) = 2*x\n"
    no_final_break = snapshot("f(x) = x")
    assert no_final_break.changed(2, [edit((1, 0), (1, 0), "\ng(x) = 1")]).text == "f(x) = x\ng(x) = 1"


def test_an_edit_on_a_line_past_the_text_or_backwards_loses_the_text():
    for bad in (edit((7, 0), (9, 5), "zzz"), edit((3, 1), (3, 1), "z"), edit((1, 3), (0, 2), "z")):
        lost = snapshot().changed(2, [bad])
        assert (lost.text, lost.version, lost.in_sync) == ("", 2, False), bad


def test_out_of_sync_edits_of_ranges_are_ignored_until_the_whole_text_comes():
    lost = snapshot().changed(2, [edit((7, 0), (7, 0), "z")])
    still = lost.changed(3, [edit((0, 0), (0, 0), "g(x) = 1\n")])
    assert (still.text, still.in_sync) == ("", False)
    back = still.changed(4, [whole("h(x) = x\n"), edit((0, 0), (0, 1), "k")])
    assert (back.text, back.version, back.in_sync) == ("k(x) = x\n", 4, True)


def test_a_change_that_cannot_be_read_keeps_the_version_and_loses_the_text():
    lost = snapshot().lost()
    assert (lost.text, lost.version, lost.in_sync) == ("", 1, False)


def test_an_analysis_belongs_to_its_text_and_settings_not_to_a_version_number():
    first = snapshot()
    run = AnalysisRun(first, Job(first.uri, 1, "ngb", first.text, Settings()), future=None)  # type: ignore[arg-type]
    same_version_other_text = first.changed(1, [whole("f(x) = x**3\n")])
    assert run.is_of(first.changed(1, [whole(TEXT)]), Settings())
    assert not run.is_of(same_version_other_text, Settings())
    assert not run.is_of(first, Settings(samples=5))
    assert not run.is_of(first.changed(2, [whole(TEXT)]), Settings())
