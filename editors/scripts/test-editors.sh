#!/usr/bin/env bash
# `make test-editors`: the editor tests that need root, Debian packages and npm.
# Neovim 0.7.2 from Debian (the 0.11 tests run in `make test`), then the VS Code end-to-end test in code-server.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV="$(cd "${VENV:-.venv}" && pwd)"  # absolute: the VS Code test hands it to an editor in another folder

bash editors/scripts/nvim-debian.sh
"$VENV/bin/python" -m pytest -q -p no:cacheprovider -m editors tests/editors
VENV="$VENV" bash editors/scripts/vscode-e2e.sh
