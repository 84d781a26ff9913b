#!/usr/bin/env bash
# Installs everything the project needs on a fresh machine; safe to run again (it skips what is there).
#   scripts/setup.sh            Python environment (uv + locked dependencies, all extras) and Debian's
#                               poppler-utils (pdftoppm: the report tests render every PDF page to PNG for review)
#   scripts/setup.sh --browser  also what the test command needs from Debian: chromium for the browser tests (the
#                               app ships its own Japanese font) and the PostgreSQL 15 server for the storage and
#                               fault tests (a throwaway cluster each run, on 127.0.0.1)
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.8
if ! command -v uv >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check "uv==${UV_VERSION}"
fi
uv sync --frozen --all-extras --quiet

missing=()
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
if [[ "${1:-}" == "--browser" ]]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  [[ -x /usr/lib/postgresql/15/bin/initdb ]] || missing+=(postgresql-15)
fi
if [[ ${#missing[@]} -gt 0 ]]; then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
