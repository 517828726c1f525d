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

/** Sessions start at fixed times so that a baseline is older than the session compared with it. */
const HEAD_START = '2026-06-02T00:00:00.000Z';
const BASE_START = '2026-06-01T00:00:00.000Z';

function writeSession(name: string, findings: readonly FindingInput[], { repo = 'acme/web', startedAt = HEAD_START } = {}): void {
  const ctx = new Context(repo, dir, { startedAt });
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
  writeSession('baseline.json', [current[0] as FindingInput, current[2] as FindingInput, finding('gone', 'error', 'src/old.rs', 1)], { startedAt: BASE_START });
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
    writeSession('baseline-all.json', current, { startedAt: BASE_START });
    expect(fleet(['gate', '--session', 'session.json', '--baseline', 'baseline-all.json', '--new-only'], dir).code).toBe(0);
  });

  it('counts repeats of a fingerprint: one baseline occurrence does not cover three in head', () => {
    // The same rule and message in the same file: at line 100 in the baseline, at 103, 140 and 180 now.
    const unwrap = (line: number): FindingInput => ({ source: 'panicbot', ruleId: 'unwrap_without_check', severity: 'error', message: 'unwrap() without a check', file: 'src/lib.rs', line });
    writeSession('repeat-base.json', [unwrap(100)], { startedAt: BASE_START });
    writeSession('repeat-head.json', [unwrap(103), unwrap(140), unwrap(180)]);
    const r = fleet(['gate', '--session', 'repeat-head.json', '--baseline', 'repeat-base.json', '--new-only', '--fail-on', 'error'], dir);
    expect(r.stdout).toContain('Against baseline: 2 new, 1 unchanged, 0 absent');
    expect(r.code).toBe(1);
    const v = JSON.parse(fleet(['gate', '--session', 'repeat-head.json', '--baseline', 'repeat-base.json', '--new-only', '--json'], dir).stdout) as {
      baseline: { new: number; unchanged: number; absent: number };
      findings: { location: string; new: boolean }[];
    };
    expect(v.baseline).toEqual({ new: 2, unchanged: 1, absent: 0 });
    // The one that moved by three lines pairs with its old self; the other two are the new ones.
    expect(v.findings.map((f) => [f.location, f.new])).toEqual([['src/lib.rs:140', true], ['src/lib.rs:180', true]]);
    // Fewer occurrences now than in the baseline: the extra baseline ones are absent, nothing is new.
    // A suppression of the fingerprint covers every occurrence, unless it names how many it accepts.
    const fp = findingFingerprint(unwrap(1));
    writeFileSync(path.join(dir, 'all.suppressions.json'), JSON.stringify({ suppressions: [{ fingerprint: fp, justification: 'accepted pattern' }] }));
    writeFileSync(path.join(dir, 'one.suppressions.json'), JSON.stringify({ suppressions: [{ fingerprint: fp, justification: 'the one at the top', occurrences: 1 }] }));
    expect(fleet(['gate', '--session', 'repeat-head.json', '--suppressions', 'all.suppressions.json'], dir).code).toBe(0);
    const one = fleet(['gate', '--session', 'repeat-head.json', '--suppressions', 'one.suppressions.json'], dir);
    expect(one.stdout).toContain(`Suppression over its limit: ${fp} covers 1 of 3 occurrences; 2 counted as usual`);
    expect(one.stdout).toMatch(/errors\s+<=\s+0\s+2\s+FAIL/);
    expect(one.code).toBe(1);
    writeSession('repeat-base3.json', [unwrap(103), unwrap(140), unwrap(180)], { startedAt: BASE_START });
    writeSession('repeat-head1.json', [unwrap(141)]);
    const fewer = fleet(['gate', '--session', 'repeat-head1.json', '--baseline', 'repeat-base3.json', '--new-only'], dir);
    expect(fewer.stdout).toContain('Against baseline: 0 new, 1 unchanged, 2 absent');
    expect(fewer.code).toBe(0);
  });

  it('refuses a baseline that is not a session, is of another repository, or is newer, with exit 2 and the reason', () => {
    writeFileSync(path.join(dir, 'not-a-session.json'), JSON.stringify({ findings: [] }));
    writeFileSync(path.join(dir, 'not-json.json'), 'findings: none');
    writeSession('other-repo.json', [], { repo: 'acme/api', startedAt: BASE_START });
    writeSession('newer.json', [], { startedAt: '2026-06-03T00:00:00.000Z' });
    const cases: [string, RegExp][] = [
      ['not-a-session.json', /baseline: session not-a-session\.json is not a fleet session: .*sessionId/],
      ['not-json.json', /baseline: session not-json\.json is not JSON/],
      ['missing.json', /baseline: cannot read session missing\.json: no such file/],
      ['other-repo.json', /baseline other-repo\.json is a session of repository "acme\/api", but the session compared with it is of "acme\/web"/],
      ['newer.json', /baseline newer\.json \(session .*, started 2026-06-03T00:00:00\.000Z\) is newer than the session compared with it .*started 2026-06-02T00:00:00\.000Z/],
    ];
    for (const [file, message] of cases) {
      const r = fleet(['gate', '--session', 'session.json', '--baseline', file, '--new-only'], dir);
      expect(r.code, file).toBe(2);
      expect(r.stderr, file).toMatch(message);
      expect(r.stdout, file).not.toContain('Verdict');
    }
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
