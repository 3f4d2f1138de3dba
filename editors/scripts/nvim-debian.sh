#!/usr/bin/env bash
# Installs Debian's Neovim (0.7.2 on Debian 12) for `make test-editors`; does nothing when /usr/bin/nvim exists.
set -euo pipefail

if [ -x /usr/bin/nvim ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends neovim
