/**
 * The fixtures of the original benchmarks (fleet-behaviour.md): queries run
 * over 1000 findings spread over three verifier bots and all four
 * severities; the health check on all bots registered, two completed, 50
 * findings; reports on all registered, three completed, 100 findings;
 * serialization on all registered and 100 findings.
 */
import { Context, SEVERITIES } from '@fleetkit/shared-context';
import type { ContextOptions, FindingInput } from '@fleetkit/shared-context';

// Instruction counting needs every run of a benchmark to do the same work:
// random ids, random session ids and the clock make it differ (ids hash
// differently, timestamps format differently). Timed runs keep the library's
// defaults, which is what users run.
let reproducible: Pick<ContextOptions, 'sessionId' | 'now' | 'newId'> | undefined;

/**
 * From now on, contexts made by the fixtures have a fixed session id, a fixed
 * clock and ids from a counter shaped like UUIDs (same length, so hashing and
 * copying cost what random ids cost). For the counting process only.
 */
export function useReproducibleFixtures(): void {
  let n = 0;
  reproducible = {
    sessionId: '00000000-0000-4000-8000-000000000000',
    now: () => 1_767_225_600_000,
    newId: () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`,
  };
}

/** A new context of the benchmarks' repository. */
export function newContext(options?: { healthTtlMs?: number }): Context {
  if (reproducible === undefined) return options === undefined ? new Context('bench-repo', '/tmp/bench-repo') : new Context('bench-repo', '/tmp/bench-repo', options);
  return new Context('bench-repo', '/tmp/bench-repo', { ...reproducible, ...options });
}

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
  const ctx = newContext(options);
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
