import { describe, expect, it } from 'vitest';
import { Context, FindingSet, createFinding } from '../src/index.js';

const input = { source: 'rhodibot', ruleId: 'r1', severity: 'warning', message: 'm' } as const;

function counter(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}

describe('finding ids from a caller-supplied generator', () => {
  it('createFinding takes its id from newId when the input has none', () => {
    expect(createFinding(input, { newId: () => 'fixed-1' }).id).toBe('fixed-1');
    expect(createFinding({ ...input, id: 'given' }, { newId: () => 'unused' }).id).toBe('given');
  });

  it('a FindingSet uses newId for add and addAll, on both the fast and the validating path', () => {
    const set = new FindingSet(undefined, { newId: counter('f-') });
    set.add(input);
    set.addAll([input, { ...input, metadata: { k: [1, 2] } }]);
    expect([...set].map((f) => f.id)).toEqual(['f-1', 'f-2', 'f-3']);
    expect(set.get('f-2')?.ruleId).toBe('r1');
  });

  it('without newId ids are random UUIDs', () => {
    const set = new FindingSet([input, input]);
    const [a, b] = [...set].map((f) => f.id);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });

  it('random ids stay distinct version 4 UUIDs across the generator\'s batches', () => {
    const ids = Array.from({ length: 30_000 }, () => createFinding(input).id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('two contexts with the same session id, clock and generator serialise identically', () => {
    const make = (): string => {
      const ctx = new Context('repo', '/repo', { sessionId: 's-1', now: () => 1_767_225_600_000, newId: counter('id-') });
      ctx.registerAllBots();
      ctx.startBot('rhodibot');
      ctx.addFindings([input, { ...input, severity: 'error' }]);
      ctx.addFinding(input);
      ctx.completeBot('rhodibot', { findings: 3, errors: 1, files: 2 });
      return JSON.stringify(ctx);
    };
    const first = make();
    expect(make()).toBe(first);
    expect(first).toContain('"id":"id-3"');
  });

  it('an explicit id that repeats one from the generator is still rejected', () => {
    const set = new FindingSet([input], { newId: () => 'same' });
    expect(() => set.add({ ...input, id: 'same' })).toThrow(/same/);
  });
});
