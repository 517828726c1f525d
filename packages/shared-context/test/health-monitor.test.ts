import { afterEach, describe, expect, it, vi } from 'vitest';
import { Context, ValidationError, startHealthMonitor } from '../src/index.js';
import type { FleetHealth } from '../src/index.js';

afterEach(() => {
  vi.useRealTimers();
});

function fleet(): Context {
  const ctx = new Context('repo', '/repo', { healthTtlMs: 0 });
  ctx.registerBot('rhodibot');
  ctx.registerBot('echidnabot');
  return ctx;
}

describe('startHealthMonitor', () => {
  it('reports the first result, then only changes of status, score or alerts', async () => {
    vi.useFakeTimers();
    const ctx = fleet();
    const seen: FleetHealth[] = [];
    const monitor = startHealthMonitor(ctx, { intervalMs: 1000, onChange: (h) => void seen.push(h) });
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5000);
    expect(seen).toHaveLength(1); // time passes, nothing changes
    ctx.startBot('rhodibot');
    ctx.failBot('rhodibot', 'boom');
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen).toHaveLength(2);
    expect(seen[1]?.alerts.map((a) => a.category)).toEqual(['bot_failure']);
    await monitor.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never overlaps checks: the next starts only after a slow onChange finished', async () => {
    vi.useFakeTimers();
    const ctx = fleet();
    let active = 0;
    let maxActive = 0;
    let calls = 0;
    const monitor = startHealthMonitor(ctx, {
      intervalMs: 10,
      onChange: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        calls++;
        await new Promise((r) => setTimeout(r, 50));
        active--;
      },
    });
    for (let i = 0; i < 20; i++) {
      ctx.setData('tick', i); // changes the version, not the health signature
      if (i % 5 === 0) ctx.addFinding({ source: 'rhodibot', ruleId: 'r', severity: 'error', message: `m${i}` });
      await vi.advanceTimersByTimeAsync(15);
    }
    await monitor.stop();
    expect(maxActive).toBe(1);
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps going after an error in onChange and reports it', async () => {
    vi.useFakeTimers();
    const ctx = fleet();
    const errors: unknown[] = [];
    let n = 0;
    const monitor = startHealthMonitor(ctx, {
      intervalMs: 100,
      onChange: () => {
        n++;
        throw new Error('listener broke');
      },
      onError: (e) => errors.push(e),
    });
    await vi.advanceTimersByTimeAsync(0);
    ctx.startBot('rhodibot');
    ctx.failBot('rhodibot', 'x');
    await vi.advanceTimersByTimeAsync(100);
    await monitor.stop();
    expect(n).toBe(2);
    expect(errors).toHaveLength(2);
  });

  it('rejects a bad interval', () => {
    expect(() => startHealthMonitor(fleet(), { intervalMs: 0, onChange: () => undefined })).toThrow(ValidationError);
    expect(() => startHealthMonitor(fleet(), { intervalMs: Number.NaN, onChange: () => undefined })).toThrow(ValidationError);
  });
});
