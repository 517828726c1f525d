#!/usr/bin/env bash
# Sets up a fresh clone: pnpm 10, dependencies (frozen lockfile), a build of
# every package, and Debian's Chromium for the browser tests when it can be
# installed, Debian's valgrind for the bench's instruction counts and Debian's
# postgresql for the PostgreSQL storage tests when they can be installed.
# Needs only Node.js >= 20.19 and npm. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null | cut -d. -f1)" != "${PNPM_VERSION%%.*}" ]; then
  echo "setup: installing pnpm@${PNPM_VERSION} with npm" >&2
  if ! npm install -g "pnpm@${PNPM_VERSION}" >/dev/null 2>&1; then
    # No permission for a global install: keep pnpm inside the clone.
    npm install --no-save --prefix .tools "pnpm@${PNPM_VERSION}" >/dev/null
    export PATH="$PWD/.tools/node_modules/.bin:$PATH"
  fi
fi

if [ "${CI:-}" = "true" ]; then
  pnpm install --frozen-lockfile
else
  pnpm install --frozen-lockfile --prefer-offline
fi

# debian_tool COMMAND SKIP_VAR PURPOSE WITHOUT: installs Debian's package COMMAND
# when it is missing, we are root and apt-get exists (unless SKIP_VAR is set);
# otherwise says what goes without it (WITHOUT).
debian_tool() {
  local cmd=$1 skip=$2 purpose=$3 without=$4
  if command -v "$cmd" >/dev/null 2>&1 || [ -n "${!skip:-}" ]; then return 0; fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian's $cmd for $purpose" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$cmd" >/dev/null) \
      || echo "setup: could not install $cmd; $without" >&2
  else
    echo "setup: $cmd not found and cannot be installed here (not root); $without" >&2
  fi
}

# Browser tests (HTML report, dashboard) drive Debian's Chromium through
# playwright-core; no browser is ever downloaded.
debian_tool chromium FLEETKIT_SKIP_CHROMIUM "the browser tests" "browser tests need /usr/bin/chromium and will fail (see README)"
# The regression gate counts instructions under callgrind (the bench's tests do
# too). Without valgrind the gate still runs, on wall-clock alone, and says so.
debian_tool valgrind FLEETKIT_SKIP_VALGRIND "the bench's instruction counts" "instruction-count tests fail and the regression gate runs on wall-clock alone"

# PostgreSQL storage tests (@fleetkit/store-postgres, the CLI's and the
# dashboard's --store tests) start a real server from Debian's postgresql
# package in a temporary directory. FLEETKIT_PG_URL (an existing server) makes it unnecessary.
if [ -z "${FLEETKIT_PG_URL:-}" ] && [ -z "${FLEETKIT_SKIP_POSTGRES:-}" ] && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian's postgresql for the PostgreSQL storage tests" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
      || echo "setup: could not install postgresql; the PostgreSQL tests will fail (or set FLEETKIT_PG_URL)" >&2
  else
    echo "setup: PostgreSQL (initdb) not found and cannot be installed here (not root); the PostgreSQL tests will fail unless FLEETKIT_PG_URL names a server" >&2
  fi
fi

pnpm run build
