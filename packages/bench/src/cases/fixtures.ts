/**
 * The fixtures of the original benchmarks (fleet-behaviour.md): queries run
 * over 1000 findings spread over three verifier bots and all four
 * severities; the health check on all bots registered, two completed, 50
 * findings; reports on all registered, three completed, 100 findings;
 * serialization on all registered and 100 findings.
 */
import { Context, SEVERITIES } from '@fleetkit/shared-context';
import type { FindingInput } from '@fleetkit/shared-context';

const VERIFIERS = ['rhodibot', 'echidnabot', 'sustainabot'] as const;
const CATEGORIES = ['structure', 'verification', 'sustainability', 'docs'] as const;

/** `n` realistic finding inputs spread over the three verifiers and all severities. */
export function findingInputs(n: number, offset = 0): FindingInput[] {
  const out: FindingInput[] = new Array(n);
  for (let k = 0; k < n; k++) {
    const i = k + offset;
    out[k] = {
      source: VERIFIERS[i % 3] as string,
      ruleId: `rule-${i % 37}`,
      severity: SEVERITIES[i % 4] as FindingInput['severity'],
      message: `Finding ${i}: the code at this location needs attention`,
      category: CATEGORIES[i % 4] as string,
      file: `src/module-${i % 113}.ts`,
      line: (i % 400) + 1,
      fixable: i % 5 === 0,
    };
  }
  return out;
}

/** A context with every standard bot registered. */
export function registered(options?: { healthTtlMs?: number }): Context {
  const ctx = new Context('bench-repo', '/tmp/bench-repo', options);
  ctx.registerAllBots();
  return ctx;
}

/** All registered, `completed` verifiers completed, `findings` findings. */
export function sessionWith(completed: number, findings: number, options?: { healthTtlMs?: number }): Context {
  const ctx = registered(options);
  const bots = ['rhodibot', 'echidnabot', 'sustainabot'].slice(0, completed);
  for (const b of bots) ctx.startBot(b);
  ctx.addFindings(findingInputs(findings));
  for (const b of bots) ctx.completeBot(b, { findings: ctx.findingsFrom(b).length, errors: ctx.findingsFrom(b).filter((f) => f.severity === 'error').length, files: 50 });
  return ctx;
}
