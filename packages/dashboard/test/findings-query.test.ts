import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Context, SEVERITIES, TIERS } from '@fleetkit/shared-context';
import type { Finding, Severity, Tier } from '@fleetkit/shared-context';
import { HttpError } from '../src/index.js';
import { FindingQuery } from '../src/findings-query.js';
import type { FindingFilters } from '../src/findings-query.js';

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

function build(items: ReadonlyArray<{ source: string; severity: Severity; category: string; file: string | undefined; message: string; fixed: boolean }>): Context {
  const ctx = new Context('q', '.');
  for (const b of BOTS) ctx.registerBot(b);
  const added = ctx.addFindings(items.map((it, i) => ({ source: it.source, severity: it.severity, category: it.category, message: it.message, ruleId: `R${i}`, ...(it.file === undefined ? {} : { file: it.file }) })));
  items.forEach((it, i) => {
    if (it.fixed) ctx.markFixed(added[i]!.id);
  });
  return ctx;
}

describe('findings query', () => {
  it('pages give exactly the plain filter, in insertion order, with the right total (property)', () => {
    fc.assert(
      fc.property(fc.array(findingArb, { maxLength: 80 }), filtersArb, fc.integer({ min: 1, max: 9 }), (items, filters, limit) => {
        const ctx = build(items);
        const q = new FindingQuery();
        const got: string[] = [];
        let cursor: string | undefined;
        let total = -1;
        for (let guard = 0; guard < 200; guard++) {
          const page = q.page(ctx, filters, limit, cursor);
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
      { numRuns: 300 },
    );
  });

  it('never skips or repeats a finding while new ones arrive between pages (property)', () => {
    fc.assert(
      fc.property(fc.array(findingArb, { minLength: 1, maxLength: 40 }), fc.array(findingArb, { maxLength: 40 }), filtersArb, (first, later, filters) => {
        const ctx = build(first);
        const q = new FindingQuery();
        const got: string[] = [];
        let cursor: string | undefined;
        const pending = [...later];
        for (let guard = 0; guard < 200; guard++) {
          const page = q.page(ctx, filters, 3, cursor);
          got.push(...page.items.map((f) => f.id));
          const next = pending.splice(0, 2);
          if (next.length > 0) ctx.addFindings(next.map((it) => ({ source: it.source, severity: it.severity, category: it.category, message: it.message, ruleId: 'later', ...(it.file === undefined ? {} : { file: it.file }) })));
          if (page.nextCursor === null && pending.length === 0) {
            // Resume from where the last page ended: only findings added since.
            got.push(...q.page(ctx, filters, 1000, page.endCursor).items.map((f) => f.id));
            break;
          }
          cursor = page.nextCursor ?? page.endCursor;
        }
        expect(new Set(got).size).toBe(got.length);
        expect(got).toEqual(plain(ctx, filters).map((f) => f.id));
      }),
      { numRuns: 200 },
    );
  });

  it('rejects forged cursors and cursors of other filters with a 400 naming query.cursor', () => {
    const ctx = build(Array.from({ length: 10 }, () => ({ source: 'rhodibot', severity: 'error' as const, category: '', file: undefined, message: 'm', fixed: false })));
    const q = new FindingQuery();
    const page = q.page(ctx, {}, 2);
    for (const bad of ['', 'abc', Buffer.from('{"v":1,"i":"all","p":-1,"f":"x"}').toString('base64url'), Buffer.from('[]').toString('base64url')]) {
      expect(() => q.page(ctx, {}, 2, bad)).toThrow(HttpError);
    }
    try {
      q.page(ctx, { severity: 'error' }, 2, page.nextCursor!);
      expect.unreachable();
    } catch (e) {
      expect((e as HttpError).issues?.[0]?.path).toBe('query.cursor');
    }
  });
});
