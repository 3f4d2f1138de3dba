"""Quick fixes where a message already has the answer: "did you mean sigmoid?" on an unknown name, "did you mean
2*x?" on factors written side by side. A hint that only gestures at the answer ("did you mean 2*(...)?") gives
no fix."""
from __future__ import annotations

import re

from neurogebra.analysis.model import Code, Edit, Fix, Span

SUGGESTION = re.compile(r"did you mean (?P<text>[^?]+)\?\Z")


def suggested(hint: str | None, written: str) -> str | None:
    """What the hint proposes in place of `written`: a name for a name, or the same factors joined by '*'."""
    match = SUGGESTION.search(hint or "")
    if match is None:
        return None
    text = match["text"]
    if text.isidentifier() and written.isidentifier():
        return text
    if "*" in text and text.replace("*", "") == "".join(written.split()):
        return text
    return None


def replacement(span: Span, text: str, code: Code) -> Fix:
    return Fix(f"Replace with {text}", (Edit(span, text),), "quickfix", code, True)


def suggestion_fix(span: Span, written: str, hint: str | None, code: Code) -> Fix | None:
    """The fix that puts the hint's answer at `span`, where `written` is; None when the hint has no whole answer."""
    text = suggested(hint, written)
    return None if text is None else replacement(span, text, code)
