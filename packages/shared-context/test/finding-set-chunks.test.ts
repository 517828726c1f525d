import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNK, joinChunks, pushChunked } from '../src/findings/append-chunks.js';
import { FindingSet } from '../src/index.js';
import type { FindingInput } from '../src/index.js';

describe('the chunks of the list of all findings', () => {
  it('hold every item in order and count them, across any number of chunks (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 * CHUNK + 5 }), fc.integer({ min: 0, max: 20 }), (n, headLength) => {
        const head = Array.from({ length: headLength }, (_, i) => -1 - i);
        let chunks: number[][] | undefined;
        for (let i = 0; i < n; i++) chunks = pushChunked(chunks, i);
        if (n === 0) {
          expect(chunks).toBeUndefined();
          return;
        }
        // Full chunks but the last.
        expect(chunks!.slice(0, -1).every((c) => c.length === CHUNK)).toBe(true);
        expect(chunks!.at(-1)!.length).toBeGreaterThan(0);
        expect(chunks!.at(-1)!.length).toBeLessThanOrEqual(CHUNK);
        const joined = joinChunks(head, chunks!);
        expect(joined).toHaveLength(headLength + n);
        expect(joined.slice(0, headLength)).toEqual(head);
        for (let i = 0; i < n; i++) if (joined[headLength + i] !== i) expect(joined[headLength + i]).toBe(i);
      }),
      { numRuns: 40 },
    );
  });
});

describe('FindingSet past the first chunk', () => {
  const input = (i: number): FindingInput => ({ source: i % 2 === 0 ? 'rhodibot' : 'glambot', ruleId: `r${i}`, severity: i % 3 === 0 ? 'error' : 'info', message: `m${i}` });

  it('keeps 10,000 findings added one at a time in order, whether read before, between or after the adds', () => {
    const unread = new FindingSet();
    const readEarly = new FindingSet();
    const readBetween = new FindingSet();
    const early = readEarly.all();
    const errorsEarly = readEarly.errors();
    let between: readonly unknown[] = [];
    for (let i = 0; i < 10_000; i++) {
      unread.add(input(i));
      readEarly.add(input(i));
      readBetween.add(input(i));
      if (i === 6000) {
        expect(unread.size).toBe(6001);
        between = readBetween.all();
        expect(between).toHaveLength(6001);
      }
    }
    for (const set of [unread, readEarly, readBetween]) {
      expect(set.size).toBe(10_000);
      expect(set.all().map((f) => f.ruleId)).toEqual(Array.from({ length: 10_000 }, (_, i) => `r${i}`));
      expect([...set]).toHaveLength(10_000);
      expect(set.bySource('glambot')).toHaveLength(5000);
      expect(set.errors()).toHaveLength(3334);
      expect(set.countBySource()).toEqual({ rhodibot: 5000, glambot: 5000 });
      expect(set.get(set.all()[9999]!.id)).toBe(set.all()[9999]);
    }
    // Lists handed out before later adds are the set's own and have those adds too.
    expect(early).toBe(readEarly.all());
    expect(errorsEarly).toBe(readEarly.errors());
    expect(between).toBe(readBetween.all());
  });

  it('marks a finding fixed and keeps unfixed right when the list is still in chunks', () => {
    const set = new FindingSet();
    for (let i = 0; i < CHUNK + 10; i++) set.add(input(i));
    set.add({ ...input(99_999), fixed: true });
    expect(set.unfixed()).toHaveLength(CHUNK + 10);
    expect(set.size).toBe(CHUNK + 11);
    const last = set.all()[CHUNK + 5]!;
    expect(set.markFixed(last.id)).toBe(true);
    expect(set.unfixed()).toHaveLength(CHUNK + 9);
    expect(set.fixedCount()).toBe(2);
  });
});
