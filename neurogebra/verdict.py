"""A gradient check's verdict and the kind of point where a function has no derivative: small enums, free of
SymPy, shared by the checker and what reports it."""
from __future__ import annotations

from enum import Enum


class Verdict(str, Enum):
    OK = "ok"
    MISMATCH = "mismatch"
    NON_DIFFERENTIABLE = "non_differentiable"
    UNSTABLE = "unstable"
    INCONCLUSIVE = "inconclusive"


class Kink(str, Enum):
    """Why a function has no derivative at a point."""

    CORNER = "kink"  # finite, continuous, with different slopes on the two sides (relu at 0)
    JUMP = "jump"    # finite on both sides, with different values
    POLE = "edge"    # not finite at or next to the point (log at 0, 1/x at 0)
