import { describe, expect, it } from 'vitest';
import { liveDelta } from '../src/live-state.js';
import type { LiveState } from '../src/live-state.js';
import { SseParser } from '../src/sse.js';
import type { SseMessage } from '../src/sse.js';
import fc from 'fast-check';

describe('SSE parser', () => {
  it('parses events however the stream is split (property)', () => {
    const wire = 'retry: 2000\nid: 1\nevent: snapshot\ndata: {"a":1}\n\n: heartbeat\n\nid: 2\nevent: update\ndata: line1\ndata: line2\n\r\ndata: plain\r\n\r\n';
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: wire.length - 1 }), { maxLength: 10 }), (cuts) => {
        const out: SseMessage[] = [];
        let retry = 0;
        const p = new SseParser((m) => out.push(m), (ms) => (retry = ms));
        const points = [...new Set(cuts)].sort((x, y) => x - y);
        let prev = 0;
        for (const c of [...points, wire.length]) {
          p.push(wire.slice(prev, c));
          prev = c;
        }
        expect(retry).toBe(2000);
        expect(out).toEqual([
          { event: 'snapshot', data: '{"a":1}', id: '1' },
          { event: 'update', data: 'line1\nline2', id: '2' },
          { event: 'message', data: 'plain', id: '2' },
        ]);
      }),
    );
  });
});

describe('live delta', () => {
  const base: LiveState = {
    sessionId: 's',
    version: 1,
    completed: false,
    health: { status: 'healthy', score: 100, alerts: [] },
    bots: { a: { status: 'pending', durationMs: null }, b: { status: 'running', durationMs: null } },
    findings: { total: 0, fixed: 0, bySeverity: { error: 0, warning: 0, info: 0, suggestion: 0 } },
  };

  it('is empty when nothing a client shows changed', () => {
    expect(liveDelta(base, { ...base, version: 2 })).toBeUndefined();
  });

  it('carries only the bots that moved, and the parts that changed', () => {
    const next: LiveState = { ...base, version: 3, bots: { ...base.bots, b: { status: 'completed', durationMs: 12 } }, findings: { ...base.findings, total: 1, bySeverity: { ...base.findings.bySeverity, info: 1 } } };
    expect(liveDelta(base, next)).toEqual({ sessionId: 's', version: 3, bots: { b: { status: 'completed', durationMs: 12 } }, findings: next.findings });
  });

  it('reports new alerts even when status and score stay', () => {
    const alert = { severity: 'warning' as const, category: 'slow_execution' as const, message: 'slow', bot: 'a', timestamp: 't' };
    const next: LiveState = { ...base, health: { ...base.health, alerts: [alert] } };
    expect(liveDelta(base, next)?.health?.alerts).toEqual([alert]);
    // A new timestamp on the same alert is not a change.
    expect(liveDelta(next, { ...next, health: { ...next.health, alerts: [{ ...alert, timestamp: 'u' }] } })).toBeUndefined();
  });
});
