/// <reference lib="dom" />
/** Debian's Chromium driven by playwright-core (never a downloaded browser), and axe-core run in it. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, Result, RunOptions } from 'axe-core';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

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

/*
 * axe-core (the npm package, never a download) run inside a page on the WCAG
 * 2.1 A and AA rules. axe is injected as an inline script, so the page's
 * context must be opened with `bypassCSP: true` (the report's CSP allows only
 * its own script).
 */

export const WCAG21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let axeSourceText: string | undefined;
/** axe.min.js as shipped by the axe-core package. */
export function axeSource(): string {
  axeSourceText ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return axeSourceText;
}

interface AxeGlobal {
  run(context: Document, options: RunOptions): Promise<AxeResults>;
}

/** Runs axe's WCAG 2.1 A/AA rules on the whole page; only violations are collected. */
export async function runAxe(page: Page): Promise<AxeResults> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource() });
  return page.evaluate((tags) => {
    const axe = (window as unknown as { axe: AxeGlobal }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
  }, WCAG21_AA);
}

/** The violations a user is most hurt by: impact serious or critical. */
export function seriousViolations(results: AxeResults): Result[] {
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** One block per failing element: rule, impact, selector, axe's failure summary. */
export function describeViolations(label: string, violations: readonly Result[], maxNodes = 40): string {
  if (violations.length === 0) return `${label}: no serious or critical violations`;
  const lines = [`${label}: ${violations.reduce((n, v) => n + v.nodes.length, 0)} failing elements`];
  for (const v of violations) {
    lines.push(`- ${v.id} (${v.impact ?? 'unknown impact'}, ${v.nodes.length} elements): ${v.help} — ${v.helpUrl}`);
    for (const n of v.nodes.slice(0, maxNodes)) {
      lines.push(`    ${n.target.map(String).join(' >>> ')}`);
      for (const line of (n.failureSummary ?? '').split('\n')) if (line.trim() !== '') lines.push(`      ${line.trim()}`);
    }
    if (v.nodes.length > maxNodes) lines.push(`    … and ${v.nodes.length - maxNodes} more`);
  }
  return lines.join('\n');
}
