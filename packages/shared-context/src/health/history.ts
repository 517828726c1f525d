/**
 * Run history per bot, from a repository's stored state: average duration,
 * success rate and the durations the slow-run rule compares against.
 */
import type { BotId } from '../bots/roster.js';
import type { RepoState } from '../history/repo-state.js';
import { readSessionRecords } from '../history/repo-state.js';

/** One bot's recent runs. */
export interface BotHistory {
  /** Durations (ms) of previous finished runs, oldest first. */
  readonly durations: readonly number[];
  /** Previous runs that completed. */
  readonly completed: number;
  /** Previous runs that failed. */
  readonly failed: number;
}

/** History of every bot over the last `window` sessions, with corrupt entries skipped. */
export interface FleetHistory {
  readonly bots: ReadonlyMap<BotId, BotHistory>;
  /** Indexes (into `RepoState.sessions`) of entries skipped as corrupt. */
  readonly skipped: readonly number[];
}

/**
 * Reads the last `window` sessions of `state`, leaving out `currentSessionId`
 * (the session being checked is not its own history).
 */
export function fleetHistory(state: RepoState, window: number, currentSessionId: string): FleetHistory {
  const { records, skipped } = readSessionRecords(state);
  const recent = records.filter((r) => r.sessionId !== currentSessionId).slice(-window);
  const acc = new Map<BotId, { durations: number[]; completed: number; failed: number }>();
  for (const r of recent) {
    for (const run of r.bots) {
      if (run.status !== 'completed' && run.status !== 'failed') continue;
      let h = acc.get(run.bot);
      if (h === undefined) acc.set(run.bot, (h = { durations: [], completed: 0, failed: 0 }));
      if (run.status === 'completed') h.completed++;
      else h.failed++;
      if (run.durationMs !== undefined) h.durations.push(run.durationMs);
    }
  }
  return { bots: acc, skipped };
}
