"""Where a Python module's top-level statements begin, found by a lexical scan of the text above (strings,
comments, brackets, line continuations), without parsing it: the code above such a line is whole statements, so
what the walk finds there does not depend on the code below."""
from __future__ import annotations

import re

CONTINUING = re.compile(r"(?:else|elif|except|finally)\b")  # col-0 lines that continue the statement above
SEARCH_LINES = 2_000  # lines looked at past `offset` before giving up


def top_level_start(text: str, offset: int) -> int | None:
    """The start of the first line at or after `offset` that begins a new top-level statement, or None when
    none begins within SEARCH_LINES lines."""
    i, n = 0, len(text)
    depth = 0
    quote = ""             # the open string's delimiter: ', ", ''' or """
    continued = False      # the line ended with a backslash, or inside brackets or a long string
    decorated = False      # the last top-level line was a decorator: its function is part of the statement
    lines_past = 0
    at_line_start = True
    while i < n:
        if at_line_start and not quote and depth == 0 and not continued:
            ch = text[i]
            if ch not in " \t\f\r\n#":
                if i >= offset and not decorated and not CONTINUING.match(text, i):
                    return i
                decorated = ch == "@"
        at_line_start = False
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if text.startswith(quote, i):
                i += len(quote)
                quote = ""
                continue
            if ch in "\r\n" and len(quote) == 1:  # an unterminated string ends with its line
                quote = ""
            else:
                if ch in "\r\n":
                    i, lines_past = _line_break(text, i, offset, lines_past)
                    if lines_past > SEARCH_LINES:
                        return None
                    continue
                i += 1
                continue
        if ch == "#":
            while i < n and text[i] not in "\r\n":
                i += 1
            continue
        if ch in "'\"":
            quote = ch * 3 if text.startswith(ch * 3, i) else ch
            i += len(quote)
            continue
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif ch == "\\" and i + 1 < n and text[i + 1] in "\r\n":
            i, lines_past = _line_break(text, i + 1, offset, lines_past)
            continued = True
            at_line_start = True
            continue
        if ch in "\r\n":
            i, lines_past = _line_break(text, i, offset, lines_past)
            if lines_past > SEARCH_LINES:
                return None
            continued = False
            at_line_start = True
            continue
        i += 1
    return None


def _line_break(text: str, i: int, offset: int, lines_past: int) -> tuple[int, int]:
    """Past the line break at `i` (\\r\\n is one), counting the lines past `offset`."""
    i += 2 if text.startswith("\r\n", i) else 1
    return i, lines_past + (i > offset)
