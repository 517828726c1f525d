import { describe, expect, it } from 'vitest';
import { Context, ValidationError, buildReport, findingFingerprint, generateReport } from '../src/index.js';
import { jsonChunks } from '../src/report/json.js';
import { sarifChunks } from '../src/report/sarif.js';
import type { ReportModel } from '../src/report/model.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

function session(): Context {
  const ctx = new Context('repo', '/repo', { sessionId: 's1', now: () => T0 });
  ctx.addFindings([
    { id: 'a"\\<', source: 'rhodibot', ruleId: 'r"1', severity: 'error', message: 'quote " backslash \\ newline \n tab \t', file: 'src/é.ts', line: 3, column: 4, element: 'x', suggestion: 's', fixable: true, related: ['b'], metadata: { k: [1, 'v'] }, recipeId: 'rc', confidence: 0.5 },
    { id: 'b', source: 'my-bot', ruleId: 'r2', severity: 'suggestion', message: '😀 \ud800', category: 'docs' },
  ]);
  ctx.markFixed('b');
  return ctx;
}

const render = (model: ReportModel): string => [...jsonChunks(model)].join('');

describe('the JSON report writes a finding the same whichever path serialises it', () => {
  it('a record (serialised as it is) gives the bytes of a plain copy (own fields spliced with the report fields)', () => {
    const model = buildReport(session(), { now: () => T0 });
    const plain: ReportModel = { ...model, groups: model.groups.map((g) => ({ ...g, findings: g.findings.map((f) => ({ ...f })) })) };
    const fast = render(model);
    expect(render(plain)).toBe(fast);
    const parsed = JSON.parse(fast) as { groups: Array<{ findings: Array<Record<string, unknown>> }> };
    const first = parsed.groups[0]!.findings[0]!;
    expect(Object.keys(first).slice(0, 3)).toEqual(['id', 'fingerprint', 'source']);
    expect(first.fingerprint).toBe(findingFingerprint(session().findings.get('a"\\<')!));
    expect(first.message).toBe('quote " backslash \\ newline \n tab \t');
  });

  it("a finding's fingerprint is an accessor, not data: JSON, spreads and keys of a finding are unchanged", () => {
    const f = session().findings.get('b')!;
    expect(Object.keys(f)).not.toContain('fingerprint');
    expect(JSON.parse(JSON.stringify(f))).not.toHaveProperty('fingerprint');
    expect({ ...f }).not.toHaveProperty('fingerprint');
    expect((f as unknown as { fingerprint: string }).fingerprint).toBe(findingFingerprint(f));
  });
});

describe('reports never write a value from a finding unescaped', () => {
  it('a record changed behind its readonly type is escaped in JSON and rejected by SARIF', () => {
    const ctx = session();
    const f = ctx.findings.get('b')! as unknown as Record<string, unknown>;
    Object.assign(f, { severity: 'suggestion", "injected": "1', createdAt: '2026"}' });
    const json = generateReport(ctx, 'json', { now: () => T0 });
    const parsed = JSON.parse(json) as { groups: Array<{ findings: Array<Record<string, unknown>> }> };
    const b = parsed.groups.flatMap((g) => g.findings).find((x) => x.id === 'b')!;
    expect(b.severity).toBe('suggestion", "injected": "1');
    expect(b).not.toHaveProperty('injected');
    expect(() => generateReport(ctx, 'sarif', { now: () => T0 })).toThrow(ValidationError);
  });

  it('SARIF of plain findings (a custom view) is the SARIF of the same findings as records', () => {
    const ctx = session();
    const model = buildReport(ctx, { now: () => T0 });
    const plain: ReportModel = { ...model, groups: model.groups.map((g) => ({ ...g, findings: g.findings.map((x) => ({ ...x })) })) };
    expect([...sarifChunks(plain)].join('')).toBe(generateReport(ctx, 'sarif', { now: () => T0 }));
  });
});
