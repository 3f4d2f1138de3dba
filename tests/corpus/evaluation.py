"""What the labeller's checks share: a document's compiled scope, and exact values at a precision that settles them.

`exact_value` evaluates with `exact.Num` (values with error bounds) from 51 digits up, doubling the precision
until the error bound pins the value down (`float64_of`: one correctly rounded float64; `accurate_to`: a relative
accuracy) and, for stability, until the next doubling settles to the same result.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

import mpmath

from .catalog import CATALOG, DOMAINS
from .exact import EXACT, INF, SCALE, Num, tracking
from .formula import FLOAT64, Compiler
from .ngb import REAL_LINE, Document, Interval, read

START_PREC = 170  # bits: 51 digits
MAX_PREC = 5440  # bits: 5 doublings up; a point that needs more is skipped


class Unresolved(Exception):
    """Raising the precision did not settle the value."""


# ------------------------------------------------------------------------------------------------ exact values

def exact_value(fn, point: dict, settled, twice: bool = True) -> tuple[Num, int]:
    """fn's value at point, and the precision that gave it: the lowest at which `settled(value)` holds (its
    error bound pins it down) and, if `twice`, one precision doubling later the value settles to the same result."""
    env = {name: Num(value if isinstance(value, mpmath.mpf) else mpmath.mpf(float(value)))
           for name, value in point.items()}
    prec, previous = START_PREC, None
    while prec <= MAX_PREC:
        with mpmath.workprec(prec):
            tracking()
            value = fn(env)
            answer = settled(value)
        if answer is not None and not twice:
            return value, prec
        if answer is not None and previous is not None and answer == previous[1]:
            return previous[0], prec // 2
        previous = (value, answer) if answer is not None else None
        prec *= 2
    raise Unresolved


def float64_of(value: Num):
    """The correctly rounded float64 of value when its error bound allows only one; None otherwise.

    A value pinned to within 2**-100 of a tie between two floats (3*x for a float x is often exactly one, and
    log(1 + exp(3*x)) exceeds it by exp(-3*x)) takes the rounding of its centre: at most 1 bit off there."""
    if value.le == INF or not mpmath.isfinite(value.v):
        return None
    if value.le == -INF:
        return to_float64(value.v)
    spread = mpmath.ldexp(1, value.le // SCALE + 1)
    low, high = to_float64(value.v - spread), to_float64(value.v + spread)
    if low == high:
        return low
    tight = value.v and value.le // SCALE + 1 < int(mpmath.mag(value.v)) - 100
    return to_float64(value.v) if tight and abs(ordinal(high) - ordinal(low)) == 1 else None


def accurate_to(bits: int):
    """`settled` for claims: the value itself once its error is below 2**-bits relative (0 when exactly 0)."""
    def settled(value: Num):
        if not mpmath.isfinite(value.v) or value.le == INF:
            return None
        if not value.v:
            return 0 if value.le == -INF else None
        if value.le > (int(mpmath.mag(value.v)) - 2 - bits) * SCALE:
            return None
        with mpmath.workprec(bits - 16):
            return +value.v
    return settled


def to_float64(value) -> float:
    """Correctly rounded (round to nearest); inf beyond float64's range; -0.0 as 0.0."""
    return mpmath.libmp.to_float(mpmath.mpf(value)._mpf_, rnd=mpmath.libmp.round_nearest) + 0.0


def ordinal(x: float) -> int:
    bits = struct.unpack("<q", struct.pack("<d", x))[0]
    return bits if bits >= 0 else -(bits & 0x7FFF_FFFF_FFFF_FFFF)



@dataclass
class Scope:
    document: Document
    exact: Compiler
    float64: Compiler

    @classmethod
    def of(cls, text: str) -> "Scope":
        document = read(text)
        functions = {**CATALOG, **document.functions}
        return cls(document, Compiler(EXACT, functions, document.constants),
                   Compiler(FLOAT64, functions, document.constants))

    def domain(self, claim_or_definition, variable: str) -> Interval:
        if variable in claim_or_definition.domains:
            return claim_or_definition.domains[variable]
        target = getattr(claim_or_definition, "target", None)
        if target and target not in self.document.functions:
            return DOMAINS.get(target, {}).get(variable, REAL_LINE)
        return REAL_LINE
