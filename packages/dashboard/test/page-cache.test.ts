/** The page cache: answers kept per stamp, misses shared, failures not kept, bounded in bytes. */
import { describe, expect, it } from 'vitest';
import { PageCache } from '../src/page-cache.js';

/** A make() that counts its calls and resolves when told. */
function deferred(body: string): { make: () => Promise<string>; calls: () => number; resolve: () => void; reject: (e: Error) => void } {
  let calls = 0;
  let res: (v: string) => void = () => undefined;
  let rej: (e: Error) => void = () => undefined;
  const p = new Promise<string>((r, j) => {
    res = r;
    rej = j;
  });
  return {
    make: () => {
      calls++;
      return p;
    },
    calls: () => calls,
    resolve: () => res(body),
    reject: (e) => rej(e),
  };
}

describe('page cache', () => {
  it('answers a key again under the same stamp, and makes it afresh under another', async () => {
    const c = new PageCache(1 << 20);
    let made = 0;
    const make = async () => `body ${++made}`;
    expect(await c.get('k', 's1', make)).toBe('body 1');
    expect(await c.get('k', 's1', make)).toBe('body 1');
    expect(await c.get('k', 's2', make)).toBe('body 2');
    // An older stamp is not answered from a newer entry either.
    expect(await c.get('k', 's1', make)).toBe('body 3');
    expect(await c.get('other', 's1', make)).toBe('body 4');
    expect(c.counts()).toEqual({ hits: 1, misses: 4 });
  });

  it('shares one making among concurrent misses of the same key and stamp, not of another stamp', async () => {
    const c = new PageCache(1 << 20);
    const d = deferred('shared');
    const asked = [c.get('k', 's1', d.make), c.get('k', 's1', d.make), c.get('k', 's1', d.make)];
    const newer = deferred('newer');
    const fresh = c.get('k', 's2', newer.make);
    expect(d.calls()).toBe(1);
    expect(newer.calls()).toBe(1);
    d.resolve();
    newer.resolve();
    expect(await Promise.all(asked)).toEqual(['shared', 'shared', 'shared']);
    expect(await fresh).toBe('newer');
    // The newer stamp's answer is the one kept.
    expect(await c.get('k', 's2', () => Promise.reject(new Error('not asked')))).toBe('newer');
  });

  it('keeps the newer answer when an older making finishes after it', async () => {
    const c = new PageCache(1 << 20);
    const old = deferred('old');
    const newer = deferred('newer');
    const a = c.get('k', 's1', old.make);
    const b = c.get('k', 's2', newer.make);
    newer.resolve();
    expect(await b).toBe('newer');
    old.resolve();
    expect(await a).toBe('old');
    expect(await c.get('k', 's2', () => Promise.reject(new Error('not asked')))).toBe('newer');
  });

  it('keeps nothing from a making that failed: each waiter gets the error, the next ask makes again', async () => {
    const c = new PageCache(1 << 20);
    const d = deferred('never');
    const asked = [c.get('k', 's1', d.make), c.get('k', 's1', d.make)];
    d.reject(new Error('database unavailable'));
    for (const r of await Promise.allSettled(asked)) expect(r).toMatchObject({ status: 'rejected', reason: { message: 'database unavailable' } });
    expect(await c.get('k', 's1', async () => 'made again')).toBe('made again');
  });

  it('stays within its bytes, dropping the least recently used, and keeps nothing at 0', async () => {
    const c = new PageCache(10_000);
    const body = 'x'.repeat(1000);
    for (let i = 0; i < 50; i++) await c.get(`k${i}`, 's', async () => body);
    expect(c.bytes).toBeGreaterThan(5000);
    expect(c.bytes).toBeLessThanOrEqual(10_000);
    let made = 0;
    await c.get('k0', 's', async () => `${++made}`);
    expect(made).toBe(1);
    await c.get('k49', 's', async () => `${++made}`);
    expect(made).toBe(1);
    // Larger than the whole cache: answered, not kept.
    const big = 'y'.repeat(20_000);
    expect(await c.get('big', 's', async () => big)).toBe(big);
    expect(await c.get('big', 's', async () => 'again')).toBe('again');

    const none = new PageCache(0);
    await none.get('k', 's', async () => 'a');
    expect(await none.get('k', 's', async () => 'b')).toBe('b');
    expect(none.bytes).toBe(0);
  });

  it('refuses a size that is not a whole number of bytes', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => new PageCache(bad)).toThrow(RangeError);
  });
});
