"""The hover plot: two panels (f above f′) with their own y scales, over where the function is defined, in the
theme's colour, as valid self-contained SVG."""
from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import sympy

from neurogebra.analysis.plot import nice_ticks, plot_svg, tick_labels
from neurogebra.domains import Domain

SVG = "{http://www.w3.org/2000/svg}"
x, p = sympy.symbols("x p", real=True)


def plot(function: sympy.Expr, variable: sympy.Symbol = x, domain: Domain | None = None, name: str = "f") -> str:
    return plot_svg(function, sympy.diff(function, variable), variable, domain, name)


def panels(svg: str) -> list[ET.Element]:
    return ET.fromstring(svg).findall(f"{SVG}g[@class='panel']")


def y_ticks(panel: ET.Element) -> list[float]:
    """The panel's y tick labels (every text but its title)."""
    return [float(t.text) for t in panel.findall(f"{SVG}text")[1:]]


def x_ticks(svg: str) -> dict[float, float]:
    """The shared x axis's tick values, by pixel (the texts below the panels, but the variable's name)."""
    texts = ET.fromstring(svg).findall(f"{SVG}text")[:-1]
    return {float(t.get("x")): float(t.text) for t in texts}


def x_value(svg: str):
    """Maps an x pixel to the value it shows, by the x axis's ticks."""
    (px0, v0), (px1, v1) = sorted(x_ticks(svg).items())[:2]
    return lambda px: v0 + (px - px0) * (v1 - v0) / (px1 - px0)


def subpaths(panel: ET.Element) -> list[list[tuple[float, float]]]:
    """The curve's pieces, each a list of pixel points."""
    curve = panel.findall(f"{SVG}path")[-1]
    pieces: list[list[tuple[float, float]]] = []
    for command, px, py in re.findall(r"([ML])([-\d.]+),([-\d.]+)", curve.get("d")):
        if command == "M":
            pieces.append([])
        pieces[-1].append((float(px), float(py)))
    return pieces


def test_two_panels_each_with_its_own_y_scale_and_title_and_one_shared_x_axis():
    svg = plot(x**3, name="cube")
    top, bottom = panels(svg)
    assert [panel.find(f"{SVG}text").text for panel in (top, bottom)] == ["cube(x)", "cube\u2032(x)"]
    assert min(y_ticks(top)) < 0 < max(y_ticks(top))  # x³ spans both signs, ±125
    assert min(y_ticks(bottom)) >= 0 and max(y_ticks(bottom)) > 25  # 3x² only the positive, up to 75
    assert sorted(x_ticks(svg).values()) == [-4, -2, 0, 2, 4]
    assert ET.fromstring(svg).findall(f"{SVG}text")[-1].text == "x"


@pytest.mark.parametrize("lo, hi", [(0, 5), (-5, 5), (4.5e-15, 5), (-4.6, 1.96), (0.001, 0.999), (-1, 1),
                                    (2.7, 3.3), (1e-12, 3e-12), (-130, 130), (999.9, 1000.1)])
def test_ticks_are_three_to_five_round_values_within_the_range(lo, hi):
    ticks, step = nice_ticks(lo, hi)
    assert 3 <= len(ticks) <= 5
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, m) for m in (1, 2, 2.5, 5))
    assert np.allclose(np.diff(ticks), step)
    slack = (hi - lo) * 0.01
    assert lo - slack <= ticks[0] and ticks[-1] <= hi + slack


@pytest.mark.parametrize("ticks, step, labels", [
    ([-5, 0, 5], 5, ["-5", "0", "5"]),
    ([0, 2.5, 5, 7.5], 2.5, ["0", "2.5", "5", "7.5"]),
    ([0.25, 0.5, 0.75], 0.25, ["0.25", "0.5", "0.75"]),
    ([1e-3, 2e-3, 3e-3], 1e-3, ["1e-3", "2e-3", "3e-3"]),
    ([0, 25_000, 50_000], 25_000, ["0", "2.5e4", "5e4"]),
    ([0.1 * 3, 0.1 * 6], 0.1 * 3, ["0.3", "0.6"]),  # no 0.30000000000000004
])
def test_tick_labels_are_compact(ticks, step, labels):
    assert tick_labels(ticks, step) == labels


@pytest.mark.parametrize("function, variable", [(sympy.log(p), p), (sympy.sqrt(x), x), (sympy.log(p / (1 - p)), p)])
def test_a_function_is_drawn_only_where_it_is_defined(function, variable):
    svg = plot(function, variable)
    to_value = x_value(svg)
    half_pixel = to_value(1) - to_value(0.5)
    xs = [to_value(px) for panel in panels(svg) for piece in subpaths(panel) for px, _ in piece]
    assert min(xs) > -half_pixel and min(xs) < 0.05
    assert min(x_ticks(svg).values()) == 0
    assert ET.fromstring(svg).findall(f"{SVG}text")[-1].text == variable.name


def test_the_given_domain_is_the_x_axis():
    svg = plot(x**2, domain=Domain(1, 3, True, True))
    assert sorted(x_ticks(svg).values()) == [1, 1.5, 2, 2.5, 3]
    to_value = x_value(svg)
    [piece] = subpaths(panels(svg)[0])
    assert to_value(piece[0][0]) == pytest.approx(1, abs=0.02)
    assert to_value(piece[-1][0]) == pytest.approx(3, abs=0.02)


def test_a_half_line_domain_is_cut_to_a_window():
    svg = plot(sympy.log(x), domain=Domain(10, math.inf))
    assert min(x_ticks(svg).values()) == 10 and 15 <= max(x_ticks(svg).values()) <= 20


def test_a_pole_breaks_the_curve_and_does_not_stretch_the_scale():
    svg = plot(1 / x)
    zero = next(px for px, value in x_ticks(svg).items() if value == 0)
    for panel in panels(svg):
        pieces = subpaths(panel)
        assert len(pieces) == 2
        for piece in pieces:
            assert all(px < zero for px, _ in piece) or all(px > zero for px, _ in piece)
    assert max(abs(t) for t in y_ticks(panels(svg)[0])) <= 20


def test_text_and_axes_take_the_theme_colour_and_nothing_fills_the_background():
    svg = plot(sympy.tanh(x))
    root = ET.fromstring(svg)
    parent = {child: node for node in root.iter() for child in node}

    def fill(element: ET.Element) -> str | None:
        while element is not None and element.get("fill") is None:
            element = parent.get(element)
        return None if element is None else element.get("fill")

    texts = list(root.iter(f"{SVG}text"))
    assert texts and all(fill(t) == "currentColor" for t in texts)
    assert root.find(f".//{SVG}rect") is None
    axes = [panel.findall(f"{SVG}path")[0] for panel in panels(svg)]
    assert all(a.get("stroke") == "currentColor" for a in axes)
    curves = [panel.findall(f"{SVG}path")[-1].get("stroke") for panel in panels(svg)]
    assert "currentColor" not in curves and curves[0] != curves[1]


def test_a_constant_draws_a_flat_line_within_a_range_around_it():
    svg = plot(sympy.Integer(3))
    for panel, value in zip(panels(svg), (3, 0)):
        [piece] = subpaths(panel)
        assert len({py for _, py in piece}) == 1
        ticks = y_ticks(panel)
        assert min(ticks) < value < max(ticks)


def test_a_function_finite_nowhere_has_no_plot():
    assert plot(sympy.log(-x**2 - 1)) == ""


def test_the_svg_is_sized_for_a_hover_and_escapes_the_name():
    svg = plot(x, name='<b>&"\'')
    root = ET.fromstring(svg)
    assert 340 <= float(root.get("width")) <= 380
    assert 200 <= float(root.get("height")) <= 250  # VS Code scrolls a hover taller than 250 pixels
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert 11 <= float(root.get("font-size")) <= 12 and root.get("font-family") == "sans-serif"
    assert panels(svg)[0].find(f"{SVG}text").text == '<b>&"\'(x)'
