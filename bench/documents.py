"""Generated .ngb documents of a given length: definitions, derivative claims (most right, some wrong),
evaluations, constants, catalog calls, domains and comments, with names and coefficients varying per block."""
from __future__ import annotations

from itertools import count
from typing import Iterator

FAMILIES = (
    "t{i}(x) = tanh(x) + {a}*x",
    "u{i}(x) = sin({a}*x)*cos(x)",
    "r{i}(x) = relu(x - {c}) + x**2",
    "s{i}(x) = 1/(1 + exp(-x))",
)


def block(i: int, seed: int) -> list[str]:
    """Twelve lines; each block cycles through one more function family (tanh, trig, relu, sigmoid)."""
    a, b, c = 1 + (i + seed) % 7, 2 + (i * 3 + seed) % 5, (i + 2 * seed) % 9
    k = (i + seed) % 4
    right = (i + seed) % 5 != 0  # every fifth claim is wrong, so diagnostics are part of the work
    return [
        f"# block {i}",
        f"f{i}(x) = {a}*x**2 + {b}*x + {c}",
        f"f{i}'(x) = {2 * a}*x + {b}" if right else f"f{i}'(x) = {2 * a}*x",
        f"f{i}'({k})",
        f"g{i}(x, y) = x*y**2 + {a}*x*y",
        f"∂g{i}/∂x = y**2 + {a}*y",
        FAMILIES[i % len(FAMILIES)].format(i=i, a=a, c=c),
        f"lr{i} = 0.{k + 1}",
        f"step{i}(x) = x - lr{i}*f{i}'(x)",
        f"step{i}({a})",
        f"mse({a}, {b}) + huber({c}, {k})",
        f"@domain x in [-{5 + k}, {5 + k}]" if i % 3 == 0 else f"sigmoid({k - 2})",
    ]


def lines(seed: int = 0) -> Iterator[str]:
    for i in count():
        yield from block(i, seed)


def document(line_count: int, seed: int = 0) -> str:
    """`line_count` lines; different seeds give different coefficients (so no two documents are the same)."""
    generated = lines(seed)
    return "\n".join(next(generated) for _ in range(line_count)) + "\n"


def definition_line(text: str, near: int) -> int:
    """The index of the closest line at or above `near` that defines a polynomial f<i>(x): editing it changes
    what its claim, its evaluations and the functions built on it compute."""
    rows = text.split("\n")
    line = near
    while not (rows[line].startswith("f") and "(x) =" in rows[line] and "'" not in rows[line]):
        line -= 1
    return line


def edited(text: str, line: int, constant: int) -> str:
    """The document with the constant term of the polynomial on line `line` replaced by `constant`."""
    rows = text.split("\n")
    rows[line] = f"{rows[line].rsplit(' + ', 1)[0]} + {constant}"
    return "\n".join(rows)
