"""positions.py: LSP positions in UTF-16/UTF-8/UTF-32 <-> Python offsets, line breaks, clamping, edits."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lsprotocol.types import Position, Range, TextDocumentContentChangePartial, TextDocumentContentChangeWholeDocument

from neurogebra.analysis.lines import code_units
from neurogebra.analysis.model import Span
from neurogebra_lsp.positions import UTF8, UTF16, UTF32, LineIndex, apply_change, choose_encoding

LINE = "σ(𝑥) =\t𝑥 + 1"  # σ: 1 UTF-16 unit, 2 UTF-8 bytes; 𝑥: 2 UTF-16 units, 4 UTF-8 bytes; tab: 1 unit everywhere


@pytest.mark.parametrize("encoding, closing_paren, plus", [(UTF16, 4, 11), (UTF8, 7, 16), (UTF32, 3, 9)])
def test_columns_count_code_units_of_the_encoding(encoding, closing_paren, plus):
    index = LineIndex.of(LINE, encoding)
    assert index.position(LINE.index(")")) == Position(0, closing_paren)
    assert index.offset(Position(0, closing_paren)) == LINE.index(")")
    assert index.position(LINE.index("+")) == Position(0, plus)
    assert index.offset(Position(0, plus)) == LINE.index("+")


def test_a_column_inside_a_character_means_its_start():
    x = LINE.index("𝑥")
    assert LineIndex.of(LINE, UTF16).offset(Position(0, 3)) == x  # between the two UTF-16 halves of 𝑥
    for byte in (4, 5, 6):  # inside the four UTF-8 bytes of 𝑥
        assert LineIndex.of(LINE, UTF8).offset(Position(0, byte)) == x
    assert LineIndex.of("σx", UTF8).offset(Position(0, 1)) == 0


@pytest.mark.parametrize("text", ["a\r\nb𝑥\r\nc", "a\rb𝑥\rc", "a\nb𝑥\nc", "a\r\nb𝑥\rc"])
def test_lines_end_at_cr_lf_and_crlf_only(text):
    index = LineIndex.of(text, UTF16)
    c = text.index("c")
    assert index.position(c) == Position(2, 0)
    assert index.offset(Position(1, 3)) == text.index("𝑥") + 1  # the end of line 1, before its break
    assert index.offset(Position(1, 99)) == text.index("𝑥") + 1  # past the end: the end, never the break


def test_other_unicode_breaks_are_not_lsp_line_breaks():
    text = "a\u2028b\x0cc\nd"
    index = LineIndex.of(text, UTF16)
    assert index.position(text.index("c")) == Position(0, 4)
    assert index.position(text.index("d")) == Position(1, 0)


def test_out_of_range_positions_clamp_to_the_text():
    text = "f(x) = 1\ng(y) = 2"
    index = LineIndex.of(text, UTF16)
    assert index.offset(Position(0, 500)) == len("f(x) = 1")
    assert index.offset(Position(7, 0)) == len(text)
    assert index.position(10_000) == Position(1, len("g(y) = 2"))
    assert index.position(-3) == Position(0, 0)
    assert LineIndex.of("", UTF8).offset(Position(3, 3)) == 0


def test_an_offset_between_cr_and_lf_is_the_line_end():
    assert LineIndex.of("ab\r\ncd", UTF16).position(3) == Position(0, 2)


def test_span_and_range_round_trip():
    text = "x\n  σ(𝑥) = 𝑥**2\n"
    index = LineIndex.of(text, UTF16)
    span = Span(text.index("σ"), text.index("**"))
    assert index.range(span) == Range(Position(1, 2), Position(1, 12))
    assert index.span(index.range(span)) == span
    assert index.span(Range(Position(1, 12), Position(1, 2))) == span  # a reversed range is read forwards


def test_choose_encoding_prefers_utf8_and_defaults_to_utf16():
    assert choose_encoding(["utf-16", "utf-8"]) == UTF8
    assert choose_encoding(["utf-32", "utf-16"]) == UTF16
    assert choose_encoding(None) == UTF16


def test_incremental_changes_apply_in_client_units():
    text = "f(𝑥) = 𝑥**2\r\nf'(0)\r\n"
    # replace the second 𝑥 (UTF-16 columns 8-10) with "x"
    change = TextDocumentContentChangePartial(range=Range(Position(0, 8), Position(0, 10)), text="x")
    assert apply_change(text, change, UTF16) == "f(𝑥) = x**2\r\nf'(0)\r\n"
    # the same edit in UTF-8 bytes: 𝑥 spans bytes 10-14
    change = TextDocumentContentChangePartial(range=Range(Position(0, 10), Position(0, 14)), text="x")
    assert apply_change(text, change, UTF8) == "f(𝑥) = x**2\r\nf'(0)\r\n"
    insert_at_end = TextDocumentContentChangePartial(range=Range(Position(2, 0), Position(2, 0)), text="g(1)")
    assert apply_change(text, insert_at_end, UTF16).endswith("f'(0)\r\ng(1)")
    assert apply_change(text, TextDocumentContentChangeWholeDocument(text="new"), UTF16) == "new"


alphabet = st.sampled_from(list("ab \t=(") + ["σ", "𝑥", "∂", "\n", "\r\n", "\r", "é"])


@given(st.lists(alphabet, max_size=40).map("".join), st.sampled_from([UTF8, UTF16, UTF32]))
def test_every_offset_outside_a_line_break_round_trips(text, encoding):
    index = LineIndex.of(text, encoding)
    for offset in range(len(text) + 1):
        if offset < len(text) and text[offset] == "\n" and offset and text[offset - 1] == "\r":
            continue  # between \r and \n: no position of its own
        position = index.position(offset)
        assert index.offset(position) == offset
        start = index.starts[position.line]
        assert position.character == code_units(text[start:offset], encoding)
