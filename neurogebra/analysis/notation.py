"""How names are written for reading: x1 as x₁, y_true as it is; in LaTeX, mu as \\mu and y_true as one italic
name. Free of SymPy, so the server process can write hover labels with it."""
from __future__ import annotations

import re

SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
DIGIT_SUFFIX = re.compile(r"([A-Za-z])(\d+)")  # x1 reads well as x₁, var3 as var₃ does not
GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
         "nu", "xi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega"}


def unicode_name(name: str) -> str:
    match = DIGIT_SUFFIX.fullmatch(name)
    return match[1] + match[2].translate(SUBSCRIPTS) if match else name


def latex_name(name: str, upright: bool = False) -> str:
    """`upright` for function names (\\operatorname{gelu}); variables in italics."""
    if name in GREEK:
        return "\\" + name
    match = DIGIT_SUFFIX.fullmatch(name)
    if match:
        return f"{latex_name(match[1], upright)}_{{{match[2]}}}"
    if len(name) == 1:
        return name
    escaped = name.replace("_", r"\_")
    return rf"\operatorname{{{escaped}}}" if upright else rf"\mathit{{{escaped}}}"
