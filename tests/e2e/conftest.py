from __future__ import annotations

import pytest_lsp
from lsp_session import CLIENTS, CONFIG, capabilities_of, start
from pytest_lsp import LanguageClient


@pytest_lsp.fixture(config=CONFIG, params=CLIENTS, scope="module")
async def client(request, lsp_client: LanguageClient):
    """A server per test module and client capability set (VS Code 1.65: push diagnostics, UTF-16;
    Neovim 0.11: pull diagnostics, UTF-8)."""
    await start(lsp_client, capabilities_of(request.param))
    yield
    await lsp_client.shutdown_session()
