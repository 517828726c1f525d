/**
 * The bot lifecycle as pure functions: what a registration resolves to, the
 * execution record each transition writes, and which bots may start. The
 * `Context` holds the maps and emits the events; the rules live here, where
 * they can be read (and tested) without a session.
 */
import type { BotId, BotInfo } from '../bots/roster.js';
import { ROSTER_BOTS, STANDARD_BOTS, botInfo, rosterIndex } from '../bots/roster.js';
import type { Tier } from '../bots/tier.js';
import { tierOrder } from '../bots/tier.js';
import { ValidationError } from '../errors.js';
import { parseWith } from '../validate.js';
import type { BotExecution, CompletedExecution, FailedExecution, RunningExecution, SkippedExecution } from './execution.js';
import { isDone } from './execution.js';
import type { BotInfoInput } from './schema.js';
import { BotIdSchema, BotInfoInputSchema, CompletionSchema } from './schema.js';
import { isoTime } from '../iso-time.js';

/** Counts of what a bot reported when it completed. */
export interface CompletionCounts {
  /** Findings the bot produced. */
  readonly findings: number;
  /** Error findings the bot produced. */
  readonly errors: number;
  /** Files the bot analysed. */
  readonly files: number;
}

/** Options of `startBot`. */
export interface StartBotOptions {
  /** Start the bot even though dependencies of it are not done (default false). */
  readonly force?: boolean;
}

/**
 * The info a bot is registered with: its roster entry, or `info` over the
 * roster's defaults (tier `custom` for a bot the roster does not know).
 * Throws a {@link ValidationError} for a bad id or bad info.
 */
export function resolveBotInfo(id: BotId, info: BotInfoInput | undefined): BotInfo {
  // Roster ids are known-good: only custom ids and custom info go through zod.
  const standard = typeof id === 'string' ? botInfo(id) : undefined;
  const botId = standard?.id ?? parseWith(BotIdSchema, id, { source: 'registerBot', path: ['id'] });
  if (standard !== undefined && info === undefined) return standard;
  const given = parseWith(BotInfoInputSchema, info ?? {}, { source: 'registerBot', path: ['info'] });
  if (given.id !== undefined && given.id !== botId) {
    throw new ValidationError([{ code: 'custom', path: ['info', 'id'], message: `must match the bot id "${botId}"` }], 'registerBot');
  }
  return Object.freeze({
    id: botId,
    name: given.name ?? standard?.name ?? botId,
    description: given.description ?? standard?.description ?? '',
    version: given.version ?? standard?.version ?? '0.0.0',
    tier: given.tier ?? standard?.tier ?? 'custom',
    categories: Object.freeze([...(given.categories ?? standard?.categories ?? [])]),
    canFix: given.canFix ?? standard?.canFix ?? false,
    dependsOn: Object.freeze([...(given.dependsOn ?? standard?.dependsOn ?? [])]),
  });
}

// Pending records are never changed (a transition replaces the record), so
// the roster's bots share one frozen record each: registering all eleven
// allocates no execution record.
const ROSTER_PENDING: ReadonlyMap<BotId, BotExecution> = new Map(ROSTER_BOTS.map((b) => [b.id, Object.freeze({ bot: b.id, status: 'pending' as const })]));

/** The record of a bot just registered. */
export function pendingExecution(id: BotId): BotExecution {
  return ROSTER_PENDING.get(id) ?? { bot: id, status: 'pending' };
}

/** The standard bots' info and pending records, in `STANDARD_BOTS` order: what `registerAllBots` registers. */
export const STANDARD_REGISTRATIONS: { readonly infos: readonly BotInfo[]; readonly pending: readonly BotExecution[] } = {
  infos: STANDARD_BOTS.map((id) => botInfo(id)!),
  pending: STANDARD_BOTS.map(pendingExecution),
};

/** Tier of a bot: its registered tier, else its roster tier, else `custom`. */
export function tierOfBot(bots: ReadonlyMap<BotId, BotInfo>, id: BotId): Tier {
  return bots.get(id)?.tier ?? botInfo(id)?.tier ?? 'custom';
}

// The start of each running record made here, in epoch ms: completing it then
// needs no Date.parse of its ISO start (records read from JSON still parse).
const startMs = new WeakMap<BotExecution, number>();

const startOf = (prev: BotExecution): number => startMs.get(prev) ?? Date.parse((prev as { startedAt: string }).startedAt);

/** The record of pending → running at `start` (epoch ms). */
export function runningExecution(id: BotId, start: number): RunningExecution {
  const record: RunningExecution = { bot: id, status: 'running', startedAt: isoTime(start) };
  startMs.set(record, start);
  return record;
}

const isCount = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * What `completeBot` was given, checked: three counts, nothing else. Plain
 * code first, as it is on the start–complete hot path; zod explains a bad one.
 */
export function checkCompletion(counts: unknown): CompletionCounts {
  if (typeof counts === 'object' && counts !== null && Object.getPrototypeOf(counts) === Object.prototype) {
    const c = counts as Record<string, unknown>;
    let keys = 0;
    for (const k in c) {
      if (k !== 'findings' && k !== 'errors' && k !== 'files') {
        keys = -1;
        break;
      }
      keys++;
    }
    if (keys === 3 && isCount(c.findings) && isCount(c.errors) && isCount(c.files)) return counts as CompletionCounts;
  }
  return parseWith(CompletionSchema, counts, { source: 'completeBot', path: ['counts'] });
}

/** The record of running → completed at `end` (epoch ms). */
export function completedExecution(id: BotId, prev: BotExecution, counts: CompletionCounts, end: number): CompletedExecution {
  // Only a running record gets here (the transition was checked), and it has a start.
  const startedAt = (prev as { startedAt: string }).startedAt;
  return {
    bot: id,
    status: 'completed',
    startedAt,
    completedAt: isoTime(end),
    durationMs: Math.max(0, end - startOf(prev)),
    findingsCount: counts.findings,
    errorsCount: counts.errors,
    filesAnalyzed: counts.files,
  };
}

/** The record of running → failed at `end` (epoch ms). */
export function failedExecution(id: BotId, prev: BotExecution, message: string, end: number): FailedExecution {
  const startedAt = (prev as { startedAt: string }).startedAt;
  return { bot: id, status: 'failed', startedAt, completedAt: isoTime(end), durationMs: Math.max(0, end - startOf(prev)), error: String(message) };
}

/** The record of pending → skipped. */
export function skippedExecution(id: BotId, completedAt: string, reason: string): SkippedExecution {
  return { bot: id, status: 'skipped', completedAt, reason: String(reason) };
}

const NONE_PENDING: readonly BotId[] = Object.freeze([]);

/**
 * The dependencies that hold a bot back from starting: those of its
 * `dependsOn` registered in the session (in `executions`) and not done
 * (completed or skipped), in `dependsOn` order, each once. A dependency the
 * session does not register is not part of this fleet (a session may register
 * only some of the roster) and holds nothing back. Returns a shared empty
 * array when none is pending: this runs on starts, the hot path, and builds a
 * list only for a refusal.
 */
export function pendingDependencies(dependsOn: readonly BotId[], executions: ReadonlyMap<BotId, BotExecution>): readonly BotId[] {
  let pending: BotId[] | undefined;
  for (let i = 0; i < dependsOn.length; i++) {
    const dep = dependsOn[i]!;
    const execution = executions.get(dep);
    if (execution === undefined || isDone(execution)) continue;
    if (pending === undefined) pending = [dep];
    else if (!pending.includes(dep)) pending.push(dep);
  }
  return pending ?? NONE_PENDING;
}

/** True when every registered verifier is done. */
export function verifiersDone(bots: ReadonlyMap<BotId, BotInfo>, executions: ReadonlyMap<BotId, BotExecution>): boolean {
  for (const [id, info] of bots) if (info.tier === 'verifier' && !isDone(executions.get(id))) return false;
  return true;
}

/** Pending bots whose dependencies are all done, by tier order, then roster order, then registration order. */
export function readyBotsOf(bots: ReadonlyMap<BotId, BotInfo>, executions: ReadonlyMap<BotId, BotExecution>): BotId[] {
  const ready: BotId[] = [];
  for (const [id, info] of bots) {
    if (executions.get(id)?.status !== 'pending') continue;
    if (info.dependsOn.every((dep) => isDone(executions.get(dep)))) ready.push(id);
  }
  const reg = [...bots.keys()];
  return ready.sort(
    (a, b) =>
      tierOrder(tierOfBot(bots, a)) - tierOrder(tierOfBot(bots, b)) ||
      rosterIndex(a) - rosterIndex(b) ||
      reg.indexOf(a) - reg.indexOf(b),
  );
}
