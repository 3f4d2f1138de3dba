"""A gradient check's verdict: one small enum, free of SymPy, shared by the checker and what reports it."""
from __future__ import annotations

from enum import Enum


class Verdict(str, Enum):
    OK = "ok"
    MISMATCH = "mismatch"
    NON_DIFFERENTIABLE = "non_differentiable"
    UNSTABLE = "unstable"
    INCONCLUSIVE = "inconclusive"
