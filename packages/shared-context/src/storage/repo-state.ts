/**
 * RepoState: what is remembered about a repository across sessions — the
 * recent sessions with each bot's outcome, the findings that persist from
 * one session to the next, and the trend. Pure functions; storage saves it.
 */
import { z } from 'zod';
import type { Context } from '../context/context.js';
import type { Finding } from '../findings/finding.js';
import { findingFingerprint } from '../findings/finding.js';
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

/** The record of one session, as history keeps it. */
export function sessionRecordOf(ctx: Context): SessionRecord {
  const s = ctx.summary();
  const bots: BotRunRecord[] = ctx.executions().map((e) => {
    switch (e.status) {
      case 'completed':
        return { bot: e.bot, status: e.status, durationMs: e.durationMs, findingsCount: e.findingsCount, errorsCount: e.errorsCount };
      case 'failed':
        return { bot: e.bot, status: e.status, durationMs: e.durationMs };
      default:
        return { bot: e.bot, status: e.status };
    }
  });
  return {
    sessionId: ctx.sessionId,
    startedAt: ctx.startedAt,
    completedAt: ctx.completedAt,
    durationMs: s.durationMs,
    totalFindings: s.totalFindings,
    errors: s.totalErrors,
    warnings: s.totalWarnings,
    blocksRelease: s.blocksRelease,
    bots,
  };
}

/**
 * Folds a session into a repo's state: appends (or replaces, for the same
 * session id) its record, keeps the last {@link REPO_HISTORY_LIMIT}, follows
 * each finding by fingerprint, and recomputes the trend. Pure: returns a new state.
 */
export function updateRepoState(state: RepoState | undefined, ctx: Context): RepoState {
  const now = new Date(ctx.now()).toISOString();
  const record = sessionRecordOf(ctx);
  const previous = (state?.sessions ?? []).filter((s) => (s as { sessionId?: unknown } | null)?.sessionId !== ctx.sessionId);
  const sessions = [...previous, record].slice(-REPO_HISTORY_LIMIT);

  const seenAt = ctx.completedAt ?? now;
  const present = new Map<string, { f: Finding }>();
  for (const f of ctx.findings) if (!f.fixed) present.set(findingFingerprint(f), { f });
  const findings: PersistentFinding[] = [];
  for (const p of state?.findings ?? []) {
    const hit = present.get(p.fingerprint);
    if (hit !== undefined) {
      present.delete(p.fingerprint);
      findings.push({ ...p, lastSeen: seenAt, sessionsPresent: p.sessionsPresent + 1, resolved: false, resolvedAt: undefined, severity: hit.f.severity, message: hit.f.message });
    } else if (!p.resolved) {
      findings.push({ ...p, resolved: true, resolvedAt: seenAt });
    } else {
      findings.push(p);
    }
  }
  for (const [fingerprint, { f }] of present) {
    findings.push({
      fingerprint,
      source: f.source,
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      file: f.file,
      firstSeenSession: ctx.sessionId,
      firstSeen: seenAt,
      lastSeen: seenAt,
      sessionsPresent: 1,
      resolved: false,
    });
  }
  const next: RepoState = { schemaVersion: 1, repoName: ctx.repoName, updatedAt: now, sessions, findings, trend: 'stable' };
  return { ...next, trend: trendOf(readSessionRecords(next).records) };
}

/**
 * improving / declining / stable: the weighted load (errors × 3 + warnings) of
 * the last k sessions against the k before them (k = 3, or fewer when the
 * history is short); a change of more than 10% either way is a trend.
 */
export function trendOf(records: readonly SessionRecord[]): Trend {
  if (records.length < 2) return 'stable';
  const load = (r: SessionRecord): number => r.errors * 3 + r.warnings;
  const k = Math.min(3, Math.floor(records.length / 2));
  const recent = records.slice(-k);
  const base = records.slice(-2 * k, -k);
  const mean = (xs: readonly SessionRecord[]): number => xs.reduce((a, r) => a + load(r), 0) / xs.length;
  const a = mean(base);
  const b = mean(recent);
  if (a === 0 && b === 0) return 'stable';
  if (b < a * 0.9) return 'improving';
  if (b > a * 1.1) return 'declining';
  return 'stable';
}
