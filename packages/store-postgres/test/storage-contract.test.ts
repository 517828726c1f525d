/**
 * The SessionStorage contract, run on both storages: files and PostgreSQL
 * must answer every call the same way.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Context, IdempotencyKeyReusedError, NotFoundError, StorageError, ValidationError, readSessionRecords, tallyGroupsOf } from '@fleetkit/shared-context';
import type { AppendResult, FindingInput, SessionStorage, StorageEvent } from '@fleetkit/shared-context';
import { STORAGE_KINDS, freshStorage } from './support/storages.js';
import type { StorageUnderTest } from './support/storages.js';

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);

function newSession(id: string, repo = 'repo-a', bots: string[] = ['rhodibot', 'glambot']): Context {
  const clock = { t: T0 };
  const ctx = new Context(repo, `/src/${repo}`, { sessionId: id, now: () => clock.t });
  for (const b of bots) ctx.registerBot(b);
  return ctx;
}

/** Where a batch went, without the findings a storage may hand back. */
const placeOf = ({ added, firstSeq, lastSeq, replayed }: AppendResult) => ({ added, firstSeq, lastSeq, replayed });

const finding = (i: number, over: Partial<FindingInput> = {}): FindingInput => ({
  id: `f-${i}`,
  source: 'rhodibot',
  ruleId: `rule-${i % 5}`,
  severity: (['error', 'warning', 'info', 'suggestion'] as const)[i % 4]!,
  message: `problem number ${i}`,
  category: `cat-${i % 3}`,
  file: `src/dir${i % 2}/file${i}.ts`,
  line: i + 1,
  createdAt: '2026-11-30T12:00:00.000Z',
  ...over,
});

describe.each(STORAGE_KINDS)('SessionStorage on %s', (kind) => {
  let under: StorageUnderTest;
  let storage: SessionStorage;
  beforeEach(async () => {
    under = await freshStorage(kind, { now: () => T0 });
    storage = under.storage;
  });
  afterEach(async () => {
    await under.dispose();
  });

  it('stores a whole session and loads it back equal', async () => {
    const ctx = newSession('s-1');
    ctx.startBot('rhodibot');
    ctx.addFindings([finding(1), finding(2, { metadata: { zeta: 1, alpha: { b: [1, 'x'], a: null } }, related: ['f-1'], confidence: 0.25 })]);
    ctx.setData('coverage', { lines: 0.9, files: ['a', 'b'] });
    await storage.saveSession(ctx);
    const back = await storage.loadSession('s-1');
    expect(JSON.stringify(back)).toBe(JSON.stringify(ctx));
    expect(await storage.hasSession('s-1')).toBe(true);
    expect(await storage.hasSession('s-2')).toBe(false);
  });

  it('keeps findings exactly, even what PostgreSQL text and jsonb cannot hold as they are', async () => {
    const ctx = newSession('s-exact');
    const odd = [
      finding(1, { message: 'NUL \u0000 inside', metadata: { 'b-key': 1, a: 2 } }),
      finding(2, { message: 'lone surrogate \ud800 here', element: 'x\udc00' }),
      finding(3, { metadata: { nested: { z: 'NUL\u0000', y: ['\ud83d\ude00 emoji'] }, '10': 1, '9': 2 } }),
      finding(4, { file: "it's; DROP TABLE fleetkit_findings; --", message: '% and _ and \\ and "quotes"' }),
      finding(5, { suggestion: 'ünïcödé ✓', recipeId: 'r-1', column: 7 }),
    ];
    ctx.addFindings(odd);
    await storage.saveSession(ctx);
    expect(JSON.stringify(await storage.loadSession('s-exact'))).toBe(JSON.stringify(ctx));
    // And appended the other way.
    const ctx2 = newSession('s-exact-2');
    await storage.saveSession(ctx2);
    await storage.appendFindings('s-exact-2', odd);
    const back = await storage.loadSession('s-exact-2');
    expect(JSON.stringify(back.findings.all())).toBe(JSON.stringify(ctx.findings.all()));
  });

  it('gives back appended text exactly, whatever its characters (property)', async () => {
    await storage.saveSession(newSession('s-any'));
    const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom('NULL', 'null', '{}', '{"a",NULL}', '\\', '"', ',', ' ', '\\"', ''));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ message: text, file: text, category: text, ruleName: text }), { minLength: 1, maxLength: 4 }), async (rows) => {
        const batch = rows.map((r) => finding(++n, { ...r, message: r.message === '' ? '-' : r.message, category: r.category === '' ? '-' : r.category }));
        const { firstSeq, lastSeq } = await storage.appendFindings('s-any', batch);
        const page = await storage.queryFindings('s-any', {}, { afterSeq: firstSeq - 1, limit: batch.length });
        expect(page.seqs).toEqual(Array.from({ length: lastSeq - firstSeq + 1 }, (_, i) => firstSeq + i));
        expect(page.items.map((f) => [f.message, f.file, f.category, f.ruleName])).toEqual(batch.map((f) => [f.message, f.file, f.category, f.ruleName]));
      }),
      { numRuns: 40 },
    );
  });

  it('appends batches with sequence numbers in order, and loads them in that order', async () => {
    await storage.saveSession(newSession('s-1'));
    const a = await storage.appendFindings('s-1', [finding(1), finding(2)]);
    const b = await storage.appendFindings('s-1', [finding(3)]);
    const empty = await storage.appendFindings('s-1', []);
    expect(placeOf(a)).toEqual({ added: 2, firstSeq: 1, lastSeq: 2, replayed: false });
    expect(placeOf(b)).toEqual({ added: 1, firstSeq: 3, lastSeq: 3, replayed: false });
    expect(placeOf(empty)).toEqual({ added: 0, firstSeq: 4, lastSeq: 3, replayed: false });
    // Counts handed back (PostgreSQL does) are those of the stored findings of each batch.
    const stored = (await storage.loadSession('s-1')).findings.all();
    if (kind === 'postgres') expect(a.tally).toBeDefined();
    if (a.tally !== undefined) expect(a.tally).toEqual(tallyGroupsOf(stored.slice(0, 2)));
    if (b.tally !== undefined) expect(b.tally).toEqual(tallyGroupsOf([stored[2]!]));
    expect((await storage.loadSession('s-1')).findings.all().map((f) => f.id)).toEqual(['f-1', 'f-2', 'f-3']);
  });

  it('rejects a batch with a bad finding whole, naming its index and field, and keeps what was stored', async () => {
    await storage.saveSession(newSession('s-1'));
    await storage.appendFindings('s-1', [finding(1)]);
    const bad = [finding(2), { ...finding(3), severity: 'fatal' }] as FindingInput[];
    const err = await storage.appendFindings('s-1', bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.path.join('.'))).toContain('findings.1.severity');
    expect((await storage.loadSession('s-1')).findings.all().map((f) => f.id)).toEqual(['f-1']);
  });

  it('rejects a batch holding an id the session already has, naming the index, and adds none of it', async () => {
    await storage.saveSession(newSession('s-1'));
    await storage.appendFindings('s-1', [finding(1), finding(2)]);
    const err = await storage.appendFindings('s-1', [finding(3), finding(2)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.path.join('.'))).toEqual(['findings.1.id']);
    const after = await storage.appendFindings('s-1', [finding(3)]);
    expect(after.firstSeq).toBe(3);
    expect((await storage.loadSession('s-1')).findings.size).toBe(3);
  });

  it('appends to an unknown session as NotFoundError', async () => {
    await expect(storage.appendFindings('nope', [finding(1)])).rejects.toBeInstanceOf(NotFoundError);
  });

  it('adds a batch retried under its idempotency key once, even when the retries race', async () => {
    await storage.saveSession(newSession('s-1'));
    const batch = [finding(1), finding(2), { source: 'glambot', ruleId: 'no-id', severity: 'info', message: 'ids are made' } as FindingInput];
    const first = await storage.appendFindings('s-1', batch, { idempotencyKey: 'batch-1' });
    const again = await storage.appendFindings('s-1', batch, { idempotencyKey: 'batch-1' });
    expect(placeOf(first)).toEqual({ added: 3, firstSeq: 1, lastSeq: 3, replayed: false });
    expect(again).toEqual({ ...placeOf(first), replayed: true });
    const racing = await Promise.all(Array.from({ length: 6 }, () => storage.appendFindings('s-1', [finding(10), finding(11)], { idempotencyKey: 'batch-2' })));
    expect(racing.filter((r) => !r.replayed)).toHaveLength(1);
    for (const r of racing) expect([r.firstSeq, r.lastSeq, r.added]).toEqual([4, 5, 2]);
    expect((await storage.loadSession('s-1')).findings.size).toBe(5);
  });

  it('refuses an idempotency key reused for a different batch, and a malformed key', async () => {
    await storage.saveSession(newSession('s-1'));
    await storage.appendFindings('s-1', [finding(1)], { idempotencyKey: 'k' });
    await expect(storage.appendFindings('s-1', [finding(2)], { idempotencyKey: 'k' })).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    await expect(storage.appendFindings('s-1', [finding(2)], { idempotencyKey: 'has space' })).rejects.toBeInstanceOf(ValidationError);
    await expect(storage.appendFindings('s-1', [finding(2)], { idempotencyKey: '' })).rejects.toBeInstanceOf(ValidationError);
    expect((await storage.loadSession('s-1')).findings.size).toBe(1);
  });

  it('answers each of many concurrent batches on its own: its range, its replay, its error alone', async () => {
    await storage.saveSession(newSession('s-1'));
    await storage.appendFindings('s-1', [finding(0)]);
    const batchOf = (b: number): FindingInput[] => [finding(100 + b * 3), finding(101 + b * 3), finding(102 + b * 3)];
    const calls = [
      ...Array.from({ length: 8 }, (_, b) => storage.appendFindings('s-1', batchOf(b), { idempotencyKey: `k-${b}` })),
      storage.appendFindings('s-1', batchOf(3), { idempotencyKey: 'k-3' }), // a retry racing its original
      storage.appendFindings('s-1', [finding(900), finding(0)]), // f-0 is stored already
      storage.appendFindings('s-1', batchOf(20), { idempotencyKey: 'k-5' }), // k-5 for another batch
      storage.appendFindings('s-1', []),
      storage.appendFindings('s-1', batchOf(9)),
    ];
    const settled = await Promise.allSettled(calls);
    const duplicate = settled[9]!;
    expect(duplicate.status === 'rejected' && duplicate.reason instanceof ValidationError).toBe(true);
    expect((duplicate as PromiseRejectedResult).reason.issues.map((i: { path: unknown[] }) => i.path.join('.'))).toEqual(['findings.1.id']);
    // One of the two batches under k-5 is stored, the other refused.
    const k5 = [settled[5]!, settled[10]!];
    expect(k5.filter((s) => s.status === 'rejected' && s.reason instanceof IdempotencyKeyReusedError)).toHaveLength(1);
    const retry = [settled[3]!, settled[8]!].map((s) => (s as PromiseFulfilledResult<{ replayed: boolean; firstSeq: number }>).value);
    expect(retry.map((r) => r.replayed).sort()).toEqual([false, true]);
    expect(retry[0]!.firstSeq).toBe(retry[1]!.firstSeq);

    // Every stored batch has its own range, the ranges tile the session after f-0, and each holds its batch.
    const stored = await storage.loadSession('s-1');
    const all = stored.findings.all();
    const ranges: Array<[number, number, readonly FindingInput[]]> = [];
    settled.forEach((s, i) => {
      if (s.status !== 'fulfilled' || s.value.replayed || s.value.added === 0) return;
      const input = i < 8 ? batchOf(i) : i === 8 ? batchOf(3) : i === 10 ? batchOf(20) : i === 12 ? batchOf(9) : [];
      ranges.push([s.value.firstSeq, s.value.lastSeq, input]);
    });
    ranges.sort((a, b) => a[0] - b[0]);
    let next = 2;
    for (const [first, last, input] of ranges) {
      expect(first).toBe(next);
      expect(all.slice(first - 1, last).map((f) => f.id)).toEqual(input.map((f) => f.id));
      next = last + 1;
    }
    expect(all).toHaveLength(next - 1);
    expect((settled[11] as PromiseFulfilledResult<{ added: number }>).value.added).toBe(0);
  });

  it.runIf(kind === 'postgres')('fails only the batch the database refuses, not the others it was sent with', async () => {
    await storage.saveSession(newSession('s-1'));
    await storage.appendFindings('s-1', [finding(0)]);
    // An id too long for a btree index entry: PostgreSQL refuses the row (54000), whatever the batch's company.
    const huge = finding(1, { id: 'x'.repeat(3000).replace(/x/g, () => Math.random().toString(36).slice(2, 3)) });
    const settled = await Promise.allSettled([
      storage.appendFindings('s-1', [finding(2)]),
      storage.appendFindings('s-1', [finding(3)]),
      storage.appendFindings('s-1', [huge]),
      storage.appendFindings('s-1', [finding(4)]),
    ]);
    expect(settled.map((x) => x.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((settled[2] as PromiseRejectedResult).reason).toBeInstanceOf(StorageError);
    expect((await storage.loadSession('s-1')).findings.all().map((f) => f.id).sort()).toEqual(['f-0', 'f-2', 'f-3', 'f-4']);
  });

  it('keeps idempotency keys per session', async () => {
    await storage.saveSession(newSession('s-1'));
    await storage.saveSession(newSession('s-2'));
    await storage.appendFindings('s-1', [finding(1)], { idempotencyKey: 'same' });
    const other = await storage.appendFindings('s-2', [finding(1)], { idempotencyKey: 'same' });
    expect(other.replayed).toBe(false);
  });

  it('applies lifecycle changes atomically and stores nothing when the change throws', async () => {
    await storage.saveSession(newSession('s-1'));
    const started = await storage.updateSession('s-1', (c) => {
      c.startBot('rhodibot');
      return c.execution('rhodibot')?.status;
    });
    expect(started).toBe('running');
    await expect(storage.updateSession('s-1', (c) => c.completeBot('glambot', { findings: 0, errors: 0, files: 0 }))).rejects.toThrow(/glambot/);
    await storage.updateSession('s-1', (c) => {
      c.completeBot('rhodibot', { findings: 0, errors: 0, files: 3 });
      c.setData('k', [1, 2]);
      c.completeSession();
    });
    const back = await storage.loadSession('s-1');
    expect(back.execution('rhodibot')?.status).toBe('completed');
    expect(back.execution('glambot')?.status).toBe('pending');
    expect(back.getData('k')).toEqual([1, 2]);
    expect(back.completedAt).not.toBeNull();
    await expect(storage.updateSession('nope', () => undefined)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps findings when the session is updated, and the session when findings are appended', async () => {
    await storage.saveSession(newSession('s-1'));
    await Promise.all([
      storage.appendFindings('s-1', [finding(1)]),
      storage.updateSession('s-1', (c) => c.startBot('rhodibot')),
      storage.appendFindings('s-1', [finding(2)]),
      storage.updateSession('s-1', (c) => c.setData('x', 1)),
    ]);
    const back = await storage.loadSession('s-1');
    expect(back.findings.size).toBe(2);
    expect(back.execution('rhodibot')?.status).toBe('running');
    expect(back.getData('x')).toBe(1);
  });

  it('marks a finding fixed once, and an unknown one is NotFoundError', async () => {
    await storage.saveSession(newSession('s-1'));
    await storage.appendFindings('s-1', [finding(1, { message: 'NUL \u0000 in the exact copy' }), finding(2)]);
    expect(await storage.markFixed('s-1', 'f-1')).toBe(true);
    expect(await storage.markFixed('s-1', 'f-1')).toBe(false);
    await expect(storage.markFixed('s-1', 'f-404')).rejects.toBeInstanceOf(NotFoundError);
    const back = await storage.loadSession('s-1');
    expect(back.findings.get('f-1')?.fixed).toBe(true);
    expect(back.findings.get('f-2')?.fixed).toBe(false);
  });

  it('lists sessions newest first, by repository, and repositories by name', async () => {
    const tick = async (): Promise<void> => new Promise((r) => setTimeout(r, 15));
    await storage.saveSession(newSession('s-1', 'repo-b'));
    await tick();
    await storage.saveSession(newSession('s-2', 'repo-a'));
    await tick();
    await storage.saveSession(newSession('s-3', 'repo-b'));
    await tick();
    await storage.appendFindings('s-1', [finding(1)]);
    const all = await storage.listSessions();
    expect(all.map((s) => s.sessionId)).toEqual(['s-1', 's-3', 's-2']);
    expect(all[0]).toMatchObject({ repoName: 'repo-b' });
    expect(Date.parse(all[0]!.modifiedAt)).not.toBeNaN();
    expect((await storage.listSessions({ repo: 'repo-b' })).map((s) => s.sessionId)).toEqual(['s-1', 's-3']);
    expect(await storage.listSessions({ repo: 'none' })).toEqual([]);
    expect(await storage.listRepos()).toEqual(['repo-a', 'repo-b']);
  });

  it('deletes sessions, and keeps the newest per repository on cleanup', async () => {
    for (const [id, repo] of [['a1', 'a'], ['a2', 'a'], ['a3', 'a'], ['b1', 'b']] as const) {
      await storage.saveSession(newSession(id, repo));
      await new Promise((r) => setTimeout(r, 15));
    }
    expect(await storage.deleteSession('a1')).toBe(true);
    expect(await storage.deleteSession('a1')).toBe(false);
    expect((await storage.cleanupSessions(1)).sort()).toEqual(['a2']);
    expect((await storage.listSessions()).map((s) => s.sessionId).sort()).toEqual(['a3', 'b1']);
    await expect(storage.cleanupSessions(-1)).rejects.toBeInstanceOf(ValidationError);
    await expect(storage.loadSession('a2')).rejects.toBeInstanceOf(NotFoundError);
  });

  it("records sessions into their repository's history", async () => {
    const ctx = newSession('s-1');
    ctx.startBot('rhodibot');
    ctx.addFindings([finding(0), finding(4)]);
    ctx.completeBot('rhodibot', { findings: 2, errors: 2, files: 1 });
    ctx.completeSession();
    const state = await storage.recordSession(ctx);
    expect(state.repoName).toBe('repo-a');
    expect(await storage.loadRepoState('repo-a')).toEqual(state);
    expect(await storage.loadRepoState('other')).toBeUndefined();
    expect(await storage.hasSession('s-1')).toBe(true);
    await storage.saveRepoState({ ...state, updatedAt: '2026-12-01T00:00:00.000Z' });
    expect((await storage.loadRepoState('repo-a'))?.updatedAt).toBe('2026-12-01T00:00:00.000Z');
    await expect(storage.saveRepoState({ ...state, repoName: '' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('folds a session into its history once when asked to, even when the folds race', async () => {
    const ctx = newSession('s-1');
    ctx.addFindings([finding(0), finding(4)]);
    ctx.completeSession();
    await storage.saveSession(ctx);
    const states = await Promise.all(Array.from({ length: 4 }, () => storage.addToHistory(ctx, { once: true })));
    const stored = (await storage.loadRepoState('repo-a'))!;
    expect(readSessionRecords(stored).records.map((r) => r.sessionId)).toEqual(['s-1']);
    // Each persistent finding was seen in one session, not four.
    expect(stored.findings.map((f) => f.sessionsPresent)).toEqual([1, 1]);
    for (const s of states) expect(s.sessions).toHaveLength(1);
    // Without `once`, a fold is a fold (what an import of a changed session asks for).
    const again = await storage.addToHistory(ctx);
    expect(again.findings.map((f) => f.sessionsPresent)).toEqual([2, 2]);
  });

  it('tells watchers of every change, its own and those of another process', async () => {
    const seen: StorageEvent[] = [];
    const stop = await storage.watch((e) => seen.push(e));
    const other = await under.another();
    const until = async (n: number): Promise<void> => {
      for (let i = 0; i < 200 && seen.length < n; i++) await new Promise((r) => setTimeout(r, 10));
    };
    await storage.saveSession(newSession('s-1'));
    await storage.appendFindings('s-1', [finding(1), finding(2)]);
    await storage.markFixed('s-1', 'f-1');
    await storage.updateSession('s-1', (c) => c.startBot('rhodibot'));
    await until(4);
    expect(seen.slice(0, 4)).toEqual([
      { sessionId: 's-1', kind: 'replaced' },
      { sessionId: 's-1', kind: 'findings', fromSeq: 1, toSeq: 2 },
      { sessionId: 's-1', kind: 'fixed', findingId: 'f-1' },
      { sessionId: 's-1', kind: 'session' },
    ]);
    seen.length = 0;
    // Another process's change: a database says what changed; a directory, that the file did.
    await other.appendFindings('s-1', [finding(3)]);
    await until(1);
    expect([
      { sessionId: 's-1', kind: 'findings', fromSeq: 3, toSeq: 3 },
      { sessionId: 's-1', kind: 'replaced' },
    ]).toContainEqual(seen[0]);
    seen.length = 0;
    await storage.deleteSession('s-1');
    await until(1);
    expect(seen[0]).toEqual({ sessionId: 's-1', kind: 'deleted' });
    await stop();
    await storage.saveSession(newSession('s-2'));
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.filter((e) => e.kind !== 'deleted')).toEqual([]);
  });

  it('loads a session without its findings, cheaply, with everything else', async () => {
    const ctx = newSession('s-1');
    ctx.startBot('rhodibot');
    ctx.setData('k', { a: 1 });
    await storage.saveSession(ctx);
    await storage.appendFindings('s-1', [finding(1)]);
    const light = await storage.loadSession('s-1', { findings: false });
    expect(light.findings.size).toBe(0);
    expect(light.execution('rhodibot')?.status).toBe('running');
    expect(light.getData('k')).toEqual({ a: 1 });
    expect([...light.bots()].map((b) => b.id)).toEqual(['rhodibot', 'glambot']);
    await expect(storage.loadSession('nope', { findings: false })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('probes the storage, and folds sessions into history one after the other', async () => {
    await storage.probe();
    const sessions = Array.from({ length: 5 }, (_, i) => {
      const c = newSession(`h-${i}`);
      c.completeSession();
      return c;
    });
    for (const c of sessions) await storage.saveSession(c);
    await Promise.all(sessions.map((c) => storage.addToHistory(c)));
    const state = await storage.loadRepoState('repo-a');
    expect(readSessionRecords(state!).records.map((r) => r.sessionId).sort()).toEqual(sessions.map((c) => c.sessionId).sort());
  });
});
