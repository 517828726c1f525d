import { describe, expect, it } from 'vitest';
import { Context, buildReport, findingFingerprint } from '../src/index.js';
import { jsonChunks } from '../src/report/json.js';
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
