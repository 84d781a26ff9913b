#!/usr/bin/env bash
# Installs everything the project needs on a fresh machine; safe to run again (it skips what is there).
#   scripts/setup.sh            Python environment (uv + locked dependencies, all extras)
#   scripts/setup.sh --browser  also Debian's chromium for the browser tests (the app ships its own Japanese font)
# Always: poppler-utils (pdftoppm), which the report tests use to render every PDF page to PNG for review.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.8
if ! command -v uv >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check "uv==${UV_VERSION}"
fi
uv sync --frozen --all-extras --quiet

SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
if ! command -v pdftoppm >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends poppler-utils >/dev/null
fi

if [[ "${1:-}" == "--browser" ]]; then
  if ! command -v chromium >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
  fi
fi
