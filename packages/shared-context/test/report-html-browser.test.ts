/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context, generateReport, SEVERITIES } from '../src/index.js';
import type { FindingInput, ReportOptions } from '../src/index.js';
import { describeViolations, launchChromium, runAxe, seriousViolations } from './support/browser.js';
import { corpusSession } from './support/corpus-session.js';

const artifacts = join(import.meta.dirname, '..', 'test-artifacts');
let browser: Browser;
let dir: string;
let file: string;

beforeAll(async () => {
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), 'fleetkit-html-'));
  mkdirSync(artifacts, { recursive: true });
  const ctx = corpusSession();
  ctx.addFindings([
    { id: 'x1', source: 'glambot', ruleId: 'xss-img', severity: 'warning', message: '<img src=x onerror="window.__pwned = 1">', file: 'a.html' },
    { id: 'x2', source: 'glambot', ruleId: 'xss-script', severity: 'info', message: '<script>window.__pwned = 2</script>', file: 'b.html' },
    { id: 'x3', source: 'glambot', ruleId: 'xss-attr', severity: 'info', message: '" onmouseover="window.__pwned = 3', file: '"><svg onload="window.__pwned=4">' },
  ]);
  file = join(dir, 'report.html');
  writeFileSync(file, generateReport(ctx, 'html', { now: () => Date.UTC(2026, 1, 6, 22) }));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

async function open(colorScheme: 'light' | 'dark') {
  const page = await browser.newPage({ colorScheme, viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(pathToFileURL(file).href);
  return { page, errors, requests };
}

describe('HTML report in headless Chromium', () => {
  it('runs no script injected through a finding and shows it as text', async () => {
    const { page, errors, requests } = await open('light');
    await page.mouse.move(400, 400);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('td.msg', { hasText: '<img src=x onerror="window.__pwned = 1">' }).count()).toBe(1);
    expect(await page.locator('td.msg', { hasText: '<script>window.__pwned = 2</script>' }).count()).toBe(1);
    expect(await page.locator('#findings img, #findings svg, #findings script').count()).toBe(0);
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    await page.close();
  });

  it('filters and sorts the findings table with its inline script (allowed by the CSP)', async () => {
    const { page, errors } = await open('light');
    const visible = () => page.locator('#findings tbody tr:visible').count();
    const total = await visible();
    expect(total).toBeGreaterThan(20);
    await page.selectOption('#filter-severity', 'warning');
    expect(await visible()).toBe(1);
    await page.selectOption('#filter-severity', '');
    await page.fill('#filter-text', 'bitbucket');
    const n = await visible();
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(total);
    await expect.poll(() => page.textContent('#shown-count')).toBe(`${n} shown`);
    await page.fill('#filter-text', '');
    await page.selectOption('#filter-bot', 'glambot');
    expect(await visible()).toBe(4);
    await page.selectOption('#filter-bot', '');
    await page.click('th button[data-key="severity"]');
    await page.click('th button[data-key="severity"]');
    expect(await page.locator('#findings tbody tr').first().getAttribute('data-severity')).toBe('suggestion');
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(artifacts, 'report-html-light.png'), fullPage: true });
    await page.close();
  });

  it('is readable in dark mode', async () => {
    const { page } = await open('dark');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const fg = await page.evaluate(() => getComputedStyle(document.body).color);
    expect(bg).toBe('rgb(13, 17, 23)');
    expect(fg).toBe('rgb(230, 237, 243)');
    await page.screenshot({ path: join(artifacts, 'report-html-dark.png'), fullPage: false });
    await page.close();
  });
});

/*
 * Accessibility: axe-core's WCAG 2.1 A and AA rules (tags wcag2a, wcag2aa,
 * wcag21a, wcag21aa) on reports built from literal findings (nothing read
 * from outside the repository): every severity, a failed and a skipped bot,
 * alerts, suppressed and new findings, and long or hostile text. No serious
 * or critical violation, in the light and the dark scheme (the report
 * follows prefers-color-scheme).
 */
describe('HTML report accessibility: axe-core (WCAG 2.1 A + AA) in Chromium', () => {
  const LONG = `${'A very long finding message that keeps going, '.repeat(40)}end.`;
  const HOSTILE = [
    '<img src=x onerror="window.__pwned = 10">',
    '</td></tr></table><h1>not a heading</h1>',
    '\u202Eevil.exe\u202C right-to-left override',
    'zero\u200Bwidth and emoji 🚨🔥 and CJK 警告',
    '" onfocus="window.__pwned = 11" autofocus="',
  ];
  const files = new Map<string, string>();
  let axeDir: string;

  /** A troubled session: every severity, a failed bot and its skipped dependant, long and hostile text. */
  function troubled(): { ctx: Context; options: ReportOptions } {
    const clock = { t: Date.UTC(2026, 1, 6, 21, 0, 0) };
    const ctx = new Context('acme/<b>web</b> "quoted" & more', '/srv/acme/<script>x</script>', { now: () => clock.t, sessionId: '00000000-0000-4000-8000-0000000000a1', healthTtlMs: 0 });
    ctx.registerAllBots();
    const findings: FindingInput[] = [];
    SEVERITIES.forEach((severity, i) => {
      for (let k = 0; k < 3; k++) {
        findings.push({ id: `s-${severity}-${k}`, source: ['rhodibot', 'echidnabot', 'panicbot'][k]!, ruleId: `RULE-${severity.toUpperCase()}-${k}`, severity, message: `${severity} finding ${k}`, category: 'security', file: `src/module-${i}/file-${k}.ts`, line: 10 + k, column: 2, suggestion: k === 0 ? `Fix the ${severity}` : undefined, fixable: k === 1 });
      }
    });
    findings.push({ id: 'long-1', source: 'rhodibot', ruleId: 'LONG-RULE-'.repeat(12), severity: 'warning', message: LONG, suggestion: LONG, file: `${'deeply/nested/'.repeat(30)}file-with-a-very-long-name.ts`, line: 123456 });
    HOSTILE.forEach((text, i) => findings.push({ id: `hostile-${i}`, source: 'glambot', ruleId: text, severity: SEVERITIES[i % SEVERITIES.length]!, message: text, suggestion: text, file: text, category: text }));
    for (const bot of ['rhodibot', 'echidnabot', 'panicbot', 'glambot']) {
      ctx.startBot(bot);
      clock.t += 1200;
      const mine = findings.filter((f) => f.source === bot);
      ctx.addFindings(mine);
      ctx.completeBot(bot, { findings: mine.length, errors: mine.filter((f) => f.severity === 'error').length, files: 30 });
    }
    ctx.startBot('seambot');
    clock.t += 500;
    ctx.failBot('seambot', `crashed: ${HOSTILE[0]}`);
    ctx.skipBot('finishbot', 'a dependency failed (seambot)');
    ctx.startBot('hypatia'); // still running when the report is made
    const options: ReportOptions = {
      now: () => Date.UTC(2026, 1, 6, 22),
      suppressions: new Map([
        ['s-error-2', { justification: `Accepted until the rewrite: ${HOSTILE[1]}`, expires: '2026-12-31' }],
        ['s-info-0', { justification: LONG }],
      ]),
      newFindings: new Set(['s-error-0', 's-warning-1', 'hostile-0', 'long-1']),
    };
    return { ctx, options };
  }

  /** A healthy, finished session: a few suggestions, every bot completed. */
  function healthy(): { ctx: Context; options: ReportOptions } {
    const clock = { t: Date.UTC(2026, 1, 7, 9, 0, 0) };
    const ctx = new Context('acme/api', '/srv/acme/api', { now: () => clock.t, sessionId: '00000000-0000-4000-8000-0000000000a2', healthTtlMs: 0 });
    for (const bot of ['rhodibot', 'echidnabot']) {
      ctx.registerBot(bot);
      ctx.startBot(bot);
      clock.t += 800;
      ctx.addFindings([{ id: `ok-${bot}`, source: bot, ruleId: 'STYLE-1', severity: 'suggestion', message: 'Consider a shorter line', file: 'src/a.ts', line: 3 }]);
      ctx.completeBot(bot, { findings: 1, errors: 0, files: 12 });
    }
    ctx.completeSession();
    return { ctx, options: { now: () => Date.UTC(2026, 1, 7, 10) } };
  }

  beforeAll(() => {
    axeDir = mkdtempSync(join(tmpdir(), 'fleetkit-html-a11y-'));
    for (const [name, make] of [['troubled', troubled], ['healthy', healthy]] as const) {
      const { ctx, options } = make();
      const path = join(axeDir, `${name}.html`);
      writeFileSync(path, generateReport(ctx, 'html', options));
      files.set(name, path);
    }
  });

  afterAll(() => {
    if (axeDir !== undefined) rmSync(axeDir, { recursive: true, force: true });
  });

  for (const report of ['troubled', 'healthy'] as const) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`the ${report} session's report has no serious or critical violation in the ${colorScheme} scheme`, async () => {
        // bypassCSP only so that axe can be injected; the report's own CSP is checked above.
        const page = await browser.newPage({ colorScheme, bypassCSP: true, viewport: { width: 1280, height: 900 } });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        try {
          await page.goto(pathToFileURL(files.get(report)!).href);
          expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(colorScheme === 'dark');
          const rows = await page.locator('#findings tbody tr').count();
          if (report === 'troubled') {
            expect(rows).toBe(4 * 3 + 1 + HOSTILE.length);
            for (const severity of SEVERITIES) expect(await page.locator(`td.sev-${severity}`).count()).toBeGreaterThan(0);
            expect(await page.locator('.badge-new').count()).toBe(4);
            expect(await page.locator('.badge-suppressed').count()).toBe(2);
            expect(await page.locator('#release').textContent()).toBe('blocked');
          } else {
            expect(await page.locator('#release').textContent()).toBe('not blocked');
          }
          const results = await runAxe(page);
          expect([...results.passes, ...results.incomplete, ...results.violations].map((r) => r.id)).toContain('color-contrast');
          const label = `${report} report, ${colorScheme}`;
          expect(describeViolations(label, seriousViolations(results))).toBe(describeViolations(label, []));
          expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
          expect(errors).toEqual([]);
          await page.screenshot({ path: join(artifacts, `report-html-a11y-${report}-${colorScheme}.png`), fullPage: true });
        } finally {
          await page.close();
        }
      });
    }
  }
});
