"""Line ends as LSP and parso see them: \\r\\n, \\r and \\n (str.splitlines also breaks at \\f, \\u2028 ...)."""
from __future__ import annotations

import bisect
import re

LINE_END = re.compile(r"\r\n|\r|\n")
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def line_starts(text: str) -> list[int]:
    return [0] + [match.end() for match in LINE_END.finditer(text)]


def line_end(text: str, offset: int) -> int:
    """Where the line holding `offset` ends (before its line break)."""
    match = LINE_END.search(text, offset)
    return match.start() if match else len(text)


def line_col(starts: list[int], offset: int) -> tuple[int, int]:
    """0-based line and column of an offset, given `line_starts(text)`."""
    line = bisect.bisect_right(starts, offset) - 1
    return line, offset - starts[line]
