"""'Did you mean …?': the known names closest to a misspelt one, found the same way everywhere.

A name is close when difflib's similarity ratio is at least 0.8 (sigmod -> sigmoid, maee -> mae), or when one
edit makes it (y -> yy, rleu -> relu: short names have low ratios); foo is not close to floor."""
from __future__ import annotations

import difflib
from typing import Iterable

CUTOFF = 0.8
LOOSE_CUTOFF = 0.5  # a single edit of a one-letter name: 'y' and 'yy' have a ratio of 0.67


def did_you_mean(word: str, known: Iterable[str], how_many: int = 1) -> list[str]:
    """Up to `how_many` of the known names closest to `word`, the closest first; none when nothing is close."""
    names = list(known)
    candidates = difflib.get_close_matches(word, names, n=max(len(names), 1), cutoff=LOOSE_CUTOFF)
    close = [name for name in candidates
             if difflib.SequenceMatcher(None, word, name).ratio() >= CUTOFF or one_edit(word, name)]
    return close[:how_many]


def one_edit(a: str, b: str) -> bool:
    """b is a with one letter inserted, deleted or changed, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differ = [i for i in range(len(a)) if a[i] != b[i]]
        return len(differ) == 1 or (len(differ) == 2 and differ[1] == differ[0] + 1
                                    and a[differ[0]] == b[differ[1]] and a[differ[1]] == b[differ[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))
