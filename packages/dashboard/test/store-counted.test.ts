/**
 * Over a database the store holds a session as its state and counts of its
 * findings, not the findings. Those counts must give what the whole session
 * gives — health, summary, counts by severity and bot, fixed, what blocks the
 * release — whichever process wrote what: this store, another store over the
 * same database (told by its notices), or a storage object of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context, checkHealthNow } from '@fleetkit/shared-context';
import type { FindingInput, Severity } from '@fleetkit/shared-context';
import { PostgresStorage } from '@fleetkit/store-postgres';
import { testPostgres } from '@fleetkit/testing-postgres';
import { CountedSession } from '../src/counted-session.js';
import type { HeldSession } from '../src/counted-session.js';
import { SessionStore } from '../src/store.js';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'suggestion'];
const BOTS = ['rhodibot', 'glambot', 'sentinelbot', 'my-own-bot'];

/** A small seeded generator, so a failure replays. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the dashboard shows of a held session, as one comparable value. */
function shown(s: HeldSession) {
  return {
    summary: s.summary(),
    bySeverity: s.findings.countBySeverity(),
    bySource: s.findings.countBySource(),
    fixed: s.findings.fixedCount(),
    unfixedErrors: s.findings.countUnfixedErrors(),
    health: checkHealthNow(s),
  };
}

describe('a session held as counts over PostgreSQL', () => {
  let url: string;
  const opened: PostgresStorage[] = [];
  const stores: SessionStore[] = [];
  const open = async (): Promise<PostgresStorage> => {
    const s = await PostgresStorage.open(url, { context: { now: () => T0 } });
    opened.push(s);
    return s;
  };
  const newStore = async (): Promise<SessionStore> => {
    const store = new SessionStore(await open(), { maxCached: 10, healthTtlMs: 0, now: () => T0 });
    await store.start();
    stores.push(store);
    return store;
  };
  beforeAll(async () => {
    url = await testPostgres().createDatabase();
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    for (const s of opened) await s.close().catch(() => undefined);
  });

  it('shows what the whole session shows, after appends, fixes and bot changes from three writers', async () => {
    const a = await newStore();
    const b = await newStore();
    const raw = await open();
    const rand = prng(20261201);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const id = (await a.create('fleet/counted', '/src/counted', ['rhodibot', 'glambot'])).sessionId;
    // Held by B from the start, so everything after reaches it by notice.
    expect(await b.get(id)).toBeInstanceOf(CountedSession);
    const ids: string[] = [];
    let n = 0;
    const batch = (): FindingInput[] =>
      Array.from({ length: 1 + Math.floor(rand() * 40) }, () => {
        const fid = `f-${++n}`;
        ids.push(fid);
        return { id: fid, source: pick(BOTS), ruleId: `r-${n % 7}`, severity: pick(SEVERITIES), message: `finding ${n}`, fixed: rand() < 0.1 };
      });
    for (let step = 0; step < 60; step++) {
      const r = rand();
      if (r < 0.35) await a.appendFindings(id, batch());
      else if (r < 0.55) await raw.appendFindings(id, batch());
      else if (r < 0.7 && ids.length > 0) await a.markFixed(id, pick(ids));
      else if (r < 0.85 && ids.length > 0) await raw.markFixed(id, pick(ids));
      else if (r < 0.9) await a.mutate(id, (c) => c.setData(`k${step}`, step));
      // A bot change from a third writer; rhodibot never runs here, so its dependant starts forced.
      else if (r < 0.95) await raw.updateSession(id, (c) => (c.bot('glambot') === undefined ? undefined : c.execution('glambot')!.status === 'pending' ? c.startBot('glambot', { force: true }) : undefined));
      else await a.appendFindings(id, []);
    }
    const whole = await raw.loadSession(id);
    expect(whole.findings.size).toBe(n);
    expect(whole.findings.fixedCount()).toBeGreaterThan(0);
    for (const store of [a, b]) {
      await expect.poll(async () => (await store.get(id)).findings.size, { timeout: 10_000, interval: 20 }).toBe(n);
      await expect.poll(async () => shown(await store.get(id)), { timeout: 10_000, interval: 20 }).toEqual(shown(whole));
    }
    // A fix told twice (own write, then its notice) is counted once: the counts are recounts.
    const fid = ids.find((x) => !whole.findings.get(x)!.fixed && whole.findings.get(x)!.severity === 'error')!;
    await a.markFixed(id, fid);
    whole.markFixed(fid);
    for (const store of [a, b]) await expect.poll(async () => shown(await store.get(id)), { timeout: 10_000, interval: 20 }).toEqual(shown(whole));
    // A run of fixes at once (they join one recount while it waits): each is in the counts once its answer came.
    const run = ids.filter((x) => !whole.findings.get(x)!.fixed).slice(0, 30);
    await Promise.all(run.map((x) => a.markFixed(id, x)));
    for (const x of run) whole.markFixed(x);
    expect(shown(await a.get(id))).toEqual(shown(whole));
    await expect.poll(async () => shown(await b.get(id)), { timeout: 10_000, interval: 20 }).toEqual(shown(whole));
  });

  it('counts afresh a session stored whole over what it held (replaced), and follows it from there', async () => {
    const a = await newStore();
    const raw = await open();
    const id = (await a.create('fleet/replaced', '/src/replaced', ['rhodibot'])).sessionId;
    await a.appendFindings(id, Array.from({ length: 20 }, (_, i) => ({ source: 'rhodibot', ruleId: `r${i}`, severity: 'error' as const, message: `m${i}` })));
    expect((await a.get(id)).findings.size).toBe(20);
    // Stored whole by another process, with fewer findings than held here: counts from the held position would be wrong.
    const replacement = new Context('fleet/replaced', '/src/replaced', { sessionId: id, now: () => T0 });
    replacement.registerBot('glambot');
    replacement.addFindings([
      { source: 'glambot', ruleId: 'g1', severity: 'warning', message: 'kept' },
      { source: 'glambot', ruleId: 'g2', severity: 'error', message: 'fixed already', fixed: true },
    ]);
    await raw.saveSession(replacement);
    await raw.appendFindings(id, [{ source: 'glambot', ruleId: 'g3', severity: 'info', message: 'after' }]);
    const whole = await raw.loadSession(id);
    expect(whole.findings.size).toBe(3);
    await expect.poll(async () => shown(await a.get(id)), { timeout: 10_000, interval: 20 }).toEqual(shown(whole));
  });

  it('reads a finding, a report and the whole session from the database on demand', async () => {
    const a = await newStore();
    const id = (await a.create('fleet/on-demand', '/src/od')).sessionId;
    await a.appendFindings(id, [{ id: 'one', source: 'rhodibot', ruleId: 'r', severity: 'error', message: 'a <b>bold</b> claim', file: 'src/a.ts', line: 3 }]);
    expect((await a.finding(id, 'one'))?.message).toBe('a <b>bold</b> claim');
    expect(await a.finding(id, 'none')).toBeUndefined();
    const whole = await a.whole(id);
    expect(whole).toBeInstanceOf(Context);
    expect(whole.findings.all().map((f) => f.id)).toEqual(['one']);
    await expect(a.finding('no-such-session', 'one')).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});
