"""One measurement run of the `neurogebra` importable in this interpreter; prints JSON.

The driver (compare.py) runs this same file under the project's venv and under a venv holding neurogebra 2.5.11
from PyPI, so only API the two packages share is called: `MathForge().get(name)`, `Expression(name, formula,
params)`, `.gradient(var)`, `.eval(**values)`. Formula text reaches only each package's own `Expression`.

    python bench/library.py measure [--skip-catalog]   every metric below
    python bench/library.py first-use    a fresh process: import, MathForge(), get, gradient, eval
"""
from __future__ import annotations

import json
import sys
import time

started = time.perf_counter()
if sys.argv[1:] == ["first-use"]:
    import neurogebra

    neurogebra.MathForge().get("sigmoid").gradient("x").eval(x=0.5)
    print(json.dumps({"seconds": time.perf_counter() - started}))
    sys.exit(0)

import warnings  # noqa: E402

import numpy as np  # noqa: E402
import sympy  # noqa: E402
from timing import interleaved, per_call, summary  # noqa: E402

import neurogebra  # noqa: E402
from neurogebra import Expression, MathForge  # noqa: E402

GRADIENT_ENTRIES = {"sigmoid": "x", "gelu": "x", "mish": "x", "leaky_relu": "x", "binary_crossentropy": "y_pred"}
QUADRATIC = ("quadratic", "a*x**2 + b*x + c", {"a": 1.0, "b": 2.0, "c": 1.0})
PARSED = "log(1 + exp(-y*(w*x + b))) + lam*w**2/2 + tanh(w)*sqrt(x**2 + 1)"
SAMPLE_POINTS = (0.7, 0.3, 1.5, 2.5, -0.4)
POINTS = 1_000_000


def inputs_of(expression) -> list[str]:
    """The variables that are not parameters (this package's `inputs` where it has them)."""
    if hasattr(expression, "inputs"):
        return [s.name for s in expression.inputs]
    return [s.name for s in expression.variables if s.name not in expression.params]


def finite(value) -> bool:
    try:
        return bool(np.all(np.isfinite(np.asarray(value, dtype=float))))
    except (TypeError, ValueError):
        return False


def gradient_evaluates(forge, name: str) -> tuple[bool, str]:
    """Whether the entry differentiates in every input and the derivative gives a finite number at one of the
    sample points (all inputs set to that point)."""
    stage = "get"
    try:
        expression = forge.get(name)
        inputs = inputs_of(expression)
        for variable in inputs:
            stage = f"gradient({variable!r})"
            derivative = expression.gradient(variable)
            stage = f"eval of d/d{variable}"
            if not any(finite(derivative.eval(**dict.fromkeys(inputs, p))) for p in SAMPLE_POINTS):
                return False, f"{stage}: not finite at any sample point"
    except Exception as error:  # the point is to count what fails, whatever it raises
        message = str(error).splitlines()[0][:100] if str(error) else ""
        return False, f"{stage}: {type(error).__name__}: {message}"
    return True, ""


def catalog_sweep(forge) -> dict:
    names = forge.list_all()
    start = time.perf_counter()
    failures = {}
    for name in names:
        ok, why = gradient_evaluates(forge, name)
        if not ok:
            failures[name] = why
    return {"entries": len(names), "ok": len(names) - len(failures), "failed": len(failures),
            "seconds": time.perf_counter() - start, "failures": failures}


def clear_derivative_caches() -> None:
    """SymPy's cache and this repository's own cache of derivatives (neurogebra 2.5.11 has none): clearing them
    before each call times the real work of differentiating."""
    sympy.core.cache.clear_cache()
    calculus = sys.modules.get("neurogebra.calculus")
    if calculus is not None:
        calculus.differentiate.cache_clear()


def measure(catalog: bool) -> dict:
    results: dict = {"version": neurogebra.__version__, "python": sys.version.split()[0],
                     "sympy": sympy.__version__, "numpy": np.__version__}
    results["forge"] = summary(per_call(MathForge, repeats=7, budget=4.0))
    forge = MathForge()

    for entry, variable in GRADIENT_ENTRIES.items():
        samples = per_call(lambda: forge.get(entry).gradient(variable), setup=clear_derivative_caches,
                           repeats=7, budget=2.0)
        results[f"gradient {entry}"] = summary(samples)

    quadratic = Expression(*QUADRATIC[:2], params=QUADRATIC[2])
    slope = quadratic.gradient("x")
    sigmoid = forge.get("sigmoid")
    results["eval quadratic'(x)"] = {**summary(per_call(lambda: slope.eval(x=1.5), budget=2.0)),
                                     "value": float(slope.eval(x=1.5))}
    results["eval sigmoid(x)"] = {**summary(per_call(lambda: sigmoid.eval(x=0.3), budget=2.0)),
                                  "value": float(sigmoid.eval(x=0.3))}

    counter = iter(range(10**9))
    results["parse formula"] = summary(per_call(lambda: Expression("f", f"{PARSED} + {next(counter)}"),
                                                repeats=7, budget=2.0))

    x = np.linspace(-8.0, 8.0, POINTS)
    vectors = interleaved({
        "sigmoid": lambda: sigmoid.eval(x=x),
        "sigmoid numpy": lambda: 1.0 / (1.0 + np.exp(-x)),
        "quadratic": lambda: quadratic.eval(x=x),
        "quadratic numpy": lambda: 1.0 * x**2 + 2.0 * x + 1.0,
    }, repeats=9)
    for key, samples in vectors.items():
        results[f"vector {key}"] = summary(samples)
    results["vector agrees"] = bool(np.allclose(sigmoid.eval(x=x), 1.0 / (1.0 + np.exp(-x)))
                                    and np.allclose(quadratic.eval(x=x), x**2 + 2.0 * x + 1.0))
    if catalog:
        results["catalog"] = catalog_sweep(forge)
    return results


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    np.seterr(all="ignore")
    print(json.dumps(measure(catalog="--skip-catalog" not in sys.argv)))
