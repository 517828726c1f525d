/**
 * Microsoft's own SARIF validator (`@microsoft/sarif-multitool validate`, a
 * self-contained .NET binary shipped in the npm package) on our SARIF output:
 * no errors and no warnings.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Context, generateReport } from '../src/index.js';
import { corpusSession } from './support/corpus-session.js';

const dir = mkdtempSync(join(tmpdir(), 'fleetkit-multitool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bin = resolve(import.meta.dirname, '..', 'node_modules', '.bin', 'sarif-multitool');

function validate(sarif: string): Array<{ ruleId: string; level?: string; message: { text: string } }> {
  const input = join(dir, `in-${Math.random().toString(36).slice(2)}.sarif`);
  const output = `${input}.out.sarif`;
  writeFileSync(input, sarif);
  execFileSync(bin, ['validate', input, '--output', output], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
  const log = JSON.parse(readFileSync(output, 'utf8')) as { runs: Array<{ results?: Array<{ ruleId: string; level?: string; message: { text: string } }> }> };
  return log.runs.flatMap((r) => r.results ?? []);
}

describe('SARIF through Microsoft’s validator', () => {
  it('reports nothing for a realistic session', () => {
    expect(validate(generateReport(corpusSession(), 'sarif')).map((r) => `${r.ruleId}: ${r.message.text}`)).toEqual([]);
  }, 60_000);

  it('reports nothing for hostile findings and a session with no findings', () => {
    const ctx = new Context('odd repo', '/x');
    ctx.addFindings([
      { source: 'evil', ruleId: 'r<1>', ruleName: 'r<1>', severity: 'error', message: '<script>x</script> \ud800', file: 'dir with space/ä.ts', line: 3, column: 9 },
      { source: 'evil', ruleId: 'r2', severity: 'suggestion', message: '', file: './rel/../x.ts' },
      { source: 'evil', ruleId: 'r3', severity: 'info', message: 'no file' },
    ]);
    expect(validate(generateReport(ctx, 'sarif')).map((r) => `${r.ruleId}: ${r.message.text}`)).toEqual([]);
    expect(validate(generateReport(new Context('empty', '/e'), 'sarif'))).toEqual([]);
  }, 60_000);

  it('reports nothing for suppressed results and results with a baseline state', () => {
    const ctx = new Context('triaged', '/t');
    ctx.addFindings([
      { id: 'a', source: 'rhodibot', ruleId: 'unwrap', severity: 'error', message: 'unwrap on a Result', file: 'src/lib.rs', line: 4 },
      { id: 'b', source: 'rhodibot', ruleId: 'todo', severity: 'warning', message: 'TODO left', file: 'src/main.rs', line: 9 },
      { id: 'c', source: 'glambot', ruleId: 'alt', severity: 'info', message: 'no alt text', file: 'docs/i.html' },
    ]);
    const sarif = generateReport(ctx, 'sarif', {
      suppressions: new Map([
        ['a', { justification: 'checked above <script>| `x`\n]]>', expires: '2026-12-31' }],
        ['c', { justification: 'docs are generated' }],
      ]),
      newFindings: new Set(['a', 'b']),
    });
    // The log really carries both, so the validator saw them.
    const results = (JSON.parse(sarif) as { runs: Array<{ results: Array<{ suppressions?: unknown[]; baselineState?: string }> }> }).runs[0]!.results;
    expect(results.map((r) => [r.baselineState, r.suppressions?.length ?? 0])).toEqual([['new', 1], ['new', 0], ['unchanged', 1]]);
    expect(validate(sarif).map((r) => `${r.ruleId}: ${r.message.text}`)).toEqual([]);
  }, 60_000);
});
