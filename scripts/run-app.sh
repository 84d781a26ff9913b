#!/usr/bin/env bash
# Runs the app against a demo dispatch service with demo data (field-demo). Extra arguments go to the app
# (e.g. --web, --port 8550, --lang ja, --data-dir DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec uv run --frozen field-demo "$@"
