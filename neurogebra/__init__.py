"""Neurogebra: safe symbolic formulas, exact gradients, fast evaluation and gradient checking."""
from neurogebra.domains import Domain
from neurogebra.expression import Expression
from neurogebra.gradcheck import gradcheck  # binds the function over the submodule of the same name
from neurogebra.parsing import ParseError, parse_formula

__all__ = ["Domain", "Expression", "MathForge", "ParseError", "gradcheck", "parse_formula"]
__version__ = "0.1.0"


def __getattr__(name: str):
    if name == "MathForge":  # loaded on first use, so `import neurogebra` stays cheap
        from neurogebra.forge import MathForge

        return MathForge
    raise AttributeError(f"module 'neurogebra' has no attribute {name!r}")
