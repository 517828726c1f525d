/**
 * A change the storage stored but this replica could not take in (the
 * storage went away right after the commit): the copy held turns stale. It
 * is never answered from, and it is read again by itself once the storage is
 * back, with a reset so live clients start again from a snapshot.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContextStorage, StorageUnavailableError } from '@fleetkit/shared-context';
import type { SessionStorage } from '@fleetkit/shared-context';
import { SessionStore } from '../src/store.js';
import type { StoreEvent } from '../src/store.js';

/** The real file storage, whose reads can be made to fail as an unreachable database's would. */
function withFailingReads(storage: ContextStorage): { storage: SessionStorage; fail(on: boolean): void } {
  let failing = false;
  const unavailable = (): never => {
    throw new StorageUnavailableError(storage.location, 'reads refused by the test');
  };
  const wrapped = new Proxy(storage, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      if (key === 'loadSession' || key === 'queryFindings') {
        return (...args: unknown[]) => (failing ? Promise.reject(unavailable()) : (value as (...a: unknown[]) => unknown).apply(target, args));
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
  return { storage: wrapped, fail: (on) => (failing = on) };
}

describe('a stored change this replica could not apply', () => {
  let dir: string;
  let store: SessionStore;
  let faults: ReturnType<typeof withFailingReads>;
  const events: StoreEvent[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleetkit-stale-'));
    faults = withFailingReads(new ContextStorage(dir));
    store = new SessionStore(faults.storage, { maxCached: 10, healthTtlMs: 0 });
    store.subscribe((e) => events.push(e));
    events.length = 0;
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is never answered from, and is read again by itself with a reset once the storage is back', async () => {
    const ctx = await store.create('fleet/stale', '/src/fleet/stale');
    const id = ctx.sessionId;
    faults.fail(true);
    // Stored (the append itself works); taking it in here fails.
    const result = await store.appendFindings(id, [
      { id: 'f-1', source: 'rhodibot', ruleId: 'r-1', severity: 'error', message: 'stored, not yet here', category: 'security', file: 'src/a.ts', line: 1 },
    ]);
    expect(result.added).toBe(1);
    await expect(store.get(id)).rejects.toBeInstanceOf(StorageUnavailableError);
    const before = events.length;

    faults.fail(false);
    await expect
      .poll(() => events.slice(before).some((e) => e.type === 'loaded' && e.reset && e.sessionId === id), { timeout: 10_000, interval: 50 })
      .toBe(true);
    const now = await store.whole(id);
    expect(now.findings.has('f-1')).toBe(true);
    expect(now.findings.size).toBe(1);
  });

  it('takes later changes in as usual once it has been read again', async () => {
    const id = (await store.create('fleet/stale', '/src/fleet/stale')).sessionId;
    faults.fail(true);
    await store.appendFindings(id, [{ id: 'f-1', source: 'rhodibot', ruleId: 'r-1', severity: 'error', message: 'one', category: 'c', file: 'a.ts', line: 1 }]);
    faults.fail(false);
    expect((await store.get(id)).findings.size).toBe(1);
    await store.appendFindings(id, [{ id: 'f-2', source: 'rhodibot', ruleId: 'r-1', severity: 'error', message: 'two', category: 'c', file: 'a.ts', line: 2 }]);
    const held = await store.whole(id);
    expect(held.findings.all().map((f) => f.id)).toEqual(['f-1', 'f-2']);
  });
});
