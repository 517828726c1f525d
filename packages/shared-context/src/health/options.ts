/** Options of a health check, validated at the edge. */
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { fromZodIssues } from '../issue.js';
import type { RepoState } from '../history/repo-state.js';

/** Default number of previous sessions the history rules look at. */
export const DEFAULT_HISTORY_WINDOW = 20;

/** Options of `ctx.healthCheck()`. */
export interface HealthCheckOptions {
  /**
   * The repository's stored state (`storage.loadRepoState(repo)`): fills
   * `avgDurationMs` and `successRate` and enables the slow-run and
   * low-success-rate rules. Corrupt history entries are skipped and listed
   * in `historySkipped`.
   */
  readonly history?: RepoState;
  /** How many previous sessions of history to use. @default 20 */
  readonly window?: number;
  /** Set false to bypass the cache (the result is still stored for later calls). @default true */
  readonly cache?: boolean;
}

const HistoryShape = z.looseObject({ sessions: z.array(z.unknown()) });

const OptionsSchema = z.strictObject({
  history: HistoryShape.optional(),
  window: z.number().int('must be an integer').min(1, 'must be at least 1').optional(),
  cache: z.boolean().optional(),
});

/** Validates health-check options; throws a ValidationError naming the bad option. */
export function checkHealthOptions(options: unknown): HealthCheckOptions {
  const r = OptionsSchema.safeParse(options);
  if (!r.success) throw new ValidationError(fromZodIssues(r.error.issues, ['options']), 'healthCheck');
  return options as HealthCheckOptions;
}
