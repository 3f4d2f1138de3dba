"""Neurogebra: safe symbolic formulas, exact gradients, fast evaluation and gradient checking.

Names load on first use: `import neurogebra` does not import SymPy (the language server's own process never does).
"""
from neurogebra.lazy import lazy_exports

__version__ = "0.1.0"
_HOMES = {"Domain": "neurogebra.domains", "Expression": "neurogebra.expression", "MathForge": "neurogebra.forge",
          "ParseError": "neurogebra.syntax", "gradcheck": "neurogebra.gradient_checks",
          "parse_formula": "neurogebra.parsing"}
__all__ = sorted(_HOMES)
__getattr__, __dir__ = lazy_exports(globals(), _HOMES)
