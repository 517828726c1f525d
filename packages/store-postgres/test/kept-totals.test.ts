/**
 * Totals of filtered pages stay exact while a session changes under them: the
 * PostgreSQL storage keeps counts and adds only what was appended since, so
 * every kind of change that could make a kept count wrong is tried here —
 * appends, fixes, the session stored whole again (also after it was
 * deleted), a bot registered into a tier — from this storage object and from another one (a
 * second process, whose writes this one learns of only from the database).
 * Held, on both storages, to the library's matcher over a copy kept in memory.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context, findingMatcher } from '@fleetkit/shared-context';
import type { Finding, FindingFilters, FindingInput, SessionStorage, Tier } from '@fleetkit/shared-context';
import { STORAGE_KINDS, freshStorage } from './support/storages.js';
import type { StorageUnderTest } from './support/storages.js';

const SOURCES = ['rhodibot', 'glambot', 'late-bot'];
const FILES = ['src/a/x.ts', 'src/b/y.ts', 'lib/z.ts'];

const filterArb: fc.Arbitrary<FindingFilters> = fc.record(
  {
    bot: fc.constantFrom(...SOURCES),
    severity: fc.constantFrom('error', 'warning'),
    tier: fc.constantFrom<Tier>('finisher', 'custom', 'verifier'),
    file: fc.constantFrom('src/', 'src/a', 'lib/'),
    q: fc.constantFrom('alpha', 'beta'),
    fixed: fc.boolean(),
  },
  { requiredKeys: [] },
);

// Few filters in the steps, so one is asked again after a change (a kept count is then what answers).
const stepFilterArb: fc.Arbitrary<FindingFilters> = fc.constantFrom<FindingFilters>(
  { fixed: true },
  { fixed: false, q: 'alpha' },
  { tier: 'finisher' },
  { tier: 'custom', severity: 'error' },
  { file: 'src/' },
  { bot: 'late-bot' },
);

type Op =
  | { readonly kind: 'append'; readonly n: number; readonly other: boolean }
  | { readonly kind: 'fix'; readonly pick: number; readonly other: boolean }
  | { readonly kind: 'replace'; readonly keep: number; readonly extra: number; readonly other: boolean }
  | { readonly kind: 'register'; readonly other: boolean }
  | { readonly kind: 'recreate'; readonly keep: number; readonly other: boolean }
  | { readonly kind: 'query'; readonly filters: FindingFilters };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('append' as const), n: fc.integer({ min: 1, max: 12 }), other: fc.boolean() }),
  fc.record({ kind: fc.constant('fix' as const), pick: fc.nat(), other: fc.boolean() }),
  fc.record({ kind: fc.constant('replace' as const), keep: fc.nat(), extra: fc.integer({ min: 0, max: 8 }), other: fc.boolean() }),
  fc.record({ kind: fc.constant('register' as const), other: fc.boolean() }),
  fc.record({ kind: fc.constant('recreate' as const), keep: fc.nat(), other: fc.boolean() }),
  fc.record({ kind: fc.constant('query' as const), filters: stepFilterArb }),
  fc.record({ kind: fc.constant('query' as const), filters: stepFilterArb }),
  fc.record({ kind: fc.constant('query' as const), filters: filterArb }),
);

let made = 0;
const input = (i: number): FindingInput => ({
  id: `k-${++made}`,
  source: SOURCES[i % SOURCES.length]!,
  ruleId: 'r',
  severity: i % 3 === 0 ? 'error' : 'warning',
  message: i % 2 === 0 ? `alpha ${i}` : `beta ${i}`,
  file: FILES[i % FILES.length]!,
  createdAt: '2026-12-01T00:00:00.000Z',
});

/**
 * A new session like `from` (its bots) with the first `keep` of its findings,
 * each fixed one unfixed and the other way round, then `extra` new ones: as
 * many findings as before, or more, need not be the same findings.
 */
function replacement(from: Context, keep: number, extra: number): Context {
  const ctx = new Context(from.repoName, from.repoPath, { sessionId: from.sessionId, now: () => Date.UTC(2026, 11, 1) });
  for (const b of from.bots()) ctx.registerBot(b.id, { tier: b.tier });
  const kept: Finding[] = from.findings.all().slice(0, keep);
  ctx.addFindings(kept.map((f) => ({ ...f, fixed: !f.fixed })));
  ctx.addFindings(Array.from({ length: extra }, (_, i) => input(i + 1)));
  return ctx;
}

describe.each(STORAGE_KINDS)('kept totals on %s', (kind) => {
  let under: StorageUnderTest;
  let other: SessionStorage;
  beforeAll(async () => {
    under = await freshStorage(kind);
    // The file storage's reads may lag another process's write by up to 250 ms by design (a dashboard learns of it
    // from its watch); its totals are counted afresh from the session it holds. So there, one writer.
    other = kind === 'postgres' ? await under.another() : under.storage;
  });
  afterAll(async () => {
    await under.dispose();
  });

  it('match the library matcher after appends, fixes, replacements and bots registered, by either writer (property)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 4, maxLength: 14 }), filterArb, async (ops, last) => {
        const id = `s-kept-${++run}`;
        let mirror = new Context('repo-k', '/k', { sessionId: id, now: () => Date.UTC(2026, 11, 1) });
        mirror.registerBot('rhodibot');
        mirror.addFindings(Array.from({ length: 20 }, (_, i) => input(i)));
        await under.storage.saveSession(mirror);
        const check = async (filters: FindingFilters): Promise<void> => {
          const match = findingMatcher(filters, (b) => mirror.tierOf(b));
          const page = await under.storage.queryFindings(id, filters, { limit: 5 });
          expect(page.total, JSON.stringify(filters)).toBe(mirror.findings.all().filter(match).length);
        };
        for (const op of [...ops, { kind: 'query', filters: last } as const]) {
          const by = 'other' in op && op.other ? other : under.storage;
          if (op.kind === 'append') {
            const batch = Array.from({ length: op.n }, (_, i) => input(i + mirror.findings.size));
            await by.appendFindings(id, batch);
            mirror.addFindings(batch);
          } else if (op.kind === 'fix') {
            const open = mirror.findings.all().filter((f) => !f.fixed);
            if (open.length === 0) continue;
            const f = open[op.pick % open.length]!;
            expect(await by.markFixed(id, f.id)).toBe(true);
            mirror.markFixed(f.id);
          } else if (op.kind === 'replace') {
            mirror = replacement(mirror, op.keep % (mirror.findings.size + 1), op.extra);
            await by.saveSession(mirror);
          } else if (op.kind === 'recreate') {
            // Deleted, then stored again under the same id: no count of the session before may be used again.
            expect(await by.deleteSession(id)).toBe(true);
            mirror = replacement(mirror, op.keep % (mirror.findings.size + 1), 0);
            await by.saveSession(mirror);
          } else if (op.kind === 'register') {
            if (mirror.bot('late-bot') !== undefined) continue;
            await by.updateSession(id, (c) => c.registerBot('late-bot', { tier: 'finisher' }));
            mirror.registerBot('late-bot', { tier: 'finisher' });
          } else {
            await check(op.filters);
          }
        }
      }),
      {
        numRuns: 40,
        seed: 20261201,
        // Each change that leaves the last sequence number as it was, between two asks of one filter.
        examples: [
          [[{ kind: 'query', filters: { fixed: true } }, { kind: 'fix', pick: 3, other: true }, { kind: 'query', filters: { fixed: true } }], { fixed: false }],
          [[{ kind: 'query', filters: { fixed: true } }, { kind: 'replace', keep: 20, extra: 0, other: true }, { kind: 'query', filters: { fixed: true } }], {}],
          [[{ kind: 'query', filters: { tier: 'finisher' } }, { kind: 'register', other: true }, { kind: 'query', filters: { tier: 'finisher' } }], { tier: 'custom' }],
          [[{ kind: 'query', filters: { fixed: true } }, { kind: 'recreate', keep: 20, other: true }, { kind: 'query', filters: { fixed: true } }], {}],
        ],
      },
    );
  });

  it('gives each page the count of its own snapshot while appends and other pages run at once', async () => {
    const id = 's-kept-concurrent';
    const mirror = new Context('repo-k', '/k', { sessionId: id, now: () => Date.UTC(2026, 11, 1) });
    mirror.addFindings(Array.from({ length: 50 }, (_, i) => input(i)));
    await under.storage.saveSession(mirror);
    const batches = Array.from({ length: 10 }, (_, b) => Array.from({ length: 7 }, (_, i) => input(b * 7 + i)));
    for (const b of batches) mirror.addFindings(b);
    const filters: FindingFilters = { q: 'alpha', file: 'src/' };
    const match = findingMatcher(filters, (b) => mirror.tierOf(b));
    // The count of matches among the first n findings, for any n a page may have read at.
    const upTo = (n: number): number => mirror.findings.all().slice(0, n).filter(match).length;
    const writes = (async () => {
      for (const b of batches) await other.appendFindings(id, b);
    })();
    const pages = await Promise.all(Array.from({ length: 40 }, () => under.storage.queryFindings(id, filters, { limit: 3 })));
    await writes;
    pages.push(await under.storage.queryFindings(id, filters, { limit: 3 }));
    for (const p of pages) expect(p.total, `at ${p.lastSeq}`).toBe(upTo(p.lastSeq));
    expect(pages.at(-1)!.lastSeq).toBe(120);
  });
});
