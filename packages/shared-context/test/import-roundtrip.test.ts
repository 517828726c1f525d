import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Context, generateReport, importFindings } from '../src/index.js';
import type { Finding, FindingInput } from '../src/index.js';

const findingArb: fc.Arbitrary<FindingInput> = fc.record(
  {
    source: fc.constantFrom('rhodibot', 'panicbot', 'my-linter', 'glambot'),
    ruleId: fc.stringMatching(/^[a-z][a-z0-9/-]{0,15}$/),
    ruleName: fc.string({ minLength: 1, maxLength: 20 }),
    severity: fc.constantFrom('error' as const, 'warning' as const, 'info' as const, 'suggestion' as const),
    // SARIF needs a message with text: the reporter writes the rule name for a blank one, so blank ones cannot round-trip.
    message: fc.string({ minLength: 1, maxLength: 60 }).filter((m) => m.trim() !== ''),
    category: fc.constantFrom('', 'structure', 'static-analysis/panic-path'),
    file: fc.constantFrom('src/a.ts', 'docs/read me.md', 'src/ünï/c<d>.rs', 'x%y.ts'),
    line: fc.integer({ min: 1, max: 5000 }),
    column: fc.integer({ min: 1, max: 200 }),
    fixable: fc.boolean(),
    fixed: fc.boolean(),
  },
  { requiredKeys: ['source', 'ruleId', 'severity', 'message'] },
);

/** The fields SARIF carries (the SARIF reporter trims message text). */
const sarifView = (f: Finding): unknown => ({
  source: f.source, ruleId: f.ruleId, severity: f.severity, message: f.message.trim(), category: f.category,
  file: f.file, line: f.file === undefined ? undefined : f.line, column: f.file === undefined || f.line === undefined ? undefined : f.column, fixable: f.fixable, fixed: f.fixed,
});
const sort = (list: unknown[]): unknown[] => list.map((x) => JSON.stringify(x)).sort();

function contextWith(findings: readonly FindingInput[]): Context {
  const ctx = new Context('acme/web', '/repo', { now: () => Date.parse('2026-03-01T00:00:00Z') });
  ctx.addFindings(findings);
  return ctx;
}

describe('import round-trips with the reporters', () => {
  it('reads back from the SARIF reporter the findings it exported', () => {
    fc.assert(
      fc.property(fc.array(findingArb, { maxLength: 12 }), (inputs) => {
        // Rule ids name one rule per SARIF log: give each rule one name, as a real bot does.
        const names = new Map<string, string>();
        const consistent = inputs.map((f) => ({ ...f, ruleName: names.get(f.ruleId) ?? (names.set(f.ruleId, f.ruleName ?? f.ruleId), f.ruleName ?? f.ruleId) }));
        const ctx = contextWith(consistent);
        const r = importFindings(generateReport(ctx, 'sarif'), { dedupe: false });
        expect(r.format).toBe('sarif');
        expect(r.rejected).toEqual([]);
        expect(sort(r.findings.map(sarifView))).toEqual(sort(ctx.findings.all().map(sarifView)));
        expect(sort(r.findings.map((f) => f.ruleName))).toEqual(sort(ctx.findings.all().map((f) => f.ruleName)));
      }),
      { numRuns: 60 },
    );
  });

  it('reads back every field from the JSON reporter', () => {
    fc.assert(
      fc.property(fc.array(findingArb, { maxLength: 12 }), (inputs) => {
        const ctx = contextWith(inputs);
        const r = importFindings(generateReport(ctx, 'json'), { dedupe: false });
        expect(r.format).toBe('fleetkit-report');
        expect(r.rejected).toEqual([]);
        expect(sort(r.findings.map((f) => ({ ...f })))).toEqual(sort(ctx.findings.all().map((f) => ({ ...f }))));
      }),
      { numRuns: 60 },
    );
  });
});
