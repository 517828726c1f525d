/**
 * Debian's Chromium driven by playwright-core; never a downloaded browser
 * (the same launcher as shared-context's browser tests). Playwright starts it
 * with an empty temporary --user-data-dir of its own (it refuses one in
 * `args`) and removes it on close; every `browser.newPage()` is a fresh
 * context with its own storage.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (scripts/setup.sh does, as root) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}
