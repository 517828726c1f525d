/** The file storage's group commit: N concurrent changes cost at most two rewrites, and none is acknowledged early. */
import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../src/storage/group-commit.js';

describe('group commit', () => {
  it('never acknowledges a request before a save that started after it, and shares saves', async () => {
    let started = 0;
    let finished = 0;
    const gate: Array<() => void> = [];
    const gc = new GroupCommit(async () => {
      started++;
      await new Promise<void>((r) => gate.push(r));
      finished++;
    });
    const a = gc.request(); // save 1 starts
    const b = gc.request(); // joins the queued save 2
    const c = gc.request(); // joins save 2 as well
    expect(started).toBe(1);
    let bDone = false;
    void b.then(() => (bDone = true));
    gate.shift()!();
    await a;
    expect(finished).toBe(1);
    expect(bDone).toBe(false);
    await new Promise((r) => setImmediate(r));
    expect(started).toBe(2);
    gate.shift()!();
    await Promise.all([b, c]);
    expect(finished).toBe(2);
    expect(gc.busy).toBe(false);
  });

  it('passes a failed save to its waiters and recovers for the next request', async () => {
    let fail = true;
    const gc = new GroupCommit(async () => {
      if (fail) throw new Error('disk full');
    });
    await expect(gc.request()).rejects.toThrow('disk full');
    fail = false;
    await expect(gc.request()).resolves.toBeUndefined();
  });
});
