#!/usr/bin/env bash
# `make bench`: library side by side with neurogebra 2.5.11, the analysis engine, the language server, and the tests
# marked `timing` (they assert latencies, so `make test` leaves them out).
# Run from the repository root with the project venv (.venv) installed. Results land in bench/results/.
# A piece that cannot run is skipped with a message, and the exit status is then 1.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
REF=.venv-bench-ref
REF_VERSION=2.5.11
status=0

# matplotlib is the `bench` extra (for the plot only).
"$PY" -c 'import matplotlib' 2>/dev/null || "$PY" -m pip install --quiet -e '.[bench]'

# The reference package has the same import name, so it lives in its own venv, built once, on the same Python.
if [ ! -f "$REF/.installed-$REF_VERSION" ]; then
    echo "building $REF with neurogebra==$REF_VERSION (once, about a minute)" >&2
    if "$("$PY" -c 'import sys; print(sys._base_executable)')" -m venv --clear "$REF" \
        && "$REF/bin/python" -m pip install --quiet "neurogebra==$REF_VERSION"; then
        touch "$REF/.installed-$REF_VERSION"
    fi
fi

# Bytecode, as pip writes it for an installed package (an editable install gets it on first import, unless
# PYTHONDONTWRITEBYTECODE is set, as it is on some machines): cold starts should not time the compiler.
"$PY" -m compileall -q neurogebra server/neurogebra_lsp

mkdir -p bench/results
rm -f bench/results/*.md bench/results/*.json
if [ -f "$REF/.installed-$REF_VERSION" ]; then
    echo "== library (this repository vs neurogebra $REF_VERSION; about a minute) ==" >&2
    "$PY" bench/compare.py --theirs "$REF/bin/python" || status=1
    echo "== 2.5.11's own catalog formulas through this parser (bench/results/catalog_2_5_11.md) ==" >&2
    "$PY" bench/catalog_2_5_11.py --theirs "$REF/bin/python" > /dev/null || status=1
else
    echo "== library comparison: skipped, $REF could not be built (is PyPI reachable?) ==" >&2
    status=1
fi
echo >&2
echo "== where Expression.eval spends its time (bench/results/profile.txt) ==" >&2
"$PY" bench/profile_eval.py > /dev/null

echo >&2
echo "== analysis engine alone (about half a minute) ==" >&2
"$PY" bench/engine.py
echo "== FPBench's Hamming ch. 3 (bench/results/hamming.md) ==" >&2; "$PY" bench/hamming.py > bench/results/hamming.md || status=1
echo "== ML formulas in float64 and float32 (bench/results/ml_accuracy.md; about a minute) ==" >&2
"$PY" bench/ml_accuracy.py > bench/results/ml_accuracy.md || status=1

echo "== matrix derivatives: the held-out set beside SymPy's .diff (bench/results/matrix_calculus.md; a minute) ==" >&2
"$PY" bench/matrix_calculus.py > /dev/null || status=1

echo "== neurogebra check, cold and warm, beside the checker before issue 15 (about two minutes) ==" >&2
"$PY" bench/check.py || status=1

echo >&2
if .venv/bin/neurogebra-lsp --version > /dev/null 2>&1; then
    echo "== language server (about two minutes) ==" >&2
    "$PY" bench/lsp.py
    echo "== big documents through the language server (about five minutes) ==" >&2
    "$PY" bench/big.py || status=1
else
    echo "== language server: skipped, .venv/bin/neurogebra-lsp does not run ==" >&2
    status=1
fi

echo >&2
echo "== tests that assert how fast something happens (pytest -m timing; about a minute) ==" >&2
"$PY" -m pytest -q -p no:cacheprovider -m timing || status=1

"$PY" bench/plot.py >&2
for part in library engine check matrix_calculus lsp big; do
    if [ -f "bench/results/$part.md" ]; then cat "bench/results/$part.md"; echo; fi
done > bench/results/summary.md
echo "all tables: bench/results/summary.md" >&2
exit "$status"
