/// <reference lib="dom" />
/**
 * The dashboard page in headless Chromium against a real server: a session
 * and its findings are created through the HTTP API, then the page is driven
 * like a user would (hash URL, filters, keyboard, live updates, themes).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContextStorage } from '@fleetkit/shared-context';
import { createDashboard } from '../src/index.js';
import type { Dashboard } from '../src/index.js';
import { launchChromium } from './support/browser.js';

const TOKEN = 'test-token-0123456789abcdef';
const artifacts = join(import.meta.dirname, '..', 'test-artifacts');
const WAIT = { timeout: 15_000 };

// Hostile strings, in every place the page shows text from the API.
const XSS_IMG = '<img src=x onerror="window.__xss=1">';
const XSS_SCRIPT = '<script>window.__xss=2</script>';
const XSS_BOT = '<img src=x onerror="window.__xss=3">';
const REPO = 'acme/web<svg onload="window.__xss=4">';

interface Health {
  status: string;
  healthScore: number;
  alerts: Array<{ message: string }>;
}
interface FindingPage {
  items: Array<{ id: string; severity: string; message: string }>;
  total: number;
}
interface Bot {
  id: string;
  status: string;
}

let d: Dashboard;
let url: string;
let storage: string;
let browser: Browser;
let sessionId: string;
let detailId: string;
const opened: Page[] = [];

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
const get = <T>(path: string) => call<T>('GET', path);
const post = <T>(path: string, body: unknown = {}) => call<T>('POST', path, body);
const s = (suffix = '') => `/api/sessions/${encodeURIComponent(sessionId)}${suffix}`;
const bot = (id: string, action: string) => `${s()}/bots/${encodeURIComponent(id)}/${action}`;

function finding(source: string, severity: string, i: number, extra: Record<string, unknown> = {}) {
  return { source, ruleId: `RULE-${i}`, severity, message: `${severity} number ${i} from ${source}`, category: i % 2 === 0 ? 'security' : 'style', file: `src/mod${i}.ts`, line: i + 1, ...extra };
}

beforeAll(async () => {
  storage = mkdtempSync(join(tmpdir(), 'fleetkit-dashboard-page-'));
  mkdirSync(artifacts, { recursive: true });
  d = await createDashboard({ storage, port: 0, token: TOKEN, liveWindowMs: 20 });
  url = await d.listen();

  // An earlier, completed session gives the history chart a point.
  sessionId = (await post<{ sessionId: string }>('/api/sessions', { repoName: REPO, bots: ['rhodibot'] })).sessionId;
  await post(s('/findings'), { findings: [finding('rhodibot', 'error', 0), finding('rhodibot', 'warning', 1)] });
  await post(bot('rhodibot', 'start'));
  await post(bot('rhodibot', 'complete'), { findings: 2, errors: 1, files: 10 });
  await post(s('/complete'));

  // The session under test: one bot completed, one failed (an alert), one pending, one custom bot with a hostile name.
  sessionId = (await post<{ sessionId: string }>('/api/sessions', { repoName: REPO, repoPath: '/srv/web', bots: ['rhodibot', 'panicbot', 'glambot'] })).sessionId;
  await post(bot('rhodibot', 'start'));
  await post(bot('rhodibot', 'complete'), { findings: 6, errors: 2, files: 40 });
  await post(bot('panicbot', 'start'));
  await post(bot('panicbot', 'fail'), { message: 'analysis crashed' });
  await post(bot(XSS_BOT, 'start'));
  await post(bot(XSS_BOT, 'complete'), { findings: 1, errors: 0, files: 1 });
  const severities = ['error', 'error', 'error', 'warning', 'warning', 'warning', 'warning', 'info', 'info', 'info', 'suggestion', 'suggestion'];
  await post(s('/findings'), {
    findings: [
      ...severities.map((sev, i) => finding(i < 6 ? 'rhodibot' : 'panicbot', sev, i)),
      // Fillers, so that pages of 10 make three pages.
      ...Array.from({ length: 8 }, (_, i) => ({ source: 'panicbot', ruleId: `FILL-${i}`, severity: 'info', message: `filler ${i}`, file: `lib/fill${i}.ts` })),
      { source: XSS_BOT, ruleId: XSS_SCRIPT, severity: 'warning', message: XSS_IMG, file: `${XSS_SCRIPT}.ts`, category: 'xss' },
      { source: 'rhodibot', ruleId: XSS_IMG, severity: 'info', message: XSS_SCRIPT, file: `web/${XSS_IMG}`, element: XSS_IMG },
      {
        source: 'rhodibot',
        ruleId: 'DETAIL-1',
        severity: 'suggestion',
        message: 'a finding with every field',
        suggestion: 'Do the <b>right</b> thing',
        metadata: { tool: 'probe', nested: { n: 1, html: '<i>x</i>' } },
        related: ['a', 'b'],
        confidence: 0.5,
      },
    ],
  });
  const page = await get<FindingPage>(s(`/findings?q=${encodeURIComponent('every field')}`));
  detailId = page.items[0]!.id;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  for (const p of opened) await p.close().catch(() => undefined);
  await browser?.close();
  await d?.close();
  if (storage !== undefined) rmSync(storage, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  /** Uncaught errors and console errors. */
  errors: string[];
  /** CSP violations reported on the console. */
  cspConsole: string[];
  /** CSP violations seen by a `securitypolicyviolation` listener installed before any page script. */
  cspEvents: () => Promise<string[]>;
}

/** Opens the page on the session and waits until it shows findings and is live. */
async function openPage(colorScheme: 'light' | 'dark' = 'light'): Promise<Opened> {
  const page = await browser.newPage({ colorScheme, viewport: { width: 1280, height: 900 } });
  opened.push(page);
  const errors: string[] = [];
  const cspConsole: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (/content security policy/i.test(m.text())) cspConsole.push(m.text());
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('dialog', (dlg) => {
    errors.push(`dialog: ${dlg.message()}`);
    void dlg.dismiss();
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  await page.goto(`${url}/#session=${encodeURIComponent(sessionId)}`);
  await page.locator('#findings-table tbody tr').first().waitFor(WAIT);
  await expect.poll(() => page.getAttribute('#live', 'data-state'), WAIT).toBe('live');
  return { page, errors, cspConsole, cspEvents: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp) };
}

const rows = (page: Page) => page.locator('#findings-table tbody tr');
const rowSeverities = (page: Page) => rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-severity')));
/** A quoted CSS attribute value. */
const attr = (v: string) => `"${v.replace(/["\\]/g, '\\$&')}"`;
const fmtScore = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

describe('dashboard page in headless Chromium', () => {
  it('loads the session from the hash and shows its health, score, release verdict, alerts and bots', async () => {
    const { page, errors } = await openPage();
    const health = await get<Health>(s('/health'));
    const status = await get<{ blocksRelease: boolean; totalFindings: number }>(s('/status'));
    const { bots } = await get<{ bots: Bot[] }>(s('/bots'));
    expect(health.alerts.length).toBeGreaterThan(0); // panicbot failed

    await expect.poll(() => page.getAttribute('#health-status', 'data-status'), WAIT).toBe(health.status);
    expect(await page.textContent('#health-status')).toBe(health.status);
    expect(await page.getAttribute('#health-score', 'data-score')).toBe(String(health.healthScore));
    expect(await page.textContent('#health-score')).toBe(fmtScore(health.healthScore));
    await expect.poll(() => page.getAttribute('#release-verdict', 'data-blocks-release'), WAIT).toBe(String(status.blocksRelease));
    expect(await page.textContent('#findings-total')).toBe(String(status.totalFindings));
    expect(await page.locator('#alerts li.alert').count()).toBe(health.alerts.length);
    for (const a of health.alerts) expect(await page.locator('#alerts .alert-message', { hasText: a.message }).count()).toBe(1);

    // The picker shows the session (from the hash) and its repository.
    expect(await page.inputValue('#session-select')).toBe(sessionId);
    expect(await page.inputValue('#repo-select')).toBe(REPO);

    // One graph node per bot, coloured by status; bots grouped by tier.
    await page.locator('#bot-graph-svg').waitFor(WAIT);
    expect(await page.locator('#bot-graph-svg g.node').count()).toBe(bots.length);
    for (const b of bots) {
      expect(await page.locator(`#bot-graph-svg g.node[data-bot=${attr(b.id)}]`).getAttribute('data-status')).toBe(b.status);
    }
    expect(await page.locator('#bot-graph-svg path.edge').count()).toBe(2); // panicbot → rhodibot, glambot → rhodibot
    expect(await page.locator('#tier-verifier').textContent()).toContain('verifier');
    expect(await page.locator('#bot-tiers tr[data-bot="panicbot"]').getAttribute('data-status')).toBe('failed');

    // Charts and report links.
    expect(await page.locator('#severity-chart g.bar-row[data-label="error"]').getAttribute('data-value')).toBe('3');
    await page.locator('#history-chart rect.hist-findings[data-session]').first().waitFor(WAIT);
    expect(await page.locator('#history-chart rect.hist-findings[data-session]').count()).toBe(1);
    expect(await page.locator('#report-links a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(
      ['markdown', 'json', 'html', 'sarif'].map((f) => s(`/report/${f}`)),
    );
    expect(errors).toEqual([]);
  });

  it('narrows the findings with the filters', async () => {
    const { page, errors } = await openPage();
    const all = await get<FindingPage>(s('/findings'));
    expect(await rows(page).count()).toBe(all.total);

    const errorsOnly = await get<FindingPage>(s('/findings?severity=error'));
    expect(errorsOnly.total).toBe(3);
    await page.selectOption('#f-severity', 'error');
    await expect.poll(() => rows(page).count(), WAIT).toBe(3);
    expect(await rowSeverities(page)).toEqual(['error', 'error', 'error']);
    expect(await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')))).toEqual(errorsOnly.items.map((f) => f.id));

    // Filters combine: errors of panicbot (none), then text search alone.
    await page.selectOption('#f-bot', 'panicbot');
    await expect.poll(() => rows(page).count(), WAIT).toBe(0);
    expect(await page.isVisible('#findings-empty')).toBe(true);
    await page.click('#filters button[type="reset"]');
    await expect.poll(() => rows(page).count(), WAIT).toBe(all.total);
    await page.fill('#f-q', 'number 1');
    const q = await get<FindingPage>(s(`/findings?q=${encodeURIComponent('number 1')}`));
    expect(q.total).toBeLessThan(all.total);
    await expect.poll(() => rows(page).count(), WAIT).toBe(q.total);
    await page.fill('#f-q', '');
    await page.selectOption('#f-tier', 'custom');
    await expect.poll(() => rows(page).count(), WAIT).toBe(1);
    expect(errors).toEqual([]);
  });

  it('shows a finding posted through the API without a reload', async () => {
    const { page, errors } = await openPage();
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    const before = await rows(page).count();
    const message = `arrived live ${Date.now()}`;
    await post(s('/findings'), { findings: [{ source: 'glambot', ruleId: 'LIVE-1', severity: 'warning', message }] });
    await rows(page).filter({ hasText: message }).waitFor({ timeout: 10_000 });
    expect(await rows(page).count()).toBe(before + 1);
    await expect.poll(() => page.textContent('#findings-total'), WAIT).toBe(String(before + 1));
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('shows hostile strings as text and runs nothing', async () => {
    const { page, errors } = await openPage();
    await page.mouse.move(300, 300);
    await page.locator('#bot-chart').waitFor(WAIT);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

    // Verbatim, as text, where each string belongs.
    await expect.poll(() => page.locator('#findings-table td.msg').getByText(XSS_IMG, { exact: true }).count(), WAIT).toBe(1);
    expect(await page.locator('#findings-table td.msg').getByText(XSS_SCRIPT, { exact: true }).count()).toBe(1);
    expect(await page.locator('#findings-table td.rule').getByText(XSS_SCRIPT, { exact: true }).count()).toBe(1);
    expect(await page.locator('#findings-table td.file').getByText(`${XSS_SCRIPT}.ts`, { exact: true }).count()).toBe(1);
    expect(await page.locator('#findings-table td.bot').getByText(XSS_BOT, { exact: true }).count()).toBe(1);
    expect(await page.locator('#bot-tiers .bot-name').getByText(XSS_BOT, { exact: true }).count()).toBe(1);
    expect(await page.locator('#repo-select option').first().textContent()).toContain(REPO);
    expect(await page.locator(`#bot-graph-svg g.node[data-bot=${attr(XSS_BOT)}] title`).textContent()).toContain(XSS_BOT);
    expect(await page.locator('#session-meta').textContent()).toContain(REPO);

    // The detail shows the hostile fields as text too.
    await rows(page).filter({ has: page.locator('td.msg', { hasText: XSS_SCRIPT }) }).click();
    expect(await page.textContent('#detail-fields dd[data-field="message"]')).toBe(XSS_SCRIPT);
    expect(await page.textContent('#detail-fields dd[data-field="element"]')).toBe(XSS_IMG);
    expect(await page.textContent('#detail-fields dd[data-field="file"]')).toBe(`web/${XSS_IMG}`);

    // Nothing was parsed as markup: no <img src=x>, no extra <script>, no handler attributes anywhere.
    const dom = await page.evaluate(() => ({
      imgX: document.querySelectorAll('img[src="x"]').length,
      scripts: Array.from(document.scripts, (el) => el.getAttribute('src')),
      handlers: Array.from(document.querySelectorAll('*')).filter((el) => Array.from(el.attributes).some((a) => a.name.startsWith('on'))).length,
      bold: document.querySelectorAll('#finding-detail b, #findings-table svg, #alerts img').length,
      xss: (window as unknown as { __xss?: number }).__xss,
    }));
    expect(dom).toEqual({ imgX: 0, scripts: ['/js/main.js'], handlers: 0, bold: 0, xss: undefined });
    expect(errors).toEqual([]);
  });

  it('opens a finding with the keyboard and shows all its fields', async () => {
    const { page, errors } = await openPage();
    await page.fill('#f-q', 'RULE-');
    await expect.poll(() => rows(page).count(), WAIT).toBe(12);
    await page.fill('#f-q', '');
    await page.selectOption('#f-severity', 'suggestion');
    await expect.poll(() => rows(page).count(), WAIT).toBe(3);
    // Tab order: the severity select → … → the first row; arrows move between rows.
    await page.locator('#findings-table tbody tr[tabindex="0"]').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-id'))).toBe(detailId);
    await page.keyboard.press('Enter');
    await page.locator('#finding-detail').waitFor({ state: 'visible', ...WAIT });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('detail-heading');
    const field = (k: string) => page.textContent(`#detail-fields dd[data-field="${k}"]`);
    expect(await field('suggestion')).toBe('Do the <b>right</b> thing');
    expect(await field('related')).toBe('a, b');
    expect(await field('confidence')).toBe('0.5');
    expect(await field('id')).toBe(detailId);
    expect(await page.textContent('#detail-metadata')).toBe(JSON.stringify({ tool: 'probe', nested: { n: 1, html: '<i>x</i>' } }, null, 2));
    await page.keyboard.press('Escape');
    expect(await page.isHidden('#finding-detail')).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-id'))).toBe(detailId);
    expect(errors).toEqual([]);
  });

  it('pages through the findings with the cursor (next and previous)', async () => {
    const { page, errors } = await openPage();
    const total = (await get<FindingPage>(s('/findings'))).total;
    expect(total).toBeGreaterThan(20);
    expect(total).toBeLessThanOrEqual(30);
    const ids = () => rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')));
    await page.selectOption('#f-limit', '10');
    await expect.poll(() => rows(page).count(), WAIT).toBe(10);
    const first = await ids();
    expect(await page.isDisabled('#prev-page')).toBe(true);
    await page.click('#next-page');
    await expect.poll(() => ids(), WAIT).not.toEqual(first);
    const second = await ids();
    expect(second).toHaveLength(10);
    await page.click('#next-page');
    await expect.poll(() => rows(page).count(), WAIT).toBe(total - 20);
    const third = await ids();
    expect(new Set([...first, ...second, ...third]).size).toBe(total); // no finding skipped or repeated
    expect(await page.isDisabled('#next-page')).toBe(true);
    expect(await page.textContent('#page-info')).toBe(`Page 3: 21–${total} of ${total}`);
    await page.click('#prev-page');
    await expect.poll(() => ids(), WAIT).toEqual(second);
    await page.click('#prev-page');
    await expect.poll(() => ids(), WAIT).toEqual(first);
    expect(await page.isDisabled('#prev-page')).toBe(true);
    expect(errors).toEqual([]);
  });

  it('has light and dark themes (system preference and the toggle) and saves screenshots', async () => {
    const { page, errors } = await openPage('light');
    await page.locator('#history-chart').waitFor(WAIT);
    await page.locator('#bot-chart').waitFor(WAIT);
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await bg();
    await page.screenshot({ path: join(artifacts, 'dashboard-light.png'), fullPage: true });

    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await bg();
    expect(dark).not.toBe(light);
    await page.screenshot({ path: join(artifacts, 'dashboard-dark.png'), fullPage: true });

    // The toggle overrides the system preference, and is remembered.
    expect(await page.getAttribute('#theme-toggle', 'aria-pressed')).toBe('true');
    await page.click('#theme-toggle');
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');
    expect(await bg()).toBe(light);
    await page.reload();
    await page.locator('#findings-table tbody tr').first().waitFor(WAIT);
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');
    expect(await bg()).toBe(light);
    await page.click('#theme-toggle');
    expect(await bg()).toBe(dark);
    expect(errors).toEqual([]);
  });

  it('violates no Content-Security-Policy directive', async () => {
    const { page, errors, cspConsole, cspEvents } = await openPage();
    // Exercise the page: charts, a detail, a filter, the theme toggle.
    await page.locator('#history-chart').waitFor(WAIT);
    await rows(page).first().click();
    await page.selectOption('#f-severity', 'warning');
    await expect.poll(() => rows(page).count(), WAIT).toBeGreaterThan(0);
    await page.click('#theme-toggle');
    expect(await cspEvents()).toEqual([]);
    expect(cspConsole).toEqual([]);
    expect(errors).toEqual([]);

    // The detectors do see a violation (an inline style added to the page).
    await page.evaluate(() => {
      const el = document.createElement('style');
      el.textContent = 'body { outline: 1px solid red }';
      document.head.append(el);
    });
    await expect.poll(() => cspEvents().then((v) => v.length), WAIT).toBeGreaterThan(0);
    await expect.poll(() => cspConsole.length, WAIT).toBeGreaterThan(0);
  });

  it('keeps a live bot status when an older bot list answers after it', async () => {
    const { page, errors } = await openPage();
    const status = (id: string) => page.getAttribute(`#bot-tiers tr[data-bot="${id}"]`, 'data-status');
    // Each bot list the page asks for is read from the server at once and held, so
    // the test decides in which order the answers arrive.
    const held: Array<{ settle: () => Promise<void> }> = [];
    await page.route(/\/bots$/, async (route) => {
      const response = await route.fetch();
      held.push({ settle: () => route.fulfill({ response }) });
    });
    await post(bot('glambot', 'start'));
    await expect.poll(() => status('glambot'), WAIT).toBe('running');
    await expect.poll(() => held.length, WAIT).toBe(1); // read while glambot ran
    await post(bot('glambot', 'complete'), { findings: 0, errors: 0, files: 1 });
    await expect.poll(() => status('glambot'), WAIT).toBe('completed'); // from the live update
    await expect.poll(() => held.length, WAIT).toBe(2); // read after it completed
    await held[1]!.settle();
    await held[0]!.settle(); // the older answer arrives last
    await page.unroute(/\/bots$/);
    await page.waitForTimeout(1000); // a refresh is coalesced over 400 ms: give a wrong one time to land
    expect(await status('glambot')).toBe('completed');
    expect(errors).toEqual([]);
  });

  it('says so and stops when the session it shows is deleted elsewhere', async () => {
    const { sessionId: gone } = await post<{ sessionId: string }>('/api/sessions', { repoName: 'page/gone', bots: ['glambot'] });
    const page = await browser.newPage();
    opened.push(page);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
    // The page's own reads of the session (its stream aside): deleted under a read in flight, that read is a 404, rightly.
    const reading = new Set<Request>();
    page.on('request', (r) => r.url().includes('/api/') && !r.url().endsWith('/events') && reading.add(r));
    page.on('requestfinished', (r) => reading.delete(r));
    page.on('requestfailed', (r) => reading.delete(r));
    await page.goto(`${url}/#session=${encodeURIComponent(gone)}`);
    await expect.poll(() => page.getAttribute('#live', 'data-state'), WAIT).toBe('live');
    // Past the refreshes the first snapshot schedules (coalesced over 400 ms), and their answers.
    await page.waitForTimeout(1000);
    await expect.poll(() => reading.size, WAIT).toBe(0);
    await new ContextStorage(storage).deleteSession(gone);
    await expect.poll(() => page.getAttribute('#live', 'data-state'), WAIT).toBe('deleted');
    expect(await page.textContent('#live-text')).toBe('Session deleted');
    await page.waitForTimeout(2500); // past the stream's retry delay: a page that reconnected would now have met a 404
    expect(await page.getAttribute('#live', 'data-state')).toBe('deleted');
    expect(errors).toEqual([]);
  });
});

