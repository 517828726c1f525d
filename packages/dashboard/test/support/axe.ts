/// <reference lib="dom" />
/**
 * axe-core (the npm package, never a download) run inside a Chromium page on
 * the WCAG 2.1 A and AA rules. The page must come from a context opened with
 * `bypassCSP: true`: axe is injected as an inline script, which the
 * dashboard's Content-Security-Policy would (rightly) refuse.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, Result, RunOptions } from 'axe-core';
import type { Page } from 'playwright-core';

export const WCAG21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let source: string | undefined;
/** axe.min.js as shipped by the axe-core package. */
export function axeSource(): string {
  source ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return source;
}

interface AxeGlobal {
  run(context: Element | Document | string, options: RunOptions): Promise<AxeResults>;
}

/** Runs axe's WCAG 2.1 A/AA rules on the page, or on the elements matching `selector`; only violations are collected. */
export async function runAxe(page: Page, selector?: string): Promise<AxeResults> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource() });
  return page.evaluate(
    ([sel, tags]) => {
      const axe = (window as unknown as { axe: AxeGlobal }).axe;
      return axe.run(sel ?? document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    },
    [selector ?? null, WCAG21_AA] as const,
  );
}

/** The violations a user is most hurt by: impact serious or critical. */
export function seriousViolations(results: AxeResults): Result[] {
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Rule id → number of failing elements. */
export function countByRule(violations: readonly Result[]): Record<string, number> {
  return Object.fromEntries(violations.map((v) => [v.id, v.nodes.length]));
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
