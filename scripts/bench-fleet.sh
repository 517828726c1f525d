#!/usr/bin/env bash
# The fleet benchmark command line (see packages/bench/README.md):
#   bench-fleet.sh run | compare | gate-accuracy | report | flamegraph | memory | load | fleet-run | all [options]
# Builds what it needs first (turbo caches), then runs packages/bench/dist/cli.js.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/node_modules/.bin:$PATH"
if ! command -v pnpm >/dev/null 2>&1 || [ ! -d node_modules ]; then
  echo "bench-fleet.sh: dependencies are not installed; run scripts/setup.sh first" >&2
  exit 2
fi
pnpm exec turbo run build --filter=@fleetkit/bench... --output-logs=errors-only >&2
exec node packages/bench/dist/cli.js "$@"
