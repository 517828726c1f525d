/**
 * RepoState: what is remembered about a repository across sessions — the
 * recent sessions with each bot's outcome, the findings that persist from
 * one session to the next, and the trend. Shapes and readers only: health
 * reads them, `update-repo-state.ts` writes them, storage saves them; so this
 * sits below all three and imports none of them.
 */
import { z } from 'zod';
import { SEVERITIES } from '../findings/severity.js';

/** Sessions kept in a repo's history. */
export const REPO_HISTORY_LIMIT = 100;

const iso = z.iso.datetime({ offset: true });

/** One bot's outcome in one session. */
export const BotRunRecordSchema = z.strictObject({
  bot: z.string().min(1),
  status: z.enum(['pending', 'running', 'completed', 'failed', 'skipped']),
  /** Run time in ms, for bots that finished (completed or failed). */
  durationMs: z.number().min(0).optional(),
  findingsCount: z.number().int().min(0).optional(),
  errorsCount: z.number().int().min(0).optional(),
});

/** One session in a repo's history. */
export const SessionRecordSchema = z.strictObject({
  sessionId: z.string().min(1),
  startedAt: iso,
  completedAt: iso.nullable(),
  durationMs: z.number().min(0).nullable(),
  totalFindings: z.number().int().min(0),
  errors: z.number().int().min(0),
  warnings: z.number().int().min(0),
  blocksRelease: z.boolean(),
  bots: z.array(BotRunRecordSchema),
});

/** A finding followed across sessions by its fingerprint. */
export const PersistentFindingSchema = z.strictObject({
  fingerprint: z.string().min(1),
  source: z.string(),
  ruleId: z.string(),
  severity: z.enum(SEVERITIES),
  message: z.string(),
  file: z.string().optional(),
  /** Session in which it was first seen, and when. */
  firstSeenSession: z.string(),
  firstSeen: iso,
  lastSeen: iso,
  /** Number of sessions it appeared in. */
  sessionsPresent: z.number().int().min(1),
  /** True once a later session no longer has it (or has it fixed). */
  resolved: z.boolean(),
  resolvedAt: iso.optional(),
});

/** Direction of a repo's findings over its recent sessions. */
export const TRENDS = ['improving', 'declining', 'stable'] as const;

/** The stored state of a repository. */
export const RepoStateSchema = z.strictObject({
  schemaVersion: z.literal(1),
  repoName: z.string().min(1),
  updatedAt: iso,
  sessions: z.array(z.unknown()),
  findings: z.array(PersistentFindingSchema),
  trend: z.enum(TRENDS),
});

export type BotRunRecord = z.output<typeof BotRunRecordSchema>;
export type SessionRecord = z.output<typeof SessionRecordSchema>;
export type PersistentFinding = z.output<typeof PersistentFindingSchema>;
export type Trend = (typeof TRENDS)[number];

/**
 * The stored state of a repository. `sessions` is oldest first; entries are
 * `unknown` on purpose: a corrupt history entry is skipped by its readers
 * (see {@link readSessionRecords}) instead of making the whole file unreadable.
 */
export interface RepoState {
  readonly schemaVersion: 1;
  readonly repoName: string;
  readonly updatedAt: string;
  readonly sessions: readonly unknown[];
  readonly findings: readonly PersistentFinding[];
  readonly trend: Trend;
}

/** The valid session records of a state, and the indexes of the ones skipped. */
export function readSessionRecords(state: RepoState): { records: SessionRecord[]; skipped: number[] } {
  const records: SessionRecord[] = [];
  const skipped: number[] = [];
  state.sessions.forEach((s, i) => {
    const r = SessionRecordSchema.safeParse(s);
    if (r.success) records.push(r.data);
    else skipped.push(i);
  });
  return { records, skipped };
}
