#!/usr/bin/env bash
# Runs the app with the embedded dispatch service and demo data. Extra arguments go to field-app
# (e.g. --web, --port 8550, --server URL --token T).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec uv run --frozen field-app "$@"
