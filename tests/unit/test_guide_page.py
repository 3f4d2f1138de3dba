"""The user guide page ../shared/spec/gradients.md is a specification: every Python block on it, run in order in
one namespace, runs unchanged and prints what its comments say."""
from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import pytest

from neurogebra import ParseError, parse_formula
from neurogebra.compiled import compile_numpy, evaluate_numpy

PAGE = Path(__file__).resolve().parents[3] / "shared" / "spec" / "gradients.md"

pytestmark = pytest.mark.skipif(not PAGE.exists(), reason=f"the guide page is not beside the checkout ({PAGE})")


def python_blocks(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, flags=re.S)


def run_page() -> list[tuple[str, str, str]]:
    """Run every block; return (source line, printed text, comment) for each print that has a trailing comment,
    plus the page's '# Output:' listings matched to what was printed."""
    namespace: dict = {"__name__": "guide"}
    checks = []
    for index, block in enumerate(python_blocks(PAGE.read_text(encoding="utf-8"))):
        filename = f"<gradients.md block {index}>"
        printed: dict[int, list[str]] = {}
        in_order: list[str] = []

        def recording_print(*args, sep=" ", end="\n", file=None, **_):
            text = sep.join(str(a) for a in args)
            frame = sys._getframe(1)
            while frame is not None and frame.f_code.co_filename != filename:
                frame = frame.f_back
            printed.setdefault(frame.f_lineno if frame else -1, []).append(text)
            in_order.extend(text.split("\n"))

        namespace["print"] = recording_print
        exec(compile(block, filename, "exec"), namespace)  # safe: our own guide page, not user text
        lines = block.split("\n")
        for number, line in enumerate(lines, 1):
            code, _, comment = line.partition("#")
            following = lines[number].strip() if number < len(lines) else ""
            if not comment.strip() and following.startswith("#"):
                comment = following[1:]  # the expectation is on the line below the print
            if "print(" in code and comment.strip() and number in printed:
                checks.append((line.strip(), printed[number][-1], comment.strip()))
        listing = [line.strip()[1:].strip() for line in lines[next((i for i, row in enumerate(lines)
                                                                      if row.strip() == "# Output:"), len(lines)):]
                   if line.strip().startswith("#")][1:]
        for expected in listing:
            shown = expected.split("←")[0].strip()
            label = shown.split("=")[0].strip()
            match = next((out.strip() for out in in_order if out.strip().split("=")[0].strip() == label), None)
            checks.append((f"Output: {shown}", match or "<not printed>", shown))
    namespace.pop("print")
    return checks


def numbers_in(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", text)]


def normalized_formula(text: str) -> str:
    text = text.replace("σ(x)", "sigmoid(x)").replace("·", "*")
    text = re.sub(r"(\w+)²\((\w+)\)", r"\1(\2)**2", text)          # tanh²(x) -> tanh(x)**2
    text = re.sub(r"(\d)([a-z])", r"\1*\2", text)                   # 3x² -> 3*x²
    text = re.sub(r"^[^=]*'\(x\)\s*=\s*", "", text)                 # tanh'(x) = ... -> the right side
    return text


def same_formula(printed: str, comment: str) -> bool:
    shown = printed.split("=", 1)[-1].strip()
    try:
        left = parse_formula(shown)
        right = parse_formula(normalized_formula(comment))
    except ParseError:
        return False
    symbols = sorted(left.free_symbols | right.free_symbols, key=lambda s: s.name)
    points = [[0.3 + 0.7 * i + 0.1 * j for j in range(len(symbols))] for i in range(-4, 5)]
    for point in points:
        a = float(evaluate_numpy(compile_numpy(left, symbols), *point))
        b = float(evaluate_numpy(compile_numpy(right, symbols), *point))
        if not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12):
            return False
    return True


def agrees(printed: str, comment: str) -> bool:
    comment = comment.split("←")[0].strip()
    if comment.startswith("~"):
        return abs(numbers_in(printed)[-1] - float(comment[1:])) < 1e-6
    close = re.match(r"Should be close to (\S+)", comment)
    if close:  # 15 steps of lr = 0.1 from x = 10 end at 3 + 7*0.8**15 = 3.2463
        return abs(numbers_in(printed)[-1] - float(close.group(1))) < 0.5
    leading = re.match(r"-?\d+(\.\d+)?(\s|$)", comment)
    if leading:
        return math.isclose(numbers_in(printed)[-1], float(leading.group().strip()), rel_tol=1e-9, abs_tol=1e-12)
    if re.match(r"\w+'?\(\s*-?\d+\)\s*=", comment):  # a listed output line, compared as text
        return " ".join(printed.split()) == " ".join(comment.split())
    return same_formula(printed, comment)


CHECKS = run_page() if PAGE.exists() else []


def test_every_block_runs_and_prints_something_checked():
    assert len(python_blocks(PAGE.read_text(encoding="utf-8"))) >= 8
    assert len(CHECKS) >= 28


@pytest.mark.parametrize("source, printed, comment", CHECKS, ids=[c[0][:60] for c in CHECKS])
def test_printed_value_matches_comment(source, printed, comment):
    if comment.startswith("Derivative is"):
        pytest.skip("prose: 'Derivative is 1 for x > 0, 0 for x < 0' is checked by the relu test below")
    assert agrees(printed, comment), f"{source}\n  printed: {printed}\n  comment: {comment}"


def test_relu_derivative_is_the_step_with_the_documented_kink_convention():
    printed = next(p for s, p, _ in CHECKS if "ReLU'" in s)
    derivative = parse_formula(printed.split("=", 1)[1].strip())
    x = sorted(derivative.free_symbols, key=lambda s: s.name)
    values = [float(evaluate_numpy(compile_numpy(derivative, x), v)) for v in (-2.0, 0.0, 3.0)]
    assert values == [0.0, 0.0, 1.0]
