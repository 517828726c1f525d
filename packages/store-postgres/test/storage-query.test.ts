/**
 * Findings queries on both storages: every filter, keyset pages, totals,
 * tallies, one finding by id, and hostile filter text (quotes, semicolons,
 * LIKE wildcards) — all held to the in-memory answer of the library's own
 * matcher.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context, NotFoundError, ValidationError, findingMatcher } from '@fleetkit/shared-context';
import type { FindingFilters, FindingInput, SessionStorage, TallyGroup, Tier } from '@fleetkit/shared-context';
import { STORAGE_KINDS, freshStorage } from './support/storages.js';
import type { StorageUnderTest } from './support/storages.js';

const FILES = ["src/a%b/x.ts", 'src/a_b/y.ts', 'src/aXb/z.ts', "src/it's/q.ts", 'src/semi;colon/r.ts', 'src\\back/s.ts', 'lib/t.ts'];
const BOTS = ['rhodibot', 'glambot', 'panicbot', 'my-custom-bot', 'echidnabot'];
const WORDS = ['Alpha', 'beta', "o'quote", '50%', 'under_score', 'semi;colon', 'DROP TABLE x; --', 'back\\slash'];

function buildSession(): Context {
  const ctx = new Context('repo-q', '/src/q', { sessionId: 's-q', now: () => Date.UTC(2026, 10, 30) });
  ctx.registerBot('rhodibot');
  ctx.registerBot('my-custom-bot', { tier: 'finisher' });
  const findings: FindingInput[] = [];
  for (let i = 0; i < 240; i++) {
    findings.push({
      id: `q-${i}`,
      source: BOTS[i % BOTS.length]!,
      ruleId: `${WORDS[i % WORDS.length]}-rule`,
      severity: (['error', 'warning', 'info', 'suggestion'] as const)[(i * 7) % 4]!,
      message: `${WORDS[(i * 3) % WORDS.length]} message ${i}`,
      category: i % 5 === 0 ? "cat'1" : i % 5 === 1 ? 'cat%' : `cat-${i % 3}`,
      ...(i % 6 === 0 ? {} : { file: FILES[i % FILES.length]! }),
      ...(i % 4 === 0 ? { element: WORDS[(i + 1) % WORDS.length]! } : {}),
      createdAt: '2026-11-30T00:00:00.000Z',
      fixed: i % 9 === 0,
    });
  }
  ctx.addFindings(findings);
  return ctx;
}

const ctx = buildSession();

function expected(filters: FindingFilters): string[] {
  const match = findingMatcher(filters, (b) => ctx.tierOf(b));
  return ctx.findings.all().filter(match).map((f) => f.id);
}

/** Tally groups as sorted text, to compare whatever order a storage gives them in. */
const groupText = (groups: readonly TallyGroup[]): string[] => groups.map((g) => `${g.severity}|${g.source}|${g.fixed}|${g.count}`).sort();

function expectedGroups(filters: FindingFilters, afterSeq: number, throughSeq: number): string[] {
  const match = findingMatcher(filters, (b) => ctx.tierOf(b));
  const counts = new Map<string, number>();
  ctx.findings.all().forEach((f, i) => {
    const seq = i + 1;
    if (seq <= afterSeq || seq > throughSeq || !match(f)) return;
    const key = `${f.severity}|${f.source}|${f.fixed}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  return [...counts].map(([k, n]) => `${k}|${n}`).sort();
}

async function everyPage(storage: SessionStorage, filters: FindingFilters, limit: number): Promise<{ ids: string[]; totals: number[] }> {
  const ids: string[] = [];
  const totals: number[] = [];
  let after = 0;
  for (;;) {
    const page = await storage.queryFindings('s-q', filters, { afterSeq: after, limit });
    ids.push(...page.items.map((f) => f.id));
    totals.push(page.total);
    expect(page.seqs).toHaveLength(page.items.length);
    if (!page.more) break;
    after = page.seqs.at(-1)!;
  }
  return { ids, totals };
}

const filterArb: fc.Arbitrary<FindingFilters> = fc.record(
  {
    bot: fc.constantFrom(...BOTS, 'absent-bot', "x' OR '1'='1"),
    severity: fc.constantFrom('error', 'warning', 'info', 'suggestion'),
    category: fc.constantFrom("cat'1", 'cat%', 'cat-0', 'cat_', 'cat-%'),
    tier: fc.constantFrom<Tier>('engine', 'verifier', 'finisher', 'specialist', 'executor', 'custom'),
    file: fc.constantFrom('src/a%', 'src/a_', 'src/a', "src/it'", 'src/semi;', 'src\\', 'lib/', '%', '_', ''),
    q: fc.constantFrom('alpha', 'ALPHA', '%', '_', "'", ';', 'drop table', '\\', 'message 1', ''),
    fixed: fc.boolean(),
  },
  { requiredKeys: [] },
);

describe.each(STORAGE_KINDS)('queryFindings on %s', (kind) => {
  let under: StorageUnderTest;
  beforeAll(async () => {
    under = await freshStorage(kind);
    await under.storage.saveSession(ctx);
  });
  afterAll(async () => {
    await under.dispose();
  });

  it('pages through every finding in session order by keyset', async () => {
    const { ids, totals } = await everyPage(under.storage, {}, 50);
    expect(ids).toEqual(ctx.findings.all().map((f) => f.id));
    expect(new Set(totals)).toEqual(new Set([240]));
  });

  it('answers each filter, alone and combined, like the library matcher (hostile text included)', async () => {
    await fc.assert(
      fc.asyncProperty(filterArb, fc.integer({ min: 1, max: 97 }), async (filters, limit) => {
        const want = expected(filters);
        const { ids, totals } = await everyPage(under.storage, filters, limit);
        expect(ids).toEqual(want);
        for (const t of totals) expect(t).toBe(want.length);
      }),
      { numRuns: 60, seed: 20261201 },
    );
  });

  it('counts an empty file prefix or category as a filter, and an empty text search as none', async () => {
    for (const filters of [{ file: '' }, { category: '' }, { q: '' }] as FindingFilters[]) {
      const page = await under.storage.queryFindings('s-q', filters, { limit: 1000 });
      expect(page.total, JSON.stringify(filters)).toBe(expected(filters).length);
      expect(page.items.map((f) => f.id), JSON.stringify(filters)).toEqual(expected(filters));
    }
  });

  it('takes % and _ in a file prefix as themselves', async () => {
    const page = await under.storage.queryFindings('s-q', { file: 'src/a%' }, { limit: 1000 });
    expect(page.items.length).toBeGreaterThan(0);
    for (const f of page.items) expect(f.file?.startsWith('src/a%')).toBe(true);
    expect((await under.storage.queryFindings('s-q', { file: '%' }, { limit: 10 })).total).toBe(0);
  });

  it('tallies each filter over any range of sequence numbers like the library matcher, by severity, source and fixed', async () => {
    await fc.assert(
      fc.asyncProperty(filterArb, fc.nat(260), fc.option(fc.nat(260), { nil: undefined }), async (filters, afterSeq, throughSeq) => {
        const tally = await under.storage.tallyFindings('s-q', filters, throughSeq === undefined ? { afterSeq } : { afterSeq, throughSeq });
        expect(tally.lastSeq).toBe(240);
        expect(groupText(tally.groups)).toEqual(expectedGroups(filters, afterSeq, throughSeq ?? Infinity));
      }),
      { numRuns: 60, seed: 20261202 },
    );
    const all = await under.storage.tallyFindings('s-q', {});
    expect(all.groups.reduce((n, g) => n + g.count, 0)).toBe(240);
  });

  it('refuses a tally of an unknown session, or with a bad range, naming what was wrong', async () => {
    await expect(under.storage.tallyFindings('no-such', {})).rejects.toBeInstanceOf(NotFoundError);
    const err = await under.storage.tallyFindings('s-q', {}, { afterSeq: -1, throughSeq: 1.5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.path.join('.'))).toEqual(['range.afterSeq', 'range.throughSeq']);
  });

  it('gives one finding by id, equal to the one stored, and nothing for an id it does not hold', async () => {
    const want = ctx.findings.get('q-17')!;
    expect(JSON.stringify(await under.storage.getFinding('s-q', 'q-17'))).toBe(JSON.stringify(want));
    expect(await under.storage.getFinding('s-q', "q-17' OR '1'='1")).toBeUndefined();
    await expect(under.storage.getFinding('no-such', 'q-17')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('follows a session: a page after the last sequence number holds only what was added since', async () => {
    const first = await under.storage.queryFindings('s-q', { bot: 'glambot' }, { limit: 1000 });
    expect(first.more).toBe(false);
    await under.storage.appendFindings('s-q', [
      { id: 'late-1', source: 'glambot', ruleId: 'r', severity: 'info', message: 'late', createdAt: '2026-11-30T00:00:00.000Z' },
      { id: 'late-2', source: 'rhodibot', ruleId: 'r', severity: 'info', message: 'late', createdAt: '2026-11-30T00:00:00.000Z' },
    ]);
    const since = await under.storage.queryFindings('s-q', { bot: 'glambot' }, { afterSeq: first.lastSeq, limit: 1000 });
    expect(since.items.map((f) => f.id)).toEqual(['late-1']);
    expect(since.lastSeq).toBe(242);
    expect(since.total).toBe(first.total + 1);
  });

  it('refuses bad queries with a ValidationError naming the field', async () => {
    const bad = async (filters: unknown, page: unknown): Promise<string[]> => {
      const err = await under.storage.queryFindings('s-q', filters as FindingFilters, page as { limit: number }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      return (err as ValidationError).issues.map((i) => i.path.join('.'));
    };
    expect(await bad({ severity: 'fatal' }, { limit: 10 })).toEqual(['filters.severity']);
    expect(await bad({}, { limit: 0 })).toEqual(['page.limit']);
    expect(await bad({}, { limit: 10, afterSeq: -1 })).toEqual(['page.afterSeq']);
    expect(await bad({ nope: 1 }, { limit: 10 })).toEqual(['filters']);
  });
});
