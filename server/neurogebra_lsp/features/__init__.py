"""One module per LSP feature; each has `register(server)`."""
from __future__ import annotations

from typing import TYPE_CHECKING

from neurogebra_lsp.features import (
    code_actions,
    commands,
    completion,
    definition,
    diagnostics,
    hover,
    inlay_hints,
    notebooks,
    rename,
    semantic_tokens,
    signature_help,
    symbols,
)

if TYPE_CHECKING:
    from neurogebra_lsp.server import NeurogebraServer

FEATURES = (diagnostics, hover, inlay_hints, code_actions, completion, signature_help, definition, rename, symbols,
            semantic_tokens, commands, notebooks)


def register_all(server: NeurogebraServer) -> None:
    for feature in FEATURES:
        feature.register(server)
