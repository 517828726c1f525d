/**
 * The findings table's statistics: refreshed when a session reaches 10,000
 * findings and each doubling after (not on every batch), and computed only
 * for the columns queries filter on.
 */
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { Context } from '@fleetkit/shared-context';
import type { FindingInput } from '@fleetkit/shared-context';
import { PostgresStorage } from '../src/index.js';
import { ANALYZE_FIRST, crossesDoubling } from '../src/postgres-storage.js';
import { testServer } from './support/storages.js';

describe('crossesDoubling', () => {
  it('is true exactly when growth reaches 10,000 or a doubling of it', () => {
    expect(ANALYZE_FIRST).toBe(10_000);
    const cases: [number, number, boolean][] = [
      [0, 9_999, false],
      [0, 10_000, true],
      [9_999, 10_000, true],
      [10_000, 10_001, false],
      [10_000, 19_999, false],
      [19_999, 20_000, true],
      [15_000, 50_000, true],
      [20_000, 39_999, false],
      [39_999, 40_000, true],
      [0, 1_000_000, true],
      [640_000, 1_279_999, false],
      [5, 5, false],
    ];
    for (const [before, after, want] of cases) expect(crossesDoubling(before, after), `${before} → ${after}`).toBe(want);
  });
});

describe('statistics of the findings table', () => {
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
  });

  const batch = (n: number, from: number): FindingInput[] =>
    Array.from({ length: n }, (_, i) => ({
      source: ['rhodibot', 'echidnabot'][i % 2]!,
      ruleId: `r${(from + i) % 7}`,
      severity: (['error', 'warning', 'info'] as const)[i % 3]!,
      message: `finding ${from + i}`,
      category: 'c',
      file: `src/f${i % 13}.ts`,
      metadata: { n: from + i },
    }));

  it('are refreshed at 10,000 findings and each doubling, for the filtered columns only', { timeout: 60_000 }, async () => {
    const url = await testServer().createDatabase();
    const storage = await PostgresStorage.open(url);
    closers.push(() => storage.close());
    const sql = postgres(url, { max: 1, onnotice: () => undefined });
    closers.push(() => sql.end());
    const ctx = new Context('stats/repo', '.');
    await storage.saveSession(ctx);

    // Manual ANALYZEs only (autovacuum's are counted apart); the count is written when an ANALYZE ends.
    const analyzes = async (): Promise<number> =>
      Number((await sql<{ n: string }[]>`SELECT analyze_count::text AS n FROM pg_stat_user_tables WHERE relname = 'fleetkit_findings'`)[0]!.n);
    const reach = async (n: number): Promise<void> => {
      for (let waited = 0; (await analyzes()) < n && waited < 20_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      expect(await analyzes()).toBe(n);
    };

    let size = 0;
    const append = async (n: number): Promise<void> => {
      await storage.appendFindings(ctx.sessionId, batch(n, size));
      size += n;
    };
    // Batches that cross nothing (none of them asks for an ANALYZE), then one reaching 10,000.
    for (let k = 0; k < 9; k++) await append(1_000);
    await append(999);
    await new Promise((r) => setTimeout(r, 300));
    expect(await analyzes()).toBe(0);
    await append(1);
    await reach(1);
    // Below the next doubling, then across it in one batch.
    await append(9_000);
    await append(1_500);
    await reach(2);
    // Nothing asked for in between ran late: still two.
    await new Promise((r) => setTimeout(r, 500));
    expect(await analyzes()).toBe(2);

    const columns = await sql<{ attname: string }[]>`SELECT attname FROM pg_stats WHERE tablename = 'fleetkit_findings' ORDER BY attname`;
    expect(columns.map((c) => c.attname)).toEqual(['category', 'file', 'fixed', 'id', 'seq', 'session_id', 'severity', 'source']);
  });
});
