/**
 * The fixtures of the Rust original's criterion benchmarks
 * (gitbot-fleet, `shared-context/benches/fleet_benchmarks.rs`), rebuilt
 * through fleetkit's public API so each benchmark does the original's work:
 * the same bots, rule ids, severities, messages and completion counts. The
 * Rust figures these are compared with are in `reference/rust-original.json`.
 */
import type { BotId, Context, FindingInput, Severity } from '@fleetkit/shared-context';
import { STANDARD_BOTS } from '@fleetkit/shared-context';
import { newContext } from './fixtures.js';

/** `format!("TEST-{:03}", i)` */
export const testRule = (i: number): string => (i < 10 ? `TEST-00${i}` : i < 100 ? `TEST-0${i}` : `TEST-${i}`);

/** `Finding::new(bot, rule, severity, message)`: the four fields the original sets. */
export const originalFinding = (source: BotId, ruleId: string, severity: Severity, message: string): FindingInput => ({ source, ruleId, severity, message });

const QUERY_BOTS = ['rhodibot', 'echidnabot', 'sustainabot'] as const;
const QUERY_SEVERITIES = ['error', 'warning', 'info', 'suggestion'] as const;

/** `bench_finding_queries`: a new context (no bots registered), 1,000 findings over three verifiers and all four severities. */
export function queryFixture(): Context {
  const ctx = newContext();
  for (let i = 0; i < 1000; i++) ctx.addFinding(originalFinding(QUERY_BOTS[i % 3]!, testRule(i), QUERY_SEVERITIES[i % 4]!, 'Test'));
  return ctx;
}

/** `ready_bots_calculation`: all bots registered, rhodibot completed (5 findings, 0 errors, 20 files). */
export function readyBotsFixture(): Context {
  const ctx = newContext();
  ctx.registerAllBots();
  ctx.startBot('rhodibot');
  ctx.completeBot('rhodibot', { findings: 5, errors: 0, files: 20 });
  return ctx;
}

/** `bench_health_check`: all registered, rhodibot and echidnabot completed, 50 rhodibot findings (the first five errors). */
export function healthFixture(options?: { healthTtlMs?: number }): Context {
  const ctx = newContext(options);
  ctx.registerAllBots();
  ctx.startBot('rhodibot');
  ctx.completeBot('rhodibot', { findings: 10, errors: 2, files: 50 });
  ctx.startBot('echidnabot');
  ctx.completeBot('echidnabot', { findings: 5, errors: 0, files: 30 });
  for (let i = 0; i < 50; i++) ctx.addFinding(originalFinding('rhodibot', testRule(i), i < 5 ? 'error' : 'warning', 'Test finding'));
  return ctx;
}

/**
 * `bench_report_generation`: all registered, the three verifiers completed
 * (20 findings, 3 errors, 100 files each), `n` rhodibot findings, every
 * fourth an error. The original reports on 100; its reports list none of
 * them, fleetkit's list all.
 */
export function reportFixture(n = 100): Context {
  const ctx = newContext();
  ctx.registerAllBots();
  for (const bot of QUERY_BOTS) {
    ctx.startBot(bot);
    ctx.completeBot(bot, { findings: 20, errors: 3, files: 100 });
  }
  for (let i = 0; i < n; i++) ctx.addFinding(originalFinding('rhodibot', testRule(i), i % 4 === 0 ? 'error' : 'warning', 'Test finding with some detail'));
  return ctx;
}

/** `bench_summary`: all registered, every standard bot completed (15 findings, 2 errors, 75 files), no findings. */
export function summaryFixture(): Context {
  const ctx = newContext();
  ctx.registerAllBots();
  // The roster's dependency order: a bot starts only once what it depends on is done.
  for (const bot of STANDARD_BOTS) {
    ctx.startBot(bot);
    ctx.completeBot(bot, { findings: 15, errors: 2, files: 75 });
  }
  return ctx;
}

/** `bench_serialization`: all registered, 100 rhodibot warnings, no bot run. */
export function serializationFixture(): Context {
  const ctx = newContext();
  ctx.registerAllBots();
  for (let i = 0; i < 100; i++) ctx.addFinding(originalFinding('rhodibot', testRule(i), 'warning', 'Test finding'));
  return ctx;
}

const SCALE_CATEGORIES = ['structure', 'verification', 'sustainability', 'docs', 'security'] as const;

/**
 * The original's 100,000-finding measurement (`reference/rust-original.json`), one finding at a
 * time: bot `all()[i % 11]`, severity by `i % 4`, five categories by `i % 5`,
 * rule `TEST-%05d`, message "Test finding". Builds and adds `n` findings into
 * a new context.
 */
export function addOneAtATime(n: number): Context {
  const ctx = newContext();
  const bots = STANDARD_BOTS;
  for (let i = 0; i < n; i++) {
    ctx.addFinding({
      source: bots[i % bots.length]!,
      ruleId: `TEST-${String(i).padStart(5, '0')}`,
      severity: QUERY_SEVERITIES[i % 4]!,
      message: 'Test finding',
      category: SCALE_CATEGORIES[i % 5]!,
    });
  }
  return ctx;
}
