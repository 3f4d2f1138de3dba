"""Fixtures the checker's tests share."""
from __future__ import annotations

import pytest

from neurogebra.analysis.engine import Engine


@pytest.fixture
def engine_fails_on_boom(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine raises on a document starting with "boom" (as a bug in the checker would), and works on others."""
    analyze = Engine.analyze

    def failing_on_boom(self, text, *args, **kwargs):
        if text.startswith("boom"):
            raise RecursionError("maximum recursion depth exceeded")
        return analyze(self, text, *args, **kwargs)
    monkeypatch.setattr(Engine, "analyze", failing_on_boom)
