/**
 * Changes through the file storage (appends, updates, fixes) on the real file
 * system: each is on disk when acknowledged, concurrent changes share
 * rewrites without losing any, a file rewritten by another process is read
 * again before the next change, and idempotency keys live in the session
 * file itself (one atomic rename for a batch and its key).
 */
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Context, ContextStorage, ValidationError } from '../src/index.js';
import type { FindingInput } from '../src/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetkit-changes-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const f = (i: number): FindingInput => ({ id: `f-${i}`, source: 'rhodibot', ruleId: 'r', severity: 'warning', message: `m ${i}`, createdAt: '2026-12-01T00:00:00.000Z' });

async function stored(storage: ContextStorage, id = 's-1'): Promise<Context> {
  // A second storage object reads the disk, not the first one's memory.
  return new ContextStorage(storage.dir).loadSession(id);
}

describe('ContextStorage changes', () => {
  it('has each acknowledged append on disk, and loses none of many concurrent ones', async () => {
    const storage = new ContextStorage(dir);
    await storage.saveSession(new Context('r', '/r', { sessionId: 's-1' }));
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => storage.appendFindings('s-1', [f(i)])));
    expect(results.map((r) => r.firstSeq).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const back = await stored(storage);
    expect(back.findings.size).toBe(40);
    for (const r of results) expect(back.findings.all()[r.firstSeq - 1]).toBeDefined();
  });

  it('reads a session file rewritten by another process before changing it', async () => {
    const mine = new ContextStorage(dir);
    const other = new ContextStorage(dir);
    await mine.saveSession(new Context('r', '/r', { sessionId: 's-1' }));
    await mine.appendFindings('s-1', [f(1)]);
    await other.appendFindings('s-1', [f(2)]);
    await other.updateSession('s-1', (c) => c.setData('by', 'other'));
    const r = await mine.appendFindings('s-1', [f(3)]);
    expect(r.firstSeq).toBe(3);
    const back = await stored(mine);
    expect(back.findings.all().map((x) => x.id)).toEqual(['f-1', 'f-2', 'f-3']);
    expect(back.getData('by')).toBe('other');
  });

  it('keeps idempotency keys in the session file, so a restarted process still recognises a retry', async () => {
    const first = new ContextStorage(dir);
    await first.saveSession(new Context('r', '/r', { sessionId: 's-1' }));
    await first.appendFindings('s-1', [f(1), f(2)], { idempotencyKey: 'run-1/batch-1' });
    const text = JSON.parse(await readFile(first.sessionFile('r', 's-1'), 'utf8')) as { ingestBatches: unknown[]; findings: unknown[] };
    expect(text.findings).toHaveLength(2);
    expect(text.ingestBatches).toEqual([expect.objectContaining({ key: 'run-1/batch-1', firstSeq: 1, added: 2 })]);
    const restarted = new ContextStorage(dir);
    expect(await restarted.appendFindings('s-1', [f(1), f(2)], { idempotencyKey: 'run-1/batch-1' })).toEqual({ added: 2, firstSeq: 1, lastSeq: 2, replayed: true });
    expect((await restarted.loadSession('s-1')).findings.size).toBe(2);
  });

  it('names the file and field of bad idempotency keys in a session file', async () => {
    const storage = new ContextStorage(dir);
    const ctx = new Context('r', '/r', { sessionId: 's-1' });
    await storage.saveSession(ctx);
    const path = storage.sessionFile('r', 's-1');
    await writeFile(path, JSON.stringify({ ...ctx.toJSON(), ingestBatches: [{ key: 'k', fingerprint: 'x', firstSeq: 0, added: 1 }] }));
    const err = await new ContextStorage(dir).loadSession('s-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).message).toContain(path);
    expect((err as ValidationError).issues[0]?.path).toEqual(['ingestBatches', 0, 'firstSeq']);
  });

  it('gives findings from queries that are copies: changing one changes nothing stored', async () => {
    const storage = new ContextStorage(dir);
    await storage.saveSession(new Context('r', '/r', { sessionId: 's-1' }));
    await storage.appendFindings('s-1', [f(1)]);
    const page = await storage.queryFindings('s-1', {}, { limit: 10 });
    (page.items[0] as { fixed: boolean }).fixed = true;
    expect(await storage.markFixed('s-1', 'f-1')).toBe(true);
    expect((await stored(storage)).findings.get('f-1')?.fixed).toBe(true);
  });

  it('stores nothing for a change that throws, and drops nothing stored before', async () => {
    const storage = new ContextStorage(dir);
    const ctx = new Context('r', '/r', { sessionId: 's-1' });
    ctx.registerBot('rhodibot');
    await storage.saveSession(ctx);
    await expect(storage.updateSession('s-1', (c) => c.completeBot('rhodibot', { findings: 0, errors: 0, files: 0 }))).rejects.toThrow(/rhodibot/);
    await expect(storage.appendFindings('s-1', [{ ...f(1), severity: 'bad' } as unknown as FindingInput])).rejects.toBeInstanceOf(ValidationError);
    await storage.appendFindings('s-1', [f(2)]);
    const back = await stored(storage);
    expect(back.execution('rhodibot')?.status).toBe('pending');
    expect(back.findings.all().map((x) => x.id)).toEqual(['f-2']);
  });

  it('loses no acknowledged change when sessions are let go from memory while their saves run', async () => {
    // One session held at a time: every change to the other evicts the one being saved.
    const storage = new ContextStorage(dir, { maxOpenSessions: 1 });
    await storage.saveSession(new Context('r', '/r', { sessionId: 'a' }));
    await storage.saveSession(new Context('r', '/r', { sessionId: 'b' }));
    const writes = Array.from({ length: 30 }, (_, i) => storage.appendFindings(i % 2 === 0 ? 'a' : 'b', [f(i)], { idempotencyKey: `k${i}` }));
    await Promise.all(writes);
    const fresh = new ContextStorage(dir);
    expect((await fresh.loadSession('a')).findings.all().map((x) => x.id).sort()).toEqual(Array.from({ length: 15 }, (_, i) => `f-${i * 2}`).sort());
    expect((await fresh.loadSession('b')).findings.size).toBe(15);
    // And every key came through with its batch.
    expect((await fresh.appendFindings('a', [f(0)], { idempotencyKey: 'k0' })).replayed).toBe(true);
  });

  it('lets an unused session go after openSessionIdleMs, and reads its file again on the next change', async () => {
    expect(() => new ContextStorage(dir, { openSessionIdleMs: 0 })).toThrow(ValidationError);
    expect(() => new ContextStorage(dir, { openSessionIdleMs: 1.5 })).toThrow(/openSessionIdleMs/);
    // The file is spoiled in place, keeping its inode, size and mtime: only a storage that reads it again can tell.
    // (Its mtime is first set to a whole second, which utimes can give back exactly, and the storage re-reads it once.)
    const whole = new Date(Math.floor(Date.now() / 1000) * 1000 - 5000);
    const spoil = async (path: string): Promise<void> => {
      const st = await stat(path);
      await writeFile(path, ' '.repeat(st.size));
      await utimes(path, whole, whole);
      expect((await stat(path)).mtimeMs).toBe(st.mtimeMs);
    };
    const run = async (id: string, idleMs: number): Promise<unknown> => {
      const storage = new ContextStorage(dir, { openSessionIdleMs: idleMs });
      await storage.saveSession(new Context('r', '/r', { sessionId: id }));
      await storage.appendFindings(id, [f(1)]);
      const path = storage.sessionFile('r', id);
      await utimes(path, whole, whole);
      // A change that changes nothing: the storage notices the new mtime, reads the file and keeps its stamp.
      await storage.updateSession(id, () => undefined);
      await spoil(path);
      await new Promise((r) => setTimeout(r, 80));
      return storage.appendFindings(id, [f(2)]).then(
        (r) => r.added,
        (e: unknown) => e,
      );
    };
    // Still held: the change goes to the copy in memory, and its rewrite mends the file.
    expect(await run('held', 60_000)).toBe(1);
    // Let go: the next change reads the file again, and finds it spoiled.
    expect(await run('let-go', 30)).toBeInstanceOf(ValidationError);
  });
});
