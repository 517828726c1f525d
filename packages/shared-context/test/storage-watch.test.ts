/**
 * The file storage's watch of other processes' writes, on the real file
 * system: every write of another storage object is told (also after many
 * atomic replaces of the same file, and in repository directories made after
 * the watch began), deletes are told, and this object's own writes are not
 * told as another's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Context, ContextStorage } from '../src/index.js';
import type { FindingInput, StorageEvent } from '../src/index.js';

let dir: string;
let stops: Array<() => Promise<void>> = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetkit-watch-'));
});
afterEach(async () => {
  for (const stop of stops) await stop();
  stops = [];
  await rm(dir, { recursive: true, force: true });
});

const f = (i: number): FindingInput => ({ source: 'rhodibot', ruleId: 'r', severity: 'warning', message: `m ${i}` });
const WAIT = { timeout: 10_000, interval: 20 };

/** A storage object watching `dir`, with the events it was told. */
async function watching(): Promise<{ storage: ContextStorage; events: StorageEvent[] }> {
  const storage = new ContextStorage(dir);
  const events: StorageEvent[] = [];
  stops.push(await storage.watch((e) => events.push(e)));
  return { storage, events };
}

const foreign = (events: readonly StorageEvent[], sessionId: string, kind: 'replaced' | 'deleted'): number => events.filter((e) => e.kind === kind && 'sessionId' in e && e.sessionId === sessionId).length;

describe('ContextStorage watch', () => {
  it("tells every append of another process, however often the file was replaced, in a repository made after the watch began", async () => {
    const { events } = await watching();
    const other = new ContextStorage(dir);
    await other.saveSession(new Context('late-repo', '/r', { sessionId: 's-1' }));
    await expect.poll(() => foreign(events, 's-1', 'replaced'), WAIT).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 8; i++) {
      const before = foreign(events, 's-1', 'replaced');
      await other.appendFindings('s-1', [f(i)]);
      // Each write is told (Node's recursive watch on Linux loses a file after a few atomic replaces).
      await expect.poll(() => foreign(events, 's-1', 'replaced'), WAIT).toBeGreaterThan(before);
    }
    await other.deleteSession('s-1');
    await expect.poll(() => foreign(events, 's-1', 'deleted'), WAIT).toBeGreaterThanOrEqual(1);
  });

  it('tells writes to a session that was stored before the watch began', async () => {
    const other = new ContextStorage(dir);
    await other.saveSession(new Context('r', '/r', { sessionId: 's-2' }));
    const { events } = await watching();
    for (let i = 0; i < 4; i++) {
      const before = foreign(events, 's-2', 'replaced');
      await other.appendFindings('s-2', [f(i)]);
      await expect.poll(() => foreign(events, 's-2', 'replaced'), WAIT).toBeGreaterThan(before);
    }
  });

  it("does not tell its own appends as another process's writes", async () => {
    const { storage, events } = await watching();
    await storage.saveSession(new Context('r', '/r', { sessionId: 's-3' }));
    for (let i = 0; i < 5; i++) await storage.appendFindings('s-3', [f(i)]);
    // Then another process writes: once that is told, everything before it has been checked too.
    await new ContextStorage(dir).updateSession('s-3', (c) => c.setData('by', 'other'));
    await expect.poll(() => foreign(events, 's-3', 'replaced'), WAIT).toBeGreaterThanOrEqual(2);
    // The save (told by the storage itself) and the other process's write: none of the five appends.
    expect(events.filter((e) => e.kind === 'findings')).toHaveLength(5);
    expect(foreign(events, 's-3', 'replaced')).toBe(2);
  });

  it('tells writes in a repository directory removed and made again while watched', async () => {
    const { events } = await watching();
    const other = new ContextStorage(dir);
    await other.saveSession(new Context('swap', '/r', { sessionId: 's-4' }));
    await expect.poll(() => foreign(events, 's-4', 'replaced'), WAIT).toBeGreaterThanOrEqual(1);
    await rm(dirname(other.sessionFile('swap', 's-4')), { recursive: true, force: true });
    await expect.poll(() => foreign(events, 's-4', 'deleted'), WAIT).toBeGreaterThanOrEqual(1);
    // A new directory of the same name: a watch of the old one would hear nothing.
    const again = new ContextStorage(dir);
    await again.saveSession(new Context('swap', '/r', { sessionId: 's-5' }));
    for (let i = 0; i < 4; i++) {
      const before = foreign(events, 's-5', 'replaced');
      await again.appendFindings('s-5', [f(i)]);
      await expect.poll(() => foreign(events, 's-5', 'replaced'), WAIT).toBeGreaterThan(before);
    }
  });

  it('tells a session deleted in a directory removed whole, though nothing wrote to it since the watch began', async () => {
    const other = new ContextStorage(dir);
    await other.saveSession(new Context('old-repo', '/r', { sessionId: 's-6' }));
    const { events } = await watching();
    await rm(dirname(other.sessionFile('old-repo', 's-6')), { recursive: true, force: true });
    await expect.poll(() => foreign(events, 's-6', 'deleted'), WAIT).toBeGreaterThanOrEqual(1);
  });
});
