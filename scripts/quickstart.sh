#!/usr/bin/env bash
# The README's main command: set up a fresh clone, then run the fleet
# benchmark. The target table (Operation | Target | Current | Status) comes
# first, seconds into the run, then the other benchmarks.
# Extra arguments go to `bench-fleet.sh run` (e.g. --full for the long run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.tools/node_modules/.bin:$PATH"
exec bash scripts/bench-fleet.sh run "$@"
