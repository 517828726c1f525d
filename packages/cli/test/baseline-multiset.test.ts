import { createFinding, findingFingerprint } from '@fleetkit/shared-context';
import type { Finding } from '@fleetkit/shared-context';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareWithBaseline } from '../src/baseline.js';

/** One finding of rule `rule` in `file` at `line` (no line when undefined); same rule and file ⇒ same fingerprint. */
const at = (line: number | undefined, rule = 'unwrap_without_check', file = 'src/lib.rs'): Finding =>
  createFinding({ source: 'panicbot', ruleId: rule, severity: 'error', message: `${rule} here`, file, ...(line === undefined ? {} : { line }) });

const linesOf = (fs: Iterable<Finding>): (number | undefined)[] => [...fs].map((f) => f.line);

function newLines(head: readonly Finding[], base: readonly Finding[]): (number | undefined)[] {
  const r = compareWithBaseline(head, base);
  return head.filter((f) => r.newIds.has(f.id)).map((f) => f.line);
}

describe('baseline comparison counts occurrences of a fingerprint', () => {
  const counts = [0, 1, 2, 3];
  it.each(counts.flatMap((k) => counts.map((m) => [k, m] as const)))('k = %i in the baseline, m = %i in head', (k, m) => {
    const base = Array.from({ length: k }, (_, i) => at(10 + 20 * i));
    const head = Array.from({ length: m }, (_, i) => at(12 + 20 * i));
    const r = compareWithBaseline(head, base);
    expect(r.newIds.size).toBe(Math.max(0, m - k));
    expect(r.absent).toHaveLength(Math.max(0, k - m));
    expect(r.unchanged).toBe(Math.min(k, m));
    expect(r.matches.size).toBe(Math.min(k, m));
  });

  it('reports as new the repeats farthest from the baseline occurrences (the gate case: 100 → 103, 140, 180)', () => {
    expect(newLines([at(103), at(140), at(180)], [at(100)])).toEqual([140, 180]);
    expect(newLines([at(180), at(103), at(140)], [at(100)])).toEqual([180, 140]); // order of input does not matter
    expect(newLines([at(12), at(52), at(90)], [at(10), at(50)])).toEqual([90]);
    expect(newLines([at(5), at(52), at(90)], [at(50), at(88)])).toEqual([5]);
  });

  it('pairs moved findings with their old selves and lists the right baseline ones as absent', () => {
    const base = [at(10), at(50), at(90)];
    const r = compareWithBaseline([at(48)], base);
    expect(linesOf(r.absent).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([10, 90]);
    expect(linesOf(r.matches.values())).toEqual([50]);
    // Everything shifted down by 30 lines (code added above): all unchanged, nothing new or absent.
    const shifted = compareWithBaseline(base.map((f) => at((f.line ?? 0) + 30)), base);
    expect([shifted.newIds.size, shifted.unchanged, shifted.absent.length]).toEqual([0, 3, 0]);
  });

  it('keeps fingerprints apart: each is counted against its own baseline occurrences', () => {
    const base = [at(1, 'a'), at(2, 'a'), at(3, 'b'), at(4, 'c', 'src/x.rs')];
    const head = [at(1, 'a'), at(3, 'b'), at(9, 'b'), at(4, 'c', 'src/y.rs'), at(5, 'd')];
    const r = compareWithBaseline(head, base);
    expect(head.filter((f) => r.newIds.has(f.id)).map((f) => `${f.ruleId}:${f.file}:${f.line}`)).toEqual(['b:src/lib.rs:9', 'c:src/y.rs:4', 'd:src/lib.rs:5']);
    expect(r.absent.map((f) => `${f.ruleId}:${f.file}:${f.line}`)).toEqual(['a:src/lib.rs:2', 'c:src/x.rs:4']);
    expect(r.unchanged).toBe(2);
  });

  it('pairs findings without a line with each other before pairing them with lined ones', () => {
    expect(newLines([at(undefined), at(7)], [at(undefined)])).toEqual([7]);
    expect(newLines([at(undefined), at(7)], [at(9)])).toEqual([undefined]);
  });

  it('pairs a large unchanged group optimally when a few findings were added', () => {
    const base = Array.from({ length: 5000 }, (_, i) => at(2 * i + 2));
    const head = [...Array.from({ length: 5000 }, (_, i) => at(2 * i + 1)), at(100_000)];
    const r = compareWithBaseline(head, base);
    expect(linesOf(head.filter((f) => r.newIds.has(f.id)))).toEqual([100_000]);
    expect(r.absent).toEqual([]);
    const lineById = new Map(head.map((f) => [f.id, f.line ?? 0]));
    for (const [id, b] of r.matches) expect(Math.abs((lineById.get(id) ?? 0) - (b.line ?? 0))).toBe(1);
  });

  it('keeps exact counts in groups too large for the optimal pairing', () => {
    // 2,000 × (4,001 − 2,000 + 1) cells is over the optimal pairing's limit: the linear pairing takes over.
    const base = Array.from({ length: 2000 }, (_, i) => at(4 * i + 2));
    const head = Array.from({ length: 4001 }, (_, i) => at(2 * i + 1));
    const r = compareWithBaseline(head, base);
    expect([r.newIds.size, r.unchanged, r.absent.length]).toEqual([2001, 2000, 0]);
    expect(new Set(r.matches.values()).size).toBe(2000);
    for (const id of r.matches.keys()) expect(r.newIds.has(id)).toBe(false);
  });
});

/** Least total line distance over all ways to pair min(|a|, |b|) items: brute force, for small groups. */
function bruteForceCost(a: readonly number[], b: readonly number[]): number {
  const [few, many] = a.length <= b.length ? [a, b] : [b, a];
  const best = (i: number, used: number): number => {
    if (i === few.length) return 0;
    let min = Infinity;
    for (let j = 0; j < many.length; j++) {
      if ((used & (1 << j)) === 0) min = Math.min(min, Math.abs((few[i] as number) - (many[j] as number)) + best(i + 1, used | (1 << j)));
    }
    return min;
  };
  return best(0, 0);
}

describe('baseline comparison properties', () => {
  const finding = fc.record({ rule: fc.constantFrom('a', 'b', 'c'), file: fc.constantFrom('x.rs', 'y.rs'), line: fc.integer({ min: 1, max: 60 }) });
  const findings = fc.array(finding, { maxLength: 14 }).map((xs) => xs.map((x) => at(x.line, x.rule, x.file)));

  it('new − absent = m − k for every fingerprint, and every finding is either paired or new/absent, once', () => {
    fc.assert(
      fc.property(findings, findings, (head, base) => {
        const r = compareWithBaseline(head, base);
        const count = (fs: Iterable<Finding>): Map<string, number> => {
          const m = new Map<string, number>();
          for (const f of fs) m.set(findingFingerprint(f), (m.get(findingFingerprint(f)) ?? 0) + 1);
          return m;
        };
        const k = count(base);
        const m = count(head);
        const fresh = count(head.filter((f) => r.newIds.has(f.id)));
        const gone = count(r.absent);
        for (const fp of new Set([...k.keys(), ...m.keys()])) {
          expect((fresh.get(fp) ?? 0) - (gone.get(fp) ?? 0)).toBe((m.get(fp) ?? 0) - (k.get(fp) ?? 0));
          expect(fresh.get(fp) ?? 0).toBe(Math.max(0, (m.get(fp) ?? 0) - (k.get(fp) ?? 0)));
        }
        // A partition: head = new ⊎ paired, baseline = absent ⊎ partners; partners share the fingerprint.
        expect(r.newIds.size + r.matches.size).toBe(head.length);
        for (const id of r.matches.keys()) expect(r.newIds.has(id)).toBe(false);
        const partners = [...r.matches.values()];
        expect(new Set(partners).size).toBe(partners.length);
        expect(new Set([...partners, ...r.absent]).size).toBe(base.length);
        for (const [id, b] of r.matches) expect(findingFingerprint(head.find((f) => f.id === id) as Finding)).toBe(findingFingerprint(b));
      }),
      { numRuns: 300 },
    );
  });

  it('pairs each fingerprint group with the least total line distance', () => {
    const lines = fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 6 });
    fc.assert(
      fc.property(lines, lines, (h, b) => {
        const head = h.map((l) => at(l));
        const r = compareWithBaseline(head, b.map((l) => at(l)));
        const cost = [...r.matches].reduce((sum, [id, partner]) => sum + Math.abs((head.find((f) => f.id === id)?.line ?? 0) - (partner.line ?? 0)), 0);
        expect(cost).toBe(bruteForceCost(h, b));
      }),
      { numRuns: 300 },
    );
  });
});
