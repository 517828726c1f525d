/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateReport } from '../src/index.js';
import { launchChromium } from './support/browser.js';
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
