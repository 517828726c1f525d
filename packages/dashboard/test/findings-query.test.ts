/**
 * The findings explorer's cursors over a real storage (files): pages give
 * exactly the plain filter, never skip or repeat while findings arrive, and
 * forged cursors are refused. The same queries on PostgreSQL are held to the
 * library's matcher in @fleetkit/store-postgres and by the API suite here.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context, ContextStorage, SEVERITIES, TIERS } from '@fleetkit/shared-context';
import type { Finding, Severity, Tier } from '@fleetkit/shared-context';
import { HttpError } from '../src/index.js';
import { FindingQuery } from '../src/findings-query.js';
import type { FindingFilters, FindingPage } from '../src/findings-query.js';
import { PageCache } from '../src/page-cache.js';

let dir: string;
let storage: ContextStorage;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fk-query-'));
  storage = new ContextStorage(dir);
});
afterAll(async () => {
  await storage.close();
  await rm(dir, { recursive: true, force: true });
});

// page() reads the storage itself; nothing here is cached (no stamps).
const source = {
  queryFindings: (...a: Parameters<ContextStorage['queryFindings']>) => storage.queryFindings(...a),
  heldStamp: (): string => {
    throw new Error('page() takes no stamp');
  },
};

const BOTS = ['rhodibot', 'sentinelbot', 'hypatia', 'my-tool'];
const CATS = ['security', 'docs', ''];
const FILES = ['src/a.ts', 'src/b/c.ts', 'test/x.ts', undefined];

const findingArb = fc.record({
  source: fc.constantFrom(...BOTS),
  severity: fc.constantFrom(...SEVERITIES),
  category: fc.constantFrom(...CATS),
  file: fc.constantFrom(...FILES),
  message: fc.constantFrom('Unsafe block', 'missing docs', 'SECRET found', 'ok'),
  fixed: fc.boolean(),
});

const filtersArb: fc.Arbitrary<FindingFilters> = fc.record(
  {
    bot: fc.constantFrom(...BOTS, 'nobody'),
    severity: fc.constantFrom(...SEVERITIES),
    category: fc.constantFrom(...CATS),
    tier: fc.constantFrom(...TIERS),
    file: fc.constantFrom('src/', 'src/b', 'test', 'zzz'),
    q: fc.constantFrom('unsafe', 'SECRET', 'docs', 'x'),
    fixed: fc.boolean(),
  },
  { requiredKeys: [] },
);

function plain(ctx: Context, f: FindingFilters): Finding[] {
  return ctx.findings.all().filter(
    (x) =>
      (f.bot === undefined || x.source === f.bot) &&
      (f.severity === undefined || x.severity === f.severity) &&
      (f.category === undefined || x.category === f.category) &&
      (f.tier === undefined || ctx.tierOf(x.source) === (f.tier as Tier)) &&
      (f.file === undefined || (x.file ?? '').startsWith(f.file) && x.file !== undefined) &&
      (f.fixed === undefined || x.fixed === f.fixed) &&
      (f.q === undefined || [x.message, x.ruleId, x.file ?? '', x.element ?? ''].some((t) => t.toLowerCase().includes(f.q!.toLowerCase()))),
  );
}

async function build(items: ReadonlyArray<{ source: string; severity: Severity; category: string; file: string | undefined; message: string; fixed: boolean }>): Promise<Context> {
  const ctx = new Context('q', '.', { sessionId: `s-${++n}` });
  for (const b of BOTS) ctx.registerBot(b);
  const added = ctx.addFindings(items.map((it, i) => ({ source: it.source, severity: it.severity, category: it.category, message: it.message, ruleId: `R${i}`, ...(it.file === undefined ? {} : { file: it.file }) })));
  items.forEach((it, i) => {
    if (it.fixed) ctx.markFixed(added[i]!.id);
  });
  await storage.saveSession(ctx);
  return ctx;
}

describe('findings query', () => {
  it('pages give exactly the plain filter, in insertion order, with the right total (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(findingArb, { maxLength: 80 }), filtersArb, fc.integer({ min: 1, max: 9 }), async (items, filters, limit) => {
        const ctx = await build(items);
        const q = new FindingQuery(source);
        const got: string[] = [];
        let cursor: string | undefined;
        let total = -1;
        for (let guard = 0; guard < 200; guard++) {
          const page = await q.page(ctx.sessionId, filters, limit, cursor);
          expect(page.items.length).toBeLessThanOrEqual(limit);
          total = page.total;
          got.push(...page.items.map((f) => f.id));
          if (page.nextCursor === null) break;
          expect(page.items.length).toBe(limit);
          cursor = page.nextCursor;
        }
        const expected = plain(ctx, filters).map((f) => f.id);
        expect(got).toEqual(expected);
        expect(total).toBe(expected.length);
      }),
      { numRuns: 150 },
    );
  });

  it('never skips or repeats a finding while new ones arrive between pages (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(findingArb, { minLength: 1, maxLength: 40 }), fc.array(findingArb, { maxLength: 40 }), filtersArb, async (first, later, filters) => {
        const ctx = await build(first);
        const q = new FindingQuery(source);
        const got: string[] = [];
        let cursor: string | undefined;
        const pending = [...later];
        for (let guard = 0; guard < 200; guard++) {
          const page = await q.page(ctx.sessionId, filters, 3, cursor);
          got.push(...page.items.map((f) => f.id));
          const next = pending.splice(0, 2);
          if (next.length > 0) {
            const batch = next.map((it) => ({ source: it.source, severity: it.severity, category: it.category, message: it.message, ruleId: 'later', ...(it.file === undefined ? {} : { file: it.file }) }));
            // Stored first (ids are made there), then mirrored in the reference copy.
            const r = await storage.appendFindings(ctx.sessionId, batch);
            ctx.addFindings((await storage.queryFindings(ctx.sessionId, {}, { afterSeq: r.firstSeq - 1, limit: 1000 })).items);
          }
          if (page.nextCursor === null && pending.length === 0) {
            // Resume from where the last page ended: only findings added since.
            got.push(...(await q.page(ctx.sessionId, filters, 1000, page.endCursor)).items.map((f) => f.id));
            break;
          }
          cursor = page.nextCursor ?? page.endCursor;
        }
        expect(new Set(got).size).toBe(got.length);
        expect(got).toEqual(plain(ctx, filters).map((f) => f.id));
      }),
      { numRuns: 100 },
    );
  });

  it('rejects forged cursors and cursors of other filters with a 400 naming query.cursor', async () => {
    const ctx = await build(Array.from({ length: 10 }, () => ({ source: 'rhodibot', severity: 'error' as const, category: '', file: undefined, message: 'm', fixed: false })));
    const q = new FindingQuery(source);
    const page = await q.page(ctx.sessionId, {}, 2);
    for (const bad of ['', 'abc', Buffer.from('{"v":2,"s":-1,"f":"x"}').toString('base64url'), Buffer.from('{"v":1,"i":"all","p":2,"f":"x"}').toString('base64url'), Buffer.from('[]').toString('base64url')]) {
      await expect(q.page(ctx.sessionId, {}, 2, bad)).rejects.toThrow(HttpError);
    }
    const err = await q.page(ctx.sessionId, { severity: 'error' }, 2, page.nextCursor!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).issues?.[0]?.path).toBe('query.cursor');
  });

  it('keeps a page per session, filters, cursor and limit, each the bytes it would have sent', async () => {
    const ctx = await build(Array.from({ length: 12 }, (_, i) => ({ source: BOTS[i % 2]!, severity: i % 3 === 0 ? ('error' as const) : ('warning' as const), category: '', file: undefined, message: `m ${i}`, fixed: false })));
    const held = { ...source, heldStamp: (): string => 'one stamp' };
    const pages = new PageCache(1 << 20);
    const cached = new FindingQuery(held, pages);
    const plain = new FindingQuery(source);
    const asks: Array<[FindingFilters, number, string | undefined]> = [
      [{}, 5, undefined],
      [{ severity: 'error' }, 5, undefined],
      [{ bot: BOTS[1]! }, 5, undefined],
      [{}, 2, undefined],
    ];
    const next = (await plain.page(ctx.sessionId, {}, 5)).nextCursor!;
    asks.push([{}, 5, next]);
    const serialize = (p: FindingPage): string => JSON.stringify(p);
    const bodies: string[] = [];
    // Twice each: the second time from the cache, never another ask's page.
    for (let round = 0; round < 2; round++) {
      for (const [filters, limit, cursor] of asks) {
        const body = await cached.serializedPage(ctx.sessionId, filters, limit, cursor, serialize);
        expect(body).toBe(serialize(await plain.page(ctx.sessionId, filters, limit, cursor)));
        if (round === 0) bodies.push(body);
      }
    }
    expect(new Set(bodies).size).toBe(asks.length);
    expect(pages.counts()).toEqual({ hits: asks.length, misses: asks.length });
  });
});
