"""Every test gets its own `neurogebra check` cache folder (the variable reaches the processes tests start): a
result cached by one test never stands in for what another computes, and nothing is written to ~/.cache."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def own_check_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEUROGEBRA_CACHE_DIR", str(tmp_path_factory.mktemp("check-cache")))
