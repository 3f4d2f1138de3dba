#!/usr/bin/env bash
# End-to-end test of the VS Code extension in a real VS Code (code-server) driven by headless Chromium.
# Installs what it needs (Debian packages as root; code-server and playwright-core from npm into
# .cache/editors/, reused by later runs), builds the .vsix, and talks to the real neurogebra-lsp of the venv.
# Exits non-zero on any failure. Screenshots land in editors/vscode/images/ (SCREENSHOT_DIR to change).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
CACHE="$ROOT/.cache/editors"
CODE_SERVER_VERSION=4.100.3
PLAYWRIGHT_VERSION=1.65.1
RIPGREP_PACKAGE_VERSION=1.15.11  # the @vscode/ripgrep that code-server $CODE_SERVER_VERSION depends on
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
DEBIAN_PACKAGES=(build-essential pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev ripgrep chromium fonts-dejavu-core curl)
export SCREENSHOT_DIR="${SCREENSHOT_DIR:-$ROOT/editors/vscode/images}"

log() { printf '[vscode-e2e %(%H:%M:%S)T] %s\n' -1 "$*"; }
fail() { printf '[vscode-e2e] FAILED: %s\n' "$*" >&2; exit 1; }

install_debian_packages() {
  local missing=()
  for package in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || fail "missing Debian packages (run as root or install them): ${missing[*]}"
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# code-server's postinstall downloads ripgrep from the internet; its downloader first looks in a cache folder
# under TMPDIR, so a tarball of Debian's rg placed there is used instead.
install_code_server() {
  local prefix="$CACHE/code-server-$CODE_SERVER_VERSION"
  [ -f "$prefix/.installed" ] && return 0
  log "installing code-server $CODE_SERVER_VERSION (about a minute)"
  rm -rf "$prefix"
  mkdir -p "$prefix/tmp/vscode-ripgrep-cache-$RIPGREP_PACKAGE_VERSION"
  tar -czf "$prefix/tmp/vscode-ripgrep-cache-$RIPGREP_PACKAGE_VERSION/$RIPGREP_ASSET" -C "$(dirname "$(command -v rg)")" rg
  echo '{"private": true}' >"$prefix/package.json"
  (cd "$prefix" && TMPDIR="$prefix/tmp" npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >"$prefix/install.log" 2>&1) \
    || { tail -40 "$prefix/install.log"; fail "npm install code-server"; }
  [ -x "$prefix/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] \
    || { tail -40 "$prefix/install.log"; fail "code-server's postinstall did not complete"; }
  rm -rf "$prefix/tmp"
  touch "$prefix/.installed"
}

install_playwright() {
  local prefix="$CACHE/playwright-core-$PLAYWRIGHT_VERSION"
  [ -f "$prefix/.installed" ] && return 0
  log "installing playwright-core $PLAYWRIGHT_VERSION"
  rm -rf "$prefix" && mkdir -p "$prefix"
  echo '{"private": true}' >"$prefix/package.json"
  (cd "$prefix" && npm install --no-audit --no-fund --loglevel=error "playwright-core@$PLAYWRIGHT_VERSION" >/dev/null)
  touch "$prefix/.installed"
}

free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

SERVER_PID=""
RUN_DIR=""
cleanup() {
  local status=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    # code-server runs in its own process group (set -m below); end that group: server, extension host, LSP.
    kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 -- "-$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
  fi
  if [ $status -ne 0 ] && [ -n "$RUN_DIR" ]; then
    log "logs of the failed run:"
    find "$RUN_DIR/ud/logs" -name '*Neurogebra*' -exec sh -c 'echo "--- $1"; tail -60 "$1"' _ {} \; 2>/dev/null || true
    echo "--- code-server"; tail -30 "$RUN_DIR/code-server.log" 2>/dev/null || true
  fi
  [ -n "$RUN_DIR" ] && [ -z "${KEEP_E2E_DIR:-}" ] && rm -rf "$RUN_DIR"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

started=$(date +%s)
SERVER="${NEUROGEBRA_LSP:-$VENV/bin/neurogebra-lsp}"  # NEUROGEBRA_LSP: another server build to test against
[ -x "$SERVER" ] || fail "$SERVER not found: run 'make' in $ROOT first (or set VENV)"
command -v node >/dev/null || fail "node is needed (code-server $CODE_SERVER_VERSION runs on Node 20)"
[ "$(node -p 'process.versions.node.split(".")[0]')" = 20 ] || fail "code-server $CODE_SERVER_VERSION needs Node 20"

install_debian_packages
mkdir -p "$CACHE"
install_code_server
install_playwright
log "setup done in $(($(date +%s) - started)) s"

bash "$ROOT/editors/scripts/vsix.sh"
VSIX="$ROOT/editors/vscode/neurogebra.vsix"

RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/neurogebra-vscode-e2e.XXXXXX")"
mkdir -p "$RUN_DIR/ud/User" "$RUN_DIR/exts" "$RUN_DIR/xdg-config" "$RUN_DIR/xdg-data" "$RUN_DIR/workspace"
export XDG_CONFIG_HOME="$RUN_DIR/xdg-config" XDG_DATA_HOME="$RUN_DIR/xdg-data"
CODE_SERVER="$CACHE/code-server-$CODE_SERVER_VERSION/node_modules/.bin/code-server"

"$CODE_SERVER" --user-data-dir "$RUN_DIR/ud" --extensions-dir "$RUN_DIR/exts" --install-extension "$VSIX" \
  >"$RUN_DIR/install-extension.log" 2>&1 || { cat "$RUN_DIR/install-extension.log"; fail "installing the vsix"; }

cp "$ROOT/tests/editors/vscode/workspace/"* "$RUN_DIR/workspace/"
node -e '
  const [file, server] = process.argv.slice(1);
  require("fs").writeFileSync(file, JSON.stringify({
    "neurogebra.server.path": server,
    "neurogebra.trace.server": "messages",
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.colorTheme": "Default Dark Modern",
    "security.workspace.trust.enabled": false,
    "telemetry.telemetryLevel": "off",
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "update.mode": "none",
    "editor.minimap.enabled": false,
    "editor.fontSize": 15,
    "editor.inlayHints.enabled": "on",
    "editor.hover.delay": 200,
    "chat.disableAIFeatures": true,
  }, null, 2));
' "$RUN_DIR/ud/User/settings.json" "$SERVER"

PORT="$(free_port)"
set -m
"$CODE_SERVER" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override \
  --user-data-dir "$RUN_DIR/ud" --extensions-dir "$RUN_DIR/exts" "$RUN_DIR/workspace" \
  >"$RUN_DIR/code-server.log" 2>&1 &
SERVER_PID=$!
set +m
for _ in $(seq 300); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || fail "code-server exited"
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null || fail "code-server did not answer on port $PORT"
log "code-server $CODE_SERVER_VERSION is up on 127.0.0.1:$PORT"

mkdir -p "$SCREENSHOT_DIR" && rm -rf "$CACHE/e2e-failure"
test_started=$(date +%s)
CODE_SERVER_URL="http://127.0.0.1:$PORT" WORKSPACE="$RUN_DIR/workspace" FAILURE_DIR="$CACHE/e2e-failure" \
  PLAYWRIGHT_DIR="$CACHE/playwright-core-$PLAYWRIGHT_VERSION" CHROMIUM="$(command -v chromium)" \
  node "$ROOT/tests/editors/vscode/e2e.mjs"
log "editor test took $(($(date +%s) - test_started)) s; whole run $(($(date +%s) - started)) s"
