#!/usr/bin/env bash
# Builds editors/vscode/neurogebra.vsix: clean install from the lock file, type check, unit tests, package.
set -euo pipefail
cd "$(dirname "$0")/../vscode"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
# npm ci starts from an empty node_modules; skip it while node_modules was made from this very lock file.
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ "$(cat node_modules/.lock-hash 2>/dev/null)" != "$lock_hash" ]; then
  npm ci --loglevel=error
  echo "$lock_hash" >node_modules/.lock-hash
fi
npm run --silent lint
npm test --silent
npm run --silent package
ls -l "$PWD/neurogebra.vsix"
