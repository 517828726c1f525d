import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Context, importFindings } from '@fleetkit/shared-context';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, fleet } from './run-fleet.js';

const require = createRequire(import.meta.url);
const eslintBin = path.join(path.dirname(require.resolve('eslint/package.json')), 'bin', 'eslint.js');
const sarifFormatter = require.resolve('@microsoft/eslint-formatter-sarif');
const dir = mkdtempSync(path.join(tmpdir(), 'fleet-eslint-'));

function eslint(format: string): string {
  const r = spawnSync(process.execPath, [eslintBin, '--format', format, 'src'], { cwd: dir, encoding: 'utf8' });
  // ESLint exits 1 when it found errors: that is the fixture working, not a failure.
  if (r.status !== 1) throw new Error(`eslint exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

let sarifText = '';
let jsonText = '';
beforeAll(() => {
  buildCli();
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'eslint.config.js'), "export default [{ files: ['**/*.js'], rules: { 'no-unused-vars': 'error', eqeqeq: 'warn', 'no-debugger': 'error' } }];\n");
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(path.join(dir, 'src', 'a.js'), 'const unused = 1;\nexport function f(x) {\n  if (x == 2) return 1;\n  debugger;\n  return 0;\n}\n');
  writeFileSync(path.join(dir, 'src', 'b.js'), 'export const ok = (y) => y === 1;\n');
  sarifText = eslint(sarifFormatter);
  jsonText = eslint('json');
  writeFileSync(path.join(dir, 'eslint.sarif'), sarifText);
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const key = (f: { ruleId: string; severity: string; file?: string; line?: number; column?: number }): string => `${f.ruleId} ${f.severity} ${f.file}:${f.line}:${f.column}`;

describe('importing SARIF written by a real ESLint run', () => {
  it('reads the same findings from ESLint SARIF as from ESLint JSON', () => {
    const fromSarif = importFindings(sarifText, { rootDir: dir });
    const fromJson = importFindings(jsonText, { rootDir: dir });
    expect(fromSarif.format).toBe('sarif');
    expect(fromJson.format).toBe('eslint');
    expect(fromSarif.rejected).toEqual([]);
    expect(fromSarif.findings.map(key).sort()).toEqual(fromJson.findings.map(key).sort());
    expect(fromSarif.findings.map(key).sort()).toEqual([
      'eqeqeq warning src/a.js:3:9',
      'no-debugger error src/a.js:4:3',
      'no-unused-vars error src/a.js:1:7',
    ]);
    expect(new Set(fromSarif.findings.map((f) => f.source))).toEqual(new Set(['eslint']));
  });

  it('imports it with `fleet import` into a session whose gate blocks on the two errors', () => {
    const r = fleet(['import', 'eslint.sarif', '--repo', 'fixture', '--out', 'session.json'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sarif\s+1 files\s+3 findings/);
    const ctx = Context.fromJSON(JSON.parse(readFileSync(path.join(dir, 'session.json'), 'utf8')));
    expect(ctx.findings.countBySeverity()).toMatchObject({ error: 2, warning: 1 });
    const gate = fleet(['gate', '--session', 'session.json'], dir);
    expect(gate.code).toBe(1);
    expect(gate.stdout).toMatch(/errors\s+<=\s+0\s+2\s+FAIL/);
  });
});
