#!/usr/bin/env bash
# The suite does not depend on the time of day: runs the app and browser tests with the test clock pinned to
# four instants across a Tokyo day (early morning, noon, just before the demo's 14:00 visit, 23:59).
#   bash scripts/run-tests-across-day.sh [pytest args]     (default: tests/app tests/e2e)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
targets=("$@"); [[ ${#targets[@]} -eq 0 ]] && targets=(tests/app tests/e2e)
for now in 2026-12-03T05:30:00+09:00 2026-12-03T12:00:00+09:00 2026-12-03T13:55:00+09:00 2026-12-03T23:59:00+09:00; do
  echo "== FIELD_TEST_NOW=$now"
  FIELD_TEST_NOW=$now uv run --frozen pytest -q "${targets[@]}"
done
