#!/usr/bin/env bash
# Sets up a fresh clone: pnpm 10, dependencies (frozen lockfile), a build of
# every package, and Debian's Chromium for the browser tests when it can be
# installed. Needs only Node.js >= 20.19 and npm. Safe to run again.
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

# Browser tests (HTML report, dashboard) drive Debian's Chromium through
# playwright-core; no browser is ever downloaded.
if ! command -v chromium >/dev/null 2>&1 && [ -z "${FLEETKIT_SKIP_CHROMIUM:-}" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian's chromium for the browser tests" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "setup: could not install chromium; browser tests will fail (see README)" >&2
  else
    echo "setup: chromium not found and cannot be installed here (not root); browser tests need /usr/bin/chromium" >&2
  fi
fi

pnpm run build
