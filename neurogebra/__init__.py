"""Neurogebra: safe symbolic formulas, exact gradients, fast evaluation and gradient checking."""
from neurogebra.domains import Domain
from neurogebra.expression import Expression
from neurogebra.parsing import ParseError, parse_formula

__all__ = ["Domain", "Expression", "MathForge", "ParseError", "gradcheck", "parse_formula"]
__version__ = "0.1.0"


def __getattr__(name: str):
    # MathForge and gradcheck load on first use, so `import neurogebra` stays cheap.
    if name == "MathForge":
        from neurogebra.forge import MathForge

        return MathForge
    if name == "gradcheck":
        from neurogebra.gradcheck import gradcheck

        return gradcheck
    raise AttributeError(f"module 'neurogebra' has no attribute {name!r}")
