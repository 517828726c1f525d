#!/usr/bin/env bash
# The README's test command: set up, then typecheck, lint and test every package.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.tools/node_modules/.bin:$PATH"
pnpm exec turbo run typecheck lint test --concurrency=1
