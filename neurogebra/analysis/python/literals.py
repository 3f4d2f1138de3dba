"""Python string literals decoded with a map from each character of the value back to the source text."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

PREFIX = re.compile(r"[A-Za-z]*")
SIMPLE_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r",
                  "t": "\t", "v": "\v"}
HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


@dataclass(frozen=True)
class Literal:
    """The value of one or more concatenated literals; `offsets[i]` is where value[i] starts in the document,
    `offsets[len(value)]` where the value ends."""

    value: str
    offsets: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The document span of value[start:end] (an escape sequence counts whole)."""
        size = len(self.value)
        start, end = min(start, size), min(max(end, start), size)
        return self.offsets[start], self.offsets[end]


def decode(token: str, start: int) -> Literal | None:
    """Decode one string token starting at document offset `start`; None for bytes and f-strings."""
    match = PREFIX.match(token)
    assert match is not None  # [A-Za-z]* matches every string
    prefix = match.group().lower()
    if "b" in prefix or "f" in prefix or "t" in prefix:
        return None
    body_start = len(prefix)
    quote = token[body_start:body_start + 3] if token[body_start:body_start + 3] in ('"""', "'''") else \
        token[body_start]
    begin = body_start + len(quote)
    end = len(token) - len(quote) if token.endswith(quote) and len(token) >= begin + len(quote) else len(token)
    raw = "r" in prefix
    value: list[str] = []
    offsets: list[int] = []
    i = begin
    while i < end:
        ch = token[i]
        if ch != "\\" or raw:
            value.append(ch)
            offsets.append(start + i)
            i += 1
            if raw and ch == "\\" and i < end:  # a raw string keeps the backslash and the next character
                value.append(token[i])
                offsets.append(start + i)
                i += 1
            continue
        decoded, length = _escape(token, i, end)
        if decoded:
            value.append(decoded)
            offsets.append(start + i)
        i += length
    offsets.append(start + end)
    return Literal("".join(value), tuple(offsets))


def _escape(token: str, i: int, end: int) -> tuple[str, int]:
    """The character an escape at token[i] stands for ('' for a line continuation) and its length."""
    if i + 1 >= end:
        return "\\", 1
    kind = token[i + 1]
    if kind in "\r\n":
        return "", 3 if token[i + 1:i + 3] == "\r\n" else 2
    if kind in SIMPLE_ESCAPES:
        return SIMPLE_ESCAPES[kind], 2
    if kind in HEX_ESCAPES:
        digits = token[i + 2:i + 2 + HEX_ESCAPES[kind]]
        try:
            return chr(int(digits, 16)), 2 + len(digits)
        except ValueError:
            return "\\", 1
    if kind in "01234567":
        match = re.match(r"[0-7]{1,3}", token[i + 1:end])
        assert match is not None  # token[i + 1] is `kind`, an octal digit
        return chr(int(match.group(), 8)), 1 + len(match.group())
    if kind == "N":
        close = token.find("}", i)
        try:
            return unicodedata.lookup(token[i + 3:close]), close + 1 - i
        except (KeyError, ValueError):
            return "\\", 1
    return "\\", 1


def concatenate(parts: list[Literal]) -> Literal:
    """Implicit concatenation: "a" "b" is one value; offsets keep pointing into each part."""
    value = "".join(p.value for p in parts)
    offsets: list[int] = []
    for part in parts:
        offsets.extend(part.offsets[:-1])
    offsets.append(parts[-1].offsets[-1])
    return Literal(value, tuple(offsets))
