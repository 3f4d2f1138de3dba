# Two commands work on a fresh machine: `make run` and `make test`. Each bootstraps .venv itself.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint test-unit test-e2e test-editors vsix bench fuzz clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/neurogebra check --show-results --exit-zero examples/

test: lint
	$(PY) -m pytest -q -p no:cacheprovider

# ruff (lint and import order) and mypy, configured in pyproject.toml
lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m mypy

test-unit: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider tests/unit

test-e2e: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider tests/e2e

# Needs root (Debian packages) and npm: Neovim 0.7.2 and the VS Code end-to-end test in code-server.
test-editors: $(STAMP)
	bash editors/scripts/test-editors.sh

vsix:
	bash editors/scripts/vsix.sh

bench: $(STAMP)
	-node bench/typeset.mjs  # the VS Code extension's hover typesetting; needs npm ci in editors/vscode
	bash bench/run.sh
	$(PY) bench/python_gradients.py  # hand-written gradients in Python: a 1,000-line module cold, one edit re-checked

fuzz: $(STAMP)
	NEUROGEBRA_FUZZ_EXAMPLES=5000 NEUROGEBRA_FUZZ_FAULT_ROUNDS=30 NEUROGEBRA_CORPUS_STRIDE=1 $(PY) -m pytest -q -p no:cacheprovider tests/fuzz tests/corpus/test_passes.py

clean:
	rm -rf $(VENV) .cache build *.egg-info
