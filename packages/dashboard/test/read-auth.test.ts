/// <reference lib="dom" />
/**
 * Reads behind a token: the API, live streams, reports and metrics answer
 * 401 without it and serve with the read token, the write token or the
 * page's cookie; `auth: 'all'` makes the write token the read token; and the
 * page in real Chromium asks for the token once and never puts it in a URL.
 */
import { connect } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardClient } from '../src/client.js';
import type { LiveEvent } from '../src/client.js';
import { createDashboard, DashboardConfigError } from '../src/index.js';
import type { Running } from './support/server.js';
import { startDashboard, TOKEN } from './support/server.js';
import { launchChromium } from './support/browser.js';

const READ = 'read-token-fedcba9876543210';

/** A GET with an absolute-form request target (`GET http://host/path HTTP/1.1`), as a proxy would send. */
function rawGet(base: string, target: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(`GET ${target} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (text += d));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

describe('reads behind a read token', () => {
  let s: Running;
  let sessionId = '';
  beforeAll(async () => {
    s = await startDashboard({ readToken: READ });
    sessionId = (await s.api<{ sessionId: string }>('POST', '/api/sessions', { repoName: 'private/repo', bots: ['rhodibot'] })).json.sessionId;
    await s.api('POST', `/api/sessions/${sessionId}/findings`, { findings: [{ source: 'rhodibot', ruleId: 'R1', severity: 'error', message: 'secret place' }] });
  });
  afterAll(() => s.stop());

  const paths = (): string[] => ['/api/repos', '/api/sessions', `/api/sessions/${sessionId}/health`, `/api/sessions/${sessionId}/findings`, `/api/sessions/${sessionId}/report/json`, `/api/sessions/${sessionId}/events`, '/metrics', '/api/openapi.json'];

  it('answers 401 to every read without a token, and to a wrong one', async () => {
    for (const path of paths()) {
      for (const token of [null, 'wrong-token-0123456789abcdef']) {
        const r = await s.api('GET', path, undefined, { token });
        expect(r.status, `${path} ${token}`).toBe(401);
        expect(r.json.error.code).toBe('FK_HTTP_UNAUTHORIZED');
        expect(r.text).not.toContain('secret place');
      }
    }
    // Spellings the router takes for the same routes: percent-encoded letters, an absolute-form target.
    for (const path of ['/%61pi/sessions', `/%61pi/sessions/${sessionId}/findings`, '/%6detrics', '/%61pi/openapi.json']) {
      expect((await s.api('GET', path, undefined, { token: null })).status, path).toBe(401);
    }
    expect(await rawGet(s.url, `${s.url}/api/sessions`)).toBe(401);
    expect((await s.api('GET', '/healthz', undefined, { token: null })).status).toBe(200);
    expect((await s.api('GET', '/', undefined, { token: null })).status).toBe(200);
  });

  it('serves reads with the read token and with the write token, and writes only with the write token', async () => {
    for (const token of [READ, TOKEN]) {
      const r = await s.api<{ items: Array<{ message: string }> }>('GET', `/api/sessions/${sessionId}/findings`, undefined, { token });
      expect(r.status).toBe(200);
      expect(r.json.items[0]?.message).toBe('secret place');
    }
    expect((await s.api('POST', '/api/sessions', { repoName: 'x' }, { token: READ })).status).toBe(401);
  });

  it('lets the typed client read with its read token (and with its write token)', async () => {
    const reader = createDashboardClient({ baseUrl: s.url, readToken: READ });
    expect((await reader.findings(sessionId)).items[0]?.message).toBe('secret place');
    expect(await reader.report(sessionId, 'markdown')).toContain('secret place');
    const events: LiveEvent[] = [];
    const stop = reader.subscribe(sessionId, (e) => events.push(e));
    try {
      await expect.poll(() => events.length, { timeout: 10_000 }).toBeGreaterThan(0);
    } finally {
      stop();
    }
    expect((await createDashboardClient({ baseUrl: s.url, token: TOKEN }).status(sessionId)).totalFindings).toBe(1);
    await expect(createDashboardClient({ baseUrl: s.url }).repos()).rejects.toMatchObject({ status: 401 });
  });

  it('exchanges a token posted in a body for an HttpOnly, SameSite=Strict cookie that reads, and refuses a wrong one', async () => {
    const wrong = await s.api('POST', '/api/login', { token: 'nope-nope-nope-nope' }, { token: null });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const login = await s.api('POST', '/api/login', { token: READ }, { token: null });
    expect(login.status).toBe(204);
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^fk_read=[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+/);
    expect(cookie).not.toContain(READ);
    const value = cookie.split(';')[0]!;
    const r = await s.api('GET', `/api/sessions/${sessionId}/status`, undefined, { token: null, headers: { cookie: value } });
    expect(r.status).toBe(200);
    const forged = await s.api('GET', `/api/sessions/${sessionId}/status`, undefined, { token: null, headers: { cookie: 'fk_read=AAAA' } });
    expect(forged.status).toBe(401);
  });
});

describe("auth 'all'", () => {
  it('makes the write token the read token', async () => {
    const s = await startDashboard({ auth: 'all' });
    try {
      expect((await s.api('GET', '/api/repos', undefined, { token: null })).status).toBe(401);
      expect((await s.api('GET', '/api/repos')).status).toBe(200);
    } finally {
      await s.stop();
    }
  });

  it('is refused without any token, and a read token equal to the write token is refused', async () => {
    await expect(createDashboard({ store: '/tmp/unused-fk', auth: 'all' })).rejects.toThrow(DashboardConfigError);
    await expect(createDashboard({ store: '/tmp/unused-fk', token: TOKEN, readToken: TOKEN })).rejects.toThrow(/must differ/);
  });
});

describe('the page when reads need a token (Chromium)', () => {
  let s: Running;
  let browser: Browser;
  let sessionId = '';
  beforeAll(async () => {
    s = await startDashboard({ readToken: READ });
    sessionId = (await s.api<{ sessionId: string }>('POST', '/api/sessions', { repoName: 'private/page', bots: ['rhodibot'] })).json.sessionId;
    await s.api('POST', `/api/sessions/${sessionId}/findings`, { findings: [{ source: 'rhodibot', ruleId: 'R1', severity: 'error', message: 'visible after sign-in' }] });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await s.stop();
  });

  it('asks for the token once, never puts it in a URL, then shows the session and its live stream', async () => {
    const page = await browser.newPage();
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${s.url}/#session=${encodeURIComponent(sessionId)}`);
    await page.waitForSelector('#login-token', { state: 'visible', timeout: 15_000 });
    await page.fill('#login-token', 'not-the-token-at-all');
    await page.click('#login-submit');
    await page.waitForSelector('#login-error:not([hidden])', { timeout: 15_000 });
    await page.fill('#login-token', READ);
    await page.click('#login-submit');
    await page.waitForSelector('#login-token', { state: 'hidden', timeout: 15_000 });
    await expect.poll(async () => page.textContent('body'), { timeout: 15_000 }).toContain('visible after sign-in');
    await expect.poll(() => urls.some((u) => u.includes('/events')), { timeout: 15_000 }).toBe(true);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'fk_read')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate(() => document.cookie)).not.toContain('fk_read');
    for (const u of urls) expect(u).not.toContain(READ);
    expect(errors).toEqual([]);
    await page.close();
  });
});
