import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Context, contextJSONChunks } from '../src/index.js';

describe('contextJSONChunks', () => {
  it('joins to exactly JSON.stringify of the session, whatever its findings, bots and data', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2500 }), fc.boolean(), fc.boolean(), (n, withData, completed) => {
        const ctx = new Context('acme/web', '/repo');
        ctx.registerBot('rhodibot');
        ctx.startBot('rhodibot');
        ctx.addFindings(Array.from({ length: n }, (_, i) => ({ source: 'rhodibot', ruleId: `R${i % 7}`, severity: 'warning' as const, message: `m "${i}" \u2028`, file: i % 3 === 0 ? undefined : `src/${i}.ts`, line: i + 1, metadata: { i, nested: { k: [i] } } })));
        ctx.completeBot('rhodibot', { findings: n, errors: 0, files: 0 });
        if (withData) ctx.setData('fleet.run', { status: 'completed', list: [1, 'two'] });
        if (completed) ctx.completeSession();
        const chunks = [...contextJSONChunks(ctx)];
        expect(chunks.join('')).toBe(JSON.stringify(ctx));
        expect(chunks.length).toBe(2 + Math.ceil(n / 1000));
        expect([...contextJSONChunks(ctx, { ingestBatches: [{ key: 'k' }] })].join('')).toBe(JSON.stringify({ ...ctx.toJSON(), ingestBatches: [{ key: 'k' }] }));
      }),
      { numRuns: 12 },
    );
  });
});
