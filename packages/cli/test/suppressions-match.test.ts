import { createFinding, findingFingerprint } from '@fleetkit/shared-context';
import { describe, expect, it } from 'vitest';
import { globMatcher } from '../src/glob-match.js';
import { applySuppressions, expiresAt, SuppressionsFileSchema } from '../src/suppressions.js';
import type { Suppression } from '../src/suppressions.js';

describe('suppression path globs', () => {
  it.each([
    ['tests/**', 'tests/a.rs', true],
    ['tests/**', 'tests/deep/er/a.rs', true],
    ['tests/**', 'src/tests/a.rs', false],
    ['**/*.rs', 'a.rs', true],
    ['**/*.rs', 'x/y/a.rs', true],
    ['src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/x/a.ts', false],
    ['src/?.ts', 'src/a.ts', true],
    ['src/a.(ts)', 'src/a.(ts)', true],
    ['src/a.ts', 'src/aXts', false],
  ])('%s matches %s: %s', (glob, file, expected) => {
    expect(globMatcher(glob)(file)).toBe(expected);
  });
});

describe('applying suppressions', () => {
  const f = createFinding({ source: 'panicbot', ruleId: 'unwrap', severity: 'error', message: 'unwrap', file: 'tests/a.rs', line: 2 });
  const g = createFinding({ source: 'glambot', ruleId: 'unwrap', severity: 'error', message: 'unwrap', file: 'src/a.rs', line: 2 });
  const entry = (e: Partial<Suppression>): Suppression => ({ justification: 'because', ...e }) as Suppression;

  it('matches by rule, bot and glob, and stops applying after the expiry day', () => {
    const day = Date.parse('2026-03-01T12:00:00Z');
    const entries = [entry({ rule: 'unwrap', path: 'tests/**', expires: '2026-03-01' }), entry({ rule: 'unwrap', source: 'panicbot' })];
    expect([...applySuppressions([f, g], entries.slice(0, 1), day).suppressed.keys()]).toEqual([f.id]);
    expect(applySuppressions([f, g], entries.slice(0, 1), day + 86_400_000).expired).toHaveLength(1);
    expect([...applySuppressions([f, g], entries.slice(1), day).suppressed.keys()]).toEqual([f.id]);
    expect(expiresAt(entry({ expires: '2026-03-01T10:00:00Z' }))).toBe(Date.parse('2026-03-01T10:00:00Z'));
  });

  it('requires a justification and a fingerprint or a rule', () => {
    expect(SuppressionsFileSchema.safeParse({ suppressions: [{ rule: 'x', justification: '  ' }] }).success).toBe(false);
    expect(SuppressionsFileSchema.safeParse({ suppressions: [{ path: 'a/**', justification: 'j' }] }).success).toBe(false);
    expect(SuppressionsFileSchema.safeParse({ suppressions: [{ fingerprint: 'abc', justification: 'j' }] }).success).toBe(false);
    expect(SuppressionsFileSchema.safeParse({ suppressions: [{ rule: 'x', justification: 'j', expires: 'soon' }] }).success).toBe(false);
    expect(SuppressionsFileSchema.safeParse({ suppressions: [{ rule: 'x', justification: 'j', expires: '2026-01-01' }] }).success).toBe(true);
  });

  describe('repeats of one fingerprint', () => {
    const repeat = (line: number) => createFinding({ source: 'panicbot', ruleId: 'unwrap_without_check', severity: 'error', message: 'unwrap() without a check', file: 'src/lib.rs', line });
    const head = [repeat(180), repeat(103), repeat(140)];
    const fingerprint = findingFingerprint(head[0] as ReturnType<typeof repeat>);

    it('one fingerprint entry covers every occurrence by default', () => {
      const r = applySuppressions(head, [entry({ fingerprint })], 0);
      expect(r.suppressed.size).toBe(3);
      expect(r.overLimit).toEqual([]);
    });

    it('an entry with occurrences: N covers the N lowest-lined ones and lists the rest as over its limit', () => {
      const limited = entry({ fingerprint, occurrences: 1 });
      const r = applySuppressions(head, [limited], 0);
      expect(head.filter((f) => r.suppressed.has(f.id)).map((f) => f.line)).toEqual([103]);
      expect(r.overLimit).toEqual([{ entry: limited, matched: 3, uncovered: [head[2]?.id, head[0]?.id] }]);
      const two = applySuppressions(head, [entry({ fingerprint, occurrences: 3 })], 0);
      expect([two.suppressed.size, two.overLimit.length]).toEqual([3, 0]);
    });

    it('rejects an occurrences count that is not a whole number of 1 or more', () => {
      for (const occurrences of [0, -1, 1.5, '2']) {
        expect(SuppressionsFileSchema.safeParse({ suppressions: [{ fingerprint, justification: 'j', occurrences }] }).success, String(occurrences)).toBe(false);
      }
      expect(SuppressionsFileSchema.safeParse({ suppressions: [{ fingerprint, justification: 'j', occurrences: 2 }] }).success).toBe(true);
    });
  });
});
