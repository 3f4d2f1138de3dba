"""neurogebra-lsp: the Neurogebra language server (pygls), a thin adapter from LSP to neurogebra.analysis."""
from neurogebra import __version__

__all__ = ["__version__"]
