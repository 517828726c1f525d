import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Context, findingFingerprint, ROSTER_BOTS } from '@fleetkit/shared-context';
import type { FindingInput } from '@fleetkit/shared-context';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, fleet } from './run-fleet.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fleet-gate-'));
const finding = (ruleId: string, severity: FindingInput['severity'], file: string, line: number): FindingInput => ({ source: 'panicbot', ruleId, severity, message: `${ruleId} in ${file}`, file, line });
const current = [
  finding('unsafe-unwrap', 'error', 'src/lib.rs', 10),
  finding('unsafe-unwrap', 'error', 'tests/it.rs', 3),
  finding('todo-left', 'warning', 'src/main.rs', 7),
  finding('todo-left', 'warning', 'src/cli.rs', 9),
  finding('style', 'info', 'src/cli.rs', 1),
];

function writeSession(name: string, findings: readonly FindingInput[]): void {
  const ctx = new Context('acme/web', dir);
  ctx.registerBot('panicbot');
  ctx.startBot('panicbot');
  ctx.completeBot('panicbot', { findings: findings.length, errors: findings.filter((f) => f.severity === 'error').length, files: 3 });
  ctx.addFindings(findings);
  writeFileSync(path.join(dir, name), JSON.stringify(ctx));
}

beforeAll(() => {
  buildCli();
  writeSession('session.json', current);
  writeSession('clean.json', [current[4] as FindingInput]);
  writeSession('baseline.json', [current[0] as FindingInput, current[2] as FindingInput, finding('gone', 'error', 'src/old.rs', 1)]);
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fleet gate', () => {
  it('blocks on errors by default, printing metric, comparator, threshold and actual', () => {
    const r = fleet(['gate', '--session', 'session.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/metric\s+comparator\s+threshold\s+actual\s+result/);
    expect(r.stdout).toMatch(/errors\s+<=\s+0\s+2\s+FAIL/);
    expect(r.stdout).toContain('Verdict: BLOCKED (1 of 1 conditions failed)');
    expect(fleet(['gate', '--session', 'clean.json'], dir).code).toBe(0);
  });

  it('applies --max-errors, --max-warnings and --fail-on warning', () => {
    const lenient = fleet(['gate', '--session', 'session.json', '--max-errors', '2'], dir);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/errors\s+<=\s+2\s+2\s+pass/);
    expect(lenient.stdout).toContain('Verdict: PASS');
    const warnings = fleet(['gate', '--session', 'session.json', '--max-errors', '5', '--fail-on', 'warning', '--json'], dir);
    expect(warnings.code).toBe(1);
    const v = JSON.parse(warnings.stdout) as { passed: boolean; conditions: unknown[] };
    expect(v.passed).toBe(false);
    expect(v.conditions).toEqual([
      { metric: 'errors', comparator: '<=', threshold: 5, actual: 2, passed: true },
      { metric: 'warnings', comparator: '<=', threshold: 0, actual: 2, passed: false },
    ]);
    expect(fleet(['gate', '--session', 'session.json', '--max-errors', '5', '--max-warnings', '2'], dir).code).toBe(0);
  });

  it('marks findings new, unchanged or absent against a baseline and gates only new ones with --new-only', () => {
    const all = fleet(['gate', '--session', 'session.json', '--baseline', 'baseline.json'], dir);
    expect(all.stdout).toContain('Against baseline: 3 new, 2 unchanged, 1 absent');
    expect(all.code).toBe(1);
    const fresh = fleet(['gate', '--session', 'session.json', '--baseline', 'baseline.json', '--new-only', '--json'], dir);
    const v = JSON.parse(fresh.stdout) as { conditions: { metric: string; actual: number }[] };
    expect(v.conditions[0]).toMatchObject({ metric: 'new errors', actual: 1 });
    expect(fresh.code).toBe(1);
    writeSession('baseline-all.json', current);
    expect(fleet(['gate', '--session', 'session.json', '--baseline', 'baseline-all.json', '--new-only'], dir).code).toBe(0);
  });

  it('does not count suppressed findings, and lists an expired suppression without applying it', () => {
    const fp = findingFingerprint({ source: 'panicbot', ruleId: 'unsafe-unwrap', file: 'src/lib.rs', message: 'unsafe-unwrap in src/lib.rs' });
    writeFileSync(path.join(dir, 'fleet.suppressions.json'), JSON.stringify({
      suppressions: [
        { fingerprint: fp, justification: 'checked by hand: the value is never None' },
        { rule: 'unsafe-unwrap', path: 'tests/**', justification: 'tests may panic' },
        { rule: 'todo-left', path: 'src/*.rs', justification: 'tracked in #12', expires: '2020-01-01' },
      ],
    }));
    const r = fleet(['gate', '--session', 'session.json', '--json'], dir);
    const v = JSON.parse(r.stdout) as { passed: boolean; suppressed: number; expiredSuppressions: { rule?: string }[] };
    expect(v).toMatchObject({ passed: true, suppressed: 2 });
    expect(v.expiredSuppressions).toMatchObject([{ rule: 'todo-left', expires: '2020-01-01' }]);
    expect(r.code).toBe(0);
    const text = fleet(['gate', '--session', 'session.json', '--fail-on', 'warning'], dir);
    expect(text.stdout).toContain('Expired suppression (no longer applied): todo-left in src/*.rs, expired 2020-01-01');
    expect(text.code).toBe(1);
    rmSync(path.join(dir, 'fleet.suppressions.json'));
  });

  it('exits 2 naming the problem of an invalid suppressions file', () => {
    writeFileSync(path.join(dir, 'bad.suppressions.json'), JSON.stringify({ suppressions: [{ rule: 'x' }, { justification: 'why' }] }));
    const r = fleet(['gate', '--session', 'session.json', '--suppressions', 'bad.suppressions.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('suppressions[0].justification');
    expect(r.stderr).toContain('suppressions[1]: needs a "fingerprint", or a "rule"');
  });
});

describe('fleet health and fleet bots', () => {
  it('prints the health box, or the health check as JSON', () => {
    const box = fleet(['health', '--session', 'session.json'], dir);
    expect(box.code).toBe(0);
    expect(box.stdout).toContain('FLEET HEALTH: acme/web');
    expect(box.stdout).toMatch(/Score: \d+\/100/);
    const json = JSON.parse(fleet(['health', '--session', 'session.json', '--json'], dir).stdout) as { healthScore: number; systemMetrics: { totalFindings: number } };
    expect(json.systemMetrics.totalFindings).toBe(current.length);
    expect(box.stdout).toContain(`Score: ${json.healthScore.toFixed(0)}/100`);
  });

  it('lists the roster, one tier with --tier, or JSON', () => {
    const all = fleet(['bots'], dir);
    expect(all.code).toBe(0);
    for (const b of ROSTER_BOTS) expect(all.stdout).toContain(b.id);
    const verifiers = JSON.parse(fleet(['bots', '--tier', 'verifier', '--json'], dir).stdout) as { id: string }[];
    expect(verifiers.map((b) => b.id)).toEqual(ROSTER_BOTS.filter((b) => b.tier === 'verifier').map((b) => b.id));
  });
});

describe('colour', () => {
  it('uses colour when forced, and never when NO_COLOR is set', () => {
    // eslint-disable-next-line no-control-regex
    const ansi = /\u001b\[/;
    expect(fleet(['gate', '--session', 'session.json'], dir).stdout).not.toMatch(ansi);
    expect(fleet(['gate', '--session', 'session.json'], dir, { FORCE_COLOR: '1' }).stdout).toMatch(ansi);
    const off = fleet(['gate', '--session', 'session.json'], dir, { FORCE_COLOR: '1', NO_COLOR: '1' });
    expect(off.stdout).not.toMatch(ansi);
    expect(off.code).toBe(1);
    expect(fleet(['bots'], dir, { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).not.toMatch(ansi);
  });
});
