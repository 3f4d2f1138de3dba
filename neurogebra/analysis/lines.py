"""Line ends as LSP and parso see them: \\r\\n, \\r and \\n (str.splitlines also breaks at \\f, \\u2028 ...).

The project's one line index: the analysis, `neurogebra check` and the language server's position conversions
(server/neurogebra_lsp/positions.py) all count lines, and columns in code units, here.
"""
from __future__ import annotations

import bisect
import re
from typing import Sequence

LINE_END = re.compile(r"\r\n|\r|\n")
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
CODECS = {"utf-8": ("utf-8", 1), "utf-16": ("utf-16-le", 2)}  # by LSP's names for position encodings


def code_units(text: str, encoding: str = "utf-16") -> int:
    """How many code units `text` is in "utf-8", "utf-16" (LSP's default and SARIF's columns: 𝑥 is 2 units, σ
    1) or "utf-32" (characters, as Python counts them)."""
    if encoding == "utf-32" or text.isascii():
        return len(text)
    codec, width = CODECS[encoding]
    return len(text.encode(codec, "surrogatepass")) // width


def line_starts(text: str) -> list[int]:
    return [0] + [match.end() for match in LINE_END.finditer(text)]


def line_end(text: str, offset: int) -> int:
    """Where the line holding `offset` ends (before its line break)."""
    match = LINE_END.search(text, offset)
    return match.start() if match else len(text)


def end_of_line(text: str, starts: Sequence[int], line: int) -> int:
    """Where line number `line` ends (before its line break), given `line_starts(text)`: without a search."""
    if line + 1 >= len(starts):
        return len(text)
    end = starts[line + 1]
    return end - 2 if end >= 2 and text.startswith("\r\n", end - 2) else end - 1


def line_col(starts: Sequence[int], offset: int) -> tuple[int, int]:
    """0-based line and column of an offset, given `line_starts(text)`."""
    line = bisect.bisect_right(starts, offset) - 1
    return line, offset - starts[line]
