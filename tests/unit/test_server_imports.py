"""The server's own process never imports SymPy, NumPy or parso: the analysis (and its memory) lives in workers."""
from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
import neurogebra_lsp.cli, neurogebra_lsp.server, neurogebra_lsp.features
from neurogebra_lsp.features import register_all
print(" ".join(sorted(name for name in ("sympy", "numpy", "mpmath", "parso") if name in sys.modules)))
"""


def test_the_server_process_imports_no_symbolic_or_numeric_library():
    loaded = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60)
    assert loaded.stdout.split() == []


def test_the_package_loads_its_names_on_first_use():
    probe = ("import sys, neurogebra; assert 'sympy' not in sys.modules; "
             "from neurogebra import gradcheck, Expression; import neurogebra.gradient_checks; "
             "print(neurogebra.gradcheck is gradcheck, callable(gradcheck), Expression('f', 'x**2').gradient('x'))")
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert shown.stdout.strip() == "True True d(f)/dx(x) = 2*x"
