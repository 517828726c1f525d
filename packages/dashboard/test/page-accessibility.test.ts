/// <reference lib="dom" />
/**
 * WCAG 2.1 A and AA on the dashboard page, in headless Chromium against a
 * real server, while the demo fleet (`fleet-dashboard --demo`'s simulated
 * run) moves it through its states: axe-core's rules (tags wcag2a, wcag2aa,
 * wcag21a, wcag21aa) must find no serious or critical violation, in the light
 * and the dark theme, each reached both through the system preference and
 * through the page's toggle. axe cannot decide the contrast of SVG text
 * (chart labels, graph nodes) and does not look at placeholders, so those
 * are measured here from computed styles.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SEVERITIES } from '@fleetkit/shared-context';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboard, runDemoFleet } from '../src/index.js';
import type { Dashboard } from '../src/index.js';
import { describeViolations, runAxe, seriousViolations } from './support/axe.js';
import { launchChromium } from './support/browser.js';
import { contrast, over, parseColor, toHex, TRANSPARENT } from './support/contrast.js';
import type { Rgba } from './support/contrast.js';
import { STATUS_CLASSES } from './support/status-classes.js';

const TOKEN = 'test-token-0123456789abcdef';
const artifacts = join(import.meta.dirname, '..', 'test-artifacts');
const WAIT = { timeout: 30_000 };

type Theme = 'light' | 'dark';
/** How the page gets its theme: the system preference, or the toggle pressed once from the other one. */
interface ThemeSetup {
  readonly theme: Theme;
  readonly via: 'system' | 'toggle';
}

let d: Dashboard;
let url: string;
let storage: string;
let browser: Browser;
/** The demo session that ran to its end (set by the second test, used by the third). */
let finishedSession: string | undefined;
const opened: Page[] = [];

async function call<T>(method: 'GET' | 'POST', path: string): Promise<T> {
  const res = await fetch(url + path, { method, headers: { authorization: `Bearer ${TOKEN}`, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) }, ...(method === 'POST' ? { body: '{}' } : {}) });
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
const sessionPath = (id: string, suffix = '') => `/api/sessions/${encodeURIComponent(id)}${suffix}`;

beforeAll(async () => {
  storage = mkdtempSync(join(tmpdir(), 'fleetkit-dashboard-a11y-'));
  mkdirSync(artifacts, { recursive: true });
  d = await createDashboard({ storage, port: 0, token: TOKEN, liveWindowMs: 20, healthTtlMs: 0 });
  url = await d.listen();
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  for (const p of opened) await p.close().catch(() => undefined);
  await browser?.close();
  await d?.close();
  if (storage !== undefined) rmSync(storage, { recursive: true, force: true });
});

/**
 * Opens the page on a session in the given theme. The context bypasses the
 * page's CSP only so that axe can be injected as an inline script
 * (page-browser.test.ts checks the CSP itself).
 */
async function openPage(sessionId: string, setup: ThemeSetup): Promise<{ page: Page; errors: string[] }> {
  const system: Theme = setup.via === 'system' ? setup.theme : setup.theme === 'dark' ? 'light' : 'dark';
  const page = await browser.newPage({ colorScheme: system, bypassCSP: true, viewport: { width: 1280, height: 900 } });
  opened.push(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(`${url}/#session=${encodeURIComponent(sessionId)}`);
  await page.locator('#findings-table tbody tr').first().waitFor(WAIT);
  await expect.poll(() => page.getAttribute('#live', 'data-state'), WAIT).toBe('live');
  if (setup.via === 'toggle') await page.click('#theme-toggle');
  expect(await page.evaluate(() => (document.documentElement.getAttribute('data-theme') ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light')))).toBe(setup.theme);
  return { page, errors };
}

/**
 * Waits until the page shows the server's current bots, findings and health —
 * asked again at each poll, since a fleet run mid-way keeps moving (a snapshot
 * taken once can be overtaken by the run before a loaded machine's page shows it) —
 * then until its DOM stops changing.
 */
async function caughtUp(page: Page, sessionId: string): Promise<void> {
  const server = async (): Promise<{ bots: Record<string, string>; totalFindings: number; healthStatus: string }> => {
    const { bots } = await call<{ bots: Array<{ id: string; status: string }> }>('GET', sessionPath(sessionId, '/bots'));
    const status = await call<{ totalFindings: number; healthStatus: string }>('GET', sessionPath(sessionId, '/status'));
    return { bots: Object.fromEntries(bots.map((b) => [b.id, b.status])), totalFindings: status.totalFindings, healthStatus: status.healthStatus };
  };
  const shown = async (): Promise<{ bots: Record<string, string>; totalFindings: number; healthStatus: string }> => ({
    bots: await page.locator('#bot-tiers tr[data-bot]').evaluateAll((trs) => Object.fromEntries(trs.map((tr) => [tr.getAttribute('data-bot') ?? '', tr.getAttribute('data-status') ?? '']))),
    totalFindings: Number((await page.textContent('#findings-total'))?.replace(/\D/g, '')),
    healthStatus: (await page.getAttribute('#health-status', 'data-status')) ?? '',
  });
  await expect
    .poll(async () => {
      const [want, got] = [await server(), await shown()];
      // Bots in one order on both sides: the page lists them by tier, the API by registration.
      const canonical = (x: typeof want): string => JSON.stringify({ ...x, bots: Object.entries(x.bots).sort() });
      return canonical(got) === canonical(want) ? 'caught up' : { want, got };
    }, WAIT)
    .toBe('caught up');
  await page.locator('#history-chart').waitFor(WAIT);
  await quiet(page);
}

/** Waits until no DOM mutation has happened for a little while (live refreshes are coalesced over 400 ms). */
async function quiet(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __lastMutation?: number };
    if (w.__lastMutation !== undefined) return;
    w.__lastMutation = performance.now();
    new MutationObserver(() => (w.__lastMutation = performance.now())).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  await expect.poll(() => page.evaluate(() => performance.now() - (window as unknown as { __lastMutation: number }).__lastMutation), WAIT).toBeGreaterThan(1000);
}

/** Opens the findings explorer's detail on the first row and hovers the second (the selected and hover row backgrounds). */
async function openExplorer(page: Page): Promise<void> {
  const rows = page.locator('#findings-table tbody tr');
  await rows.first().click();
  await page.locator('#finding-detail').waitFor({ state: 'visible', ...WAIT });
  expect(await page.locator('#detail-fields dd.muted').count()).toBeGreaterThan(0); // absent fields, shown muted
  await rows.nth(1).hover();
}

/** The classes of the badges on the page. */
const badgeClasses = (page: Page) =>
  page.locator('.badge').evaluateAll((els) => [...new Set(els.flatMap((el) => Array.from(el.classList).filter((c) => c !== 'badge')))].sort());

interface SvgText {
  readonly where: string;
  readonly text: string;
  readonly fill: string;
  readonly fontSize: string;
  /** Backgrounds under the text, top first. */
  readonly layers: string[];
}

/** Every SVG text with its fill and what is painted under it (the node box, then the panel and its ancestors). */
function svgTexts(page: Page): Promise<SvgText[]> {
  return page.evaluate(() => {
    const cssPath = (el: Element) => {
      const parts: string[] = [];
      for (let e: Element | null = el; e !== null && parts.length < 4; e = e.parentElement) parts.unshift(e.id !== '' ? `#${e.id}` : `${e.tagName.toLowerCase()}${e.classList.length > 0 ? `.${Array.from(e.classList).join('.')}` : ''}`);
      return parts.join(' > ');
    };
    return Array.from(document.querySelectorAll('svg text'))
      .filter((t) => (t.textContent ?? '').trim() !== '' && t.getClientRects().length > 0)
      .map((t) => {
        const layers: string[] = [];
        const box = t.closest('g.node')?.querySelector('.node-box');
        if (box) layers.push(getComputedStyle(box).fill);
        for (let e: Element | null = t.closest('svg'); e !== null; e = e.parentElement) layers.push(getComputedStyle(e).backgroundColor);
        const cs = getComputedStyle(t);
        return { where: cssPath(t), text: (t.textContent ?? '').slice(0, 40), fill: cs.fill, fontSize: cs.fontSize, layers };
      });
  });
}

/** Placeholders of the page's inputs: their colour and the input's background (with what is under it). */
function placeholders(page: Page): Promise<Array<{ id: string; text: string; color: string; layers: string[] }>> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLInputElement>('input[placeholder]')).map((input) => {
      const layers: string[] = [];
      for (let e: Element | null = input; e !== null; e = e.parentElement) layers.push(getComputedStyle(e).backgroundColor);
      return { id: input.id, text: input.placeholder, color: getComputedStyle(input, '::placeholder').color, layers };
    }),
  );
}

/** Text axe does not measure (SVG text, placeholders) whose contrast is under AA (4.5:1; 3:1 from 24px). */
async function measuredContrastFailures(page: Page): Promise<string[]> {
  const texts = await svgTexts(page);
  expect(texts.length).toBeGreaterThan(20);
  const inputs = await placeholders(page);
  expect(inputs.length).toBeGreaterThan(0);
  const all = [
    ...texts.map((t) => ({ where: `${t.where} "${t.text}"`, color: t.fill, layers: t.layers, min: parseFloat(t.fontSize) >= 24 ? 3 : 4.5 })),
    ...inputs.map((i) => ({ where: `#${i.id}::placeholder "${i.text}"`, color: i.color, layers: i.layers, min: 4.5 })),
  ];
  const failures: string[] = [];
  for (const t of all) {
    const bg = t.layers.reduceRight<Rgba>((below, layer) => over(parseColor(layer), below), TRANSPARENT);
    const fg = over(parseColor(t.color), bg);
    const ratio = contrast(fg, bg);
    if (ratio < t.min) failures.push(`${t.where}: ${ratio.toFixed(2)}:1 < ${t.min}:1 (${toHex(fg)} on ${toHex(bg)})`);
  }
  return failures;
}

/** axe on the whole page plus the SVG text measure, both soft so that every theme is reported. */
async function checkPage(page: Page, label: string): Promise<void> {
  const results = await runAxe(page);
  expect([...results.passes, ...results.incomplete, ...results.violations].map((r) => r.id)).toContain('color-contrast');
  const serious = seriousViolations(results);
  expect.soft(describeViolations(label, serious)).toBe(describeViolations(label, []));
  const measured = await measuredContrastFailures(page);
  expect.soft(measured.join('\n'), `${label}: SVG text and placeholders under AA contrast`).toBe('');
  await page.screenshot({ path: join(artifacts, `a11y-${label.replace(/[^a-z0-9]+/gi, '-')}.png`), fullPage: true });
}

describe('dashboard page accessibility: axe-core (WCAG 2.1 A + AA) in Chromium during a demo fleet run', () => {
  it('mid-run — bots running, completed and pending: light (system preference) and dark (toggle)', async () => {
    const abort = new AbortController();
    const { sessionId, done } = await runDemoFleet(d, { durationMs: 44_000, signal: abort.signal });
    // Freeze the fleet as soon as it is mid-way (some bots done, some running, some waiting), so that
    // axe sees a still page; watched on the server from the start, while the pages open.
    let finished = false;
    void done.then(() => (finished = true));
    const midway = (async () => {
      for (;;) {
        const c = await d.store.get(sessionId);
        const has = (s: string) => c.executions().some((e) => e.status === s);
        if (has('running') && has('completed') && has('pending')) return abort.abort();
        if (finished) throw new Error('the demo ended before it was seen mid-way');
        await sleep(10);
      }
    })();
    const setups: ThemeSetup[] = [
      { theme: 'light', via: 'system' },
      { theme: 'dark', via: 'toggle' },
    ];
    // The pages follow the run live from its start.
    const pages = [];
    for (const s of setups) pages.push({ ...(await openPage(sessionId, s)), setup: s });
    await midway;
    await done;

    for (const { page, errors, setup } of pages) {
      await caughtUp(page, sessionId);
      await openExplorer(page);
      await quiet(page);
      const classes = await badgeClasses(page);
      for (const c of ['st-running', 'st-completed', 'st-pending']) expect(classes).toContain(c);
      expect(await page.locator('#session-meta .badge.st-running').count()).toBe(1);
      await checkPage(page, `mid-run ${setup.theme} via ${setup.via}`);
      expect(errors).toEqual([]);
    }
  }, 180_000);

  it('after the run — completed, failed and skipped bots, alerts, fixed findings, detail open: dark (system preference) and light (toggle)', async () => {
    // A fleet whose failing bot has dependants, so that every bot state is reached.
    const { sessionId, done } = await runDemoFleet(d, { durationMs: 11_000, failingBot: 'glambot', previousSessions: 0 });
    finishedSession = sessionId;
    const setups: ThemeSetup[] = [
      { theme: 'dark', via: 'system' },
      { theme: 'light', via: 'toggle' },
    ];
    const pages = [];
    for (const s of setups) pages.push({ ...(await openPage(sessionId, s)), setup: s });
    await done;
    // A few findings fixed (their rows are shown de-emphasised), one of them an error.
    const { items } = await call<{ items: Array<{ id: string; severity: string }> }>('GET', sessionPath(sessionId, '/findings?limit=20'));
    const toFix = [...items.slice(0, 2), ...items.filter((f) => f.severity === 'error').slice(0, 1)];
    for (const f of toFix) await call('POST', sessionPath(sessionId, `/findings/${encodeURIComponent(f.id)}/fix`));

    for (const { page, errors, setup } of pages) {
      await caughtUp(page, sessionId);
      await expect.poll(() => page.locator('#findings-table tbody tr.fixed').count(), WAIT).toBe(new Set(toFix.map((f) => f.id)).size);
      expect(await page.locator('#session-meta .badge').count()).toBe(0); // completed
      await openExplorer(page);
      await quiet(page);
      const classes = await badgeClasses(page);
      for (const c of ['st-completed', 'st-failed', 'st-skipped', ...SEVERITIES.map((s) => `sev-${s}`)]) expect(classes).toContain(c);
      for (const prefix of ['health-', 'alert-', 'verdict-']) expect(classes.some((c) => c.startsWith(prefix)), prefix).toBe(true);
      await checkPage(page, `finished ${setup.theme} via ${setup.via}`);
      expect(errors).toEqual([]);
    }
  }, 180_000);

  it('every badge class (bot states, severities, health statuses, alert levels, verdicts) in every container it can appear in, both themes', async () => {
    expect(finishedSession, 'the previous test ran the demo to its end').toBeDefined();
    const badges = [...STATUS_CLASSES];
    for (const theme of ['light', 'dark'] as const) {
      const { page, errors } = await openPage(finishedSession!, { theme, via: 'system' });
      await caughtUp(page, finishedSession!);
      await openExplorer(page);
      // Badges the demo does not show (e.g. health "healthy", alert level "critical") are added to the
      // real containers with the page's own classes: a card, an alert, a bot row, a selected and a
      // fixed findings row, the detail pane; each also holds muted text and a link.
      await page.evaluate((classes) => {
        const specimen = (tag: string, cls: string) => {
          const el = document.createElement(tag);
          el.className = `${cls} a11y-specimen`.trim();
          for (const c of classes) {
            const b = document.createElement('span');
            b.className = `badge ${c}`;
            b.textContent = c;
            el.append(b, ' ');
          }
          const muted = document.createElement('span');
          muted.className = 'muted note';
          muted.textContent = 'muted note text';
          const link = document.createElement('a');
          link.href = '#findings-heading';
          link.textContent = 'a link';
          el.append(muted, ' ', link);
          return el;
        };
        const card = document.createElement('div');
        card.className = 'card';
        const dt = document.createElement('dt');
        dt.textContent = 'Specimen';
        card.append(dt, specimen('dd', ''));
        document.querySelector('#overview .cards')!.append(card);
        document.querySelector('#alerts')!.append(specimen('li', 'alert alert-info'));
        const botRow = document.createElement('tr');
        botRow.append(specimen('td', ''));
        document.querySelector('#bot-tiers tbody')!.append(botRow);
        const body = document.querySelector('#findings-table tbody')!;
        for (const rowCls of ['finding selected', 'finding fixed']) {
          const tr = document.createElement('tr');
          tr.className = rowCls;
          tr.append(specimen('td', ''));
          body.prepend(tr);
        }
        const row = document.createElement('div');
        row.className = 'field-row';
        const label = document.createElement('dt');
        label.textContent = 'Specimen';
        row.append(label, specimen('dd', ''));
        document.querySelector('#detail-fields')!.append(row);
      }, badges);
      const specimens = page.locator('.a11y-specimen');
      expect(await specimens.count()).toBe(6);
      expect(await specimens.locator('.badge').count()).toBe(6 * badges.length);
      await quiet(page);
      const results = await runAxe(page, '.a11y-specimen');
      const label = `badge specimens ${theme}`;
      expect.soft(describeViolations(label, seriousViolations(results))).toBe(describeViolations(label, []));
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 120_000);
});
