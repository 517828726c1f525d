import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFinding, dedupeFindings, importFindings, sightingsOf } from '../src/index.js';

const findingArb = fc.record({
  source: fc.constantFrom('rhodibot', 'panicbot'),
  ruleId: fc.constantFrom('a', 'b'),
  severity: fc.constantFrom('error' as const, 'warning' as const),
  message: fc.constantFrom('found 1 thing', 'found 2 things', 'Found 1   thing', 'other'),
  file: fc.constantFrom('x.ts', 'y.ts'),
  line: fc.integer({ min: 1, max: 3 }),
  repo: fc.option(fc.constantFrom('r1', 'r2'), { nil: undefined }),
});

describe('de-duplication on import', () => {
  it('keeps the total number of sightings, merges only equal keys and is idempotent', () => {
    fc.assert(
      fc.property(fc.array(findingArb, { maxLength: 40 }), (inputs) => {
        const findings = inputs.map(({ repo, ...f }) => createFinding({ ...f, metadata: repo === undefined ? {} : { repo } }));
        const once = dedupeFindings(findings);
        const total = (list: typeof findings): number => list.reduce((n, f) => n + sightingsOf(f), 0);
        expect(total(once)).toBe(findings.length);
        const keys = new Set(inputs.map((i) => JSON.stringify([i.source, i.ruleId, i.file, i.line, i.message.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' '), i.repo])));
        expect(once.length).toBe(keys.size);
        const twice = dedupeFindings(once);
        expect(twice.map((f) => [f.id, sightingsOf(f)])).toEqual(once.map((f) => [f.id, sightingsOf(f)]));
      }),
    );
  });

  it('counts a finding submitted twice once, with two sightings, unless dedupe is off', () => {
    const record = { severity: 'high', type: 'unsafe_panic', pattern: 'unwrap', file: 'a.rs', line: 3 };
    const input = { submission_metadata: { scanner: 'hypatia', repo: 'acme' }, findings: [record, { ...record }] };
    const r = importFindings(input);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]?.metadata.sightings).toBe(2);
    expect(r.findings[0]?.metadata.repo).toBe('acme');
    expect(importFindings(input, { dedupe: false }).findings).toHaveLength(2);
  });
});
