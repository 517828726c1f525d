#!/usr/bin/env bash
# Proves that a clone stands on its own: clones this repository (what is
# committed at HEAD) into an empty temporary directory, so that nothing sits
# beside it, and runs the README's test command there. Fails when the test
# command fails or when the first `pnpm install` warns. Prints how long it took.
#
#   bash scripts/test-clone.sh                 # clone, then scripts/test.sh
#   bash scripts/test-clone.sh -- CMD ARGS...  # ...then CMD in the clone (CI: the bench gates)
#
# FLEETKIT_KEEP_CLONE=1 keeps the clone for inspection.
set -euo pipefail
cd "$(dirname "$0")/.."
source_repo="$PWD"

after=()
if [ "${1:-}" = "--" ]; then
  shift
  after=("$@")
elif [ $# -gt 0 ]; then
  echo "usage: bash scripts/test-clone.sh [-- CMD ARGS...]" >&2
  exit 2
fi

parent=$(mktemp -d "${TMPDIR:-/tmp}/fleetkit-clone.XXXXXX")
if [ -z "${FLEETKIT_KEEP_CLONE:-}" ]; then
  trap 'rm -rf "$parent"' EXIT
fi
clone="$parent/fleetkit"
git clone --quiet --no-local "$source_repo" "$clone"
if [ "$(ls -A "$parent")" != "fleetkit" ]; then
  echo "test-clone: $parent holds more than the clone" >&2
  exit 1
fi
echo "test-clone: $(git -C "$clone" rev-parse --short HEAD) cloned into $clone (nothing beside it)"

log="$parent/test.log"
start=$(date +%s)
set +e
(cd "$clone" && bash scripts/test.sh) 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
elapsed=$(( $(date +%s) - start ))
echo "test-clone: scripts/test.sh in the clone took ${elapsed} s (exit ${status})"
[ "$status" -eq 0 ] || exit "$status"

# The first install of a fresh clone must be clean: pnpm prints " WARN " for
# problems such as a bin it could not link.
if grep -E '^ ?WARN  ' "$log" >/dev/null; then
  echo "test-clone: the first install printed warnings:" >&2
  grep -E '^ ?WARN  ' "$log" >&2
  exit 1
fi

if [ ${#after[@]} -gt 0 ]; then
  (cd "$clone" && export PATH="$PWD/.tools/node_modules/.bin:$PATH" && "${after[@]}")
fi
