#!/usr/bin/env bash
# Installs what the Neovim tests of `make test-editors` need from Debian: Neovim (0.7.2 on Debian 12), and tmux,
# Chromium and a font for the screenshots of Neovim in a terminal. Does nothing when all of them are there.
set -euo pipefail

if [ -x /usr/bin/nvim ] && [ -x /usr/bin/tmux ] && [ -x /usr/bin/chromium ] \
        && [ -e /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends neovim tmux chromium fonts-dejavu-core
