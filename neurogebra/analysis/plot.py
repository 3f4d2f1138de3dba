"""A small SVG plot of a function and its derivative, for rich hovers (no plotting library needed)."""
from __future__ import annotations

import math
from html import escape

import numpy as np
import sympy

from neurogebra.compiled import compile_numpy, evaluate_numpy
from neurogebra.domains import Domain

WIDTH, HEIGHT, MARGIN = 320, 160, 24
POINTS = 121
DEFAULT_RANGE = (-5.0, 5.0)


def _plot_range(domain: Domain | None) -> tuple[float, float]:
    lo, hi = DEFAULT_RANGE if domain is None else (domain.lo, domain.hi)
    lo = max(lo, DEFAULT_RANGE[0]) if math.isinf(lo) else lo
    hi = min(hi, DEFAULT_RANGE[1]) if math.isinf(hi) else hi
    if not lo < hi:
        lo, hi = (domain.lo, domain.lo + 10.0) if math.isinf(hi) else (hi - 10.0, hi)
    span = hi - lo
    return lo + span * 1e-3, hi - span * 1e-3  # open ends stay inside the domain


def plot_svg(function: sympy.Expr, derivative: sympy.Expr, variable: sympy.Symbol, domain: Domain | None,
             name: str) -> str:
    lo, hi = _plot_range(domain)
    xs = np.linspace(lo, hi, POINTS)
    curves = []
    for expr in (function, derivative):
        ys = evaluate_numpy(compile_numpy(expr, (variable,)), xs)
        curves.append(np.broadcast_to(np.asarray(ys, dtype=float), xs.shape))
    finite = np.concatenate([c[np.isfinite(c)] for c in curves])
    if finite.size == 0:
        return ""
    y_lo, y_hi = np.percentile(finite, [2, 98])
    if y_hi - y_lo < 1e-12:
        y_lo, y_hi = y_lo - 1, y_hi + 1
    pad = (y_hi - y_lo) * 0.08
    y_lo, y_hi = y_lo - pad, y_hi + pad

    def to_x(x: float) -> float:
        return MARGIN + (x - lo) / (hi - lo) * (WIDTH - 2 * MARGIN)

    def to_y(y: float) -> float:
        return HEIGHT - MARGIN - (y - y_lo) / (y_hi - y_lo) * (HEIGHT - 2 * MARGIN)

    def path(ys: np.ndarray) -> str:
        commands, pen_down = [], False
        for x, y in zip(xs, ys):
            if not np.isfinite(y) or not y_lo <= y <= y_hi:
                pen_down = False
                continue
            commands.append(f"{'L' if pen_down else 'M'}{to_x(x):.1f},{to_y(y):.1f}")
            pen_down = True
        return " ".join(commands)

    axes = []
    if y_lo < 0 < y_hi:
        axes.append(f'<line x1="{MARGIN}" y1="{to_y(0):.1f}" x2="{WIDTH - MARGIN}" y2="{to_y(0):.1f}"/>')
    if lo < 0 < hi:
        axes.append(f'<line x1="{to_x(0):.1f}" y1="{MARGIN}" x2="{to_x(0):.1f}" y2="{HEIGHT - MARGIN}"/>')
    label = escape(name)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>'
        f'<g stroke="#999" stroke-width="0.5">{"".join(axes)}</g>'
        f'<path d="{path(curves[0])}" fill="none" stroke="#1f77b4" stroke-width="2"/>'
        f'<path d="{path(curves[1])}" fill="none" stroke="#d62728" stroke-width="1.5" stroke-dasharray="4 2"/>'
        f'<text x="{MARGIN}" y="14" fill="#1f77b4">{label}({escape(variable.name)})</text>'
        f'<text x="{MARGIN + 90}" y="14" fill="#d62728">{label}\'({escape(variable.name)})</text>'
        f'<text x="{MARGIN}" y="{HEIGHT - 6}" fill="#555">{lo:.3g}</text>'
        f'<text x="{WIDTH - MARGIN}" y="{HEIGHT - 6}" fill="#555" text-anchor="end">{hi:.3g}</text>'
        "</svg>"
    )
