#!/usr/bin/env bash
# The test command: sets up a fresh machine, checks lint, runs every test (rules, API, app, browser).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
uv run --frozen ruff check .
uv run --frozen pytest "$@"
