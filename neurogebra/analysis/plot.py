"""A small SVG plot of a function above its derivative, for rich hovers (no plotting library needed).

Two stacked panels share the x axis, each with its own y scale. Nothing is filled behind them and all text and
axes are drawn in currentColor, which the VS Code extension replaces with the theme's foreground."""
from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from itertools import pairwise
from typing import Iterator

import numpy as np
import sympy

from neurogebra.compiled import compile_numpy, evaluate_numpy
from neurogebra.domains import Domain
from neurogebra.plot_range import OPEN_END_INSET, finite_region, plot_window

WIDTH, HEIGHT = 360, 230           # VS Code shows 250 pixels of a hover before it scrolls
LEFT, RIGHT = 52, 18            # room for the y tick labels; half an x tick label past the last tick
PANEL_HEIGHT = 76
PANEL_TOPS = (20, 116)          # each panel's title sits in the 20 pixels above it
TICK = 4
FONT_SIZE = 11
FUNCTION_COLOUR, DERIVATIVE_COLOUR = "#3b8eea", "#e5534b"   # mid-luminance: readable on dark and light themes
POINTS = 200
MAX_TICKS = 5
HUGE = 1e300                    # values beyond set no y range: its width would overflow


@dataclass(frozen=True)
class Axis:
    lo: float
    hi: float
    start: float    # the pixel of lo
    end: float      # the pixel of hi

    def pixel(self, value: float) -> float:
        return self.start + (value - self.lo) / (self.hi - self.lo) * (self.end - self.start)


def plot_svg(function: sympy.Expr, derivative: sympy.Expr, variable: sympy.Symbol, domain: Domain | None,
             name: str) -> str:
    """The plot of `function` (named `name`) above its `derivative`, over `domain` where the function is finite;
    "" where it is finite nowhere."""
    region = finite_region(lambda xs: _values(function, variable, xs), *plot_window(domain))
    if region is None:
        return ""
    xs = np.linspace(*region, POINTS)
    x_axis = Axis(*region, LEFT, WIDTH - RIGHT)
    label, argument = escape(name), escape(variable.name)
    top, bottom = PANEL_TOPS
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'font-family="sans-serif" font-size="{FONT_SIZE}" fill="currentColor">'
        + _panel(f"{label}({argument})", xs, _values(function, variable, xs), x_axis, top, FUNCTION_COLOUR)
        + _panel(f"{label}\u2032({argument})", xs, _values(derivative, variable, xs), x_axis, bottom,
                 DERIVATIVE_COLOUR)
        + _x_labels(x_axis, bottom + PANEL_HEIGHT, argument)
        + "</svg>"
    )


def _values(expr: sympy.Expr, variable: sympy.Symbol, xs: np.ndarray) -> np.ndarray:
    """expr at xs, NaN where it is not real."""
    values = np.asarray(evaluate_numpy(compile_numpy(expr, (variable,)), xs))
    if np.iscomplexobj(values):
        values = np.where(values.imag == 0, values.real, np.nan)
    return np.broadcast_to(values.astype(float), xs.shape)


def _y_range(ys: np.ndarray) -> tuple[float, float]:
    """The values' range without its spikes (beyond the 2nd to 98th percentiles by more than half their spread),
    padded; a flat curve gets a range around its value."""
    finite = ys[np.abs(ys) < HUGE]
    if finite.size == 0:
        return -1.0, 1.0
    lo, hi = np.percentile(finite, [2, 98])
    spread = hi - lo
    lo, hi = max(finite.min(), lo - spread / 2), min(finite.max(), hi + spread / 2)
    if hi - lo <= 1e-9 * max(abs(lo), abs(hi)):  # flat but for rounding
        middle = (lo + hi) / 2
        half = abs(middle) / 2 or 1.0
        return middle - half, middle + half
    pad = (hi - lo) * 0.06
    return float(lo - pad), float(hi + pad)


def nice_ticks(lo: float, hi: float) -> tuple[list[float], float]:
    """Round values in [lo, hi] (a hair beyond it, for ends just inside an open end) and their step: the smallest
    step of 1, 2, 2.5 or 5 × 10^k giving at most five, which always gives at least three."""
    slack = (hi - lo) * 2 * OPEN_END_INSET
    for step in _steps(from_magnitude_of=(hi - lo) / MAX_TICKS):
        first, last = math.ceil((lo - slack) / step), math.floor((hi + slack) / step)
        if last - first < MAX_TICKS:
            return [k * step for k in range(first, last + 1)], step
    raise AssertionError("unreachable: _steps never ends")


def _steps(from_magnitude_of: float) -> Iterator[float]:
    magnitude = 10.0 ** math.floor(math.log10(from_magnitude_of))
    while True:
        yield from (m * magnitude for m in (1, 2, 2.5, 5))
        magnitude *= 10


def tick_labels(ticks: list[float], step: float) -> list[str]:
    """Short labels: `-5`, `0`, `2.5`, `1e-3`; scientific for the whole axis when its values are tiny or huge."""
    largest = max(abs(t) for t in ticks)
    step_exponent = math.floor(math.log10(step))
    if largest < 1e-2 or largest >= 1e4:
        digits = max(0, math.floor(math.log10(largest)) - step_exponent + 1)
        return [_scientific(t, digits) for t in ticks]
    decimals = max(0, 1 - step_exponent)  # one more than the step's, for steps of 2.5 × 10^k
    return [_trimmed(f"{t:.{decimals}f}") for t in ticks]


def _trimmed(number: str) -> str:
    number = number.rstrip("0").rstrip(".") if "." in number else number
    return "0" if number == "-0" else number


def _scientific(value: float, digits: int) -> str:
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.{digits}e}".split("e")
    return f"{_trimmed(mantissa)}e{int(exponent)}"


def _panel(title: str, xs: np.ndarray, ys: np.ndarray, x_axis: Axis, top: float, colour: str) -> str:
    bottom, right = top + PANEL_HEIGHT, x_axis.end
    y_axis = Axis(*_y_range(ys), bottom, top)
    ticks, step = nice_ticks(y_axis.lo, y_axis.hi)
    y_ticks = "".join(
        f'<line x1="{LEFT - TICK}" y1="{y_axis.pixel(t):.1f}" x2="{LEFT}" y2="{y_axis.pixel(t):.1f}" '
        f'stroke="currentColor"/>'
        f'<text x="{LEFT - TICK - 2}" y="{y_axis.pixel(t) + 4:.1f}" text-anchor="end">{text}</text>'
        for t, text in zip(ticks, tick_labels(ticks, step)))
    x_ticks = "".join(f'<line x1="{x_axis.pixel(t):.1f}" y1="{bottom}" x2="{x_axis.pixel(t):.1f}" '
                      f'y2="{bottom + TICK}" stroke="currentColor"/>' for t in nice_ticks(x_axis.lo, x_axis.hi)[0])
    return (
        f'<g class="panel">'
        f'<line x1="{LEFT}" y1="{top - 8}" x2="{LEFT + 14}" y2="{top - 8}" stroke="{colour}" stroke-width="2"/>'
        f'<text x="{LEFT + 19}" y="{top - 4}">{title}</text>'
        + _zero_lines(x_axis, y_axis)
        + f'<path d="M{LEFT},{top}V{bottom}H{right}" fill="none" stroke="currentColor"/>'
        + y_ticks + x_ticks
        + f'<path d="{_curve_path(xs, ys, x_axis, y_axis)}" fill="none" stroke="{colour}" stroke-width="1.75" '
          f'stroke-linejoin="round"/>'
        "</g>"
    )


def _zero_lines(x_axis: Axis, y_axis: Axis) -> str:
    style = 'stroke="currentColor" stroke-opacity="0.3" stroke-dasharray="3 3"'
    lines = []
    if y_axis.lo < 0 < y_axis.hi:
        y = y_axis.pixel(0)
        lines.append(f'<line x1="{x_axis.start}" y1="{y:.1f}" x2="{x_axis.end}" y2="{y:.1f}" {style}/>')
    if x_axis.lo < 0 < x_axis.hi:
        x = x_axis.pixel(0)
        lines.append(f'<line x1="{x:.1f}" y1="{y_axis.end}" x2="{x:.1f}" y2="{y_axis.start}" {style}/>')
    return "".join(lines)


def _x_labels(x_axis: Axis, axis_y: float, variable: str) -> str:
    ticks, step = nice_ticks(x_axis.lo, x_axis.hi)
    y = axis_y + TICK + FONT_SIZE + 1
    labels = "".join(f'<text x="{x_axis.pixel(t):.1f}" y="{y}" text-anchor="middle">{text}</text>'
                     for t, text in zip(ticks, tick_labels(ticks, step)))
    middle = (x_axis.start + x_axis.end) / 2
    return (labels + f'<text x="{middle:.1f}" y="{y + FONT_SIZE + 4}" text-anchor="middle" '
                     f'font-style="italic">{variable}</text>')


def _curve_path(xs: np.ndarray, ys: np.ndarray, x_axis: Axis, y_axis: Axis) -> str:
    """Path data of the curve within the panel: each segment cut where it leaves the panel, none where either
    end is not finite or where it jumps from beyond one edge to beyond the other (a pole)."""
    commands, pen_down = [], False
    for start, end in pairwise(zip(xs, ys)):
        segment = _within(start, end, y_axis.lo, y_axis.hi)
        if segment is None:
            pen_down = False
            continue
        (x0, y0), (x1, y1), pen_down_after = segment
        if not pen_down:
            commands.append(f"M{x_axis.pixel(x0):.1f},{y_axis.pixel(y0):.1f}")
        commands.append(f"L{x_axis.pixel(x1):.1f},{y_axis.pixel(y1):.1f}")
        pen_down = pen_down_after
    return "".join(commands)


def _within(start: tuple[float, float], end: tuple[float, float], lo: float, hi: float):
    """The part of the segment from start to end (points x, y) with lo <= y <= hi, and whether it reaches end;
    None where there is no such part or the segment crosses the whole band from outside to outside."""
    (x0, y0), (x1, y1) = start, end
    low, high = min(y0, y1), max(y0, y1)
    if not (np.isfinite(y0) and np.isfinite(y1)) or high < lo or low > hi or (low < lo and high > hi):
        return None

    def inside(x: float, y: float) -> tuple[float, float]:
        if lo <= y <= hi:
            return x, y
        bound = lo if y < lo else hi
        return x0 + (x1 - x0) * (bound - y0) / (y1 - y0), bound

    return inside(x0, y0), inside(x1, y1), lo <= y1 <= hi
